// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/stats.c: every kernel counter has its exact, stable,
 * unique snake_case name (these names are the JSON keys and summary words,
 * so a change is a schema change) and out-of-range counters are "unknown";
 * per-CPU sums; which counters make up stats_lost() (ring full, scratch
 * miss, stash miss, malformed records, and nothing else: execs the filters
 * dropped on purpose are not lost); and which changes stats_loss_grew()
 * reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"
#include "stats.h"

static void test_counter_names_exact(void **state)
{
	static const char *const want[EW_CTR_NR] = {
		[EW_CTR_EXEC_SEEN] = "exec_seen",
		[EW_CTR_FAILED_SEEN] = "failed_seen",
		[EW_CTR_EVENTS_SENT] = "events_sent",
		[EW_CTR_RINGBUF_FULL] = "ringbuf_full",
		[EW_CTR_STASH_FULL] = "stash_full",
		[EW_CTR_STASH_MISS] = "stash_miss",
		[EW_CTR_SCRATCH_MISS] = "scratch_miss",
		[EW_CTR_ARGV_FAULT] = "argv_fault",
		[EW_CTR_FILENAME_FAULT] = "filename_fault",
		[EW_CTR_ARGV_TRUNCATED] = "argv_truncated",
		[EW_CTR_FILTERED] = "filtered",
		[EW_CTR_SUBTREE_FULL] = "subtree_full",
		[EW_CTR_EXIT_SEEN] = "exit_seen",
		[EW_CTR_TAMPER_UNCHECKED] = "tamper_unchecked",
		[EW_CTR_FORK_SEEN] = "fork_seen",
		[EW_CTR_POLICY_KILLED] = "policy_killed",
		[EW_CTR_POLICY_DENIED] = "policy_denied",
		[EW_CTR_POLICY_KILL_FAILED] = "policy_kill_failed",
	};
	int i;

	(void)state;
	assert_int_equal(EW_CTR_NR, 18);
	/* The enum order is the JSON key order: new counters go at the end. */
	assert_int_equal(EW_CTR_EXEC_SEEN, 0);
	assert_int_equal(EW_CTR_ARGV_TRUNCATED, 9);
	assert_int_equal(EW_CTR_FILTERED, 10);
	assert_int_equal(EW_CTR_SUBTREE_FULL, 11);
	assert_int_equal(EW_CTR_EXIT_SEEN, 12);
	assert_int_equal(EW_CTR_TAMPER_UNCHECKED, 13);
	assert_int_equal(EW_CTR_FORK_SEEN, 14);
	assert_int_equal(EW_CTR_POLICY_KILLED, 15);
	assert_int_equal(EW_CTR_POLICY_DENIED, 16);
	assert_int_equal(EW_CTR_POLICY_KILL_FAILED, 17);
	for (i = 0; i < EW_CTR_NR; i++) {
		assert_non_null(want[i]);
		assert_string_equal(stats_counter_name((enum ew_counter)i), want[i]);
	}
}

static void test_counter_names_unique(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < EW_CTR_NR; i++) {
		const char *name = stats_counter_name((enum ew_counter)i);
		size_t k;

		assert_non_null(name);
		assert_true(strlen(name) > 0);
		assert_string_not_equal(name, "unknown");
		for (k = 0; name[k]; k++)
			if (!((name[k] >= 'a' && name[k] <= 'z') || name[k] == '_'))
				fail_msg("counter %d name [%s] is not snake_case", i, name);
		for (j = 0; j < i; j++)
			assert_string_not_equal(name, stats_counter_name((enum ew_counter)j));
	}
}

static void test_counter_name_out_of_range(void **state)
{
	(void)state;
	assert_string_equal(stats_counter_name(EW_CTR_NR), "unknown");
	assert_string_equal(stats_counter_name((enum ew_counter)(EW_CTR_NR + 1)), "unknown");
	assert_string_equal(stats_counter_name((enum ew_counter)1000), "unknown");
	assert_string_equal(stats_counter_name((enum ew_counter) - 1), "unknown");
}

