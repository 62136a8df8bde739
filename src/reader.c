// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Ring-buffer consumer. The BPF side sends records without waking us
 * (BPF_RB_NO_WAKEUP) until a quarter of the ring is waiting, so this loop
 * mostly wakes on its own READER_POLL_MS timer, drains everything in one
 * pass and writes it with one write(2): the per-event IPI, context switch and
 * syscall that dominate other tools' overhead are gone, and a lone exec still
 * appears within READER_POLL_MS.
 */
#include "reader.h"
#include "escape.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "decode.h"
#include "loader.h"
#include "metrics_file.h"
#include "output.h"
#include "policy_rt.h"
#include "proctable.h"
#include "stash.h"
#include "timefmt.h"

/* stdout, or --output with its rotation. */
static int flush_out(struct reader *reader)
{
	if (reader->file)
		return sink_file__flush(reader->file, &reader->out);
	return outbuf_flush(&reader->out);
}

/* --syslog: the record as JSON (whatever the main output's format), queued. */
static void to_syslog(struct reader *reader, const char *msgid, uint64_t boot_ns,
		      const struct exec_view *view, const struct ew_exit *x, const char *exe)
{
	struct outbuf *ob = &reader->syslog_json;

	outbuf_reset(ob);
	if (view)
		output_json_exec(ob, &reader->tf, view, &reader->output);
	else
		output_json_exit(ob, &reader->tf, x, exe, &reader->output);
	if (ob->len && ob->data[ob->len - 1] == '\n')
		ob->len--;
	sink_syslog__add(reader->syslog, msgid, timefmt_wall_ns(&reader->tf, boot_ns), ob->data,
			 ob->len, timefmt_boot_now_ns());
}

static int handle_exit(struct reader *reader, void *data, size_t size)
{
	struct ew_exit x;
	const char *exe;
	bool wanted;

	if (decode_exit(data, size, &x)) {
		reader->stats.malformed++;
		return 0;
	}
	reader->stats.received++;
	/* The same process reported by two of its threads (proctable.c): once is enough. */
	if (proctable__ended(reader->procs, x.hdr.pid, x.start_ns))
		return 0;
	exe = proctable__exe(reader->procs, x.hdr.pid, x.start_ns);
	wanted = filter_match_exit(&reader->filter, &x, exe);
	if (reader->syslog && wanted)
		to_syslog(reader, "exit", x.hdr.boot_ns, NULL, &x, exe);
	if (!reader->summarize && wanted) {
		if (reader->cfg->format == OUTPUT_JSON)
			output_json_exit(&reader->out, &reader->tf, &x, exe, &reader->output);
		else
			output_text_exit(&reader->out, &reader->tf, &x, exe, &reader->output);
	}
	proctable__exit(reader->procs, x.hdr.pid, x.start_ns);
	return 0;
}

/* --ancestors: a new process's parent link, for the table only. */
static void handle_fork(struct reader *reader, void *data, size_t size)
{
	struct ew_fork f;

	if (decode_fork(data, size, &f)) {
		reader->stats.malformed++;
		return;
	}
	reader->stats.received++;
	proctable__fork(reader->procs, f.hdr.pid, f.start_ns, f.ppid, f.parent_start_ns);
}

/*
 * Every successful exec teaches the table, once, filtered out or not (an
 * ancestor may be either); reported marks one that passed the filters, so
 * that its exit record names its program.
 */
static void learn_exec(struct reader *reader, const struct exec_view *view, bool reported)
{
	struct proc_info p = {
		.pid = view->fixed.hdr.pid,
		.start_ns = view->fixed.start_ns,
		.ppid = view->fixed.ppid,
		.parent_start_ns = view->fixed.parent_start_ns,
		.exe = view->exe_len ? view->exe : view->filename,
		.exe_len = view->exe_len ? view->exe_len : view->filename_len,
		.argv = view->argv,
		.argv_len = view->argv_len,
		.reported = reported,
	};

	if (reader->procs && view->fixed.ret == 0)
		proctable__exec_info(reader->procs, &p);
}

