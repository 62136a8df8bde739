// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * exec_stash sweeping; see stash.h for why it exists. The map normally holds
 * only the execs in flight right now, so a walk each second costs nothing.
 */
#include "stash.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>

#include <bpf/bpf.h>

#include "event.h"

/* kill(tid, 0) finds any thread by its tid, not only group leaders. */
static bool thread_exists(__u32 tid)
{
	return kill((pid_t)tid, 0) == 0 || errno != ESRCH;
}

int stash_sweep(int map_fd, uint64_t now_boot_ns, uint64_t min_age_ns)
{
	return stash_sweep_sized(map_fd, sizeof(struct exec_attempt), now_boot_ns, min_age_ns);
}

int stash_sweep_sized(int map_fd, size_t value_size, uint64_t now_boot_ns, uint64_t min_age_ns)
{
	/* The largest value swept; each starts with its __u64 enter_ns. */
	static_assert(sizeof(struct argv_capture) >= sizeof(struct exec_attempt), "buffer size");
	union {
		__u64 enter_ns;
		char bytes[sizeof(struct argv_capture)];
	} value;
	__u32 key, next;
	bool more;
	int removed = 0;

	if (value_size > sizeof(value) || value_size < sizeof(value.enter_ns))
		return -EINVAL;
	if (bpf_map_get_next_key(map_fd, NULL, &key))
		return errno == ENOENT ? 0 : -errno;
	do {
		/* Step first: the next key of a deleted one would restart the walk. */
		more = bpf_map_get_next_key(map_fd, &key, &next) == 0;
		if (bpf_map_lookup_elem(map_fd, &key, &value) == 0 &&
		    now_boot_ns >= value.enter_ns && now_boot_ns - value.enter_ns >= min_age_ns &&
		    !thread_exists(key) && bpf_map_delete_elem(map_fd, &key) == 0)
			removed++;
		key = next;
	} while (more);
	return removed;
}
