// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Exec storm for bench.sh: `storm N PROG` runs PROG N times, one at a time
 * (vfork + execve + wait), and prints the execs per second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	long n;

	if (argc != 3) {
		fprintf(stderr, "usage: storm N PROG\n");
		return 2;
	}
	n = atol(argv[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		char *args[] = { argv[2], NULL };
		char *env[] = { NULL };
		int status;
		pid_t pid = vfork();

		if (pid < 0) {
			perror("vfork");
			return 1;
		}
		if (pid == 0) {
			execve(argv[2], args, env);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "storm: %s failed\n", argv[2]);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%ld execs in %.3f s\n", n,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
