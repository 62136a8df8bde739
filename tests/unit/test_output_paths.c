// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the exe/cwd/interp part of the exec record (issue 3):
 * src/path_view.c (memfd name, fileless vs deleted, ld.so by name, the path
 * inside a chroot, the device numbers) and how src/output_json.c and
 * src/output_text.c print them, against exact bytes. Records are built as
 * the kernel sends them (fixed part, then filename | argv | exe | cwd |
 * interp) and go through decode_exec(), so the payload order and lengths are
 * checked on the way. Hostile bytes in a path (newline, ESC, invalid UTF-8)
 * must come out escaped in text and lossless (with *_b64) in JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode.h"
#include "json_check.h"
#include "outbuf.h"
#include "output.h"
#include "output_options.h"
#include "path_view.h"
#include "timefmt.h"

/* A record and its payload, built like the BPF side builds it. */
struct record {
	unsigned char data[sizeof(struct ew_exec) + 4 * 4096];
	size_t size;
};

static char rendered[16384];

/* makedev-style kernel dev_t: major 254, minor 3. */
#define KDEV_254_3 ((254u << 20) | 3u)

static void build(struct record *r, const char *filename, const char *exe, size_t exe_len,
		  const char *cwd, size_t cwd_len, const char *interp, uint32_t exe_flags,
		  uint32_t cwd_flags)
{
	struct ew_exec e;
	size_t pos = sizeof(e);
	static const char argv[] = "prog\0arg";

	memset(&e, 0, sizeof(e));
	e.hdr.type = EW_EVENT_EXEC;
	e.hdr.pid = 7;
	e.hdr.tid = 7;
	e.argc = 2;
	e.argv_len = sizeof(argv);
	e.argv_true_len = sizeof(argv);
	e.dirfd = EW_AT_FDCWD_VALUE;
	e.filename_len = (uint16_t)strlen(filename);
	e.file.exe_len = (uint16_t)exe_len;
	e.file.cwd_len = (uint16_t)cwd_len;
	e.file.interp_len = interp ? (uint16_t)strlen(interp) : 0;
	e.file.exe_flags = exe_flags;
	e.file.cwd_flags = cwd_flags;
	e.file.exe_root_len = EW_ROOT_LEN_NONE;
	e.file.cwd_root_len = EW_ROOT_LEN_NONE;
	e.file.exe_dev = KDEV_254_3;
	e.file.exe_ino = 1234567;
	e.file.exe_nlink = 1;
	memcpy(r->data + pos, filename, e.filename_len);
	pos += e.filename_len;
	memcpy(r->data + pos, argv, sizeof(argv));
	pos += sizeof(argv);
	memcpy(r->data + pos, exe, exe_len);
	pos += exe_len;
	memcpy(r->data + pos, cwd, cwd_len);
	pos += cwd_len;
	if (interp) {
		memcpy(r->data + pos, interp, e.file.interp_len);
		pos += e.file.interp_len;
	}
	e.hdr.size = (uint32_t)pos;
	memcpy(r->data, &e, sizeof(e));
	r->size = pos;
}

#define S(lit) lit, sizeof(lit) - 1

/* The fixed part lives in the view after decoding: tests tweak it there. */
static struct exec_view decoded(const struct record *r)
{
	struct exec_view v;

	assert_int_equal(decode_exec(r->data, r->size, &v), 0);
	return v;
}

static const char *copy_out(struct outbuf *ob)
{
	assert_int_equal(ob->alloc_failed, 0);
	assert_true(ob->len < sizeof(rendered));
	memcpy(rendered, ob->data, ob->len);
	rendered[ob->len] = '\0';
	outbuf_free(ob);
	return rendered;
}

/* JSON members exe and cwd only, so the expected bytes stay short. */
static const char *json_paths(const struct exec_view *v)
{
	struct output_options o;
	struct timefmt tf;
	struct outbuf ob;
	char msg[128];
	const char *s;

	output_options_default(&o);
	if (output_parse_json_fields(&o, "exe,cwd", msg, sizeof(msg)))
		fail_msg("%s", msg);
	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_json_exec(&ob, &tf, v, &o);
	s = copy_out(&ob);
	if (!jc_json_valid(s, strlen(s) - 1))
		fail_msg("invalid JSON: %s", s);
	return s;
}

