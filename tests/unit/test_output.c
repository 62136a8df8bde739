// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/output_text.c and src/output_json.c against exact
 * expected bytes: hand-built exec views (a successful exec with several
 * arguments, an empty argument, failed execve/execveat, truncated argv with
 * a known and an unknown true length, argc 0, no argv, invalid UTF-8 in
 * filename and argv with their exact *_b64 members, newline and ESC in comm,
 * faults) go through both formatters. Time stamps use timefmt_init(&tf, 0)
 * and boot_ns values whose wall time is known, with TZ=UTC for the text
 * clock. Every JSON line must parse with the strict validator in
 * json_check.h and be exactly one line; every text record must be one line
 * of valid UTF-8 without control bytes, aligned with the header. The
 * start/lost/stats records and the text loss sentence and summary are
 * checked too, and a seeded fuzz test feeds random bytes and flags.
 *
 * Then the output options: --fields column selection and header titles
 * (every column, with and without a resolved cgroup path), -t seconds since
 * start, --quote shell words in FILE and ARGV, --max-args with its
 * "[+K more args]" marker, colour codes only when opts.color (red for a
 * failure, yellow when euid != uid, reset before the newline), and the JSON
 * --json-fields subsets (schema order whatever the list order, flags only
 * with their member) and argv_omitted, with argv_b64 parallel to the shown
 * arguments.
 *
 * Process ids ("PID:START", output_put_process_id) and the id/parent_id
 * members of exec records. Exit records: exit_code vs signal/core_dumped,
 * signal names (the schema's "string or null", for every status 1..0x7f),
 * exe null, escaped and invalid UTF-8 with exe_b64, comm, lifetime (never a
 * wrap when the start is later than the exit), --json-fields not applying;
 * text exit lines against golden bytes with the default columns and --fields
 * subsets ("-" for columns an exit has no value for), -t, --quote, escaping,
 * alignment with the header, and a seeded fuzz of both formatters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "decode.h"
#include "json_check.h"
#include "outbuf.h"
#include "output.h"
#include "output_options.h"
#include "stats.h"
#include "timefmt.h"

#define NS 1000000000LL
/* 2026-11-24T21:50:13.123456789Z */
#define BOOT_2026 (1795557013LL * NS + 123456789)
#define TIME_JSON "\"time\":\"2026-11-24T21:50:13.123456789Z\""
#define TIME_TEXT "21:50:13.123"
/* Start times of the views' process and parent: their ids. */
#define EXEC_START_NS 98765432109ULL
#define PARENT_START_NS 1234567ULL
#define ID_JSON ",\"id\":\"4242:98765432109\""
#define PARENT_ID_JSON ",\"parent_id\":\"1:1234567\""
/* The members from pid to ppid of the default view. */
#define IDS_JSON ",\"pid\":4242" ID_JSON ",\"tid\":4242,\"ppid\":1" PARENT_ID_JSON ","
/* The exe and cwd members of a view without them (issue 3), last in a record. */
#define PATHS_NULL ",\"exe\":null,\"cwd\":null"
/* The members after "ret" of a view with no cgroup path resolved (and no paths). */
#define CGROUP_NULL \
	",\"cgroup_id\":4321,\"cgroup\":null," NS_ZERO ",\"container_id\":null" PATHS_NULL
/* Members a hand-built view leaves at zero: credentials after gid, namespaces after cgroup. */
#define CREDS_ZERO \
	"\"suid\":0,\"fsuid\":0,\"egid\":0,\"sgid\":0,\"fsgid\":0,\"auid\":0,\"sessionid\":0,\"privilege_change\":false,"
#define NS_ZERO "\"ns_pid\":0,\"pid_ns\":0,\"mnt_ns\":0,\"net_ns\":0,\"user_ns\":0,\"tty\":null"

static char rendered[8192];

static struct exec_view make_view(const char *comm, size_t comm_len, const char *filename,
				  size_t filename_len, const char *argv, size_t argv_len,
				  uint32_t argc)
{
	struct exec_view v;

	memset(&v, 0, sizeof(v));
	v.fixed.hdr.boot_ns = BOOT_2026;
	v.fixed.hdr.type = EW_EVENT_EXEC;
	v.fixed.hdr.pid = 4242;
	v.fixed.hdr.tid = 4242;
	v.fixed.ppid = 1;
	v.fixed.uid = 1000;
	v.fixed.euid = 1000;
	v.fixed.gid = 1000;
	v.fixed.ret = 0;
	v.fixed.argc = argc;
	v.fixed.argv_len = (uint32_t)argv_len;
	v.fixed.argv_true_len = (uint32_t)argv_len;
	v.fixed.filename_len = (uint16_t)filename_len;
	v.fixed.dirfd = EW_AT_FDCWD_VALUE;
	assert_true(comm_len <= EW_COMM_LEN);
	memcpy(v.fixed.comm, comm, comm_len);
	memcpy(v.fixed.parent_comm, "sshd", 4);
	v.fixed.cgroup_id = 4321;
	v.fixed.start_ns = EXEC_START_NS;
	v.fixed.parent_start_ns = PARENT_START_NS;
	v.filename = filename;
	v.filename_len = filename_len;
	v.argv = argv;
	v.argv_len = argv_len;
	return v;
}

#define VIEW(comm, filename, argv, argc)                                                          \
	make_view(comm, sizeof(comm) - 1, filename, sizeof(filename) - 1, argv, sizeof(argv) - 1, \
		  argc)

static void set_flags(struct exec_view *v, uint16_t flags)
{
	v->fixed.hdr.flags = flags;
	v->argv_empty_at_call = flags & EW_F_ARGV_EMPTY_AT_CALL;
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

/* One line: exactly one '\n', at the end. */
static void assert_one_line(const char *s, size_t len)
{
	assert_true(len > 0);
	assert_int_equal(s[len - 1], '\n');
	if (memchr(s, '\n', len - 1))
		fail_msg("more than one line: %s", s);
}

static void assert_json_line(const char *s)
{
	size_t len = strlen(s);

	assert_one_line(s, len);
	if (!jc_utf8_valid(s, len))
		fail_msg("not valid UTF-8: %s", s);
	if (!jc_json_compact_object(s, len - 1))
		fail_msg("not one strict JSON object: %s", s);
}

static void assert_text_line(const char *s)
{
	size_t len = strlen(s), i;

	assert_one_line(s, len);
	if (!jc_utf8_valid(s, len))
		fail_msg("not valid UTF-8: %s", s);
	for (i = 0; i + 1 < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			fail_msg("control byte 0x%02x at %zu: %s", c, i, s);
		if (c == 0xc2 && (unsigned char)s[i + 1] <= 0x9f)
			fail_msg("raw C1 control at %zu", i);
	}
}

static const char *json_exec(const struct exec_view *v)
{
	struct timefmt tf;
	struct outbuf ob;
	const char *s;

	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_json_exec(&ob, &tf, v, NULL);
	s = copy_out(&ob);
	assert_json_line(s);
	return s;
}

static const char *text_exec(const struct exec_view *v)
{
	struct timefmt tf;
	struct outbuf ob;
	const char *s;

	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_text_exec(&ob, &tf, v, NULL);
	s = copy_out(&ob);
	assert_text_line(s);
	return s;
}

static int setup_utc(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

/* Shared fixed columns of the default view: time, pid, ppid, uid. */
#define COLS_PREFIX TIME_TEXT " 4242    1       1000   "

static void test_text_header(void **state)
{
	struct outbuf ob;

	(void)state;
	outbuf_init(&ob, -1);
	output_text_header(&ob, NULL);
	assert_string_equal(copy_out(&ob),
			    "TIME         PID     PPID    UID    RET  COMM             "
			    "FILE                     ARGV\n");
}

static void test_text_success(void **state)
{
	struct exec_view v = VIEW("bash", "/usr/bin/ls", "ls\0-l\0/tmp\0", 3);

	(void)state;
	assert_string_equal(text_exec(&v), COLS_PREFIX "0    bash             "
						       "/usr/bin/ls              ls -l /tmp\n");
}

/* The columns of a record line up under the header's titles. */
static void test_text_alignment(void **state)
{
	static const char *const titles[] = { "PID", "PPID", "UID", "RET", "COMM", "FILE", "ARGV" };
	static const char header[] = "TIME         PID     PPID    UID    RET  COMM             "
				     "FILE                     ARGV\n";
	struct exec_view v = VIEW("sh", "/bin/sh", "sh\0-c\0true\0", 3);
	const char *line;
	size_t i, col = 0;

	(void)state;
	v.fixed.hdr.pid = 1234567;
	v.fixed.ppid = 7654321;
	v.fixed.uid = 123456;
	v.fixed.ret = -13;
	v.fixed.hdr.type = EW_EVENT_EXEC_FAILED;
	line = text_exec(&v);
	for (i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		col = (size_t)(strstr(header, titles[i]) - header);
		/* A field starts at the title's column, after a space. */
		if (line[col - 1] != ' ' || line[col] == ' ')
			fail_msg("column %s (%zu) misaligned: %s", titles[i], col, line);
	}
	assert_string_equal(line, TIME_TEXT " 1234567 7654321 123456 -13  sh               "
					    "/bin/sh                  sh -c true\n");
}

static void test_text_empty_arg(void **state)
{
	struct exec_view v = VIEW("prog", "/bin/prog", "prog\0\0x\0", 3);

	(void)state;
	assert_string_equal(text_exec(&v), COLS_PREFIX "0    prog             "
						       "/bin/prog                prog \"\" x\n");
}

static void test_text_failed(void **state)
{
	struct exec_view v = VIEW("bash", "./nope", "./nope\0arg\0", 2);

	(void)state;
	v.fixed.hdr.type = EW_EVENT_EXEC_FAILED;
	v.fixed.ret = -2;
	assert_string_equal(text_exec(&v), COLS_PREFIX "-2   bash             "
						       "./nope                   ./nope arg\n");
}

static void test_text_truncated(void **state)
{
	struct exec_view v = VIEW("xargs", "/bin/echo", "echo\0aaaa\0bb", 3);

	(void)state;
	set_flags(&v, EW_F_ARGV_TRUNCATED);
	v.fixed.argv_true_len = 100;
	assert_string_equal(text_exec(&v),
			    COLS_PREFIX "0    xargs            /bin/echo                "
					"echo aaaa bb [argv truncated: 12 of 100 bytes]\n");
	set_flags(&v, EW_F_ARGV_TRUNCATED | EW_F_ARGV_TRUE_LEN_UNKNOWN);
	assert_string_equal(text_exec(&v),
			    COLS_PREFIX "0    xargs            /bin/echo                "
					"echo aaaa bb [argv truncated at 12 bytes]\n");
}

static void test_text_argc0(void **state)
{
	struct exec_view v = VIEW("evil", "/bin/true", "\0", 1);

	(void)state;
	set_flags(&v, EW_F_ARGV_EMPTY_AT_CALL);
	assert_string_equal(text_exec(&v), COLS_PREFIX "0    evil             "
						       "/bin/true                [argc 0]\n");
}

static void test_text_no_argv(void **state)
{
	struct exec_view v = VIEW("x", "/bin/x", "", 0);

	(void)state;
	assert_string_equal(text_exec(&v), COLS_PREFIX "0    x                "
						       "/bin/x                   [no argv]\n");
	set_flags(&v, EW_F_ARGV_FAULT);
	assert_string_equal(text_exec(&v),
			    COLS_PREFIX "0    x                "
					"/bin/x                   [argv unreadable]\n");
}

static void test_text_faults(void **state)
{
	struct exec_view v = VIEW("x", "/bin/x", "x\0", 1);

	(void)state;
	/* The filename marker belongs to the FILE column: padded with it. */
	set_flags(&v, EW_F_ARGV_FAULT | EW_F_FILENAME_FAULT);
	assert_string_equal(text_exec(&v),
			    COLS_PREFIX "0    x                /bin/x "
					"[filename unreadable] x [argv unreadable]\n");
	set_flags(&v, EW_F_FILENAME_TRUNCATED);
	assert_string_equal(text_exec(&v), COLS_PREFIX "0    x                /bin/x "
						       "[filename truncated] x\n");
	/* Short enough to fit: "x [filename truncated]" is 22 of 24 columns. */
	v.filename = "x";
	v.filename_len = 1;
	v.fixed.filename_len = 1;
	assert_string_equal(text_exec(&v), COLS_PREFIX "0    x                x "
						       "[filename truncated]   x\n");
}

static void test_text_invalid_utf8(void **state)
{
	struct exec_view v = VIEW("sh", "/tmp/\xff",
				  "ok\0\xff"
				  "ab\0",
				  2);

	(void)state;
	assert_string_equal(text_exec(&v),
			    COLS_PREFIX "0    sh               "
					"\"/tmp/\\xff\"              ok \"\\xffab\"\n");
}

static void test_text_comm_controls(void **state)
{
	struct exec_view v = VIEW("a\nb\x1b"
				  "c",
				  "/x", "x\0", 1);

	(void)state;
	/* "a\nb\ec" is 9 columns wide: 7 spaces of padding, then one. */
	assert_string_equal(text_exec(&v), COLS_PREFIX "0    \"a\\nb\\ec\"        "
						       "/x                       x\n");
}

/* A forged second record inside an argument stays on the one line. */
static void test_text_forged_line(void **state)
{
	struct exec_view v =
		VIEW("sh", "/bin/echo", "echo\0x\n21:50:13.123 1 1 0 0 fake /bin/fake fake\0", 2);
	const char *line;

	(void)state;
	line = text_exec(&v);
	assert_non_null(strstr(line, "echo \"x\\n21:50:13.123 1 1 0 0 fake /bin/fake fake\"\n"));
}

/* comm fills all 16 bytes with no NUL: read no further than the array. */
static void test_text_full_comm(void **state)
{
	struct exec_view v = VIEW("0123456789abcdef", "/x", "x\0", 1);

	(void)state;
	assert_string_equal(text_exec(&v), COLS_PREFIX "0    0123456789abcdef "
						       "/x                       x\n");
	assert_non_null(strstr(json_exec(&v), "\"comm\":\"0123456789abcdef\","));
}

static void test_text_non_ascii_padding(void **state)
{
	struct exec_view v = VIEW("caf\xc3\xa9", "/tmp/\xc3\xa9", "\xc3\xa9\0", 1);

	(void)state;
	/* Padded by characters, not bytes. */
	assert_string_equal(text_exec(&v),
			    COLS_PREFIX "0    caf\xc3\xa9             "
					"/tmp/\xc3\xa9                   \xc3\xa9\n");
}

static void test_text_long_fields(void **state)
{
	struct exec_view v = VIEW("sh", "/a/very/long/path/to/some/program", "p\0", 1);

	(void)state;
	v.fixed.hdr.pid = 4294967295u;
	v.fixed.ret = -2147483647 - 1;
	v.fixed.hdr.type = EW_EVENT_EXEC_FAILED;
	assert_string_equal(text_exec(&v),
			    TIME_TEXT " 4294967295 1       1000   -2147483648 sh               "
				      "/a/very/long/path/to/some/program p\n");
}

static void test_json_success(void **state)
{
	struct exec_view v = VIEW("bash", "/usr/bin/ls", "ls\0-l\0/tmp\0", 3);

	(void)state;
	assert_string_equal(json_exec(&v),
			    "{\"type\":\"exec\"," TIME_JSON IDS_JSON
			    "\"uid\":1000,\"euid\":1000,\"gid\":1000," CREDS_ZERO
			    "\"comm\":\"bash\","
			    "\"parent_comm\":\"sshd\",\"filename\":\"/usr/bin/ls\","
			    "\"argv\":[\"ls\",\"-l\",\"/tmp\"],\"argc\":3,\"argv_truncated\":false,"
			    "\"argv_bytes\":11,\"argv_true_bytes\":11,\"ret\":0" CGROUP_NULL "}\n");
}

static void test_json_ids(void **state)
{
	struct exec_view v = VIEW("su", "/bin/su", "su\0", 1);

	(void)state;
	v.fixed.hdr.pid = 4294967295u;
	v.fixed.hdr.tid = 7;
	v.fixed.ppid = 0;
	v.fixed.uid = 0;
	v.fixed.euid = 65534;
	v.fixed.gid = 4294967294u;
	assert_non_null(strstr(json_exec(&v),
			       "\"pid\":4294967295,\"id\":\"4294967295:98765432109\",\"tid\":7,"
			       "\"ppid\":0,\"parent_id\":\"0:1234567\",\"uid\":0,"
			       "\"euid\":65534,\"gid\":4294967294,"));
}

static void test_json_empty_arg(void **state)
{
	struct exec_view v = VIEW("prog", "/bin/prog", "prog\0\0x\0", 3);

	(void)state;
	assert_non_null(strstr(json_exec(&v), "\"argv\":[\"prog\",\"\",\"x\"],\"argc\":3,"));
}

static void test_json_failed(void **state)
{
	struct exec_view v = VIEW("bash", "./nope", "./nope\0", 1);

	(void)state;
	v.fixed.hdr.type = EW_EVENT_EXEC_FAILED;
	v.fixed.ret = -2;
	assert_string_equal(
		json_exec(&v),
		"{\"type\":\"exec\"," TIME_JSON IDS_JSON
		"\"uid\":1000,\"euid\":1000,\"gid\":1000," CREDS_ZERO "\"comm\":\"bash\","
		"\"parent_comm\":\"sshd\",\"filename\":\"./nope\",\"argv\":[\"./nope\"],"
		"\"argc\":1,\"argv_truncated\":false,\"argv_bytes\":7,"
		"\"argv_true_bytes\":7,\"ret\":-2,\"error\":\"ENOENT\","
		"\"syscall\":\"execve\"" CGROUP_NULL "}\n");
	v.fixed.ret = -13;
	assert_non_null(strstr(json_exec(&v), ",\"ret\":-13,\"error\":\"EACCES\","
					      "\"syscall\":\"execve\"" CGROUP_NULL "}\n"));
}

static void test_json_failed_execveat(void **state)
{
	struct exec_view v = VIEW("fexecve", "", "x\0", 1);

	(void)state;
	v.fixed.hdr.type = EW_EVENT_EXEC_FAILED;
	v.fixed.ret = -8;
	v.fixed.dirfd = 3;
	set_flags(&v, EW_F_EXECVEAT);
	assert_non_null(strstr(json_exec(&v), "\"filename\":\"\",\"argv\":[\"x\"],"));
	assert_non_null(strstr(json_exec(&v),
			       ",\"ret\":-8,\"error\":\"ENOEXEC\","
			       "\"syscall\":\"execveat\",\"dirfd\":3" CGROUP_NULL "}\n"));
	v.fixed.dirfd = EW_AT_FDCWD_VALUE;
	assert_non_null(
		strstr(json_exec(&v), "\"syscall\":\"execveat\",\"dirfd\":-100" CGROUP_NULL "}\n"));
}

/* An errno with no name: "error" is null, the record still valid. */
static void test_json_unknown_errno(void **state)
{
	struct exec_view v = VIEW("x", "/x", "x\0", 1);

	(void)state;
	v.fixed.hdr.type = EW_EVENT_EXEC_FAILED;
	v.fixed.ret = -4000;
	assert_non_null(strstr(json_exec(&v), ",\"ret\":-4000,\"error\":null,"
					      "\"syscall\":\"execve\"" CGROUP_NULL "}\n"));
}

static void json_int_min_ret(void)
{
	struct exec_view v = make_view("x", 1, "/x", 2, "x", 2, 1);
	struct timefmt tf;
	struct outbuf ob;

	v.fixed.hdr.type = EW_EVENT_EXEC_FAILED;
	v.fixed.ret = INT32_MIN;
	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_json_exec(&ob, &tf, &v, NULL);
	if (ob.len < 2 || !jc_json_compact_object(ob.data, ob.len - 1))
		_exit(2);
	outbuf_free(&ob);
}

/*
 * ret is copied from the ring unchecked: INT32_MIN must not be negated in
 * int (UBSan stops the child if it is).
 */
static void test_json_ret_int_min(void **state)
{
	int status = 0;
	pid_t pid;

	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		json_int_min_ret();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("output_json_exec with ret INT32_MIN failed (status 0x%x)", status);
}

static void test_json_truncated(void **state)
{
	struct exec_view v = VIEW("xargs", "/bin/echo", "echo\0aaaa\0bb", 3);

	(void)state;
	set_flags(&v, EW_F_ARGV_TRUNCATED);
	v.fixed.argv_true_len = 100;
	assert_string_equal(
		json_exec(&v),
		"{\"type\":\"exec\"," TIME_JSON IDS_JSON
		"\"uid\":1000,\"euid\":1000,\"gid\":1000," CREDS_ZERO "\"comm\":\"xargs\","
		"\"parent_comm\":\"sshd\",\"filename\":\"/bin/echo\","
		"\"argv\":[\"echo\",\"aaaa\",\"bb\"],\"argc\":3,\"argv_truncated\":true,"
		"\"argv_bytes\":12,\"argv_true_bytes\":100,\"ret\":0" CGROUP_NULL "}\n");
	set_flags(&v, EW_F_ARGV_TRUNCATED | EW_F_ARGV_TRUE_LEN_UNKNOWN);
	assert_non_null(strstr(json_exec(&v),
			       "\"argv_truncated\":true,\"argv_bytes\":12,"
			       "\"argv_true_bytes\":null,\"ret\":0" CGROUP_NULL "}\n"));
}

static void test_json_argc0(void **state)
{
	struct exec_view v = VIEW("evil", "/bin/true", "\0", 1);

	(void)state;
	set_flags(&v, EW_F_ARGV_EMPTY_AT_CALL);
	assert_string_equal(json_exec(&v),
			    "{\"type\":\"exec\"," TIME_JSON IDS_JSON
			    "\"uid\":1000,\"euid\":1000,\"gid\":1000," CREDS_ZERO
			    "\"comm\":\"evil\","
			    "\"parent_comm\":\"sshd\",\"filename\":\"/bin/true\",\"argv\":[],"
			    "\"argv_empty_at_call\":true,\"argc\":0,\"argv_truncated\":false,"
			    "\"argv_bytes\":1,\"argv_true_bytes\":1,\"ret\":0" CGROUP_NULL "}\n");
}

static void test_json_flags_members(void **state)
{
	struct exec_view v = VIEW("x", "/x", "", 0);

	(void)state;
	v.fixed.argc = 0;
	assert_non_null(strstr(json_exec(&v), "\"filename\":\"/x\",\"argv\":[],\"argc\":0,"
					      "\"argv_truncated\":false,\"argv_bytes\":0,"
					      "\"argv_true_bytes\":0,\"ret\":0" CGROUP_NULL "}\n"));
	/* Each flag right after the member it qualifies. */
	set_flags(&v, EW_F_ARGV_FAULT | EW_F_FILENAME_TRUNCATED | EW_F_FILENAME_FAULT);
	assert_non_null(strstr(json_exec(&v), "\"filename\":\"/x\",\"filename_truncated\":true,"
					      "\"filename_fault\":true,\"argv\":[],"
					      "\"argv_fault\":true,\"argc\":0,"
					      "\"argv_truncated\":false,"));
	assert_non_null(strstr(json_exec(&v), "\"ret\":0" CGROUP_NULL "}\n"));
	set_flags(&v, EW_F_ARGV_EMPTY_AT_CALL | EW_F_ARGV_FAULT);
	assert_non_null(strstr(json_exec(&v), "\"filename\":\"/x\",\"argv\":[],"
					      "\"argv_empty_at_call\":true,\"argv_fault\":true,"
					      "\"argc\":0,"));
}

static void test_json_invalid_utf8(void **state)
{
	struct exec_view v = VIEW("sh", "/tmp/\xff",
				  "ok\0\xff"
				  "ab\0",
				  2);

	(void)state;
	assert_string_equal(json_exec(&v),
			    "{\"type\":\"exec\"," TIME_JSON IDS_JSON
			    "\"uid\":1000,\"euid\":1000,\"gid\":1000," CREDS_ZERO "\"comm\":\"sh\","
			    "\"parent_comm\":\"sshd\","
			    "\"filename\":\"/tmp/\xef\xbf\xbd\",\"filename_b64\":\"L3RtcC//\","
			    "\"argv\":[\"ok\",\"\xef\xbf\xbd"
			    "ab\"],\"argv_b64\":[\"b2s=\",\"/2Fi\"],"
			    "\"argc\":2,\"argv_truncated\":false,\"argv_bytes\":7,"
			    "\"argv_true_bytes\":7,\"ret\":0" CGROUP_NULL "}\n");
}

/* Valid UTF-8 needs no _b64 sibling; C1 and U+2028 are escaped. */
static void test_json_valid_utf8(void **state)
{
	struct exec_view v =
		VIEW("caf\xc3\xa9", "/tmp/\xe6\x97\xa5", "\xc2\x9b\0\xe2\x80\xa8\0", 2);
	const char *s;

	(void)state;
	s = json_exec(&v);
	assert_non_null(strstr(s, "\"comm\":\"caf\xc3\xa9\",\"parent_comm\":\"sshd\","
				  "\"filename\":\"/tmp/\xe6\x97\xa5\","
				  "\"argv\":[\"\\u009b\",\"\\u2028\"],\"argc\":2,"));
	assert_null(strstr(s, "_b64"));
}

static void test_json_comm_controls(void **state)
{
	struct exec_view v = VIEW("a\nb\x1b"
				  "c",
				  "/x", "x\0", 1);

	(void)state;
	assert_non_null(
		strstr(json_exec(&v),
		       "\"comm\":\"a\\nb\\u001bc\",\"parent_comm\":\"sshd\",\"filename\":\"/x\","));
}

static void test_json_invalid_comm(void **state)
{
	struct exec_view v = VIEW("\xc3", "/x", "x\0", 1);

	(void)state;
	assert_non_null(strstr(json_exec(&v),
			       "\"comm\":\"\xef\xbf\xbd\",\"comm_b64\":\"ww==\",\"parent_comm\":"));
}

/* The cut last argument is reported as captured, and its bytes exactly. */
static void test_json_partial_invalid_arg(void **state)
{
	struct exec_view v = VIEW("x", "/x", "a\0b\xc3", 3);

	(void)state;
	set_flags(&v, EW_F_ARGV_TRUNCATED);
	v.fixed.argv_true_len = 10;
	assert_non_null(strstr(json_exec(&v), "\"argv\":[\"a\",\"b\xef\xbf\xbd\"],"
					      "\"argv_b64\":[\"YQ==\",\"YsM=\"],\"argc\":3,"
					      "\"argv_truncated\":true,\"argv_bytes\":4,"
					      "\"argv_true_bytes\":10,"));
}

static void test_json_start(void **state)
{
	struct timefmt tf;
	struct outbuf ob;

	(void)state;
	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_json_start(&ob, &tf, BOOT_2026, "1.2.3-4-gabc", 16384, 8388608, 0);
	assert_string_equal(copy_out(&ob), "{\"type\":\"start\"," TIME_JSON ",\"schema_version\":1,"
					   "\"version\":\"1.2.3-4-gabc\",\"max_argv_bytes\":16384,"
					   "\"ring_bytes\":8388608}\n");
	assert_json_line(rendered);
	outbuf_init(&ob, -1);
	output_json_start(&ob, &tf, BOOT_2026, "v", 1, 2, 4026531841ULL);
	assert_non_null(strstr(copy_out(&ob), ",\"ring_bytes\":2,\"host_mnt_ns\":4026531841}\n"));
}

/* An exec in a mount namespace other than the host's is marked: its paths are that namespace's. */
static void test_json_foreign_mnt_ns(void **state)
{
	struct exec_view v = make_view("x", 1, "/x", 2, "x", 2, 1);
	struct output_options o;
	struct timefmt tf;
	struct outbuf ob;

	(void)state;
	output_options_default(&o);
	timefmt_init(&tf, 0);
	v.fixed.mnt_ns = 4026532000U;
	/* Host unknown (0), the host's own, and another one. */
	assert_null(strstr(json_exec(&v), "foreign_mnt_ns"));
	o.host_mnt_ns = 4026532000U;
	outbuf_init(&ob, -1);
	output_json_exec(&ob, &tf, &v, &o);
	assert_null(strstr(copy_out(&ob), "foreign_mnt_ns"));
	o.host_mnt_ns = 4026531841U;
	outbuf_init(&ob, -1);
	output_json_exec(&ob, &tf, &v, &o);
	assert_non_null(strstr(copy_out(&ob), ",\"mnt_ns\":4026532000,\"foreign_mnt_ns\":true,"));
}

static void fill_stats(struct stats *s, uint64_t base)
{
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < EW_CTR_NR; i++)
		s->kernel[i] = base + (uint64_t)i;
	s->received = base * 10;
	s->malformed = base / 10;
	s->stash_swept = base / 20;
}

static void test_json_lost(void **state)
{
	struct stats before, now;
	struct timefmt tf;
	struct outbuf ob;

	(void)state;
	memset(&before, 0, sizeof(before));
	memset(&now, 0, sizeof(now));
	now.kernel[EW_CTR_RINGBUF_FULL] = 5;
	now.kernel[EW_CTR_STASH_FULL] = 2;
	now.kernel[EW_CTR_STASH_MISS] = 3;
	now.kernel[EW_CTR_SCRATCH_MISS] = 1;
	now.kernel[EW_CTR_EXEC_SEEN] = 99;
	now.malformed = 4;
	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_json_lost(&ob, &tf, BOOT_2026, &before, &now);
	assert_string_equal(
		copy_out(&ob),
		"{\"type\":\"lost\"," TIME_JSON ",\"lost\":13,"
		"\"ringbuf_full\":5,\"stash_full\":2,\"subtree_full\":0,\"stash_miss\":3,"
		"\"scratch_miss\":1,\"malformed\":4,\"lost_total\":13}\n");
	assert_json_line(rendered);

	/* Growth since the last report, and the running total. */
	before = now;
	now.kernel[EW_CTR_RINGBUF_FULL] = 105;
	now.malformed = 5;
	outbuf_init(&ob, -1);
	output_json_lost(&ob, &tf, BOOT_2026, &before, &now);
	assert_string_equal(
		copy_out(&ob),
		"{\"type\":\"lost\"," TIME_JSON ",\"lost\":101,"
		"\"ringbuf_full\":100,\"stash_full\":0,\"subtree_full\":0,\"stash_miss\":0,"
		"\"scratch_miss\":0,\"malformed\":1,\"lost_total\":114}\n");
	assert_json_line(rendered);
}

static void test_json_stats(void **state)
{
	struct timefmt tf;
	struct outbuf ob;
	struct stats s;

	(void)state;
	fill_stats(&s, 100);
	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_json_stats(&ob, &tf, BOOT_2026, &s, true);
	/* lost = ringbuf_full 103 + scratch_miss 106 + stash_miss 105 + malformed 10 */
	assert_string_equal(
		copy_out(&ob),
		"{\"type\":\"stats\"," TIME_JSON ",\"final\":true,\"received\":1000,"
		"\"lost\":324,\"malformed\":10,\"stash_swept\":5,\"syslog_dropped\":0,\"kernel\":{\"exec_seen\":100,"
		"\"failed_seen\":101,\"events_sent\":102,\"ringbuf_full\":103,"
		"\"stash_full\":104,\"stash_miss\":105,\"scratch_miss\":106,"
		"\"argv_fault\":107,\"filename_fault\":108,\"argv_truncated\":109,"
		"\"filtered\":110,\"subtree_full\":111,\"exit_seen\":112,"
		"\"tamper_unchecked\":113,\"fork_seen\":114,\"policy_killed\":115,"
		"\"policy_denied\":116,\"policy_kill_failed\":117}}\n");
	assert_json_line(rendered);
	outbuf_init(&ob, -1);
	output_json_stats(&ob, &tf, BOOT_2026, &s, false);
	assert_non_null(strstr(copy_out(&ob), ",\"final\":false,"));
	assert_json_line(rendered);
}

static void test_text_lost(void **state)
{
	struct stats before, now;
	struct outbuf ob;

	(void)state;
	memset(&before, 0, sizeof(before));
	now = before;
	now.kernel[EW_CTR_STASH_MISS] = 2;
	outbuf_init(&ob, -1);
	output_text_lost(&ob, &before, &now);
	assert_string_equal(copy_out(&ob), "execwatch: LOST 2 event(s)\n");

	now.kernel[EW_CTR_RINGBUF_FULL] = 7;
	now.kernel[EW_CTR_STASH_FULL] = 3;
	outbuf_init(&ob, -1);
	output_text_lost(&ob, &before, &now);
	assert_string_equal(copy_out(&ob),
			    "execwatch: LOST 9 event(s), 7 because the ring buffer was full "
			    "(try --ring-size); 3 exec attempt(s) not tracked: stash map full\n");

	before = now;
	now.kernel[EW_CTR_STASH_FULL] = 4;
	outbuf_init(&ob, -1);
	output_text_lost(&ob, &before, &now);
	assert_string_equal(copy_out(&ob), "execwatch: LOST 0 event(s); 1 exec attempt(s) not "
					   "tracked: stash map full\n");
}

static void test_text_summary(void **state)
{
	struct outbuf ob;
	struct stats s;

	(void)state;
	fill_stats(&s, 100);
	outbuf_init(&ob, -1);
	output_text_summary(&ob, &s, 2.46);
	assert_string_equal(
		copy_out(&ob),
		"execwatch: 2.5 s, 1000 events received, 324 lost (exec_seen=100 "
		"failed_seen=101 events_sent=102 ringbuf_full=103 stash_full=104 "
		"stash_miss=105 scratch_miss=106 argv_fault=107 filename_fault=108 "
		"argv_truncated=109 filtered=110 subtree_full=111 exit_seen=112 "
		"tamper_unchecked=113 fork_seen=114 policy_killed=115 policy_denied=116 "
		"policy_kill_failed=117 malformed=10 stash_swept=5)\n");
	memset(&s, 0, sizeof(s));
	outbuf_init(&ob, -1);
	output_text_summary(&ob, &s, 0);
	assert_string_equal(copy_out(&ob),
			    "execwatch: 0.0 s, 0 events received, 0 lost (exec_seen=0 "
			    "failed_seen=0 events_sent=0 ringbuf_full=0 stash_full=0 "
			    "stash_miss=0 scratch_miss=0 argv_fault=0 filename_fault=0 "
			    "argv_truncated=0 filtered=0 subtree_full=0 exit_seen=0 "
			    "tamper_unchecked=0 fork_seen=0 policy_killed=0 policy_denied=0 "
			    "policy_kill_failed=0 malformed=0 stash_swept=0)\n");
}

/* Several records in one buffer: each its own line (JSON Lines). */
static void test_json_lines_batch(void **state)
{
	struct exec_view a = VIEW("a", "/a", "a\0", 1), b = VIEW("b", "/b", "b\0", 1);
	struct timefmt tf;
	struct outbuf ob;
	const char *s, *nl;

	(void)state;
	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_json_exec(&ob, &tf, &a, NULL);
	b.fixed.hdr.boot_ns += NS; /* next second: the time cache moves on */
	output_json_exec(&ob, &tf, &b, NULL);
	output_json_exec(&ob, &tf, &a, NULL);
	s = copy_out(&ob);
	nl = strchr(s, '\n');
	assert_non_null(nl);
	assert_true(jc_json_compact_object(s, (size_t)(nl - s)));
	assert_non_null(strstr(s, "\"time\":\"2026-11-24T21:50:14.123456789Z\"" IDS_JSON
				  "\"uid\":1000,\"euid\":1000,\"gid\":1000," CREDS_ZERO
				  "\"comm\":\"b\""));
	s = nl + 1;
	nl = strchr(s, '\n');
	assert_non_null(nl);
	assert_true(jc_json_compact_object(s, (size_t)(nl - s)));
	s = nl + 1;
	nl = strchr(s, '\n');
	assert_non_null(nl);
	assert_true(jc_json_compact_object(s, (size_t)(nl - s)));
	assert_non_null(strstr(s, TIME_JSON IDS_JSON "\"uid\":1000,"
						     "\"euid\":1000,\"gid\":1000," CREDS_ZERO
						     "\"comm\":\"a\""));
	assert_int_equal(nl[1], '\0');
}

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void random_bytes(char *buf, size_t n)
{
	static const char pool[] = "a \n\x1b\"\\[]\0\xff\xc2\x9b\xc3\xa9\xe2\x80\xae";
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t r = rng_next();

		buf[i] = r & 1 ? (char)(r >> 8) : pool[(r >> 8) % (sizeof(pool) - 1)];
	}
}

/* Random bytes and flags: always one valid JSON line, one safe text line. */
static void test_fuzz_views(void **state)
{
	char comm[EW_COMM_LEN], filename[40], argv[80];
	int iter;

	(void)state;
	rng_state = 0xabcdef0123456789ULL;
	for (iter = 0; iter < 5000; iter++) {
		size_t comm_len = (size_t)(rng_next() % (EW_COMM_LEN + 1));
		size_t fn_len = (size_t)(rng_next() % sizeof(filename));
		size_t argv_len = (size_t)(rng_next() % sizeof(argv));
		struct exec_view v;

		random_bytes(comm, comm_len);
		random_bytes(filename, fn_len);
		random_bytes(argv, argv_len);
		v = make_view(comm, comm_len, filename, fn_len, argv, argv_len,
			      (uint32_t)(rng_next() % 5));
		set_flags(&v, (uint16_t)(rng_next() & 0x7f));
		v.fixed.hdr.type = rng_next() & 1 ? EW_EVENT_EXEC : EW_EVENT_EXEC_FAILED;
		v.fixed.ret =
			v.fixed.hdr.type == EW_EVENT_EXEC_FAILED ? -(int32_t)(rng_next() % 200) : 0;
		v.fixed.argv_true_len += (uint32_t)(rng_next() % 3);
		v.fixed.hdr.boot_ns = rng_next() >> 2;
		json_exec(&v);
		text_exec(&v);
	}
}

/* Options with the defaults and a --fields list (NULL: default columns). */
static struct output_options options(const char *fields)
{
	struct output_options o;
	char msg[128];

	output_options_default(&o);
	if (fields && output_parse_text_fields(&o, fields, msg, sizeof(msg)))
		fail_msg("--fields %s: %s", fields, msg);
	return o;
}

static const char *text_exec_opts(const struct exec_view *v, const struct output_options *o)
{
	struct timefmt tf;
	struct outbuf ob;
	const char *s;

	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_text_exec(&ob, &tf, v, o);
	s = copy_out(&ob);
	if (!o->color)
		assert_text_line(s);
	return s;
}

static const char *text_header_opts(const struct output_options *o)
{
	struct outbuf ob;

	outbuf_init(&ob, -1);
	output_text_header(&ob, o);
	return copy_out(&ob);
}

static const char *json_exec_opts(const struct exec_view *v, const struct output_options *o)
{
	struct timefmt tf;
	struct outbuf ob;
	const char *s;

	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_json_exec(&ob, &tf, v, o);
	s = copy_out(&ob);
	assert_json_line(s);
	return s;
}

static struct output_options json_options(const char *fields)
{
	struct output_options o;
	char msg[128];

	output_options_default(&o);
	if (output_parse_json_fields(&o, fields, msg, sizeof(msg)))
		fail_msg("--json-fields %s: %s", fields, msg);
	return o;
}

#define DOCKER_ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* NULL options and the explicit defaults print the same bytes. */
static void test_options_null_is_default(void **state)
{
	struct exec_view v = VIEW("bash", "/usr/bin/ls", "ls\0-l\0/tmp\0", 3);
	struct output_options o = options(NULL);
	char a[1024];

	(void)state;
	snprintf(a, sizeof(a), "%s", text_exec(&v));
	assert_string_equal(text_exec_opts(&v, &o), a);
	snprintf(a, sizeof(a), "%s", json_exec(&v));
	assert_string_equal(json_exec_opts(&v, &o), a);
	assert_string_equal(text_header_opts(&o),
			    "TIME         PID     PPID    UID    RET  COMM             "
			    "FILE                     ARGV\n");
}

static void test_text_fields_selection(void **state)
{
	struct exec_view v = VIEW("bash", "/usr/bin/ls", "ls\0-l\0/tmp\0", 3);
	struct output_options o = options("pid,comm,argv");

	(void)state;
	assert_string_equal(text_header_opts(&o), "PID     COMM             ARGV\n");
	assert_string_equal(text_exec_opts(&v, &o), "4242    bash             ls -l /tmp\n");
	/* In the order given; the last column is not padded. */
	o = options("argv,uid");
	assert_string_equal(text_header_opts(&o), "ARGV UID\n");
	assert_string_equal(text_exec_opts(&v, &o), "ls -l /tmp 1000\n");
	o = options("comm");
	assert_string_equal(text_header_opts(&o), "COMM\n");
	assert_string_equal(text_exec_opts(&v, &o), "bash\n");
	/* FILE is as wide as file_width (sized to the terminal). */
	o = options("file,ret");
	o.file_width = 16;
	assert_string_equal(text_header_opts(&o), "FILE             RET\n");
	assert_string_equal(text_exec_opts(&v, &o), "/usr/bin/ls      0\n");
}

static void test_text_fields_every_column(void **state)
{
	struct exec_view v = VIEW("bash", "/usr/bin/ls", "ls\0", 1);
	struct output_options o = options("tid,euid,gid,pcomm,cgroup,container,ret");

	(void)state;
	v.fixed.hdr.tid = 4243;
	v.fixed.euid = 0;
	v.fixed.gid = 27;
	assert_string_equal(
		text_header_opts(&o),
		"TID     EUID   GID    PCOMM            CGROUP                           "
		"CONTAINER    RET\n");
	/* No path resolved: the id, and "-" for no container. */
	assert_string_equal(
		text_exec_opts(&v, &o),
		"4243    0      27     sshd             4321                             "
		"-            0\n");
	v.cgroup_path = "/user.slice";
	v.container_id = DOCKER_ID;
	assert_string_equal(
		text_exec_opts(&v, &o),
		"4243    0      27     sshd             /user.slice                      "
		"0123456789ab 0\n");
	/* A path wider than its column pushes the rest right, one space apart. */
	v.cgroup_path = "/system.slice/docker-" DOCKER_ID ".scope";
	assert_string_equal(text_exec_opts(&v, &o),
			    "4243    0      27     sshd             /system.slice/docker-" DOCKER_ID
			    ".scope 0123456789ab 0\n");
	/* Untrusted bytes in pcomm and the path are escaped. */
	memcpy(v.fixed.parent_comm, "a b\n", 5);
	v.cgroup_path = "/x y";
	o = options("pcomm,cgroup");
	assert_string_equal(text_exec_opts(&v, &o), "\"a b\\n\"          \"/x y\"\n");
}

static void test_text_time_since_start(void **state)
{
	struct exec_view v = VIEW("bash", "/usr/bin/ls", "ls\0", 1);
	struct output_options o = options("time,pid");

	(void)state;
	o.time_mode = TIME_SINCE_START;
	assert_string_equal(text_header_opts(&o), "TIME       PID\n");
	o.start_boot_ns = BOOT_2026 - 1500000000LL - 999;
	assert_string_equal(text_exec_opts(&v, &o), "1.500      4242\n");
	/* Milliseconds are cut, not rounded. */
	o.start_boot_ns = BOOT_2026 - 59999999999LL;
	assert_string_equal(text_exec_opts(&v, &o), "59.999     4242\n");
	o.start_boot_ns = BOOT_2026;
	assert_string_equal(text_exec_opts(&v, &o), "0.000      4242\n");
	/* A record stamped before the start (another CPU) is not negative. */
	o.start_boot_ns = BOOT_2026 + NS;
	assert_string_equal(text_exec_opts(&v, &o), "0.000      4242\n");
	o.start_boot_ns = BOOT_2026 - 123456789000000LL;
	assert_string_equal(text_exec_opts(&v, &o), "123456.789 4242\n");
	o.start_boot_ns = BOOT_2026 - 12345678900000000LL;
	assert_string_equal(text_exec_opts(&v, &o), "12345678.900 4242\n");
	/* The default columns with -t. */
	o = options(NULL);
	o.time_mode = TIME_SINCE_START;
	o.start_boot_ns = BOOT_2026 - 2 * NS;
	assert_string_equal(text_header_opts(&o),
			    "TIME       PID     PPID    UID    RET  COMM             "
			    "FILE                     ARGV\n");
	assert_string_equal(text_exec_opts(&v, &o), "2.000      4242    1       1000   0    bash  "
						    "           /usr/bin/ls              ls\n");
}

static void test_text_quote(void **state)
{
	struct exec_view v =
		VIEW("my prog", "/tmp/my file", "ls\0a b\0it's\0\n\0\xff\0\0plain\0", 7);
	struct output_options o = options(NULL);

	(void)state;
	o.quote = true;
	/* FILE and ARGV are shell words; COMM keeps the text escaping. */
	assert_string_equal(text_exec_opts(&v, &o),
			    COLS_PREFIX "0    \"my prog\"        '/tmp/my file'           "
					"ls 'a b' 'it'\\''s' $'\\x0a' $'\\xff' '' plain\n");
	o.quote = false;
	assert_string_equal(text_exec_opts(&v, &o),
			    COLS_PREFIX "0    \"my prog\"        \"/tmp/my file\"           "
					"ls \"a b\" \"it's\" \"\\n\" \"\\xff\" \"\" plain\n");
}

static void test_text_max_args(void **state)
{
	struct exec_view v = VIEW("x", "/x", "a\0b\0c\0d\0", 4);
	struct output_options o = options("argv");

	(void)state;
	o.max_args = 2;
	assert_string_equal(text_exec_opts(&v, &o), "a b [+2 more args]\n");
	o.max_args = 3;
	assert_string_equal(text_exec_opts(&v, &o), "a b c [+1 more args]\n");
	o.max_args = 4;
	assert_string_equal(text_exec_opts(&v, &o), "a b c d\n");
	o.max_args = 0;
	assert_string_equal(text_exec_opts(&v, &o), "a b c d\n");
	/* With the other markers after it. */
	o.max_args = 1;
	set_flags(&v, EW_F_ARGV_TRUNCATED);
	v.fixed.argv_true_len = 100;
	assert_string_equal(text_exec_opts(&v, &o),
			    "a [+3 more args] [argv truncated: 8 of 100 bytes]\n");
	set_flags(&v, EW_F_ARGV_FAULT);
	assert_string_equal(text_exec_opts(&v, &o), "a [+3 more args] [argv unreadable]\n");
	/* With --quote, and in the default columns. */
	v = VIEW("x", "/x", "a b\0c\0d\0", 3);
	o = options(NULL);
	o.max_args = 1;
	o.quote = true;
	assert_string_equal(text_exec_opts(&v, &o), COLS_PREFIX "0    x                "
								"/x                       "
								"'a b' [+2 more args]\n");
}

static void test_text_color(void **state)
{
	struct exec_view v = VIEW("x", "/x", "x\0", 1);
	struct output_options o = options("pid,argv");

	(void)state;
	/* Off: no escape codes, whatever the record. */
	v.fixed.ret = -2;
	v.fixed.euid = 0;
	assert_string_equal(text_exec_opts(&v, &o), "4242    x\n");
	/* color_mode is only the request; opts.color is what was resolved. */
	o.color_mode = COLOR_ALWAYS;
	assert_string_equal(text_exec_opts(&v, &o), "4242    x\n");

	o.color = true;
	/* Failed: red; red also wins over a privilege change. */
	assert_string_equal(text_exec_opts(&v, &o), "\033[31m4242    x\033[0m\n");
	v.fixed.euid = 1000;
	assert_string_equal(text_exec_opts(&v, &o), "\033[31m4242    x\033[0m\n");
	/* A privilege change (AT_SECURE, or euid differs from the caller's): yellow. */
	v.fixed.ret = 0;
	v.fixed.euid = 0;
	v.fixed.hdr.flags |= EW_F_SECUREEXEC;
	assert_string_equal(text_exec_opts(&v, &o), "\033[33m4242    x\033[0m\n");
	v.fixed.hdr.flags &= (uint16_t)~EW_F_SECUREEXEC;
	v.fixed.hdr.flags |= EW_F_CALLER_KNOWN;
	v.fixed.caller_euid = 1000;
	v.fixed.caller_egid = v.fixed.egid;
	assert_string_equal(text_exec_opts(&v, &o), "\033[33m4242    x\033[0m\n");
	/* euid != uid alone (a setuid process exec'ing as it is) is no change. */
	v.fixed.caller_euid = 0;
	assert_string_equal(text_exec_opts(&v, &o), "4242    x\n");
	/* Plain success: nothing. */
	v.fixed.euid = 1000;
	v.fixed.caller_euid = 1000;
	assert_string_equal(text_exec_opts(&v, &o), "4242    x\n");
	/* The header is never coloured. */
	assert_string_equal(text_header_opts(&o), "PID     ARGV\n");
}

static void test_json_fields_subset(void **state)
{
	struct exec_view v = VIEW("bash", "/usr/bin/ls", "ls\0-l\0/tmp\0", 3);
	struct output_options o = json_options("pid,filename,argv");

	(void)state;
	assert_string_equal(json_exec_opts(&v, &o), "{\"type\":\"exec\",\"pid\":4242" ID_JSON
						    ",\"filename\":\"/usr/bin/ls\","
						    "\"argv\":[\"ls\",\"-l\",\"/tmp\"]}\n");
	/* Schema order, whatever the order of the list. */
	o = json_options("argv,filename,pid");
	assert_string_equal(json_exec_opts(&v, &o), "{\"type\":\"exec\",\"pid\":4242" ID_JSON
						    ",\"filename\":\"/usr/bin/ls\","
						    "\"argv\":[\"ls\",\"-l\",\"/tmp\"]}\n");
	o = json_options("time");
	assert_string_equal(json_exec_opts(&v, &o), "{\"type\":\"exec\"," TIME_JSON "}\n");
	o = json_options("tid,euid,gid,comm,parent_comm,argc,argv_truncated,argv_bytes,"
			 "argv_true_bytes");
	assert_string_equal(json_exec_opts(&v, &o),
			    "{\"type\":\"exec\",\"tid\":4242,\"euid\":1000,\"gid\":1000,"
			    "\"comm\":\"bash\",\"parent_comm\":\"sshd\",\"argc\":3,"
			    "\"argv_truncated\":false,\"argv_bytes\":11,\"argv_true_bytes\":11}\n");
	/* "ret" brings error, syscall and dirfd with it. */
	v.fixed.ret = -2;
	o = json_options("ret,uid");
	assert_string_equal(json_exec_opts(&v, &o),
			    "{\"type\":\"exec\",\"uid\":1000,\"ret\":-2,"
			    "\"error\":\"ENOENT\",\"syscall\":\"execve\"}\n");
	set_flags(&v, EW_F_EXECVEAT);
	v.fixed.dirfd = 5;
	o = json_options("ret");
	assert_string_equal(json_exec_opts(&v, &o),
			    "{\"type\":\"exec\",\"ret\":-2,\"error\":\"ENOENT\","
			    "\"syscall\":\"execveat\",\"dirfd\":5}\n");
	/* Flags come only with the member they qualify. */
	set_flags(&v, EW_F_FILENAME_TRUNCATED | EW_F_ARGV_FAULT);
	o = json_options("ppid,ret");
	assert_string_equal(json_exec_opts(&v, &o), "{\"type\":\"exec\",\"ppid\":1" PARENT_ID_JSON
						    ",\"ret\":-2,\"error\":\"ENOENT\","
						    "\"syscall\":\"execve\"}\n");
	o = json_options("filename");
	assert_string_equal(json_exec_opts(&v, &o),
			    "{\"type\":\"exec\",\"filename\":\"/usr/bin/ls\","
			    "\"filename_truncated\":true}\n");
	o = json_options("argv");
	assert_string_equal(json_exec_opts(&v, &o),
			    "{\"type\":\"exec\",\"argv\":[\"ls\",\"-l\",\"/tmp\"],"
			    "\"argv_fault\":true}\n");
}

static void test_json_cgroup_members(void **state)
{
	struct exec_view v = VIEW("sh", "/bin/sh", "sh\0", 1);
	struct output_options o = json_options("cgroup_id,cgroup,container_id");

	(void)state;
	v.fixed.cgroup_id = 18446744073709551615ULL;
	assert_string_equal(json_exec_opts(&v, &o),
			    "{\"type\":\"exec\",\"cgroup_id\":18446744073709551615,"
			    "\"cgroup\":null,\"container_id\":null}\n");
	v.fixed.cgroup_id = 77;
	v.cgroup_path = "/system.slice/docker-" DOCKER_ID ".scope";
	v.container_id = DOCKER_ID;
	assert_string_equal(json_exec_opts(&v, &o),
			    "{\"type\":\"exec\",\"cgroup_id\":77,"
			    "\"cgroup\":\"/system.slice/docker-" DOCKER_ID ".scope\","
			    "\"container_id\":\"" DOCKER_ID "\"}\n");
	/* A path without a container. */
	v.cgroup_path = "/user.slice/user-1000.slice/session-2.scope";
	v.container_id = NULL;
	assert_string_equal(json_exec_opts(&v, &o),
			    "{\"type\":\"exec\",\"cgroup_id\":77,"
			    "\"cgroup\":\"/user.slice/user-1000.slice/session-2.scope\","
			    "\"container_id\":null}\n");
	/* The full default record has the three after ret (then the paths). */
	v.cgroup_path = "/a\"b";
	v.container_id = DOCKER_ID;
	assert_non_null(strstr(json_exec(&v),
			       "\"ret\":0,\"cgroup_id\":77,\"cgroup\":\"/a\\\"b\"," NS_ZERO ","
			       "\"container_id\":\"" DOCKER_ID "\"" PATHS_NULL "}\n"));
}

/*
 * A cgroup directory name is any bytes but '/' and NUL (mkdir by whoever
 * may create cgroups). Like every other untrusted string, a lossy "cgroup"
 * needs its exact bytes in a "cgroup_b64" sibling.
 */
static void test_json_cgroup_invalid_utf8(void **state)
{
	struct exec_view v = VIEW("sh", "/bin/sh", "sh\0", 1);
	struct output_options o = json_options("cgroup");
	const char *s;

	(void)state;
	v.cgroup_path = "/x\xff";
	s = json_exec_opts(&v, &o);
	assert_string_equal(s, "{\"type\":\"exec\",\"cgroup\":\"/x\xef\xbf\xbd\","
			       "\"cgroup_b64\":\"L3j/\"}\n");
}

static void test_json_parent_comm_invalid(void **state)
{
	struct exec_view v = VIEW("sh", "/bin/sh", "sh\0", 1);
	struct output_options o = json_options("comm,parent_comm");

	(void)state;
	/* A multi-byte name cut at 15 bytes by the kernel. */
	memcpy(v.fixed.parent_comm,
	       "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6", 16);
	assert_string_equal(
		json_exec_opts(&v, &o),
		"{\"type\":\"exec\",\"comm\":\"sh\",\"parent_comm\":\"\xe6\x97\xa5\xe6\x97"
		"\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xef\xbf\xbd\","
		"\"parent_comm_b64\":\"5pel5pel5pel5pel5pel5g==\"}\n");
}

static void test_json_argv_omitted(void **state)
{
	struct exec_view v = VIEW("bash", "/usr/bin/ls", "ls\0-l\0/tmp\0", 3);
	struct output_options o = options(NULL);

	(void)state;
	o.max_args = 1;
	assert_string_equal(
		json_exec_opts(&v, &o),
		"{\"type\":\"exec\"," TIME_JSON IDS_JSON
		"\"uid\":1000,\"euid\":1000,\"gid\":1000," CREDS_ZERO "\"comm\":\"bash\","
		"\"parent_comm\":\"sshd\",\"filename\":\"/usr/bin/ls\","
		"\"argv\":[\"ls\"],\"argv_omitted\":2,\"argc\":3,\"argv_truncated\":false,"
		"\"argv_bytes\":11,\"argv_true_bytes\":11,\"ret\":0" CGROUP_NULL "}\n");
	o.max_args = 3;
	assert_non_null(strstr(json_exec_opts(&v, &o), "\"argv\":[\"ls\",\"-l\",\"/tmp\"],"
						       "\"argc\":3,"));
	assert_null(strstr(rendered, "argv_omitted"));

	/* argv_b64 stays parallel to the arguments shown. */
	v = VIEW("x", "/x", "ok\0\xff\0x\0y\0", 4);
	o = json_options("argv");
	o.max_args = 2;
	assert_string_equal(json_exec_opts(&v, &o),
			    "{\"type\":\"exec\",\"argv\":[\"ok\",\"\xef\xbf\xbd\"],"
			    "\"argv_b64\":[\"b2s=\",\"/w==\"],\"argv_omitted\":2}\n");
	/* An invalid argument that is not shown needs no argv_b64. */
	v = VIEW("x", "/x", "ok\0x\0\xff\0", 3);
	assert_string_equal(json_exec_opts(&v, &o),
			    "{\"type\":\"exec\",\"argv\":[\"ok\",\"x\"],\"argv_omitted\":1}\n");
	/* The flags after argv_omitted. */
	set_flags(&v, EW_F_ARGV_FAULT);
	o.max_args = 1;
	assert_string_equal(json_exec_opts(&v, &o),
			    "{\"type\":\"exec\",\"argv\":[\"ok\"],\"argv_omitted\":2,"
			    "\"argv_fault\":true}\n");
}

/* Random views under random options: one strict JSON line, one safe text line. */
static void test_fuzz_options(void **state)
{
	char comm[EW_COMM_LEN], pcomm[EW_COMM_LEN], filename[40], argv[80], cgroup[24];
	int iter;

	(void)state;
	rng_state = 0x0123456789abcdefULL;
	for (iter = 0; iter < 3000; iter++) {
		size_t comm_len = (size_t)(rng_next() % (EW_COMM_LEN + 1));
		size_t fn_len = (size_t)(rng_next() % sizeof(filename));
		size_t argv_len = (size_t)(rng_next() % sizeof(argv));
		size_t cg_len = (size_t)(rng_next() % sizeof(cgroup)), i;
		struct output_options o;
		struct exec_view v;

		random_bytes(comm, comm_len);
		random_bytes(pcomm, sizeof(pcomm));
		random_bytes(filename, fn_len);
		random_bytes(argv, argv_len);
		random_bytes(cgroup, cg_len);
		for (i = 0; i < cg_len; i++)
			if (!cgroup[i])
				cgroup[i] = '/';
		cgroup[cg_len ? cg_len - 1 : 0] = '\0';
		v = make_view(comm, comm_len, filename, fn_len, argv, argv_len,
			      (uint32_t)(rng_next() % 5));
		memcpy(v.fixed.parent_comm, pcomm, sizeof(pcomm));
		set_flags(&v, (uint16_t)(rng_next() & 0x7f));
		v.fixed.ret = rng_next() & 1 ? -(int32_t)(rng_next() % 200) : 0;
		v.fixed.euid = (uint32_t)(rng_next() % 2);
		v.cgroup_path = rng_next() & 1 ? cgroup : NULL;
		v.container_id = rng_next() & 1 ? DOCKER_ID : NULL;
		output_options_default(&o);
		o.json_fields = (uint32_t)rng_next() & OUTPUT_JSON_ALL_FIELDS;
		o.nr_text_fields = 1 + (size_t)(rng_next() % TF_NR);
		for (i = 0; i < o.nr_text_fields; i++)
			o.text_fields[i] = (enum text_field)(rng_next() % TF_NR);
		o.time_mode = rng_next() & 1 ? TIME_SINCE_START : TIME_CLOCK;
		o.start_boot_ns = (int64_t)(rng_next() >> 2);
		o.quote = rng_next() & 1;
		o.max_args = (uint32_t)(rng_next() % 4);
		json_exec_opts(&v, &o);
		text_exec_opts(&v, &o);
	}
}

/* ---- process ids ---- */

static const char *process_id(uint32_t pid, uint64_t start_ns)
{
	struct outbuf ob;

	outbuf_init(&ob, -1);
	outbuf_puts(&ob, "<");
	output_put_process_id(&ob, pid, start_ns);
	outbuf_puts(&ob, ">");
	return copy_out(&ob);
}

static void test_process_id(void **state)
{
	(void)state;
	assert_string_equal(process_id(0, 0), "<0:0>");
	assert_string_equal(process_id(4242, 98765432109ULL), "<4242:98765432109>");
	assert_string_equal(process_id(1, 1), "<1:1>");
	assert_string_equal(process_id(UINT32_MAX, UINT64_MAX),
			    "<4294967295:18446744073709551615>");
	/* Start times beyond 32 bits and with zeros inside are written whole. */
	assert_string_equal(process_id(7, 1ULL << 32), "<7:4294967296>");
	assert_string_equal(process_id(10, 1000000000000000000ULL), "<10:1000000000000000000>");
}

/* "id" right after "pid", "parent_id" right after "ppid", from the start times. */
static void test_json_exec_ids(void **state)
{
	struct exec_view v = VIEW("bash", "/usr/bin/ls", "ls\0", 1);
	struct output_options o;
	const char *s;

	(void)state;
	s = json_exec(&v);
	assert_non_null(strstr(s, ",\"pid\":4242,\"id\":\"4242:98765432109\",\"tid\":4242,"));
	assert_non_null(strstr(s, ",\"ppid\":1,\"parent_id\":\"1:1234567\","));
	/* Each from its own start time: swapping them shows. */
	v.fixed.start_ns = 0;
	v.fixed.parent_start_ns = UINT64_MAX;
	v.fixed.hdr.pid = 5;
	v.fixed.ppid = 4294967295u;
	s = json_exec(&v);
	assert_non_null(strstr(s, ",\"pid\":5,\"id\":\"5:0\","));
	assert_non_null(strstr(s, ",\"ppid\":4294967295,"
				  "\"parent_id\":\"4294967295:18446744073709551615\","));
	/* The tid is not part of the id. */
	v.fixed.hdr.tid = 6;
	assert_non_null(strstr(json_exec(&v), "\"id\":\"5:0\""));
	/* --json-fields: pid brings id, ppid brings parent_id, nothing else does. */
	o = json_options("pid");
	assert_string_equal(json_exec_opts(&v, &o),
			    "{\"type\":\"exec\",\"pid\":5,\"id\":\"5:0\"}\n");
	o = json_options("ppid");
	assert_string_equal(json_exec_opts(&v, &o),
			    "{\"type\":\"exec\",\"ppid\":4294967295,"
			    "\"parent_id\":\"4294967295:18446744073709551615\"}\n");
	o = json_options("tid,uid,comm");
	s = json_exec_opts(&v, &o);
	assert_null(strstr(s, "\"id\""));
	assert_null(strstr(s, "parent_id"));
}

/* ---- exit records ---- */

/* Started 1.503000999 s before BOOT_2026. */
#define EXIT_START_NS 1795557011620455790ULL
#define EXIT_ID_JSON "\"id\":\"4242:1795557011620455790\""
#define EXIT_HEAD_JSON                                                                 \
	"{\"type\":\"exit\"," TIME_JSON ",\"pid\":4242," EXIT_ID_JSON ",\"tid\":4243," \
	"\"ppid\":1,\"uid\":1000,\"comm\":\"worker\","
#define EXIT_TAIL_JSON ",\"lifetime_ns\":1503000999,\"cgroup_id\":4321}\n"

static struct ew_exit make_exit(int32_t status)
{
	struct ew_exit x;

	memset(&x, 0, sizeof(x));
	x.hdr.boot_ns = BOOT_2026;
	x.hdr.size = sizeof(x);
	x.hdr.type = EW_EVENT_EXIT;
	x.hdr.pid = 4242;
	x.hdr.tid = 4243;
	x.ppid = 1;
	x.status = status;
	x.start_ns = EXIT_START_NS;
	x.cgroup_id = 4321;
	x.uid = 1000;
	memcpy(x.comm, "worker", 6);
	return x;
}

static const char *json_exit_opts(const struct ew_exit *x, const char *exe,
				  const struct output_options *o)
{
	struct timefmt tf;
	struct outbuf ob;
	const char *s;

	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_json_exit(&ob, &tf, x, exe, o);
	s = copy_out(&ob);
	assert_json_line(s);
	return s;
}

static const char *json_exit(const struct ew_exit *x, const char *exe)
{
	return json_exit_opts(x, exe, NULL);
}

static const char *text_exit_opts(const struct ew_exit *x, const char *exe,
				  const struct output_options *o)
{
	struct timefmt tf;
	struct outbuf ob;
	const char *s;

	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_text_exit(&ob, &tf, x, exe, o);
	s = copy_out(&ob);
	assert_text_line(s);
	return s;
}

static const char *text_exit(const struct ew_exit *x, const char *exe)
{
	return text_exit_opts(x, exe, NULL);
}

static void test_json_exit_code(void **state)
{
	struct ew_exit x = make_exit(7 << 8);

	(void)state;
	assert_string_equal(json_exit(&x, "/usr/bin/worker"),
			    EXIT_HEAD_JSON "\"exe\":\"/usr/bin/worker\",\"exit_code\":7,"
					   "\"signal\":null,\"core_dumped\":false" EXIT_TAIL_JSON);
	x.status = 0;
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"exit_code\":0,\"signal\":null,"
						    "\"core_dumped\":false,"));
	x.status = 255 << 8;
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"exit_code\":255,\"signal\":null,"));
	x.status = 1 << 8;
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"exit_code\":1,\"signal\":null,"));
}