static void test_sum_percpu(void **state)
{
	static const uint64_t values[] = { 1, 2, 3, 1000000000000ULL };
	static const uint64_t wrap[] = { UINT64_MAX, 2 };

	(void)state;
	assert_int_equal(stats_sum_percpu(values, 0), 0);
	assert_int_equal(stats_sum_percpu(values, 1), 1);
	assert_int_equal(stats_sum_percpu(values, 3), 6);
	assert_int_equal(stats_sum_percpu(values, 4), 1000000000006ULL);
	assert_int_equal(stats_sum_percpu(NULL, 0), 0);
	/* Counters are modular: the sum wraps like the kernel's would. */
	assert_int_equal(stats_sum_percpu(wrap, 2), 1);
}

static void test_lost_arithmetic(void **state)
{
	struct stats s;
	int i;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(stats_lost(&s), 0);
	/* Give every counter a distinct bit: the sum shows who contributes. */
	static_assert(EW_CTR_NR * 3 < 58, "one bit per counter, below received's");
	for (i = 0; i < EW_CTR_NR; i++)
		s.kernel[i] = 1ULL << (i * 3);
	s.received = 1ULL << 58;
	s.malformed = 1ULL << 60;
	assert_int_equal(stats_lost(&s), (1ULL << (EW_CTR_RINGBUF_FULL * 3)) +
						 (1ULL << (EW_CTR_SCRATCH_MISS * 3)) +
						 (1ULL << (EW_CTR_STASH_MISS * 3)) + (1ULL << 60));

	memset(&s, 0, sizeof(s));
	s.kernel[EW_CTR_RINGBUF_FULL] = 5;
	s.kernel[EW_CTR_SCRATCH_MISS] = 1;
	s.kernel[EW_CTR_STASH_MISS] = 3;
	s.kernel[EW_CTR_STASH_FULL] = 100; /* shows up as stash_miss if it fails */
	s.kernel[EW_CTR_EXEC_SEEN] = 1000;
	s.kernel[EW_CTR_ARGV_TRUNCATED] = 7;
	/* Filtered on purpose: not loss. Nor are the policy's actions. */
	s.kernel[EW_CTR_FILTERED] = 500;
	s.kernel[EW_CTR_POLICY_KILLED] = 20;
	s.kernel[EW_CTR_POLICY_DENIED] = 30;
	s.kernel[EW_CTR_POLICY_KILL_FAILED] = 40;
	s.received = 990;
	s.malformed = 4;
	assert_int_equal(stats_lost(&s), 13);
}

static void test_loss_grew(void **state)
{
	struct stats before, now;
	int i;

	(void)state;
	memset(&before, 0, sizeof(before));
	before.kernel[EW_CTR_RINGBUF_FULL] = 10;
	before.kernel[EW_CTR_STASH_FULL] = 2;
	before.malformed = 1;
	now = before;
	assert_false(stats_loss_grew(&before, &now));

	/* Each loss counter alone is reported. */
	now = before;
	now.kernel[EW_CTR_RINGBUF_FULL]++;
	assert_true(stats_loss_grew(&before, &now));
	now = before;
	now.kernel[EW_CTR_SCRATCH_MISS]++;
	assert_true(stats_loss_grew(&before, &now));
	now = before;
	now.kernel[EW_CTR_STASH_MISS]++;
	assert_true(stats_loss_grew(&before, &now));
	now = before;
	now.kernel[EW_CTR_STASH_FULL]++;
	assert_true(stats_loss_grew(&before, &now));
	now = before;
	now.malformed++;
	assert_true(stats_loss_grew(&before, &now));

	/* Activity that is not loss is not reported. */
	now = before;
	now.received += 1000;
	for (i = 0; i < EW_CTR_NR; i++)
		if (i != EW_CTR_RINGBUF_FULL && i != EW_CTR_SCRATCH_MISS &&
		    i != EW_CTR_STASH_MISS && i != EW_CTR_STASH_FULL && i != EW_CTR_SUBTREE_FULL)
			now.kernel[i] += 17;
	assert_false(stats_loss_grew(&before, &now));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counter_names_exact),
		cmocka_unit_test(test_counter_names_unique),
		cmocka_unit_test(test_counter_name_out_of_range),
		cmocka_unit_test(test_sum_percpu),
		cmocka_unit_test(test_lost_arithmetic),
		cmocka_unit_test(test_loss_grew),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
