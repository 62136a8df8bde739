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

#include "sink_syslog.h"
#include "stats.h"

#define METRICS_PROG_NAME_MAX 64 /* the program's C name (the kernel keeps 15 bytes of it) */

struct metrics_prog {
	char name[METRICS_PROG_NAME_MAX];
	uint64_t run_time_ns; /* needs kernel.bpf_stats_enabled */
	uint64_t run_cnt;
};

/* --syslog: the sink's counters and its queue (metrics_file.c copies them from the sink). */
struct metrics_syslog {
	uint64_t sent; /* messages handed to the kernel whole (replays included) */
	uint64_t dropped[SYSLOG_DROP_NR]; /* by cause, enum sink_syslog_drop */
	uint64_t queue_bytes; /* unsent messages and their bookkeeping */
	uint64_t queue_messages;
	uint64_t queue_peak_bytes; /* the most queue_bytes has been since start */
	uint64_t queue_limit_bytes; /* --syslog-buffer */
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
	const struct metrics_syslog *syslog; /* NULL without --syslog: no syslog families */
};

/*
 * Write the whole exposition to out. Returns 0, or -EIO when the stream
 * reports an error (a full buffer, a failed write).
 */
int metrics_write(FILE *out, const struct metrics_snapshot *m);

#endif /* EXECWATCH_METRICS_H */