static void test_json_exit_signal(void **state)
{
	struct ew_exit x = make_exit(9);

	(void)state;
	assert_string_equal(json_exit(&x, "/usr/bin/worker"), EXIT_HEAD_JSON
			    "\"exe\":\"/usr/bin/worker\",\"exit_code\":null,"
			    "\"signal\":\"SIGKILL\",\"core_dumped\":false" EXIT_TAIL_JSON);
	/* 0x80: a core dump. */
	x.status = 6 | 0x80;
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"exit_code\":null,\"signal\":\"SIGABRT\","
						    "\"core_dumped\":true,"));
	x.status = 11 | 0x80;
	assert_non_null(
		strstr(json_exit(&x, "/w"), ",\"signal\":\"SIGSEGV\",\"core_dumped\":true,"));
	x.status = 15;
	assert_non_null(
		strstr(json_exit(&x, "/w"), ",\"signal\":\"SIGTERM\",\"core_dumped\":false,"));
	x.status = 1;
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"signal\":\"SIGHUP\","));
	x.status = 2;
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"signal\":\"SIGINT\","));
	x.status = 13;
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"signal\":\"SIGPIPE\","));
	/* A core dump bit without a signal is not a core dump. */
	x.status = 0x80;
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"exit_code\":0,\"signal\":null,"
						    "\"core_dumped\":false,"));
}

