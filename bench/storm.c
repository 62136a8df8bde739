// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * storm: the benchmark's exec-storm generator. It makes execs as fast as the
 * machine allows, each with a unique marker argument MARKER-<i>, so that the
 * driver (bench/run) can measure the exec rate with and without a tracer and
 * then count which markers the tracer's output holds (completeness).
 *
 * The cost being measured is the exec itself, so the target should be the
 * cheapest program there is (build/progs/noop). Workers are processes, not
 * threads: posix_spawn and vfork in threads of one process would contend on
 * that process's mm and measure that instead. Worker w makes the execs with
 * indices w, w + W, w + 2W, ...: in count mode the markers are exactly
 * 0..count-1, in duration mode the per-worker counts printed tell which.
 *
 * A second mode measures latency: single execs at a low rate, each timed
 * from just before the exec until its marker appears in a file that a
 * tracer writes (inotify wakes us on each write).
 *
 * The result is one JSON object on stdout, for the driver to parse.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LONG_ARGS 64
#define LONG_ARG_BYTES 100 /* with the NUL */
#define MARKER_MAX 128
#define LATENCY_MAX 100000

enum mode { MODE_SPAWN, MODE_VFORK };

struct opts {
	enum mode mode;
	long workers;
	long count; /* 0: no limit */
	double duration_s; /* 0: no limit */
	const char *marker;
	bool long_argv;
	const char *latency_file; /* latency mode when set */
	long interval_ms;
	long timeout_ms;
	long syscalls; /* syscall-cost mode when > 0 */
	char *prog;
};

struct worker_result {
	long execs;
	long failed;
	int error; /* errno of a spawn that could not start, 0 if none */
};

/* A fixed, small environment: the exec cost must not depend on the caller's. */
static char *child_envp[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
static char long_args[LONG_ARGS][LONG_ARG_BYTES];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: storm [OPTION]... PROGRAM\n"
		"       storm --syscalls N\n"
		"Exec PROGRAM MARKER-<i> as fast as possible and print the rate as JSON.\n"
		"\n"
		"  -m, --mode spawn|vfork   how each exec is made (default spawn: posix_spawn)\n"
		"  -w, --workers N          worker processes (default 2)\n"
		"  -n, --count N            total execs (default 10000 unless --duration)\n"
		"  -d, --duration SECONDS   stop after SECONDS (with --count: whichever first)\n"
		"  -k, --marker M           marker prefix (default storm<pid>)\n"
		"  -l, --long-argv          add %d arguments of %d bytes after the marker\n"
		"  -L, --latency FILE       latency mode: --count single execs (default 20),\n"
		"                           each timed until M-<i> appears in FILE\n"
		"  -i, --interval-ms MS     latency mode: time between execs (default 200)\n"
		"  -t, --timeout-ms MS      latency mode: give up on one exec after MS (default 2000)\n"
		"  -s, --syscalls N         no execs: time N getppid() calls in this process, print\n"
		"                           the median ns per call of 5 rounds (what a tracer\n"
		"                           costs syscalls that are not execs)\n"
		"  -h, --help               show this help\n",
		LONG_ARGS, LONG_ARG_BYTES);
}

