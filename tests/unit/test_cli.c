// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/cli.c: defaults; every option in its short, long and
 * --opt=value spellings; the accepted and rejected ranges of --duration,
 * --max-argv-bytes and --ring-size (each rejection must return
 * CLI_EXIT_USAGE and print a message naming the option and the bad value on
 * the error stream, and nothing on the output stream); --help and --version;
 * unknown options, missing values and stray arguments; getopt state reset
 * between calls; and the cli_parse_size() / cli_parse_seconds() parsers'
 * edge cases (suffixes, overflow, signs, whitespace, exact milliseconds).
 * The filter options (-u, -p, -c, --container, -n, --exe, -l/--arg/--line,
 * --arg-regex checked at parse time, --failed, --succeeded), the output
 * options (-T, -t, -q, --max-args, --fields, --json-fields, --color[=WHEN],
 * --summary) and the execsnoop no-ops (-x, -U) fill exactly their fields,
 * and their bad values are usage errors naming the option and the value.
 * Streams are captured with open_memstream(3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include <cmocka.h>

#include "cli.h"
#include "event.h"

#ifndef EXECWATCH_VERSION
#define EXECWATCH_VERSION "0.0.0"
#endif

struct parsed {
	enum cli_result result;
	struct config cfg;
	char *out;
	size_t out_len;
	char *err;
	size_t err_len;
};

/* The streams of the last parse, freed by the teardown if a test fails. */
static char *live_out, *live_err;
/*
 * argv strings live until the test ends: getopt may keep a pointer into the
 * previous argv, and a stale pointer into intact memory is what makes a
 * missing state reset visible.
 */
static char *graveyard[512];
static size_t graveyard_len;

/* Run cli_parse on "execwatch" + the NULL-terminated arguments. */
static struct parsed parse_argv(const char *first, va_list ap)
{
	char *argv[32];
	struct parsed p;
	FILE *out, *err;
	const char *arg;
	int argc = 0, i;

	memset(&p, 0, sizeof(p));
	argv[argc++] = strdup("execwatch");
	for (arg = first; arg; arg = va_arg(ap, const char *)) {
		assert_true(argc < 31);
		argv[argc++] = strdup(arg); /* getopt may permute argv */
	}
	argv[argc] = NULL;
	out = open_memstream(&p.out, &p.out_len);
	err = open_memstream(&p.err, &p.err_len);
	assert_non_null(out);
	assert_non_null(err);
	/* Poison the config: cli_parse must set every field itself. */
	memset(&p.cfg, 0xa5, sizeof(p.cfg));
	p.result = cli_parse(argc, argv, &p.cfg, out, err);
	fclose(out);
	fclose(err);
	for (i = 0; i < argc; i++) {
		if (graveyard_len < sizeof(graveyard) / sizeof(graveyard[0]))
			graveyard[graveyard_len++] = argv[i];
		else
			free(argv[i]);
	}
	free(live_out);
	free(live_err);
	live_out = p.out;
	live_err = p.err;
	return p;
}

static struct parsed parse(const char *first, ...)
{
	struct parsed p;
	va_list ap;

	va_start(ap, first);
	p = parse_argv(first, ap);
	va_end(ap);
	return p;
}

static void parsed_free(struct parsed *p)
{
	if (p->out == live_out)
		live_out = NULL;
	if (p->err == live_err)
		live_err = NULL;
	free(p->out);
	free(p->err);
	p->out = p->err = NULL;
}

static int free_live(void **state)
{
	(void)state;
	while (graveyard_len)
		free(graveyard[--graveyard_len]);
	free(live_out);
	free(live_err);
	live_out = live_err = NULL;
	return 0;
}

/* Nothing printed but a message on err that names `needle`. */
static void assert_usage_error(struct parsed *p, const char *needle)
{
	size_t i;

	assert_int_equal(p->result, CLI_EXIT_USAGE);
	assert_int_equal(p->out_len, 0);
	assert_true(p->err_len > 0);
	assert_int_equal(strlen(p->err), p->err_len); /* no NUL inside */
	assert_true(strncmp(p->err, "execwatch: ", 11) == 0);
	assert_int_equal(p->err[p->err_len - 1], '\n');
	for (i = 0; i < p->err_len; i++) {
		unsigned char c = (unsigned char)p->err[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f)
			fail_msg("control byte 0x%02x in message: %s", c, p->err);
	}
	if (!strstr(p->err, needle))
		fail_msg("message does not name [%s]: %s", needle, p->err);
}

static void assert_run(struct parsed *p)
{
	if (p->result != CLI_RUN)
		fail_msg("expected CLI_RUN, got %d: %s", p->result, p->err);
	assert_int_equal(p->out_len, 0);
	assert_int_equal(p->err_len, 0);
}

static void assert_default_config(const struct config *cfg)
{
	assert_int_equal(cfg->format, OUTPUT_TEXT);
	assert_int_equal(cfg->max_argv_bytes, 16384);
	assert_int_equal(cfg->ring_bytes, 8 * 1024 * 1024);
	assert_int_equal(cfg->duration_ms, 0);
	assert_false(cfg->verbose);
	assert_false(cfg->no_header);
	assert_int_equal(cfg->summary_ms, 0);
	assert_int_equal(cfg->filter.nr_uids, 0);
	assert_int_equal(cfg->filter.pid, 0);
	assert_null(cfg->filter.cgroup_path);
	assert_null(cfg->filter.container);
	assert_null(cfg->filter.name);
	assert_null(cfg->filter.exe);
	assert_null(cfg->filter.arg);
	assert_null(cfg->filter.arg_regex);
	assert_int_equal(cfg->filter.result, FILTER_RESULT_ANY);
	assert_int_equal(cfg->output.nr_text_fields, 8);
	assert_int_equal(cfg->output.text_fields[0], TF_TIME);
	assert_int_equal(cfg->output.text_fields[7], TF_ARGV);
	assert_int_equal(cfg->output.json_fields, OUTPUT_JSON_ALL_FIELDS);
	assert_int_equal(cfg->output.time_mode, TIME_CLOCK);
	assert_int_equal(cfg->output.color_mode, COLOR_AUTO);
	assert_false(cfg->output.color);
	assert_false(cfg->output.quote);
	assert_int_equal(cfg->output.max_args, 0);
	assert_int_equal(cfg->output.file_width, 24);
}

static void test_defaults(void **state)
{
	struct config cfg;
	struct parsed p;

	(void)state;
	memset(&cfg, 0xff, sizeof(cfg));
	cli_defaults(&cfg);
	assert_default_config(&cfg);
	assert_int_equal(cfg.max_argv_bytes, EW_ARGV_DEFAULT_BYTES);
	assert_int_equal(cfg.ring_bytes, CLI_RING_DEFAULT_BYTES);

	p = parse(NULL);
	assert_run(&p);
	assert_default_config(&p.cfg);
	parsed_free(&p);
}

static void test_json_flag(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("--json", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.format, OUTPUT_JSON);
	assert_int_equal(p.cfg.max_argv_bytes, 16384);
	parsed_free(&p);
	p = parse("-j", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.format, OUTPUT_JSON);
	parsed_free(&p);
	/* Unique abbreviations of long options work... */
	p = parse("--dur", "2", "--no-h", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.duration_ms, 2000);
	assert_true(p.cfg.no_header);
	parsed_free(&p);
	/* ...but "--js" is both --json and --json-fields now. */
	p = parse("--js", NULL);
	assert_usage_error(&p, "'--js'");
	parsed_free(&p);
	p = parse("--json-f", "pid", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.format, OUTPUT_TEXT);
	assert_int_equal(p.cfg.output.json_fields, 1u << JF_PID);
	parsed_free(&p);
}

static void test_bool_flags(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("--no-header", NULL);
	assert_run(&p);
	assert_true(p.cfg.no_header);
	assert_false(p.cfg.verbose);
	assert_int_equal(p.cfg.format, OUTPUT_TEXT);
	parsed_free(&p);
	p = parse("-v", NULL);
	assert_run(&p);
	assert_true(p.cfg.verbose);
	assert_false(p.cfg.no_header);
	parsed_free(&p);
	p = parse("--verbose", NULL);
	assert_run(&p);
	assert_true(p.cfg.verbose);
	parsed_free(&p);
	p = parse("-jv", "-d5", NULL);
	assert_run(&p);
	assert_true(p.cfg.verbose);
	assert_int_equal(p.cfg.format, OUTPUT_JSON);
	assert_int_equal(p.cfg.duration_ms, 5000);
	parsed_free(&p);
}

static void test_all_options_together(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("--json", "--duration", "1.5", "--max-argv-bytes", "4K", "--ring-size=16M",
		  "--no-header", "--verbose", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.format, OUTPUT_JSON);
	assert_int_equal(p.cfg.duration_ms, 1500);
	assert_int_equal(p.cfg.max_argv_bytes, 4096);
	assert_int_equal(p.cfg.ring_bytes, 16 * 1024 * 1024);
	assert_true(p.cfg.no_header);
	assert_true(p.cfg.verbose);
	parsed_free(&p);
	/* The last of a repeated option wins. */
	p = parse("-d", "1", "-d", "2", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.duration_ms, 2000);
	parsed_free(&p);
}

static void test_duration_ok(void **state)
{
	static const struct {
		const char *arg;
		uint64_t ms;
	} cases[] = {
		{ "2.5", 2500 },	{ "10", 10000 },
		{ "0.5", 500 },		{ "1", 1000 },
		{ "0.001", 1 },		{ "0.0001", 1 },
		{ "1e-9", 1 },		{ "60", 60000 },
		{ "1e3", 1000000 },	{ "1e9", 1000000000000ULL },
		{ "3600.25", 3600250 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parsed p = parse("-d", cases[i].arg, NULL);

		assert_run(&p);
		if (p.cfg.duration_ms != cases[i].ms)
			fail_msg("-d %s: got %llu ms, want %llu", cases[i].arg,
				 (unsigned long long)p.cfg.duration_ms,
				 (unsigned long long)cases[i].ms);
		parsed_free(&p);
	}
}

static void test_duration_spellings(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("--duration", "2.5", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.duration_ms, 2500);
	parsed_free(&p);
	p = parse("--duration=0.25", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.duration_ms, 250);
	parsed_free(&p);
	p = parse("-d0.75", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.duration_ms, 750);
	parsed_free(&p);
}

static void test_duration_rejected(void **state)
{
	static const char *const bad[] = { "0",	  "-1",	 "abc",	  "",	   "-0",    "0.0",
					   "inf", "nan", "1s",	  "1e10",  "1e999", " 1",
					   "1 ",  "--1", "2.5.1", "1e-999" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct parsed p = parse("-d", bad[i], NULL);
		char needle[64];

		snprintf(needle, sizeof(needle), "'%s'", bad[i]);
		assert_usage_error(&p, needle);
		assert_usage_error(&p, "--duration");
		parsed_free(&p);
	}
}

/*
 * A decimal number of seconds with at most 3 fractional digits is an exact
 * number of milliseconds: rounding up must not add one.
 */
static void test_duration_exact_milliseconds(void **state)
{
	struct parsed p;
	uint64_t ms = 0, got;
	unsigned int k, wrong = 0, first_wrong = 0;

	(void)state;
	for (k = 1; k <= 100000; k++) {
		char text[32];

		snprintf(text, sizeof(text), "%u.%03u", k / 1000, k % 1000);
		assert_int_equal(cli_parse_seconds(text, &ms), 0);
		if (ms != k && !wrong++)
			first_wrong = k;
	}
	p = parse("-d", "2.007", NULL);
	assert_run(&p);
	got = p.cfg.duration_ms;
	parsed_free(&p);
	if (wrong || got != 2007)
		fail_msg("-d 2.007 gave %llu ms; %u of 100000 values N.NNN are off, first %u.%03u",
			 (unsigned long long)got, wrong, first_wrong / 1000, first_wrong % 1000);
}

static void test_max_argv_bytes(void **state)
{
	static const struct {
		const char *arg;
		uint32_t bytes;
	} ok[] = {
		{ "64", 64 },	{ "131072", 131072 }, { "128K", 131072 },   { "128k", 131072 },
		{ "1K", 1024 }, { "4096", 4096 },     { "128KiB", 131072 },
	};
	static const char *const bad[] = { "63",  "131073", "0",    "-1",
					   "abc", "",	    "129K", "1M",
					   "64x", "1G",	    "+64",  "99999999999999999999" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct parsed p = parse("--max-argv-bytes", ok[i].arg, NULL);

		assert_run(&p);
		assert_int_equal(p.cfg.max_argv_bytes, ok[i].bytes);
		parsed_free(&p);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct parsed p = parse("--max-argv-bytes", bad[i], NULL);
		char needle[64];

		snprintf(needle, sizeof(needle), "'%s'", bad[i]);
		assert_usage_error(&p, needle);
		assert_usage_error(&p, "--max-argv-bytes");
		assert_usage_error(&p, "64 to 131072");
		parsed_free(&p);
	}
}

static void test_ring_size(void **state)
{
	static const struct {
		const char *arg;
		uint64_t bytes;
	} ok[] = {
		{ "8M", 8u << 20 },    { "64K", 64u << 10 },   { "1G", 1u << 30 },
		{ "1024M", 1u << 30 }, { "65536", 65536 },     { "16MiB", 16u << 20 },
		{ "2m", 2u << 20 },    { "128k", 128u << 10 }, { "1g", 1u << 30 },
	};
	static const char *const bad[] = { "3M", "32K", "2G", "0",  "65535", "96K", "abc",
					   "",	 "-8M", "8Q", "1T", "1025M", "8M8" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct parsed p = parse("--ring-size", ok[i].arg, NULL);

		assert_run(&p);
		assert_int_equal(p.cfg.ring_bytes, ok[i].bytes);
		parsed_free(&p);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct parsed p = parse("--ring-size", bad[i], NULL);
		char needle[64];

		snprintf(needle, sizeof(needle), "'%s'", bad[i]);
		assert_usage_error(&p, needle);
		assert_usage_error(&p, "--ring-size");
		assert_usage_error(&p, "power of two");
		parsed_free(&p);
	}
}

static void test_help(void **state)
{
	static const char *const spellings[] = { "--help", "-h" };
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct parsed p = parse(spellings[i], NULL);

		assert_int_equal(p.result, CLI_EXIT_OK);
		assert_int_equal(p.err_len, 0);
		assert_true(strncmp(p.out, "Usage: execwatch [OPTION]...\n", 29) == 0);
		assert_non_null(strstr(p.out, "--json"));
		assert_non_null(strstr(p.out, "--max-argv-bytes N"));
		assert_non_null(strstr(p.out, "(default 16384, 64..131072)"));
		assert_non_null(strstr(p.out, "--ring-size SIZE"));
		assert_non_null(strstr(p.out, "--duration SECONDS"));
		assert_non_null(strstr(p.out, "--no-header"));
		assert_non_null(strstr(p.out, "--version"));
		assert_int_equal(p.out[p.out_len - 1], '\n');
		parsed_free(&p);
	}
}

static void test_help_stops_parsing(void **state)
{
	struct parsed p;

	(void)state;
	/* --help first: later errors are not reached. */
	p = parse("--help", "--bogus", NULL);
	assert_int_equal(p.result, CLI_EXIT_OK);
	assert_int_equal(p.err_len, 0);
	parsed_free(&p);
	/* An error first: help is not printed. */
	p = parse("--bogus", "--help", NULL);
	assert_usage_error(&p, "'--bogus'");
	parsed_free(&p);
}

static void test_version(void **state)
{
	static const char *const spellings[] = { "--version", "-V" };
	const char *want = "execwatch " EXECWATCH_VERSION "\n";
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct parsed p = parse(spellings[i], NULL);

		assert_int_equal(p.result, CLI_EXIT_OK);
		assert_int_equal(p.err_len, 0);
		assert_string_equal(p.out, want);
		parsed_free(&p);
	}
}