/* The value of member key in a JSON line: a pointer just after "key":. */
static const char *member_value(const char *s, const char *key)
{
	char pattern[64];
	const char *p;

	snprintf(pattern, sizeof(pattern), ",\"%s\":", key);
	p = strstr(s, pattern);
	if (!p)
		fail_msg("no member %s in %s", key, s);
	return p + strlen(pattern);
}

/*
 * The schema: "signal" is a string or null. Every signal the kernel can
 * deliver (1..64, realtime ones included: kill -RTMIN+1 terminates a process
 * without a handler) has a name; glibc's sigabbrev_np() gives NULL for the
 * realtime ones, which must not turn the member into a number.
 */
static void test_json_exit_signal_type(void **state)
{
	struct ew_exit x = make_exit(0);
	int sig, core;

	(void)state;
	for (sig = 1; sig <= 0x7f; sig++) {
		for (core = 0; core <= 0x80; core += 0x80) {
			const char *s, *value;

			x.status = sig | core;
			s = json_exit(&x, "/w");
			value = member_value(s, "signal");
			if (sig <= 64 && strncmp(value, "\"SIG", 4))
				fail_msg("signal %d: \"signal\" is not a signal name: %s", sig, s);
			if (value[0] != '"' && strncmp(value, "null", 4))
				fail_msg("signal %d: \"signal\" is neither a string nor null: %s",
					 sig, s);
			assert_non_null(strstr(s, ",\"exit_code\":null,"));
			assert_non_null(strstr(s, core ? ",\"core_dumped\":true," :
							 ",\"core_dumped\":false,"));
		}
	}
}

