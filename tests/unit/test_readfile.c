// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/readfile.c: whole small files (empty, exactly at the
 * bound, one byte past it, not regular, missing), a file whose size fstat
 * does not know (/proc: st_size 0, read to EOF all the same), and first
 * lines (newline dropped, cut to the buffer, missing file).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "readfile.h"

static char *write_temp(const char *text, size_t len)
{
	char *path = strdup("/tmp/ew-test-readfile-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static void test_small(void **state)
{
	char *path = write_temp("a\0b\nc", 5), *text;
	size_t len;

	(void)state;
	assert_int_equal(readfile_small(path, 100, &text, &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(text, "a\0b\nc", 6); /* and the NUL after */
	free(text);
	unlink(path);
	free(path);

	path = write_temp("", 0);
	assert_int_equal(readfile_small(path, 100, &text, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(text, "");
	free(text);
	unlink(path);
	free(path);
}

static void test_bound(void **state)
{
	char *path = write_temp("0123456789", 10), *text;
	size_t len;

	(void)state;
	assert_int_equal(readfile_small(path, 10, &text, &len), 0);
	assert_int_equal(len, 10);
	assert_string_equal(text, "0123456789");
	free(text);
	text = path; /* must come back NULL */
	assert_int_equal(readfile_small(path, 9, &text, &len), -EFBIG);
	assert_null(text);
	assert_int_equal(len, 0);
	unlink(path);
	free(path);
}

/* st_size is 0 for /proc files: the content is read to EOF, growing the buffer. */
static void test_unknown_size(void **state)
{
	char *text;
	size_t len;

	(void)state;
	assert_int_equal(readfile_small("/proc/self/status", 1 << 20, &text, &len), 0);
	assert_true(len > 100);
	assert_int_equal(strlen(text), len);
	assert_non_null(strstr(text, "\nPid:"));
	free(text);
	/* Past the bound with no size known up front: found while reading. */
	assert_int_equal(readfile_small("/proc/self/status", 64, &text, &len), -EFBIG);
	assert_null(text);
}

static void test_not_readable(void **state)
{
	char *text;
	size_t len;

	(void)state;
	assert_int_equal(readfile_small("/tmp", 100, &text, &len), -EINVAL);
	assert_null(text);
	assert_int_equal(readfile_small("/nonexistent/ew", 100, &text, &len), -ENOENT);
	assert_null(text);
}

static void test_first_line(void **state)
{
	char *path = write_temp("lockdown,capability,bpf\nsecond\n", 32);
	char buf[64], small[9];

	(void)state;
	assert_int_equal(readfile_first_line(path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "lockdown,capability,bpf");
	assert_int_equal(readfile_first_line(path, small, sizeof(small)), 0);
	assert_string_equal(small, "lockdown");
	unlink(path);
	assert_int_equal(readfile_first_line(path, buf, sizeof(buf)), -ENOENT);
	assert_string_equal(buf, "");
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small),	     cmocka_unit_test(test_bound),
		cmocka_unit_test(test_unknown_size), cmocka_unit_test(test_not_readable),
		cmocka_unit_test(test_first_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