static void add_ancestry(struct reader *reader, struct exec_view *view)
{
	if (!reader->procs || reader->cfg->format != OUTPUT_JSON)
		return;
	if (!reader->cfg->ancestors) {
		view->parent_exe = proctable__parent_exe(reader->procs, view->fixed.ppid,
							 view->fixed.parent_start_ns, "/proc");
		return;
	}
	/* The chain starts at the parent, found (or read from /proc) as parent_exe would be. */
	proctable__ancestors(reader->procs, view->fixed.ppid, view->fixed.parent_start_ns, "/proc",
			     &reader->ancestry);
	view->ancestors = &reader->ancestry;
	view->parent_exe = reader->ancestry.n ? reader->ancestry.list[0].exe : NULL;
}

static int handle_record(void *ctx, void *data, size_t size)
{
	struct reader *reader = ctx;
	struct exec_view view;
	struct ew_header hdr;
	bool wanted;

	if (!decode_header(data, size, &hdr)) {
		if (hdr.type == EW_EVENT_EXIT) {
			handle_exit(reader, data, size);
			goto flush;
		}
		if (hdr.type == EW_EVENT_FORK) {
			handle_fork(reader, data, size);
			return 0;
		}
	}
	if (decode_exec(data, size, &view)) {
		reader->stats.malformed++;
		return 0;
	}
	reader->stats.received++;
	if (reader->cgroups)
		cgroup_cache__lookup(reader->cgroups, view.fixed.cgroup_id,
				     (int64_t)view.fixed.hdr.boot_ns, &view.cgroup_path,
				     &view.container_id);
	if (view.fixed.policy.action)
		view.policy_rule = policy_rt__rule_name(
			reader->policy, view.fixed.policy.generation, view.fixed.policy.rule);
	wanted = filter_match(&reader->filter, &view);
	learn_exec(reader, &view, wanted);
	if (!wanted)
		return 0;
	/* Before the syslog copy, so it carries the ancestors too. */
	add_ancestry(reader, &view);
	if (reader->syslog)
		to_syslog(reader, "exec", view.fixed.hdr.boot_ns, &view, NULL, NULL);
	if (reader->summarize) {
		summary_add(&reader->interval, &view);
		summary_add(&reader->total, &view);
		return 0;
	}
	if (reader->cfg->format == OUTPUT_JSON)
		output_json_exec(&reader->out, &reader->tf, &view, &reader->output);
	else
		output_text_exec(&reader->out, &reader->tf, &view, &reader->output);
flush:
	if (reader->out.len >= READER_FLUSH_BYTES && flush_out(reader))
		return -EPIPE; /* stops ring_buffer__consume; the error is in out.error */
	return 0;
}

static int read_counters(struct reader *reader)
{
	__u32 key;

	for (key = 0; key < EW_CTR_NR; key++) {
		if (bpf_map_lookup_elem(reader->counters_fd, &key, reader->percpu_values))
			return -errno;
		reader->stats.kernel[key] = stats_sum_percpu(reader->percpu_values, reader->ncpus);
	}
	return 0;
}

/* Report loss that grew since the last report: stderr for text, a record for JSON. */
static void report_loss(struct reader *reader)
{
	if (!stats_loss_grew(&reader->reported, &reader->stats))
		return;
	if (reader->cfg->format == OUTPUT_JSON) {
		output_json_lost(&reader->out, &reader->tf,
				 timefmt_wall_ns(&reader->tf, (uint64_t)timefmt_boot_now_ns()),
				 &reader->reported, &reader->stats);
	} else {
		output_text_lost(&reader->diag, &reader->reported, &reader->stats);
		outbuf_flush(&reader->diag);
	}
	reader->reported = reader->stats;
}

/* --syslog drops that grew since the last tick: one line on stderr, with the cause. */
static void report_syslog(struct reader *reader)
{
	const struct sink_syslog *ss = reader->syslog;

	if (!ss || ss->dropped == reader->syslog_reported)
		return;
	outbuf_printf(&reader->diag,
		      "execwatch: syslog: %llu message(s) dropped (%llu in total): the collector "
		      "is %s%s%s\n",
		      (unsigned long long)(ss->dropped - reader->syslog_reported),
		      (unsigned long long)ss->dropped,
		      ss->drop_while_down ? "unreachable" : "slower than the events",
		      ss->drop_error ? ": " : "", ss->drop_error ? strerror(ss->drop_error) : "");
	outbuf_flush(&reader->diag);
	reader->syslog_reported = ss->dropped;
}