static void test_json_exit_exe(void **state)
{
	struct ew_exit x = make_exit(0);
	const char *s;

	(void)state;
	/* Unknown: null, and no _b64. */
	s = json_exit(&x, NULL);
	assert_non_null(strstr(s, ",\"comm\":\"worker\",\"exe\":null,\"exit_code\":0,"));
	assert_null(strstr(s, "_b64"));
	/* Escaped like every byte string. */
	assert_non_null(strstr(json_exit(&x, "/tmp/a \"b\"\\\n\x1b"),
			       ",\"exe\":\"/tmp/a \\\"b\\\"\\\\\\n\\u001b\",\"exit_code\":"));
	/* Valid UTF-8 stays, with no _b64. */
	s = json_exit(&x, "/opt/caf\xc3\xa9/\xe6\x97\xa5");
	assert_non_null(strstr(s, ",\"exe\":\"/opt/caf\xc3\xa9/\xe6\x97\xa5\",\"exit_code\":"));
	assert_null(strstr(s, "_b64"));
	/* Invalid UTF-8: U+FFFD and the exact bytes in exe_b64. */
	s = json_exit(&x, "/tmp/\xff");
	assert_non_null(strstr(s, ",\"exe\":\"/tmp/\xef\xbf\xbd\",\"exe_b64\":\"L3RtcC//\","
				  "\"exit_code\":0,"));
	s = json_exit(&x, "/x\xc3");
	assert_non_null(strstr(s, ",\"exe\":\"/x\xef\xbf\xbd\",\"exe_b64\":\"L3jD\","));
}

