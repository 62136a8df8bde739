// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Command-line parsing with getopt_long. getopt keeps state in globals
 * (optind, opterr); cli_parse() resets them on entry so it can be called
 * again, which the unit tests do.
 */
#include "cli.h"
#include "escape.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "sink_file.h"
#include "sink_syslog.h"

#ifndef EXECWATCH_VERSION
#define EXECWATCH_VERSION "0.0.0"
#endif

enum long_only_option {
	OPT_MAX_ARGV_BYTES = 0x100,
	OPT_RING_SIZE,
	OPT_NO_HEADER,
	OPT_CONTAINER,
	OPT_EXE,
	OPT_ARG_REGEX,
	OPT_FAILED,
	OPT_SUCCEEDED,
	OPT_MAX_ARGS,
	OPT_FIELDS,
	OPT_JSON_FIELDS,
	OPT_COLOR,
	OPT_SUMMARY,
	OPT_EXITS,
	OPT_NO_EXITS,
	/* Service: configuration file, self-check, metrics (issue 8). */
	OPT_CONFIG,
	OPT_CHECK,
	OPT_METRICS_FILE,
	OPT_METRICS_INTERVAL,
	OPT_BPF_STATS,
	OPT_POLICY,
	OPT_DRY_RUN,
	OPT_DENY_FALLBACK,
	OPT_OUTPUT,
	OPT_OUTPUT_MODE,
	OPT_ROTATE_SIZE,
	OPT_ROTATE_KEEP,
	OPT_SYSLOG,
	OPT_SYSLOG_FACILITY,
	OPT_SYSLOG_BUFFER,
	OPT_ANCESTORS,
	OPT_PID_MAP_SIZE,
	OPT_SYSCALL_HOOKS,
};

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "duration", required_argument, NULL, 'd' },
	{ "max-argv-bytes", required_argument, NULL, OPT_MAX_ARGV_BYTES },
	{ "ring-size", required_argument, NULL, OPT_RING_SIZE },
	{ "no-header", no_argument, NULL, OPT_NO_HEADER },
	{ "uid", required_argument, NULL, 'u' },
	{ "pid", required_argument, NULL, 'p' },
	{ "cgroup", required_argument, NULL, 'c' },
	{ "container", required_argument, NULL, OPT_CONTAINER },
	{ "name", required_argument, NULL, 'n' },
	{ "exe", required_argument, NULL, OPT_EXE },
	{ "line", required_argument, NULL, 'l' },
	{ "arg", required_argument, NULL, 'l' },
	{ "arg-regex", required_argument, NULL, OPT_ARG_REGEX },
	{ "failed", no_argument, NULL, OPT_FAILED },
	{ "succeeded", no_argument, NULL, OPT_SUCCEEDED },
	{ "fails", no_argument, NULL, 'x' },
	{ "time", no_argument, NULL, 'T' },
	{ "timestamp", no_argument, NULL, 't' },
	{ "print-uid", no_argument, NULL, 'U' },
	{ "quote", no_argument, NULL, 'q' },
	{ "max-args", required_argument, NULL, OPT_MAX_ARGS },
	{ "fields", required_argument, NULL, OPT_FIELDS },
	{ "json-fields", required_argument, NULL, OPT_JSON_FIELDS },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "summary", required_argument, NULL, OPT_SUMMARY },
	{ "exits", no_argument, NULL, OPT_EXITS },
	{ "no-exits", no_argument, NULL, OPT_NO_EXITS },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "metrics-file", required_argument, NULL, OPT_METRICS_FILE },
	{ "metrics-interval", required_argument, NULL, OPT_METRICS_INTERVAL },
	{ "bpf-stats", no_argument, NULL, OPT_BPF_STATS },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "deny-fallback", required_argument, NULL, OPT_DENY_FALLBACK },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "output-mode", required_argument, NULL, OPT_OUTPUT_MODE },
	{ "rotate-size", required_argument, NULL, OPT_ROTATE_SIZE },
	{ "rotate-keep", required_argument, NULL, OPT_ROTATE_KEEP },
	{ "syslog", required_argument, NULL, OPT_SYSLOG },
	{ "syslog-facility", required_argument, NULL, OPT_SYSLOG_FACILITY },
	{ "syslog-buffer", required_argument, NULL, OPT_SYSLOG_BUFFER },
	{ "ancestors", no_argument, NULL, OPT_ANCESTORS },
	{ "pid-map-size", required_argument, NULL, OPT_PID_MAP_SIZE },
	{ "syscall-hooks", required_argument, NULL, OPT_SYSCALL_HOOKS },
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
		"Filters (combine; uid, pid and cgroup are decided in the kernel):\n"
		"  -u, --uid USER[,USER]      only execs running as these users (names or numbers)\n"
		"  -p, --pid PID              only this process and its descendants, also later ones\n"
		"  -c, --cgroup PATH          only this cgroup v2 (e.g. /sys/fs/cgroup/x.slice) and below\n"
		"      --container ID         only this container (full id or a prefix)\n"
		"  -n, --name TEXT            only commands whose name (comm) contains TEXT\n"
		"      --exe PATTERN          only this executable: exact path, a prefix ending in /,\n"
		"                             or a glob (/usr/*/python*)\n"
		"  -l, --arg TEXT             only execs with an argument containing TEXT\n"
		"      --arg-regex REGEX      only execs with an argument matching REGEX (POSIX ERE)\n"
		"      --failed               only execs that failed;  --succeeded: only successful\n"
		"\n"
		"Output:\n"
		"  -j, --json                 JSON Lines, one object per line (docs/json-schema.md)\n"
		"      --json-fields LIST     JSON members to write (e.g. time,pid,filename,argv)\n"
		"      --fields LIST          text columns: time,pid,ppid,uid,ret,comm,file,argv,\n"
		"                             tid,euid,gid,pcomm,cgroup,container,exe,cwd\n"
		"  -T, --time                 time column as wall clock HH:MM:SS.mmm (default)\n"
		"  -t, --timestamp            time column as seconds since execwatch started\n"
		"  -q, --quote                arguments quoted for a shell ('...', $'\\x1b')\n"
		"      --max-args N           show at most N arguments per exec\n"
		"      --color[=WHEN]         colour failures and privilege changes: auto (default:\n"
		"                             on a terminal, unless NO_COLOR is set), always, never\n"
		"      --no-header            text: no column header\n"
		"      --exits, --no-exits    report process exits: exit code or signal, lifetime\n"
		"                             (default: on with --json, off in text)\n"
		"      --ancestors            JSON: each exec's chain of ancestors up to PID 1\n"
		"                             (pid, id, exe, argv), from a process table\n"
		"      --summary SECONDS      instead of one line per exec, every SECONDS a table of\n"
		"                             the most executed programs and their parents\n"
		"\n"
		"Destinations (stdout when no --output; --syslog is an additional one):\n"
		"      --output FILE          append to FILE (created mode 0600) instead of stdout;\n"
		"                             SIGHUP reopens it (logrotate)\n"
		"      --output-mode MODE     mode of a created FILE: 0600 (default) or 0640\n"
		"      --rotate-size SIZE     rename FILE to FILE.1 before it grows past SIZE\n"
		"                             (suffixes K, M, G; at least 4K)\n"
		"      --rotate-keep N        keep FILE.1 .. FILE.N (default %u)\n"
		"      --syslog URL           also send each exec and exit, as JSON in RFC 5424, to\n"
		"                             tcp://HOST:PORT, udp://HOST:PORT or unix:///PATH\n"
		"      --syslog-facility NAME facility (default authpriv; docs/syslog.md)\n"
		"      --syslog-buffer SIZE   messages kept while the collector is down (default 4M)\n"
		"\n"
		"Capture:\n"
		"      --max-argv-bytes N     argv bytes captured per exec (default %u, %u..%u);\n"
		"                             longer argv is cut and marked truncated\n"
		"      --ring-size SIZE       BPF ring buffer size, a power of two (default 8M,\n"
		"                             64K..1G; suffixes K, M, G)\n"
		"      --pid-map-size N       --pid: processes of the subtree the kernel can track\n"
		"                             at once (default 65536); more are counted as\n"
		"                             subtree_full\n"
		"      --syscall-hooks HOW    how execve's entry and exit are hooked: auto (default:\n"
		"                             fentry where the kernel allows it, else tracepoints),\n"
		"                             fentry, or tracepoint (slows every syscall a little)\n"
		"\n"
		"Policy (docs/policy.md):\n"
		"      --policy FILE          act on execs: YAML rules that log, kill or deny,\n"
		"                             decided in the kernel; SIGHUP reloads FILE\n"
		"      --dry-run              with --policy: report what would be done, do nothing\n"
		"      --deny-fallback=kill   where the kernel cannot deny (no BPF LSM), kill instead\n"
		"\n"
		"Run:\n"
		"  -d, --duration SECONDS     stop after SECONDS (default: until Ctrl-C)\n"
		"      --config FILE          read options from FILE first ('key = value' lines,\n"
		"                             e.g. /etc/execwatch/execwatch.conf); the command\n"
		"                             line wins\n"
		"      --check                print what this kernel supports and what execwatch\n"
		"                             will do about it; exit 0 if it can run, else 1\n"
		"      --metrics-file PATH    write Prometheus metrics (textfile collector format)\n"
		"                             to PATH, atomically, every --metrics-interval\n"
		"      --metrics-interval S   seconds between metrics writes (default %u)\n"
		"      --bpf-stats            turn on kernel.bpf_stats_enabled while running, for\n"
		"                             the BPF run time metrics (restored on exit)\n"
		"  -v, --verbose              print libbpf's log on stderr\n"
		"  -h, --help                 show this help and exit\n"
		"  -V, --version              show the version and exit\n"
		"\n"
		"execsnoop compatibility: -x (include failed execs: always on here), -U (UID\n"
		"column: shown by default), -T, -t, -u, -q, -n, -l (matches arguments, as its help\n"
		"says), -c, --max-args behave as in libbpf-tools execsnoop.\n"
		"\n"
		"Exit status: 0 on success (also when the output pipe closes), 1 when tracing\n"
		"could not start or output failed, 2 on a bad command line.\n"
		"\n"
		"Examples:\n"
		"  execwatch                        every exec, one line each\n"
		"  execwatch --summary 10           what keeps spawning processes?\n"
		"  execwatch -u www-data --failed   failed execs of one user\n"
		"  execwatch --json -d 60 > log     a minute of JSON Lines into a file\n"
		"See execwatch(8) for more.\n",
		SINK_FILE_DEFAULT_KEEP, EW_ARGV_DEFAULT_BYTES, CLI_ARGV_MIN_BYTES,
		EW_ARGV_CEILING_BYTES, CLI_METRICS_DEFAULT_INTERVAL_MS / 1000);
}

