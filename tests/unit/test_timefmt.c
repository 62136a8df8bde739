// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/timefmt.c: boot-time to wall-clock conversion, RFC 3339
 * UTC stamps with nanoseconds (the epoch, a known 2026 instant, times before
 * 1970 where division must floor, the int64 extremes), the local HH:MM:SS.mmm
 * clock under fixed time zones, and the per-second cache: the same second
 * with other nanoseconds, the next second, going back, and the UTC and local
 * caches not leaking into each other. timefmt_sample_offset() is checked
 * against the clocks it samples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "outbuf.h"
#include "timefmt.h"

#define NS 1000000000LL
/* 2026-11-24T21:50:13Z */
#define T2026 1795557013LL

static char text[64];

static const char *rfc3339(struct timefmt *tf, int64_t wall_ns)
{
	struct outbuf ob;

	outbuf_init(&ob, -1);
	timefmt_put_rfc3339(tf, &ob, wall_ns);
	assert_true(ob.len < sizeof(text));
	memcpy(text, ob.data, ob.len);
	text[ob.len] = '\0';
	outbuf_free(&ob);
	return text;
}

static const char *clock_text(struct timefmt *tf, int64_t wall_ns)
{
	struct outbuf ob;

	outbuf_init(&ob, -1);
	timefmt_put_clock(tf, &ob, wall_ns);
	assert_true(ob.len < sizeof(text));
	memcpy(text, ob.data, ob.len);
	text[ob.len] = '\0';
	outbuf_free(&ob);
	return text;
}

static void set_tz(const char *tz)
{
	assert_int_equal(setenv("TZ", tz, 1), 0);
	tzset();
}

static int setup_utc(void **state)
{
	(void)state;
	set_tz("UTC");
	return 0;
}

static void test_init(void **state)
{
	struct timefmt tf;

	(void)state;
	memset(&tf, 0x77, sizeof(tf));
	timefmt_init(&tf, -5);
	assert_int_equal(tf.realtime_minus_boot_ns, -5);
	assert_int_equal(tf.cached_utc_sec, INT64_MIN);
	assert_int_equal(tf.cached_local_sec, INT64_MIN);
}

static void test_wall_ns(void **state)
{
	struct timefmt tf;

	(void)state;
	timefmt_init(&tf, 0);
	assert_int_equal(timefmt_wall_ns(&tf, 0), 0);
	assert_int_equal(timefmt_wall_ns(&tf, 123), 123);
	timefmt_init(&tf, T2026 * NS);
	assert_int_equal(timefmt_wall_ns(&tf, 5 * NS + 7), (T2026 + 5) * NS + 7);
	timefmt_init(&tf, -1000);
	assert_int_equal(timefmt_wall_ns(&tf, 400), -600);
}

static void test_rfc3339_epoch(void **state)
{
	struct timefmt tf;

	(void)state;
	timefmt_init(&tf, 0);
	assert_string_equal(rfc3339(&tf, 0), "\"1970-01-01T00:00:00.000000000Z\"");
	assert_string_equal(rfc3339(&tf, 1), "\"1970-01-01T00:00:00.000000001Z\"");
	assert_string_equal(rfc3339(&tf, NS - 1), "\"1970-01-01T00:00:00.999999999Z\"");
	assert_string_equal(rfc3339(&tf, NS), "\"1970-01-01T00:00:01.000000000Z\"");
}

static void test_rfc3339_2026(void **state)
{
	struct timefmt tf;

	(void)state;
	timefmt_init(&tf, 0);
	assert_string_equal(rfc3339(&tf, T2026 * NS + 123456789),
			    "\"2026-11-24T21:50:13.123456789Z\"");
	assert_string_equal(rfc3339(&tf, 1767225600LL * NS + 5),
			    "\"2026-01-01T00:00:00.000000005Z\"");
	/* Leap day. */
	assert_string_equal(rfc3339(&tf, 1709164800LL * NS), "\"2024-02-29T00:00:00.000000000Z\"");
	/* Through the offset, as output_*_exec use it. */
	timefmt_init(&tf, T2026 * NS);
	assert_string_equal(rfc3339(&tf, timefmt_wall_ns(&tf, 123456789)),
			    "\"2026-11-24T21:50:13.123456789Z\"");
}