static void test_json_exit_comm(void **state)
{
	struct ew_exit x = make_exit(0);
	const char *s;

	(void)state;
	memcpy(x.comm, "a\nb\x1b", 5);
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"comm\":\"a\\nb\\u001b\",\"exe\":"));
	/* Invalid UTF-8 in comm: comm_b64. */
	memset(x.comm, 0, sizeof(x.comm));
	memcpy(x.comm, "\xc3", 1);
	s = json_exit(&x, "/w");
	assert_non_null(strstr(s, ",\"comm\":\"\xef\xbf\xbd\",\"comm_b64\":\"ww==\",\"exe\":"));
	/* A full comm with no NUL: 16 bytes, no read past it. */
	memcpy(x.comm, "0123456789abcdef", EW_COMM_LEN);
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"comm\":\"0123456789abcdef\",\"exe\":"));
	memset(x.comm, 0, sizeof(x.comm));
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"comm\":\"\",\"exe\":"));
}

static void test_json_exit_lifetime(void **state)
{
	struct ew_exit x = make_exit(0);

	(void)state;
	x.start_ns = x.hdr.boot_ns;
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"lifetime_ns\":0,"));
	/* Stamped before the start (clock skew, a bogus start): 0, not a wrap. */
	x.start_ns = x.hdr.boot_ns + 1;
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"lifetime_ns\":0,"));
	x.start_ns = UINT64_MAX;
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"lifetime_ns\":0,"));
	x.start_ns = x.hdr.boot_ns - 1;
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"lifetime_ns\":1,"));
	x.start_ns = 0;
	assert_non_null(strstr(json_exit(&x, "/w"), ",\"lifetime_ns\":1795557013123456789,"));
	assert_non_null(strstr(rendered, ",\"id\":\"4242:0\","));
}

