// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The metric families (all prefixed execwatch_):
 *
 *   events_total{type}            execs, failed execs and exits the kernel saw
 *   drops_total{cause}            records lost or capture skipped, by cause
 *   lost_total                    execs that never reached user space (the
 *                                 sum execwatch reports as "lost")
 *   capture_incomplete_total{kind} argv/filename faults and truncations
 *   kernel_counter_total{counter} every kernel counter by its stable name, so
 *                                 a counter added later is exported too
 *   policy_actions_total{action}  --policy: execs killed, denied, kills that
 *                                 failed (also execs the display filters drop)
 *   records_sent_total, records_received_total   ring records in and out
 *   stash_swept_total             stash entries of threads that died in execve
 *   ringbuf_size_bytes, ringbuf_used_bytes   the ring and its unread part
 *   bpf_stats_enabled             whether run times below are being counted
 *   bpf_prog_run_seconds_total{program}, bpf_prog_runs_total{program}
 *   syslog_dropped_total{cause}   --syslog messages never sent, by cause
 *   syslog_sent_total             --syslog messages sent
 *   syslog_queue_bytes, syslog_queue_peak_bytes, syslog_queue_limit_bytes,
 *   syslog_queue_messages
 *                                 the --syslog queue's fill and its bound
 *   resident_memory_bytes, cpu_seconds_total, start_time_seconds, build_info
 *
 * Label values are BPF program names and fixed words: only [a-z0-9_]
 * occurs, but they are escaped anyway (backslash, quote, newline).
 */
#include "metrics.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP execwatch_%s %s\n# TYPE execwatch_%s %s\n", name, help, name, type);
}

static void label_value(FILE *out, const char *value)
{
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			fprintf(out, "\\%c", *value);
		else if (*value == '\n')
			fputs("\\n", out);
		else
			fputc(*value, out);
	}
}

static void sample_u64(FILE *out, const char *name, const char *label, const char *value,
		       uint64_t v)
{
	fprintf(out, "execwatch_%s", name);
	if (label) {
		fprintf(out, "{%s=\"", label);
		label_value(out, value);
		fputs("\"}", out);
	}
	fprintf(out, " %" PRIu64 "\n", v);
}

static void sample_double(FILE *out, const char *name, const char *label, const char *value,
			  double v)
{
	fprintf(out, "execwatch_%s", name);
	if (label) {
		fprintf(out, "{%s=\"", label);
		label_value(out, value);
		fputs("\"}", out);
	}
	/* Fixed notation with nanosecond digits: no exponent, no rounding of run times. */
	fprintf(out, " %.9f\n", v);
}

static void write_events(FILE *out, const struct stats *s)
{
	family(out, "events_total", "counter", "Execs, failed execs and exits the kernel saw.");
	sample_u64(out, "events_total", "type", "exec", s->kernel[EW_CTR_EXEC_SEEN]);
	sample_u64(out, "events_total", "type", "failed_exec", s->kernel[EW_CTR_FAILED_SEEN]);
	sample_u64(out, "events_total", "type", "exit", s->kernel[EW_CTR_EXIT_SEEN]);
	sample_u64(out, "events_total", "type", "filtered", s->kernel[EW_CTR_FILTERED]);

	family(out, "drops_total", "counter",
	       "Records lost or capture skipped, by cause (ringbuf_full, scratch_miss, "
	       "stash_miss and malformed lose execs).");
	sample_u64(out, "drops_total", "cause", "ringbuf_full", s->kernel[EW_CTR_RINGBUF_FULL]);
	sample_u64(out, "drops_total", "cause", "scratch_miss", s->kernel[EW_CTR_SCRATCH_MISS]);
	sample_u64(out, "drops_total", "cause", "stash_miss", s->kernel[EW_CTR_STASH_MISS]);
	sample_u64(out, "drops_total", "cause", "stash_full", s->kernel[EW_CTR_STASH_FULL]);
	sample_u64(out, "drops_total", "cause", "subtree_full", s->kernel[EW_CTR_SUBTREE_FULL]);
	sample_u64(out, "drops_total", "cause", "malformed", s->malformed);

	family(out, "lost_total", "counter", "Execs that never reached user space.");
	sample_u64(out, "lost_total", NULL, NULL, stats_lost(s));

	family(out, "capture_incomplete_total", "counter",
	       "Records delivered with partial data, by kind.");
	sample_u64(out, "capture_incomplete_total", "kind", "argv_fault",
		   s->kernel[EW_CTR_ARGV_FAULT]);
	sample_u64(out, "capture_incomplete_total", "kind", "filename_fault",
		   s->kernel[EW_CTR_FILENAME_FAULT]);
	sample_u64(out, "capture_incomplete_total", "kind", "argv_truncated",
		   s->kernel[EW_CTR_ARGV_TRUNCATED]);

	family(out, "policy_actions_total", "counter",
	       "--policy: execs killed (SIGKILL sent), denied (EPERM from BPF LSM), and kills "
	       "that could not be sent; shown or not by the display filters.");
	sample_u64(out, "policy_actions_total", "action", "killed",
		   s->kernel[EW_CTR_POLICY_KILLED]);
	sample_u64(out, "policy_actions_total", "action", "denied",
		   s->kernel[EW_CTR_POLICY_DENIED]);
	sample_u64(out, "policy_actions_total", "action", "kill_failed",
		   s->kernel[EW_CTR_POLICY_KILL_FAILED]);

	family(out, "stash_swept_total", "counter",
	       "Stashed exec attempts of threads that died inside execve, removed by user space.");
	sample_u64(out, "stash_swept_total", NULL, NULL, s->stash_swept);

	family(out, "records_sent_total", "counter", "Records the kernel put in the ring buffer.");
	sample_u64(out, "records_sent_total", NULL, NULL, s->kernel[EW_CTR_EVENTS_SENT]);
	family(out, "records_received_total", "counter", "Records execwatch decoded.");
	sample_u64(out, "records_received_total", NULL, NULL, s->received);
}

