/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Metrics for monitoring the monitor, in the Prometheus text exposition
 * format as node_exporter's textfile collector reads it (no timestamps, one
 * HELP and TYPE per family). Pure: the caller gathers a snapshot, this turns
 * it into text; metrics_file.c gathers and writes the file atomically.
 */
#ifndef EXECWATCH_METRICS_H
#define EXECWATCH_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stats.h"

#define METRICS_PROG_NAME_MAX 16 /* BPF object names: 15 characters and a NUL */

struct metrics_prog {
	char name[METRICS_PROG_NAME_MAX];
	uint64_t run_time_ns; /* needs kernel.bpf_stats_enabled */
	uint64_t run_cnt;
};

struct metrics_snapshot {
	const char *version;
	const struct stats *stats;
	uint64_t ring_size_bytes;
	uint64_t ring_used_bytes; /* written by the kernel, not yet consumed */
	int bpf_stats_enabled; /* 1, 0, or -1 when unknown */
	const struct metrics_prog *progs;
	size_t nr_progs;
	uint64_t rss_bytes;
	double cpu_seconds; /* user + system time of execwatch */
	double start_time_seconds; /* Unix time execwatch started */
};

/*
 * Write the whole exposition to out. Returns 0, or -EIO when the stream
 * reports an error (a full buffer, a failed write).
 */
int metrics_write(FILE *out, const struct metrics_snapshot *m);

#endif /* EXECWATCH_METRICS_H */
