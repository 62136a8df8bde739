/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The configuration file (--config FILE): one long option per line,
 * "key = value" or a bare "key" for a flag, '#' comment lines. It is turned
 * into "--key=value" arguments placed before the command line's own and fed
 * to cli_parse(), so the command-line parser stays the one source of truth
 * for what an option means, and a command-line option given later wins.
 */
#ifndef EXECWATCH_CONFIG_H
#define EXECWATCH_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "cli.h"

/* Longest line accepted; a longer one is an error, not silently cut. */
#define CONFIG_LINE_MAX 4096
/* Largest file read, to bound memory for a file that is not a config. */
#define CONFIG_FILE_MAX_BYTES (1024 * 1024)

/* Arguments built from a file; cli_parse() keeps pointers into them. */
struct config_args {
	char **argv; /* argc entries, then NULL; each owned */
	int argc;
};

/*
 * Parse the text of a configuration file named `source` (for messages) into
 * "--key=value" arguments appended to args. Every entry is checked with the
 * command-line parser on its own, so a bad value is reported with its line:
 * "execwatch: FILE:LINE: ...". Returns 0, -EINVAL (message on err) or -ENOMEM.
 */
int config_parse_text(const char *text, size_t len, const char *source, struct config_args *args,
		      FILE *err);

/* Read and parse a file; -errno with a message on err when it cannot be read. */
int config_load_file(const char *path, struct config_args *args, FILE *err);

/*
 * cli_parse() with a configuration file: parse the command line; when it
 * names --config FILE, parse again with FILE's options first. `keep` owns
 * the strings cfg points into: free it with config_args_free() after use.
 */
enum cli_result config_cli_parse(int argc, char **argv, struct config *cfg,
				 struct config_args *keep, FILE *out, FILE *err);

void config_args_free(struct config_args *args);

#endif /* EXECWATCH_CONFIG_H */
