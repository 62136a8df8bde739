// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * capget(2) directly: libcap is not worth a dependency for one bit.
 */
#include "caps.h"

#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

bool caps_effective(int cap)
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (cap < 0 || cap >= 64 || syscall(SYS_capget, &header, data))
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}
