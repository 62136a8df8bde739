// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/filter.c, the user-space exec filters: --failed and
 * --succeeded (by the sign of ret); the -u uid set (real uid, not euid, up
 * to FILTER_MAX_UIDS); -n as a substring of comm, which holds 16 bytes and
 * maybe no NUL; --exe as an exact path, a "dir/" prefix or a glob, with
 * filter_path_matches() on exactly-sized buffers, NUL bytes and over-long
 * paths; -l as a substring of one argument (never across two, never in the
 * filename), with empty arguments, invalid UTF-8, a truncated last argument
 * and the kernel's {""} stand-in for argc 0; --arg-regex per argument (a
 * long argument too), and its compile error; --container as a prefix of the
 * resolved container id; every combination needing all to pass; the kernel
 * filters (-p, -c) not re-decided here; exit records (filter_match_exit());
 * and filter_parse_uid() for names,
 * numbers and the values it must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <pwd.h>
#include <unistd.h>

#include <cmocka.h>

#include "decode.h"
#include "filter.h"

#define DOCKER_ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static struct exec_view make_view(const char *comm, const char *filename, size_t filename_len,
				  const char *argv, size_t argv_len)
{
	struct exec_view v;

	memset(&v, 0, sizeof(v));
	v.fixed.hdr.type = EW_EVENT_EXEC;
	v.fixed.hdr.pid = 100;
	v.fixed.hdr.tid = 100;
	v.fixed.ppid = 1;
	v.fixed.uid = 1000;
	v.fixed.euid = 1000;
	v.fixed.gid = 1000;
	v.fixed.argc = 1;
	v.fixed.argv_len = (uint32_t)argv_len;
	v.fixed.argv_true_len = (uint32_t)argv_len;
	v.fixed.filename_len = (uint16_t)filename_len;
	v.fixed.dirfd = EW_AT_FDCWD_VALUE;
	strncpy(v.fixed.comm, comm, sizeof(v.fixed.comm));
	v.filename = filename;
	v.filename_len = filename_len;
	v.argv = argv;
	v.argv_len = argv_len;
	return v;
}

#define VIEW(comm, filename, argv) \
	make_view(comm, filename, sizeof(filename) - 1, argv, sizeof(argv) - 1)

/* Does the view pass a filter built from cfg? */
static bool passes(const struct filter_config *cfg, const struct exec_view *v)
{
	struct filter f;
	char msg[256] = "";
	bool match;

	if (filter_init(&f, cfg, msg, sizeof(msg)))
		fail_msg("filter_init: %s", msg);
	match = filter_match(&f, v);
	filter_free(&f);
	return match;
}

static void test_no_filters(void **state)
{
	struct filter_config cfg;
	struct exec_view v = VIEW("bash", "/bin/ls", "ls\0");

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	assert_true(passes(&cfg, &v));
	v.fixed.ret = -2;
	assert_true(passes(&cfg, &v));
	v = make_view("", "", 0, "", 0);
	assert_true(passes(&cfg, &v));
}

/* -p and -c are decided in the kernel: filter_match() leaves them alone. */
static void test_kernel_filters_not_rechecked(void **state)
{
	struct filter_config cfg;
	struct exec_view v = VIEW("bash", "/bin/ls", "ls\0");

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.pid = 4242;
	cfg.cgroup_path = "/sys/fs/cgroup/nothing.slice";
	assert_true(passes(&cfg, &v));
}