static void test_json_exit_ids(void **state)
{
	struct ew_exit x = make_exit(0);

	(void)state;
	x.hdr.pid = 4294967295u;
	x.hdr.tid = 1;
	x.ppid = 0;
	x.uid = 4294967295u;
	x.start_ns = UINT64_MAX;
	x.cgroup_id = UINT64_MAX;
	assert_non_null(strstr(json_exit(&x, NULL),
			       ",\"pid\":4294967295,\"id\":\"4294967295:18446744073709551615\","
			       "\"tid\":1,\"ppid\":0,\"uid\":4294967295,"));
	assert_non_null(strstr(rendered, ",\"cgroup_id\":18446744073709551615}\n"));
}

/* --json-fields trims exec records only; exit records keep every member. */
static void test_json_exit_options(void **state)
{
	struct ew_exit x = make_exit(9);
	struct output_options o = json_options("pid");
	char full[1024];

	(void)state;
	snprintf(full, sizeof(full), "%s", json_exit(&x, "/w"));
	assert_string_equal(json_exit_opts(&x, "/w", &o), full);
	o = options(NULL);
	assert_string_equal(json_exit_opts(&x, "/w", &o), full);
}

/* Exit and exec records of one process share its id. */
static void test_json_exit_id_matches_exec(void **state)
{
	struct exec_view v = VIEW("worker", "/usr/bin/worker", "worker\0", 1);
	struct ew_exit x = make_exit(0);
	char exec_line[2048];

	(void)state;
	v.fixed.start_ns = EXIT_START_NS;
	snprintf(exec_line, sizeof(exec_line), "%s", json_exec(&v));
	assert_non_null(strstr(exec_line, "," EXIT_ID_JSON ","));
	assert_non_null(strstr(json_exit(&x, "/usr/bin/worker"), "," EXIT_ID_JSON ","));
}

