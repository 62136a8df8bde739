// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * securityfs, read without changing the system (see secfs.h). Many systems
 * do not mount it. Mounting it on the host would leave a mount behind that
 * the administrator did not ask for, so the fallback is a child that
 * unshares its mount namespace, makes it private (no mount propagates
 * back), mounts securityfs there and sends what it read through a pipe;
 * the namespace and the mount vanish with the child.
 */
#include "secfs.h"
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

/* Both files from a mounted securityfs; "none [integrity] confidentiality" -> "integrity". */
static void read_mounted(struct secfs_state *st)
{
	char *from, *to;

	st->err = readfile_first_line(SECFS_PATH "/lsm", st->lsm, sizeof(st->lsm));
	if (st->err)
		return;
	readfile_first_line(SECFS_PATH "/lockdown", st->lockdown, sizeof(st->lockdown));
	from = strchr(st->lockdown, '[');
	to = from ? strchr(from, ']') : NULL;
	if (from && to) {
		memmove(st->lockdown, from + 1, (size_t)(to - from - 1));
		st->lockdown[to - from - 1] = '\0';
	}
}

/*
 * The child: no stdio and no malloc between fork() and _exit() (the parent
 * may hold their locks). The state goes back whole: same binary, same layout,
 * and one write of less than PIPE_BUF bytes arrives whole.
 */
static _Noreturn void child(int fd)
{
	struct secfs_state st = { .err = 0 };

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("securityfs", SECFS_PATH, "securityfs", MS_NOSUID | MS_NODEV, NULL))
		st.err = -errno;
	else
		read_mounted(&st);
	_exit(write(fd, &st, sizeof(st)) == (ssize_t)sizeof(st) ? 0 : 1);
}

_Static_assert(sizeof(struct secfs_state) < PIPE_BUF, "one atomic pipe write");

int secfs_read(struct secfs_state *st)
{
	struct secfs_state got;
	int pipefd[2], err;
	ssize_t n;
	pid_t pid;

	memset(st, 0, sizeof(*st));
	read_mounted(st);
	if (st->err != -ENOENT)
		return st->err;
	if (pipe2(pipefd, O_CLOEXEC))
		return st->err = -errno;
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		child(pipefd[1]);
	}
	err = pid < 0 ? -errno : 0;
	close(pipefd[1]);
	if (err) {
		close(pipefd[0]);
		return st->err = err;
	}
	do
		n = read(pipefd[0], &got, sizeof(got));
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	/* A child that died before its write leaves the state unknown. */
	if (n == (ssize_t)sizeof(got))
		*st = got;
	else
		st->err = -EIO;
	return st->err;
}

bool secfs_lsm_active(const struct secfs_state *st, const char *name)
{
	size_t len = strlen(name);
	const char *p = st->lsm;

	if (!len)
		return false;
	/* Entries are separated by commas: "lockdown,capability,bpf". */
	while ((p = strstr(p, name))) {
		if ((p == st->lsm || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
			return true;
		p += len;
	}
	return false;
}