static void test_result(void **state)
{
	static const int32_t failed[] = { -1, -2, -13, -4095, INT32_MIN };
	struct filter_config cfg;
	struct exec_view v = VIEW("bash", "/bin/ls", "ls\0");
	size_t i;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.result = FILTER_RESULT_FAILED;
	assert_false(passes(&cfg, &v));
	for (i = 0; i < sizeof(failed) / sizeof(failed[0]); i++) {
		v.fixed.ret = failed[i];
		if (!passes(&cfg, &v))
			fail_msg("--failed dropped ret %d", failed[i]);
	}
	cfg.result = FILTER_RESULT_SUCCEEDED;
	for (i = 0; i < sizeof(failed) / sizeof(failed[0]); i++) {
		v.fixed.ret = failed[i];
		if (passes(&cfg, &v))
			fail_msg("--succeeded kept ret %d", failed[i]);
	}
	v.fixed.ret = 0;
	assert_true(passes(&cfg, &v));
	cfg.result = FILTER_RESULT_ANY;
	assert_true(passes(&cfg, &v));
	v.fixed.ret = -2;
	assert_true(passes(&cfg, &v));
}

static void test_uid_set(void **state)
{
	struct filter_config cfg;
	struct exec_view v = VIEW("bash", "/bin/ls", "ls\0");
	size_t i;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.uids[0] = 0;
	cfg.uids[1] = 1000;
	cfg.nr_uids = 2;
	v.fixed.uid = 1000;
	assert_true(passes(&cfg, &v));
	v.fixed.uid = 0;
	assert_true(passes(&cfg, &v));
	v.fixed.uid = 1001;
	assert_false(passes(&cfg, &v));
	/* The real uid decides, not the effective one (a setuid program). */
	v.fixed.euid = 0;
	assert_false(passes(&cfg, &v));
	v.fixed.uid = 0;
	v.fixed.euid = 1001;
	assert_true(passes(&cfg, &v));
	/* Only the first nr_uids entries count. */
	cfg.uids[2] = 7;
	v.fixed.uid = 7;
	assert_false(passes(&cfg, &v));
	cfg.nr_uids = 3;
	assert_true(passes(&cfg, &v));

	/* A full set, the match in the last slot. */
	for (i = 0; i < FILTER_MAX_UIDS; i++)
		cfg.uids[i] = (uint32_t)(5000 + i);
	cfg.uids[FILTER_MAX_UIDS - 1] = 4294967294u;
	cfg.nr_uids = FILTER_MAX_UIDS;
	v.fixed.uid = 4294967294u;
	assert_true(passes(&cfg, &v));
	v.fixed.uid = 5000 + FILTER_MAX_UIDS - 2;
	assert_true(passes(&cfg, &v));
	v.fixed.uid = 4999;
	assert_false(passes(&cfg, &v));
	v.fixed.uid = 4294967295u;
	assert_false(passes(&cfg, &v));
}

static void test_name_substring(void **state)
{
	struct filter_config cfg;
	struct exec_view v = VIEW("bash", "/bin/bash", "bash\0");

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.name = "ba";
	assert_true(passes(&cfg, &v));
	cfg.name = "bash";
	assert_true(passes(&cfg, &v));
	cfg.name = "ash";
	assert_true(passes(&cfg, &v));
	cfg.name = "bashh";
	assert_false(passes(&cfg, &v));
	cfg.name = "BASH";
	assert_false(passes(&cfg, &v));
	cfg.name = "zsh";
	assert_false(passes(&cfg, &v));
	/* comm, not the filename or the arguments. */
	v = VIEW("sh", "/bin/python3", "python3\0");
	cfg.name = "python";
	assert_false(passes(&cfg, &v));
	cfg.name = "";
	assert_true(passes(&cfg, &v));

	/* A full comm has no NUL: the bytes after it are not part of it. */
	v = VIEW("", "/x", "x\0");
	memcpy(v.fixed.comm, "0123456789abcdef", 16);
	memcpy(v.fixed.parent_comm, "gsshd", 6);
	cfg.name = "def";
	assert_true(passes(&cfg, &v));
	cfg.name = "0123456789abcdef";
	assert_true(passes(&cfg, &v));
	cfg.name = "fg";
	assert_false(passes(&cfg, &v));
	/* Bytes after the first NUL are not part of it either. */
	v = VIEW("", "/x", "x\0");
	memcpy(v.fixed.comm, "ab\0cd", 5);
	cfg.name = "cd";
	assert_false(passes(&cfg, &v));
	/* Any bytes: invalid UTF-8 matches byte for byte. */
	v = VIEW("x\xff"
		 "y",
		 "/x", "x\0");
	cfg.name = "\xff";
	assert_true(passes(&cfg, &v));
}

