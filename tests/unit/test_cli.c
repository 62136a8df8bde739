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
	/* Unique abbreviations of long options work. */
	p = parse("--js", NULL);
	assert_run(&p);
	assert_int_equal(p.cfg.format, OUTPUT_JSON);
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
	p = parse("-x", NULL);
	assert_usage_error(&p, "unknown option '-x'");
	parsed_free(&p);
	p = parse("-jx", NULL);
	assert_usage_error(&p, "'-x'");
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

	/* Stopped in the middle of a cluster ("-xj"): the next parse is clean. */
	p = parse("-xj", NULL);
	assert_usage_error(&p, "'-x'");
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
		cmocka_unit_test_teardown(test_parse_size, free_live),
		cmocka_unit_test_teardown(test_parse_size_whitespace_sign, free_live),
		cmocka_unit_test_teardown(test_parse_seconds, free_live),
		cmocka_unit_test_teardown(test_usage_to_stream, free_live),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, free_live);
}