static void test_unknown_option(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("--bogus", NULL);
	assert_usage_error(&p, "unknown option '--bogus'");
	assert_non_null(strstr(p.err, "Try 'execwatch --help'"));
	parsed_free(&p);
	p = parse("-z", NULL);
	assert_usage_error(&p, "unknown option '-z'");
	parsed_free(&p);
	p = parse("-jz", NULL);
	assert_usage_error(&p, "'-z'");
	parsed_free(&p);
	p = parse("--bogus=1", NULL);
	assert_usage_error(&p, "--bogus");
	parsed_free(&p);
	/* Ambiguous: --ver is both --verbose and --version. */
	p = parse("--ver", NULL);
	assert_usage_error(&p, "'--ver'");
	parsed_free(&p);
}

/*
 * A value given to a flag that takes none: the message must name the option
 * the user typed, not a different one, and carry no control bytes.
 */
static void test_value_for_flag_json(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("--json=1", NULL);
	assert_usage_error(&p, "--json");
	parsed_free(&p);
}

/* OPT_NO_HEADER is 0x102: printed with %c it becomes the byte 0x02. */
static void test_value_for_flag_no_header(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("--no-header=1", NULL);
	assert_usage_error(&p, "--no-header");
	parsed_free(&p);
}

static void test_missing_value(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("--ring-size", NULL);
	assert_usage_error(&p, "option '--ring-size' needs a value");
	assert_non_null(strstr(p.err, "Try 'execwatch --help'"));
	parsed_free(&p);
	p = parse("--max-argv-bytes", NULL);
	assert_usage_error(&p, "option '--max-argv-bytes' needs a value");
	parsed_free(&p);
	p = parse("--duration", NULL);
	assert_usage_error(&p, "option '--duration' needs a value");
	parsed_free(&p);
	p = parse("-d", NULL);
	assert_usage_error(&p, "option '-d' needs a value");
	parsed_free(&p);
	p = parse("-j", "-d", NULL);
	assert_usage_error(&p, "'-d' needs a value");
	parsed_free(&p);
}

