/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Command line -> struct config. Pure: no global state survives a call, and
 * messages go to the streams passed in, so every flag is unit-tested.
 */
#ifndef EXECWATCH_CLI_H
#define EXECWATCH_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "filter.h"
#include "output_options.h"
#include "rfc5424.h"

enum output_format {
	OUTPUT_TEXT = 0,
	OUTPUT_JSON,
};

#define CLI_RING_MIN_BYTES (64u * 1024)
#define CLI_RING_MAX_BYTES (1024u * 1024 * 1024)
#define CLI_RING_DEFAULT_BYTES (8u * 1024 * 1024)
#define CLI_ARGV_MIN_BYTES 64u
#define CLI_METRICS_DEFAULT_INTERVAL_MS 15000u

/* How execve's entry and exit are hooked (--syscall-hooks); see loader.c. */
enum syscall_hooks {
	SYSCALL_HOOKS_AUTO = 0, /* fentry/fexit where the kernel takes them, else tracepoints */
	SYSCALL_HOOKS_FENTRY, /* fentry/fexit or no start */
	SYSCALL_HOOKS_TRACEPOINT, /* syscalls/ tracepoints (the pre-2026-12 behaviour) */
};

struct config {
	enum output_format format;
	uint32_t max_argv_bytes;
	uint64_t ring_bytes;
	uint64_t duration_ms; /* 0: run until stopped */
	uint64_t summary_ms; /* --summary interval; 0: one line per exec */
	bool exits; /* report process exits (default: with --json) */
	bool ancestors; /* --ancestors: fork records, ancestor chains */
	uint32_t pid_map_entries; /* --pid-map-size: tracked_tgids entries, 0: default */
	enum syscall_hooks syscall_hooks;
	bool verbose; /* libbpf's debug log on stderr */
	bool no_header;
	struct filter_config filter;
	struct output_options output;
	/* Service (issue 8): --config, --check, --metrics-file and friends. */
	const char *config_path;
	bool check;
	const char *metrics_path;
	uint64_t metrics_interval_ms;
	bool bpf_stats; /* turn kernel.bpf_stats_enabled on while running */
	/* Issue 6: the exec policy (--policy, --dry-run, --deny-fallback=kill). */
	const char *policy_path;
	bool policy_dry_run;
	bool deny_fallback_kill;
	/* Sinks (issue 8): --output FILE and --syslog URL, see sink_file.h, sink_syslog.h. */
	const char *output_path; /* NULL: stdout */
	uint32_t output_mode; /* for a file we create: 0600 or 0640 */
	uint64_t rotate_bytes; /* 0: never rotate */
	uint32_t rotate_keep; /* FILE.1 .. FILE.N */
	const char *syslog_url; /* NULL: no syslog */
	struct syslog_url syslog;
	int syslog_facility;
	uint64_t syslog_buffer_bytes;
};

enum cli_result {
	CLI_RUN = 0, /* config is ready */
	CLI_EXIT_OK, /* --help or --version was printed */
	CLI_EXIT_USAGE, /* bad command line, message printed */
};

void cli_defaults(struct config *cfg);
enum cli_result cli_parse(int argc, char **argv, struct config *cfg, FILE *out, FILE *err);
/*
 * cli_parse() without the checks that tie options together (--rotate-size
 * needs --output, ...): for checking one option of a config file on its own.
 */
enum cli_result cli_parse_alone(int argc, char **argv, struct config *cfg, FILE *out, FILE *err);
void cli_usage(FILE *out);
/* getopt_long's table, for the configuration file's key names. */
struct option;
const struct option *cli_long_options(void);

/* Parse "8M", "64k", "1048576" into bytes; -EINVAL or -ERANGE on error. */
int cli_parse_size(const char *text, uint64_t *bytes);
/* Parse "10", "0.5" seconds into milliseconds (> 0). */
int cli_parse_seconds(const char *text, uint64_t *ms);

#endif /* EXECWATCH_CLI_H */
