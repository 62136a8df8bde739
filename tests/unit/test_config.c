// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/config.c: the file format (flags, "key = value",
 * blanks, quotes, comment lines, '#' inside values, CRLF, no final newline),
 * errors with their line numbers (unknown keys, dashes, flags given values,
 * options missing values, values the command-line parser refuses, forbidden
 * keys, NUL bytes, over-long lines), reading files, and the merge with the
 * command line: the file's options come first, so the command line wins.
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

#include "config.h"

/* Parse text; on failure the message goes to *msg (caller frees). */
static int parse(const char *text, struct config_args *args, char **msg)
{
	size_t msg_len = 0;
	FILE *err = open_memstream(msg, &msg_len);
	int rc;

	assert_non_null(err);
	memset(args, 0, sizeof(*args));
	rc = config_parse_text(text, strlen(text), "test.conf", args, err);
	fclose(err);
	return rc;
}

static void test_format(void **state)
{
	struct config_args args;
	char *msg = NULL;

	(void)state;
	assert_int_equal(parse("# comment\n"
			       "\n"
			       "   # indented comment\n"
			       "json\n"
			       "ring-size = 16M\n"
			       "\tname=bash  \n"
			       "arg-regex = a#b c\n"
			       "arg = \"  spaced \"\r\n"
			       "no-header",
			       &args, &msg),
			 0);
	assert_int_equal(args.argc, 6);
	assert_string_equal(args.argv[0], "--json");
	assert_string_equal(args.argv[1], "--ring-size=16M");
	assert_string_equal(args.argv[2], "--name=bash");
	assert_string_equal(args.argv[3], "--arg-regex=a#b c");
	assert_string_equal(args.argv[4], "--arg=  spaced ");
	assert_string_equal(args.argv[5], "--no-header");
	assert_null(args.argv[6]);
	assert_true(msg == NULL || msg[0] == '\0');
	free(msg);
	config_args_free(&args);
}

static void test_empty(void **state)
{
	struct config_args args;
	char *msg = NULL;

	(void)state;
	assert_int_equal(parse("", &args, &msg), 0);
	assert_int_equal(args.argc, 0);
	free(msg);
	msg = NULL;
	assert_int_equal(parse("\n# only comments\n\n", &args, &msg), 0);
	assert_int_equal(args.argc, 0);
	free(msg);
	config_args_free(&args);
}

/* Each bad text fails with exactly this message (line number included). */
static void expect_error(const char *text, const char *want)
{
	struct config_args args;
	char *msg = NULL;

	assert_int_equal(parse(text, &args, &msg), -EINVAL);
	assert_non_null(msg);
	if (strcmp(msg, want))
		fail_msg("for %s\n got: %s\nwant: %s", text, msg, want);
	free(msg);
	config_args_free(&args);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("json\nbogus = 1\n",
		     "execwatch: test.conf:2: unknown option 'bogus' (see execwatch --help)\n");
	/* getopt_long accepts abbreviations; the file does not. */
	expect_error("\n\nring = 8M\n",
		     "execwatch: test.conf:3: unknown option 'ring' (see execwatch --help)\n");
	expect_error("--json\n", "execwatch: test.conf:1: write the option without dashes: "
				 "'json'\n");
	expect_error("json = yes\n",
		     "execwatch: test.conf:1: 'json' is a flag and takes no value\n");
	expect_error("# x\nring-size\n",
		     "execwatch: test.conf:2: 'ring-size' needs a value: 'ring-size = ...'\n");
	expect_error("ring-size 8M\n",
		     "execwatch: test.conf:1: expected 'key = value' or 'key', not "
		     "'ring-size 8M'\n");
	expect_error("= 3\n", "execwatch: test.conf:1: unknown option '' (see execwatch --help)\n");
	/* Values are checked by the command-line parser, reported with the line. */
	expect_error("json\n\n\nring-size = 17M\n",
		     "execwatch: test.conf:4: --ring-size must be a power of two from 64K to 1G "
		     "(e.g. 8M), not '17M'\n");
	expect_error("duration = -1\n", "execwatch: test.conf:1: --duration needs a positive "
					"number of seconds, not '-1'\n");
	expect_error("metrics-interval = 0\n",
		     "execwatch: test.conf:1: --metrics-interval needs a positive number of "
		     "seconds, not '0'\n");
	expect_error("help\n", "execwatch: test.conf:1: 'help' is not allowed in a config file\n");
	expect_error("config = /etc/x\n",
		     "execwatch: test.conf:1: 'config' is not allowed in a config file\n");
	expect_error("check\n",
		     "execwatch: test.conf:1: 'check' is not allowed in a config file\n");
}