static void test_rfc3339_before_1970(void **state)
{
	struct timefmt tf;

	(void)state;
	timefmt_init(&tf, 0);
	assert_string_equal(rfc3339(&tf, -1), "\"1969-12-31T23:59:59.999999999Z\"");
	assert_string_equal(rfc3339(&tf, -NS), "\"1969-12-31T23:59:59.000000000Z\"");
	assert_string_equal(rfc3339(&tf, -NS - 1), "\"1969-12-31T23:59:58.999999999Z\"");
	assert_string_equal(rfc3339(&tf, -NS + 1), "\"1969-12-31T23:59:59.000000001Z\"");
	assert_string_equal(rfc3339(&tf, -500000000), "\"1969-12-31T23:59:59.500000000Z\"");
	/* Apollo 11 landing, 1969-07-20T20:17:40Z. */
	assert_string_equal(rfc3339(&tf, -14182940LL * NS + 250000000),
			    "\"1969-07-20T20:17:40.250000000Z\"");
}

static void test_rfc3339_extremes(void **state)
{
	struct timefmt tf;

	(void)state;
	timefmt_init(&tf, 0);
	assert_string_equal(rfc3339(&tf, INT64_MAX), "\"2262-04-11T23:47:16.854775807Z\"");
	assert_string_equal(rfc3339(&tf, INT64_MIN), "\"1677-09-21T00:12:43.145224192Z\"");
}

static void test_rfc3339_cache(void **state)
{
	struct timefmt tf;

	(void)state;
	timefmt_init(&tf, 0);
	assert_string_equal(rfc3339(&tf, T2026 * NS), "\"2026-11-24T21:50:13.000000000Z\"");
	assert_int_equal(tf.cached_utc_sec, T2026);
	/* Same second, other nanoseconds: the cached part, the new fraction. */
	assert_string_equal(rfc3339(&tf, T2026 * NS + 999999999),
			    "\"2026-11-24T21:50:13.999999999Z\"");
	/* Next second. */
	assert_string_equal(rfc3339(&tf, (T2026 + 1) * NS), "\"2026-11-24T21:50:14.000000000Z\"");
	assert_int_equal(tf.cached_utc_sec, T2026 + 1);
	/* Back again (a clock step). */
	assert_string_equal(rfc3339(&tf, T2026 * NS + 1), "\"2026-11-24T21:50:13.000000001Z\"");
	/* A far jump, and across midnight / year. */
	assert_string_equal(rfc3339(&tf, 1767225599LL * NS), "\"2025-12-31T23:59:59.000000000Z\"");
	assert_string_equal(rfc3339(&tf, 1767225600LL * NS), "\"2026-01-01T00:00:00.000000000Z\"");
	/* Negative seconds share nothing with positive ones. */
	assert_string_equal(rfc3339(&tf, -1), "\"1969-12-31T23:59:59.999999999Z\"");
	assert_string_equal(rfc3339(&tf, 1), "\"1970-01-01T00:00:00.000000001Z\"");
}

static void test_clock_utc(void **state)
{
	struct timefmt tf;

	(void)state;
	set_tz("UTC");
	timefmt_init(&tf, 0);
	assert_string_equal(clock_text(&tf, 0), "00:00:00.000");
	assert_string_equal(clock_text(&tf, T2026 * NS + 123456789), "21:50:13.123");
	assert_string_equal(clock_text(&tf, T2026 * NS + 999999999), "21:50:13.999");
	assert_string_equal(clock_text(&tf, T2026 * NS + 999999), "21:50:13.000");
	assert_string_equal(clock_text(&tf, (T2026 + 1) * NS + 1000000), "21:50:14.001");
	assert_string_equal(clock_text(&tf, -1), "23:59:59.999");
}

static void test_clock_time_zone(void **state)
{
	struct timefmt tf;

	(void)state;
	set_tz("XST-2"); /* POSIX: two hours east of UTC */
	timefmt_init(&tf, 0);
	assert_string_equal(clock_text(&tf, T2026 * NS + 5000000), "23:50:13.005");
	set_tz("YST+10");
	timefmt_init(&tf, 0);
	assert_string_equal(clock_text(&tf, T2026 * NS), "11:50:13.000");
	/* RFC 3339 stays UTC whatever TZ says. */
	assert_string_equal(rfc3339(&tf, T2026 * NS), "\"2026-11-24T21:50:13.000000000Z\"");
	set_tz("UTC");
}

