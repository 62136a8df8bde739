/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A growable output buffer with a file descriptor behind it.
 *
 * Formatters append to memory; the reader flushes once per ring-buffer batch,
 * so a storm of execs costs one write(2) per batch, not one per event (the
 * cost that dominates stdio-per-event peers). Errors are sticky: after a
 * failed write (EPIPE from a closed pipe, ENOSPC from a full disk) every
 * later flush reports the same error, and only whole lines are ever written,
 * so a JSON reader never sees half a record: not even when a write to a file
 * fails half-way (the file is cut back to its last complete line) or the
 * descriptor is non-blocking (we wait for room). See outbuf.c.
 */
#ifndef EXECWATCH_OUTBUF_H
#define EXECWATCH_OUTBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct outbuf {
	char *data;
	size_t len;
	size_t cap;
	int fd; /* -1: memory only (tests) */
	int error; /* 0 or the positive errno of the first failed write */
	int alloc_failed; /* an append could not grow the buffer */
};

void outbuf_init(struct outbuf *ob, int fd);
void outbuf_free(struct outbuf *ob);
void outbuf_reset(struct outbuf *ob);

/* Grow so that n more bytes fit; -1 when that failed (the append is dropped). */
int outbuf_grow(struct outbuf *ob, size_t n);

/*
 * The appends are inline: a JSON record is about a hundred small appends,
 * and a call each (plus strlen of a literal key) was a third of the reader's
 * CPU. Only growing the buffer is out of line.
 */
static inline int outbuf_reserve(struct outbuf *ob, size_t n)
{
	if (__builtin_expect(!ob->alloc_failed && n <= ob->cap - ob->len, 1))
		return 0;
	return outbuf_grow(ob, n);
}

static inline void outbuf_put(struct outbuf *ob, const void *bytes, size_t n)
{
	/* The reserve fails for n > PTRDIFF_MAX anyway; saying so quiets gcc's memcpy bound check. */
	if (!n || outbuf_reserve(ob, n) || n > PTRDIFF_MAX)
		return;
	memcpy(ob->data + ob->len, bytes, n);
	ob->len += n;
}

static inline void outbuf_putc(struct outbuf *ob, char c)
{
	if (outbuf_reserve(ob, 1))
		return;
	ob->data[ob->len++] = c;
}

static inline void outbuf_puts(struct outbuf *ob, const char *s)
{
	outbuf_put(ob, s, strlen(s));
}

void outbuf_put_u64(struct outbuf *ob, uint64_t value);
/* value in exactly width digits (at most 20), zero-padded on the left, higher digits cut. */
void outbuf_put_u64_zpad(struct outbuf *ob, uint64_t value, size_t width);
void outbuf_put_i64(struct outbuf *ob, int64_t value);
/* Right- or left-aligned numbers and padding for text columns. */
void outbuf_pad(struct outbuf *ob, size_t from_len, size_t width);
void outbuf_printf(struct outbuf *ob, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Length of the last incomplete line (bytes after the last '\n'). */
size_t outbuf_partial_line(const struct outbuf *ob);

/*
 * Write every complete line to fd. Returns 0 or a negative errno; the error
 * is also kept in ob->error. Bytes of an unfinished line stay buffered, and
 * so do the lines that were not (or, cut back, no longer) written.
 */
int outbuf_flush(struct outbuf *ob);
/*
 * The same, for the complete lines within the first max_bytes only (a file
 * sink rotating at a size boundary). Writes nothing when the first line is
 * longer than max_bytes.
 */
int outbuf_flush_upto(struct outbuf *ob, size_t max_bytes);

#endif /* EXECWATCH_OUTBUF_H */
