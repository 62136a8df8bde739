/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The ring-buffer loop: drain records, decode, format, flush once per batch;
 * on every tick read the kernel's loss counters and report what grew; stop
 * on a signal, at the deadline, or when the output is gone.
 */
#ifndef EXECWATCH_READER_H
#define EXECWATCH_READER_H

#include <signal.h>
#include <stdint.h>

#include "cgroup.h"
#include "cli.h"
#include "filter.h"
#include "outbuf.h"
#include "sink_file.h"
#include "sink_syslog.h"
#include "proctable.h"
#include "summary.h"
#include "stats.h"
#include "timefmt.h"

struct loader;
struct metrics_file;
struct proctable;
struct ring_buffer;

/* How long a lone record may wait in the ring: bounds output latency. */
#define READER_POLL_MS 50
/* How often loss counters are read and reported. */
#define READER_TICK_MS 1000
/* Processes the table follows at once (exit records name their program). */
#define READER_MAX_PROCESSES 65536
/* Flush mid-batch past this many buffered bytes, to bound memory. */
#define READER_FLUSH_BYTES (256 * 1024)
/* --syslog at exit: how long the collector may take to accept the rest. */
#define READER_SYSLOG_FINISH_MS 2000

struct reader {
	const struct config *cfg;
	struct ring_buffer *rb;
	int counters_fd;
	int stash_fd;
	int ncpus;
	uint64_t *percpu_values; /* ncpus slots, reused for every counter read */
	struct outbuf out; /* stdout */
	struct outbuf diag; /* stderr: loss reports in text mode, the summary */
	struct timefmt tf;
	struct stats stats; /* totals now */
	struct stats reported; /* totals at the last loss report */
	int64_t started_boot_ns;
	struct output_options output; /* cfg->output, resolved for this terminal */
	struct filter filter;
	struct cgroup_cache *cgroups; /* NULL when no output or filter needs paths */
	struct proctable *procs; /* with exits, JSON or --ancestors: what each process runs */
	struct proc_ancestry ancestry; /* --ancestors: the chain of the exec being written */
	bool summarize; /* --summary: tables instead of one line per exec */
	struct summary interval; /* --summary: since the last table */
	struct summary total; /* --summary: the whole run, printed at exit */
	int64_t next_summary_ns;
	struct metrics_file *metrics; /* --metrics-file, set by main; not owned */
	/* Issue 6: rule names for records. */
	struct policy_rt *policy;
	/* Sinks (issue 8): NULL when not asked for. */
	struct sink_file *file; /* --output: out writes here instead of stdout */
	struct sink_syslog *syslog; /* --syslog: each record also goes here */
	struct outbuf syslog_json; /* one record, formatted for syslog */
	uint64_t syslog_reported; /* syslog drops at the last report on stderr */
	/* SIGHUP: reload the --policy file and reopen --output when *reload is set. */
	volatile sig_atomic_t *reload;
};

/* On failure returns a negative errno and fills msg with one sentence. */
int reader__new(struct reader **out, const struct config *cfg, const struct loader *loader,
		char *msg, size_t msg_len);
/*
 * Run until *stop is set, the duration passes or output fails. Returns 0
 * (also when stdout is a closed pipe) or a negative errno.
 */
int reader__run(struct reader *reader, volatile sig_atomic_t *stop);
void reader__free(struct reader *reader);

#endif /* EXECWATCH_READER_H */
