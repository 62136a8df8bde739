// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/rfc5424.c: a whole message byte for byte, the
 * timestamp's microseconds (RFC 5424 allows at most six digits) and its
 * edges, header fields sanitized to PRINTUSASCII (a hostile host name cannot
 * add a field or a line), a hostile argv that stays one line once json.c has
 * escaped it, facility names and numbers, and every accepted and refused
 * shape of a --syslog URL. (The RFC 6587 frame is sink_syslog.c's, tested
 * there end to end.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <errno.h>

#include <cmocka.h>

#include "json.h"
#include "rfc5424.h"

#define assert_ob(ob, literal)                            \
	do {                                              \
		outbuf_putc((ob), '\0');                  \
		assert_string_equal((ob)->data, literal); \
		(ob)->len--;                              \
	} while (0)

/* 2026-11-25T01:02:03.456789123Z */
#define T0 1795568523456789123LL

static void test_message(void **state)
{
	struct rfc5424_origin o;
	struct outbuf ob;

	(void)state;
	rfc5424_origin_init(&o, RFC5424_DEFAULT_FACILITY, "web-1.example", 4242);
	outbuf_init(&ob, -1);
	rfc5424_format(&ob, &o, RFC5424_SEVERITY_INFO, T0, "exec", 7, "{\"a\":1}", 7);
	assert_ob(&ob, "<86>1 2026-11-25T01:02:03.456789Z web-1.example execwatch 4242 exec "
		       "[meta sequenceId=\"7\"] {\"a\":1}");
	outbuf_reset(&ob);
	rfc5424_origin_init(&o, 23, "h", 1);
	rfc5424_format(&ob, &o, 3, T0, "exit", 2147483647u, "{}", 2);
	assert_ob(&ob, "<187>1 2026-11-25T01:02:03.456789Z h execwatch 1 exit "
		       "[meta sequenceId=\"2147483647\"] {}");
	outbuf_free(&ob);
}

static void test_timestamp(void **state)
{
	char ts[40];

	(void)state;
	rfc5424_timestamp(ts, sizeof(ts), 0);
	assert_string_equal(ts, "1970-01-01T00:00:00.000000Z");
	rfc5424_timestamp(ts, sizeof(ts), 999);
	assert_string_equal(ts, "1970-01-01T00:00:00.000000Z"); /* truncated, never rounded up */
	rfc5424_timestamp(ts, sizeof(ts), 1999999999);
	assert_string_equal(ts, "1970-01-01T00:00:01.999999Z");
	rfc5424_timestamp(ts, sizeof(ts), -1);
	assert_string_equal(ts, "1969-12-31T23:59:59.999999Z");
	rfc5424_timestamp(ts, sizeof(ts), T0);
	assert_string_equal(ts, "2026-11-25T01:02:03.456789Z");
	rfc5424_timestamp(ts, sizeof(ts), INT64_MAX); /* year 2262: still fine */
	assert_string_equal(ts, "2262-04-11T23:47:16.854775Z");
}

static void test_hostile_header_fields(void **state)
{
	struct rfc5424_origin o;
	struct outbuf ob;
	char long_name[400];

	(void)state;
	rfc5424_origin_init(&o, 10, "evil host\n<13>1 forged", 1);
	assert_string_equal(o.hostname, "evil_host_<13>1_forged");
	rfc5424_origin_init(&o, 10, "", 1);
	assert_string_equal(o.hostname, "-");
	rfc5424_origin_init(&o, 10, "caf\xc3\xa9", 1);
	assert_string_equal(o.hostname, "caf__");
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	rfc5424_origin_init(&o, 10, long_name, 1);
	assert_int_equal(strlen(o.hostname), RFC5424_HOSTNAME_MAX);
	outbuf_init(&ob, -1);
	rfc5424_format(&ob, &o, 6, 0, "ex ec\n", 1, "{}", 2);
	outbuf_putc(&ob, '\0');
	assert_non_null(strstr(ob.data, " ex_ec_ [meta"));
	outbuf_free(&ob);
}

/* An argv with a newline, a CR, NUL, ']' and a frame-like prefix: one line, no control byte. */
static void test_hostile_msg_is_one_line(void **state)
{
	static const char argv[] = "x\n<13>1 - - - - - forged\r\n12 ]\"\\\x1b[2J\0end";
	struct rfc5424_origin o;
	struct outbuf json, ob;
	size_t i;

	(void)state;
	outbuf_init(&json, -1);
	outbuf_puts(&json, "{\"argv\":[");
	json_put_string(&json, argv, sizeof(argv) - 1);
	outbuf_puts(&json, "]}");
	rfc5424_origin_init(&o, 10, "h", 1);
	outbuf_init(&ob, -1);
	rfc5424_format(&ob, &o, 6, T0, "exec", 1, json.data, json.len);
	for (i = 0; i < ob.len; i++)
		assert_true((unsigned char)ob.data[i] >= 0x20 && ob.data[i] != 0x7f);
	outbuf_putc(&ob, '\0');
	assert_non_null(strstr(ob.data, "\\n<13>1 - - - - - forged\\r\\n12 ]\\\"\\\\\\u001b[2J"
					"\\u0000end"));
	outbuf_free(&json);
	outbuf_free(&ob);
}

static void test_facility(void **state)
{
	int f = -1;

	(void)state;
	assert_int_equal(rfc5424_parse_facility("authpriv", &f), 0);
	assert_int_equal(f, 10);
	assert_int_equal(rfc5424_parse_facility("kern", &f), 0);
	assert_int_equal(f, 0);
	assert_int_equal(rfc5424_parse_facility("local7", &f), 0);
	assert_int_equal(f, 23);
	assert_int_equal(rfc5424_parse_facility("daemon", &f), 0);
	assert_int_equal(f, 3);
	assert_int_equal(rfc5424_parse_facility("16", &f), 0);
	assert_int_equal(f, 16);
	assert_int_equal(rfc5424_parse_facility("24", &f), -EINVAL);
	assert_int_equal(rfc5424_parse_facility("-1", &f), -EINVAL);
	assert_int_equal(rfc5424_parse_facility("1x", &f), -EINVAL);
	assert_int_equal(rfc5424_parse_facility("AUTHPRIV", &f), -EINVAL);
	assert_int_equal(rfc5424_parse_facility("", &f), -EINVAL);
}

static void test_url_ok(void **state)
{
	struct syslog_url u;
	char msg[256];

	(void)state;
	assert_int_equal(syslog_parse_url("tcp://127.0.0.1:514", &u, msg, sizeof(msg)), 0);
	assert_int_equal(u.transport, SYSLOG_TCP);
	assert_string_equal(u.host, "127.0.0.1");
	assert_string_equal(u.port, "514");
	assert_int_equal(syslog_parse_url("udp://logs.example:65535", &u, msg, sizeof(msg)), 0);
	assert_int_equal(u.transport, SYSLOG_UDP);
	assert_string_equal(u.host, "logs.example");
	assert_string_equal(u.port, "65535");
	assert_int_equal(syslog_parse_url("tcp://[::1]:6514", &u, msg, sizeof(msg)), 0);
	assert_string_equal(u.host, "::1");
	assert_string_equal(u.port, "6514");
	assert_int_equal(syslog_parse_url("unix:///dev/log", &u, msg, sizeof(msg)), 0);
	assert_int_equal(u.transport, SYSLOG_UNIX);
	assert_string_equal(u.path, "/dev/log");
}

static void test_url_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"tcp://",
		"tcp://host",
		"tcp://:514",
		"tcp://host:",
		"tcp://host:0",
		"tcp://host:65536",
		"tcp://host:-1",
		"tcp://host:514/path",
		"tcp://host:514x",
		"tcp://::1:514",
		"tcp://[::1]514",
		"udp://a/b:514",
		"http://host:514",
		"TCP://host:514",
		"unix://relative/path",
		"unix://",
		"/dev/log",
	};
	struct syslog_url u;
	char msg[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg[0] = '\0';
		if (syslog_parse_url(bad[i], &u, msg, sizeof(msg)) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_non_null(strstr(msg, "--syslog"));
	}
	{
		char longpath[200] = "unix:///";

		memset(longpath + 8, 'a', 150);
		longpath[158] = '\0';
		assert_int_equal(syslog_parse_url(longpath, &u, msg, sizeof(msg)), -EINVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_timestamp),
		cmocka_unit_test(test_hostile_header_fields),
		cmocka_unit_test(test_hostile_msg_is_one_line),
		cmocka_unit_test(test_facility),
		cmocka_unit_test(test_url_ok),
		cmocka_unit_test(test_url_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
