// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Text output: one line per exec, columns a person scans. By default
 *
 *   TIME         PID     PPID    UID    RET  COMM             FILE  ARGV
 *
 * and any selection of columns with --fields. Every untrusted field goes
 * through escape_text_word() (or escape_shell_word() with --quote), so a
 * newline, an escape sequence or a quote in a filename can never forge or
 * hide a line, and the only unquoted '[' on a line is a marker written here.
 * Colour (failures red, privilege changes yellow) wraps the whole line.
 */
#include "output.h"
#include "policy.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "path_view.h"

#define COLOR_FAILED "\033[31m"
#define COLOR_PRIVILEGED "\033[33m"
#define COLOR_RESET "\033[0m"

static size_t column_width(const struct output_options *o, enum text_field field)
{
	switch (field) {
	case TF_TIME:
		return o->time_mode == TIME_SINCE_START ? 10 : 12;
	case TF_PID:
	case TF_PPID:
	case TF_TID:
		return 7;
	case TF_UID:
	case TF_EUID:
	case TF_GID:
		return 6;
	case TF_RET:
		return 4;
	case TF_COMM:
	case TF_PCOMM:
		return 16;
	case TF_FILE:
		return o->file_width;
	case TF_CGROUP:
		return 32;
	case TF_CONTAINER:
		return 12;
	case TF_EXE:
		return o->file_width;
	case TF_CWD:
		return 24;
	default:
		return 0;
	}
}

static const char *column_title(enum text_field field)
{
	static const char *const titles[TF_NR] = {
		[TF_TIME] = "TIME",	[TF_PID] = "PID",
		[TF_PPID] = "PPID",	[TF_UID] = "UID",
		[TF_RET] = "RET",	[TF_COMM] = "COMM",
		[TF_FILE] = "FILE",	[TF_ARGV] = "ARGV",
		[TF_TID] = "TID",	[TF_EUID] = "EUID",
		[TF_GID] = "GID",	[TF_PCOMM] = "PCOMM",
		[TF_CGROUP] = "CGROUP", [TF_CONTAINER] = "CONTAINER",
		[TF_EXE] = "EXE",	[TF_CWD] = "CWD",
	};

	return (unsigned int)field < TF_NR ? titles[field] : "?";
}

static const struct output_options *options_or_default(const struct output_options *o,
						       struct output_options *storage)
{
	if (o)
		return o;
	output_options_default(storage);
	return storage;
}

void output_text_header(struct outbuf *ob, const struct output_options *opts)
{
	struct output_options defaults;
	const struct output_options *o = options_or_default(opts, &defaults);
	size_t i;

	for (i = 0; i < o->nr_text_fields; i++) {
		const char *title = column_title(o->text_fields[i]);
		bool last = i + 1 == o->nr_text_fields;

		outbuf_puts(ob, title);
		if (!last) {
			outbuf_pad(ob, strlen(title), column_width(o, o->text_fields[i]));
			outbuf_putc(ob, ' ');
		}
	}
	outbuf_putc(ob, '\n');
}

static void put_word(struct outbuf *ob, const struct output_options *o, const char *bytes, size_t n)
{
	if (o->quote)
		escape_shell_word(ob, bytes, n);
	else
		escape_text_word(ob, bytes, n);
}

/* A bracketed note after the argv words, a space before it unless it comes first. */
static void put_argv_note(struct outbuf *ob, bool *first, const char *note)
{
	if (!*first)
		outbuf_putc(ob, ' ');
	outbuf_puts(ob, note);
	*first = false;
}