static void test_stray_argument(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("foo", NULL);
	assert_usage_error(&p, "unexpected argument 'foo'");
	parsed_free(&p);
	p = parse("-j", "foo", "-v", NULL);
	assert_usage_error(&p, "unexpected argument 'foo'");
	parsed_free(&p);
	p = parse("--", "bar", NULL);
	assert_usage_error(&p, "unexpected argument 'bar'");
	parsed_free(&p);
	/* "-" alone is an argument, not an option. */
	p = parse("-", NULL);
	assert_usage_error(&p, "unexpected argument '-'");
	parsed_free(&p);
	/* A lone "--" ends the options and is fine. */
	p = parse("-j", "--", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.format, OUTPUT_JSON);
	parsed_free(&p);
}

/* getopt keeps state in globals; every call must start afresh. */
static void test_parse_twice(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("-j", "-d", "3", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.duration_ms, 3000);
	parsed_free(&p);
	p = parse("-v", NULL);
	assert_run(&p);
	assert_true(p.cfg.verbose);
	assert_int_equal(p.cfg.format, OUTPUT_TEXT);
	assert_int_equal(p.cfg.duration_ms, 0);
	parsed_free(&p);

	/* Stopped in the middle of a cluster ("-zj"): the next parse is clean. */
	p = parse("-zj", NULL);
	assert_usage_error(&p, "'-z'");
	parsed_free(&p);
	p = parse("-v", NULL);
	assert_run(&p);
	assert_true(p.cfg.verbose);
	assert_int_equal(p.cfg.format, OUTPUT_TEXT);
	parsed_free(&p);

	/* Stopped by --help before the end of argv. */
	p = parse("-h", "-j", "-j", NULL);
	assert_int_equal(p.result, CLI_EXIT_OK);
	parsed_free(&p);
	p = parse("-d", "1", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.duration_ms, 1000);
	parsed_free(&p);

	/* Stopped by a missing value. */
	p = parse("--ring-size", NULL);
	assert_int_equal(p.result, CLI_EXIT_USAGE);
	parsed_free(&p);
	p = parse(NULL);
	assert_run(&p);
	assert_default_config(&p.cfg);
	parsed_free(&p);
}