/* Default columns: RET says "exit", ARGV the status and the lifetime. */
#define EXIT_COLS TIME_TEXT " 4242    1       1000   exit worker           "

static void test_text_exit(void **state)
{
	struct ew_exit x = make_exit(7 << 8);

	(void)state;
	assert_string_equal(text_exit(&x, "/usr/bin/worker"),
			    EXIT_COLS "/usr/bin/worker          [exit 7 after 1.503 s]\n");
	x.status = 0;
	assert_string_equal(text_exit(&x, "/usr/bin/worker"),
			    EXIT_COLS "/usr/bin/worker          [exit 0 after 1.503 s]\n");
	x.status = 9;
	assert_string_equal(text_exit(&x, "/usr/bin/worker"), EXIT_COLS
			    "/usr/bin/worker          [killed by SIGKILL after 1.503 s]\n");
	x.status = 6 | 0x80;
	assert_string_equal(text_exit(&x, "/usr/bin/worker"),
			    EXIT_COLS "/usr/bin/worker          "
				      "[killed by SIGABRT after 1.503 s, core dumped]\n");
	/* No name from libc: the number. */
	x.status = 40;
	assert_string_equal(text_exit(&x, "/usr/bin/worker"), EXIT_COLS
			    "/usr/bin/worker          [killed by signal 40 after 1.503 s]\n");
	/* The core dump bit means nothing without a signal. */
	x.status = 0x80;
	assert_string_equal(text_exit(&x, "/usr/bin/worker"),
			    EXIT_COLS "/usr/bin/worker          [exit 0 after 1.503 s]\n");
	/* Unknown program. */
	x.status = 1 << 8;
	assert_string_equal(text_exit(&x, NULL),
			    EXIT_COLS "[unknown]                [exit 1 after 1.503 s]\n");
}

