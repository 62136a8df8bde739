/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Which capabilities the process holds: what loading BPF needs (loader.c)
 * and what --check reports (check.c) come from the same question.
 */
#ifndef EXECWATCH_CAPS_H
#define EXECWATCH_CAPS_H

#include <stdbool.h>

/* Is capability cap (CAP_BPF, CAP_SYS_ADMIN, ...) in the effective set? */
bool caps_effective(int cap);

/*
 * Drop cap from the effective, permitted and inheritable sets (and so from
 * the ambient set): it cannot come back, not even through a later exec.
 * 0, or -errno from capset(2).
 */
int caps_drop(int cap);

/*
 * kernel.perf_event_paranoid, or INT_MIN when it cannot be read. Debian's and
 * Ubuntu's kernels (CONFIG_SECURITY_PERF_EVENTS_RESTRICT, default 3) refuse
 * perf_event_open(2), and so the attaching of classic tracepoints, to a
 * process without CAP_SYS_ADMIN when it is above 2; CAP_PERFMON is not enough.
 */
int caps_perf_event_paranoid(void);

/*
 * Will attaching a classic tracepoint fail for want of CAP_SYS_ADMIN? True
 * when perf_event_paranoid is above 2, we lack CAP_SYS_ADMIN, and the kernel
 * is one that enforces level 3 (tried with a harmless perf_event_open()).
 */
bool caps_perf_restricted(void);

#endif /* EXECWATCH_CAPS_H */
