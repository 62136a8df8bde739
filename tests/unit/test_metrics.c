// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/metrics.c: each family has one HELP and one TYPE line
 * before its samples; events by type, drops by cause, loss and every kernel
 * counter by name carry the snapshot's numbers; the ring fill, BPF run
 * times (seconds, fixed notation) and process figures; label values are
 * escaped; no program families without programs, no bpf_stats_enabled when
 * unknown; --syslog drops by cause and the queue's fill, only with --syslog;
 * and a stream that cannot take the text reports -EIO.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "metrics.h"

static char *render(const struct metrics_snapshot *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(metrics_write(out, m), 0);
	fclose(out);
	return text;
}

static void assert_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return;
		p++;
	}
	fail_msg("no line '%s' in:\n%s", line, text);
}

static int count(const char *text, const char *needle)
{
	int n = 0;
	const char *p = text;

	while ((p = strstr(p, needle))) {
		n++;
		p++;
	}
	return n;
}

static void test_counters(void **state)
{
	struct stats s;
	struct metrics_prog progs[2] = {
		{ .name = "exec_success", .run_time_ns = 1500000000ull, .run_cnt = 42 },
		{ .name = "execve_exit", .run_time_ns = 7, .run_cnt = 1 },
	};
	struct metrics_snapshot m = {
		.version = "1.2.3",
		.stats = &s,
		.ring_size_bytes = 8388608,
		.ring_used_bytes = 4096,
		.bpf_stats_enabled = 1,
		.progs = progs,
		.nr_progs = 2,
		.rss_bytes = 12345678,
		.cpu_seconds = 1.25,
		.start_time_seconds = 1700000000.5,
	};
	char *text;
	int i;

	(void)state;
	memset(&s, 0, sizeof(s));
	for (i = 0; i < EW_CTR_NR; i++)
		s.kernel[i] = 100 + (uint64_t)i;
	s.received = 77;
	s.malformed = 3;
	s.stash_swept = 2;
	text = render(&m);

	assert_line(text, "execwatch_build_info{version=\"1.2.3\"} 1");
	assert_line(text, "# TYPE execwatch_events_total counter");
	assert_line(text, "execwatch_events_total{type=\"exec\"} 100");
	assert_line(text, "execwatch_events_total{type=\"failed_exec\"} 101");
	assert_line(text, "execwatch_events_total{type=\"exit\"} 112");
	assert_line(text, "execwatch_events_total{type=\"filtered\"} 110");
	assert_line(text, "execwatch_drops_total{cause=\"ringbuf_full\"} 103");
	assert_line(text, "execwatch_drops_total{cause=\"stash_full\"} 104");
	assert_line(text, "execwatch_drops_total{cause=\"stash_miss\"} 105");
	assert_line(text, "execwatch_drops_total{cause=\"scratch_miss\"} 106");
	assert_line(text, "execwatch_drops_total{cause=\"subtree_full\"} 111");
	assert_line(text, "execwatch_drops_total{cause=\"malformed\"} 3");
	/* lost = ringbuf_full + scratch_miss + stash_miss + malformed */
	assert_line(text, "execwatch_lost_total 317");
	assert_line(text, "execwatch_capture_incomplete_total{kind=\"argv_fault\"} 107");
	assert_line(text, "execwatch_capture_incomplete_total{kind=\"filename_fault\"} 108");
	assert_line(text, "execwatch_capture_incomplete_total{kind=\"argv_truncated\"} 109");
	assert_line(text, "execwatch_policy_actions_total{action=\"killed\"} 115");
	assert_line(text, "execwatch_policy_actions_total{action=\"denied\"} 116");
	assert_line(text, "execwatch_policy_actions_total{action=\"kill_failed\"} 117");
	assert_line(text, "execwatch_stash_swept_total 2");
	assert_line(text, "execwatch_records_sent_total 102");
	assert_line(text, "execwatch_records_received_total 77");
	for (i = 0; i < EW_CTR_NR; i++) {
		char line[128];

		snprintf(line, sizeof(line), "execwatch_kernel_counter_total{counter=\"%s\"} %d",
			 stats_counter_name((enum ew_counter)i), 100 + i);
		assert_line(text, line);
	}
	assert_line(text, "# TYPE execwatch_ringbuf_size_bytes gauge");
	assert_line(text, "execwatch_ringbuf_size_bytes 8388608");
	assert_line(text, "execwatch_ringbuf_used_bytes 4096");
	assert_line(text, "execwatch_bpf_stats_enabled 1");
	assert_line(text,
		    "execwatch_bpf_prog_run_seconds_total{program=\"exec_success\"} 1.500000000");
	assert_line(text, "execwatch_bpf_prog_run_seconds_total{program=\"execve_exit\"} "
			  "0.000000007");
	assert_line(text, "execwatch_bpf_prog_runs_total{program=\"exec_success\"} 42");
	assert_line(text, "execwatch_resident_memory_bytes 12345678");
	assert_line(text, "execwatch_cpu_seconds_total 1.250000000");
	assert_line(text, "execwatch_start_time_seconds 1700000000.500000000");
	/* One HELP and one TYPE per family, and every line ends in a newline. */
	assert_int_equal(count(text, "# HELP "), count(text, "# TYPE "));
	assert_int_equal(count(text, "# HELP execwatch_drops_total "), 1);
	assert_int_equal(text[strlen(text) - 1], '\n');
	free(text);
}

