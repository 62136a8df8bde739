// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the tamper evidence (issue 3) in records and output: a
 * record whose payload ends with the caller's argv decodes with
 * view.caller_argv pointing at it; JSON writes argv_tampered and caller_argv
 * (with caller_argv_b64 for invalid UTF-8, and caller_argv_truncated), and
 * argv_tamper_check "prefix"/"none" when the comparison was not complete;
 * nothing of it on an untampered, fully checked exec or a failed one; text
 * appends a "[TAMPERED: the caller passed ...]" mark with escaped words.
 * Then the process table's members (issue 3 ancestry): parent_exe, and with
 * --ancestors the chain with ids, exe null when unknown, argv arrays with
 * _b64 twins, ancestors_complete.
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
#include "proctable.h"
#include "timefmt.h"

static char rendered[8192];

static const char *render(const struct exec_view *v, bool json)
{
	struct timefmt tf;
	struct outbuf ob;

	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	if (json)
		output_json_exec(&ob, &tf, v, NULL);
	else
		output_text_exec(&ob, &tf, v, NULL);
	assert_int_equal(ob.alloc_failed, 0);
	assert_true(ob.len < sizeof(rendered));
	memcpy(rendered, ob.data, ob.len);
	rendered[ob.len] = '\0';
	outbuf_free(&ob);
	if (json)
		assert_true(jc_json_valid(rendered, strlen(rendered) - 1));
	return rendered;
}

/* A record as the kernel builds it: fixed part | filename | argv | caller_argv. */
static size_t build(unsigned char *buf, const char *argv, size_t argv_len, const char *caller,
		    size_t caller_len, uint16_t flags, uint16_t tamper_flags)
{
	struct ew_exec e;
	size_t size = sizeof(e) + 2 + argv_len + caller_len;

	memset(&e, 0, sizeof(e));
	e.hdr.size = (uint32_t)size;
	e.hdr.type = EW_EVENT_EXEC;
	e.hdr.flags = flags;
	e.hdr.pid = 7;
	e.hdr.tid = 7;
	e.argc = 2;
	e.argv_len = (uint32_t)argv_len;
	e.argv_true_len = (uint32_t)argv_len;
	e.filename_len = 2;
	memcpy(e.comm, "sh", 2);
	e.tamper.caller_argv_len = (uint32_t)caller_len;
	e.tamper.flags = tamper_flags;
	memcpy(buf, &e, sizeof(e));
	memcpy(buf + sizeof(e), "/x", 2);
	memcpy(buf + sizeof(e) + 2, argv, argv_len);
	memcpy(buf + sizeof(e) + 2 + argv_len, caller, caller_len);
	return size;
}

static void test_decode_caller_argv(void **state)
{
	unsigned char buf[1024];
	struct exec_view v;
	size_t size = build(buf, "ls\0/tmp\0", 8, "ls\0/etc\0", 8, EW_F_ARGV_TAMPERED, 0);

	(void)state;
	assert_int_equal(decode_exec(buf, size, &v), 0);
	assert_int_equal(v.caller_argv_len, 8);
	assert_memory_equal(v.caller_argv, "ls\0/etc\0", 8);
	assert_memory_equal(v.argv, "ls\0/tmp\0", 8);
	/* A caller_argv_len past the record is refused. */
	((struct ew_exec *)buf)->tamper.caller_argv_len = 9;
	assert_int_not_equal(decode_exec(buf, size, &v), 0);
}

static void test_json_tampered(void **state)
{
	unsigned char buf[1024];
	struct exec_view v;
	size_t size = build(buf, "ls\0/tmp\0", 8, "ls\0/etc\0", 8, EW_F_ARGV_TAMPERED, 0);
	const char *s;

	(void)state;
	assert_int_equal(decode_exec(buf, size, &v), 0);
	s = render(&v, true);
	assert_non_null(strstr(s, "\"argv\":[\"ls\",\"/tmp\"],\"argv_tampered\":true,"
				  "\"caller_argv\":[\"ls\",\"/etc\"],\"argc\":2,"));
	assert_null(strstr(s, "argv_tamper_check"));
	assert_null(strstr(s, "caller_argv_truncated"));
}

