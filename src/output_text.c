// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Text output: one line per exec, execsnoop-like columns a person scans.
 *
 *   TIME         PID     PPID    UID    RET  COMM             FILE  ARGV
 *
 * Every untrusted field goes through escape_text_word(), so a newline, an
 * escape sequence or a quote in a filename can never forge or hide a line,
 * and the only unquoted '[' on a line is a marker written here.
 */
#include "output.h"

#include <string.h>

#include "escape.h"

#define COL_PID 7
#define COL_UID 6
#define COL_RET 4
#define COL_COMM 16
#define COL_FILE 24

void output_text_header(struct outbuf *ob)
{
	outbuf_puts(ob, "TIME         PID     PPID    UID    RET  COMM             "
			"FILE                     ARGV\n");
}

static void put_u64_column(struct outbuf *ob, uint64_t value, size_t width)
{
	size_t start = ob->len;

	outbuf_put_u64(ob, value);
	outbuf_pad(ob, ob->len - start, width);
	outbuf_putc(ob, ' ');
}

static void put_word_column(struct outbuf *ob, const char *bytes, size_t n, size_t width)
{
	size_t start = ob->len;

	escape_text_word(ob, bytes, n);
	/* Pad by display width; only plain ASCII words are common, and exact. */
	if (ob->len - start < width)
		outbuf_pad(ob, escape_text_word_width(bytes, n), width);
	outbuf_putc(ob, ' ');
}

static void put_argv(struct outbuf *ob, const struct exec_view *view)
{
	struct arg_iter it;
	struct arg_span arg;
	bool first = true;

	arg_iter_init(&it, view);
	while (arg_iter_next(&it, &arg)) {
		if (!first)
			outbuf_putc(ob, ' ');
		escape_text_word(ob, arg.bytes, arg.len);
		first = false;
	}
	if (view->argv_empty_at_call) {
		outbuf_puts(ob, first ? "[argc 0]" : " [argc 0]");
		first = false;
	} else if (first && !view->argv_len && !exec_view_argv_incomplete(view)) {
		outbuf_puts(ob, "[no argv]");
		first = false;
	}
	if (view->fixed.hdr.flags & EW_F_ARGV_FAULT) {
		outbuf_puts(ob, first ? "[argv unreadable]" : " [argv unreadable]");
		first = false;
	}
	if (view->fixed.hdr.flags & EW_F_ARGV_TRUNCATED) {
		if (!first)
			outbuf_putc(ob, ' ');
		if (view->fixed.hdr.flags & EW_F_ARGV_TRUE_LEN_UNKNOWN)
			outbuf_printf(ob, "[argv truncated at %u bytes]", view->fixed.argv_len);
		else
			outbuf_printf(ob, "[argv truncated: %u of %u bytes]", view->fixed.argv_len,
				      view->fixed.argv_true_len);
	}
}

void output_text_exec(struct outbuf *ob, struct timefmt *tf, const struct exec_view *view)
{
	const struct ew_exec *e = &view->fixed;
	size_t start;

	timefmt_put_clock(tf, ob, timefmt_wall_ns(tf, e->hdr.boot_ns));
	outbuf_putc(ob, ' ');
	put_u64_column(ob, e->hdr.pid, COL_PID);
	put_u64_column(ob, e->ppid, COL_PID);
	put_u64_column(ob, e->uid, COL_UID);
	start = ob->len;
	outbuf_put_i64(ob, e->ret);
	outbuf_pad(ob, ob->len - start, COL_RET);
	outbuf_putc(ob, ' ');
	put_word_column(ob, e->comm, strnlen(e->comm, sizeof(e->comm)), COL_COMM);
	put_word_column(ob, view->filename, view->filename_len, COL_FILE);
	if (e->hdr.flags & EW_F_FILENAME_FAULT)
		outbuf_puts(ob, "[filename unreadable] ");
	else if (e->hdr.flags & EW_F_FILENAME_TRUNCATED)
		outbuf_puts(ob, "[filename truncated] ");
	put_argv(ob, view);
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
	outbuf_printf(ob, " malformed=%llu stash_swept=%llu)\n", (unsigned long long)s->malformed,
		      (unsigned long long)s->stash_swept);
}