/* filter_path_matches on an exactly-sized, unterminated copy of the path. */
static bool path_matches(const char *pattern, const char *path, size_t len)
{
	char *copy = malloc(len ? len : 1);
	bool match;

	assert_non_null(copy);
	memcpy(copy, path, len);
	match = filter_path_matches(pattern, copy, len);
	free(copy);
	return match;
}

#define assert_path(pattern, path, want)                                       \
	do {                                                                   \
		if (path_matches(pattern, path, sizeof(path) - 1) != (want))   \
			fail_msg("--exe '%s' on '%s': want %s", pattern, path, \
				 (want) ? "a match" : "no match");             \
	} while (0)

static void test_exe_exact(void **state)
{
	(void)state;
	assert_path("/bin/ls", "/bin/ls", true);
	assert_path("/bin/ls", "/bin/lsx", false);
	assert_path("/bin/ls", "/bin/l", false);
	assert_path("/bin/ls", "/bin/ls/", false);
	assert_path("/bin/ls", "/usr/bin/ls", false);
	assert_path("/bin/ls", "", false);
	assert_path("ls", "ls", true);
	assert_path("ls", "/bin/ls", false);
	assert_path("./a.out", "./a.out", true);
}

static void test_exe_prefix(void **state)
{
	(void)state;
	assert_path("/usr/bin/", "/usr/bin/ls", true);
	assert_path("/usr/bin/", "/usr/bin/", true);
	assert_path("/usr/bin/", "/usr/bin/sub/tool", true);
	assert_path("/usr/bin/", "/usr/bin", false);
	assert_path("/usr/bin/", "/usr/binx/ls", false);
	assert_path("/usr/bin/", "/usr/lib/ls", false);
	assert_path("/usr/bin/", "/usr/bi", false);
	assert_path("/usr/bin/", "", false);
	assert_path("/", "/anything/at/all", true);
	assert_path("/", "relative", false);
}

static void test_exe_glob(void **state)
{
	(void)state;
	assert_path("/usr/*/python*", "/usr/bin/python3", true);
	assert_path("/usr/*/python*", "/usr/bin/python", true);
	assert_path("/usr/*/python*", "/usr/bin/perl", false);
	assert_path("/usr/*/python*", "/opt/bin/python3", false);
	assert_path("/bin/?s", "/bin/ls", true);
	assert_path("/bin/?s", "/bin/lss", false);
	assert_path("/bin/?s", "/bin/s", false);
	assert_path("/tmp/[ab]*", "/tmp/a.sh", true);
	assert_path("/tmp/[ab]*", "/tmp/c.sh", false);
	/* Shell globbing of paths (FNM_PATHNAME): '*' does not cross '/'. */
	assert_path("*.sh", "/tmp/x.sh", false);
	assert_path("/*/*.sh", "/tmp/x.sh", true);
	assert_path("/*/*.sh", "/tmp/x.shx", false);
	assert_path("/usr/*/python*", "/usr/local/bin/python3", false);
	assert_path("/tmp/*", "/tmp/\xff\xfe", true);
	/* A backslash escapes a glob character: literal '*'. */
	assert_path("/tmp/\\*", "/tmp/*", true);
	assert_path("/tmp/\\*", "/tmp/x", false);
}

static void test_exe_odd_paths(void **state)
{
	char *longpath = malloc(EW_FILENAME_MAX + 1);

	(void)state;
	assert_non_null(longpath);
	/* A NUL inside the bytes can never be a real path. */
	assert_false(path_matches("/bin/*", "/bin/a\0b", 8));
	assert_false(path_matches("/bin/", "/bin/a\0b", 8));
	assert_false(path_matches("/bin/a", "/bin/a\0", 7));
	/* The longest path the kernel accepts, and one byte more. */
	memset(longpath, 'a', EW_FILENAME_MAX + 1);
	longpath[0] = '/';
	assert_true(path_matches("/a*a", longpath, EW_FILENAME_MAX));
	assert_true(path_matches("/", longpath, EW_FILENAME_MAX));
	assert_false(path_matches("/a*a", longpath, EW_FILENAME_MAX + 1));
	free(longpath);
}

