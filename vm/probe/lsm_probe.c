// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * lsm-probe: what the running kernel allows of BPF LSM and fentry, measured
 * rather than guessed (issue 6: `deny` needs BPF LSM; execwatch must say at
 * start-up what it can honour). Each program is loaded and attached on its
 * own, then an exec is made to see whether it really runs:
 *
 *   lsm-probe FILE OTHER   FILE: exec must fail with EPERM while the LSM
 *                          program is attached; OTHER: must still run.
 *
 * Prints one `key: value` line per finding (the VM's lsm tests turn them into
 * TAP lines) and libbpf's messages (the verifier log on a refusal) prefixed
 * with `libbpf: `. Exit status 0 when every probe worked, 1 otherwise.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "lsm_probe.skel.h"

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	fputs("libbpf: ", stdout);
	return vfprintf(stdout, fmt, args);
}

/* fork + execve PATH; returns 0 if it ran and exited 0, else the errno. */
static int try_exec(const char *path)
{
	int pipefd[2], status, err = 0;
	pid_t pid;

	if (pipe(pipefd))
		return errno;
	pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		char *argv[] = { (char *)path, NULL };

		close(pipefd[0]);
		execve(path, argv, (char *[]){ NULL });
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	if (!err && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		err = ECHILD;
	return err;
}

static const char *errname(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case EPERM:
		return "EPERM";
	case EACCES:
		return "EACCES";
	case ENOENT:
		return "ENOENT";
	default:
		return strerror(err);
	}
}

static int probe_lsm(const char *denied, const char *allowed)
{
	struct lsm_probe_bpf *skel;
	struct bpf_link *link;
	struct stat st;
	int err, denied_err, allowed_err, ok = 0;

	if (stat(denied, &st)) {
		printf("lsm_error: stat %s: %s\n", denied, strerror(errno));
		return 1;
	}
	skel = lsm_probe_bpf__open();
	if (!skel) {
		printf("lsm_load: failed (open: %s)\n", strerror(errno));
		return 1;
	}
	bpf_program__set_autoload(skel->progs.count_bprm, false);
	skel->rodata->target_ino = st.st_ino;
	/* The kernel's dev_t is major << 20 | minor; user space's differs. */
	skel->rodata->target_dev = (major(st.st_dev) << 20) | minor(st.st_dev);
	err = lsm_probe_bpf__load(skel);
	if (err) {
		printf("lsm_load: failed (%s)\n", strerror(-err));
		goto out;
	}
	printf("lsm_load: ok\n");
	link = bpf_program__attach_lsm(skel->progs.deny_exec);
	if (!link) {
		printf("lsm_attach: failed (%s)\n", strerror(errno));
		goto out;
	}
	printf("lsm_attach: ok\n");
	denied_err = try_exec(denied);
	allowed_err = try_exec(allowed);
	printf("lsm_calls: %llu\n", (unsigned long long)skel->bss->lsm_calls);
	printf("lsm_runs: %s\n", skel->bss->lsm_calls ? "yes" : "no");
	printf("lsm_deny: %s\n", errname(denied_err));
	printf("lsm_allow: %s\n", errname(allowed_err));
	bpf_link__destroy(link);
	printf("lsm_after_detach: %s\n", errname(try_exec(denied)));
	ok = skel->bss->lsm_calls && denied_err == EPERM && allowed_err == 0;
out:
	lsm_probe_bpf__destroy(skel);
	return !ok;
}

static int probe_fentry(const char *allowed)
{
	struct lsm_probe_bpf *skel;
	struct bpf_link *link;
	int err, ok = 0;

	skel = lsm_probe_bpf__open();
	if (!skel) {
		printf("fentry_load: failed (open: %s)\n", strerror(errno));
		return 1;
	}
	bpf_program__set_autoload(skel->progs.deny_exec, false);
	err = lsm_probe_bpf__load(skel);
	if (err) {
		printf("fentry_load: failed (%s)\n", strerror(-err));
		goto out;
	}
	printf("fentry_load: ok\n");
	link = bpf_program__attach(skel->progs.count_bprm);
	if (!link) {
		printf("fentry_attach: failed (%s)\n", strerror(errno));
		goto out;
	}
	printf("fentry_attach: ok\n");
	try_exec(allowed);
	bpf_link__destroy(link);
	printf("fentry_calls: %llu\n", (unsigned long long)skel->bss->fentry_calls);
	printf("fentry_runs: %s\n", skel->bss->fentry_calls ? "yes" : "no");
	ok = skel->bss->fentry_calls > 0;
out:
	lsm_probe_bpf__destroy(skel);
	return !ok;
}

int main(int argc, char **argv)
{
	int failed = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: lsm-probe FILE-TO-DENY FILE-TO-ALLOW\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(print_libbpf);
	failed |= probe_lsm(argv[1], argv[2]);
	failed |= probe_fentry(argv[2]);
	return failed;
}