static void test_uid(void **state)
{
	struct parsed p;
	size_t i;

	(void)state;
	p = parse("-u", "root,1000", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.filter.nr_uids, 2);
	assert_int_equal(p.cfg.filter.uids[0], 0);
	assert_int_equal(p.cfg.filter.uids[1], 1000);
	parsed_free(&p);
	/* Repeated -u adds to the set; --uid=N spelling. */
	p = parse("--uid=4294967294", "-u", "7", "--uid", "0", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.filter.nr_uids, 3);
	assert_int_equal(p.cfg.filter.uids[0], 4294967294u);
	assert_int_equal(p.cfg.filter.uids[1], 7);
	assert_int_equal(p.cfg.filter.uids[2], 0);
	parsed_free(&p);

	p = parse("-u", "nosuchuser_execwatch", NULL);
	assert_usage_error(&p, "--uid: 'nosuchuser_execwatch' is neither a user name nor a uid");
	parsed_free(&p);
	p = parse("-u", "0,-1", NULL);
	assert_usage_error(&p, "'-1'");
	parsed_free(&p);
	/* uid -1 is (uid_t)-1, "no uid": not a user to filter on. */
	p = parse("-u", "4294967295", NULL);
	assert_usage_error(&p, "'4294967295'");
	parsed_free(&p);
	p = parse("-u", "", NULL);
	assert_usage_error(&p, "--uid: '' is neither");
	parsed_free(&p);
	p = parse("-u", "1,", NULL);
	assert_usage_error(&p, "--uid: '' is neither");
	parsed_free(&p);
	p = parse("-u", NULL);
	assert_usage_error(&p, "'-u' needs a value");
	parsed_free(&p);

	/* At most FILTER_MAX_UIDS. */
	{
		char list[FILTER_MAX_UIDS * 4 + 8];
		size_t len = 0;

		for (i = 0; i < FILTER_MAX_UIDS; i++)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%zu",
						i ? "," : "", i + 100);
		p = parse("-u", list, NULL);
		assert_run(&p);
		assert_int_equal(p.cfg.filter.nr_uids, FILTER_MAX_UIDS);
		assert_int_equal(p.cfg.filter.uids[FILTER_MAX_UIDS - 1], FILTER_MAX_UIDS - 1 + 100);
		parsed_free(&p);
		p = parse("-u", list, "-u", "5", NULL);
		assert_usage_error(&p, "--uid: at most 64 users");
		parsed_free(&p);
	}
}

static void test_pid(void **state)
{
	static const char *const bad[] = { "0", "-1", "abc", "", "2147483648", "1.5", " 1", "+1" };
	struct parsed p;
	size_t i;

	(void)state;
	p = parse("-p", "1234", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.filter.pid, 1234);
	parsed_free(&p);
	p = parse("--pid=2147483647", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.filter.pid, 2147483647);
	parsed_free(&p);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char needle[64];

		p = parse("--pid", bad[i], NULL);
		snprintf(needle, sizeof(needle), "--pid needs a process id, not '%s'", bad[i]);
		assert_usage_error(&p, needle);
		parsed_free(&p);
	}
}

/* --ancestors and --pid-map-size (issue 3 ancestry, issue 7 map limits). */
static void test_ancestors_pid_map_size(void **state)
{
	static const char *const bad[] = { "0", "-1", "abc", "", "4194305", "1K", " 1", "+1" };
	struct parsed p;
	size_t i;

	(void)state;
	p = parse(NULL);
	assert_run(&p);
	assert_false(p.cfg.ancestors);
	assert_int_equal(p.cfg.pid_map_entries, 0);
	parsed_free(&p);
	p = parse("--json", "--ancestors", "--pid", "1", "--pid-map-size", "16", NULL);
	assert_run(&p);
	assert_true(p.cfg.ancestors);
	assert_int_equal(p.cfg.pid_map_entries, 16);
	parsed_free(&p);
	p = parse("--pid-map-size=4194304", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.pid_map_entries, 4194304);
	parsed_free(&p);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char needle[80];

		p = parse("--pid-map-size", bad[i], NULL);
		snprintf(needle, sizeof(needle),
			 "--pid-map-size needs a number from 1 to 4194304 "
			 "(pid_max), not '%s'",
			 bad[i]);
		assert_usage_error(&p, needle);
		parsed_free(&p);
	}
}

