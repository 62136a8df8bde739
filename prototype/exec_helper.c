// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The exec variants of check.sh, one per mode. Each ends in an exec that
 * keeps this process's pid, so check.sh finds the record by pid.
 *
 *	exec_helper chdir-exec DIR PATH	chdir(DIR), execve(PATH) (PATH as given)
 *	exec_helper execveat DIR NAME	execveat(open(DIR), NAME)
 *	exec_helper fexecve FILE	fexecve(open(FILE, O_RDONLY))
 *	exec_helper opath FILE		execveat(open(FILE, O_PATH), "", AT_EMPTY_PATH)
 *	exec_helper procfd FILE		execve("/proc/self/fd/N")
 *	exec_helper devfd FILE		execve("/dev/fd/N")
 *	exec_helper memfd NAME FILE	copy FILE into memfd_create(NAME), fexecve it
 *	exec_helper deleted FILE	open FILE, unlink it, execve("/proc/self/fd/N")
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static int die(const char *what)
{
	perror(what);
	return 127;
}

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0) {
		perror(path);
		exit(127);
	}
	return fd;
}

static int exec_fd_path(const char *fmt, int fd, char **argv)
{
	char path[64];

	snprintf(path, sizeof(path), fmt, fd);
	execve(path, argv, environ);
	return die(path);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	char *args[] = { "prog", NULL };
	int fd;

	if (!strcmp(mode, "chdir-exec") && argc == 4) {
		if (chdir(argv[2]))
			return die(argv[2]);
		args[0] = argv[3];
		execve(argv[3], args, environ);
		return die(argv[3]);
	}
	if (!strcmp(mode, "execveat") && argc == 4) {
		fd = open_or_die(argv[2], O_RDONLY | O_DIRECTORY);
		syscall(SYS_execveat, fd, argv[3], args, environ, 0);
		return die("execveat");
	}
	if (!strcmp(mode, "fexecve") && argc == 3) {
		fd = open_or_die(argv[2], O_RDONLY);
		fexecve(fd, args, environ);
		return die("fexecve");
	}
	if (!strcmp(mode, "opath") && argc == 3) {
		fd = open_or_die(argv[2], O_PATH);
		syscall(SYS_execveat, fd, "", args, environ, AT_EMPTY_PATH);
		return die("execveat O_PATH");
	}
	if (!strcmp(mode, "procfd") && argc == 3)
		return exec_fd_path("/proc/self/fd/%d", open_or_die(argv[2], O_RDONLY), args);
	if (!strcmp(mode, "devfd") && argc == 3)
		return exec_fd_path("/dev/fd/%d", open_or_die(argv[2], O_RDONLY), args);
	if (!strcmp(mode, "memfd") && argc == 4) {
		int src = open_or_die(argv[3], O_RDONLY);
		struct stat st;

		fd = memfd_create(argv[2], 0);
		if (fd < 0)
			return die("memfd_create");
		if (fstat(src, &st) || sendfile(fd, src, NULL, st.st_size) != st.st_size)
			return die("copy to memfd");
		close(src);
		fexecve(fd, args, environ);
		return die("fexecve memfd");
	}
	if (!strcmp(mode, "deleted") && argc == 3) {
		fd = open_or_die(argv[2], O_RDONLY);
		if (unlink(argv[2]))
			return die("unlink");
		return exec_fd_path("/proc/self/fd/%d", fd, args);
	}
	fprintf(stderr, "exec_helper: bad arguments (see the source)\n");
	return 2;
}
