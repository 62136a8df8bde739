// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Configuration file -> command-line arguments. The format, documented in
 * execwatch(8) and packaging/execwatch.conf:
 *
 *   # a comment line (only whole lines: '#' inside a value is kept)
 *   json                      a flag: the long option without "--"
 *   ring-size = 16M           an option with a value; blanks around '=' and
 *                             at the ends are trimmed; "..." keeps them
 *
 * Keys are exact long option names (no abbreviations, unlike getopt_long),
 * so a file means the same thing in every version that has its options.
 */
#include "config.h"
#include "escape.h"
#include "readfile.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Options that make no sense in a file: they print and exit, or nest files. */
static const char *const forbidden_keys[] = { "help", "version", "config", "check" };

void config_args_free(struct config_args *args)
{
	int i;

	if (!args)
		return;
	for (i = 0; i < args->argc; i++)
		free(args->argv[i]);
	free(args->argv);
	args->argv = NULL;
	args->argc = 0;
}

/* Append one owned string (taken over even on failure). */
static int args_push(struct config_args *args, char *arg)
{
	char **grown;

	if (!arg)
		return -ENOMEM;
	grown = realloc(args->argv, (size_t)(args->argc + 2) * sizeof(*grown));
	if (!grown) {
		free(arg);
		return -ENOMEM;
	}
	grown[args->argc++] = arg;
	grown[args->argc] = NULL;
	args->argv = grown;
	return 0;
}

static const struct option *find_option(const char *key, size_t key_len)
{
	const struct option *o;

	for (o = cli_long_options(); o->name; o++)
		if (strlen(o->name) == key_len && !strncmp(o->name, key, key_len))
			return o;
	return NULL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Check one "--key[=value]" with the command-line parser, alone, so its
 * message can carry the file's line number. The parser's message starts
 * with "execwatch: "; keep its first line and drop that prefix.
 */
static int check_with_cli(char *arg, const char *source, unsigned int line, FILE *err)
{
	char *argv[] = { (char *)"execwatch", arg, NULL };
	char *said = NULL;
	size_t said_len = 0;
	struct config scratch;
	enum cli_result rc;
	FILE *capture;
	const char *text;

	capture = open_memstream(&said, &said_len);
	if (!capture)
		return -ENOMEM;
	/* Companion rules need the other lines: the merged parse checks them. */
	rc = cli_parse_alone(2, argv, &scratch, capture, capture);
	fclose(capture);
	if (rc == CLI_RUN) {
		free(said);
		return 0;
	}
	text = said ? said : "";
	if (!strncmp(text, "execwatch: ", 11))
		text += 11;
	fprintf(err, "execwatch: %s:%u: %.*s\n", source, line, (int)strcspn(text, "\n"), text);
	free(said);
	return -EINVAL;
}

/* One line without its newline; blank and comment lines add nothing. */
static int parse_line(const char *p, size_t len, const char *source, unsigned int line,
		      struct config_args *args, FILE *err)
{
	const char *end = p + len, *key, *value = NULL;
	const struct option *opt;
	size_t key_len, value_len = 0, i;
	char *arg;
	int rc;

	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	if (p == end || *p == '#')
		return 0;
	if (memchr(p, '\0', (size_t)(end - p))) {
		fprintf(err, "execwatch: %s:%u: a NUL byte: this is not a text file\n", source,
			line);
		return -EINVAL;
	}
	key = p;
	while (p < end && !is_blank(*p) && *p != '=')
		p++;
	key_len = (size_t)(p - key);
	while (p < end && is_blank(*p))
		p++;
	if (p < end) {
		if (*p != '=') {
			fprintf(err,
				"execwatch: %s:%u: expected 'key = value' or 'key', not '%s'\n",
				source, line, ESCAPED_N(key, (size_t)(end - key)));
			return -EINVAL;
		}
		p++;
		while (p < end && is_blank(*p))
			p++;
		value = p;
		value_len = (size_t)(end - p);
		/* "..." keeps blanks at the ends; nothing inside is special. */
		if (value_len >= 2 && value[0] == '"' && value[value_len - 1] == '"') {
			value++;
			value_len -= 2;
		}
	}
	if (key_len && key[0] == '-') {
		size_t dashes = 0;

		/* The text is not NUL-terminated: count within the key only. */
		while (dashes < key_len && key[dashes] == '-')
			dashes++;
		fprintf(err, "execwatch: %s:%u: write the option without dashes: '%s'\n", source,
			line, ESCAPED_N(key + dashes, key_len - dashes));
		return -EINVAL;
	}
	opt = key_len ? find_option(key, key_len) : NULL;
	if (!opt) {
		fprintf(err, "execwatch: %s:%u: unknown option '%s' (see execwatch --help)\n",
			source, line, ESCAPED_N(key, key_len));
		return -EINVAL;
	}
	for (i = 0; i < sizeof(forbidden_keys) / sizeof(forbidden_keys[0]); i++) {
		if (!strcmp(opt->name, forbidden_keys[i])) {
			fprintf(err, "execwatch: %s:%u: '%s' is not allowed in a config file\n",
				source, line, opt->name);
			return -EINVAL;
		}
	}
	if (opt->has_arg == no_argument && value) {
		fprintf(err, "execwatch: %s:%u: '%s' is a flag and takes no value\n", source, line,
			opt->name);
		return -EINVAL;
	}
	if (opt->has_arg == required_argument && !value) {
		fprintf(err, "execwatch: %s:%u: '%s' needs a value: '%s = ...'\n", source, line,
			opt->name, opt->name);
		return -EINVAL;
	}
	if (value) {
		if (asprintf(&arg, "--%s=%.*s", opt->name, (int)value_len, value) < 0)
			return -ENOMEM;
	} else if (asprintf(&arg, "--%s", opt->name) < 0) {
		return -ENOMEM;
	}
	rc = check_with_cli(arg, source, line, err);
	if (rc) {
		free(arg);
		return rc;
	}
	return args_push(args, arg);
}

int config_parse_text(const char *text, size_t len, const char *source, struct config_args *args,
		      FILE *err)
{
	const char *p = text, *end = text + len;
	unsigned int line = 0;
	char shown[ESCAPE_MESSAGE_BYTES];
	int rc;

	/* The file's name starts every message: a hostile name must not forge them. */
	source = escape_message(shown, sizeof(shown), source, strlen(source));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t line_len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		line++;
		if (line_len > CONFIG_LINE_MAX) {
			fprintf(err, "execwatch: %s:%u: line longer than %d bytes\n", source, line,
				CONFIG_LINE_MAX);
			return -EINVAL;
		}
		rc = parse_line(p, line_len, source, line, args, err);
		if (rc)
			return rc;
		p += line_len + (nl ? 1 : 0);
	}
	return 0;
}