/* --syscall-hooks: auto by default; exactly three words; the last one wins. */
static void test_syscall_hooks(void **state)
{
	static const char *const bad[] = { "", "Fentry", "tracepoints", "kprobe", "auto " };
	struct parsed p;
	size_t i;

	(void)state;
	p = parse(NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.syscall_hooks, SYSCALL_HOOKS_AUTO);
	parsed_free(&p);
	p = parse("--syscall-hooks", "fentry", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.syscall_hooks, SYSCALL_HOOKS_FENTRY);
	parsed_free(&p);
	p = parse("--syscall-hooks=tracepoint", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.syscall_hooks, SYSCALL_HOOKS_TRACEPOINT);
	parsed_free(&p);
	p = parse("--syscall-hooks=tracepoint", "--syscall-hooks=auto", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.syscall_hooks, SYSCALL_HOOKS_AUTO);
	parsed_free(&p);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char needle[96];

		p = parse("--syscall-hooks", bad[i], NULL);
		snprintf(needle, sizeof(needle),
			 "--syscall-hooks takes auto, fentry or tracepoint, not '%s'", bad[i]);
		assert_usage_error(&p, needle);
		parsed_free(&p);
	}
}

/*
 * A process id or an argument count is a plain number: "-p 1K" is a typo
 * for some pid, not pid 1024, and must not silently trace another process.
 */
static void test_counts_take_no_size_suffix(void **state)
{
	static const char *const bad[] = { "1K", "4k", "1M", "2KiB" };
	struct parsed p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char needle[64];

		p = parse("-p", bad[i], NULL);
		if (p.result == CLI_RUN)
			fail_msg("-p %s accepted as pid %d", bad[i], p.cfg.filter.pid);
		snprintf(needle, sizeof(needle), "'%s'", bad[i]);
		assert_usage_error(&p, needle);
		parsed_free(&p);
		p = parse("--max-args", bad[i], NULL);
		if (p.result == CLI_RUN)
			fail_msg("--max-args %s accepted as %u", bad[i], p.cfg.output.max_args);
		assert_usage_error(&p, needle);
		parsed_free(&p);
	}
}

static void test_string_filters(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("-c", "/sys/fs/cgroup/system.slice", "--container", "0123abc", "-n", "ba",
		  "--exe", "/usr/bin/", "-l", "--force", NULL);
	assert_run(&p);
	assert_string_equal(p.cfg.filter.cgroup_path, "/sys/fs/cgroup/system.slice");
	assert_string_equal(p.cfg.filter.container, "0123abc");
	assert_string_equal(p.cfg.filter.name, "ba");
	assert_string_equal(p.cfg.filter.exe, "/usr/bin/");
	assert_string_equal(p.cfg.filter.arg, "--force");
	assert_null(p.cfg.filter.arg_regex);
	assert_int_equal(p.cfg.filter.nr_uids, 0);
	assert_int_equal(p.cfg.filter.pid, 0);
	assert_int_equal(p.cfg.format, OUTPUT_TEXT);
	parsed_free(&p);
	/* Long spellings; --arg and --line are the same option as -l. */
	p = parse("--cgroup=/a", "--name=sh", "--exe=/bin/*sh", "--arg=x", NULL);
	assert_run(&p);
	assert_string_equal(p.cfg.filter.cgroup_path, "/a");
	assert_string_equal(p.cfg.filter.name, "sh");
	assert_string_equal(p.cfg.filter.exe, "/bin/*sh");
	assert_string_equal(p.cfg.filter.arg, "x");
	parsed_free(&p);
	p = parse("--line", "y", NULL);
	assert_run(&p);
	assert_string_equal(p.cfg.filter.arg, "y");
	parsed_free(&p);
	p = parse("--container=", NULL);
	assert_usage_error(&p, "--container needs a container id");
	parsed_free(&p);
	p = parse("--container", NULL);
	assert_usage_error(&p, "'--container' needs a value");
	parsed_free(&p);
}

/* A bad regex is a usage error at parse time, before anything loads. */
static void test_arg_regex(void **state)
{
	static const char *const bad[] = { "(", "a{2,1}", "[z-a]", "*+(" };
	struct parsed p;
	size_t i;

	(void)state;
	p = parse("--arg-regex", "^-[a-z]+=[0-9]{2,}$", NULL);
	assert_run(&p);
	assert_string_equal(p.cfg.filter.arg_regex, "^-[a-z]+=[0-9]{2,}$");
	assert_null(p.cfg.filter.arg);
	parsed_free(&p);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char needle[64];

		p = parse("--arg-regex", bad[i], NULL);
		snprintf(needle, sizeof(needle),
			 "--arg-regex '%s' is not a valid regular expression", bad[i]);
		assert_usage_error(&p, needle);
		parsed_free(&p);
	}
}

static void test_result_filters(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("--failed", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.filter.result, FILTER_RESULT_FAILED);
	parsed_free(&p);
	p = parse("--succeeded", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.filter.result, FILTER_RESULT_SUCCEEDED);
	parsed_free(&p);
	/* The last one wins. */
	p = parse("--failed", "--succeeded", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.filter.result, FILTER_RESULT_SUCCEEDED);
	parsed_free(&p);
	p = parse("--failed=1", NULL);
	assert_usage_error(&p, "option '--failed' takes no value");
	parsed_free(&p);
}