static void test_nul_and_long_line(void **state)
{
	struct config_args args;
	char *msg = NULL, *text;
	size_t msg_len = 0;
	FILE *err;

	(void)state;
	err = open_memstream(&msg, &msg_len);
	assert_non_null(err);
	memset(&args, 0, sizeof(args));
	assert_int_equal(config_parse_text("json\nna\0me = x\n", 15, "t", &args, err), -EINVAL);
	fclose(err);
	assert_string_equal(msg, "execwatch: t:2: a NUL byte: this is not a text file\n");
	free(msg);
	config_args_free(&args);

	/* The text is not NUL-terminated: a key of dashes at its very end (fuzz). */
	text = malloc(2);
	assert_non_null(text);
	memcpy(text, "--", 2);
	msg = NULL;
	err = open_memstream(&msg, &msg_len);
	assert_int_equal(config_parse_text(text, 2, "t", &args, err), -EINVAL);
	fclose(err);
	assert_string_equal(msg, "execwatch: t:1: write the option without dashes: ''\n");
	free(msg);
	free(text);

	text = malloc(CONFIG_LINE_MAX + 20);
	assert_non_null(text);
	memset(text, 'a', CONFIG_LINE_MAX + 10);
	memcpy(text, "name = ", 7);
	text[CONFIG_LINE_MAX + 10] = '\0';
	msg = NULL;
	assert_int_equal(parse(text, &args, &msg), -EINVAL);
	assert_string_equal(msg, "execwatch: test.conf:1: line longer than 4096 bytes\n");
	free(msg);
	free(text);
	config_args_free(&args);
}