static void test_exe_in_filter(void **state)
{
	struct filter_config cfg;
	struct exec_view v = VIEW("ls", "/usr/bin/ls", "ls\0");

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.exe = "/usr/bin/ls";
	assert_true(passes(&cfg, &v));
	cfg.exe = "/usr/bin/";
	assert_true(passes(&cfg, &v));
	cfg.exe = "/usr/*/l?";
	assert_true(passes(&cfg, &v));
	cfg.exe = "/bin/ls";
	assert_false(passes(&cfg, &v));
	/* The requested filename decides, not argv[0] or comm. */
	v = VIEW("ls", "/bin/busybox", "/usr/bin/ls\0");
	cfg.exe = "/usr/bin/ls";
	assert_false(passes(&cfg, &v));
}

static void test_arg_substring(void **state)
{
	struct filter_config cfg;
	struct exec_view v = VIEW("rm", "/bin/rm", "rm\0-rf\0--force\0");

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.arg = "force";
	assert_true(passes(&cfg, &v));
	cfg.arg = "rm";
	assert_true(passes(&cfg, &v));
	cfg.arg = "-rf";
	assert_true(passes(&cfg, &v));
	cfg.arg = "delete";
	assert_false(passes(&cfg, &v));
	/* Never across two arguments. */
	cfg.arg = "rm-rf";
	assert_false(passes(&cfg, &v));
	cfg.arg = "-rf --force";
	assert_false(passes(&cfg, &v));
	/* Not the filename, not comm. */
	v = VIEW("force", "/bin/force", "x\0y\0");
	cfg.arg = "force";
	assert_false(passes(&cfg, &v));
}

static void test_arg_empty_and_odd(void **state)
{
	struct filter_config cfg;
	struct exec_view v = VIEW("p", "/p", "p\0\0x\0");

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.arg = "x";
	assert_true(passes(&cfg, &v));
	cfg.arg = "";
	assert_true(passes(&cfg, &v));
	/* An empty string is in any argument, but there must be one. */
	v = VIEW("p", "/p", "");
	assert_false(passes(&cfg, &v));
	cfg.arg = "x";
	assert_false(passes(&cfg, &v));
	/* Invalid UTF-8, byte for byte. */
	v = VIEW("p", "/p",
		 "a\xff"
		 "b\0\xfe\xfd\0");
	cfg.arg = "\xff";
	assert_true(passes(&cfg, &v));
	cfg.arg = "\xff"
		  "b";
	assert_true(passes(&cfg, &v));
	cfg.arg = "\xfe\xfd";
	assert_true(passes(&cfg, &v));
	cfg.arg = "b\xfe";
	assert_false(passes(&cfg, &v));
	/* The cut last argument of a truncated record is searched too. */
	v = VIEW("xargs", "/bin/echo", "echo\0aaaa\0bbcc");
	v.fixed.hdr.flags = EW_F_ARGV_TRUNCATED;
	cfg.arg = "bbc";
	assert_true(passes(&cfg, &v));
	/* argc 0: the kernel's {""} is not an argument the caller passed. */
	v = VIEW("evil", "/bin/true", "\0");
	v.fixed.hdr.flags = EW_F_ARGV_EMPTY_AT_CALL;
	v.argv_empty_at_call = true;
	cfg.arg = "";
	assert_false(passes(&cfg, &v));
}

