// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Output buffer: append in memory, write whole lines in one syscall per batch.
 * See outbuf.h for why.
 *
 * Whole lines, also when a write fails half-way. write(2) to a regular file
 * can write part of a batch and then fail: on a full file system the first
 * write() returns a short count (the blocks that were left) and the next one
 * ENOSPC; a file size limit (RLIMIT_FSIZE) gives a short count, then EFBIG;
 * a quota EDQUOT. The batch holds only complete lines, but a short write
 * almost always ends inside one, and a JSON Lines reader would choke on that
 * last line. So after a failed write, a regular file is cut back (ftruncate)
 * to the end of the last complete line, and those bytes are kept in the
 * buffer as not written. Only when we write at the file's end (> file, >>
 * file, the normal case): in a file written in the middle (1<> file), cutting
 * would destroy what follows, so it is left as it is.
 *
 * Pipes, sockets and terminals cannot be cut back, and need not be. A
 * blocking write to them returns short only when a signal interrupts it after
 * some bytes, and the loop then writes the rest (writes of at most PIPE_BUF
 * bytes are even atomic). A write that fails does so because the reader is
 * gone (EPIPE), and with it anyone who could see a partial line. A
 * non-blocking descriptor (O_NONBLOCK, set by whoever shares the pipe) returns
 * EAGAIN where a blocking one would wait: we wait in poll() for room and go
 * on, instead of giving up with half a line in the pipe.
 */
#include "outbuf.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUTBUF_INITIAL_BYTES (64 * 1024)

void outbuf_init(struct outbuf *ob, int fd)
{
	memset(ob, 0, sizeof(*ob));
	ob->fd = fd;
}

void outbuf_free(struct outbuf *ob)
{
	if (!ob)
		return;
	free(ob->data);
	ob->data = NULL;
	ob->len = ob->cap = 0;
}

void outbuf_reset(struct outbuf *ob)
{
	ob->len = 0;
}

/*
 * The slow half of outbuf_reserve() (outbuf.h): grow the buffer so n more
 * bytes fit; on failure the append is dropped and flagged.
 */
int outbuf_grow(struct outbuf *ob, size_t n)
{
	size_t need, cap;
	char *data;

	if (ob->alloc_failed)
		return -1;
	if (n <= ob->cap - ob->len)
		return 0;
	if (n > SIZE_MAX / 2 - ob->len)
		goto fail;
	need = ob->len + n;
	cap = ob->cap ? ob->cap : OUTBUF_INITIAL_BYTES;
	while (cap < need)
		cap *= 2;
	data = realloc(ob->data, cap);
	if (!data)
		goto fail;
	ob->data = data;
	ob->cap = cap;
	return 0;
fail:
	ob->alloc_failed = 1;
	return -1;
}

/* "00" "01" ... "99": two digits per division, half the divisions of one at a time. */
static const char digit_pairs[201] = "00010203040506070809"
				     "10111213141516171819"
				     "20212223242526272829"
				     "30313233343536373839"
				     "40414243444546474849"
				     "50515253545556575859"
				     "60616263646566676869"
				     "70717273747576777879"
				     "80818283848586878889"
				     "90919293949596979899";

static size_t count_digits(uint64_t value)
{
	size_t n = 1;

	while (value >= 10000) {
		value /= 10000;
		n += 4;
	}
	return n + (value >= 10) + (value >= 100) + (value >= 1000);
}

void outbuf_put_u64(struct outbuf *ob, uint64_t value)
{
	size_t n = count_digits(value);
	char *p;

	/* Straight into the buffer, from the last digit back. */
	if (outbuf_reserve(ob, n))
		return;
	p = ob->data + ob->len + n;
	ob->len += n;
	/*
	 * Four digits per 64-bit division (boot-time nanoseconds have 14 or
	 * more, and a JSON record a dozen such numbers), split into two pairs
	 * with 32-bit arithmetic.
	 */
	while (value >= 10000) {
		unsigned int quad = (unsigned int)(value % 10000);

		value /= 10000;
		p -= 4;
		memcpy(p, digit_pairs + 2 * (quad / 100), 2);
		memcpy(p + 2, digit_pairs + 2 * (quad % 100), 2);
	}
	if (value >= 100) {
		unsigned int pair = (unsigned int)(value % 100);

		value /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * pair, 2);
	}
	if (value >= 10)
		memcpy(p - 2, digit_pairs + 2 * value, 2);
	else
		p[-1] = (char)('0' + value);
}

