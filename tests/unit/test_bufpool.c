// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/bufpool.c, the recycled string buffers behind the
 * process table's exe and argv copies.
 *
 * Copies are exact and NUL-terminated, embedded NULs included, at every
 * length around the class sizes (a power of two, less 2, less 1 and itself,
 * from 32 bytes to 64 KiB) and beyond the largest class. A buffer given back is handed out
 * again for a copy of the same class and never for another class; a
 * steady state of copies and puts makes no allocation; the free buffers of
 * a class stop at BUFPOOL_CLASS_BYTES (at least 4), the rest are freed. A
 * use after bufpool__put() is caught by AddressSanitizer in the test build
 * (run in a child, which must die). NULL bytes give NULL; NULL puts are
 * ignored; bufpool__clear() empties the pool (ASan's leak check at exit
 * would report what it kept).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "bufpool.h"

/* len bytes of a pattern that depends on len and holds NULs. */
static void fill_pattern(char *dst, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		dst[i] = (char)(i % 7 == 3 ? 0 : 'a' + (i * 31 + len) % 26);
}

static void expect_copy(struct bufpool *pool, size_t len)
{
	char *src = malloc(len + 1), *copy;

	assert_non_null(src);
	fill_pattern(src, len);
	copy = bufpool__dup(pool, src, len);
	assert_non_null(copy);
	if (len)
		assert_memory_equal(copy, src, len);
	assert_int_equal(copy[len], '\0');
	bufpool__put(pool, copy);
	free(src);
}

static void test_copies_exact(void **state)
{
	struct bufpool pool = {};
	size_t size, round;

	(void)state;
	/* Twice: the second round takes the recycled buffers. */
	for (round = 0; round < 2; round++) {
		expect_copy(&pool, 0);
		expect_copy(&pool, 1);
		/* Around every class size (a copy needs len + 1) and past the largest. */
		for (size = 32; size <= 65536; size *= 2) {
			expect_copy(&pool, size - 2);
			expect_copy(&pool, size - 1);
			expect_copy(&pool, size);
		}
		expect_copy(&pool, 100000);
	}
	bufpool__clear(&pool);
}

static void test_reuse_same_class_only(void **state)
{
	struct bufpool pool = {};
	char *a, *b, *c;

	(void)state;
	/* 31 bytes and the NUL: the 32-byte class; 32 bytes need the 64-byte one. */
	a = bufpool__dup(&pool, "0123456789012345678901234567890", 31);
	bufpool__put(&pool, a);
	b = bufpool__dup(&pool, "01234567890123456789012345678901", 32);
	assert_ptr_not_equal(a, b);
	c = bufpool__dup(&pool, "x", 1);
	assert_ptr_equal(a, c);
	assert_string_equal(c, "x");
	assert_int_equal(pool.allocations, 2);
	bufpool__put(&pool, b);
	bufpool__put(&pool, c);
	bufpool__clear(&pool);
}

/* The reader's steady state: an exec's two copies, an exit's two puts. */
static void test_steady_state_allocates_nothing(void **state)
{
	struct bufpool pool = {};
	char exe[64], argv[200];
	char *live[16][2] = {};
	uint64_t warm = 0;
	unsigned int i;

	(void)state;
	fill_pattern(argv, sizeof(argv));
	for (i = 0; i < 1000000; i++) {
		unsigned int slot = i % 16;
		int n = snprintf(exe, sizeof(exe), "/usr/bin/prog-%u", i);

		bufpool__put(&pool, live[slot][0]);
		bufpool__put(&pool, live[slot][1]);
		live[slot][0] = bufpool__dup(&pool, exe, (size_t)n);
		live[slot][1] = bufpool__dup(&pool, argv, 20 + i % 180);
		assert_non_null(live[slot][0]);
		assert_non_null(live[slot][1]);
		/* After a full cycle of argv lengths (180 execs) and more. */
		if (i == 1000)
			warm = pool.allocations;
	}
	/* 16 live pairs, argv in 4 classes: nothing after the warm-up. */
	assert_true(warm <= 16 * 5);
	assert_int_equal(pool.allocations, warm);
	for (i = 0; i < 16; i++) {
		bufpool__put(&pool, live[i][0]);
		bufpool__put(&pool, live[i][1]);
	}
	bufpool__clear(&pool);
}

static void test_free_buffers_bounded(void **state)
{
	struct bufpool pool = {};
	static char *bufs[5000];
	static char bytes[16000];
	unsigned int i;

	(void)state;
	fill_pattern(bytes, sizeof(bytes));
	/* 5000 copies of 100 bytes (the 128-byte class) given back at once. */
	for (i = 0; i < 5000; i++)
		bufs[i] = bufpool__dup(&pool, bytes, 100);
	for (i = 0; i < 5000; i++)
		bufpool__put(&pool, bufs[i]);
	assert_int_equal(pool.nr_free[2], BUFPOOL_CLASS_BYTES / 128);
	/* The largest class keeps its minimum of 4. */
	for (i = 0; i < 10; i++)
		bufs[i] = bufpool__dup(&pool, bytes, sizeof(bytes));
	for (i = 0; i < 10; i++)
		bufpool__put(&pool, bufs[i]);
	assert_int_equal(pool.nr_free[BUFPOOL_CLASSES - 1], 4);
	bufpool__clear(&pool);
	for (i = 0; i < BUFPOOL_CLASSES; i++) {
		assert_null(pool.free[i]);
		assert_int_equal(pool.nr_free[i], 0);
	}
}

static void test_null(void **state)
{
	struct bufpool pool = {};

	(void)state;
	assert_null(bufpool__dup(&pool, NULL, 5));
	bufpool__put(&pool, NULL);
	assert_int_equal(pool.allocations, 0);
	bufpool__clear(&pool);
}

/* A write through a pointer given back must be reported, as after free(). */
static void test_use_after_put_caught(void **state)
{
	int status = 0;
	pid_t pid;

	(void)state;
#if !defined(__SANITIZE_ADDRESS__)
	skip();
#endif
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct bufpool pool = {};
		char *volatile stale = bufpool__dup(&pool, "/bin/sh", 7);

		/* The report is the expected outcome: keep it out of the test log. */
		if (!freopen("/dev/null", "w", stderr))
			_exit(3);
		bufpool__put(&pool, stale);
		stale[2] = 'X';
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		fail_msg("a write into a buffer given back went unnoticed");
	assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copies_exact),
		cmocka_unit_test(test_reuse_same_class_only),
		cmocka_unit_test(test_steady_state_allocates_nothing),
		cmocka_unit_test(test_free_buffers_bounded),
		cmocka_unit_test(test_null),
		cmocka_unit_test(test_use_after_put_caught),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