static const char *text_paths(const struct exec_view *v)
{
	struct output_options o;
	struct timefmt tf;
	struct outbuf ob;
	char msg[128];

	output_options_default(&o);
	if (output_parse_text_fields(&o, "pid,exe,cwd", msg, sizeof(msg)))
		fail_msg("%s", msg);
	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_text_exec(&ob, &tf, v, &o);
	return copy_out(&ob);
}

static void test_plain(void **state)
{
	struct record r;
	struct exec_view v;

	(void)state;
	build(&r, "bin/prog", S("/usr/bin/prog"), S("/home/u"), NULL, EW_FILE_ROOT_SEEN,
	      EW_FILE_ROOT_SEEN);
	v = decoded(&r);
	assert_true(path_view_has_exe(&v));
	assert_true(path_view_has_cwd(&v));
	assert_false(path_view_exe_deleted(&v));
	assert_false(path_view_exe_fileless(&v));
	assert_false(path_view_exe_is_ldso(&v));
	assert_false(path_view_chroot(&v));
	assert_string_equal(json_paths(&v),
			    "{\"type\":\"exec\",\"exe\":\"/usr/bin/prog\",\"exe_dev\":\"254:3\","
			    "\"exe_ino\":1234567,\"exe_nlink\":1,\"cwd\":\"/home/u\"}\n");
	assert_string_equal(text_paths(&v), "7       /usr/bin/prog            /home/u\n");
}

static void test_failed_exec_has_no_exe(void **state)
{
	struct record r;
	struct exec_view v;

	(void)state;
	build(&r, "./nope", "", 0, S("/tmp"), NULL, EW_FILE_NONE, EW_FILE_ROOT_SEEN);
	v = decoded(&r);
	assert_false(path_view_has_exe(&v));
	assert_string_equal(json_paths(&v), "{\"type\":\"exec\",\"exe\":null,\"cwd\":\"/tmp\"}\n");
	assert_string_equal(text_paths(&v), "7       -                        /tmp\n");
	/* No walk at all (no fs_struct): cwd null too. */
	build(&r, "./nope", "", 0, "", 0, NULL, EW_FILE_NONE, EW_FILE_NONE);
	v = decoded(&r);
	assert_string_equal(json_paths(&v), "{\"type\":\"exec\",\"exe\":null,\"cwd\":null}\n");
}

/*
 * Past the point of no return the BPF side reads no filename (the failing
 * binary's memory) but the new mm's exe: JSON has it as for any exec, and the
 * text FILE column shows it in the filename's place, marked.
 */
static void test_failed_past_point_of_no_return_has_exe(void **state)
{
	struct output_options o;
	struct timefmt tf;
	struct outbuf ob;
	struct record r;
	struct exec_view v;
	char msg[128];

	(void)state;
	build(&r, "", S("/tmp/bad\nelf"), S("/tmp"), NULL, EW_FILE_ROOT_SEEN, EW_FILE_ROOT_SEEN);
	v = decoded(&r);
	v.fixed.hdr.type = EW_EVENT_EXEC_FAILED;
	v.fixed.ret = -12;
	v.fixed.hdr.flags = EW_F_CALLER_MEMORY_GONE | EW_F_FILENAME_FAULT;
	assert_string_equal(json_paths(&v),
			    "{\"type\":\"exec\",\"exe\":\"/tmp/bad\\nelf\",\"exe_dev\":\"254:3\","
			    "\"exe_ino\":1234567,\"exe_nlink\":1,\"cwd\":\"/tmp\"}\n");
	output_options_default(&o);
	if (output_parse_text_fields(&o, "pid,file", msg, sizeof(msg)))
		fail_msg("%s", msg);
	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_text_exec(&ob, &tf, &v, &o);
	/* Escaped like any path; the marker says whose name it is. */
	assert_string_equal(copy_out(&ob),
			    "7       \"/tmp/bad\\nelf\" [exe; filename unreadable]\n");
	/* An ordinary failed exec with an unreadable filename keeps its marker. */
	build(&r, "", "", 0, S("/tmp"), NULL, EW_FILE_NONE, EW_FILE_ROOT_SEEN);
	v = decoded(&r);
	v.fixed.hdr.type = EW_EVENT_EXEC_FAILED;
	v.fixed.hdr.flags = EW_F_FILENAME_FAULT;
	outbuf_init(&ob, -1);
	output_text_exec(&ob, &tf, &v, &o);
	assert_string_equal(copy_out(&ob), "7       \"\" [filename unreadable]\n");
}