void outbuf_put_u64_zpad(struct outbuf *ob, uint64_t value, size_t width)
{
	char digits[20];
	size_t i;

	if (width > sizeof(digits))
		width = sizeof(digits);
	/* Low digits first, from the right; the rest stays '0'. */
	for (i = width; i > 0; i--) {
		digits[i - 1] = (char)('0' + value % 10);
		value /= 10;
	}
	outbuf_put(ob, digits, width);
}

void outbuf_put_i64(struct outbuf *ob, int64_t value)
{
	if (value < 0) {
		outbuf_putc(ob, '-');
		/* Negate in unsigned arithmetic: -INT64_MIN overflows int64_t. */
		outbuf_put_u64(ob, 0 - (uint64_t)value);
		return;
	}
	outbuf_put_u64(ob, (uint64_t)value);
}

void outbuf_pad(struct outbuf *ob, size_t from_len, size_t width)
{
	static const char spaces[] = "                                ";

	while (from_len < width) {
		size_t n = width - from_len;

		if (n > sizeof(spaces) - 1)
			n = sizeof(spaces) - 1;
		outbuf_put(ob, spaces, n);
		from_len += n;
	}
}

void outbuf_printf(struct outbuf *ob, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0 || outbuf_reserve(ob, (size_t)n + 1))
		return;
	va_start(ap, fmt);
	vsnprintf(ob->data + ob->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	ob->len += (size_t)n;
}

size_t outbuf_partial_line(const struct outbuf *ob)
{
	size_t i = ob->len;

	while (i > 0 && ob->data[i - 1] != '\n')
		i--;
	return ob->len - i;
}

/* A non-blocking descriptor is full: wait until it takes more (or fails). */
static int wait_writable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };

	while (poll(&pfd, 1, -1) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

/*
 * A write failed after `done` bytes of this batch: cut a regular file back to
 * the last complete line. Returns how many written bytes were cut off.
 */
static size_t cut_partial_line(const struct outbuf *ob, size_t done)
{
	size_t partial = 0;
	struct stat st;
	off_t end;

	while (partial < done && ob->data[done - 1 - partial] != '\n')
		partial++;
	if (!partial || fstat(ob->fd, &st) || !S_ISREG(st.st_mode))
		return 0;
	end = lseek(ob->fd, 0, SEEK_CUR);
	/* Not at the end (someone else appended, or 1<> file): leave the file alone. */
	if (end < 0 || end != st.st_size || end < (off_t)partial)
		return 0;
	if (ftruncate(ob->fd, end - (off_t)partial))
		return 0;
	lseek(ob->fd, end - (off_t)partial, SEEK_SET);
	return partial;
}

/* Complete lines within the first max bytes. */
static size_t complete_within(const struct outbuf *ob, size_t max)
{
	size_t i = max < ob->len ? max : ob->len;

	while (i > 0 && ob->data[i - 1] != '\n')
		i--;
	return i;
}

int outbuf_flush(struct outbuf *ob)
{
	return outbuf_flush_upto(ob, SIZE_MAX);
}

int outbuf_flush_upto(struct outbuf *ob, size_t max_bytes)
{
	size_t complete = complete_within(ob, max_bytes);
	size_t done = 0;

	if (ob->error)
		return -ob->error;
	if (ob->fd < 0)
		return 0;
	while (done < complete) {
		ssize_t n = write(ob->fd, ob->data + done, complete - done);

		if (n < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			if (err == EAGAIN || err == EWOULDBLOCK) {
				err = -wait_writable(ob->fd);
				if (!err)
					continue;
			}
			ob->error = err;
			done -= cut_partial_line(ob, done);
			break;
		}
		done += (size_t)n;
	}
	/*
	 * Keep what was not written (nothing, unless an error stopped us) so
	 * the caller can tell how much was lost; drop what was written.
	 */
	if (done) {
		memmove(ob->data, ob->data + done, ob->len - done);
		ob->len -= done;
	}
	return ob->error ? -ob->error : 0;
}
