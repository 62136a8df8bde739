// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/sink_file.c (--output FILE), on real files in a fresh
 * temporary directory: rotated names, where a batch is split at the rotation
 * size (whole lines only, an over-long line alone in an empty file), the
 * create mode whatever the umask, refusal of symlinks, hard links and FIFOs,
 * the repair of a last line a crash left incomplete, rotation keeping exactly
 * FILE.1 .. FILE.N with every line in exactly one file and none past the
 * size, the outbuf_flush_upto() it is built on, reopen after a rename, and a
 * failed reopen that keeps writing to the old file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sink_file.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ew-sink-file-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/out.json", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static size_t slurp(const char *name, char *buf, size_t cap)
{
	FILE *f = fopen(name, "r");
	size_t n;

	if (!f)
		return (size_t)-1;
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

static void test_rotated_name(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(sink_file_rotated_name(buf, sizeof(buf), "/var/log/x.json", 3), 0);
	assert_string_equal(buf, "/var/log/x.json.3");
	assert_int_equal(sink_file_rotated_name(buf, sizeof(buf), "/v/x", 1000), 0);
	assert_string_equal(buf, "/v/x.1000");
	assert_int_equal(sink_file_rotated_name(buf, 10, "/var/log/x.json", 1), -ENAMETOOLONG);
}

static void test_chunk(void **state)
{
	const char *d = "aaa\nbbb\n";

	(void)state;
	assert_int_equal(sink_file_chunk(d, 8, 0, 100), 8); /* all fits */
	assert_int_equal(sink_file_chunk(d, 8, 0, 8), 8); /* exactly */
	assert_int_equal(sink_file_chunk(d, 8, 0, 7), 4); /* one line, then rotate */
	assert_int_equal(sink_file_chunk(d, 8, 4, 8), 4);
	assert_int_equal(sink_file_chunk(d, 8, 5, 8), 0); /* rotate first */
	assert_int_equal(sink_file_chunk(d, 8, 9, 8), 0); /* already past (a long line) */
	/* An empty file takes an over-long first line alone. */
	assert_int_equal(sink_file_chunk("aaaaaaaa\nb\n", 11, 0, 4), 9);
	assert_int_equal(sink_file_chunk("aaaaaaaa\nb\n", 11, 1, 4), 0);
	assert_int_equal(sink_file_chunk("", 0, 0, 4), 0);
}

static void test_flush_upto(void **state)
{
	struct outbuf ob;
	char buf[64];
	int fd;

	(void)state;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	outbuf_init(&ob, fd);
	outbuf_puts(&ob, "one\ntwo\nthr");
	assert_int_equal(outbuf_flush_upto(&ob, 6), 0); /* only "one\n" is whole within 6 */
	assert_int_equal(ob.len, 7);
	assert_int_equal(outbuf_flush_upto(&ob, 2), 0); /* "two\n" is longer: nothing */
	assert_int_equal(ob.len, 7);
	assert_int_equal(outbuf_flush_upto(&ob, SIZE_MAX), 0);
	assert_int_equal(ob.len, 3);
	assert_int_equal(slurp(path, buf, sizeof(buf)), 8);
	assert_string_equal(buf, "one\ntwo\n");
	outbuf_free(&ob);
	close(fd);
	unlink(path);
}

static void test_create_mode(void **state)
{
	struct sink_file sf;
	char msg[256];
	struct stat st;
	mode_t old = umask(0);

	(void)state;
	assert_int_equal(sink_file__open(&sf, path, 0600, 0, 0, msg, sizeof(msg)), 0);
	assert_int_equal(fstat(sf.fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(fcntl(sf.fd, F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(sf.fd, F_GETFL) & O_APPEND);
	sink_file__close(&sf);
	unlink(path);
	umask(077); /* a strict umask does not take the group's read bit */
	assert_int_equal(sink_file__open(&sf, path, 0640, 0, 0, msg, sizeof(msg)), 0);
	assert_int_equal(fstat(sf.fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	sink_file__close(&sf);
	unlink(path);
	umask(old);
}

static void test_refuses_links_and_fifos(void **state)
{
	char target[160], msg[256];
	struct sink_file sf;
	int fd;

	(void)state;
	snprintf(target, sizeof(target), "%s/target", dir);
	fd = open(target, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(sink_file__open(&sf, path, 0600, 0, 0, msg, sizeof(msg)), -ELOOP);
	assert_non_null(strstr(msg, "symbolic link"));
	unlink(path);
	/* A dangling symlink: O_EXCL must not create its target. */
	unlink(target);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(sink_file__open(&sf, path, 0600, 0, 0, msg, sizeof(msg)), -ELOOP);
	assert_int_equal(access(target, F_OK), -1);
	unlink(path);
	fd = open(target, O_WRONLY | O_CREAT, 0600);
	close(fd);
	assert_int_equal(link(target, path), 0);
	assert_int_equal(sink_file__open(&sf, path, 0600, 0, 0, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "single link"));
	unlink(path);
	unlink(target);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(sink_file__open(&sf, path, 0600, 0, 0, msg, sizeof(msg)), -EINVAL);
	unlink(path);
}

static void test_repairs_incomplete_last_line(void **state)
{
	struct sink_file sf;
	struct outbuf ob;
	char msg[256], buf[64];
	FILE *f = fopen(path, "w");

	(void)state;
	fputs("{\"a\":1}\n{\"b\":", f);
	fclose(f);
	assert_int_equal(sink_file__open(&sf, path, 0600, 0, 0, msg, sizeof(msg)), 0);
	assert_int_equal(sf.repaired_bytes, 5);
	assert_int_equal(sf.size, 8);
	outbuf_init(&ob, -1);
	outbuf_puts(&ob, "{\"c\":3}\n");
	assert_int_equal(sink_file__flush(&sf, &ob), 0);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "{\"a\":1}\n{\"c\":3}\n");
	sink_file__close(&sf);
	outbuf_free(&ob);
	/* No newline at all: nothing whole to keep. */
	f = fopen(path, "w");
	fputs("partial", f);
	fclose(f);
	assert_int_equal(sink_file__open(&sf, path, 0600, 0, 0, msg, sizeof(msg)), 0);
	assert_int_equal(sf.repaired_bytes, 7);
	assert_int_equal(sf.size, 0);
	sink_file__close(&sf);
	unlink(path);
}

/* Lines "line-NNNN\n" (10 bytes), rotation at 95 bytes: 9 lines a file. */
static void test_rotation(void **state)
{
	char name[160], buf[4096], msg[256];
	struct sink_file sf;
	struct outbuf ob;
	int i, seen[100] = { 0 }, files = 0;

	(void)state;
	assert_int_equal(sink_file__open(&sf, path, 0600, 95, 20, msg, sizeof(msg)), 0);
	outbuf_init(&ob, -1);
	for (i = 0; i < 100; i++) {
		outbuf_printf(&ob, "line-%04d\n", i);
		if (i % 7 == 6) /* batches of several lines, not aligned with files */
			assert_int_equal(sink_file__flush(&sf, &ob), 0);
	}
	assert_int_equal(sink_file__flush(&sf, &ob), 0);
	/* 100 lines, 9 per file: out.json.11 .. .1 full, out.json with 1. */
	assert_int_equal(sf.rotations, 11);
	for (i = 0; i <= 12; i++) {
		char *p;
		size_t n;

		if (i)
			sink_file_rotated_name(name, sizeof(name), path, (unsigned int)i);
		else
			snprintf(name, sizeof(name), "%s", path);
		n = slurp(name, buf, sizeof(buf));
		if (n == (size_t)-1)
			continue;
		files++;
		assert_true(n <= 95);
		assert_int_equal(n % 10, 0);
		for (p = buf; *p; p += 10)
			seen[atoi(p + 5)]++;
	}
	assert_int_equal(files, 12);
	for (i = 0; i < 100; i++)
		assert_int_equal(seen[i], 1);
	/* The newest rotated file holds the lines just before the current file's. */
	sink_file_rotated_name(name, sizeof(name), path, 1);
	slurp(name, buf, sizeof(buf));
	assert_memory_equal(buf, "line-0090\n", 10);
	sink_file__close(&sf);
	outbuf_free(&ob);
}

static void test_rotation_keeps_n(void **state)
{
	char name[160], msg[256];
	struct sink_file sf;
	struct outbuf ob;
	int i;

	(void)state;
	assert_int_equal(sink_file__open(&sf, path, 0600, 4096, 3, msg, sizeof(msg)), 0);
	outbuf_init(&ob, -1);
	for (i = 0; i < 10; i++) {
		outbuf_printf(&ob, "%04095d\n", i); /* 4 KiB lines: one per file */
		assert_int_equal(sink_file__flush(&sf, &ob), 0);
	}
	for (i = 1; i <= 3; i++) {
		sink_file_rotated_name(name, sizeof(name), path, (unsigned int)i);
		assert_int_equal(access(name, F_OK), 0);
	}
	sink_file_rotated_name(name, sizeof(name), path, 4);
	assert_int_equal(access(name, F_OK), -1);
	sink_file__close(&sf);
	outbuf_free(&ob);
}

static void test_reopen_after_rename(void **state)
{
	char moved[160], buf[64], msg[256];
	struct sink_file sf;
	struct outbuf ob;

	(void)state;
	snprintf(moved, sizeof(moved), "%s.old", path);
	assert_int_equal(sink_file__open(&sf, path, 0600, 0, 0, msg, sizeof(msg)), 0);
	outbuf_init(&ob, -1);
	outbuf_puts(&ob, "before\n");
	assert_int_equal(sink_file__flush(&sf, &ob), 0);
	assert_int_equal(rename(path, moved), 0);
	outbuf_puts(&ob, "between\n"); /* still to the moved file, as logrotate expects */
	assert_int_equal(sink_file__flush(&sf, &ob), 0);
	assert_int_equal(sink_file__reopen(&sf, msg, sizeof(msg)), 0);
	outbuf_puts(&ob, "after\n");
	assert_int_equal(sink_file__flush(&sf, &ob), 0);
	slurp(moved, buf, sizeof(buf));
	assert_string_equal(buf, "before\nbetween\n");
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "after\n");
	sink_file__close(&sf);
	outbuf_free(&ob);
	unlink(moved);
	unlink(path);
}

/* A reopen that fails (a symlink planted at FILE) keeps writing to the old file. */
static void test_failed_reopen_keeps_old_file(void **state)
{
	char moved[160], buf[64], msg[256];
	struct sink_file sf;
	struct outbuf ob;
	int old_fd;

	(void)state;
	snprintf(moved, sizeof(moved), "%s.old", path);
	assert_int_equal(sink_file__open(&sf, path, 0600, 0, 0, msg, sizeof(msg)), 0);
	old_fd = sf.fd;
	assert_int_equal(rename(path, moved), 0);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(sink_file__reopen(&sf, msg, sizeof(msg)), -ELOOP);
	assert_int_equal(sf.fd, old_fd);
	outbuf_init(&ob, -1);
	outbuf_puts(&ob, "still here\n");
	assert_int_equal(sink_file__flush(&sf, &ob), 0);
	slurp(moved, buf, sizeof(buf));
	assert_string_equal(buf, "still here\n");
	sink_file__close(&sf);
	outbuf_free(&ob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rotated_name),
		cmocka_unit_test(test_chunk),
		cmocka_unit_test_setup_teardown(test_flush_upto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_links_and_fifos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repairs_incomplete_last_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotation_keeps_n, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_after_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_reopen_keeps_old_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