static void write_kernel_counters(FILE *out, const struct stats *s)
{
	int i;

	family(out, "kernel_counter_total", "counter",
	       "Every kernel-side counter by its stable name (as in the JSON stats record).");
	for (i = 0; i < EW_CTR_NR; i++)
		sample_u64(out, "kernel_counter_total", "counter",
			   stats_counter_name((enum ew_counter)i), s->kernel[i]);
}

static void write_bpf(FILE *out, const struct metrics_snapshot *m)
{
	size_t i;

	family(out, "ringbuf_size_bytes", "gauge", "Size of the BPF ring buffer.");
	sample_u64(out, "ringbuf_size_bytes", NULL, NULL, m->ring_size_bytes);
	family(out, "ringbuf_used_bytes", "gauge",
	       "Bytes in the ring buffer not yet consumed when the metrics were written.");
	sample_u64(out, "ringbuf_used_bytes", NULL, NULL, m->ring_used_bytes);
	if (m->bpf_stats_enabled >= 0) {
		family(out, "bpf_stats_enabled", "gauge",
		       "1 when kernel.bpf_stats_enabled counts BPF run time (else run time "
		       "stays 0).");
		sample_u64(out, "bpf_stats_enabled", NULL, NULL, (uint64_t)m->bpf_stats_enabled);
	}
	if (!m->nr_progs)
		return;
	family(out, "bpf_prog_run_seconds_total", "counter",
	       "Time spent in each BPF program (while bpf stats are enabled).");
	for (i = 0; i < m->nr_progs; i++)
		sample_double(out, "bpf_prog_run_seconds_total", "program", m->progs[i].name,
			      (double)m->progs[i].run_time_ns / 1e9);
	family(out, "bpf_prog_runs_total", "counter",
	       "Runs of each BPF program (while bpf stats are enabled).");
	for (i = 0; i < m->nr_progs; i++)
		sample_u64(out, "bpf_prog_runs_total", "program", m->progs[i].name,
			   m->progs[i].run_cnt);
}

/*
 * Not in drops_total: those are records the main output never got (an alert
 * on them means lost execs), while a syslog drop is one message missing at
 * the collector only, with stdout or --output complete.
 */
static void write_syslog(FILE *out, const struct metrics_syslog *sl)
{
	int i;

	family(out, "syslog_dropped_total", "counter",
	       "--syslog messages never sent, by cause (queue_full: the collector was down or "
	       "slower than the events for longer than --syslog-buffer lasts).");
	for (i = 0; i < SYSLOG_DROP_NR; i++)
		sample_u64(out, "syslog_dropped_total", "cause",
			   sink_syslog_drop_name((enum sink_syslog_drop)i), sl->dropped[i]);
	family(out, "syslog_sent_total", "counter",
	       "--syslog messages handed to the socket whole (replays after a reset included).");
	sample_u64(out, "syslog_sent_total", NULL, NULL, sl->sent);
	family(out, "syslog_queue_bytes", "gauge",
	       "Bytes of --syslog messages waiting to be sent (counted against the bound).");
	sample_u64(out, "syslog_queue_bytes", NULL, NULL, sl->queue_bytes);
	family(out, "syslog_queue_messages", "gauge", "--syslog messages waiting to be sent.");
	sample_u64(out, "syslog_queue_messages", NULL, NULL, sl->queue_messages);
	family(out, "syslog_queue_peak_bytes", "gauge",
	       "The most bytes the --syslog queue has held at once since start.");
	sample_u64(out, "syslog_queue_peak_bytes", NULL, NULL, sl->queue_peak_bytes);
	family(out, "syslog_queue_limit_bytes", "gauge",
	       "The --syslog queue's bound (--syslog-buffer).");
	sample_u64(out, "syslog_queue_limit_bytes", NULL, NULL, sl->queue_limit_bytes);
}

int metrics_write(FILE *out, const struct metrics_snapshot *m)
{
	family(out, "build_info", "gauge", "Always 1; the version is a label.");
	sample_u64(out, "build_info", "version", m->version ? m->version : "unknown", 1);
	write_events(out, m->stats);
	write_kernel_counters(out, m->stats);
	write_bpf(out, m);
	if (m->syslog)
		write_syslog(out, m->syslog);
	family(out, "resident_memory_bytes", "gauge", "Resident set size of execwatch.");
	sample_u64(out, "resident_memory_bytes", NULL, NULL, m->rss_bytes);
	family(out, "cpu_seconds_total", "counter", "User and system CPU time of execwatch.");
	sample_double(out, "cpu_seconds_total", NULL, NULL, m->cpu_seconds);
	family(out, "start_time_seconds", "gauge", "When execwatch started, in Unix time.");
	sample_double(out, "start_time_seconds", NULL, NULL, m->start_time_seconds);
	if (fflush(out) || ferror(out))
		return -EIO;
	return 0;
}