static void test_arg_regex(void **state)
{
	struct filter_config cfg;
	struct exec_view v = VIEW("rm", "/bin/rm", "rm\0-rf\0--force\0");

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.arg_regex = "^-[a-z]+$";
	assert_true(passes(&cfg, &v));
	cfg.arg_regex = "^--[a-z]{5}$";
	assert_true(passes(&cfg, &v));
	cfg.arg_regex = "^--[a-z]{6}$";
	assert_false(passes(&cfg, &v));
	/* Anchors are per argument; a match never spans two. */
	cfg.arg_regex = "^-rf";
	assert_true(passes(&cfg, &v));
	cfg.arg_regex = "rm.-rf";
	assert_false(passes(&cfg, &v));
	cfg.arg_regex = "(force|delete)";
	assert_true(passes(&cfg, &v));
	cfg.arg_regex = "^$";
	assert_false(passes(&cfg, &v));
	v = VIEW("p", "/p", "p\0\0");
	assert_true(passes(&cfg, &v));
	/* Bytes of invalid UTF-8 are characters (C locale). */
	v = VIEW("p", "/p",
		 "a\xff"
		 "b\0");
	cfg.arg_regex = "^a.b$";
	assert_true(passes(&cfg, &v));
}

/* An argument longer than the on-stack copy. */
static void test_arg_regex_long(void **state)
{
	struct filter_config cfg;
	char *argv = malloc(5003);
	struct exec_view v;

	(void)state;
	assert_non_null(argv);
	memcpy(argv, "x\0", 2);
	memset(argv + 2, 'a', 5000);
	argv[5002] = '\0';
	v = make_view("p", "/p", 2, argv, 5003);
	memset(&cfg, 0, sizeof(cfg));
	cfg.arg_regex = "^a{255}";
	assert_true(passes(&cfg, &v));
	cfg.arg_regex = "a$";
	assert_true(passes(&cfg, &v));
	cfg.arg_regex = "b";
	assert_false(passes(&cfg, &v));
	argv[5001] = 'b';
	assert_true(passes(&cfg, &v));
	free(argv);
}

static void test_arg_regex_invalid(void **state)
{
	/* Each with the form the message shows (escape_message: a backslash doubled). */
	static const char *const bad[][2] = {
		{ "(", "(" }, { "a{2,1}", "a{2,1}" }, { "[z-a]", "[z-a]" }, { "\\", "\\\\" }
	};
	struct filter_config cfg;
	struct filter f;
	char msg[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[64];

		memset(&cfg, 0, sizeof(cfg));
		cfg.arg_regex = bad[i][0];
		msg[0] = '\0';
		assert_int_equal(filter_init(&f, &cfg, msg, sizeof(msg)), -EINVAL);
		snprintf(want, sizeof(want),
			 "--arg-regex '%s' is not a valid regular expression: ", bad[i][1]);
		if (strncmp(msg, want, strlen(want)) || strlen(msg) == strlen(want))
			fail_msg("message [%s]", msg);
		filter_free(&f); /* safe after a failed init */
	}
	filter_free(NULL);
}

static void test_arg_and_regex_together(void **state)
{
	struct filter_config cfg;
	struct exec_view v = VIEW("p", "/p", "x\0foo\0-v\0");

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.arg = "foo";
	cfg.arg_regex = "^-v$";
	/* Both must hold, by different arguments if need be. */
	assert_true(passes(&cfg, &v));
	v = VIEW("p", "/p", "x\0foo\0");
	assert_false(passes(&cfg, &v));
	v = VIEW("p", "/p", "x\0-v\0");
	assert_false(passes(&cfg, &v));
	v = VIEW("p", "/p", "-v\0x\0foo\0");
	assert_true(passes(&cfg, &v));
}