void cli_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->format = OUTPUT_TEXT;
	cfg->max_argv_bytes = EW_ARGV_DEFAULT_BYTES;
	cfg->ring_bytes = CLI_RING_DEFAULT_BYTES;
	output_options_default(&cfg->output);
	cfg->output_mode = 0600;
	cfg->syslog_facility = RFC5424_DEFAULT_FACILITY;
	cfg->syslog_buffer_bytes = SINK_SYSLOG_DEFAULT_BUFFER_BYTES;
	cfg->metrics_interval_ms = CLI_METRICS_DEFAULT_INTERVAL_MS;
}

const struct option *cli_long_options(void)
{
	return long_options;
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
			fprintf(err, "execwatch: option '%s' takes no value\n",
				ESCAPED_N(arg, name_len));
		else
			fprintf(err, "execwatch: unknown option '%s'\n", ESCAPED_N(arg, name_len));
	} else if (optopt_value > 0x20 && optopt_value < 0x7f) {
		fprintf(err, "execwatch: unknown option '-%c'\n", optopt_value);
	} else {
		fprintf(err, "execwatch: unknown option '%s'\n", ESCAPED(arg));
	}
}

static bool is_power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* A plain decimal number: no sign, no white space, no size suffix. */
static int parse_count(const char *text, uint64_t *value)
{
	const char *p;

	if (!text || !*text)
		return -EINVAL;
	for (p = text; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
	return cli_parse_size(text, value);
}

/* A bad --arg-regex is a usage error, found before anything is loaded. */
static bool valid_regex(const char *pattern, FILE *err)
{
	regex_t re;
	char why[128];
	size_t run = 0;
	const char *p;
	int rc;

	/*
	 * glibc's regcomp needs memory exponential in stacked quantifiers
	 * ("a++++++..." takes gigabytes): refuse more than 3 in a row.
	 */
	for (p = pattern; *p; p++) {
		run = strchr("+*?{", *p) ? run + 1 : 0;
		if (run > 3) {
			fprintf(err,
				"execwatch: --arg-regex '%s': more than 3 quantifiers in a row\n",
				ESCAPED(pattern));
			return false;
		}
	}
	rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);

	if (!rc) {
		regfree(&re);
		return true;
	}
	regerror(rc, &re, why, sizeof(why));
	fprintf(err, "execwatch: --arg-regex '%s' is not a valid regular expression: %s\n",
		ESCAPED(pattern), why);
	return false;
}