static void test_json_tampered_invalid_utf8_and_cut(void **state)
{
	unsigned char buf[1024];
	struct exec_view v;
	size_t size = build(buf, "ls\0/tmp\0", 8, "ls\0\xff", 4, EW_F_ARGV_TAMPERED,
			    EW_TAMPER_CALLER_CUT | EW_TAMPER_PARTIAL);
	const char *s;

	(void)state;
	assert_int_equal(decode_exec(buf, size, &v), 0);
	s = render(&v, true);
	assert_non_null(strstr(s, "\"argv_tamper_check\":\"prefix\",\"argv_tampered\":true,"
				  "\"caller_argv\":[\"ls\",\"\xef\xbf\xbd\"],"
				  "\"caller_argv_b64\":[\"bHM=\",\"/w==\"],"
				  "\"caller_argv_truncated\":true,"));
}

static void test_json_untampered(void **state)
{
	unsigned char buf[1024];
	struct exec_view v;
	size_t size = build(buf, "ls\0/tmp\0", 8, "", 0, 0, 0);
	const char *s;

	(void)state;
	assert_int_equal(decode_exec(buf, size, &v), 0);
	s = render(&v, true);
	assert_null(strstr(s, "tamper"));
	assert_null(strstr(s, "caller_argv"));

	size = build(buf, "ls\0/tmp\0", 8, "", 0, 0, EW_TAMPER_UNCHECKED);
	assert_int_equal(decode_exec(buf, size, &v), 0);
	s = render(&v, true);
	assert_non_null(strstr(s, "\"argv\":[\"ls\",\"/tmp\"],\"argv_tamper_check\":\"none\","));
	assert_null(strstr(s, "argv_tampered"));

	/* A failed exec has nothing to compare: no member at all. */
	size = build(buf, "ls\0/tmp\0", 8, "", 0, 0, EW_TAMPER_UNCHECKED);
	((struct ew_exec *)buf)->hdr.type = EW_EVENT_EXEC_FAILED;
	((struct ew_exec *)buf)->ret = -2;
	assert_int_equal(decode_exec(buf, size, &v), 0);
	assert_null(strstr(render(&v, true), "tamper"));
}

static void test_text_tampered(void **state)
{
	unsigned char buf[1024];
	struct exec_view v;
	size_t size = build(buf, "ls\0/tmp\0", 8, "ls\0a\nb\0", 7, EW_F_ARGV_TAMPERED, 0);
	const char *s;

	(void)state;
	assert_int_equal(decode_exec(buf, size, &v), 0);
	s = render(&v, false);
	/* The caller's words escaped like argv: a newline cannot forge a line. */
	assert_non_null(strstr(s, "ls /tmp [TAMPERED: the caller passed ls \"a\\nb\"]\n"));
	assert_ptr_equal(strchr(s, '\n'), s + strlen(s) - 1);

	size = build(buf, "ls\0/tmp\0", 8, "", 0, 0, 0);
	assert_int_equal(decode_exec(buf, size, &v), 0);
	assert_null(strstr(render(&v, false), "TAMPERED"));
}

/* As the kernel sends a failed exec past its point of no return: argc 0, no filename. */
static size_t build_past_ponr(unsigned char *buf, const char *argv, size_t argv_len, uint16_t flags)
{
	size_t size = build(buf, argv, argv_len, "", 0,
			    EW_F_CALLER_MEMORY_GONE | EW_F_FILENAME_FAULT | flags, 0);
	struct ew_exec *e = (struct ew_exec *)buf;

	e->hdr.type = EW_EVENT_EXEC_FAILED;
	e->ret = -12;
	e->argc = 0;
	return size;
}

/*
 * A failed exec past its point of no return: argv is the sys_enter copy, its
 * argc counted from the strings (the kernel sent 0), the filename unknown.
 */
