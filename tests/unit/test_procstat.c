// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/procstat.c: fields found after the LAST ')' (a comm may
 * hold spaces and parentheses), several fields from one text in any order,
 * malformed lines refused, and this process's own /proc/self/stat.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

#include "procstat.h"

/* pid 4242, comm "a) (b c)", state S, ppid 17, ..., field 22 (starttime) 987654. */
static const char stat_line[] = "4242 (a) (b c)) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 "
				"20 0 1 0 987654 1000 200\n";

static void test_parse(void **state)
{
	const int fields[] = { 22, 4, 4 };
	uint64_t values[3] = { 0 };
	const int state_field = 3;
	uint64_t v;

	(void)state;
	assert_int_equal(procstat_parse(stat_line, fields, values, 3), 0);
	assert_int_equal(values[0], 987654);
	assert_int_equal(values[1], 17);
	assert_int_equal(values[2], 17);
	/* Field 3 is the state letter: not a number. */
	assert_int_equal(procstat_parse(stat_line, &state_field, &v, 1), -EIO);
}

static void test_state(void **state)
{
	char letter = 0;
	const int fields[] = { 4, 22 };
	uint64_t values[2] = { 0 };

	(void)state;
	assert_int_equal(procstat_parse_state(stat_line, &letter), 0);
	assert_int_equal(letter, 'S');
	assert_int_equal(procstat_parse_state("7 (x) Z 1 7", &letter), 0);
	assert_int_equal(letter, 'Z');
	/* A comm ending in ") Z" does not fool it: the last ')' counts. */
	assert_int_equal(procstat_parse_state("7 (a) Z) R 1 7", &letter), 0);
	assert_int_equal(letter, 'R');
	assert_int_equal(procstat_parse_state("7 (x)", &letter), -EIO);
	assert_int_equal(procstat_parse_state("7 (x) ", &letter), -EIO);
	assert_int_equal(procstat_parse_state("no parenthesis", &letter), -EIO);
	/* This process: running, its ppid, from one read. */
	assert_int_equal(procstat_sample("/proc", "self", &letter, fields, values, 2), 0);
	assert_int_equal(letter, 'R');
	assert_int_equal(values[0], (uint64_t)getppid());
	assert_int_equal(procstat_sample("/nonexistent", "self", &letter, fields, values, 2),
			 -ENOENT);
}

static void test_malformed(void **state)
{
	const int ppid = 4, comm = 2, far = 60;
	uint64_t v;

	(void)state;
	assert_int_equal(procstat_parse("4242 no parenthesis S 17", &ppid, &v, 1), -EIO);
	assert_int_equal(procstat_parse(stat_line, &comm, &v, 1), -EIO);
	assert_int_equal(procstat_parse(stat_line, &far, &v, 1), -EIO);
	assert_int_equal(procstat_parse("1 (x) S", &ppid, &v, 1), -EIO);
}

static void test_self(void **state)
{
	const int fields[] = { 4, 22 };
	uint64_t values[2] = { 0 }, ppid = 0;

	(void)state;
	assert_int_equal(procstat_fields("/proc", "self", fields, values, 2), 0);
	assert_int_equal(values[0], (uint64_t)getppid());
	assert_true(values[1] > 0);
	assert_int_equal(procstat_field("/proc", "self", 4, &ppid), 0);
	assert_int_equal(ppid, values[0]);
	assert_int_equal(procstat_field("/nonexistent", "self", 4, &ppid), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