static void test_container_prefix(void **state)
{
	struct filter_config cfg;
	struct exec_view v = VIEW("sh", "/bin/sh", "sh\0");

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.container = "0123";
	/* No container resolved: not in any container. */
	assert_false(passes(&cfg, &v));
	v.container_id = DOCKER_ID;
	assert_true(passes(&cfg, &v));
	cfg.container = DOCKER_ID;
	assert_true(passes(&cfg, &v));
	cfg.container = "0123456789ab";
	assert_true(passes(&cfg, &v));
	/* A prefix, not any substring; and not longer than the id. */
	cfg.container = "1234";
	assert_false(passes(&cfg, &v));
	cfg.container = DOCKER_ID "0";
	assert_false(passes(&cfg, &v));
	cfg.container = "0123456789AB";
	assert_false(passes(&cfg, &v));
	/* The cgroup path is not what is matched. */
	v.container_id = NULL;
	v.cgroup_path = "/system.slice/docker-" DOCKER_ID ".scope";
	cfg.container = "0123";
	assert_false(passes(&cfg, &v));
}

/* Every filter set at once: each one alone can turn the answer to no. */
static void test_combinations(void **state)
{
	struct filter_config cfg;
	struct exec_view base = VIEW("python3", "/usr/bin/python3", "python3\0-c\0print(1)\0"), v;

	(void)state;
	base.fixed.ret = -13;
	base.fixed.uid = 33;
	base.container_id = DOCKER_ID;
	memset(&cfg, 0, sizeof(cfg));
	cfg.result = FILTER_RESULT_FAILED;
	cfg.uids[0] = 33;
	cfg.nr_uids = 1;
	cfg.name = "pyth";
	cfg.exe = "/usr/bin/";
	cfg.arg = "print";
	cfg.arg_regex = "^-c$";
	cfg.container = "0123";
	assert_true(passes(&cfg, &base));

	v = base;
	v.fixed.ret = 0;
	assert_false(passes(&cfg, &v));
	v = base;
	v.fixed.uid = 34;
	assert_false(passes(&cfg, &v));
	v = base;
	memcpy(v.fixed.comm, "perl", 5);
	assert_false(passes(&cfg, &v));
	v = base;
	v.filename = "/opt/python3";
	v.filename_len = strlen(v.filename);
	assert_false(passes(&cfg, &v));
	v = base;
	v.argv = "python3\0-c\0pass\0";
	v.argv_len = 16;
	assert_false(passes(&cfg, &v));
	v = base;
	v.argv = "python3\0-cc\0print(1)\0";
	v.argv_len = 21;
	assert_false(passes(&cfg, &v));
	v = base;
	v.container_id = NULL;
	assert_false(passes(&cfg, &v));
}

/* Does an exit (comm, uid) of a process the table knows ran exe (or NULL) pass? */
static bool exit_passes(const struct filter_config *cfg, const char *comm, uint32_t uid,
			const char *exe)
{
	struct ew_exit x;
	struct filter f;
	char msg[256] = "";
	bool match;

	memset(&x, 0, sizeof(x));
	x.hdr.type = EW_EVENT_EXIT;
	x.uid = uid;
	/* All 16 bytes, no NUL when comm is that long: as the kernel may send it. */
	strncpy(x.comm, comm, sizeof(x.comm));
	if (filter_init(&f, cfg, msg, sizeof(msg)))
		fail_msg("filter_init: %s", msg);
	match = filter_match_exit(&f, &x, exe);
	filter_free(&f);
	return match;
}

