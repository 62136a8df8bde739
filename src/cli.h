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

enum output_format {
	OUTPUT_TEXT = 0,
	OUTPUT_JSON,
};

#define CLI_RING_MIN_BYTES (64u * 1024)
#define CLI_RING_MAX_BYTES (1024u * 1024 * 1024)
#define CLI_RING_DEFAULT_BYTES (8u * 1024 * 1024)
#define CLI_ARGV_MIN_BYTES 64u

struct config {
	enum output_format format;
	uint32_t max_argv_bytes;
	uint64_t ring_bytes;
	uint64_t duration_ms; /* 0: run until stopped */
	uint64_t summary_ms; /* --summary interval; 0: one line per exec */
	bool exits; /* report process exits (default: with --json) */
	bool ancestors; /* --ancestors: fork records, ancestor chains */
	uint32_t pid_map_entries; /* --pid-map-size: tracked_tgids entries, 0: default */
	bool verbose; /* libbpf's debug log on stderr */
	bool no_header;
	struct filter_config filter;
	struct output_options output;
};

enum cli_result {
	CLI_RUN = 0, /* config is ready */
	CLI_EXIT_OK, /* --help or --version was printed */
	CLI_EXIT_USAGE, /* bad command line, message printed */
};

void cli_defaults(struct config *cfg);
enum cli_result cli_parse(int argc, char **argv, struct config *cfg, FILE *out, FILE *err);
void cli_usage(FILE *out);

/* Parse "8M", "64k", "1048576" into bytes; -EINVAL or -ERANGE on error. */
int cli_parse_size(const char *text, uint64_t *bytes);
/* Parse "10", "0.5" seconds into milliseconds (> 0). */
int cli_parse_seconds(const char *text, uint64_t *ms);

#endif /* EXECWATCH_CLI_H */