/*
 * The host's mount namespace: the initial one, where kernel threads live
 * (init_nsproxy). kthreadd is PID 2 in the initial pid namespace; in another
 * one (execwatch in a container), PID 1's is the best guess. Our own is not:
 * the service runs in a private mount namespace (PrivateTmp and friends).
 * Reading a namespace link needs ptrace access (root); 0 when unknown.
 */
static uint64_t host_mnt_ns(void)
{
	char comm[32] = "";
	struct stat st;
	FILE *f = fopen("/proc/2/comm", "re");

	if (f) {
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = '\0';
		fclose(f);
	}
	if (!strcmp(comm, "kthreadd\n") && !stat("/proc/2/ns/mnt", &st))
		return st.st_ino;
	return stat("/proc/1/ns/mnt", &st) ? 0 : st.st_ino;
}

/* Colour and column widths depend on where the output goes. */
static void resolve_output(struct reader *reader)
{
	struct output_options *o = &reader->output;
	const char *no_color = getenv("NO_COLOR");
	bool tty = !reader->file && isatty(STDOUT_FILENO);
	struct winsize ws;

	o->color = o->color_mode == COLOR_ALWAYS ||
		   (o->color_mode == COLOR_AUTO && tty && !(no_color && *no_color));
	if (tty && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws))
		o->file_width = output_file_width(ws.ws_col);
	o->start_boot_ns = reader->started_boot_ns;
	o->host_mnt_ns = host_mnt_ns();
}

/* Resolve cgroup paths only when some output or filter uses them. */
static bool needs_cgroups(const struct config *cfg)
{
	size_t i;

	if (cfg->filter.container)
		return true;
	if (cfg->format == OUTPUT_JSON)
		return cfg->output.json_fields & ((1u << JF_CGROUP) | (1u << JF_CONTAINER_ID));
	for (i = 0; i < cfg->output.nr_text_fields; i++)
		if (cfg->output.text_fields[i] == TF_CGROUP ||
		    cfg->output.text_fields[i] == TF_CONTAINER)
			return true;
	return false;
}

/* --output and --syslog, before anything is written. */
static int open_sinks(struct reader *reader, char *msg, size_t msg_len)
{
	const struct config *cfg = reader->cfg;
	char host[256] = "";
	int err;

	outbuf_init(&reader->syslog_json, -1);
	if (cfg->output_path) {
		reader->file = calloc(1, sizeof(*reader->file));
		if (!reader->file)
			return -ENOMEM;
		err = sink_file__open(reader->file, cfg->output_path, cfg->output_mode,
				      cfg->rotate_bytes, cfg->rotate_keep, msg, msg_len);
		if (err) {
			free(reader->file);
			reader->file = NULL;
			return err;
		}
		reader->out.fd = reader->file->fd;
		if (reader->file->repaired_bytes)
			fprintf(stderr,
				"execwatch: %s ended inside a line (a crash while writing?): "
				"cut off the last %llu bytes\n",
				ESCAPED(cfg->output_path),
				(unsigned long long)reader->file->repaired_bytes);
	}
	if (cfg->syslog_url) {
		reader->syslog = calloc(1, sizeof(*reader->syslog));
		if (!reader->syslog)
			return -ENOMEM;
		gethostname(host, sizeof(host) - 1);
		err = sink_syslog__init(reader->syslog, &cfg->syslog, cfg->syslog_facility,
					cfg->syslog_buffer_bytes, host, (long)getpid(), msg,
					msg_len);
		if (err)
			return err;
		/* Connect now: the first exec need not wait for the loop's first turn. */
		sink_syslog__pump(reader->syslog, timefmt_boot_now_ns());
	}
	return 0;
}

/* SIGHUP: logrotate moved FILE away; write what is buffered there, then reopen FILE. */
static void reopen_output(struct reader *reader)
{
	char msg[512];

	if (!reader->file)
		return;
	flush_out(reader);
	if (sink_file__reopen(reader->file, msg, sizeof(msg))) {
		fprintf(stderr, "execwatch: SIGHUP: %s; still writing to the old file\n", msg);
		return;
	}
	reader->out.fd = reader->file->fd;
}