/* The exit line's columns start where the header's do. */
static void test_text_exit_aligned(void **state)
{
	struct ew_exit x = make_exit(0);
	char header[512], line[512];
	size_t i;

	(void)state;
	snprintf(header, sizeof(header), "%s", text_header_opts(NULL));
	snprintf(line, sizeof(line), "%s", text_exit(&x, "/usr/bin/worker"));
	/* Every column start of the header (a word after a space) starts a word in the line. */
	for (i = 1; header[i] && line[i]; i++)
		if (header[i - 1] == ' ' && header[i] != ' ' &&
		    (line[i - 1] != ' ' || line[i] == ' '))
			fail_msg("column at %zu differs:\n%s%s", i, header, line);
	assert_int_equal(i, strlen(header));
}

static void test_text_exit_lifetime(void **state)
{
	struct ew_exit x = make_exit(0);
	struct output_options o = options("argv");

	(void)state;
	x.start_ns = x.hdr.boot_ns + 5;
	assert_string_equal(text_exit_opts(&x, "/w", &o), "[exit 0 after 0.000 s]\n");
	x.start_ns = x.hdr.boot_ns - 999999;
	assert_string_equal(text_exit_opts(&x, "/w", &o), "[exit 0 after 0.000 s]\n");
	/* Milliseconds are cut, not rounded. */
	x.start_ns = x.hdr.boot_ns - 1999999999;
	assert_string_equal(text_exit_opts(&x, "/w", &o), "[exit 0 after 1.999 s]\n");
	x.start_ns = x.hdr.boot_ns - 3600 * NS - 7000000;
	assert_string_equal(text_exit_opts(&x, "/w", &o), "[exit 0 after 3600.007 s]\n");
	x.hdr.boot_ns = UINT64_MAX;
	x.start_ns = 0;
	assert_string_equal(text_exit_opts(&x, "/w", &o), "[exit 0 after 18446744073.709 s]\n");
}

/* --fields: columns an exit has no value for print "-". */
static void test_text_exit_fields(void **state)
{
	struct ew_exit x = make_exit(9);
	struct output_options o = options("pid,tid,euid,gid,pcomm,container,ret");

	(void)state;
	assert_string_equal(text_exit_opts(&x, "/w", &o),
			    "4242    4243    -      -      -                -            exit\n");
	o = options("cgroup,uid");
	assert_string_equal(text_exit_opts(&x, "/w", &o),
			    "-                                1000\n");
	o = options("comm,argv");
	assert_string_equal(text_exit_opts(&x, "/w", &o),
			    "worker           [killed by SIGKILL after 1.503 s]\n");
	o = options("argv,pid");
	assert_string_equal(text_exit_opts(&x, "/w", &o),
			    "[killed by SIGKILL after 1.503 s] 4242\n");
	o = options("ppid,file");
	o.file_width = 8;
	assert_string_equal(text_exit_opts(&x, "/usr/bin/worker", &o), "1       /usr/bin/worker\n");
	o = options("file,ret");
	o.file_width = 16;
	assert_string_equal(text_exit_opts(&x, NULL, &o), "[unknown]        exit\n");
	assert_string_equal(text_exit_opts(&x, "/a", &o), "/a               exit\n");
}

static void test_text_exit_time_since_start(void **state)
{
	struct ew_exit x = make_exit(0);
	struct output_options o = options("time,pid");

	(void)state;
	o.time_mode = TIME_SINCE_START;
	o.start_boot_ns = BOOT_2026 - 1500000000LL;
	assert_string_equal(text_exit_opts(&x, "/w", &o), "1.500      4242\n");
	o.start_boot_ns = BOOT_2026 + NS;
	assert_string_equal(text_exit_opts(&x, "/w", &o), "0.000      4242\n");
}

/* Untrusted comm and exe are escaped; --quote applies to the program. */
static void test_text_exit_escaping(void **state)
{
	struct ew_exit x = make_exit(0);
	struct output_options o = options("comm,file");

	(void)state;
	o.file_width = 8;
	memcpy(x.comm, "a b\n", 5);
	assert_string_equal(text_exit_opts(&x, "/tmp/my prog", &o),
			    "\"a b\\n\"          \"/tmp/my prog\"\n");
	o.quote = true;
	assert_string_equal(text_exit_opts(&x, "/tmp/my prog", &o),
			    "\"a b\\n\"          '/tmp/my prog'\n");
	o.quote = false;
	/* A forged line or an escape sequence in the program name stays on one line. */
	text_exit_opts(&x, "/x\n21:50:13.123 1 1 0 exit fake /bin/ok [exit 0]\x1b[2K", &o);
	text_exit_opts(&x, "/tmp/\xff\xfe", &o);
	/* Colour is for exec lines; an exit line never carries escape codes. */
	o.color = true;
	assert_null(strchr(text_exit_opts(&x, "/w", &o), '\033'));
}

/* Random exits: always one valid JSON line and one safe text line. */
static void test_fuzz_exits(void **state)
{
	char exe[48];
	int iter;

	(void)state;
	rng_state = 0x0123456789abcdefULL;
	for (iter = 0; iter < 5000; iter++) {
		struct ew_exit x = make_exit((int32_t)rng_next());
		size_t exe_len = (size_t)(rng_next() % sizeof(exe));
		struct output_options o;
		size_t i;

		random_bytes(x.comm, sizeof(x.comm));
		random_bytes(exe, exe_len);
		exe[exe_len] = '\0';
		/* Boot-time stamps below 2^62 (146 years), as in test_fuzz_views. */
		x.hdr.boot_ns = rng_next() >> 2;
		x.start_ns = rng_next() & 1 ? rng_next() : x.hdr.boot_ns - (rng_next() >> 40);
		x.hdr.pid = (uint32_t)rng_next();
		output_options_default(&o);
		o.nr_text_fields = 1 + (size_t)(rng_next() % TF_NR);
		for (i = 0; i < o.nr_text_fields; i++)
			o.text_fields[i] = (enum text_field)(rng_next() % TF_NR);
		o.time_mode = rng_next() & 1 ? TIME_SINCE_START : TIME_CLOCK;
		o.start_boot_ns = (int64_t)(rng_next() >> 2);
		o.quote = rng_next() & 1;
		json_exit(&x, rng_next() & 1 ? exe : NULL);
		text_exit_opts(&x, rng_next() & 1 ? exe : NULL, &o);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_header),
		cmocka_unit_test(test_text_success),
		cmocka_unit_test(test_text_alignment),
		cmocka_unit_test(test_text_empty_arg),
		cmocka_unit_test(test_text_failed),
		cmocka_unit_test(test_text_truncated),
		cmocka_unit_test(test_text_argc0),
		cmocka_unit_test(test_text_no_argv),
		cmocka_unit_test(test_text_faults),
		cmocka_unit_test(test_text_invalid_utf8),
		cmocka_unit_test(test_text_comm_controls),
		cmocka_unit_test(test_text_forged_line),
		cmocka_unit_test(test_text_full_comm),
		cmocka_unit_test(test_text_non_ascii_padding),
		cmocka_unit_test(test_text_long_fields),
		cmocka_unit_test(test_json_success),
		cmocka_unit_test(test_json_ids),
		cmocka_unit_test(test_json_empty_arg),
		cmocka_unit_test(test_json_failed),
		cmocka_unit_test(test_json_failed_execveat),
		cmocka_unit_test(test_json_unknown_errno),
		cmocka_unit_test(test_json_ret_int_min),
		cmocka_unit_test(test_json_truncated),
		cmocka_unit_test(test_json_argc0),
		cmocka_unit_test(test_json_flags_members),
		cmocka_unit_test(test_json_invalid_utf8),
		cmocka_unit_test(test_json_valid_utf8),
		cmocka_unit_test(test_json_comm_controls),
		cmocka_unit_test(test_json_invalid_comm),
		cmocka_unit_test(test_json_partial_invalid_arg),
		cmocka_unit_test(test_json_start),
		cmocka_unit_test(test_json_foreign_mnt_ns),
		cmocka_unit_test(test_json_lost),
		cmocka_unit_test(test_json_stats),
		cmocka_unit_test(test_text_lost),
		cmocka_unit_test(test_text_summary),
		cmocka_unit_test(test_json_lines_batch),
		cmocka_unit_test(test_fuzz_views),
		cmocka_unit_test(test_options_null_is_default),
		cmocka_unit_test(test_text_fields_selection),
		cmocka_unit_test(test_text_fields_every_column),
		cmocka_unit_test(test_text_time_since_start),
		cmocka_unit_test(test_text_quote),
		cmocka_unit_test(test_text_max_args),
		cmocka_unit_test(test_text_color),
		cmocka_unit_test(test_json_fields_subset),
		cmocka_unit_test(test_json_cgroup_members),
		cmocka_unit_test(test_json_cgroup_invalid_utf8),
		cmocka_unit_test(test_json_parent_comm_invalid),
		cmocka_unit_test(test_json_argv_omitted),
		cmocka_unit_test(test_fuzz_options),
		cmocka_unit_test(test_process_id),
		cmocka_unit_test(test_json_exec_ids),
		cmocka_unit_test(test_json_exit_code),
		cmocka_unit_test(test_json_exit_signal),
		cmocka_unit_test(test_json_exit_signal_type),
		cmocka_unit_test(test_json_exit_exe),
		cmocka_unit_test(test_json_exit_comm),
		cmocka_unit_test(test_json_exit_lifetime),
		cmocka_unit_test(test_json_exit_ids),
		cmocka_unit_test(test_json_exit_options),
		cmocka_unit_test(test_json_exit_id_matches_exec),
		cmocka_unit_test(test_text_exit),
		cmocka_unit_test(test_text_exit_aligned),
		cmocka_unit_test(test_text_exit_lifetime),
		cmocka_unit_test(test_text_exit_fields),
		cmocka_unit_test(test_text_exit_time_since_start),
		cmocka_unit_test(test_text_exit_escaping),
		cmocka_unit_test(test_fuzz_exits),
	};

	return cmocka_run_group_tests_name("output", tests, setup_utc, NULL);
}
