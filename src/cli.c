// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Command-line parsing with getopt_long. getopt keeps state in globals
 * (optind, opterr); cli_parse() resets them on entry so it can be called
 * again, which the unit tests do.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"

#ifndef EXECWATCH_VERSION
#define EXECWATCH_VERSION "0.0.0"
#endif

enum long_only_option {
	OPT_MAX_ARGV_BYTES = 0x100,
	OPT_RING_SIZE,
	OPT_NO_HEADER,
};

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "duration", required_argument, NULL, 'd' },
	{ "max-argv-bytes", required_argument, NULL, OPT_MAX_ARGV_BYTES },
	{ "ring-size", required_argument, NULL, OPT_RING_SIZE },
	{ "no-header", no_argument, NULL, OPT_NO_HEADER },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void cli_usage(FILE *out)
{
	fprintf(out,
		"Usage: execwatch [OPTION]...\n"
		"Trace every program execution on this machine: who ran what, with which\n"
		"arguments, and whether it succeeded. Needs root (CAP_BPF, CAP_PERFMON and\n"
		"CAP_SYS_ADMIN to mount tracefs when it is missing).\n"
		"\n"
		"Output:\n"
		"  -j, --json                 JSON Lines, one object per line (docs/json-schema.md)\n"
		"      --no-header            text: do not print the column header\n"
		"\n"
		"Capture:\n"
		"      --max-argv-bytes N     argv bytes captured per exec (default %u, %u..%u);\n"
		"                             longer argv is cut and marked truncated\n"
		"      --ring-size SIZE       BPF ring buffer size, a power of two (default 8M,\n"
		"                             64K..1G; suffixes K, M, G)\n"
		"\n"
		"Run:\n"
		"  -d, --duration SECONDS     stop after SECONDS (default: until Ctrl-C)\n"
		"  -v, --verbose              print libbpf's log on stderr\n"
		"  -h, --help                 show this help and exit\n"
		"  -V, --version              show the version and exit\n"
		"\n"
		"Exit status: 0 on success (also when the output pipe closes), 1 when tracing\n"
		"could not start or output failed, 2 on a bad command line.\n"
		"\n"
		"Examples:\n"
		"  execwatch                        every exec, one line each\n"
		"  execwatch --json -d 60 > log     a minute of JSON Lines into a file\n"
		"  execwatch --json | jq -c 'select(.ret < 0)'   failed execs only\n",
		EW_ARGV_DEFAULT_BYTES, CLI_ARGV_MIN_BYTES, EW_ARGV_CEILING_BYTES);
}

void cli_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->format = OUTPUT_TEXT;
	cfg->max_argv_bytes = EW_ARGV_DEFAULT_BYTES;
	cfg->ring_bytes = CLI_RING_DEFAULT_BYTES;
}

int cli_parse_size(const char *text, uint64_t *bytes)
{
	unsigned long long value;
	char *end;
	int shift = 0;

	/* strtoull would skip white space and accept a sign: only digits may lead. */
	if (!text || !isdigit((unsigned char)*text))
		return -EINVAL;
	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == text)
		return -EINVAL;
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	default:
		return -EINVAL;
	}
	if (*end && end[1] != '\0' && strcmp(end + 1, "iB") != 0 && strcmp(end + 1, "B") != 0)
		return -EINVAL;
	if (value > (UINT64_MAX >> shift))
		return -ERANGE;
	*bytes = (uint64_t)value << shift;
	return 0;
}

int cli_parse_seconds(const char *text, uint64_t *ms)
{
	double seconds;
	char *end;

	if (!text || !(isdigit((unsigned char)*text) || *text == '.'))
		return -EINVAL;
	errno = 0;
	seconds = strtod(text, &end);
	if (end == text || *end != '\0' || errno == ERANGE || !isfinite(seconds))
		return -EINVAL;
	if (seconds <= 0 || seconds > 1e9)
		return -ERANGE;
	/*
	 * Round up, so it never stops early, but forgive the binary floating
	 * point error in values like 2.007 (2006.9999... ms).
	 */
	*ms = (uint64_t)ceil(seconds * 1000.0 - 1e-6);
	if (*ms == 0)
		*ms = 1;
	return 0;
}

