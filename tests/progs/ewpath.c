// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Workloads for tests/kernel/paths.bats: every way of naming the file to
 * exec that the kernel-side path walk must see through. Each mode ends in
 * one exec; ARGV0 [ARG...] is the new program's argv, where "@MARK@" becomes
 * $EW_MARK, so the marker is in the exec under test and not in ewpath's own
 * argv (which execwatch reports too). Exit 127 means the exec failed.
 *
 *   ewpath chdir-exec DIR PATH ARGV0...   chdir(DIR), execve(PATH) (relative PATH)
 *   ewpath execveat DIR NAME ARGV0...     execveat(open(DIR), NAME, 0)
 *   ewpath fexecve FILE ARGV0...          fexecve(open(FILE, O_RDONLY))
 *   ewpath opath FILE ARGV0...            execveat(open(FILE, O_PATH), "", AT_EMPTY_PATH)
 *   ewpath procfd FILE ARGV0...           execve("/proc/self/fd/N")
 *   ewpath devfd FILE ARGV0...            execve("/dev/fd/N")
 *   ewpath memfd NAME FILE ARGV0...       copy FILE into memfd_create(NAME), fexecve it
 *   ewpath deleted FILE ARGV0...          open FILE, unlink it, execve("/proc/self/fd/N")
 *   ewpath deleted-at FILE ARGV0...       open FILE, unlink it, execveat(fd, "", AT_EMPTY_PATH)
 *   ewpath chroot DIR PATH ARGV0...       chroot(DIR), chdir("/"), execve(PATH)
 *   ewpath unshare-mnt PATH ARGV0...      unshare(CLONE_NEWNS), execve(PATH)
 *   ewpath pivot-root DIR PATH ARGV0...   a container's start: unshare(CLONE_NEWNS), make
 *                                         DIR a mount, pivot_root(DIR, DIR/.old), detach
 *                                         the old root, execve(PATH) from the new root
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static int fail(const char *what)
{
	perror(what);
	return 127;
}

static int open_or_exit(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0) {
		perror(path);
		exit(127);
	}
	return fd;
}

static int exec_fd_path(const char *fmt, int fd, char **args)
{
	char path[64];

	snprintf(path, sizeof(path), fmt, fd);
	execve(path, args, environ);
	return fail(path);
}

/* "x@MARK@y" -> "x<mark>y" (one occurrence is enough for the tests). */
static char *substitute_mark(char *arg, const char *mark)
{
	char *at = strstr(arg, "@MARK@");
	char *out;

	if (!at)
		return arg;
	out = malloc(strlen(arg) + strlen(mark) + 1);
	if (!out)
		return arg;
	sprintf(out, "%.*s%s%s", (int)(at - arg), arg, mark, at + 6);
	return out;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	const char *mark = getenv("EW_MARK");
	int fd, a;

	for (a = 2; mark && a < argc; a++)
		argv[a] = substitute_mark(argv[a], mark);
	if (!strcmp(mode, "chdir-exec") && argc >= 5) {
		if (chdir(argv[2]))
			return fail(argv[2]);
		execve(argv[3], argv + 4, environ);
		return fail(argv[3]);
	}
	if (!strcmp(mode, "execveat") && argc >= 5) {
		fd = open_or_exit(argv[2], O_RDONLY | O_DIRECTORY);
		syscall(SYS_execveat, fd, argv[3], argv + 4, environ, 0);
		return fail("execveat");
	}
	if (!strcmp(mode, "fexecve") && argc >= 4) {
		fd = open_or_exit(argv[2], O_RDONLY);
		fexecve(fd, argv + 3, environ);
		return fail("fexecve");
	}
	if (!strcmp(mode, "opath") && argc >= 4) {
		fd = open_or_exit(argv[2], O_PATH);
		syscall(SYS_execveat, fd, "", argv + 3, environ, AT_EMPTY_PATH);
		return fail("execveat O_PATH");
	}
	if (!strcmp(mode, "procfd") && argc >= 4)
		return exec_fd_path("/proc/self/fd/%d", open_or_exit(argv[2], O_RDONLY), argv + 3);
	if (!strcmp(mode, "devfd") && argc >= 4)
		return exec_fd_path("/dev/fd/%d", open_or_exit(argv[2], O_RDONLY), argv + 3);
	if (!strcmp(mode, "memfd") && argc >= 5) {
		int src = open_or_exit(argv[3], O_RDONLY);
		struct stat st;

		fd = memfd_create(argv[2], 0);
		if (fd < 0)
			return fail("memfd_create");
		if (fstat(src, &st) || sendfile(fd, src, NULL, st.st_size) != st.st_size)
			return fail("copy to memfd");
		close(src);
		fexecve(fd, argv + 4, environ);
		return fail("fexecve memfd");
	}
	if (!strcmp(mode, "deleted") && argc >= 4) {
		fd = open_or_exit(argv[2], O_RDONLY);
		if (unlink(argv[2]))
			return fail("unlink");
		return exec_fd_path("/proc/self/fd/%d", fd, argv + 3);
	}
	if (!strcmp(mode, "deleted-at") && argc >= 4) {
		fd = open_or_exit(argv[2], O_RDONLY);
		if (unlink(argv[2]))
			return fail("unlink");
		syscall(SYS_execveat, fd, "", argv + 3, environ, AT_EMPTY_PATH);
		return fail("execveat deleted");
	}
	if (!strcmp(mode, "chroot") && argc >= 5) {
		if (chroot(argv[2]) || chdir("/"))
			return fail(argv[2]);
		execve(argv[3], argv + 4, environ);
		return fail(argv[3]);
	}
	if (!strcmp(mode, "unshare-mnt") && argc >= 4) {
		if (unshare(CLONE_NEWNS))
			return fail("unshare");
		execve(argv[2], argv + 3, environ);
		return fail(argv[2]);
	}
	if (!strcmp(mode, "pivot-root") && argc >= 5) {
		/* No propagation back to the host; DIR must be a mount for pivot_root(2). */
		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount(argv[2], argv[2], NULL, MS_BIND, NULL) || chdir(argv[2]))
			return fail("new mount namespace");
		if ((mkdir(".old", 0700) && errno != EEXIST) ||
		    syscall(SYS_pivot_root, ".", ".old") || chdir("/") ||
		    umount2("/.old", MNT_DETACH))
			return fail("pivot_root");
		execve(argv[3], argv + 4, environ);
		return fail(argv[3]);
	}
	fprintf(stderr, "ewpath: bad arguments (see the source)\n");
	return 2;
}
