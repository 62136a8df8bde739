// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * capget(2) directly: libcap is not worth a dependency for one bit.
 */
#include "caps.h"

#include "readfile.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/perf_event.h>

/* capget(2) or capset(2) of our own sets: 0 or -errno. */
static int cap_sets(long nr, struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };

	return syscall(nr, &header, data) ? -errno : 0;
}

bool caps_effective(int cap)
{
	struct __user_cap_data_struct data[2] = { 0 };

	if (cap < 0 || cap >= 64 || cap_sets(SYS_capget, data))
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

int caps_drop(int cap)
{
	struct __user_cap_data_struct data[2] = { 0 };
	__u32 bit = 1u << (cap % 32);
	int err;

	if (cap < 0 || cap >= 64)
		return -EINVAL;
	err = cap_sets(SYS_capget, data);
	if (err)
		return err;
	data[cap / 32].effective &= ~bit;
	data[cap / 32].permitted &= ~bit;
	data[cap / 32].inheritable &= ~bit;
	return cap_sets(SYS_capset, data);
}

int caps_perf_event_paranoid(void)
{
	char buf[32];
	char *end;
	long value;

	if (readfile_first_line("/proc/sys/kernel/perf_event_paranoid", buf, sizeof(buf)))
		return INT_MIN;
	errno = 0;
	value = strtol(buf, &end, 10);
	if (errno || end == buf || value < INT_MIN || value > INT_MAX)
		return INT_MIN;
	return (int)value;
}

bool caps_perf_restricted(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_DUMMY,
		.disabled = 1,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};
	int fd;

	if (caps_effective(CAP_SYS_ADMIN) || caps_perf_event_paranoid() <= 2)
		return false;
	/*
	 * A vanilla kernel treats 3 like 2. The distributions' patch refuses
	 * every perf_event_open() first thing, so a dummy counter on ourselves,
	 * which level 2 allows anyone, tells which kernel this is.
	 */
	fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return false;
	}
	return errno == EACCES;
}