static void test_memfd(void **state)
{
	struct record r;
	struct exec_view v;
	struct path_span name;
	uint32_t flags = EW_FILE_MEMFD | EW_FILE_PSEUDO | EW_FILE_INTERNAL | EW_FILE_NLINK0 |
			 EW_FILE_FROM_FD;

	(void)state;
	build(&r, "/dev/fd/3", S("/memfd:payload"), S("/root"), NULL, flags, EW_FILE_ROOT_SEEN);
	v = decoded(&r);
	v.fixed.file.exe_nlink = 0;
	assert_true(path_view_memfd_name(&v, &name));
	assert_int_equal(name.len, 7);
	assert_memory_equal(name.bytes, "payload", 7);
	assert_true(path_view_exe_fileless(&v));
	/* Fileless, not "deleted", although it has no link. */
	assert_false(path_view_exe_deleted(&v));
	assert_string_equal(json_paths(&v),
			    "{\"type\":\"exec\",\"exe\":\"/memfd:payload\",\"exe_fileless\":true,"
			    "\"exe_memfd\":\"payload\",\"exe_from_fd\":true,\"exe_dev\":\"254:3\","
			    "\"exe_ino\":1234567,\"exe_nlink\":0,\"cwd\":\"/root\"}\n");
	assert_string_equal(text_paths(&v), "7       /memfd:payload [fileless] /root\n");
	/* An empty memfd name. */
	build(&r, "/dev/fd/3", S("/memfd:"), S("/"), NULL, flags, 0);
	v = decoded(&r);
	assert_true(path_view_memfd_name(&v, &name));
	assert_int_equal(name.len, 0);
	/* The flag without the prefix (a corrupt record) gives no name. */
	build(&r, "/dev/fd/3", S("/other"), S("/"), NULL, flags, 0);
	v = decoded(&r);
	assert_false(path_view_memfd_name(&v, &name));
}

static void test_deleted_and_opath(void **state)
{
	struct record r;
	struct exec_view v;

	(void)state;
	build(&r, "/proc/self/fd/3", S("/tmp/x"), S("/tmp"), NULL,
	      EW_FILE_DELETED | EW_FILE_NLINK0 | EW_FILE_ROOT_SEEN, EW_FILE_DELETED);
	v = decoded(&r);
	assert_true(path_view_exe_deleted(&v));
	assert_string_equal(json_paths(&v),
			    "{\"type\":\"exec\",\"exe\":\"/tmp/x\",\"exe_deleted\":true,"
			    "\"exe_dev\":\"254:3\",\"exe_ino\":1234567,\"exe_nlink\":1,"
			    "\"cwd\":\"/tmp\",\"cwd_deleted\":true}\n");
	assert_string_equal(text_paths(&v), "7       /tmp/x [deleted]         /tmp [deleted]\n");
	/* Only i_nlink 0 (the dentry still hashed): deleted too. */
	build(&r, "/x", S("/x"), S("/"), NULL, EW_FILE_NLINK0, 0);
	v = decoded(&r);
	assert_true(path_view_exe_deleted(&v));

	build(&r, "/dev/fd/4", S("/srv/p"), S("/"), NULL, EW_FILE_OPATH | EW_FILE_FROM_FD, 0);
	v = decoded(&r);
	assert_string_equal(json_paths(&v),
			    "{\"type\":\"exec\",\"exe\":\"/srv/p\",\"exe_opath\":true,"
			    "\"exe_from_fd\":true,\"exe_dev\":\"254:3\",\"exe_ino\":1234567,"
			    "\"exe_nlink\":1,\"cwd\":\"/\"}\n");
	assert_string_equal(text_paths(&v), "7       /srv/p [O_PATH]          /\n");
}

static void test_truncated_fault_other_ns(void **state)
{
	struct record r;
	struct exec_view v;

	(void)state;
	build(&r, "x", S("/dd/prog"), S("/dd"), NULL,
	      EW_FILE_TRUNCATED | EW_FILE_FAULT | EW_FILE_OTHER_NS, EW_FILE_TRUNCATED);
	v = decoded(&r);
	assert_string_equal(json_paths(&v),
			    "{\"type\":\"exec\",\"exe\":\"/dd/prog\",\"exe_truncated\":true,"
			    "\"exe_fault\":true,\"exe_other_ns\":true,\"exe_dev\":\"254:3\","
			    "\"exe_ino\":1234567,\"exe_nlink\":1,\"cwd\":\"/dd\","
			    "\"cwd_truncated\":true}\n");
	assert_string_equal(text_paths(&v),
			    "7       /dd/prog [truncated] [incomplete] /dd [truncated]\n");
}