static void put_argv(struct outbuf *ob, const struct output_options *o,
		     const struct exec_view *view)
{
	struct arg_iter it;
	struct arg_span arg;
	uint32_t shown = 0, omitted = 0;
	bool first = true;

	arg_iter_init(&it, view);
	while (arg_iter_next(&it, &arg)) {
		if (o->max_args && shown == o->max_args) {
			omitted++;
			continue;
		}
		if (!first)
			outbuf_putc(ob, ' ');
		put_word(ob, o, arg.bytes, arg.len);
		first = false;
		shown++;
	}
	if (omitted) {
		outbuf_printf(ob, " [+%u more args]", omitted);
	} else if (view->argv_empty_at_call) {
		put_argv_note(ob, &first, "[argc 0]");
	} else if (first && !view->argv_len && !exec_view_argv_incomplete(view)) {
		put_argv_note(ob, &first, "[no argv]");
	}
	if (view->fixed.hdr.flags & EW_F_ARGV_FAULT)
		put_argv_note(ob, &first, "[argv unreadable]");
	/* The caller's memory was gone at the failure: argv is the copy from the call. */
	if (view->fixed.hdr.flags & EW_F_CALLER_MEMORY_GONE)
		put_argv_note(ob, &first, "[failed past the point of no return]");
	if (view->fixed.hdr.flags & EW_F_ARGV_TRUNCATED) {
		/* The separator only: the note has numbers in it. */
		put_argv_note(ob, &first, "");
		if (view->fixed.hdr.flags & EW_F_ARGV_TRUE_LEN_UNKNOWN)
			outbuf_printf(ob, "[argv truncated at %u bytes]", view->fixed.argv_len);
		else
			outbuf_printf(ob, "[argv truncated: %u of %u bytes]", view->fixed.argv_len,
				      view->fixed.argv_true_len);
	}
	/* Issue 3 tamper evidence: the program got other strings than its caller held. */
	if (view->fixed.hdr.flags & EW_F_ARGV_TAMPERED) {
		struct arg_iter caller = { .pos = view->caller_argv,
					   .end = view->caller_argv + view->caller_argv_len };

		put_argv_note(ob, &first, "[TAMPERED: the caller passed");
		while (arg_iter_next(&caller, &arg)) {
			outbuf_putc(ob, ' ');
			put_word(ob, o, arg.bytes, arg.len);
		}
		outbuf_putc(ob, ']');
	}
}

static void put_time(struct outbuf *ob, struct timefmt *tf, const struct output_options *o,
		     uint64_t boot_ns)
{
	if (o->time_mode == TIME_SINCE_START) {
		/* A corrupt time stamp must not overflow: clamp to [0, INT64_MAX]. */
		int64_t delta = boot_ns > INT64_MAX || (int64_t)boot_ns < o->start_boot_ns ?
					0 :
					(int64_t)boot_ns - o->start_boot_ns;

		outbuf_printf(ob, "%lld.%03lld", (long long)(delta / 1000000000),
			      (long long)(delta / 1000000 % 1000));
		return;
	}
	timefmt_put_clock(tf, ob, timefmt_wall_ns(tf, boot_ns));
}

/* A kernel-resolved path, escaped, with what is special about it in brackets. */
static void put_path(struct outbuf *ob, const struct output_options *o, const char *path,
		     size_t len, uint32_t flags)
{
	put_word(ob, o, path, len);
	if (flags & EW_FILE_TRUNCATED)
		outbuf_puts(ob, " [truncated]");
	if (flags & EW_FILE_FAULT)
		outbuf_puts(ob, " [incomplete]");
}

static void put_exe(struct outbuf *ob, const struct output_options *o, const struct exec_view *view)
{
	const struct ew_exec_file *f = &view->fixed.file;

	if (!path_view_has_exe(view)) {
		outbuf_putc(ob, '-');
		return;
	}
	put_path(ob, o, view->exe, view->exe_len, f->exe_flags);
	if (path_view_exe_fileless(view))
		outbuf_puts(ob, " [fileless]");
	if (path_view_exe_deleted(view))
		outbuf_puts(ob, " [deleted]");
	if (f->exe_flags & EW_FILE_OPATH)
		outbuf_puts(ob, " [O_PATH]");
	if (path_view_chroot(view))
		outbuf_puts(ob, " [chroot]");
	/* A path from another mount namespace's root (a container's): say which namespace. */
	if (o && o->host_mnt_ns && view->fixed.mnt_ns != o->host_mnt_ns) {
		outbuf_puts(ob, " [mntns:");
		outbuf_put_u64(ob, view->fixed.mnt_ns);
		outbuf_putc(ob, ']');
	}
}

static void put_cwd(struct outbuf *ob, const struct output_options *o, const struct exec_view *view)
{
	if (!path_view_has_cwd(view)) {
		outbuf_putc(ob, '-');
		return;
	}
	put_path(ob, o, view->cwd, view->cwd_len, view->fixed.file.cwd_flags);
	if (view->fixed.file.cwd_flags & EW_FILE_DELETED)
		outbuf_puts(ob, " [deleted]");
}

