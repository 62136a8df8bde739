/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Sweeping the exec_stash map. The BPF side removes every entry at
 * sys_exit_execve(at) or at sched_process_exec; what it cannot see is a
 * non-leader thread whose exec fails after the point of no return when its
 * process's exec_nonleader note is gone (another thread of the process
 * entered execve after it, or the LRU map evicted it): the thread has taken
 * the leader's pid, so sys_exit cannot find its old tid. Such an entry would
 * hold a slot forever, and enough of them (a hostile loop can make them)
 * would fill the map and hide failed execs. The reader sweeps entries that
 * are old and whose thread no longer exists.
 */
#ifndef EXECWATCH_STASH_H
#define EXECWATCH_STASH_H

#include <stdint.h>

/* Entries younger than this are never swept: the exec may still be running. */
#define STASH_SWEEP_MIN_AGE_NS (5ULL * 1000 * 1000 * 1000)

/*
 * Remove entries older than min_age_ns whose thread is gone. Returns the
 * number removed, or a negative errno when the map cannot be read.
 */
int stash_sweep(int map_fd, uint64_t now_boot_ns, uint64_t min_age_ns);

#endif /* EXECWATCH_STASH_H */