/* execsnoop's -x and -U are accepted and change nothing. */
static void test_execsnoop_noops(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("-x", "-U", NULL);
	assert_run(&p);
	assert_default_config(&p.cfg);
	parsed_free(&p);
	p = parse("-xUj", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.format, OUTPUT_JSON);
	assert_int_equal(p.cfg.filter.result, FILTER_RESULT_ANY);
	parsed_free(&p);
	p = parse("--fails", "--print-uid", NULL);
	assert_run(&p);
	assert_default_config(&p.cfg);
	parsed_free(&p);
}

static void test_time_quote_max_args(void **state)
{
	static const char *const bad[] = { "0", "-1", "abc", "", "4294967296" };
	struct parsed p;
	size_t i;

	(void)state;
	p = parse("-t", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.output.time_mode, TIME_SINCE_START);
	parsed_free(&p);
	p = parse("-t", "-T", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.output.time_mode, TIME_CLOCK);
	parsed_free(&p);
	p = parse("--time", "--timestamp", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.output.time_mode, TIME_SINCE_START);
	parsed_free(&p);
	p = parse("-q", NULL);
	assert_run(&p);
	assert_true(p.cfg.output.quote);
	parsed_free(&p);
	p = parse("--quote", "--max-args", "3", NULL);
	assert_run(&p);
	assert_true(p.cfg.output.quote);
	assert_int_equal(p.cfg.output.max_args, 3);
	parsed_free(&p);
	p = parse("--max-args=4294967295", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.output.max_args, 4294967295u);
	parsed_free(&p);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char needle[80];

		p = parse("--max-args", bad[i], NULL);
		snprintf(needle, sizeof(needle), "--max-args needs a positive number, not '%s'",
			 bad[i]);
		assert_usage_error(&p, needle);
		parsed_free(&p);
	}
}

static void test_fields_options(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("--fields", "pid,comm,argv", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.output.nr_text_fields, 3);
	assert_int_equal(p.cfg.output.text_fields[0], TF_PID);
	assert_int_equal(p.cfg.output.text_fields[1], TF_COMM);
	assert_int_equal(p.cfg.output.text_fields[2], TF_ARGV);
	assert_int_equal(p.cfg.output.json_fields, OUTPUT_JSON_ALL_FIELDS);
	parsed_free(&p);
	p = parse("--json-fields=time,filename,container_id", "-j", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.format, OUTPUT_JSON);
	assert_int_equal(p.cfg.output.json_fields,
			 (1u << JF_TIME) | (1u << JF_FILENAME) | (1u << JF_CONTAINER_ID));
	assert_int_equal(p.cfg.output.nr_text_fields, 8);
	parsed_free(&p);
	p = parse("--fields", "pid,bogus", NULL);
	assert_usage_error(&p, "execwatch: --fields: unknown field 'bogus'\n");
	parsed_free(&p);
	p = parse("--json-fields", "parent_comm,pcomm", NULL);
	assert_usage_error(&p, "execwatch: --json-fields: unknown field 'pcomm'\n");
	parsed_free(&p);
	p = parse("--fields=", NULL);
	assert_usage_error(&p, "--fields needs a comma-separated list of fields");
	parsed_free(&p);
}

static void test_color(void **state)
{
	static const struct {
		const char *arg;
		enum color_mode mode;
	} ok[] = {
		{ "--color", COLOR_ALWAYS },	   { "--color=always", COLOR_ALWAYS },
		{ "--color=never", COLOR_NEVER },  { "--color=auto", COLOR_AUTO },
		{ "--colour=never", COLOR_NEVER }, { "--colour", COLOR_ALWAYS },
	};
	struct parsed p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		p = parse(ok[i].arg, NULL);
		assert_run(&p);
		if (p.cfg.output.color_mode != ok[i].mode)
			fail_msg("%s: mode %d, want %d", ok[i].arg, p.cfg.output.color_mode,
				 ok[i].mode);
		/* Resolved at start-up, not by the parser. */
		assert_false(p.cfg.output.color);
		parsed_free(&p);
	}
	p = parse("--color=sometimes", NULL);
	assert_usage_error(&p, "--color takes auto, always or never, not 'sometimes'");
	parsed_free(&p);
	p = parse("--color=", NULL);
	assert_usage_error(&p, "not ''");
	parsed_free(&p);
	/* An optional value must be attached: "--color never" is a stray word. */
	p = parse("--color", "never", NULL);
	assert_usage_error(&p, "unexpected argument 'never'");
	parsed_free(&p);
}

static void test_summary(void **state)
{
	static const char *const bad[] = { "0", "-1", "abc", "", "inf" };
	struct parsed p;
	size_t i;

	(void)state;
	p = parse("--summary", "10", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.summary_ms, 10000);
	assert_int_equal(p.cfg.duration_ms, 0);
	parsed_free(&p);
	p = parse("--summary=0.25", "-d", "60", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.summary_ms, 250);
	assert_int_equal(p.cfg.duration_ms, 60000);
	parsed_free(&p);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char needle[80];

		p = parse("--summary", bad[i], NULL);
		snprintf(needle, sizeof(needle),
			 "--summary needs a positive number of seconds, not '%s'", bad[i]);
		assert_usage_error(&p, needle);
		parsed_free(&p);
	}
	p = parse("--summary", NULL);
	assert_usage_error(&p, "option '--summary' needs a value");
	parsed_free(&p);
}

/* Every new option at once, in short clusters where they exist. */
static void test_new_options_together(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("-jxtqU", "-u0", "-p1", "-c/x", "-nfoo", "-lbar", "--exe=/e", "--container=ab",
		  "--arg-regex=^z", "--failed", "--max-args=2", "--fields=comm",
		  "--json-fields=pid", "--color=never", "--summary=1", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.format, OUTPUT_JSON);
	assert_int_equal(p.cfg.output.time_mode, TIME_SINCE_START);
	assert_true(p.cfg.output.quote);
	assert_int_equal(p.cfg.filter.nr_uids, 1);
	assert_int_equal(p.cfg.filter.uids[0], 0);
	assert_int_equal(p.cfg.filter.pid, 1);
	assert_string_equal(p.cfg.filter.cgroup_path, "/x");
	assert_string_equal(p.cfg.filter.name, "foo");
	assert_string_equal(p.cfg.filter.arg, "bar");
	assert_string_equal(p.cfg.filter.exe, "/e");
	assert_string_equal(p.cfg.filter.container, "ab");
	assert_string_equal(p.cfg.filter.arg_regex, "^z");
	assert_int_equal(p.cfg.filter.result, FILTER_RESULT_FAILED);
	assert_int_equal(p.cfg.output.max_args, 2);
	assert_int_equal(p.cfg.output.nr_text_fields, 1);
	assert_int_equal(p.cfg.output.text_fields[0], TF_COMM);
	assert_int_equal(p.cfg.output.json_fields, 1u << JF_PID);
	assert_int_equal(p.cfg.output.color_mode, COLOR_NEVER);
	assert_int_equal(p.cfg.summary_ms, 1000);
	parsed_free(&p);
	/* And a fresh parse forgets all of it. */
	p = parse(NULL);
	assert_run(&p);
	assert_default_config(&p.cfg);
	parsed_free(&p);
}