/*
 * getopt_long's '?' covers three cases: an unknown long option, a known long
 * option given a value it does not take (optopt is then that option's value,
 * which may not be a printable character), and an unknown short option.
 */
static void report_bad_option(FILE *err, const char *arg, int optopt_value)
{
	if (!strncmp(arg, "--", 2)) {
		size_t name_len = strcspn(arg, "=");

		if (optopt_value && arg[name_len] == '=')
			fprintf(err, "execwatch: option '%.*s' takes no value\n", (int)name_len,
				arg);
		else
			fprintf(err, "execwatch: unknown option '%.*s'\n", (int)name_len, arg);
	} else if (optopt_value > 0x20 && optopt_value < 0x7f) {
		fprintf(err, "execwatch: unknown option '-%c'\n", optopt_value);
	} else {
		fprintf(err, "execwatch: unknown option '%s'\n", arg);
	}
}

static bool is_power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

enum cli_result cli_parse(int argc, char **argv, struct config *cfg, FILE *out, FILE *err)
{
	uint64_t value;
	int opt;

	cli_defaults(cfg);
	optind = 0; /* 0, not 1: also resets getopt's internal state (glibc) */
	opterr = 0; /* we print our own messages, to err */
	while ((opt = getopt_long(argc, argv, ":jd:vhV", long_options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			cfg->format = OUTPUT_JSON;
			break;
		case 'd':
			if (cli_parse_seconds(optarg, &cfg->duration_ms)) {
				fprintf(err,
					"execwatch: --duration needs a positive number of seconds, "
					"not '%s'\n",
					optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case OPT_MAX_ARGV_BYTES:
			if (cli_parse_size(optarg, &value) || value < CLI_ARGV_MIN_BYTES ||
			    value > EW_ARGV_CEILING_BYTES) {
				fprintf(err,
					"execwatch: --max-argv-bytes must be a number from %u to %u, "
					"not '%s'\n",
					CLI_ARGV_MIN_BYTES, EW_ARGV_CEILING_BYTES, optarg);
				return CLI_EXIT_USAGE;
			}
			cfg->max_argv_bytes = (uint32_t)value;
			break;
		case OPT_RING_SIZE:
			if (cli_parse_size(optarg, &value) || value < CLI_RING_MIN_BYTES ||
			    value > CLI_RING_MAX_BYTES || !is_power_of_two(value)) {
				fprintf(err,
					"execwatch: --ring-size must be a power of two from 64K to 1G "
					"(e.g. 8M), not '%s'\n",
					optarg);
				return CLI_EXIT_USAGE;
			}
			cfg->ring_bytes = value;
			break;
		case OPT_NO_HEADER:
			cfg->no_header = true;
			break;
		case 'v':
			cfg->verbose = true;
			break;
		case 'h':
			cli_usage(out);
			return CLI_EXIT_OK;
		case 'V':
			fprintf(out, "execwatch %s\n", EXECWATCH_VERSION);
			return CLI_EXIT_OK;
		case ':':
			fprintf(err, "execwatch: option '%s' needs a value\n", argv[optind - 1]);
			fprintf(err, "Try 'execwatch --help' for more information.\n");
			return CLI_EXIT_USAGE;
		default:
			report_bad_option(err, argv[optind - 1], optopt);
			fprintf(err, "Try 'execwatch --help' for more information.\n");
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(err, "execwatch: unexpected argument '%s'\n", argv[optind]);
		fprintf(err, "Try 'execwatch --help' for more information.\n");
		return CLI_EXIT_USAGE;
	}
	return CLI_RUN;
}
