// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: the configuration file (--config).
 *
 * The input is the file's text, given to config_parse_text() with err
 * captured by open_memstream(). The contract of config.h: the result is 0,
 * -EINVAL or -ENOMEM; on success every argument is "--name" or
 * "--name=value" with an exact long option name, and cli_parse_alone()
 * accepts it (rules that tie options together apply only to the merged
 * argument list); on -EINVAL exactly one message was printed, "execwatch: fuzz.conf:N:
 * ..." with N a line that exists, in printable ASCII with its newline only at
 * the end (keys and values from the file are escaped); nothing is kept after a failure that the
 * caller frees. As in fuzz_cli.c, inputs with a '{' or more than 8 of "+*?"
 * are skipped (glibc's regcomp on a stacked-quantifier --arg-regex).
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_check.h"

static bool regex_bomb(const uint8_t *data, size_t size)
{
	int quantifiers = 0;
	size_t i;

	for (i = 0; i < size; i++) {
		if (data[i] == '{')
			return true;
		quantifiers += data[i] == '+' || data[i] == '*' || data[i] == '?';
	}
	return quantifiers > 8;
}

static bool known_option(const char *arg)
{
	const struct option *o;
	size_t len = strcspn(arg + 2, "=");

	for (o = cli_long_options(); o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, arg + 2, len))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_args args = { 0 };
	char *msg = NULL;
	size_t msg_len = 0, lines = 1, i;
	FILE *err;
	int rc;

	if (regex_bomb(data, size))
		return 0;
	err = open_memstream(&msg, &msg_len);
	if (!err)
		return 0;
	rc = config_parse_text((const char *)data, size, "fuzz.conf", &args, err);
	fclose(err);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM, "config_parse_text: %d", rc);
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (rc == 0) {
		FUZZ_CHECK(msg_len == 0, "success printed '%s'", msg);
		for (i = 0; i < (size_t)args.argc; i++) {
			char *argv[] = { (char *)"execwatch", args.argv[i], NULL };
			char *said = NULL;
			size_t said_len = 0;
			struct config cfg;
			FILE *sink = open_memstream(&said, &said_len);

			FUZZ_CHECK(!strncmp(args.argv[i], "--", 2) && known_option(args.argv[i]),
				   "argument '%s'", args.argv[i]);
			if (sink) {
				FUZZ_CHECK(cli_parse_alone(2, argv, &cfg, sink, sink) == CLI_RUN,
					   "cli_parse_alone refused '%s'", args.argv[i]);
				fclose(sink);
				free(said);
			}
		}
		FUZZ_CHECK(args.argc == 0 || args.argv[args.argc] == NULL, "argv not NULL-ended");
	} else if (rc == -EINVAL) {
		unsigned long line = 0;

		FUZZ_CHECK(msg && !strncmp(msg, "execwatch: fuzz.conf:", 21), "message '%s'", msg);
		line = strtoul(msg + 21, NULL, 10);
		FUZZ_CHECK(line >= 1 && line <= lines, "line %lu of %zu", line, lines);
		FUZZ_CHECK(strchr(msg, '\n') == msg + msg_len - 1, "not one line: '%s'", msg);
		FUZZ_CHECK(fuzz_message_bad_byte(msg, msg_len, true) == msg_len,
			   "byte 0x%02x at %zu in the message '%s'",
			   (unsigned char)msg[fuzz_message_bad_byte(msg, msg_len, true)],
			   fuzz_message_bad_byte(msg, msg_len, true), msg);
	}
	config_args_free(&args);
	free(msg);
	return 0;
}