/* -u alice,1000 and repeated -u both add to the set. */
static int parse_uids(struct config *cfg, const char *list, FILE *err)
{
	char name[256];
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		uint32_t uid;

		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, p, len);
		name[len] = '\0';
		if (filter_parse_uid(name, &uid)) {
			fprintf(err, "execwatch: --uid: '%s' is neither a user name nor a uid\n",
				ESCAPED(name));
			return -1;
		}
		if (cfg->filter.nr_uids == FILTER_MAX_UIDS) {
			fprintf(err, "execwatch: --uid: at most %d users\n", FILTER_MAX_UIDS);
			return -1;
		}
		cfg->filter.uids[cfg->filter.nr_uids++] = uid;
		if (!p[strcspn(p, ",")])
			return 0;
		p += strcspn(p, ",") + 1;
	}
}

/* --output, --syslog and their companions (issue 8). */
static int parse_sink_option(struct config *cfg, int opt, const char *arg, FILE *err)
{
	char msg[256];
	uint64_t value;

	switch (opt) {
	case OPT_OUTPUT:
		if (!*arg || !strcmp(arg, "-")) {
			fprintf(err,
				"execwatch: --output needs a file name (stdout is the default)\n");
			return -1;
		}
		cfg->output_path = arg;
		return 0;
	case OPT_OUTPUT_MODE:
		/* Exec records can hold secrets: never writable by the group, never world-readable. */
		if (!strcmp(arg, "0600") || !strcmp(arg, "600")) {
			cfg->output_mode = 0600;
		} else if (!strcmp(arg, "0640") || !strcmp(arg, "640")) {
			cfg->output_mode = 0640;
		} else {
			fprintf(err, "execwatch: --output-mode takes 0600 or 0640, not '%s'\n",
				ESCAPED(arg));
			return -1;
		}
		return 0;
	case OPT_ROTATE_SIZE:
		if (cli_parse_size(arg, &value) || value < 4096) {
			fprintf(err,
				"execwatch: --rotate-size needs a size of at least 4K, not '%s'\n",
				ESCAPED(arg));
			return -1;
		}
		cfg->rotate_bytes = value;
		return 0;
	case OPT_ROTATE_KEEP:
		if (parse_count(arg, &value) || value == 0 || value > SINK_FILE_MAX_KEEP) {
			fprintf(err, "execwatch: --rotate-keep needs a number 1..%u, not '%s'\n",
				SINK_FILE_MAX_KEEP, ESCAPED(arg));
			return -1;
		}
		cfg->rotate_keep = (uint32_t)value;
		return 0;
	case OPT_SYSLOG:
		if (syslog_parse_url(arg, &cfg->syslog, msg, sizeof(msg))) {
			fprintf(err, "execwatch: %s\n", msg);
			return -1;
		}
		cfg->syslog_url = arg;
		return 0;
	case OPT_SYSLOG_FACILITY:
		if (rfc5424_parse_facility(arg, &cfg->syslog_facility)) {
			fprintf(err,
				"execwatch: --syslog-facility takes a name (authpriv, daemon, "
				"local0..local7, ...) or 0..23, not '%s'\n",
				ESCAPED(arg));
			return -1;
		}
		return 0;
	case OPT_SYSLOG_BUFFER:
		if (cli_parse_size(arg, &value) || value < SINK_SYSLOG_MIN_BUFFER_BYTES ||
		    value > CLI_RING_MAX_BYTES) {
			fprintf(err, "execwatch: --syslog-buffer needs a size 4K..1G, not '%s'\n",
				ESCAPED(arg));
			return -1;
		}
		cfg->syslog_buffer_bytes = value;
		return 0;
	}
	return -1;
}