static void test_help_new_options(void **state)
{
	static const char *const names[] = {
		"--uid USER",	  "--pid PID",	       "--cgroup PATH", "--container ID",
		"--name TEXT",	  "--exe PATTERN",     "--arg TEXT",	"--arg-regex REGEX",
		"--failed",	  "--succeeded",       "--json-fields", "--fields LIST",
		"--time",	  "--timestamp",       "--quote",	"--max-args N",
		"--color[=WHEN]", "--summary SECONDS",
	};
	struct parsed p;
	size_t i;

	(void)state;
	p = parse("--help", NULL);
	assert_int_equal(p.result, CLI_EXIT_OK);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strstr(p.out, names[i]))
			fail_msg("--help does not mention %s", names[i]);
	parsed_free(&p);
}

static void test_parse_size(void **state)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} ok[] = {
		{ "0", 0 },
		{ "1", 1 },
		{ "1048576", 1048576 },
		{ "8k", 8192 },
		{ "8K", 8192 },
		{ "8m", 8u << 20 },
		{ "8M", 8u << 20 },
		{ "1g", 1u << 30 },
		{ "1G", 1u << 30 },
		{ "8KiB", 8192 },
		{ "8kB", 8192 },
		{ "8MiB", 8u << 20 },
		{ "8MB", 8u << 20 },
		{ "1GiB", 1u << 30 },
		{ "1GB", 1u << 30 },
		{ "007", 7 },
		{ "18446744073709551615", UINT64_MAX },
		{ "17179869183G", 17179869183ULL << 30 },
		{ "17592186044415M", 17592186044415ULL << 20 },
	};
	static const struct {
		const char *text;
		int err;
	} bad[] = {
		{ "", -EINVAL },
		{ "8Q", -EINVAL },
		{ "Q", -EINVAL },
		{ "M", -EINVAL },
		{ "-1", -EINVAL },
		{ "+1", -EINVAL },
		{ " 1", -EINVAL },
		{ "1 ", -EINVAL },
		{ "1.5M", -EINVAL },
		{ "8Mi", -EINVAL },
		{ "8MiBx", -EINVAL },
		{ "8MM", -EINVAL },
		{ "8T", -EINVAL },
		{ "0x10", -EINVAL },
		{ "99999999999999999999G", -ERANGE },
		{ "99999999999999999999", -ERANGE },
		{ "18446744073709551616", -ERANGE },
		{ "17179869184G", -ERANGE },
		{ "17592186044416M", -ERANGE },
	};
	uint64_t bytes;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		bytes = 12345;
		if (cli_parse_size(ok[i].text, &bytes) != 0)
			fail_msg("[%s] rejected", ok[i].text);
		if (bytes != ok[i].bytes)
			fail_msg("[%s]: got %llu", ok[i].text, (unsigned long long)bytes);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = cli_parse_size(bad[i].text, &bytes);

		if (err != bad[i].err)
			fail_msg("[%s]: got %d, want %d", bad[i].text, err, bad[i].err);
	}
	assert_int_equal(cli_parse_size(NULL, &bytes), -EINVAL);
}

/* Whitespace strtoull would skip must not let a sign (or anything) through. */
static void test_parse_size_whitespace_sign(void **state)
{
	static const struct {
		const char *text;
		const char *shown;
	} bad[] = {
		{ "\t-1", "\\t-1" }, { "\n-1", "\\n-1" }, { "\t1", "\\t1" },
		{ "\v8M", "\\v8M" }, { "\r+1", "\\r+1" },
	};
	uint64_t bytes;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err;

		bytes = 12345;
		err = cli_parse_size(bad[i].text, &bytes);
		if (err != -EINVAL)
			fail_msg("cli_parse_size(\"%s\") returned %d with bytes=%llu, want -EINVAL",
				 bad[i].shown, err, (unsigned long long)bytes);
	}
}

static void test_parse_seconds(void **state)
{
	static const struct {
		const char *text;
		uint64_t ms;
	} ok[] = {
		{ "10", 10000 },   { "0.5", 500 },  { "2.5", 2500 },
		{ "0.0001", 1 },   { "0.0015", 2 }, { "1e9", 1000000000000ULL },
		{ "1E2", 100000 }, { ".5", 500 },   { "5.", 5000 },
	};
	static const struct {
		const char *text;
		int err;
	} bad[] = {
		{ "", -EINVAL },      { " 1", -EINVAL },	   { "abc", -EINVAL },
		{ "1x", -EINVAL },    { "1 ", -EINVAL },	   { "inf", -EINVAL },
		{ "-inf", -EINVAL },  { "nan", -EINVAL },	   { "1e999", -EINVAL },
		{ "0", -ERANGE },     { "-1", -EINVAL },	   { "-0", -EINVAL },
		{ "1e9.5", -EINVAL }, { "1000000000.5", -ERANGE }, { "1e10", -ERANGE },
	};
	uint64_t ms;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ms = 12345;
		if (cli_parse_seconds(ok[i].text, &ms) != 0)
			fail_msg("[%s] rejected", ok[i].text);
		if (ms != ok[i].ms)
			fail_msg("[%s]: got %llu", ok[i].text, (unsigned long long)ms);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = cli_parse_seconds(bad[i].text, &ms);

		if (err != bad[i].err)
			fail_msg("[%s]: got %d, want %d", bad[i].text, err, bad[i].err);
	}
	assert_int_equal(cli_parse_seconds(NULL, &ms), -EINVAL);
}

