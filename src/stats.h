/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Loss and capture accounting: the kernel's per-CPU counters summed, named and
 * compared, so every lost or partial record is reported, never silent.
 */
#ifndef EXECWATCH_STATS_H
#define EXECWATCH_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"

struct stats {
	uint64_t kernel[EW_CTR_NR]; /* summed over CPUs */
	uint64_t received; /* records user space decoded */
	uint64_t malformed; /* records rejected by decode */
	uint64_t stash_swept; /* stash entries of threads that died in execve */
	uint64_t syslog_dropped; /* --syslog: messages never sent (queue bound, exit) */
};

/* Stable snake_case name of a kernel counter, used in JSON and summaries. */
const char *stats_counter_name(enum ew_counter counter);

/* Sum one counter's per-CPU values. */
uint64_t stats_sum_percpu(const uint64_t *values, int ncpus);

/* Events that never reached user space: the loss that must be reported. */
uint64_t stats_lost(const struct stats *s);

/* Did any loss counter grow from `before` to `now`? */
bool stats_loss_grew(const struct stats *before, const struct stats *now);

#endif /* EXECWATCH_STATS_H */
