// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: the command line.
 *
 * The input is split at NUL bytes into arguments (at most 32), each in its
 * own heap block so ASan sees a read past its end, and given to cli_parse()
 * after "execwatch", with stdout and stderr captured by open_memstream(). The
 * target checks the contract of cli.h: the result is one of the three
 * documented values; a run configuration is within the documented limits
 * (ring size a power of two from 64K to 1G, argv limit from 64 to 128K) and
 * printed nothing; a bad command line prints one message starting
 * "execwatch: " on err, in printable ASCII (arguments escaped), and nothing
 * on out; --help and --version print on
 * out only. Each argument
 * is also given to cli_parse_size() and cli_parse_seconds() directly.
 *
 * cli_parse() compiles --arg-regex with glibc's regcomp, which copies the
 * subtree for every stacked repetition ("a+++...+" with 30 of them takes
 * over 2 GiB): inputs with an argument holding a '{' or more than 8 of
 * "+*?" are skipped, since that is the operator's regex, not a bug to find.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "event.h"
#include "fuzz_check.h"

#define MAX_ARGS 32

static bool regex_bomb(const char *arg)
{
	int quantifiers = 0;

	if (strchr(arg, '{'))
		return true;
	for (; *arg; arg++)
		quantifiers += strchr("+*?", *arg) != NULL;
	return quantifiers > 8;
}

static void check_helpers(const char *arg)
{
	uint64_t value = 0, ms = 0;
	int err;

	err = cli_parse_size(arg, &value);
	FUZZ_CHECK(err == 0 || err == -EINVAL || err == -ERANGE, "cli_parse_size: %d", err);
	if (!err)
		FUZZ_CHECK(arg[0] >= '0' && arg[0] <= '9', "size '%s' accepted", arg);
	err = cli_parse_seconds(arg, &ms);
	FUZZ_CHECK(err == 0 || err == -EINVAL || err == -ERANGE, "cli_parse_seconds: %d", err);
	if (!err)
		FUZZ_CHECK(ms >= 1 && ms <= 1000000000000ULL, "'%s' gave %llu ms", arg,
			   (unsigned long long)ms);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *owned[MAX_ARGS + 1], *argv[MAX_ARGS + 2];
	char *out_text = NULL, *err_text = NULL;
	size_t out_len = 0, err_len = 0, pos = 0;
	int argc = 1, nowned = 0, i;
	enum cli_result result;
	struct config cfg;
	FILE *out, *err;

	argv[0] = "execwatch";
	while (pos < size && nowned < MAX_ARGS) {
		const uint8_t *nul = memchr(data + pos, '\0', size - pos);
		size_t len = nul ? (size_t)(nul - (data + pos)) : size - pos;
		char *arg = malloc(len + 1);

		FUZZ_CHECK(arg != NULL, "malloc");
		memcpy(arg, data + pos, len);
		arg[len] = '\0';
		owned[nowned++] = arg;
		argv[argc++] = arg;
		pos += len + 1;
	}
	argv[argc] = NULL;
	for (i = 0; i < nowned; i++) {
		if (regex_bomb(owned[i]))
			goto out;
		check_helpers(owned[i]);
	}

	out = open_memstream(&out_text, &out_len);
	err = open_memstream(&err_text, &err_len);
	FUZZ_CHECK(out && err, "open_memstream");
	memset(&cfg, 0xa5, sizeof(cfg));
	result = cli_parse(argc, argv, &cfg, out, err);
	fclose(out);
	fclose(err);

	switch (result) {
	case CLI_RUN:
		FUZZ_CHECK(out_len == 0 && err_len == 0, "a run configuration printed something");
		FUZZ_CHECK(cfg.format == OUTPUT_TEXT || cfg.format == OUTPUT_JSON, "format %d",
			   (int)cfg.format);
		FUZZ_CHECK(cfg.max_argv_bytes >= CLI_ARGV_MIN_BYTES &&
				   cfg.max_argv_bytes <= EW_ARGV_CEILING_BYTES,
			   "max_argv_bytes %u", cfg.max_argv_bytes);
		FUZZ_CHECK(cfg.ring_bytes >= CLI_RING_MIN_BYTES &&
				   cfg.ring_bytes <= CLI_RING_MAX_BYTES &&
				   !(cfg.ring_bytes & (cfg.ring_bytes - 1)),
			   "ring_bytes %llu", (unsigned long long)cfg.ring_bytes);
		break;
	case CLI_EXIT_OK:
		FUZZ_CHECK(out_len > 0 && err_len == 0, "--help/--version output");
		break;
	case CLI_EXIT_USAGE:
		FUZZ_CHECK(out_len == 0, "usage error printed on out");
		/*
		 * One line quoting the offending argument escaped (printable
		 * ASCII: a --config line or a script's argument can be hostile),
		 * then at most the pointer to --help.
		 */
		FUZZ_CHECK(err_len > 11 && !memcmp(err_text, "execwatch: ", 11) &&
				   err_text[err_len - 1] == '\n',
			   "usage message: %.*s", (int)err_len, err_text);
		{
			size_t first = (size_t)(strchr(err_text, '\n') - err_text) + 1;
			size_t bad = fuzz_message_bad_byte(err_text, first, true);

			FUZZ_CHECK(bad == first, "byte 0x%02x at %zu in the message: %.*s",
				   (unsigned char)err_text[bad], bad, (int)err_len, err_text);
			FUZZ_CHECK(first == err_len ||
					   !strcmp(err_text + first, "Try 'execwatch --help' for "
								     "more information.\n"),
				   "more than the message: %.*s", (int)err_len, err_text);
		}
		break;
	default:
		FUZZ_CHECK(0, "result %d", (int)result);
	}
	free(out_text);
	free(err_text);
out:
	for (i = 0; i < nowned; i++)
		free(owned[i]);
	return 0;
}