/* The UTC and local caches are separate: one never answers for the other. */
static void test_caches_independent(void **state)
{
	struct timefmt tf;

	(void)state;
	set_tz("XST-2");
	timefmt_init(&tf, 0);
	assert_string_equal(clock_text(&tf, T2026 * NS), "23:50:13.000");
	assert_string_equal(rfc3339(&tf, T2026 * NS), "\"2026-11-24T21:50:13.000000000Z\"");
	assert_string_equal(clock_text(&tf, T2026 * NS + 1000000), "23:50:13.001");
	assert_string_equal(rfc3339(&tf, (T2026 + 1) * NS), "\"2026-11-24T21:50:14.000000000Z\"");
	assert_string_equal(clock_text(&tf, T2026 * NS + 2000000), "23:50:13.002");
	assert_int_equal(tf.cached_local_sec, T2026);
	assert_int_equal(tf.cached_utc_sec, T2026 + 1);
	set_tz("UTC");
}

/* Appends after what is in the buffer. */
static void test_appends(void **state)
{
	struct timefmt tf;
	struct outbuf ob;

	(void)state;
	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	outbuf_puts(&ob, "t=");
	timefmt_put_rfc3339(&tf, &ob, 0);
	outbuf_putc(&ob, ' ');
	timefmt_put_clock(&tf, &ob, 0);
	assert_int_equal(ob.len, 2 + 32 + 1 + 12);
	assert_memory_equal(ob.data, "t=\"1970-01-01T00:00:00.000000000Z\" 00:00:00.000", ob.len);
	outbuf_free(&ob);
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	assert_int_equal(clock_gettime(id, &ts), 0);
	return ts.tv_sec * NS + ts.tv_nsec;
}

static void test_sample_offset(void **state)
{
	int64_t before, offset, after;

	(void)state;
	before = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	offset = timefmt_sample_offset();
	after = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	/* Within 50 ms of two independent samples (no clock step expected). */
	assert_true(llabs(offset - before) < 50000000);
	assert_true(llabs(offset - after) < 50000000);
	/* And so "now" in boot time maps to "now" in real time. */
	{
		struct timefmt tf;
		int64_t wall;

		timefmt_init(&tf, offset);
		wall = timefmt_wall_ns(&tf, (uint64_t)clock_ns(CLOCK_BOOTTIME));
		assert_true(llabs(wall - clock_ns(CLOCK_REALTIME)) < 50000000);
	}
}

static void wall_ns_garbage_boot_time(void)
{
	struct timefmt tf;
	struct outbuf ob;

	/* A corrupt record's boot_ns near 2^63 with a 2026 offset. */
	timefmt_init(&tf, T2026 * NS);
	outbuf_init(&ob, -1);
	timefmt_put_rfc3339(&tf, &ob, timefmt_wall_ns(&tf, (uint64_t)INT64_MAX - 5));
	outbuf_free(&ob);
}

/*
 * boot_ns comes from the ring buffer unvalidated: a garbage value must give
 * some time stamp, not signed overflow (UBSan stops the child on it).
 */
static void test_wall_ns_no_overflow(void **state)
{
	int status = 0;
	pid_t pid;

	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		wall_ns_garbage_boot_time();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("timefmt_wall_ns(offset %lld, boot_ns INT64_MAX-5) overflowed "
			 "(status 0x%x)",
			 T2026 * NS, status);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_wall_ns),
		cmocka_unit_test(test_rfc3339_epoch),
		cmocka_unit_test(test_rfc3339_2026),
		cmocka_unit_test(test_rfc3339_before_1970),
		cmocka_unit_test(test_rfc3339_extremes),
		cmocka_unit_test(test_rfc3339_cache),
		cmocka_unit_test(test_clock_utc),
		cmocka_unit_test(test_clock_time_zone),
		cmocka_unit_test(test_caches_independent),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_sample_offset),
		cmocka_unit_test(test_wall_ns_no_overflow),
	};

	return cmocka_run_group_tests_name("timefmt", tests, setup_utc, NULL);
}
