// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Output options: field lists and their names. See output_options.h.
 */
#include "output_options.h"
#include "escape.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const text_field_names[TF_NR] = {
	[TF_TIME] = "time",	[TF_PID] = "pid",
	[TF_PPID] = "ppid",	[TF_UID] = "uid",
	[TF_RET] = "ret",	[TF_COMM] = "comm",
	[TF_FILE] = "file",	[TF_ARGV] = "argv",
	[TF_TID] = "tid",	[TF_EUID] = "euid",
	[TF_GID] = "gid",	[TF_PCOMM] = "pcomm",
	[TF_CGROUP] = "cgroup", [TF_CONTAINER] = "container",
	[TF_EXE] = "exe",	[TF_CWD] = "cwd",
};

static const char *const json_field_names[JF_NR] = {
	[JF_TIME] = "time",
	[JF_PID] = "pid",
	[JF_TID] = "tid",
	[JF_PPID] = "ppid",
	[JF_UID] = "uid",
	[JF_EUID] = "euid",
	[JF_GID] = "gid",
	[JF_COMM] = "comm",
	[JF_PARENT_COMM] = "parent_comm",
	[JF_FILENAME] = "filename",
	[JF_ARGV] = "argv",
	[JF_ARGC] = "argc",
	[JF_ARGV_TRUNCATED] = "argv_truncated",
	[JF_ARGV_BYTES] = "argv_bytes",
	[JF_ARGV_TRUE_BYTES] = "argv_true_bytes",
	[JF_RET] = "ret",
	[JF_CGROUP_ID] = "cgroup_id",
	[JF_CGROUP] = "cgroup",
	[JF_CONTAINER_ID] = "container_id",
	[JF_CREDS] = "creds",
	[JF_PRIVILEGE] = "privilege",
	[JF_NAMESPACES] = "namespaces",
	[JF_TTY] = "tty",
	[JF_COMM_BEFORE] = "comm_before",
	[JF_EXE] = "exe",
	[JF_CWD] = "cwd",
};

/* The default text columns: execsnoop's, plus the file that ran. */
static const enum text_field default_text_fields[] = {
	TF_TIME, TF_PID, TF_PPID, TF_UID, TF_RET, TF_COMM, TF_FILE, TF_ARGV,
};

#define OUTPUT_DEFAULT_FILE_WIDTH 24

void output_options_default(struct output_options *o)
{
	memset(o, 0, sizeof(*o));
	memcpy(o->text_fields, default_text_fields, sizeof(default_text_fields));
	o->nr_text_fields = sizeof(default_text_fields) / sizeof(default_text_fields[0]);
	o->json_fields = OUTPUT_JSON_ALL_FIELDS;
	o->file_width = OUTPUT_DEFAULT_FILE_WIDTH;
}

const char *output_text_field_name(enum text_field field)
{
	return (unsigned int)field < TF_NR ? text_field_names[field] : "unknown";
}

const char *output_json_field_name(enum json_field field)
{
	return (unsigned int)field < JF_NR ? json_field_names[field] : "unknown";
}

static int lookup(const char *const *names, int nr, const char *name, size_t len)
{
	int i;

	for (i = 0; i < nr; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], name, len))
			return i;
	return -1;
}

/* Split "a,b,c" and call back for each name; empty names are errors. */
static int parse_list(const char *list, const char *const *names, int nr, const char *flag,
		      int *out, size_t *nr_out, size_t max_out, char *msg, size_t msg_len)
{
	const char *p = list;
	size_t n = 0;

	if (!list || !*list) {
		snprintf(msg, msg_len, "%s needs a comma-separated list of fields", flag);
		return -EINVAL;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		int field = lookup(names, nr, p, len);
		size_t i;

		if (field < 0) {
			snprintf(msg, msg_len, "%s: unknown field '%s'", flag, ESCAPED_N(p, len));
			return -EINVAL;
		}
		for (i = 0; i < n && out[i] != field; i++)
			;
		if (i == n) {
			if (n == max_out)
				return -EINVAL; /* unreachable: duplicates are skipped */
			out[n++] = field;
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	*nr_out = n;
	return 0;
}

int output_parse_text_fields(struct output_options *o, const char *list, char *msg, size_t msg_len)
{
	int fields[TF_NR];
	size_t n, i;
	int err = parse_list(list, text_field_names, TF_NR, "--fields", fields, &n, TF_NR, msg,
			     msg_len);

	if (err)
		return err;
	for (i = 0; i < n; i++)
		o->text_fields[i] = (enum text_field)fields[i];
	o->nr_text_fields = n;
	return 0;
}

int output_parse_json_fields(struct output_options *o, const char *list, char *msg, size_t msg_len)
{
	int fields[JF_NR];
	size_t n, i;
	int err = parse_list(list, json_field_names, JF_NR, "--json-fields", fields, &n, JF_NR, msg,
			     msg_len);

	if (err)
		return err;
	o->json_fields = 0;
	for (i = 0; i < n; i++)
		o->json_fields |= 1u << fields[i];
	return 0;
}

size_t output_file_width(unsigned int columns)
{
	size_t width;

	if (!columns)
		return OUTPUT_DEFAULT_FILE_WIDTH;
	/* A quarter of the line, so argv keeps most of it. */
	width = columns / 4;
	if (width < 16)
		width = 16;
	if (width > 48)
		width = 48;
	return width;
}