static void test_after_point_of_no_return(void **state)
{
	unsigned char buf[1024];
	struct exec_view v;
	size_t size = build_past_ponr(buf, "run\0-x\0y", 9,
				      EW_F_ARGV_TRUNCATED | EW_F_ARGV_TRUE_LEN_UNKNOWN);
	const char *s;

	(void)state;
	assert_int_equal(decode_exec(buf, size, &v), 0);
	/* Three strings, the last one cut. */
	assert_int_equal(exec_view_argc(&v), 3);
	s = render(&v, true);
	assert_non_null(strstr(s, "\"argv\":[\"run\",\"-x\",\"y\"],"
				  "\"after_point_of_no_return\":true,\"argc\":3,"));
	assert_non_null(strstr(s, "\"filename_fault\":true"));
	s = render(&v, false);
	assert_non_null(strstr(s, "run -x y [failed past the point of no return]"));

	/* No copy: no strings, argc 0, and argv says it is unreadable. */
	size = build_past_ponr(buf, "", 0, EW_F_ARGV_FAULT);
	assert_int_equal(decode_exec(buf, size, &v), 0);
	assert_int_equal(exec_view_argc(&v), 0);
	s = render(&v, false);
	assert_non_null(strstr(s, "[argv unreadable] [failed past the point of no return]"));

	/* Without the flag, argc is the kernel's, and nothing is said. */
	size = build(buf, "run\0-x\0", 7, "", 0, 0, 0);
	((struct ew_exec *)buf)->argc = 5;
	assert_int_equal(decode_exec(buf, size, &v), 0);
	assert_int_equal(exec_view_argc(&v), 5);
	assert_null(strstr(render(&v, true), "point_of_no_return"));
	assert_null(strstr(render(&v, false), "point of no return"));
}

static void test_json_parent_and_ancestors(void **state)
{
	unsigned char buf[1024];
	struct exec_view v;
	struct proc_ancestry chain = { .n = 2, .complete = true };
	size_t size = build(buf, "ls\0", 3, "", 0, 0, 0);
	const char *s;

	(void)state;
	assert_int_equal(decode_exec(buf, size, &v), 0);
	s = render(&v, true);
	assert_null(strstr(s, "parent_exe"));
	assert_null(strstr(s, "ancestors"));

	v.parent_exe = "/bin/b\xffsh";
	chain.list[0] = (struct proc_ancestor){
		.pid = 10, .start_ns = 5, .exe = "/bin/sh", .argv = "sh\0-c\0x\0", .argv_len = 8
	};
	chain.list[1] = (struct proc_ancestor){
		.pid = 1, .start_ns = 2, .exe = NULL, .argv = "in\xffit\0", .argv_len = 6
	};
	v.ancestors = &chain;
	s = render(&v, true);
	assert_non_null(strstr(s, "\"parent_comm\":\"\",\"parent_exe\":\"/bin/b\xef\xbf\xbdsh\","
				  "\"parent_exe_b64\":\"L2Jpbi9i/3No\","
				  "\"ancestors\":[{\"pid\":10,\"id\":\"10:5\",\"exe\":\"/bin/sh\","
				  "\"argv\":[\"sh\",\"-c\",\"x\"]},"
				  "{\"pid\":1,\"id\":\"1:2\",\"exe\":null,"
				  "\"argv\":[\"in\xef\xbf\xbdit\"],\"argv_b64\":[\"aW7/aXQ=\"]}],"
				  "\"ancestors_complete\":true,"));
	chain.n = 0;
	chain.complete = false;
	s = render(&v, true);
	assert_non_null(strstr(s, "\"ancestors\":[],\"ancestors_complete\":false,"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_caller_argv),
		cmocka_unit_test(test_json_tampered),
		cmocka_unit_test(test_json_tampered_invalid_utf8_and_cut),
		cmocka_unit_test(test_json_untampered),
		cmocka_unit_test(test_text_tampered),
		cmocka_unit_test(test_after_point_of_no_return),
		cmocka_unit_test(test_json_parent_and_ancestors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