static void test_exit_records(void **state)
{
	struct filter_config cfg;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	/* No filter: every exit, known exe or not. */
	assert_true(exit_passes(&cfg, "sh", 0, "/bin/sh"));
	assert_true(exit_passes(&cfg, "sh", 0, NULL));
	/* -n against the exit's own comm, all 16 bytes without a NUL too. */
	cfg.name = "worker";
	assert_true(exit_passes(&cfg, "my-worker", 0, NULL));
	assert_false(exit_passes(&cfg, "sh", 0, "/bin/sh"));
	assert_true(exit_passes(&cfg, "0123456789worker", 0, NULL));
	cfg.name = NULL;
	/* -u: the exit's uid, as the kernel decided it. */
	cfg.uids[0] = 1000;
	cfg.nr_uids = 1;
	assert_true(exit_passes(&cfg, "sh", 1000, NULL));
	assert_false(exit_passes(&cfg, "sh", 0, "/bin/sh"));
	cfg.nr_uids = 0;
	/* --exe: against the program the table knows; never seen exec: dropped. */
	cfg.exe = "/usr/bin/";
	assert_true(exit_passes(&cfg, "ls", 0, "/usr/bin/ls"));
	assert_false(exit_passes(&cfg, "ls", 0, "/bin/ls"));
	assert_false(exit_passes(&cfg, "ls", 0, NULL));
	cfg.exe = NULL;
	/*
	 * Exec-only filters: a known exe means its exec passed them; an
	 * unknown process cannot show it did, so it is not reported.
	 */
	cfg.arg = "needle";
	assert_true(exit_passes(&cfg, "grep", 0, "/usr/bin/grep"));
	assert_false(exit_passes(&cfg, "grep", 0, NULL));
	cfg.arg = NULL;
	cfg.arg_regex = "^x";
	assert_false(exit_passes(&cfg, "grep", 0, NULL));
	cfg.arg_regex = NULL;
	cfg.container = "abc";
	assert_false(exit_passes(&cfg, "grep", 0, NULL));
	cfg.container = NULL;
	cfg.result = FILTER_RESULT_SUCCEEDED;
	assert_true(exit_passes(&cfg, "grep", 0, "/usr/bin/grep"));
	assert_false(exit_passes(&cfg, "grep", 0, NULL));
}

static void test_parse_uid(void **state)
{
	static const char *const bad[] = {
		"-1",	 "nosuchuser", "",   "4294967295", "4294967296", "99999999999999999999",
		"12abc", "1.0",	       " 1", "+1",	   "0x10",	 "1 ",
	};
	struct passwd *me;
	uint32_t uid;
	size_t i;

	(void)state;
	uid = 12345;
	assert_int_equal(filter_parse_uid("root", &uid), 0);
	assert_int_equal(uid, 0);
	uid = 12345;
	assert_int_equal(filter_parse_uid("0", &uid), 0);
	assert_int_equal(uid, 0);
	assert_int_equal(filter_parse_uid("4294967294", &uid), 0);
	assert_int_equal(uid, 4294967294u);
	assert_int_equal(filter_parse_uid("1000", &uid), 0);
	assert_int_equal(uid, 1000);
	assert_int_equal(filter_parse_uid("007", &uid), 0);
	assert_int_equal(uid, 7);
	/* The user running the test, by name. */
	me = getpwuid(getuid());
	if (me) {
		char name[256];

		snprintf(name, sizeof(name), "%s", me->pw_name);
		uid = 12345;
		assert_int_equal(filter_parse_uid(name, &uid), 0);
		assert_int_equal(uid, getuid());
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err;

		uid = 12345;
		err = filter_parse_uid(bad[i], &uid);
		if (err != -EINVAL)
			fail_msg("[%s]: got %d (uid %u), want -EINVAL", bad[i], err, uid);
		assert_int_equal(uid, 12345); /* untouched */
	}
	assert_int_equal(filter_parse_uid(NULL, &uid), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_filters),
		cmocka_unit_test(test_kernel_filters_not_rechecked),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_uid_set),
		cmocka_unit_test(test_name_substring),
		cmocka_unit_test(test_exe_exact),
		cmocka_unit_test(test_exe_prefix),
		cmocka_unit_test(test_exe_glob),
		cmocka_unit_test(test_exe_odd_paths),
		cmocka_unit_test(test_exe_in_filter),
		cmocka_unit_test(test_arg_substring),
		cmocka_unit_test(test_arg_empty_and_odd),
		cmocka_unit_test(test_arg_regex),
		cmocka_unit_test(test_arg_regex_long),
		cmocka_unit_test(test_arg_regex_invalid),
		cmocka_unit_test(test_arg_and_regex_together),
		cmocka_unit_test(test_container_prefix),
		cmocka_unit_test(test_combinations),
		cmocka_unit_test(test_exit_records),
		cmocka_unit_test(test_parse_uid),
	};

	return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}