int config_load_file(const char *path, struct config_args *args, FILE *err)
{
	char *text;
	size_t len;
	int rc = readfile_small(path, CONFIG_FILE_MAX_BYTES, &text, &len);

	if (rc == -EINVAL || rc == -EFBIG)
		fprintf(err,
			"execwatch: the config file '%s' is not a regular file under %d bytes\n",
			ESCAPED(path), CONFIG_FILE_MAX_BYTES);
	else if (rc)
		fprintf(err, "execwatch: cannot read the config file '%s': %s\n", ESCAPED(path),
			strerror(-rc));
	if (rc)
		return rc;
	rc = config_parse_text(text, len, path, args, err);
	free(text);
	return rc;
}

enum cli_result config_cli_parse(int argc, char **argv, struct config *cfg,
				 struct config_args *keep, FILE *out, FILE *err)
{
	enum cli_result rc;
	const char *path;
	int i;

	memset(keep, 0, sizeof(*keep));
	/* First the command line alone: --help, errors, and where the file is. */
	rc = cli_parse(argc, argv, cfg, out, err);
	if (rc != CLI_RUN || !cfg->config_path)
		return rc;
	path = cfg->config_path;
	/* argv[0], then the file's options, then the command line's: the last wins. */
	if (args_push(keep, strdup(argc > 0 ? argv[0] : "execwatch")) ||
	    config_load_file(path, keep, err))
		goto fail;
	for (i = 1; i < argc; i++)
		if (args_push(keep, strdup(argv[i])))
			goto fail;
	rc = cli_parse(keep->argc, keep->argv, cfg, out, err);
	if (rc == CLI_RUN)
		return rc;
fail:
	config_args_free(keep);
	return CLI_EXIT_USAGE;
}