static void test_interp(void **state)
{
	struct record r;
	struct exec_view v;
	struct output_options o;
	struct timefmt tf;
	struct outbuf ob;
	char msg[128];

	(void)state;
	build(&r, "/t/s2", S("/usr/bin/dash"), S("/t"), "/bin/sh", EW_FILE_ROOT_SEEN, 0);
	v = decoded(&r);
	assert_int_equal(v.interp_len, 7);
	assert_string_equal(json_paths(&v),
			    "{\"type\":\"exec\",\"exe\":\"/usr/bin/dash\",\"exe_dev\":\"254:3\","
			    "\"exe_ino\":1234567,\"exe_nlink\":1,\"interp\":\"/bin/sh\","
			    "\"cwd\":\"/t\"}\n");
	v.fixed.file.exe_flags |= EW_FILE_INTERP_TRUNCATED;
	assert_non_null(strstr(json_paths(&v), "\"interp\":\"/bin/sh\",\"interp_truncated\":true"));
	v.fixed.file.exe_flags = EW_FILE_INTERP_FAULT;
	v.interp_len = 0;
	assert_non_null(strstr(json_paths(&v), "\"interp_fault\":true"));

	/* The full default record ends with the path members. */
	build(&r, "/t/s2", S("/usr/bin/dash"), S("/t"), "/bin/sh", 0, 0);
	v = decoded(&r);
	output_options_default(&o);
	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_json_exec(&ob, &tf, &v, &o);
	assert_non_null(strstr(copy_out(&ob), "\"container_id\":null,\"exe\":\"/usr/bin/dash\","
					      "\"exe_dev\":\"254:3\",\"exe_ino\":1234567,"
					      "\"exe_nlink\":1,\"interp\":\"/bin/sh\","
					      "\"cwd\":\"/t\"}\n"));
	(void)msg;
}

static void test_ldso_names(void **state)
{
	static const struct {
		const char *path;
		bool ldso;
	} cases[] = {
		{ "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", true },
		{ "/lib/ld-linux-aarch64.so.1", true },
		{ "/lib/ld-linux.so.2", true },
		{ "/lib/ld-musl-x86_64.so.1", true },
		{ "/lib64/ld64.so.2", true },
		{ "/usr/lib/ld.so", true },
		{ "ld.so.1", true },
		{ "/usr/bin/ld", false },
		{ "/usr/bin/ld.gold", false },
		{ "/usr/bin/ld-linux", false }, /* no ".so" */
		{ "/opt/ld-linux.so.2/prog", false }, /* only the last component counts */
		{ "/usr/bin/ldd", false },
		{ "/", false },
	};
	struct record r;
	struct exec_view v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		build(&r, "x", cases[i].path, strlen(cases[i].path), S("/"), NULL, 0, 0);
		v = decoded(&r);
		if (path_view_exe_is_ldso(&v) != cases[i].ldso)
			fail_msg("%s: expected ldso=%d", cases[i].path, cases[i].ldso);
	}
	build(&r, "x", S("/lib64/ld-linux-x86-64.so.2"), S("/"), NULL, 0, 0);
	v = decoded(&r);
	assert_non_null(strstr(json_paths(&v), "\"exe_ldso\":true,"));
	/* A memfd named like a loader is a memfd. */
	build(&r, "x", S("/memfd:ld-linux.so.2"), S("/"), NULL, EW_FILE_MEMFD | EW_FILE_PSEUDO, 0);
	v = decoded(&r);
	assert_false(path_view_exe_is_ldso(&v));
}