int reader__new(struct reader **out, const struct config *cfg, const struct loader *loader,
		char *msg, size_t msg_len)
{
	struct reader *reader;
	int err;

	*out = NULL;
	reader = calloc(1, sizeof(*reader));
	if (!reader)
		return -ENOMEM;
	reader->cfg = cfg;
	reader->counters_fd = loader__counters_fd(loader);
	reader->stash_fd = loader__stash_fd(loader);
	reader->policy = loader->policy;
	reader->ncpus = loader->ncpus;
	outbuf_init(&reader->out, STDOUT_FILENO);
	outbuf_init(&reader->diag, STDERR_FILENO);
	timefmt_init(&reader->tf, timefmt_sample_offset());
	reader->percpu_values = calloc((size_t)reader->ncpus, sizeof(uint64_t));
	if (!reader->percpu_values) {
		err = -ENOMEM;
		goto fail;
	}
	reader->rb = ring_buffer__new(loader__ringbuf_fd(loader), handle_record, reader, NULL);
	if (!reader->rb) {
		err = -errno;
		goto fail;
	}
	err = open_sinks(reader, msg, msg_len);
	if (err)
		goto fail;
	reader->started_boot_ns = timefmt_boot_now_ns();
	reader->output = cfg->output;
	resolve_output(reader);
	err = filter_init(&reader->filter, &cfg->filter, msg, msg_len);
	if (err)
		goto fail;
	/* Exits name their program; JSON execs their parent's (parent_exe), --ancestors more. */
	if (cfg->exits || cfg->ancestors || cfg->format == OUTPUT_JSON) {
		err = proctable__new(&reader->procs, READER_MAX_PROCESSES);
		if (err)
			goto fail;
		/* Without exit records (or with filtered ones) entries go stale: evict. */
		proctable__set_evict(reader->procs, !cfg->exits || cfg->ancestors);
		/* Processes started before us: their exits can name the program too. */
		proctable__seed(reader->procs, "/proc");
	}
	/* Without a cgroup2 mount, paths stay null: not an error. */
	if (needs_cgroups(cfg))
		cgroup_cache__new(&reader->cgroups, NULL);
	if (cfg->summary_ms) {
		reader->summarize = true;
		reader->next_summary_ns =
			reader->started_boot_ns + (int64_t)cfg->summary_ms * 1000000;
		err = summary_init(&reader->interval, reader->started_boot_ns);
		if (!err)
			err = summary_init(&reader->total, reader->started_boot_ns);
		if (err)
			goto fail;
	}
	*out = reader;
	return 0;
fail:
	if (!msg[0])
		snprintf(msg, msg_len, "cannot set up the ring-buffer reader: %s", strerror(-err));
	reader__free(reader);
	return err;
}

static void print_summary(struct reader *reader, const struct summary *s, int64_t now, bool final)
{
	if (reader->cfg->format == OUTPUT_JSON)
		summary_print_json(s, &reader->out, &reader->tf, now, final);
	else
		summary_print_text(s, &reader->out, &reader->tf, now, final);
}

/* Drain whatever is in the ring now, then write it out. */
static int drain(struct reader *reader)
{
	int n = ring_buffer__consume(reader->rb);

	if (n < 0 && !reader->out.error)
		return n;
	if (reader->syslog) {
		sink_syslog__pump(reader->syslog, timefmt_boot_now_ns());
		reader->stats.syslog_dropped = reader->syslog->dropped;
	}
	return flush_out(reader);
}

/* SIGHUP: a bad file leaves the running policy in force; either way, say so on stderr. */
static void reload_policy(struct reader *reader)
{
	char msg[1024];

	if (!reader->policy)
		return;
	if (policy_rt__reload(reader->policy, stderr, msg, sizeof(msg)))
		fprintf(stderr, "execwatch: %s\n", msg);
}

