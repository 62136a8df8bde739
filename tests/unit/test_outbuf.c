// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/outbuf.c: appends of every kind, growth far past the
 * 64 KiB first allocation, the number formatters at their edge values
 * (0, UINT64_MAX, INT64_MIN, INT64_MAX), padding and printf, and the flush
 * contract: only complete lines reach the file descriptor, the partial tail
 * stays buffered, large batches survive short pipe writes, and write errors
 * (EPIPE from a pipe with no reader, ENOSPC from /dev/full) are returned and
 * sticky. A write that fails half-way through a batch (a file size limit
 * gives the short write, then EFBIG, exactly as a full disk gives a short
 * write, then ENOSPC) leaves a file cut back to its last complete line, also
 * with O_APPEND, but never cuts a file written in the middle; a non-blocking
 * pipe gets the whole batch. Cases that could trip a sanitizer run in a
 * forked child, so one report fails one test instead of ending the program.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "outbuf.h"

#define assert_contents(ob, literal)                                                   \
	do {                                                                           \
		assert_int_equal((ob)->len, sizeof(literal) - 1);                      \
		if (sizeof(literal) > 1)                                               \
			assert_memory_equal((ob)->data, literal, sizeof(literal) - 1); \
	} while (0)

/* Everything readable from a non-blocking fd now, NUL-terminated. */
static size_t drain_fd(int fd, char *buf, size_t cap)
{
	size_t got = 0;

	for (;;) {
		ssize_t n = read(fd, buf + got, cap - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	return got;
}

/* Run fn in a child; the test fails unless the child exits 0. */
static void run_in_child(void (*fn)(void))
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		fn();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("child killed by signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("child exited with %d (see the sanitizer report above)",
			 WEXITSTATUS(status));
}

static void test_init(void **state)
{
	struct outbuf ob;

	(void)state;
	memset(&ob, 0x5a, sizeof(ob));
	outbuf_init(&ob, 7);
	assert_null(ob.data);
	assert_int_equal(ob.len, 0);
	assert_int_equal(ob.cap, 0);
	assert_int_equal(ob.fd, 7);
	assert_int_equal(ob.error, 0);
	assert_int_equal(ob.alloc_failed, 0);
	outbuf_free(&ob);
	assert_null(ob.data);
	outbuf_free(&ob); /* twice is harmless */
	outbuf_free(NULL);
}

static void test_appends(void **state)
{
	struct outbuf ob;

	(void)state;
	outbuf_init(&ob, -1);
	outbuf_put(&ob, "ab", 2);
	outbuf_putc(&ob, 'c');
	outbuf_puts(&ob, "def");
	outbuf_put(&ob, "ignored", 0);
	outbuf_puts(&ob, "");
	outbuf_putc(&ob, '\0');
	outbuf_put(&ob, "\0x", 2);
	assert_contents(&ob, "abcdef\0\0x");
	assert_true(ob.cap >= 64 * 1024);
	outbuf_reset(&ob);
	assert_int_equal(ob.len, 0);
	assert_non_null(ob.data);
	outbuf_puts(&ob, "new");
	assert_contents(&ob, "new");
	outbuf_free(&ob);
}

static void test_growth(void **state)
{
	struct outbuf ob;
	char chunk[1000];
	size_t i, total = 0;

	(void)state;
	outbuf_init(&ob, -1);
	for (i = 0; i < 300; i++) {
		memset(chunk, 'a' + (int)(i % 26), sizeof(chunk));
		outbuf_put(&ob, chunk, sizeof(chunk));
		total += sizeof(chunk);
		assert_int_equal(ob.len, total);
		assert_true(ob.cap >= ob.len);
	}
	assert_int_equal(ob.alloc_failed, 0);
	assert_true(ob.cap >= 300000);
	assert_true(ob.cap % (64 * 1024) == 0);
	for (i = 0; i < 300; i++) {
		size_t k;

		for (k = 0; k < sizeof(chunk); k++)
			if (ob.data[i * sizeof(chunk) + k] != 'a' + (int)(i % 26))
				fail_msg("byte %zu corrupted", i * sizeof(chunk) + k);
	}
	outbuf_free(&ob);
}

static void test_growth_single_large_put(void **state)
{
	size_t n = 1024 * 1024 + 1, i;
	char *big = malloc(n);
	struct outbuf ob;

	(void)state;
	assert_non_null(big);
	for (i = 0; i < n; i++)
		big[i] = (char)(i * 7);
	outbuf_init(&ob, -1);
	outbuf_putc(&ob, '<');
	outbuf_put(&ob, big, n);
	outbuf_putc(&ob, '>');
	assert_int_equal(ob.len, n + 2);
	assert_int_equal(ob.data[0], '<');
	assert_memory_equal(ob.data + 1, big, n);
	assert_int_equal(ob.data[n + 1], '>');
	outbuf_free(&ob);
	free(big);
}

/* An append too large to ever fit is dropped and flagged; later ones too. */
static void test_alloc_failure_sticky(void **state)
{
	struct outbuf ob;

	(void)state;
	outbuf_init(&ob, -1);
	outbuf_puts(&ob, "ok");
	outbuf_put(&ob, "", SIZE_MAX);
	assert_int_equal(ob.alloc_failed, 1);
	assert_contents(&ob, "ok");
	outbuf_putc(&ob, 'x');
	outbuf_puts(&ob, "more");
	outbuf_put_u64(&ob, 5);
	outbuf_printf(&ob, "%d", 6);
	assert_contents(&ob, "ok");
	outbuf_free(&ob);
}

static void test_put_u64(void **state)
{
	static const struct {
		uint64_t value;
		const char *text;
	} cases[] = {
		{ 0, "0" },
		{ 1, "1" },
		{ 9, "9" },
		{ 10, "10" },
		{ 99, "99" },
		{ 100, "100" },
		{ 4294967295ULL, "4294967295" },
		{ 4294967296ULL, "4294967296" },
		{ 9999999999999999999ULL, "9999999999999999999" },
		{ 10000000000000000000ULL, "10000000000000000000" },
		{ UINT64_MAX, "18446744073709551615" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct outbuf ob;

		outbuf_init(&ob, -1);
		outbuf_putc(&ob, '[');
		outbuf_put_u64(&ob, cases[i].value);
		outbuf_putc(&ob, ']');
		outbuf_putc(&ob, '\0');
		assert_true(ob.data[0] == '[');
		assert_int_equal(ob.len, strlen(cases[i].text) + 3);
		assert_memory_equal(ob.data + 1, cases[i].text, strlen(cases[i].text));
		assert_int_equal(ob.data[ob.len - 2], ']');
		outbuf_free(&ob);
	}
}

/* Every digit count and boundary, and a spread of others, against printf's %llu. */
static void check_u64_like_printf(uint64_t value)
{
	struct outbuf ob;
	char expected[24];
	int n = snprintf(expected, sizeof(expected), "%llu", (unsigned long long)value);

	outbuf_init(&ob, -1);
	outbuf_put_u64(&ob, value);
	assert_int_equal(ob.len, (size_t)n);
	assert_memory_equal(ob.data, expected, (size_t)n);
	outbuf_free(&ob);
}

static void test_put_u64_matches_printf(void **state)
{
	uint64_t power = 1, x = 0x9e3779b97f4a7c15ULL;
	int i;

	(void)state;
	for (i = 0; i < 20; i++) {
		check_u64_like_printf(power - 1);
		check_u64_like_printf(power);
		check_u64_like_printf(power + 1);
		check_u64_like_printf(power * 5);
		power *= 10;
	}
	check_u64_like_printf(UINT64_MAX);
	/* Values of every length: an xorshift sequence, shifted down by varying amounts. */
	for (i = 0; i < 100000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		check_u64_like_printf(x >> (i % 64));
	}
}

static void test_put_i64(void **state)
{
	static const struct {
		int64_t value;
		const char *text;
	} cases[] = {
		{ 0, "0" },
		{ 1, "1" },
		{ -1, "-1" },
		{ -10, "-10" },
		{ -100, "-100" },
		{ INT32_MIN, "-2147483648" },
		{ INT64_MAX, "9223372036854775807" },
		{ INT64_MIN + 1, "-9223372036854775807" },
		{ INT64_MIN, "-9223372036854775808" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct outbuf ob;

		outbuf_init(&ob, -1);
		outbuf_put_i64(&ob, cases[i].value);
		if (ob.len != strlen(cases[i].text) || memcmp(ob.data, cases[i].text, ob.len) != 0)
			fail_msg("%lld: got [%.*s]", (long long)cases[i].value, (int)ob.len,
				 ob.data);
		outbuf_free(&ob);
	}
}

static void test_pad(void **state)
{
	struct outbuf ob;
	size_t i;

	(void)state;
	outbuf_init(&ob, -1);
	outbuf_pad(&ob, 3, 10);
	assert_contents(&ob, "       ");
	outbuf_reset(&ob);
	outbuf_pad(&ob, 10, 3);
	outbuf_pad(&ob, 5, 5);
	assert_int_equal(ob.len, 0);
	outbuf_pad(&ob, 0, 100); /* more than one chunk of spaces */
	assert_int_equal(ob.len, 100);
	for (i = 0; i < ob.len; i++)
		assert_int_equal(ob.data[i], ' ');
	outbuf_reset(&ob);
	outbuf_pad(&ob, 0, 32);
	assert_int_equal(ob.len, 32);
	outbuf_pad(&ob, 0, 33);
	assert_int_equal(ob.len, 65);
	for (i = 0; i < ob.len; i++)
		assert_int_equal(ob.data[i], ' ');
	outbuf_free(&ob);
}

static void test_printf(void **state)
{
	struct outbuf ob;
	size_t i;

	(void)state;
	outbuf_init(&ob, -1);
	outbuf_puts(&ob, "x");
	outbuf_printf(&ob, "%d-%s-%05.1f", -42, "ab", 3.14159);
	assert_contents(&ob, "x-42-ab-003.1");
	outbuf_printf(&ob, "%s", "");
	assert_int_equal(ob.len, 13);
	outbuf_reset(&ob);
	/* Longer than the first allocation in one call. */
	outbuf_printf(&ob, "%*s|", 70000, "end");
	assert_int_equal(ob.len, 70001);
	for (i = 0; i < 69997; i++)
		assert_int_equal(ob.data[i], ' ');
	assert_memory_equal(ob.data + 69997, "end|", 4);
	outbuf_free(&ob);
}

static void test_partial_line(void **state)
{
	struct outbuf ob;

	(void)state;
	outbuf_init(&ob, -1);
	assert_int_equal(outbuf_partial_line(&ob), 0);
	outbuf_puts(&ob, "abc");
	assert_int_equal(outbuf_partial_line(&ob), 3);
	outbuf_puts(&ob, "\n");
	assert_int_equal(outbuf_partial_line(&ob), 0);
	outbuf_puts(&ob, "de");
	assert_int_equal(outbuf_partial_line(&ob), 2);
	outbuf_puts(&ob, "\n\nf");
	assert_int_equal(outbuf_partial_line(&ob), 1);
	outbuf_free(&ob);
}

static void test_flush_memory_only(void **state)
{
	struct outbuf ob;

	(void)state;
	outbuf_init(&ob, -1);
	outbuf_puts(&ob, "a\nb");
	assert_int_equal(outbuf_flush(&ob), 0);
	assert_contents(&ob, "a\nb");
	outbuf_free(&ob);
}

static void test_flush_complete_lines(void **state)
{
	struct outbuf ob;
	char got[256];
	int fds[2];

	(void)state;
	assert_int_equal(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
	outbuf_init(&ob, fds[1]);
	outbuf_puts(&ob, "line1\nline2\npart");
	assert_int_equal(outbuf_flush(&ob), 0);
	assert_int_equal(drain_fd(fds[0], got, sizeof(got)), 12);
	assert_string_equal(got, "line1\nline2\n");
	assert_contents(&ob, "part");

	/* Nothing complete: nothing written, the tail kept. */
	assert_int_equal(outbuf_flush(&ob), 0);
	assert_int_equal(drain_fd(fds[0], got, sizeof(got)), 0);
	assert_contents(&ob, "part");

	outbuf_puts(&ob, "ial\n");
	assert_int_equal(outbuf_flush(&ob), 0);
	assert_int_equal(drain_fd(fds[0], got, sizeof(got)), 8);
	assert_string_equal(got, "partial\n");
	assert_int_equal(ob.len, 0);

	/* Empty after a flush: flushing again writes nothing. */
	assert_int_equal(outbuf_flush(&ob), 0);
	assert_int_equal(drain_fd(fds[0], got, sizeof(got)), 0);
	assert_int_equal(ob.error, 0);
	outbuf_free(&ob);
	close(fds[0]);
	close(fds[1]);
}

static void flush_fresh_outbuf(void)
{
	struct outbuf ob;
	int fds[2];

	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC))
		_exit(10);
	outbuf_init(&ob, fds[1]);
	/* e.g. `execwatch --no-header`: the first flush has nothing buffered. */
	if (outbuf_flush(&ob) != 0 || ob.len != 0)
		_exit(11);
	close(fds[0]);
	close(fds[1]);
}

/* Flushing a buffer that never had an append must be a clean no-op. */
static void test_flush_fresh_buffer(void **state)
{
	(void)state;
	run_in_child(flush_fresh_outbuf);
}

/* A batch far larger than the pipe: every byte arrives, in order. */
static void test_flush_large_batch(void **state)
{
	const size_t lines = 20000;
	struct outbuf ob;
	int data_fds[2], result_fds[2];
	uint64_t sum = 0, want = 0, got_sum = 0;
	size_t i, total = 0;
	pid_t pid;
	int status;

	(void)state;
	assert_int_equal(pipe2(data_fds, O_CLOEXEC), 0);
	assert_int_equal(pipe2(result_fds, O_CLOEXEC), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		unsigned char buf[4096];
		uint64_t h = 1469598103934665603ULL, count = 0;
		ssize_t n;

		close(data_fds[1]);
		while ((n = read(data_fds[0], buf, sizeof(buf))) > 0) {
			for (ssize_t k = 0; k < n; k++)
				h = (h ^ buf[k]) * 1099511628211ULL;
			count += (uint64_t)n;
		}
		h ^= count;
		if (write(result_fds[1], &h, sizeof(h)) != sizeof(h))
			_exit(1);
		_exit(0);
	}
	close(data_fds[0]);
	close(result_fds[1]);
	outbuf_init(&ob, data_fds[1]);
	for (i = 0; i < lines; i++)
		outbuf_printf(&ob, "{\"n\":%zu,\"pad\":\"%s\"}\n", i, "xxxxxxxxxxxxxxxxxxxx");
	outbuf_puts(&ob, "tail");
	total = ob.len - 4;
	want = 1469598103934665603ULL;
	for (i = 0; i < total; i++)
		want = (want ^ (unsigned char)ob.data[i]) * 1099511628211ULL;
	want ^= total;
	assert_int_equal(outbuf_flush(&ob), 0);
	assert_contents(&ob, "tail");
	close(data_fds[1]);
	assert_int_equal(read(result_fds[0], &got_sum, sizeof(got_sum)), sizeof(got_sum));
	sum = got_sum;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(sum, want);
	close(result_fds[0]);
	outbuf_free(&ob);
}

static void test_flush_epipe_sticky(void **state)
{
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	struct outbuf ob;
	int fds[2];

	(void)state;
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	close(fds[0]);
	outbuf_init(&ob, fds[1]);
	outbuf_puts(&ob, "x\n");
	assert_int_equal(outbuf_flush(&ob), -EPIPE);
	assert_int_equal(ob.error, EPIPE);
	/* Nothing was written, so nothing was dropped from the buffer. */
	assert_contents(&ob, "x\n");
	assert_int_equal(outbuf_flush(&ob), -EPIPE);
	outbuf_reset(&ob);
	outbuf_puts(&ob, "y\n");
	assert_int_equal(outbuf_flush(&ob), -EPIPE);
	assert_int_equal(ob.error, EPIPE);
	/* Sticky even with nothing to write. */
	outbuf_reset(&ob);
	assert_int_equal(outbuf_flush(&ob), -EPIPE);
	outbuf_free(&ob);
	close(fds[1]);
	signal(SIGPIPE, old);
}

static void test_flush_enospc_sticky(void **state)
{
	struct outbuf ob;
	char got[64];
	int fd = open("/dev/full", O_WRONLY | O_CLOEXEC), fds[2];

	(void)state;
	if (fd < 0)
		skip();
	outbuf_init(&ob, fd);
	outbuf_puts(&ob, "hello\npartial");
	assert_int_equal(outbuf_flush(&ob), -ENOSPC);
	assert_int_equal(ob.error, ENOSPC);
	assert_contents(&ob, "hello\npartial");
	outbuf_puts(&ob, "\n");
	assert_int_equal(outbuf_flush(&ob), -ENOSPC);
	assert_int_equal(ob.error, ENOSPC);

	/* Even once the descriptor would take the data, nothing more is written. */
	assert_int_equal(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
	assert_int_equal(dup3(fds[1], fd, O_CLOEXEC), fd);
	assert_int_equal(outbuf_flush(&ob), -ENOSPC);
	assert_int_equal(drain_fd(fds[0], got, sizeof(got)), 0);
	assert_contents(&ob, "hello\npartial\n");
	outbuf_free(&ob);
	close(fd);
	close(fds[0]);
	close(fds[1]);
}

/* A bad descriptor is an error like any other, and also sticky. */
static void test_flush_ebadf(void **state)
{
	struct outbuf ob;
	int fds[2];

	(void)state;
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	close(fds[0]);
	close(fds[1]);
	outbuf_init(&ob, fds[1]);
	outbuf_puts(&ob, "z\n");
	assert_int_equal(outbuf_flush(&ob), -EBADF);
	assert_int_equal(outbuf_flush(&ob), -EBADF);
	outbuf_free(&ob);
}

/* Lines of exactly 30 bytes: "line 00 xxxxxxxxxxxxxxxxxxxxx\n". */
static void put_lines(struct outbuf *ob, int first, int count)
{
	int i;

	for (i = first; i < first + count; i++)
		outbuf_printf(ob, "line %02d xxxxxxxxxxxxxxxxxxxxx\n", i);
}

/* A temporary file holding `initial`; returns its path in path[] (unlinked by the caller). */
static void make_temp_file(char path[64], const char *initial)
{
	int fd;

	strcpy(path, "/tmp/test_outbuf.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, initial, strlen(initial)) != (ssize_t)strlen(initial))
		_exit(20);
	close(fd);
}

static size_t read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got;

	if (fd < 0)
		_exit(21);
	got = drain_fd(fd, buf, cap);
	close(fd);
	return got;
}

/* Writes past the limit fail with EFBIG after a short write, like ENOSPC on a full disk. */
static void limit_file_size(rlim_t bytes)
{
	struct rlimit rl = { bytes, bytes };

	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &rl))
		_exit(22);
}

static void flush_cut_back(int open_flags, const char *initial)
{
	char path[64], got[1024];
	size_t start = strlen(initial), kept;
	struct outbuf ob;
	int fd;

	make_temp_file(path, initial);
	fd = open(path, O_WRONLY | O_CLOEXEC | open_flags);
	if (fd < 0)
		_exit(23);
	if (!(open_flags & O_APPEND) && lseek(fd, 0, SEEK_END) < 0)
		_exit(24);
	/* Room for 100 bytes: 3 whole lines and 10 bytes of the 4th, then EFBIG. */
	limit_file_size(start + 100);
	outbuf_init(&ob, fd);
	put_lines(&ob, 0, 10);
	outbuf_puts(&ob, "tail");
	if (outbuf_flush(&ob) != -EFBIG || ob.error != EFBIG)
		_exit(25);
	/* The file ends with the 3rd line: no half line. */
	if (read_file(path, got, sizeof(got)) != start + 90)
		_exit(26);
	if (memcmp(got, initial, start) || memcmp(got + start, "line 00 ", 8) ||
	    memcmp(got + start + 60, "line 02 ", 8) || got[start + 89] != '\n')
		_exit(27);
	/* Lines 3..9 and the tail stay buffered as not written. */
	kept = 7 * 30 + 4;
	if (ob.len != kept || memcmp(ob.data, "line 03 ", 8))
		_exit(28);
	/* Sticky: nothing more is written. */
	if (outbuf_flush(&ob) != -EFBIG || read_file(path, got, sizeof(got)) != start + 90)
		_exit(29);
	outbuf_free(&ob);
	close(fd);
	unlink(path);
}

static void flush_cut_back_truncating(void)
{
	flush_cut_back(O_TRUNC, "");
}

static void flush_cut_back_append(void)
{
	flush_cut_back(O_APPEND, "earlier line\n");
}

/* A short write then EFBIG (ENOSPC on a full disk): the file keeps whole lines only. */
static void test_flush_failing_file_cut_to_whole_lines(void **state)
{
	(void)state;
	run_in_child(flush_cut_back_truncating);
	run_in_child(flush_cut_back_append);
}

static void flush_middle_of_file(void)
{
	char path[64], initial[301], got[1024];
	struct outbuf ob;
	int fd;

	memset(initial, 'o', 300);
	initial[299] = '\n';
	initial[300] = '\0';
	make_temp_file(path, initial);
	fd = open(path, O_WRONLY | O_CLOEXEC); /* 1<> file: writing over the start */
	if (fd < 0)
		_exit(30);
	/* 100 bytes may be written at offset 0; the rest of the file lies beyond. */
	limit_file_size(100);
	outbuf_init(&ob, fd);
	put_lines(&ob, 0, 5);
	if (outbuf_flush(&ob) != -EFBIG)
		_exit(31);
	/* Not at the end of the file: nothing is cut, what follows survives. */
	if (read_file(path, got, sizeof(got)) != 300 || memcmp(got, "line 00 ", 8) ||
	    memcmp(got + 100, initial + 100, 200))
		_exit(32);
	outbuf_free(&ob);
	close(fd);
	unlink(path);
}

static void test_flush_failing_file_middle_not_cut(void **state)
{
	(void)state;
	run_in_child(flush_middle_of_file);
}

static void flush_nonblocking_pipe(void)
{
	const size_t lines = 40000; /* 1.2 MB: far more than a pipe holds */
	struct outbuf ob;
	int fds[2], status;
	uint64_t want = 1469598103934665603ULL, got = 0;
	int result[2];
	pid_t pid;
	size_t i;

	if (pipe2(fds, O_CLOEXEC) || pipe2(result, O_CLOEXEC))
		_exit(40);
	pid = fork();
	if (pid < 0)
		_exit(41);
	if (pid == 0) {
		uint64_t h = 1469598103934665603ULL;
		unsigned char buf[4096];
		ssize_t n;

		close(fds[1]);
		usleep(100 * 1000); /* let the writer find the pipe full */
		while ((n = read(fds[0], buf, sizeof(buf))) > 0)
			for (ssize_t k = 0; k < n; k++)
				h = (h ^ buf[k]) * 1099511628211ULL;
		if (write(result[1], &h, sizeof(h)) != sizeof(h))
			_exit(1);
		_exit(0);
	}
	close(fds[0]);
	if (fcntl(fds[1], F_SETFL, O_NONBLOCK))
		_exit(42);
	outbuf_init(&ob, fds[1]);
	for (i = 0; i < lines; i++)
		outbuf_printf(&ob, "line %06zu xxxxxxxxxxxxxxxxxxx\n", i);
	for (i = 0; i < ob.len; i++)
		want = (want ^ (unsigned char)ob.data[i]) * 1099511628211ULL;
	/* EAGAIN is waited out, not an error. */
	if (outbuf_flush(&ob) != 0 || ob.len != 0)
		_exit(43);
	close(fds[1]);
	if (read(result[0], &got, sizeof(got)) != sizeof(got) || got != want)
		_exit(44);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		_exit(45);
	outbuf_free(&ob);
}

/* A non-blocking pipe that fills up: every byte still arrives, in order. */
static void test_flush_nonblocking_pipe(void **state)
{
	(void)state;
	run_in_child(flush_nonblocking_pipe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_growth_single_large_put),
		cmocka_unit_test(test_alloc_failure_sticky),
		cmocka_unit_test(test_put_u64),
		cmocka_unit_test(test_put_u64_matches_printf),
		cmocka_unit_test(test_put_i64),
		cmocka_unit_test(test_pad),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_partial_line),
		cmocka_unit_test(test_flush_memory_only),
		cmocka_unit_test(test_flush_complete_lines),
		cmocka_unit_test(test_flush_fresh_buffer),
		cmocka_unit_test(test_flush_large_batch),
		cmocka_unit_test(test_flush_epipe_sticky),
		cmocka_unit_test(test_flush_enospc_sticky),
		cmocka_unit_test(test_flush_ebadf),
		cmocka_unit_test(test_flush_failing_file_cut_to_whole_lines),
		cmocka_unit_test(test_flush_failing_file_middle_not_cut),
		cmocka_unit_test(test_flush_nonblocking_pipe),
	};

	return cmocka_run_group_tests_name("outbuf", tests, NULL, NULL);
}