/* Companions without the option they modify are a mistake worth a sentence. */
static int check_sink_options(const struct config *cfg, FILE *err)
{
	if (!cfg->output_path && (cfg->rotate_bytes || cfg->rotate_keep)) {
		fprintf(err, "execwatch: --rotate-size and --rotate-keep need --output FILE\n");
		return -1;
	}
	if (!cfg->output_path && cfg->output_mode != 0600) {
		fprintf(err, "execwatch: --output-mode needs --output FILE\n");
		return -1;
	}
	if (cfg->rotate_keep && !cfg->rotate_bytes) {
		fprintf(err, "execwatch: --rotate-keep needs --rotate-size\n");
		return -1;
	}
	return 0;
}

static enum cli_result parse(int argc, char **argv, struct config *cfg, FILE *out, FILE *err,
			     bool companions)
{
	char msg[256];
	uint64_t value;
	int exits = -1; /* -1: the format's default */
	int opt;

	cli_defaults(cfg);
	optind = 0; /* 0, not 1: also resets getopt's internal state (glibc) */
	opterr = 0; /* we print our own messages, to err */
	while ((opt = getopt_long(argc, argv, ":jd:vhVu:p:c:n:l:xTtUq", long_options, NULL)) !=
	       -1) {
		switch (opt) {
		case 'u':
			if (parse_uids(cfg, optarg, err))
				return CLI_EXIT_USAGE;
			break;
		case 'p':
			if (parse_count(optarg, &value) || value == 0 || value > INT32_MAX) {
				fprintf(err, "execwatch: --pid needs a process id, not '%s'\n",
					ESCAPED(optarg));
				return CLI_EXIT_USAGE;
			}
			cfg->filter.pid = (int32_t)value;
			break;
		case 'c':
			cfg->filter.cgroup_path = optarg;
			break;
		case OPT_CONTAINER:
			if (!*optarg) {
				fprintf(err, "execwatch: --container needs a container id\n");
				return CLI_EXIT_USAGE;
			}
			cfg->filter.container = optarg;
			break;
		case 'n':
			cfg->filter.name = optarg;
			break;
		case OPT_EXE:
			cfg->filter.exe = optarg;
			break;
		case 'l':
			cfg->filter.arg = optarg;
			break;
		case OPT_ARG_REGEX:
			if (!valid_regex(optarg, err))
				return CLI_EXIT_USAGE;
			cfg->filter.arg_regex = optarg;
			break;
		case OPT_FAILED:
			cfg->filter.result = FILTER_RESULT_FAILED;
			break;
		case OPT_SUCCEEDED:
			cfg->filter.result = FILTER_RESULT_SUCCEEDED;
			break;
		case 'x': /* execsnoop: include failed execs, which execwatch always does */
		case 'U': /* execsnoop: print the UID column, which execwatch always does */
			break;
		case 'T':
			cfg->output.time_mode = TIME_CLOCK;
			break;
		case 't':
			cfg->output.time_mode = TIME_SINCE_START;
			break;
		case 'q':
			cfg->output.quote = true;
			break;
		case OPT_MAX_ARGS:
			if (parse_count(optarg, &value) || value == 0 || value > UINT32_MAX) {
				fprintf(err,
					"execwatch: --max-args needs a positive number, not '%s'\n",
					ESCAPED(optarg));
				return CLI_EXIT_USAGE;
			}
			cfg->output.max_args = (uint32_t)value;
			break;
		case OPT_FIELDS:
			if (output_parse_text_fields(&cfg->output, optarg, msg, sizeof(msg))) {
				fprintf(err, "execwatch: %s\n", msg);
				return CLI_EXIT_USAGE;
			}
			break;
		case OPT_JSON_FIELDS:
			if (output_parse_json_fields(&cfg->output, optarg, msg, sizeof(msg))) {
				fprintf(err, "execwatch: %s\n", msg);
				return CLI_EXIT_USAGE;
			}
			break;
		case OPT_COLOR:
			if (!optarg || !strcmp(optarg, "always")) {
				cfg->output.color_mode = COLOR_ALWAYS;
			} else if (!strcmp(optarg, "auto")) {
				cfg->output.color_mode = COLOR_AUTO;
			} else if (!strcmp(optarg, "never")) {
				cfg->output.color_mode = COLOR_NEVER;
			} else {
				fprintf(err,
					"execwatch: --color takes auto, always or never, not '%s'\n",
					ESCAPED(optarg));
				return CLI_EXIT_USAGE;
			}
			break;
		case OPT_EXITS:
			exits = 1;
			break;
		case OPT_NO_EXITS:
			exits = 0;
			break;
		case OPT_ANCESTORS:
			cfg->ancestors = true;
			break;
		case OPT_PID_MAP_SIZE: {
			char *end;

			errno = 0;
			value = strtoull(optarg, &end, 10);
			if (!isdigit((unsigned char)optarg[0]) || errno || *end || value < 1 ||
			    value > (1ull << 22)) {
				fprintf(err,
					"execwatch: --pid-map-size needs a number from 1 to "
					"4194304 (pid_max), not '%s'\n",
					ESCAPED(optarg));
				return CLI_EXIT_USAGE;
			}
			cfg->pid_map_entries = (uint32_t)value;
			break;
		}
		case OPT_SUMMARY:
			if (cli_parse_seconds(optarg, &cfg->summary_ms)) {
				fprintf(err,
					"execwatch: --summary needs a positive number of seconds, "
					"not '%s'\n",
					ESCAPED(optarg));
				return CLI_EXIT_USAGE;
			}
			break;
		case OPT_POLICY:
			cfg->policy_path = optarg;
			break;
		case OPT_DRY_RUN:
			cfg->policy_dry_run = true;
			break;
		case OPT_SYSCALL_HOOKS:
			if (!strcmp(optarg, "auto")) {
				cfg->syscall_hooks = SYSCALL_HOOKS_AUTO;
			} else if (!strcmp(optarg, "fentry")) {
				cfg->syscall_hooks = SYSCALL_HOOKS_FENTRY;
			} else if (!strcmp(optarg, "tracepoint")) {
				cfg->syscall_hooks = SYSCALL_HOOKS_TRACEPOINT;
			} else {
				fprintf(err,
					"execwatch: --syscall-hooks takes auto, fentry or tracepoint, "
					"not '%s'\n",
					ESCAPED(optarg));
				return CLI_EXIT_USAGE;
			}
			break;
		case OPT_DENY_FALLBACK:
			if (strcmp(optarg, "kill")) {
				fprintf(err, "execwatch: --deny-fallback takes kill, not '%s'\n",
					ESCAPED(optarg));
				return CLI_EXIT_USAGE;
			}
			cfg->deny_fallback_kill = true;
			break;
		case 'j':
			cfg->format = OUTPUT_JSON;
			break;
		case 'd':
			if (cli_parse_seconds(optarg, &cfg->duration_ms)) {
				fprintf(err,
					"execwatch: --duration needs a positive number of seconds, "
					"not '%s'\n",
					ESCAPED(optarg));
				return CLI_EXIT_USAGE;
			}
			break;
		case OPT_MAX_ARGV_BYTES:
			if (cli_parse_size(optarg, &value) || value < CLI_ARGV_MIN_BYTES ||
			    value > EW_ARGV_CEILING_BYTES) {
				fprintf(err,
					"execwatch: --max-argv-bytes must be a number from %u to %u, "
					"not '%s'\n",
					CLI_ARGV_MIN_BYTES, EW_ARGV_CEILING_BYTES, ESCAPED(optarg));
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
					ESCAPED(optarg));
				return CLI_EXIT_USAGE;
			}
			cfg->ring_bytes = value;
			break;
		case OPT_NO_HEADER:
			cfg->no_header = true;
			break;
		case OPT_CONFIG:
			cfg->config_path = optarg;
			break;
		case OPT_CHECK:
			cfg->check = true;
			break;
		case OPT_METRICS_FILE:
			if (!*optarg) {
				fprintf(err, "execwatch: --metrics-file needs a file name\n");
				return CLI_EXIT_USAGE;
			}
			cfg->metrics_path = optarg;
			break;
		case OPT_METRICS_INTERVAL:
			if (cli_parse_seconds(optarg, &cfg->metrics_interval_ms)) {
				fprintf(err,
					"execwatch: --metrics-interval needs a positive number of "
					"seconds, not '%s'\n",
					ESCAPED(optarg));
				return CLI_EXIT_USAGE;
			}
			break;
		case OPT_BPF_STATS:
			cfg->bpf_stats = true;
			break;
		case OPT_OUTPUT:
		case OPT_OUTPUT_MODE:
		case OPT_ROTATE_SIZE:
		case OPT_ROTATE_KEEP:
		case OPT_SYSLOG:
		case OPT_SYSLOG_FACILITY:
		case OPT_SYSLOG_BUFFER:
			if (parse_sink_option(cfg, opt, optarg, err))
				return CLI_EXIT_USAGE;
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
			fprintf(err, "execwatch: option '%s' needs a value\n",
				ESCAPED(argv[optind - 1]));
			fprintf(err, "Try 'execwatch --help' for more information.\n");
			return CLI_EXIT_USAGE;
		default:
			report_bad_option(err, argv[optind - 1], optopt);
			fprintf(err, "Try 'execwatch --help' for more information.\n");
			return CLI_EXIT_USAGE;
		}
	}
	if (companions && (cfg->policy_dry_run || cfg->deny_fallback_kill) && !cfg->policy_path) {
		fprintf(err, "execwatch: --dry-run and --deny-fallback need --policy FILE\n");
		return CLI_EXIT_USAGE;
	}
	if (companions && check_sink_options(cfg, err))
		return CLI_EXIT_USAGE;
	cfg->exits = exits < 0 ? cfg->format == OUTPUT_JSON && !cfg->summary_ms : exits;
	if (optind < argc) {
		fprintf(err, "execwatch: unexpected argument '%s'\n", ESCAPED(argv[optind]));
		fprintf(err, "Try 'execwatch --help' for more information.\n");
		return CLI_EXIT_USAGE;
	}
	return CLI_RUN;
}

enum cli_result cli_parse(int argc, char **argv, struct config *cfg, FILE *out, FILE *err)
{
	return parse(argc, argv, cfg, out, err, true);
}

enum cli_result cli_parse_alone(int argc, char **argv, struct config *cfg, FILE *out, FILE *err)
{
	return parse(argc, argv, cfg, out, err, false);
}
