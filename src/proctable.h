/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The process table: pid -> (start time, executable, argv, parent) for the
 * processes alive now, so an exit record can name the program that ended and
 * an exec record its parent's executable and its chain of ancestors
 * (--ancestors). Learned from exec and fork records, seeded from /proc at
 * start, forgotten at exit. An entry matches only the process with the same
 * start time, so a reused pid never inherits another process's executable,
 * and a parent link is followed only to the process with the parent's start
 * time (or, for links learned from /proc, one that started no later than its
 * child). Bounded: when full, new processes are not added (their exits show
 * an unknown executable) and the overflow is counted; in eviction mode
 * (--ancestors, where exits may not be reported at all) a new process
 * instead takes the place of one not used recently (a clock sweep), and that
 * eviction is counted. A link to a process that is not in the table is
 * looked up in /proc once (the process may predate a fork record we missed).
 */
#ifndef EXECWATCH_PROCTABLE_H
#define EXECWATCH_PROCTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proctable;

/* argv bytes kept per process, and the longest ancestor chain reported. */
#define PROCTABLE_ARGV_MAX 1024
#define PROCTABLE_MAX_DEPTH 64

/* What an exec record tells about a process. */
struct proc_info {
	uint32_t pid;
	uint64_t start_ns;
	uint32_t ppid;
	uint64_t parent_start_ns;
	const char *exe; /* bytes, no NUL needed */
	size_t exe_len;
	const char *argv; /* NUL-separated; cut at PROCTABLE_ARGV_MAX */
	size_t argv_len;
	bool reported; /* the exec passed the filters: proctable__exe() names it */
};

/* One ancestor; the pointers stay valid until the table is changed. */
struct proc_ancestor {
	uint32_t pid;
	uint64_t start_ns; /* clock-tick resolution for processes seeded from /proc */
	const char *exe; /* NULL: unknown */
	const char *argv;
	size_t argv_len;
};

struct proc_ancestry {
	size_t n; /* nearest (the parent) first */
	bool complete; /* reached PID 1 (or a process whose parent is 0) */
	struct proc_ancestor list[PROCTABLE_MAX_DEPTH];
};

int proctable__new(struct proctable **out, size_t max_entries);
void proctable__free(struct proctable *t);

/* A process exec'd filename (replaces what it ran before). */
void proctable__exec(struct proctable *t, uint32_t pid, uint64_t start_ns, const char *filename,
		     size_t filename_len);
/* The executable of this process, NUL-terminated, or NULL when unknown. */
const char *proctable__exe(const struct proctable *t, uint32_t pid, uint64_t start_ns);
/* The process ended: forget it, and remember that it did (proctable__ended()). */
void proctable__exit(struct proctable *t, uint32_t pid, uint64_t start_ns);
/*
 * Did this process (pid and exact start time) end a moment ago? The kernel
 * can report one process's exit twice when its threads exit together (see
 * PROCTABLE_RECENT_EXITS in proctable.c); the second record is dropped.
 */
bool proctable__ended(const struct proctable *t, uint32_t pid, uint64_t start_ns);

/*
 * Add the processes running now, from proc_root (normally "/proc"):
 * /proc/PID/exe and the start time from /proc/PID/stat, which has clock-tick
 * resolution; such entries match the kernel's ns start time by tick.
 */
int proctable__seed(struct proctable *t, const char *proc_root);

/* When full, evict a not recently used process rather than refuse the new one. */
void proctable__set_evict(struct proctable *t, bool evict);
/*
 * Any exec, reported or filtered out (an ancestor may be either): learn its
 * program, argv and parent. proctable__exe() names it when p->reported (or
 * when the same process's earlier exec was reported), as after
 * proctable__exec(); the reader stores each exec once, here.
 */
void proctable__exec_info(struct proctable *t, const struct proc_info *p);
/* A fork: the child runs its parent's program until it execs. */
void proctable__fork(struct proctable *t, uint32_t pid, uint64_t start_ns, uint32_t ppid,
		     uint64_t parent_start_ns);
/*
 * The ancestors of a process whose parent is (ppid, parent_start_ns), up to
 * PID 1. proc_root ("/proc", or NULL for none) is read for a missing link.
 * Returns the number of ancestors found.
 */
size_t proctable__ancestors(struct proctable *t, uint32_t ppid, uint64_t parent_start_ns,
			    const char *proc_root, struct proc_ancestry *out);
/* The executable of the process (any, reported or not), or NULL; may read proc_root. */
const char *proctable__parent_exe(struct proctable *t, uint32_t ppid, uint64_t parent_start_ns,
				  const char *proc_root);

size_t proctable__size(const struct proctable *t);
uint64_t proctable__evictions(const struct proctable *t);
uint64_t proctable__overflows(const struct proctable *t);
/* malloc() calls made for exe and argv copies (bufpool.h): flat once exits recycle them. */
uint64_t proctable__allocations(const struct proctable *t);

#endif /* EXECWATCH_PROCTABLE_H */
