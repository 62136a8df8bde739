/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * --metrics-file: gather the metrics (counters from the reader, ring-buffer
 * fill, BPF run times, memory) and replace the file atomically every
 * --metrics-interval: a temporary file in the same directory, fsync, rename,
 * so a collector never reads half a file. --bpf-stats turns the kernel's
 * run-time accounting on with BPF_ENABLE_STATS for as long as we hold the
 * file descriptor: it is restored by the kernel even if execwatch is killed.
 */
#ifndef EXECWATCH_METRICS_FILE_H
#define EXECWATCH_METRICS_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "metrics.h"
#include "stats.h"

struct loader;
struct sink_syslog;

#define METRICS_MAX_PROGS 32

struct metrics_file {
	const struct config *cfg;
	char *tmp_template; /* "DIR/.NAME.XXXXXX" */
	int stats_fd; /* BPF_ENABLE_STATS while >= 0 */
	void *consumer_page; /* the ring's two position pages, mapped read-only */
	void *producer_page;
	size_t page_bytes;
	uint64_t ring_bytes;
	int prog_fds[METRICS_MAX_PROGS];
	struct metrics_prog progs[METRICS_MAX_PROGS];
	size_t nr_progs;
	double start_time_seconds;
	const struct sink_syslog *syslog; /* --syslog, or NULL; not owned */
	int64_t next_write_ns;
	int last_error; /* warn once per streak of failed writes */
};

/*
 * Set up and write the file once (so a bad path fails at start). syslog: the
 * --syslog sink whose counters and queue are exported, or NULL. On failure
 * returns a negative errno and fills msg with one sentence.
 */
int metrics_file__new(struct metrics_file **out, const struct config *cfg,
		      const struct loader *loader, const struct sink_syslog *syslog, char *msg,
		      size_t msg_len);
/* Write when the interval has passed (now_ns: CLOCK_BOOTTIME). */
void metrics_file__tick(struct metrics_file *m, const struct stats *s, int64_t now_ns);
/* Write now; 0 or a negative errno. */
int metrics_file__write(struct metrics_file *m, const struct stats *s);
void metrics_file__free(struct metrics_file *m);

#endif /* EXECWATCH_METRICS_FILE_H */
