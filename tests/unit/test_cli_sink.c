// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the destination options of src/cli.c (issue 8): --output,
 * --output-mode, --rotate-size, --rotate-keep, --syslog, --syslog-facility
 * and --syslog-buffer: their defaults, accepted values, and every refused
 * value or combination as a usage error that names the option. Kept apart
 * from test_cli.c so the two can change without touching each other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

struct parsed {
	enum cli_result result;
	struct config cfg;
	char err[1024];
};

/* cli_parse on "execwatch" + the NULL-terminated arguments. */
static struct parsed parse(const char *first, ...)
{
	static char *argv[32];
	static char storage[32][256];
	struct parsed p;
	const char *arg;
	FILE *out, *err;
	int argc = 0;
	va_list ap;

	memset(&p, 0, sizeof(p));
	argv[argc++] = strcpy(storage[0], "execwatch");
	va_start(ap, first);
	for (arg = first; arg; arg = va_arg(ap, const char *)) {
		argv[argc] = strcpy(storage[argc], arg);
		argc++;
	}
	va_end(ap);
	argv[argc] = NULL;
	out = fopen("/dev/null", "w");
	err = fmemopen(p.err, sizeof(p.err) - 1, "w");
	memset(&p.cfg, 0xa5, sizeof(p.cfg));
	p.result = cli_parse(argc, argv, &p.cfg, out, err);
	fclose(out);
	fclose(err);
	return p;
}

static void assert_usage(const struct parsed *p, const char *needle)
{
	assert_int_equal(p->result, CLI_EXIT_USAGE);
	if (!strstr(p->err, needle))
		fail_msg("'%s' not in: %s", needle, p->err);
}

static void test_defaults(void **state)
{
	struct parsed p = parse(NULL);

	(void)state;
	assert_int_equal(p.result, CLI_RUN);
	assert_null(p.cfg.output_path);
	assert_int_equal(p.cfg.output_mode, 0600);
	assert_int_equal(p.cfg.rotate_bytes, 0);
	assert_int_equal(p.cfg.rotate_keep, 0);
	assert_null(p.cfg.syslog_url);
	assert_int_equal(p.cfg.syslog_facility, 10);
	assert_int_equal(p.cfg.syslog_buffer_bytes, 4 * 1024 * 1024);
}

static void test_output_options(void **state)
{
	struct parsed p = parse("--output", "/var/log/x.json", "--output-mode", "0640",
				"--rotate-size", "100M", "--rotate-keep", "7", NULL);

	(void)state;
	assert_int_equal(p.result, CLI_RUN);
	assert_string_equal(p.cfg.output_path, "/var/log/x.json");
	assert_int_equal(p.cfg.output_mode, 0640);
	assert_int_equal(p.cfg.rotate_bytes, 100u << 20);
	assert_int_equal(p.cfg.rotate_keep, 7);
	p = parse("--output=/x", "--output-mode", "600", "--rotate-size", "4K", NULL);
	assert_int_equal(p.result, CLI_RUN);
	assert_int_equal(p.cfg.output_mode, 0600);
	assert_int_equal(p.cfg.rotate_bytes, 4096);
}

static void test_syslog_options(void **state)
{
	struct parsed p = parse("--syslog", "tcp://127.0.0.1:514", "--syslog-facility", "local3",
				"--syslog-buffer", "64K", NULL);

	(void)state;
	assert_int_equal(p.result, CLI_RUN);
	assert_string_equal(p.cfg.syslog_url, "tcp://127.0.0.1:514");
	assert_int_equal(p.cfg.syslog.transport, SYSLOG_TCP);
	assert_string_equal(p.cfg.syslog.port, "514");
	assert_int_equal(p.cfg.syslog_facility, 19);
	assert_int_equal(p.cfg.syslog_buffer_bytes, 65536);
	p = parse("--syslog", "unix:///dev/log", "--syslog-facility", "4", NULL);
	assert_int_equal(p.result, CLI_RUN);
	assert_int_equal(p.cfg.syslog.transport, SYSLOG_UNIX);
	assert_int_equal(p.cfg.syslog_facility, 4);
}

static void test_refused(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("--output", "", NULL);
	assert_usage(&p, "--output");
	p = parse("--output", "-", NULL);
	assert_usage(&p, "--output");
	p = parse("--output", "/x", "--output-mode", "0644", NULL);
	assert_usage(&p, "--output-mode takes 0600 or 0640, not '0644'");
	p = parse("--output", "/x", "--output-mode", "0666", NULL);
	assert_usage(&p, "--output-mode");
	p = parse("--output-mode", "0640", NULL);
	assert_usage(&p, "--output-mode needs --output");
	p = parse("--output", "/x", "--rotate-size", "1K", NULL);
	assert_usage(&p, "--rotate-size needs a size of at least 4K, not '1K'");
	p = parse("--output", "/x", "--rotate-size", "-5", NULL);
	assert_usage(&p, "--rotate-size");
	p = parse("--output", "/x", "--rotate-size", "10X", NULL);
	assert_usage(&p, "--rotate-size");
	p = parse("--rotate-size", "1M", NULL);
	assert_usage(&p, "need --output");
	p = parse("--output", "/x", "--rotate-keep", "3", NULL);
	assert_usage(&p, "--rotate-keep needs --rotate-size");
	p = parse("--output", "/x", "--rotate-size", "1M", "--rotate-keep", "0", NULL);
	assert_usage(&p, "--rotate-keep needs a number 1..1000, not '0'");
	p = parse("--output", "/x", "--rotate-size", "1M", "--rotate-keep", "1001", NULL);
	assert_usage(&p, "--rotate-keep");
	p = parse("--output", "/x", "--rotate-size", "1M", "--rotate-keep", "2k", NULL);
	assert_usage(&p, "--rotate-keep");
	p = parse("--syslog", "http://x:1", NULL);
	assert_usage(&p, "--syslog 'http://x:1'");
	p = parse("--syslog", "tcp://host", NULL);
	assert_usage(&p, "needs a port");
	p = parse("--syslog", "tcp://127.0.0.1:514", "--syslog-facility", "24", NULL);
	assert_usage(&p, "--syslog-facility");
	p = parse("--syslog", "tcp://127.0.0.1:514", "--syslog-facility", "bogus", NULL);
	assert_usage(&p, "not 'bogus'");
	p = parse("--syslog", "tcp://127.0.0.1:514", "--syslog-buffer", "1K", NULL);
	assert_usage(&p, "--syslog-buffer needs a size 4K..1G, not '1K'");
	p = parse("--syslog", "tcp://127.0.0.1:514", "--syslog-buffer", "2G", NULL);
	assert_usage(&p, "--syslog-buffer");
	p = parse("--syslog", NULL);
	assert_usage(&p, "needs a value");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_output_options),
		cmocka_unit_test(test_syslog_options),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
