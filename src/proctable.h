/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The process table: pid -> (start time, executable) for the processes alive
 * now, so an exit record can name the program that ended. Learned from exec
 * records, seeded from /proc at start, forgotten at exit. An entry matches
 * only the process with the same start time, so a reused pid never inherits
 * another process's executable. Bounded: when full, new processes are not
 * added (their exits show an unknown executable) and the overflow is counted.
 */
#ifndef EXECWATCH_PROCTABLE_H
#define EXECWATCH_PROCTABLE_H

#include <stddef.h>
#include <stdint.h>

struct proctable;

int proctable__new(struct proctable **out, size_t max_entries);
void proctable__free(struct proctable *t);

/* A process exec'd filename (replaces what it ran before). */
void proctable__exec(struct proctable *t, uint32_t pid, uint64_t start_ns, const char *filename,
		     size_t filename_len);
/* The executable of this process, NUL-terminated, or NULL when unknown. */
const char *proctable__exe(const struct proctable *t, uint32_t pid, uint64_t start_ns);
void proctable__exit(struct proctable *t, uint32_t pid, uint64_t start_ns);

/*
 * Add the processes running now, from proc_root (normally "/proc"):
 * /proc/PID/exe and the start time from /proc/PID/stat, which has clock-tick
 * resolution; such entries match the kernel's ns start time by tick.
 */
int proctable__seed(struct proctable *t, const char *proc_root);

size_t proctable__size(const struct proctable *t);
uint64_t proctable__overflows(const struct proctable *t);

#endif /* EXECWATCH_PROCTABLE_H */