static void put_field(struct outbuf *ob, struct timefmt *tf, const struct output_options *o,
		      const struct exec_view *view, enum text_field field)
{
	const struct ew_exec *e = &view->fixed;

	switch (field) {
	case TF_TIME:
		put_time(ob, tf, o, e->hdr.boot_ns);
		break;
	case TF_PID:
		outbuf_put_u64(ob, e->hdr.pid);
		break;
	case TF_PPID:
		outbuf_put_u64(ob, e->ppid);
		break;
	case TF_TID:
		outbuf_put_u64(ob, e->hdr.tid);
		break;
	case TF_UID:
		outbuf_put_u64(ob, e->uid);
		break;
	case TF_EUID:
		outbuf_put_u64(ob, e->euid);
		break;
	case TF_GID:
		outbuf_put_u64(ob, e->gid);
		break;
	case TF_RET:
		outbuf_put_i64(ob, e->ret);
		break;
	case TF_COMM:
		escape_text_word(ob, e->comm, strnlen(e->comm, sizeof(e->comm)));
		break;
	case TF_PCOMM:
		escape_text_word(ob, e->parent_comm,
				 strnlen(e->parent_comm, sizeof(e->parent_comm)));
		break;
	case TF_FILE:
		/*
		 * Past the point of no return the filename is not read (it would
		 * be the failing binary's bytes), but the kernel's exe names it.
		 */
		if ((e->hdr.flags & EW_F_CALLER_MEMORY_GONE) && path_view_has_exe(view)) {
			put_exe(ob, o, view);
			outbuf_puts(ob, " [exe; filename unreadable]");
			break;
		}
		put_word(ob, o, view->filename, view->filename_len);
		if (e->hdr.flags & EW_F_FILENAME_FAULT)
			outbuf_puts(ob, " [filename unreadable]");
		else if (e->hdr.flags & EW_F_FILENAME_TRUNCATED)
			outbuf_puts(ob, " [filename truncated]");
		break;
	case TF_ARGV:
		put_argv(ob, o, view);
		break;
	case TF_CGROUP:
		if (view->cgroup_path)
			escape_text_word(ob, view->cgroup_path, strlen(view->cgroup_path));
		else
			outbuf_put_u64(ob, e->cgroup_id);
		break;
	case TF_CONTAINER:
		/* The short form people use (docker ps); -j has the full id. */
		if (view->container_id)
			outbuf_put(ob, view->container_id, strnlen(view->container_id, 12));
		else
			outbuf_putc(ob, '-');
		break;
	case TF_EXE:
		put_exe(ob, o, view);
		break;
	case TF_CWD:
		put_cwd(ob, o, view);
		break;
	default:
		break;
	}
}

/* Display width of what was appended since `start` (escaped output is ASCII or UTF-8). */
static size_t width_since(const struct outbuf *ob, size_t start)
{
	size_t width = 0, i;

	for (i = start; i < ob->len; i++)
		if (((unsigned char)ob->data[i] & 0xc0) != 0x80)
			width++;
	return width;
}

void output_text_exec(struct outbuf *ob, struct timefmt *tf, const struct exec_view *view,
		      const struct output_options *opts)
{
	struct output_options defaults;
	const struct output_options *o = options_or_default(opts, &defaults);
	const struct ew_exec *e = &view->fixed;
	const char *color = NULL;
	size_t i;

	if (o->color) {
		if (e->ret < 0)
			color = COLOR_FAILED;
		else if (exec_view_privilege_change(view))
			color = COLOR_PRIVILEGED;
	}
	if (color)
		outbuf_puts(ob, color);
	for (i = 0; i < o->nr_text_fields; i++) {
		size_t start = ob->len;

		put_field(ob, tf, o, view, o->text_fields[i]);
		if (i + 1 < o->nr_text_fields) {
			outbuf_pad(ob, width_since(ob, start), column_width(o, o->text_fields[i]));
			outbuf_putc(ob, ' ');
		}
	}
	/* Issue 6: "[kill: rule]", "[would kill: rule]" (--dry-run), "[log: rule]". */
	if (e->policy.action) {
		char rule[32];

		if (!view->policy_rule)
			snprintf(rule, sizeof(rule), "#%u.%u", e->policy.generation,
				 e->policy.rule);
		outbuf_puts(ob, (e->policy.flags & EW_POLICY_F_DRY_RUN) ? " [would " : " [");
		outbuf_puts(ob, policy_action_name(e->policy.action));
		outbuf_puts(ob, ": ");
		outbuf_puts(ob, view->policy_rule ? view->policy_rule : rule);
		outbuf_putc(ob, ']');
	}
	if (color)
		outbuf_puts(ob, COLOR_RESET);
	outbuf_putc(ob, '\n');
}

void output_put_process_id(struct outbuf *ob, uint32_t pid, uint64_t start_ns)
{
	outbuf_put_u64(ob, pid);
	outbuf_putc(ob, ':');
	outbuf_put_u64(ob, start_ns);
}