static void test_chroot(void **state)
{
	struct record r;
	struct exec_view v;
	struct path_span in_root;

	(void)state;
	build(&r, "/bin/prog", S("/srv/root/bin/prog"), S("/srv/root"), NULL, EW_FILE_ROOT_SEEN,
	      EW_FILE_ROOT_SEEN);
	v = decoded(&r);
	v.fixed.file.task_flags = EW_FILE_TASK_CHROOT;
	v.fixed.file.exe_root_len = 9; /* "/bin/prog" */
	v.fixed.file.cwd_root_len = 0; /* the root itself */
	assert_true(path_view_chroot(&v));
	assert_string_equal(json_paths(&v), "{\"type\":\"exec\",\"exe\":\"/srv/root/bin/prog\","
					    "\"exe_in_root\":\"/bin/prog\",\"exe_dev\":\"254:3\","
					    "\"exe_ino\":1234567,\"exe_nlink\":1,\"chroot\":true,"
					    "\"cwd\":\"/srv/root\",\"cwd_in_root\":\"/\"}\n");
	assert_string_equal(text_paths(&v), "7       /srv/root/bin/prog [chroot] /srv/root\n");
	/* The exe outside the task's root (an fd from outside the chroot). */
	v.fixed.file.exe_flags = 0;
	assert_non_null(strstr(json_paths(&v), "\"exe_outside_root\":true"));
	/* A root length past the path (corrupt) is not trusted. */
	assert_false(path_view_in_root("/ab", 3, 4, EW_FILE_ROOT_SEEN, &in_root));
	assert_false(path_view_in_root("/ab", 3, EW_ROOT_LEN_NONE, EW_FILE_ROOT_SEEN, &in_root));
	assert_true(path_view_in_root("/ab", 3, 3, EW_FILE_ROOT_SEEN, &in_root));
	assert_int_equal(in_root.len, 3);
	assert_false(path_view_in_root("/ab", 3, 3, 0, &in_root));
}

static void test_hostile_bytes(void **state)
{
	struct record r;
	struct exec_view v;

	(void)state;
	build(&r, "x", S("/t/a\nb\033[2J\xff"), S("/t/\"q\""), NULL, 0, 0);
	v = decoded(&r);
	assert_string_equal(json_paths(&v),
			    "{\"type\":\"exec\",\"exe\":\"/t/a\\nb\\u001b[2J\xef\xbf\xbd\","
			    "\"exe_b64\":\"L3QvYQpiG1sySv8=\",\"exe_dev\":\"254:3\","
			    "\"exe_ino\":1234567,\"exe_nlink\":1,\"cwd\":\"/t/\\\"q\\\"\"}\n");
	assert_string_equal(text_paths(&v),
			    "7       \"/t/a\\nb\\e[2J\\xff\"       \"/t/\\\"q\\\"\"\n");
}

static void test_dev_numbers(void **state)
{
	(void)state;
	assert_int_equal(path_view_dev_major(KDEV_254_3), 254);
	assert_int_equal(path_view_dev_minor(KDEV_254_3), 3);
	assert_int_equal(path_view_dev_major((4095u << 20) | 0xfffffu), 4095);
	assert_int_equal(path_view_dev_minor((4095u << 20) | 0xfffffu), 0xfffff);
	assert_int_equal(path_view_dev_major(0), 0);
}

static void test_decode_rejects_bad_lengths(void **state)
{
	struct record r;
	struct exec_view v;
	struct ew_exec e;

	(void)state;
	build(&r, "x", S("/a"), S("/b"), "/c", 0, 0);
	/* One byte more claimed for cwd than the record holds. */
	memcpy(&e, r.data, sizeof(e));
	e.file.cwd_len++;
	memcpy(r.data, &e, sizeof(e));
	assert_int_not_equal(decode_exec(r.data, r.size, &v), 0);
	/* An exe longer than the walk can send. */
	e.file.cwd_len--;
	e.file.exe_len = EW_PATH_PAYLOAD_MAX + 1;
	memcpy(r.data, &e, sizeof(e));
	assert_int_not_equal(decode_exec(r.data, r.size, &v), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_failed_exec_has_no_exe),
		cmocka_unit_test(test_failed_past_point_of_no_return_has_exe),
		cmocka_unit_test(test_memfd),
		cmocka_unit_test(test_deleted_and_opath),
		cmocka_unit_test(test_truncated_fault_other_ns),
		cmocka_unit_test(test_interp),
		cmocka_unit_test(test_ldso_names),
		cmocka_unit_test(test_chroot),
		cmocka_unit_test(test_hostile_bytes),
		cmocka_unit_test(test_dev_numbers),
		cmocka_unit_test(test_decode_rejects_bad_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