int reader__run(struct reader *reader, volatile sig_atomic_t *stop)
{
	const struct config *cfg = reader->cfg;
	int64_t deadline = cfg->duration_ms ?
				   reader->started_boot_ns + (int64_t)cfg->duration_ms * 1000000 :
				   INT64_MAX;
	int64_t next_tick = reader->started_boot_ns + READER_TICK_MS * 1000000LL;
	int err = 0;

	if (cfg->format == OUTPUT_JSON)
		output_json_start(&reader->out, &reader->tf,
				  timefmt_wall_ns(&reader->tf, (uint64_t)reader->started_boot_ns),
				  EXECWATCH_VERSION, cfg->max_argv_bytes, cfg->ring_bytes,
				  reader->output.host_mnt_ns);
	else if (!cfg->no_header && !reader->summarize)
		output_text_header(&reader->out, &reader->output);
	err = flush_out(reader);

	while (!err && !*stop) {
		int64_t now;
		int swept, n = ring_buffer__poll(reader->rb, READER_POLL_MS);

		if (n < 0 && n != -EINTR && !reader->out.error) {
			err = n;
			break;
		}
		err = drain(reader);
		if (err)
			break;
		if (reader->reload && *reader->reload) {
			*reader->reload = 0;
			reload_policy(reader);
			reopen_output(reader);
		}
		now = timefmt_boot_now_ns();
		if (now >= next_tick) {
			next_tick = now + READER_TICK_MS * 1000000LL;
			reader->tf.realtime_minus_boot_ns = timefmt_sample_offset();
			swept = stash_sweep(reader->stash_fd, (uint64_t)now,
					    STASH_SWEEP_MIN_AGE_NS);
			if (swept > 0)
				reader->stats.stash_swept += (uint64_t)swept;
			if (!read_counters(reader))
				report_loss(reader);
			if (reader->metrics)
				metrics_file__tick(reader->metrics, &reader->stats, now);
			report_syslog(reader);
		}
		if (reader->summarize && now >= reader->next_summary_ns) {
			print_summary(reader, &reader->interval, now, false);
			summary_reset(&reader->interval, now);
			reader->next_summary_ns = now + (int64_t)cfg->summary_ms * 1000000;
			err = flush_out(reader);
			if (err)
				break;
		}
		if (now >= deadline)
			break;
	}

	/* Stopped: deliver what is still in the ring, then the final accounting. */
	if (!err)
		err = drain(reader);
	if (reader->syslog) {
		/* The collector gets a moment to take the rest; what it does not is counted. */
		sink_syslog__finish(reader->syslog, READER_SYSLOG_FINISH_MS);
		reader->stats.syslog_dropped = reader->syslog->dropped;
	}
	if (!read_counters(reader) && !reader->out.error)
		report_loss(reader);
	if (reader->metrics)
		metrics_file__write(reader->metrics, &reader->stats);
	if (reader->summarize && !reader->out.error)
		print_summary(reader, &reader->total, timefmt_boot_now_ns(), true);
	if (cfg->format == OUTPUT_JSON && !reader->out.error)
		output_json_stats(&reader->out, &reader->tf,
				  timefmt_wall_ns(&reader->tf, (uint64_t)timefmt_boot_now_ns()),
				  &reader->stats, true);
	if (!reader->out.error)
		err = flush_out(reader);
	output_text_summary(&reader->diag, &reader->stats,
			    (double)(timefmt_boot_now_ns() - reader->started_boot_ns) / 1e9);
	outbuf_flush(&reader->diag);

	/* The reader of our output went away (execwatch | head): a normal end. */
	if (reader->out.error == EPIPE)
		return 0;
	if (reader->out.error)
		return -reader->out.error;
	return err;
}

void reader__free(struct reader *reader)
{
	if (!reader)
		return;
	ring_buffer__free(reader->rb);
	proctable__free(reader->procs);
	filter_free(&reader->filter);
	cgroup_cache__free(reader->cgroups);
	summary_free(&reader->interval);
	summary_free(&reader->total);
	outbuf_free(&reader->out);
	outbuf_free(&reader->diag);
	if (reader->file)
		sink_file__close(reader->file);
	free(reader->file);
	if (reader->syslog)
		sink_syslog__free(reader->syslog);
	free(reader->syslog);
	outbuf_free(&reader->syslog_json);
	free(reader->percpu_values);
	free(reader);
}