static void test_usage_to_stream(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	cli_usage(f);
	fclose(f);
	assert_true(len > 500);
	assert_true(strncmp(text, "Usage: execwatch", 16) == 0);
	assert_non_null(strstr(text, "Exit status:"));
	free(text);
}

/*
 * Hostile arguments never reach a terminal raw: ESC, newlines, invalid UTF-8
 * and non-ASCII in a value or an option name are escaped in the message
 * (escape_message), so it is printable ASCII with one newline, at its end.
 */
static void assert_ascii_line(const struct parsed *p)
{
	size_t i;

	for (i = 0; i < p->err_len; i++) {
		unsigned char c = (unsigned char)p->err[i];

		if (c == '\n' ? i != p->err_len - 1 : (c < 0x20 || c >= 0x7f))
			fail_msg("byte 0x%02x at %zu in: %s", c, i, p->err);
	}
}

static void test_hostile_values_escaped(void **state)
{
	static const struct {
		const char *arg, *want;
	} cases[] = {
		{ "--color=\x1b[31mred\nexecwatch: forged",
		  "execwatch: --color takes auto, always or never, not "
		  "'\\e[31mred\\nexecwatch: forged'\n" },
		{ "--output-mode=\xc3\x28\xff'x\\",
		  "execwatch: --output-mode takes 0600 or 0640, not '\\xc3(\\xff\\'x\\\\'\n" },
		{ "--max-args=\xc3\xa9\xe2\x80\xae",
		  "execwatch: --max-args needs a positive number, "
		  "not '\\u{00e9}\\u{202e}'\n" },
		{ "--bog\x1b]0;pwned\x07us",
		  "execwatch: unknown option '--bog\\e]0;pwned\\x07us'\n" },
		{ "--json=\x1b[2J", "execwatch: option '--json' takes no value\n" },
		{ "--uid=nosuchuser\r\x9b", "execwatch: --uid: 'nosuchuser\\r\\x9b' is neither a "
					    "user name nor a uid\n" },
		{ "--syslog=tcp://\x1b[2J\n", "execwatch: --syslog 'tcp://\\e[2J\\n': " },
	};
	struct parsed p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p = parse(cases[i].arg, NULL);
		if (p.result != CLI_EXIT_USAGE)
			fail_msg("case %zu accepted", i);
		if (strncmp(p.err, cases[i].want, strlen(cases[i].want)))
			fail_msg("for case %zu\n got: %s\nwant: %s", i, p.err, cases[i].want);
		/* Only the first line: "Try 'execwatch --help'" may follow. */
		p.err_len = strcspn(p.err, "\n") + 1;
		assert_ascii_line(&p);
		parsed_free(&p);
	}
	p = parse("--json", "stray\n\x1b[1Aexecwatch: all good", NULL);
	assert_int_equal(p.result, CLI_EXIT_USAGE);
	assert_non_null(strstr(p.err, "unexpected argument 'stray\\n\\e[1Aexecwatch: all good'\n"));
	parsed_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_defaults, free_live),
		cmocka_unit_test_teardown(test_json_flag, free_live),
		cmocka_unit_test_teardown(test_bool_flags, free_live),
		cmocka_unit_test_teardown(test_all_options_together, free_live),
		cmocka_unit_test_teardown(test_duration_ok, free_live),
		cmocka_unit_test_teardown(test_duration_spellings, free_live),
		cmocka_unit_test_teardown(test_duration_rejected, free_live),
		cmocka_unit_test_teardown(test_duration_exact_milliseconds, free_live),
		cmocka_unit_test_teardown(test_max_argv_bytes, free_live),
		cmocka_unit_test_teardown(test_ring_size, free_live),
		cmocka_unit_test_teardown(test_help, free_live),
		cmocka_unit_test_teardown(test_help_stops_parsing, free_live),
		cmocka_unit_test_teardown(test_version, free_live),
		cmocka_unit_test_teardown(test_unknown_option, free_live),
		cmocka_unit_test_teardown(test_value_for_flag_json, free_live),
		cmocka_unit_test_teardown(test_value_for_flag_no_header, free_live),
		cmocka_unit_test_teardown(test_missing_value, free_live),
		cmocka_unit_test_teardown(test_stray_argument, free_live),
		cmocka_unit_test_teardown(test_parse_twice, free_live),
		cmocka_unit_test_teardown(test_uid, free_live),
		cmocka_unit_test_teardown(test_pid, free_live),
		cmocka_unit_test_teardown(test_ancestors_pid_map_size, free_live),
		cmocka_unit_test_teardown(test_syscall_hooks, free_live),
		cmocka_unit_test_teardown(test_counts_take_no_size_suffix, free_live),
		cmocka_unit_test_teardown(test_string_filters, free_live),
		cmocka_unit_test_teardown(test_arg_regex, free_live),
		cmocka_unit_test_teardown(test_result_filters, free_live),
		cmocka_unit_test_teardown(test_execsnoop_noops, free_live),
		cmocka_unit_test_teardown(test_time_quote_max_args, free_live),
		cmocka_unit_test_teardown(test_fields_options, free_live),
		cmocka_unit_test_teardown(test_color, free_live),
		cmocka_unit_test_teardown(test_summary, free_live),
		cmocka_unit_test_teardown(test_new_options_together, free_live),
		cmocka_unit_test_teardown(test_help_new_options, free_live),
		cmocka_unit_test_teardown(test_parse_size, free_live),
		cmocka_unit_test_teardown(test_parse_size_whitespace_sign, free_live),
		cmocka_unit_test_teardown(test_parse_seconds, free_live),
		cmocka_unit_test_teardown(test_usage_to_stream, free_live),
		cmocka_unit_test_teardown(test_hostile_values_escaped, free_live),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, free_live);
}