static int parse_long(const char *s, long min, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min)
		return -1;
	*out = v;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "workers", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "marker", required_argument, NULL, 'k' },
		{ "long-argv", no_argument, NULL, 'l' },
		{ "latency", required_argument, NULL, 'L' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "syscalls", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static char default_marker[32];
	bool count_set = false;
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->mode = MODE_SPAWN;
	o->workers = 2;
	o->interval_ms = 200;
	o->timeout_ms = 2000;
	while ((c = getopt_long(argc, argv, "m:w:n:d:k:lL:i:t:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "spawn"))
				o->mode = MODE_SPAWN;
			else if (!strcmp(optarg, "vfork"))
				o->mode = MODE_VFORK;
			else
				return -1;
			break;
		case 'w':
			if (parse_long(optarg, 1, &o->workers) || o->workers > 4096)
				return -1;
			break;
		case 'n':
			if (parse_long(optarg, 1, &o->count))
				return -1;
			count_set = true;
			break;
		case 'd':
			errno = 0;
			o->duration_s = strtod(optarg, &end);
			if (errno || end == optarg || *end || o->duration_s <= 0)
				return -1;
			break;
		case 'k':
			if (!*optarg || strlen(optarg) > MARKER_MAX - 24)
				return -1;
			o->marker = optarg;
			break;
		case 'l':
			o->long_argv = true;
			break;
		case 'L':
			o->latency_file = optarg;
			break;
		case 'i':
			if (parse_long(optarg, 0, &o->interval_ms))
				return -1;
			break;
		case 't':
			if (parse_long(optarg, 1, &o->timeout_ms))
				return -1;
			break;
		case 's':
			if (parse_long(optarg, 1, &o->syscalls))
				return -1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (o->syscalls)
		return optind == argc ? 0 : -1;
	if (optind != argc - 1)
		return -1;
	o->prog = argv[optind];
	if (!o->marker) {
		snprintf(default_marker, sizeof(default_marker), "storm%d", (int)getpid());
		o->marker = default_marker;
	}
	if (!count_set && (o->latency_file || !o->duration_s))
		o->count = o->latency_file ? 20 : 10000;
	if (o->latency_file && o->count > LATENCY_MAX)
		return -1;
	return 0;
}

/* argv for one exec: PROGRAM MARKER-<i> [64 long arguments]. */
static void build_argv(const struct opts *o, char **argv, char *marker_buf)
{
	int n = 0, k;

	argv[n++] = o->prog;
	argv[n++] = marker_buf;
	if (o->long_argv)
		for (k = 0; k < LONG_ARGS; k++)
			argv[n++] = long_args[k];
	argv[n] = NULL;
}

/*
 * vfork in a function of its own with nothing live across it: the child
 * shares our stack until it execs, and the compiler must not keep state in
 * registers that the child could clobber.
 */
static __attribute__((noinline)) int vfork_exec(const char *path, char *const argv[], pid_t *out)
{
	pid_t pid = vfork();

	if (pid == 0) {
		execve(path, argv, child_envp);
		_exit(127);
	}
	if (pid < 0)
		return errno;
	*out = pid;
	return 0;
}

/* Start one exec and reap it; returns 0 if it ran (its status in *ok). */
static int exec_one(const struct opts *o, char **argv, bool *ok)
{
	pid_t pid;
	int err, status;

	if (o->mode == MODE_SPAWN)
		err = posix_spawn(&pid, o->prog, NULL, NULL, argv, child_envp);
	else
		err = vfork_exec(o->prog, argv, &pid);
	if (err)
		return err;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return errno;
	*ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	return 0;
}

static void run_worker(const struct opts *o, long w, uint64_t deadline, struct worker_result *res)
{
	char *argv[LONG_ARGS + 3];
	char marker_buf[MARKER_MAX];
	long j;

	build_argv(o, argv, marker_buf);
	for (j = 0;; j++) {
		long i = w + j * o->workers;
		bool ok = false;
		int err;

		if (o->count && i >= o->count)
			break;
		if (deadline && now_ns() >= deadline)
			break;
		snprintf(marker_buf, sizeof(marker_buf), "%s-%ld", o->marker, i);
		err = exec_one(o, argv, &ok);
		if (err) {
			res->error = err;
			break;
		}
		res->execs++;
		if (!ok)
			res->failed++;
	}
}

static int run_storm(const struct opts *o)
{
	struct worker_result *res;
	long w, execs = 0, failed = 0;
	uint64_t t0, t1, deadline = 0;
	int gate[2], err = 0;
	pid_t *pids;

	res = mmap(NULL, sizeof(*res) * (size_t)o->workers, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pids = calloc((size_t)o->workers, sizeof(*pids));
	if (res == MAP_FAILED || !pids || pipe(gate)) {
		perror("storm: setup");
		return 1;
	}
	/* Fork every worker first, then open the gate: all start together. */
	for (w = 0; w < o->workers; w++) {
		pids[w] = fork();
		if (pids[w] < 0) {
			perror("storm: fork");
			return 1;
		}
		if (pids[w] == 0) {
			char byte;

			close(gate[1]);
			while (read(gate[0], &byte, 1) < 0 && errno == EINTR)
				;
			if (o->duration_s)
				deadline = now_ns() + (uint64_t)(o->duration_s * 1e9);
			run_worker(o, w, deadline, &res[w]);
			_exit(0);
		}
	}
	close(gate[0]);
	t0 = now_ns();
	close(gate[1]);
	for (w = 0; w < o->workers; w++) {
		int status;

		while (waitpid(pids[w], &status, 0) < 0) {
			if (errno != EINTR) {
				perror("storm: waitpid");
				return 1;
			}
		}
	}
	t1 = now_ns();

	for (w = 0; w < o->workers; w++) {
		execs += res[w].execs;
		failed += res[w].failed;
		if (res[w].error && !err)
			err = res[w].error;
	}
	double secs = (double)(t1 - t0) / 1e9;
	printf("{\"mode\":\"%s\",\"workers\":%ld,\"long_argv\":%s,\"marker\":\"%s\","
	       "\"count_requested\":%ld,\"duration_requested\":%.3f,\"execs\":%ld,"
	       "\"failed\":%ld,\"seconds\":%.6f,\"execs_per_sec\":%.1f,\"error\":\"%s\","
	       "\"per_worker\":[",
	       o->mode == MODE_SPAWN ? "spawn" : "vfork", o->workers,
	       o->long_argv ? "true" : "false", o->marker, o->count, o->duration_s, execs, failed,
	       secs, secs > 0 ? (double)execs / secs : 0.0, err ? strerror(err) : "");
	for (w = 0; w < o->workers; w++)
		printf("%s%ld", w ? "," : "", res[w].execs);
	printf("]}\n");
	if (err)
		fprintf(stderr, "storm: exec could not start: %s\n", strerror(err));
	return err || failed ? 1 : 0;
}

/*
 * Tail of a growing file, searched for one needle at a time. The last
 * needle-length bytes are kept between reads, so a marker split across two
 * reads, or one whose following byte has not been written yet, is found on
 * the next read. A match must not be followed by a digit: M-1 is not M-10.
 */
struct tail {
	int fd;
	char *buf;
	size_t len, cap;
};

static bool tail_find(struct tail *t, const char *needle)
{
	size_t nlen = strlen(needle);

	for (;;) {
		ssize_t n;

		if (t->cap - t->len < 65536) {
			t->cap = t->len + 65536;
			t->buf = realloc(t->buf, t->cap);
			if (!t->buf)
				abort();
		}
		n = read(t->fd, t->buf + t->len, t->cap - t->len);
		if (n <= 0)
			break;
		t->len += (size_t)n;
	}
	for (size_t off = 0; off + nlen <= t->len;) {
		char *hit = memmem(t->buf + off, t->len - off, needle, nlen);
		size_t end;

		if (!hit)
			break;
		end = (size_t)(hit - t->buf) + nlen;
		if (end == t->len)
			break; /* the next byte decides; wait for it */
		if (t->buf[end] < '0' || t->buf[end] > '9') {
			memmove(t->buf, t->buf + end, t->len - end);
			t->len -= end;
			return true;
		}
		off = end;
	}
	if (t->len > nlen) {
		memmove(t->buf, t->buf + t->len - nlen, nlen);
		t->len = nlen;
	}
	return false;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int run_latency(const struct opts *o)
{
	char *argv[LONG_ARGS + 3];
	char marker_buf[MARKER_MAX];
	struct tail t = { .fd = -1 };
	double *lat, *sorted, max = 0, med = 0;
	long i, missed = 0, found = 0;
	int ino;

	lat = calloc((size_t)o->count, sizeof(*lat));
	sorted = calloc((size_t)o->count, sizeof(*sorted));
	t.fd = open(o->latency_file, O_RDONLY | O_CLOEXEC);
	ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (!lat || !sorted || t.fd < 0 || ino < 0 ||
	    inotify_add_watch(ino, o->latency_file, IN_MODIFY) < 0) {
		perror("storm: latency setup");
		return 1;
	}
	/* Only what is written from now on counts. */
	lseek(t.fd, 0, SEEK_END);
	build_argv(o, argv, marker_buf);
	for (i = 0; i < o->count; i++) {
		uint64_t t0 = now_ns(), limit = t0 + (uint64_t)o->timeout_ms * 1000000ULL, t1;
		bool ok = false, seen;
		int err;

		snprintf(marker_buf, sizeof(marker_buf), "%s-%ld", o->marker, i);
		err = exec_one(o, argv, &ok);
		if (err) {
			fprintf(stderr, "storm: exec could not start: %s\n", strerror(err));
			return 1;
		}
		while (!(seen = tail_find(&t, marker_buf)) && now_ns() < limit) {
			struct pollfd pfd = { .fd = ino, .events = POLLIN };
			char evbuf[4096];
			int wait_ms = (int)((limit - now_ns()) / 1000000ULL) + 1;

			/* inotify wakes us on a write; the cap covers a missed event. */
			if (wait_ms > 10)
				wait_ms = 10;
			if (poll(&pfd, 1, wait_ms) > 0)
				while (read(ino, evbuf, sizeof(evbuf)) > 0)
					;
		}
		t1 = now_ns();
		if (seen) {
			lat[found++] = (double)(t1 - t0) / 1e6;
		} else {
			missed++;
		}
		/* Pace from this exec's start, so the rate stays low and fixed. */
		uint64_t next = t0 + (uint64_t)o->interval_ms * 1000000ULL;
		uint64_t now = now_ns();

		if (next > now) {
			struct timespec ts = { .tv_sec = (time_t)((next - now) / 1000000000ULL),
					       .tv_nsec = (long)((next - now) % 1000000000ULL) };

			while (nanosleep(&ts, &ts) && errno == EINTR)
				;
		}
	}

	memcpy(sorted, lat, sizeof(*lat) * (size_t)found);
	qsort(sorted, (size_t)found, sizeof(*sorted), cmp_double);
	if (found) {
		max = sorted[found - 1];
		med = found % 2 ? sorted[found / 2] :
				  (sorted[found / 2 - 1] + sorted[found / 2]) / 2;
	}
	printf("{\"marker\":\"%s\",\"execs\":%ld,\"found\":%ld,\"missed\":%ld,"
	       "\"timeout_ms\":%ld,\"interval_ms\":%ld,\"median_ms\":%.3f,\"max_ms\":%.3f,"
	       "\"latency_ms\":[",
	       o->marker, o->count, found, missed, o->timeout_ms, o->interval_ms, med, max);
	for (i = 0; i < found; i++)
		printf("%s%.3f", i ? "," : "", lat[i]);
	printf("]}\n");
	free(t.buf);
	free(lat);
	free(sorted);
	return 0;
}

/*
 * The cost of a syscall that is not an exec: N getppid() calls (never
 * cached by libc when made through syscall()), 5 rounds, the median. A
 * syscalls/ tracepoint puts every syscall of every task on the tracing slow
 * path, whichever syscall it is for; an fentry program on execve does not.
 */
static int run_syscalls(const struct opts *o)
{
	double ns[5], sorted[5];
	int r;

	for (r = 0; r < 5; r++) {
		uint64_t t0 = now_ns();
		long i;

		for (i = 0; i < o->syscalls; i++)
			syscall(SYS_getppid);
		ns[r] = (double)(now_ns() - t0) / (double)o->syscalls;
	}
	memcpy(sorted, ns, sizeof(ns));
	qsort(sorted, 5, sizeof(*sorted), cmp_double);
	printf("{\"syscalls\":%ld,\"rounds\":5,\"ns_per_syscall\":%.1f,\"ns_rounds\":[%.1f,%.1f,"
	       "%.1f,%.1f,%.1f]}\n",
	       o->syscalls, sorted[2], ns[0], ns[1], ns[2], ns[3], ns[4]);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	int k;

	if (parse_opts(argc, argv, &o)) {
		usage(stderr);
		return 2;
	}
	for (k = 0; k < LONG_ARGS; k++) {
		memset(long_args[k], 'a' + k % 26, LONG_ARG_BYTES - 1);
		long_args[k][LONG_ARG_BYTES - 1] = '\0';
	}
	/* Workers' output must not be duplicated from an unflushed buffer. */
	fflush(stdout);
	if (o.syscalls)
		return run_syscalls(&o);
	return o.latency_file ? run_latency(&o) : run_storm(&o);
}