static void test_optional_families_and_escaping(void **state)
{
	struct stats s;
	struct metrics_snapshot m = {
		.version = "v\"1\\2\n",
		.stats = &s,
		.bpf_stats_enabled = -1,
	};
	char *text;

	(void)state;
	memset(&s, 0, sizeof(s));
	text = render(&m);
	assert_line(text, "execwatch_build_info{version=\"v\\\"1\\\\2\\n\"} 1");
	assert_null(strstr(text, "bpf_stats_enabled"));
	assert_null(strstr(text, "bpf_prog_run"));
	assert_null(strstr(text, "syslog")); /* no --syslog: no syslog families */
	assert_line(text, "execwatch_lost_total 0");
	free(text);

	m.version = NULL;
	m.bpf_stats_enabled = 0;
	text = render(&m);
	assert_line(text, "execwatch_build_info{version=\"unknown\"} 1");
	assert_line(text, "execwatch_bpf_stats_enabled 0");
	free(text);
}

/* --syslog: drops by cause in their own family (not drops_total), the queue's fill and bound. */
static void test_syslog(void **state)
{
	struct stats s;
	struct metrics_syslog sl = {
		.sent = 900,
		.dropped = { [SYSLOG_DROP_QUEUE_FULL] = 41,
			     [SYSLOG_DROP_TOO_LARGE] = 2,
			     [SYSLOG_DROP_AT_EXIT] = 5,
			     [SYSLOG_DROP_NO_MEMORY] = 1 },
		.queue_bytes = 65000,
		.queue_messages = 130,
		.queue_peak_bytes = 65400,
		.queue_limit_bytes = 65536,
	};
	struct metrics_snapshot m = { .stats = &s, .syslog = &sl };
	char *text;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.syslog_dropped = 49;
	text = render(&m);
	assert_line(text, "# TYPE execwatch_syslog_dropped_total counter");
	assert_line(text, "execwatch_syslog_dropped_total{cause=\"queue_full\"} 41");
	assert_line(text, "execwatch_syslog_dropped_total{cause=\"too_large\"} 2");
	assert_line(text, "execwatch_syslog_dropped_total{cause=\"at_exit\"} 5");
	assert_line(text, "execwatch_syslog_dropped_total{cause=\"no_memory\"} 1");
	assert_int_equal(count(text, "execwatch_syslog_dropped_total{"), SYSLOG_DROP_NR);
	assert_line(text, "execwatch_syslog_sent_total 900");
	assert_line(text, "# TYPE execwatch_syslog_queue_bytes gauge");
	assert_line(text, "execwatch_syslog_queue_bytes 65000");
	assert_line(text, "execwatch_syslog_queue_messages 130");
	assert_line(text, "# TYPE execwatch_syslog_queue_peak_bytes gauge");
	assert_line(text, "execwatch_syslog_queue_peak_bytes 65400");
	assert_line(text, "execwatch_syslog_queue_limit_bytes 65536");
	/* Lost execs stay what drops_total and lost_total count. */
	assert_null(strstr(text, "execwatch_drops_total{cause=\"syslog"));
	assert_line(text, "execwatch_lost_total 0");
	assert_int_equal(count(text, "# HELP "), count(text, "# TYPE "));
	free(text);
}

static void test_stream_error(void **state)
{
	struct stats s;
	struct metrics_snapshot m = { .stats = &s };
	char small[64];
	FILE *out;

	(void)state;
	memset(&s, 0, sizeof(s));
	out = fmemopen(small, sizeof(small), "w");
	assert_non_null(out);
	setvbuf(out, NULL, _IONBF, 0);
	assert_int_equal(metrics_write(out, &m), -EIO);
	fclose(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_optional_families_and_escaping),
		cmocka_unit_test(test_syslog),
		cmocka_unit_test(test_stream_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