/* "[exit 7 after 1.503 s]", "[killed by SIGKILL after 0.2 s, core dumped]" */
static void put_exit_status(struct outbuf *ob, const struct ew_exit *x)
{
	uint64_t lifetime = x->hdr.boot_ns > x->start_ns ? x->hdr.boot_ns - x->start_ns : 0;
	int sig = x->status & 0x7f;

	if (sig) {
		const char *name = sigabbrev_np(sig);

		if (name)
			outbuf_printf(ob, "[killed by SIG%s", name);
		else
			outbuf_printf(ob, "[killed by signal %d", sig);
	} else {
		outbuf_printf(ob, "[exit %d", (x->status >> 8) & 0xff);
	}
	outbuf_printf(ob, " after %llu.%03llu s%s]", (unsigned long long)(lifetime / 1000000000),
		      (unsigned long long)(lifetime / 1000000 % 1000),
		      sig && (x->status & 0x80) ? ", core dumped" : "");
}

void output_text_exit(struct outbuf *ob, struct timefmt *tf, const struct ew_exit *x,
		      const char *exe, const struct output_options *opts)
{
	struct output_options defaults;
	const struct output_options *o = options_or_default(opts, &defaults);
	size_t i;

	for (i = 0; i < o->nr_text_fields; i++) {
		size_t start = ob->len;

		switch (o->text_fields[i]) {
		case TF_TIME:
			put_time(ob, tf, o, x->hdr.boot_ns);
			break;
		case TF_PID:
			outbuf_put_u64(ob, x->hdr.pid);
			break;
		case TF_PPID:
			outbuf_put_u64(ob, x->ppid);
			break;
		case TF_TID:
			outbuf_put_u64(ob, x->hdr.tid);
			break;
		case TF_UID:
			outbuf_put_u64(ob, x->uid);
			break;
		case TF_RET:
			outbuf_puts(ob, "exit");
			break;
		case TF_COMM:
			escape_text_word(ob, x->comm, strnlen(x->comm, sizeof(x->comm)));
			break;
		case TF_FILE:
			if (exe)
				put_word(ob, o, exe, strlen(exe));
			else
				outbuf_puts(ob, "[unknown]");
			break;
		case TF_ARGV:
			put_exit_status(ob, x);
			break;
		default:
			outbuf_putc(ob, '-');
			break;
		}
		if (i + 1 < o->nr_text_fields) {
			outbuf_pad(ob, width_since(ob, start), column_width(o, o->text_fields[i]));
			outbuf_putc(ob, ' ');
		}
	}
	outbuf_putc(ob, '\n');
}

void output_text_lost(struct outbuf *ob, const struct stats *before, const struct stats *now)
{
	uint64_t lost = stats_lost(now) - stats_lost(before);
	uint64_t full = now->kernel[EW_CTR_RINGBUF_FULL] - before->kernel[EW_CTR_RINGBUF_FULL];
	uint64_t unstashed = now->kernel[EW_CTR_STASH_FULL] - before->kernel[EW_CTR_STASH_FULL];

	outbuf_printf(ob, "execwatch: LOST %llu event(s)", (unsigned long long)lost);
	if (full)
		outbuf_printf(ob, ", %llu because the ring buffer was full (try --ring-size)",
			      (unsigned long long)full);
	if (unstashed)
		outbuf_printf(ob, "; %llu exec attempt(s) not tracked: stash map full",
			      (unsigned long long)unstashed);
	if (now->kernel[EW_CTR_SUBTREE_FULL] != before->kernel[EW_CTR_SUBTREE_FULL])
		outbuf_printf(ob, "; %llu new process(es) not followed: --pid subtree map full",
			      (unsigned long long)(now->kernel[EW_CTR_SUBTREE_FULL] -
						   before->kernel[EW_CTR_SUBTREE_FULL]));
	outbuf_putc(ob, '\n');
}

void output_text_summary(struct outbuf *ob, const struct stats *s, double seconds)
{
	int i;

	outbuf_printf(ob, "execwatch: %.1f s, %llu events received, %llu lost", seconds,
		      (unsigned long long)s->received, (unsigned long long)stats_lost(s));
	for (i = 0; i < EW_CTR_NR; i++)
		outbuf_printf(ob, "%s%s=%llu", i ? " " : " (", stats_counter_name(i),
			      (unsigned long long)s->kernel[i]);
	outbuf_printf(ob, " malformed=%llu stash_swept=%llu)", (unsigned long long)s->malformed,
		      (unsigned long long)s->stash_swept);
	if (s->syslog_dropped)
		outbuf_printf(ob, "; %llu syslog message(s) dropped",
			      (unsigned long long)s->syslog_dropped);
	outbuf_putc(ob, '\n');
}
