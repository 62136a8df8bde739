// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/output_options.c: the defaults (execsnoop's columns
 * plus FILE, every JSON member, wall clock time, colour auto, no quoting,
 * every argument, a 24-column FILE); every text and JSON field name and its
 * round trip through the name accessors; --fields lists kept in the order
 * given, duplicates dropped; --json-fields as a set; the errors (an unknown
 * name, named exactly in the message; an empty list; an empty name from a
 * doubled, leading or trailing comma; names are case-sensitive) leaving the
 * options untouched; and output_file_width() for a terminal of any width.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include <cmocka.h>

#include "output_options.h"

static const char *const text_names[TF_NR] = {
	[TF_TIME] = "time",	[TF_PID] = "pid",
	[TF_PPID] = "ppid",	[TF_UID] = "uid",
	[TF_RET] = "ret",	[TF_COMM] = "comm",
	[TF_FILE] = "file",	[TF_ARGV] = "argv",
	[TF_TID] = "tid",	[TF_EUID] = "euid",
	[TF_GID] = "gid",	[TF_PCOMM] = "pcomm",
	[TF_CGROUP] = "cgroup", [TF_CONTAINER] = "container",
	[TF_EXE] = "exe",	[TF_CWD] = "cwd",
};

static const char *const json_names[JF_NR] = {
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

static void test_defaults(void **state)
{
	static const enum text_field want[] = { TF_TIME, TF_PID,  TF_PPID, TF_UID,
						TF_RET,	 TF_COMM, TF_FILE, TF_ARGV };
	struct output_options o;
	size_t i;

	(void)state;
	memset(&o, 0xa5, sizeof(o));
	output_options_default(&o);
	assert_int_equal(o.nr_text_fields, 8);
	for (i = 0; i < 8; i++)
		assert_int_equal(o.text_fields[i], want[i]);
	assert_int_equal(o.json_fields, OUTPUT_JSON_ALL_FIELDS);
	assert_int_equal(OUTPUT_JSON_ALL_FIELDS, 0x3ffffff);
	assert_int_equal(o.time_mode, TIME_CLOCK);
	assert_int_equal(o.color_mode, COLOR_AUTO);
	assert_false(o.color);
	assert_false(o.quote);
	assert_int_equal(o.max_args, 0);
	assert_int_equal(o.file_width, 24);
	assert_int_equal(o.start_boot_ns, 0);
}

static void test_field_names(void **state)
{
	int i;

	(void)state;
	assert_int_equal(TF_NR, 16);
	assert_int_equal(JF_NR, 26);
	for (i = 0; i < TF_NR; i++)
		assert_string_equal(output_text_field_name((enum text_field)i), text_names[i]);
	for (i = 0; i < JF_NR; i++)
		assert_string_equal(output_json_field_name((enum json_field)i), json_names[i]);
	assert_string_equal(output_text_field_name(TF_NR), "unknown");
	assert_string_equal(output_text_field_name((enum text_field) - 1), "unknown");
	assert_string_equal(output_json_field_name(JF_NR), "unknown");
	assert_string_equal(output_json_field_name((enum json_field)1000), "unknown");
}

/* Each name alone selects exactly its field. */
static void test_each_name_alone(void **state)
{
	struct output_options o;
	char msg[128];
	int i;

	(void)state;
	for (i = 0; i < TF_NR; i++) {
		output_options_default(&o);
		assert_int_equal(output_parse_text_fields(&o, text_names[i], msg, sizeof(msg)), 0);
		assert_int_equal(o.nr_text_fields, 1);
		assert_int_equal(o.text_fields[0], i);
	}
	for (i = 0; i < JF_NR; i++) {
		output_options_default(&o);
		assert_int_equal(output_parse_json_fields(&o, json_names[i], msg, sizeof(msg)), 0);
		assert_int_equal(o.json_fields, 1u << i);
	}
}

static void test_text_fields_order_and_duplicates(void **state)
{
	struct output_options o;
	char msg[128];

	(void)state;
	output_options_default(&o);
	assert_int_equal(output_parse_text_fields(&o, "argv,pid,time", msg, sizeof(msg)), 0);
	assert_int_equal(o.nr_text_fields, 3);
	assert_int_equal(o.text_fields[0], TF_ARGV);
	assert_int_equal(o.text_fields[1], TF_PID);
	assert_int_equal(o.text_fields[2], TF_TIME);
	/* Only --fields changes: nothing else is touched. */
	assert_int_equal(o.json_fields, OUTPUT_JSON_ALL_FIELDS);
	assert_int_equal(o.file_width, 24);

	/* A repeated name counts once, in its first place. */
	assert_int_equal(
		output_parse_text_fields(&o, "pid,comm,pid,comm,argv,pid", msg, sizeof(msg)), 0);
	assert_int_equal(o.nr_text_fields, 3);
	assert_int_equal(o.text_fields[0], TF_PID);
	assert_int_equal(o.text_fields[1], TF_COMM);
	assert_int_equal(o.text_fields[2], TF_ARGV);

	/* All sixteen, reversed, then each once more. */
	assert_int_equal(
		output_parse_text_fields(&o,
					 "cwd,exe,container,cgroup,pcomm,gid,euid,tid,argv,file,"
					 "comm,ret,uid,ppid,pid,time,time,pid,container,cwd",
					 msg, sizeof(msg)),
		0);
	assert_int_equal(o.nr_text_fields, TF_NR);
	assert_int_equal(o.text_fields[0], TF_CWD);
	assert_int_equal(o.text_fields[TF_NR - 1], TF_TIME);
}

static void test_json_fields_set(void **state)
{
	struct output_options o;
	char msg[128];

	(void)state;
	output_options_default(&o);
	assert_int_equal(output_parse_json_fields(&o, "time,pid,filename,argv", msg, sizeof(msg)),
			 0);
	assert_int_equal(o.json_fields,
			 (1u << JF_TIME) | (1u << JF_PID) | (1u << JF_FILENAME) | (1u << JF_ARGV));
	/* A set: order and repeats do not matter; it replaces the old one. */
	assert_int_equal(output_parse_json_fields(&o, "argv,ret,argv", msg, sizeof(msg)), 0);
	assert_int_equal(o.json_fields, (1u << JF_ARGV) | (1u << JF_RET));
	/* Only --json-fields changes. */
	assert_int_equal(o.nr_text_fields, 8);
	assert_int_equal(
		output_parse_json_fields(&o,
					 "time,pid,tid,ppid,uid,euid,gid,comm,parent_comm,"
					 "filename,argv,argc,argv_truncated,argv_bytes,"
					 "argv_true_bytes,ret,cgroup_id,cgroup,container_id,"
					 "creds,privilege,namespaces,tty,comm_before,exe,cwd",
					 msg, sizeof(msg)),
		0);
	assert_int_equal(o.json_fields, OUTPUT_JSON_ALL_FIELDS);
}

struct bad_list {
	const char *list;
	const char *msg;
};

static void test_text_fields_errors(void **state)
{
	static const struct bad_list bad[] = {
		{ "bogus", "--fields: unknown field 'bogus'" },
		{ "pid,bogus,comm", "--fields: unknown field 'bogus'" },
		{ "PID", "--fields: unknown field 'PID'" },
		{ "pid,", "--fields: unknown field ''" },
		{ ",pid", "--fields: unknown field ''" },
		{ "pid,,comm", "--fields: unknown field ''" },
		{ "pid comm", "--fields: unknown field 'pid comm'" },
		{ "filename", "--fields: unknown field 'filename'" }, /* a JSON name */
		{ "", "--fields needs a comma-separated list of fields" },
	};
	struct output_options o, before;
	char msg[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		output_options_default(&o);
		assert_int_equal(output_parse_text_fields(&o, "pid,argv", msg, sizeof(msg)), 0);
		before = o;
		memset(msg, 'x', sizeof(msg));
		assert_int_equal(output_parse_text_fields(&o, bad[i].list, msg, sizeof(msg)),
				 -EINVAL);
		assert_string_equal(msg, bad[i].msg);
		/* Nothing half-applied. */
		assert_int_equal(o.nr_text_fields, before.nr_text_fields);
		assert_memory_equal(o.text_fields, before.text_fields, sizeof(o.text_fields));
		assert_int_equal(o.json_fields, before.json_fields);
	}
	output_options_default(&o);
	assert_int_equal(output_parse_text_fields(&o, NULL, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "--fields needs a comma-separated list of fields");
	assert_int_equal(o.nr_text_fields, 8);
}

static void test_json_fields_errors(void **state)
{
	static const struct bad_list bad[] = {
		{ "bogus", "--json-fields: unknown field 'bogus'" },
		{ "time,pcomm", "--json-fields: unknown field 'pcomm'" }, /* a text name */
		{ "argv_b64", "--json-fields: unknown field 'argv_b64'" },
		{ "error", "--json-fields: unknown field 'error'" },
		{ "Time", "--json-fields: unknown field 'Time'" },
		{ "pid,", "--json-fields: unknown field ''" },
		{ "", "--json-fields needs a comma-separated list of fields" },
	};
	struct output_options o;
	char msg[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		output_options_default(&o);
		assert_int_equal(output_parse_json_fields(&o, "pid", msg, sizeof(msg)), 0);
		memset(msg, 'x', sizeof(msg));
		assert_int_equal(output_parse_json_fields(&o, bad[i].list, msg, sizeof(msg)),
				 -EINVAL);
		assert_string_equal(msg, bad[i].msg);
		assert_int_equal(o.json_fields, 1u << JF_PID);
	}
}

/* A short message buffer is cut, still terminated. */
static void test_error_message_truncated(void **state)
{
	struct output_options o;
	char msg[16];

	(void)state;
	output_options_default(&o);
	memset(msg, 'x', sizeof(msg));
	assert_int_equal(output_parse_text_fields(&o, "averyveryverylongname", msg, sizeof(msg)),
			 -EINVAL);
	assert_string_equal(msg, "--fields: unkno");
}

static void test_file_width(void **state)
{
	static const struct {
		unsigned int columns;
		size_t width;
	} cases[] = {
		{ 0, 24 },   { 1, 16 },	  { 40, 16 },  { 64, 16 },  { 67, 16 },
		{ 68, 17 },  { 80, 20 },  { 100, 25 }, { 120, 30 }, { 191, 47 },
		{ 192, 48 }, { 195, 48 }, { 196, 48 }, { 500, 48 }, { 4294967295u, 48 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t got = output_file_width(cases[i].columns);

		if (got != cases[i].width)
			fail_msg("%u columns: FILE width %zu, want %zu", cases[i].columns, got,
				 cases[i].width);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_field_names),
		cmocka_unit_test(test_each_name_alone),
		cmocka_unit_test(test_text_fields_order_and_duplicates),
		cmocka_unit_test(test_json_fields_set),
		cmocka_unit_test(test_text_fields_errors),
		cmocka_unit_test(test_json_fields_errors),
		cmocka_unit_test(test_error_message_truncated),
		cmocka_unit_test(test_file_width),
	};

	return cmocka_run_group_tests_name("output_options", tests, NULL, NULL);
}
