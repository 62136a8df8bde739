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
	__u32 key, next;
	bool more;
	int removed = 0;

	if (bpf_map_get_next_key(map_fd, NULL, &key))
		return errno == ENOENT ? 0 : -errno;
	do {
		struct exec_attempt attempt;

		/* Step first: the next key of a deleted one would restart the walk. */
		more = bpf_map_get_next_key(map_fd, &key, &next) == 0;
		if (bpf_map_lookup_elem(map_fd, &key, &attempt) == 0 &&
		    now_boot_ns >= attempt.enter_ns &&
		    now_boot_ns - attempt.enter_ns >= min_age_ns && !thread_exists(key) &&
		    bpf_map_delete_elem(map_fd, &key) == 0)
			removed++;
		key = next;
	} while (more);
	return removed;
}