static char *write_temp(const char *text)
{
	char *path = strdup("/tmp/ew-test-config-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_load_file(void **state)
{
	struct config_args args = { 0 };
	char *path = write_temp("json\nmax-args = 3\n");
	char *msg = NULL;
	size_t msg_len = 0;
	FILE *err;

	(void)state;
	err = open_memstream(&msg, &msg_len);
	assert_int_equal(config_load_file(path, &args, err), 0);
	assert_int_equal(args.argc, 2);
	assert_string_equal(args.argv[1], "--max-args=3");
	config_args_free(&args);
	unlink(path);
	assert_int_equal(config_load_file(path, &args, err), -ENOENT);
	assert_int_equal(config_load_file("/tmp", &args, err), -EINVAL);
	fclose(err);
	assert_non_null(strstr(msg, "No such file or directory"));
	assert_non_null(strstr(msg, "is not a regular file"));
	free(msg);
	free(path);
}

/* A hostile key, value or file name is escaped in the message: printable ASCII, one line. */
static void test_hostile_escaped(void **state)
{
	struct config_args args;
	char *msg = NULL;
	size_t msg_len = 0, i;
	FILE *err;

	(void)state;
	expect_error(
		"bogus\x1b[2J = 1\n",
		"execwatch: test.conf:1: unknown option 'bogus\\e[2J' (see execwatch --help)\n");
	expect_error("ring-size = 1\x1b]0;t\x07\n", "execwatch: test.conf:1: --ring-size must be a "
						    "power of two from 64K to 1G (e.g. 8M), not "
						    "'1\\e]0;t\\x07'\n");
	expect_error("color = \xff\xfe\xc3\xa9\r\n",
		     "execwatch: test.conf:1: --color takes auto, "
		     "always or never, not '\\xff\\xfe\\u{00e9}'\n");
	expect_error("--\x9b\x31m\n",
		     "execwatch: test.conf:1: write the option without dashes: '\\x9b1m'\n");
	expect_error("json yes\x1b[A\n", "execwatch: test.conf:1: expected 'key = value' or 'key', "
					 "not 'json yes\\e[A'\n");
	/* The file name starts every message: it cannot forge one either. */
	err = open_memstream(&msg, &msg_len);
	assert_non_null(err);
	memset(&args, 0, sizeof(args));
	assert_int_equal(config_parse_text("bogus\n", 6, "a.conf:9: ok\nexecwatch: \x1b[1m", &args,
					   err),
			 -EINVAL);
	assert_int_equal(config_load_file("/nonexistent/\n\x1b[2J", &args, err), -ENOENT);
	fclose(err);
	assert_string_equal(msg, "execwatch: a.conf:9: ok\\nexecwatch: \\e[1m:1: unknown option "
				 "'bogus' (see execwatch --help)\n"
				 "execwatch: cannot read the config file '/nonexistent/\\n\\e[2J': "
				 "No such file or directory\n");
	for (i = 0; i < msg_len; i++)
		assert_true(msg[i] == '\n' || (msg[i] >= 0x20 && msg[i] < 0x7f));
	free(msg);
	config_args_free(&args);
}

static enum cli_result merge(char **argv, int argc, struct config *cfg, struct config_args *keep,
			     char **msg)
{
	size_t msg_len = 0;
	FILE *err = open_memstream(msg, &msg_len);
	enum cli_result rc;

	rc = config_cli_parse(argc, argv, cfg, keep, err, err);
	fclose(err);
	return rc;
}

static void test_command_line_wins(void **state)
{
	char *path = write_temp("json\nring-size = 16M\nname = fromfile\nmetrics-interval = 5\n");
	char *argv[] = { "execwatch", "--config", path, "--ring-size=1M", NULL };
	struct config_args keep;
	struct config cfg;
	char *msg = NULL;

	(void)state;
	assert_int_equal(merge(argv, 4, &cfg, &keep, &msg), CLI_RUN);
	assert_int_equal(cfg.format, OUTPUT_JSON);
	assert_int_equal(cfg.ring_bytes, 1024 * 1024);
	assert_string_equal(cfg.filter.name, "fromfile");
	assert_int_equal(cfg.metrics_interval_ms, 5000);
	assert_string_equal(cfg.config_path, path);
	config_args_free(&keep);
	free(msg);

	/* Without --config nothing is read and nothing is kept. */
	msg = NULL;
	assert_int_equal(merge(argv, 1, &cfg, &keep, &msg), CLI_RUN);
	assert_int_equal(cfg.format, OUTPUT_TEXT);
	assert_int_equal(keep.argc, 0);
	free(msg);
	unlink(path);
	free(path);
}

static void test_merge_errors(void **state)
{
	char *path = write_temp("json\nbogus\n");
	char *argv[] = { "execwatch", "--config=", NULL, NULL };
	struct config_args keep;
	struct config cfg;
	char *msg = NULL, *opt;

	(void)state;
	assert_true(asprintf(&opt, "--config=%s", path) > 0);
	argv[1] = opt;
	assert_int_equal(merge(argv, 2, &cfg, &keep, &msg), CLI_EXIT_USAGE);
	assert_non_null(strstr(msg, ":2: unknown option 'bogus'"));
	assert_int_equal(keep.argc, 0);
	free(msg);
	unlink(path);

	msg = NULL;
	assert_int_equal(merge(argv, 2, &cfg, &keep, &msg), CLI_EXIT_USAGE);
	assert_non_null(strstr(msg, "cannot read the config file"));
	free(msg);

	/* --help on the command line wins before any file is read. */
	msg = NULL;
	argv[2] = "--help";
	assert_int_equal(merge(argv, 3, &cfg, &keep, &msg), CLI_EXIT_OK);
	free(msg);
	free(opt);
	free(path);
}

/*
 * Options that need another one (rotate-size needs output) are checked on
 * the merged arguments, not line by line: the file may name them in any order.
 */
static void test_companion_options(void **state)
{
	char *path =
		write_temp("json\nrotate-size = 10M\noutput = /tmp/x.jsonl\nrotate-keep = 3\n");
	char *orphan = write_temp("rotate-size = 10M\n");
	char *argv[] = { "execwatch", "--config", path, NULL };
	struct config_args keep;
	struct config cfg;
	char *msg = NULL;

	(void)state;
	assert_int_equal(merge(argv, 3, &cfg, &keep, &msg), CLI_RUN);
	assert_string_equal(cfg.output_path, "/tmp/x.jsonl");
	assert_int_equal(cfg.rotate_bytes, 10 * 1024 * 1024);
	assert_int_equal(cfg.rotate_keep, 3);
	config_args_free(&keep);
	free(msg);

	/* Without its companion anywhere, still refused. */
	msg = NULL;
	argv[2] = orphan;
	assert_int_equal(merge(argv, 3, &cfg, &keep, &msg), CLI_EXIT_USAGE);
	assert_non_null(strstr(msg, "need --output FILE"));
	free(msg);
	unlink(path);
	unlink(orphan);
	free(path);
	free(orphan);
}

/* The service options themselves, as cli_parse sees them. */
static void test_service_options(void **state)
{
	char *argv[] = {
		"execwatch",   "--check", "--metrics-file", "/run/x.prom", "--metrics-interval=2.5",
		"--bpf-stats", NULL
	};
	char *bad[] = { "execwatch", "--metrics-file=", NULL };
	char *msg = NULL;
	size_t msg_len = 0;
	struct config cfg;
	FILE *err;

	(void)state;
	cli_defaults(&cfg);
	assert_int_equal(cfg.metrics_interval_ms, 15000);
	assert_null(cfg.metrics_path);
	assert_false(cfg.check);
	assert_false(cfg.bpf_stats);
	err = open_memstream(&msg, &msg_len);
	assert_int_equal(cli_parse(6, argv, &cfg, err, err), CLI_RUN);
	assert_true(cfg.check);
	assert_string_equal(cfg.metrics_path, "/run/x.prom");
	assert_int_equal(cfg.metrics_interval_ms, 2500);
	assert_true(cfg.bpf_stats);
	assert_int_equal(cli_parse(2, bad, &cfg, err, err), CLI_EXIT_USAGE);
	fclose(err);
	assert_string_equal(msg, "execwatch: --metrics-file needs a file name\n");
	free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_and_long_line),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_command_line_wins),
		cmocka_unit_test(test_merge_errors),
		cmocka_unit_test(test_service_options),
		cmocka_unit_test(test_companion_options),
		cmocka_unit_test(test_hostile_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
