// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/proctable.c, the pid -> (start time, executable) table
 * that names the program in exit records.
 *
 * Exec, lookup and exit round trips; a reused pid (same pid, another start
 * time) never returns the old executable; an exit with a stale start time
 * never evicts the newer process; pid 0 is ignored; NULL tables are
 * harmless. The bound: at max_entries a new process is counted as an
 * overflow and not added, while known processes still update. Churn: a
 * million exec/exit pairs through a small table, with long-lived entries and
 * a sliding window of live short-lived ones (whose exits must give their
 * buffers to the next execs: no allocation per process), and a random operation sequence
 * checked against a simple reference model. Seeding from /proc: a fake proc
 * root in a temporary directory (a comm with spaces and ')', distinct values
 * in every stat field so an off-by-one field is caught, an exe symlink, a
 * kernel-thread style directory without exe, non-numeric names, a missing
 * and a malformed stat), coarse entries matching by clock tick
 * (start_ns / (1e9 / sysconf(_SC_CLK_TCK))), and the real /proc for this
 * process. Scenarios that may crash or hang run in a child process, so one
 * failure fails one test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "proctable.h"

static uint64_t ns_per_tick(void)
{
	long ticks = sysconf(_SC_CLK_TCK);

	assert_true(ticks > 0);
	return 1000000000ULL / (uint64_t)ticks;
}

/* The table of the running test, freed by the teardown if an assert ended it early. */
static struct proctable *current;

static struct proctable *new_table(size_t max_entries)
{
	struct proctable *t = (struct proctable *)0x1;

	assert_int_equal(proctable__new(&t, max_entries), 0);
	assert_non_null(t);
	assert_null(current);
	current = t;
	assert_int_equal(proctable__size(t), 0);
	assert_int_equal(proctable__overflows(t), 0);
	return t;
}

static void free_table(struct proctable *t)
{
	assert_ptr_equal(t, current);
	proctable__free(t);
	current = NULL;
}

static int free_leftover(void **state)
{
	(void)state;
	proctable__free(current);
	current = NULL;
	return 0;
}

static void exec_str(struct proctable *t, uint32_t pid, uint64_t start, const char *filename)
{
	proctable__exec(t, pid, start, filename, strlen(filename));
}

/* exe of (pid, start) is want (NULL: unknown). */
static void expect_exe(const struct proctable *t, uint32_t pid, uint64_t start, const char *want)
{
	const char *got = proctable__exe(t, pid, start);

	if (!want && got)
		fail_msg("pid %u start %llu: got \"%s\", want unknown", pid,
			 (unsigned long long)start, got);
	if (want && !got)
		fail_msg("pid %u start %llu: unknown, want \"%s\"", pid, (unsigned long long)start,
			 want);
	if (want && strcmp(got, want))
		fail_msg("pid %u start %llu: got \"%s\", want \"%s\"", pid,
			 (unsigned long long)start, got, want);
}

/* Run fn in a child with an alarm; the test fails unless it exits 0. */
static void run_in_child(void (*fn)(void), unsigned int seconds)
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(seconds);
		fn();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("child killed by signal %d%s", WTERMSIG(status),
			 WTERMSIG(status) == SIGALRM ? " (hung)" : "");
	if (WEXITSTATUS(status) != 0)
		fail_msg("child exited with %d (see the report above)", WEXITSTATUS(status));
}

static void test_new_empty(void **state)
{
	struct proctable *t = new_table(8);

	(void)state;
	expect_exe(t, 1, 0, NULL);
	expect_exe(t, 4242, 123, NULL);
	proctable__exit(t, 4242, 123);
	assert_int_equal(proctable__size(t), 0);
	free_table(t);
}

static void test_round_trip(void **state)
{
	struct proctable *t = new_table(8);
	char name[] = "/usr/bin/lsXYZ";

	(void)state;
	/* The length is explicit: the bytes after it are not part of the name. */
	proctable__exec(t, 4242, 1000, name, 11);
	assert_int_equal(proctable__size(t), 1);
	expect_exe(t, 4242, 1000, "/usr/bin/ls");
	/* The table keeps its own copy. */
	memset(name, 'x', sizeof(name) - 1);
	expect_exe(t, 4242, 1000, "/usr/bin/ls");
	/* Other pids and other starts are unknown. */
	expect_exe(t, 4243, 1000, NULL);
	expect_exe(t, 4242, 999, NULL);
	expect_exe(t, 4242, 1001, NULL);
	expect_exe(t, 4242, 0, NULL);

	proctable__exit(t, 4242, 1000);
	assert_int_equal(proctable__size(t), 0);
	expect_exe(t, 4242, 1000, NULL);
	/* A second exit of the same process changes nothing (no underflow). */
	proctable__exit(t, 4242, 1000);
	assert_int_equal(proctable__size(t), 0);
	exec_str(t, 7, 70, "/bin/a");
	assert_int_equal(proctable__size(t), 1);
	proctable__exit(t, 4242, 1000);
	assert_int_equal(proctable__size(t), 1);
	expect_exe(t, 7, 70, "/bin/a");

	/* Known again after a new exec. */
	exec_str(t, 4242, 1000, "/bin/sh");
	expect_exe(t, 4242, 1000, "/bin/sh");
	assert_int_equal(proctable__size(t), 2);
	assert_int_equal(proctable__overflows(t), 0);
	free_table(t);
}

/* A second exec of the same process replaces what it ran. */
static void test_exec_replaces(void **state)
{
	struct proctable *t = new_table(8);

	(void)state;
	exec_str(t, 100, 5000, "/bin/sh");
	exec_str(t, 100, 5000, "/usr/bin/python3");
	assert_int_equal(proctable__size(t), 1);
	expect_exe(t, 100, 5000, "/usr/bin/python3");
	/* Names of any length, also empty, and the exact bytes. */
	exec_str(t, 100, 5000, "/a/much/longer/path/than/before/to/make/sure/it/reallocates");
	expect_exe(t, 100, 5000, "/a/much/longer/path/than/before/to/make/sure/it/reallocates");
	exec_str(t, 100, 5000, "/tmp/\xff\n\"x");
	expect_exe(t, 100, 5000, "/tmp/\xff\n\"x");
	assert_int_equal(proctable__size(t), 1);
	free_table(t);
}

/* A reused pid never inherits the old process's executable. */
static void test_pid_reuse(void **state)
{
	struct proctable *t = new_table(8);

	(void)state;
	exec_str(t, 300, 1000, "/old");
	/* The new process with that pid, not yet exec'd: unknown. */
	expect_exe(t, 300, 2000, NULL);
	exec_str(t, 300, 2000, "/new");
	assert_int_equal(proctable__size(t), 1);
	expect_exe(t, 300, 2000, "/new");
	expect_exe(t, 300, 1000, NULL);
	/* Starts a nanosecond apart are different processes. */
	expect_exe(t, 300, 2001, NULL);
	expect_exe(t, 300, 1999, NULL);
	/* A start time beyond 32 bits is compared whole. */
	exec_str(t, 300, (1ULL << 32) + 2000, "/big");
	expect_exe(t, 300, 2000, NULL);
	expect_exe(t, 300, (1ULL << 32) + 2000, "/big");
	exec_str(t, 300, UINT64_MAX, "/max");
	expect_exe(t, 300, UINT64_MAX, "/max");
	expect_exe(t, 300, UINT64_MAX - 1, NULL);
	assert_int_equal(proctable__size(t), 1);
	free_table(t);
}

/* The old process's exit, read after the new one's exec, must not evict it. */
static void test_stale_exit(void **state)
{
	struct proctable *t = new_table(8);

	(void)state;
	exec_str(t, 300, 1000, "/old");
	exec_str(t, 300, 2000, "/new");
	proctable__exit(t, 300, 1000);
	assert_int_equal(proctable__size(t), 1);
	expect_exe(t, 300, 2000, "/new");
	proctable__exit(t, 300, 0);
	proctable__exit(t, 300, 1999);
	proctable__exit(t, 300, 2001);
	proctable__exit(t, 300, 2000 + (1ULL << 32));
	assert_int_equal(proctable__size(t), 1);
	expect_exe(t, 300, 2000, "/new");
	proctable__exit(t, 300, 2000);
	assert_int_equal(proctable__size(t), 0);
	expect_exe(t, 300, 2000, NULL);
	free_table(t);
}

static void test_pid_zero_ignored(void **state)
{
	struct proctable *t = new_table(8);

	(void)state;
	exec_str(t, 0, 1000, "/swapper");
	assert_int_equal(proctable__size(t), 0);
	expect_exe(t, 0, 1000, NULL);
	proctable__exit(t, 0, 1000);
	assert_int_equal(proctable__size(t), 0);
	assert_int_equal(proctable__overflows(t), 0);
	/* The largest pid is an ordinary one. */
	exec_str(t, UINT32_MAX, 1, "/max");
	expect_exe(t, UINT32_MAX, 1, "/max");
	free_table(t);
}

/* Many entries at once, some exited in the middle of probe chains. */
static void test_many_entries(void **state)
{
	struct proctable *t = new_table(4096);
	char name[32];
	uint32_t pid;

	(void)state;
	for (pid = 1; pid <= 4096; pid++) {
		snprintf(name, sizeof(name), "/bin/p%u", pid);
		exec_str(t, pid * 7, pid, name);
	}
	assert_int_equal(proctable__size(t), 4096);
	assert_int_equal(proctable__overflows(t), 0);
	for (pid = 1; pid <= 4096; pid += 2)
		proctable__exit(t, pid * 7, pid);
	assert_int_equal(proctable__size(t), 2048);
	for (pid = 1; pid <= 4096; pid++) {
		snprintf(name, sizeof(name), "/bin/p%u", pid);
		expect_exe(t, pid * 7, pid, pid % 2 ? NULL : name);
	}
	free_table(t);
}

static void test_bound(void **state)
{
	struct proctable *t = new_table(4);

	(void)state;
	exec_str(t, 1, 10, "/1");
	exec_str(t, 2, 20, "/2");
	exec_str(t, 3, 30, "/3");
	exec_str(t, 4, 40, "/4");
	assert_int_equal(proctable__size(t), 4);
	assert_int_equal(proctable__overflows(t), 0);

	/* Full: a new process is counted, not added. */
	exec_str(t, 5, 50, "/5");
	assert_int_equal(proctable__size(t), 4);
	assert_int_equal(proctable__overflows(t), 1);
	expect_exe(t, 5, 50, NULL);
	exec_str(t, 6, 60, "/6");
	exec_str(t, 5, 50, "/5");
	assert_int_equal(proctable__overflows(t), 3);
	assert_int_equal(proctable__size(t), 4);

	/* Known processes still update while full, and are not overflows. */
	exec_str(t, 2, 20, "/2b");
	expect_exe(t, 2, 20, "/2b");
	/* A reused pid takes over its slot. */
	exec_str(t, 3, 31, "/3b");
	expect_exe(t, 3, 31, "/3b");
	expect_exe(t, 3, 30, NULL);
	assert_int_equal(proctable__overflows(t), 3);
	assert_int_equal(proctable__size(t), 4);
	expect_exe(t, 1, 10, "/1");
	expect_exe(t, 4, 40, "/4");

	/* An exit makes room. */
	proctable__exit(t, 1, 10);
	exec_str(t, 5, 50, "/5");
	expect_exe(t, 5, 50, "/5");
	assert_int_equal(proctable__size(t), 4);
	assert_int_equal(proctable__overflows(t), 3);
	free_table(t);
}

/* A table of no entries: every new process is an overflow. */
static void test_bound_zero(void **state)
{
	struct proctable *t = new_table(0);

	(void)state;
	exec_str(t, 1, 10, "/1");
	exec_str(t, 2, 20, "/2");
	assert_int_equal(proctable__size(t), 0);
	assert_int_equal(proctable__overflows(t), 2);
	expect_exe(t, 1, 10, NULL);
	free_table(t);
}

/* The bound is the bound, not a rounded-up slot count. */
static void test_bound_exact(void **state)
{
	static const size_t bounds[] = { 1, 7, 8, 9, 100, 1000 };
	size_t b, i;

	(void)state;
	for (b = 0; b < sizeof(bounds) / sizeof(bounds[0]); b++) {
		struct proctable *t = new_table(bounds[b]);

		for (i = 0; i < bounds[b] + 10; i++)
			exec_str(t, (uint32_t)(i + 1), i, "/x");
		assert_int_equal(proctable__size(t), bounds[b]);
		assert_int_equal(proctable__overflows(t), 10);
		for (i = 0; i < bounds[b] + 10; i++)
			expect_exe(t, (uint32_t)(i + 1), i, i < bounds[b] ? "/x" : NULL);
		free_table(t);
	}
}

/*
 * Churn: a million short-lived processes through a table of 64, with pids
 * wrapping around (reuse) and 16 of them alive at a time, next to 32
 * long-lived processes that must stay found the whole time.
 */
#define CHURN_PAIRS 1000000u
#define CHURN_WINDOW 16u
#define CHURN_LONG 32u

static void test_churn(void **state)
{
	struct proctable *t = new_table(64);
	uint32_t win_pid[CHURN_WINDOW];
	uint64_t win_start[CHURN_WINDOW];
	char name[32], want[32];
	uint32_t i, k, alive = 0;

	(void)state;
	for (k = 1; k <= CHURN_LONG; k++) {
		snprintf(name, sizeof(name), "/long/%u", k);
		exec_str(t, k, k * 1000ULL, name);
	}
	for (i = 0; i < CHURN_PAIRS; i++) {
		/* pids 100..32867 cycle: each is reused about 30 times. */
		uint32_t pid = 100 + (uint32_t)((i * 2654435761u) % 32768u);
		uint64_t start = 1000000000ULL + i;
		uint32_t slot = i % CHURN_WINDOW;

		if (alive == CHURN_WINDOW) {
			/* The oldest in the window exits first. */
			proctable__exit(t, win_pid[slot], win_start[slot]);
			expect_exe(t, win_pid[slot], win_start[slot], NULL);
			alive--;
		}
		/*
		 * Two processes in the window may share a pid only if one of them
		 * exited: skip a pid that is still alive (it would replace it).
		 */
		for (k = 0; k < alive; k++)
			if (win_pid[(slot + CHURN_WINDOW - 1 - k) % CHURN_WINDOW] == pid)
				break;
		if (k < alive || pid <= CHURN_LONG) {
			win_pid[slot] = 0;
			win_start[slot] = 0;
			alive++;
			continue;
		}
		snprintf(name, sizeof(name), "/churn/%u", i);
		exec_str(t, pid, start, name);
		win_pid[slot] = pid;
		win_start[slot] = start;
		alive++;
		expect_exe(t, pid, start, name);
		expect_exe(t, pid, start - 1, NULL);
		if (i % 4096 == 0) {
			for (k = 1; k <= CHURN_LONG; k++) {
				snprintf(want, sizeof(want), "/long/%u", k);
				expect_exe(t, k, k * 1000ULL, want);
			}
			assert_true(proctable__size(t) <= CHURN_LONG + CHURN_WINDOW);
		}
	}
	for (k = 1; k <= CHURN_LONG; k++) {
		snprintf(want, sizeof(want), "/long/%u", k);
		expect_exe(t, k, k * 1000ULL, want);
		proctable__exit(t, k, k * 1000ULL);
	}
	for (k = 0; k < CHURN_WINDOW; k++)
		if (win_pid[k])
			proctable__exit(t, win_pid[k], win_start[k]);
	assert_int_equal(proctable__size(t), 0);
	assert_int_equal(proctable__overflows(t), 0);
	/* Exits give their buffers to the next execs: no malloc per process. */
	if (proctable__allocations(t) > 4 * (CHURN_LONG + CHURN_WINDOW))
		fail_msg("%llu allocations for %u processes",
			 (unsigned long long)proctable__allocations(t), CHURN_PAIRS);
	free_table(t);
}

/* Churn exactly at the bound: full, one out, one in, a million times. */
static void test_churn_full(void **state)
{
	struct proctable *t = new_table(8);
	uint32_t i, k;

	(void)state;
	for (k = 1; k <= 8; k++)
		exec_str(t, k, k, "/resident");
	for (i = 0; i < CHURN_PAIRS; i++) {
		uint32_t pid = 1 + i % 8;
		uint64_t old = i < 8 ? pid : 1000ULL + i - 8;

		proctable__exit(t, pid, old);
		exec_str(t, pid, 1000ULL + i, i % 2 ? "/odd" : "/even");
		if (proctable__size(t) != 8)
			fail_msg("iteration %u: size %zu", i, proctable__size(t));
	}
	for (k = 0; k < 8; k++) {
		i = CHURN_PAIRS - 8 + k;
		expect_exe(t, 1 + i % 8, 1000ULL + i, i % 2 ? "/odd" : "/even");
	}
	/* Still never more than the bound. */
	exec_str(t, 99, 1, "/extra");
	assert_int_equal(proctable__size(t), 8);
	assert_int_equal(proctable__overflows(t), 1);
	free_table(t);
}

/*
 * Churn through a large table: a million processes with distinct pids, each
 * exiting right after its exec. Every exit leaves a deleted slot; unless
 * they are swept, they fill the table and each lookup of a new pid walks all
 * of it. Runs in a child with a generous alarm: it must complete, correct.
 */
static void churn_large(void)
{
	struct proctable *t = NULL;
	char name[32];
	uint32_t i;

	if (proctable__new(&t, 1 << 16))
		_exit(2);
	for (i = 0; i < 1000; i++)
		exec_str(t, 5000000 + i, i, "/resident");
	for (i = 0; i < CHURN_PAIRS; i++) {
		uint32_t pid = 1 + (uint32_t)((i * 2654435761u) % 4000000u);
		const char *got;

		snprintf(name, sizeof(name), "/c/%u", i);
		exec_str(t, pid, i, name);
		got = proctable__exe(t, pid, i);
		if (!got || strcmp(got, name))
			_exit(3);
		proctable__exit(t, pid, i);
		if (proctable__exe(t, pid, i))
			_exit(4);
	}
	for (i = 0; i < 1000; i++) {
		const char *got = proctable__exe(t, 5000000 + i, i);

		if (!got || strcmp(got, "/resident"))
			_exit(5);
	}
	if (proctable__size(t) != 1000 || proctable__overflows(t))
		_exit(6);
	/* The resident thousand, then the recycled buffers of one process at a time. */
	if (proctable__allocations(t) > 1000 + 16)
		_exit(7);
	proctable__free(t);
}

static void test_churn_large_table(void **state)
{
	(void)state;
	run_in_child(churn_large, 300);
}

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Random exec/exit/lookup against a reference model of the contract. */
#define MODEL_PIDS 48
#define MODEL_MAX 16

static void test_model(void **state)
{
	struct {
		bool live;
		uint64_t start;
		char exe[16];
	} model[MODEL_PIDS + 1];
	uint64_t overflows = 0;
	size_t live = 0;
	struct proctable *t = new_table(MODEL_MAX);
	int iter;

	(void)state;
	memset(model, 0, sizeof(model));
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (iter = 0; iter < 300000; iter++) {
		uint64_t r = rng_next();
		uint32_t pid = 1 + (uint32_t)(r % MODEL_PIDS);
		uint64_t start = 1 + (r >> 8) % 3;
		char name[16];

		switch ((r >> 16) % 3) {
		case 0:
			snprintf(name, sizeof(name), "/e%d", iter % 1000);
			exec_str(t, pid, start, name);
			if (!model[pid].live && live >= MODEL_MAX) {
				overflows++;
				break;
			}
			if (!model[pid].live)
				live++;
			model[pid].live = true;
			model[pid].start = start;
			memcpy(model[pid].exe, name, sizeof(name));
			break;
		case 1:
			proctable__exit(t, pid, start);
			if (model[pid].live && model[pid].start == start) {
				model[pid].live = false;
				live--;
			}
			break;
		default:
			expect_exe(t, pid, start,
				   model[pid].live && model[pid].start == start ? model[pid].exe :
										  NULL);
			break;
		}
		if (proctable__size(t) != live)
			fail_msg("op %d: size %zu, model %zu", iter, proctable__size(t), live);
		if (proctable__overflows(t) != overflows)
			fail_msg("op %d: overflows %llu, model %llu", iter,
				 (unsigned long long)proctable__overflows(t),
				 (unsigned long long)overflows);
	}
	for (pid_t p = 1; p <= MODEL_PIDS; p++)
		expect_exe(t, (uint32_t)p, model[p].start, model[p].live ? model[p].exe : NULL);
	free_table(t);
}

/* A NULL table: nothing known, nothing counted, no crash. */
static void test_null_table(void **state)
{
	(void)state;
	proctable__exec(NULL, 1, 1, "/x", 2);
	assert_null(proctable__exe(NULL, 1, 1));
	proctable__exit(NULL, 1, 1);
	assert_int_equal(proctable__size(NULL), 0);
	assert_int_equal(proctable__overflows(NULL), 0);
	proctable__free(NULL);
}

/* ---- seeding from a proc root ---- */

static char proc_root[64];

static void make_dir(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", proc_root, name);
	if (mkdir(path, 0755))
		fail_msg("mkdir %s: %s", path, strerror(errno));
}

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", proc_root, name);
	f = fopen(path, "w");
	if (!f)
		fail_msg("fopen %s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

static void make_link(const char *target, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", proc_root, name);
	if (symlink(target, path))
		fail_msg("symlink %s: %s", path, strerror(errno));
}

/*
 * A /proc/PID/stat line: "PID (COMM) S" then fields 4..52, field N holding
 * 1000 + N except field 22 (starttime), so reading a neighbouring field
 * gives a value that matches nothing.
 */
static void make_proc(const char *pid, const char *comm, unsigned long long start_ticks,
		      const char *exe)
{
	char name[128], line[1024];
	int field, n;

	make_dir(pid);
	n = snprintf(line, sizeof(line), "%s (%s) S", pid, comm);
	for (field = 4; field <= 52; field++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %llu",
			      field == 22 ? start_ticks : 1000ULL + (unsigned long long)field);
	snprintf(line + n, sizeof(line) - (size_t)n, "\n");
	snprintf(name, sizeof(name), "%s/stat", pid);
	write_file(name, line);
	if (exe) {
		snprintf(name, sizeof(name), "%s/exe", pid);
		make_link(exe, name);
	}
}

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int setup_proc(void **state)
{
	(void)state;
	snprintf(proc_root, sizeof(proc_root), "/tmp/execwatch-proc-XXXXXX");
	return mkdtemp(proc_root) ? 0 : -1;
}

static int teardown_proc(void **state)
{
	free_leftover(state);
	return nftw(proc_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The fake tree every seed test starts from. */
static void make_fake_proc(void)
{
	/* comm "a) b": spaces and ')' inside the parentheses. */
	make_proc("1234", "a) b", 5555, "/usr/bin/a b");
	/* comm with a ')' at the end and a '(' inside. */
	make_proc("77", "x (y))", 42, "/opt/y");
	/* A kernel thread: no exe link. */
	make_proc("2", "kthreadd", 3, NULL);
	/* Gone between readdir and reading: no stat. */
	make_dir("4321");
	/* A stat without a closing parenthesis is not trusted. */
	make_dir("4322");
	write_file("4322/stat", "4322 (broken S 1 2 3\n");
	/* A stat cut before field 22. */
	make_dir("4323");
	write_file("4323/stat", "4323 (short) S 1 2 3 4 5\n");
	/* Not pids. */
	make_dir("sys");
	make_link("1234", "self");
	write_file("uptime", "1.00 2.00\n");
	make_proc("0", "zero", 9, "/zero");
}

static void test_seed_fake_proc(void **state)
{
	uint64_t npt = ns_per_tick();
	struct proctable *t = new_table(64);
	const char *kexe;

	(void)state;
	make_fake_proc();
	assert_int_equal(proctable__seed(t, proc_root), 0);
	/* 1234, 77 and 2; nothing else. */
	assert_int_equal(proctable__size(t), 3);
	assert_int_equal(proctable__overflows(t), 0);
	expect_exe(t, 1234, 5555 * npt, "/usr/bin/a b");
	expect_exe(t, 77, 42 * npt, "/opt/y");
	/* A kernel thread is known, with no executable to name. */
	kexe = proctable__exe(t, 2, 3 * npt);
	if (kexe && kexe[0])
		fail_msg("kernel thread has exe \"%s\"", kexe);
	expect_exe(t, 4321, 0, NULL);
	expect_exe(t, 4322, 0, NULL);
	expect_exe(t, 4323, 5 * npt, NULL);
	expect_exe(t, 0, 9 * npt, NULL);
	free_table(t);
}

/* The names that are not all digits are not pids, whatever they start with. */
static void test_seed_numeric_names_only(void **state)
{
	uint64_t npt = ns_per_tick();
	struct proctable *t = new_table(64);

	(void)state;
	make_proc("12abc", "notapid", 9, "/notapid");
	make_proc("3x", "notapid", 10, "/notapid");
	make_proc("555", "real", 11, "/real");
	assert_int_equal(proctable__seed(t, proc_root), 0);
	expect_exe(t, 555, 11 * npt, "/real");
	expect_exe(t, 12, 9 * npt, NULL);
	expect_exe(t, 3, 10 * npt, NULL);
	assert_int_equal(proctable__size(t), 1);
	free_table(t);
}

/* Seeded entries have tick resolution: any ns start in that tick matches. */
static void test_seed_coarse_match(void **state)
{
	uint64_t npt = ns_per_tick();
	struct proctable *t = new_table(64);

	(void)state;
	make_proc("1234", "a) b", 5555, "/usr/bin/a b");
	assert_int_equal(proctable__seed(t, proc_root), 0);
	expect_exe(t, 1234, 5555 * npt, "/usr/bin/a b");
	expect_exe(t, 1234, 5555 * npt + 1, "/usr/bin/a b");
	expect_exe(t, 1234, 5556 * npt - 1, "/usr/bin/a b");
	expect_exe(t, 1234, 5556 * npt, NULL);
	expect_exe(t, 1234, 5555 * npt - 1, NULL);
	expect_exe(t, 1234, 5555, NULL);
	expect_exe(t, 1234, 0, NULL);

	/* An exit in another tick is another process: no eviction. */
	proctable__exit(t, 1234, 5556 * npt);
	proctable__exit(t, 1234, 5555 * npt - 1);
	assert_int_equal(proctable__size(t), 1);
	expect_exe(t, 1234, 5555 * npt + 7, "/usr/bin/a b");

	/* An exec of that process gives a ns entry: exact from then on. */
	exec_str(t, 1234, 5555 * npt + 17, "/bin/new");
	assert_int_equal(proctable__size(t), 1);
	expect_exe(t, 1234, 5555 * npt + 17, "/bin/new");
	expect_exe(t, 1234, 5555 * npt + 18, NULL);
	expect_exe(t, 1234, 5555 * npt, NULL);
	proctable__exit(t, 1234, 5555 * npt + 17);
	assert_int_equal(proctable__size(t), 0);
	free_table(t);
}

/* The exit of the seeded process, stamped anywhere in its tick, evicts it. */
static void test_seed_coarse_exit(void **state)
{
	uint64_t npt = ns_per_tick();
	struct proctable *t = new_table(64);

	(void)state;
	make_proc("1234", "a) b", 5555, "/usr/bin/a b");
	make_proc("77", "x (y))", 42, "/opt/y");
	assert_int_equal(proctable__seed(t, proc_root), 0);
	assert_int_equal(proctable__size(t), 2);
	proctable__exit(t, 1234, 5555 * npt + npt / 2);
	assert_int_equal(proctable__size(t), 1);
	expect_exe(t, 1234, 5555 * npt + npt / 2, NULL);
	proctable__exit(t, 77, 42 * npt);
	assert_int_equal(proctable__size(t), 0);
	/* The pid reused by a process whose exec we see: exact again. */
	exec_str(t, 77, 42 * npt + 5, "/reused");
	expect_exe(t, 77, 42 * npt + 5, "/reused");
	expect_exe(t, 77, 42 * npt, NULL);
	free_table(t);
}

/* Seeding a full table counts what did not fit and keeps what did. */
static void test_seed_bound(void **state)
{
	uint64_t npt = ns_per_tick();
	struct proctable *t = new_table(2);
	char pid[16], exe[32];
	int i, found = 0;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(pid, sizeof(pid), "%d", 100 + i);
		snprintf(exe, sizeof(exe), "/bin/%d", 100 + i);
		make_proc(pid, "p", 10 + (unsigned long long)i, exe);
	}
	assert_int_equal(proctable__seed(t, proc_root), 0);
	assert_int_equal(proctable__size(t), 2);
	assert_int_equal(proctable__overflows(t), 3);
	for (i = 0; i < 5; i++) {
		const char *got =
			proctable__exe(t, (uint32_t)(100 + i), (10ULL + (uint64_t)i) * npt);

		snprintf(exe, sizeof(exe), "/bin/%d", 100 + i);
		if (got) {
			assert_string_equal(got, exe);
			found++;
		}
	}
	assert_int_equal(found, 2);
	free_table(t);
}

static void test_seed_missing_root(void **state)
{
	struct proctable *t = new_table(8);
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/does-not-exist", proc_root);
	assert_int_equal(proctable__seed(t, path), -ENOENT);
	assert_int_equal(proctable__size(t), 0);
	/* An empty root is fine. */
	assert_int_equal(proctable__seed(t, proc_root), 0);
	assert_int_equal(proctable__size(t), 0);
	free_table(t);
}

/* Field 22 of this process's real /proc/PID/stat, parsed here independently. */
static uint64_t own_start_ticks(void)
{
	char buf[2048], *p, *tok, *save = NULL;
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n;
	int field;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	assert_non_null(p);
	field = 3;
	for (tok = strtok_r(p + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save), field++)
		if (field == 22)
			return strtoull(tok, NULL, 10);
	fail_msg("no field 22 in /proc/self/stat");
	return 0;
}

static void test_seed_real_proc(void **state)
{
	uint64_t npt = ns_per_tick(), ticks;
	struct proctable *t = new_table(1 << 16);
	char exe[4096];
	ssize_t len;

	(void)state;
	if (access("/proc/self/stat", R_OK))
		skip();
	ticks = own_start_ticks();
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(len > 0);
	exe[len] = '\0';
	assert_int_equal(proctable__seed(t, "/proc"), 0);
	assert_true(proctable__size(t) >= 1);
	expect_exe(t, (uint32_t)getpid(), ticks * npt, exe);
	expect_exe(t, (uint32_t)getpid(), ticks * npt + npt - 1, exe);
	expect_exe(t, (uint32_t)getpid(), (ticks + 1) * npt, NULL);
	free_table(t);
}

/* ---- scenarios that may crash or hang, in a child ---- */

static void seed_null_table(void)
{
	make_fake_proc();
	/* Like every other entry point, a NULL table is nothing to do. */
	(void)proctable__seed(NULL, proc_root);
}

static void test_seed_null_table(void **state)
{
	(void)state;
	run_in_child(seed_null_table, 10);
}

/* An absurd bound must fail cleanly or work, not hang or overflow. */
static void huge_bound(size_t max_entries)
{
	struct proctable *t = NULL;
	uint32_t pid;

	if (proctable__new(&t, max_entries)) {
		if (t)
			_exit(2);
		return;
	}
	for (pid = 1; pid <= 100; pid++)
		exec_str(t, pid, pid, "/x");
	if (proctable__size(t) != 100)
		_exit(3);
	for (pid = 1; pid <= 100; pid++)
		if (!proctable__exe(t, pid, pid))
			_exit(4);
	proctable__free(t);
}

static void huge_bound_max(void)
{
	huge_bound(SIZE_MAX);
}

static void huge_bound_half(void)
{
	huge_bound(SIZE_MAX / 2 + 1);
}

static void huge_bound_quarter(void)
{
	huge_bound(SIZE_MAX / 4 + 2);
}

static void test_new_huge_bound_max(void **state)
{
	(void)state;
	run_in_child(huge_bound_max, 3);
}

/* max_entries * 2 wraps to 0: a 16-slot table must not take more than 16. */
static void test_new_huge_bound_half(void **state)
{
	(void)state;
	run_in_child(huge_bound_half, 3);
}

/* The slot count doubles past 2^63 to 0 while still below max_entries * 2. */
static void test_new_huge_bound_quarter(void **state)
{
	(void)state;
	run_in_child(huge_bound_quarter, 3);
}

/* ---- ancestry (--ancestors) ---- */

static void info(struct proctable *t, uint32_t pid, uint64_t start, uint32_t ppid, uint64_t pstart,
		 const char *exe, const char *argv, size_t argv_len)
{
	struct proc_info p = { .pid = pid,
			       .start_ns = start,
			       .ppid = ppid,
			       .parent_start_ns = pstart,
			       .exe = exe,
			       .exe_len = strlen(exe),
			       .argv = argv,
			       .argv_len = argv_len };

	proctable__exec_info(t, &p);
}

static void expect_ancestor(const struct proc_ancestry *c, size_t i, uint32_t pid, const char *exe,
			    const char *argv, size_t argv_len)
{
	assert_true(i < c->n);
	assert_int_equal(c->list[i].pid, pid);
	assert_non_null(c->list[i].exe);
	assert_string_equal(c->list[i].exe, exe);
	assert_int_equal(c->list[i].argv_len, argv_len);
	assert_memory_equal(c->list[i].argv, argv, argv_len);
}

/* init <- sh <- sh: the chain from the parent up to PID 1, with exe and argv. */
static void test_ancestors_chain(void **state)
{
	struct proctable *t = new_table(64);
	struct proc_ancestry c;

	(void)state;
	info(t, 1, 10, 0, 0, "/sbin/init", "init\0", 5);
	info(t, 100, 1000, 1, 10, "/bin/sh", "sh\0-c\0a\0", 8);
	info(t, 200, 2000, 100, 1000, "/bin/sh", "sh\0-c\0b\0", 8);
	assert_int_equal(proctable__ancestors(t, 200, 2000, NULL, &c), 3);
	assert_true(c.complete);
	expect_ancestor(&c, 0, 200, "/bin/sh", "sh\0-c\0b\0", 8);
	expect_ancestor(&c, 1, 100, "/bin/sh", "sh\0-c\0a\0", 8);
	expect_ancestor(&c, 2, 1, "/sbin/init", "init\0", 5);
	assert_int_equal(c.list[1].start_ns, 1000);
	assert_string_equal(proctable__parent_exe(t, 200, 2000, NULL), "/bin/sh");
	/* Learned from exec records, not reported: exits do not name them. */
	expect_exe(t, 200, 2000, NULL);
	exec_str(t, 200, 2000, "/bin/sh");
	expect_exe(t, 200, 2000, "/bin/sh");
	/* Reporting it kept what it knew. */
	assert_int_equal(proctable__ancestors(t, 200, 2000, NULL, &c), 3);
	expect_ancestor(&c, 0, 200, "/bin/sh", "sh\0-c\0b\0", 8);
	free_table(t);
}

/*
 * The reader stores each exec once, with reported set when it passed the
 * filters: named at exit, argv and parent kept; a later filtered exec of the
 * same process keeps it named (its new program), a new process does not.
 */
static void test_exec_info_reported(void **state)
{
	struct proctable *t = new_table(64);
	struct proc_info p = { .pid = 200,
			       .start_ns = 2000,
			       .ppid = 100,
			       .parent_start_ns = 1000,
			       .exe = "/bin/sh",
			       .exe_len = 7,
			       .argv = "sh\0-c\0b\0",
			       .argv_len = 8,
			       .reported = true };
	struct proc_ancestry c;

	(void)state;
	info(t, 100, 1000, 0, 0, "/bin/init", "init\0", 5);
	proctable__exec_info(t, &p);
	expect_exe(t, 200, 2000, "/bin/sh");
	assert_int_equal(proctable__ancestors(t, 200, 2000, NULL, &c), 2);
	assert_true(c.complete);
	expect_ancestor(&c, 0, 200, "/bin/sh", "sh\0-c\0b\0", 8);
	/* The same process execs again, filtered out: still named, by its new program. */
	p.exe = "/bin/ls";
	p.exe_len = 7;
	p.reported = false;
	proctable__exec_info(t, &p);
	expect_exe(t, 200, 2000, "/bin/ls");
	/* A new process with the pid, not reported: not named. */
	p.start_ns = 5000;
	proctable__exec_info(t, &p);
	expect_exe(t, 200, 5000, NULL);
	free_table(t);
}

/* A process that forks and never execs is the parent of its child's exec. */
static void test_ancestors_fork(void **state)
{
	struct proctable *t = new_table(64);
	struct proc_ancestry c;

	(void)state;
	info(t, 1, 10, 0, 0, "/sbin/init", "init\0", 5);
	info(t, 100, 1000, 1, 10, "/bin/sh", "sh\0x\0", 5);
	proctable__fork(t, 300, 3000, 100, 1000);
	assert_int_equal(proctable__ancestors(t, 300, 3000, NULL, &c), 3);
	assert_true(c.complete);
	/* The forked child runs its parent's program. */
	expect_ancestor(&c, 0, 300, "/bin/sh", "sh\0x\0", 5);
	expect_ancestor(&c, 1, 100, "/bin/sh", "sh\0x\0", 5);
	/* A fork of an unknown parent: known, no exe; the chain stops there. */
	proctable__fork(t, 301, 3001, 999, 99);
	assert_int_equal(proctable__ancestors(t, 301, 3001, NULL, &c), 1);
	assert_false(c.complete);
	assert_null(c.list[0].exe);
	free_table(t);
}

/* A child that forks and never execs: its exit names its parent's program, if that was reported. */
static void test_fork_names_exit(void **state)
{
	struct proctable *t = new_table(64);
	struct proc_info p = { .pid = 100,
			       .start_ns = 1000,
			       .ppid = 1,
			       .parent_start_ns = 10,
			       .exe = "/usr/bin/make",
			       .exe_len = 13,
			       .argv = "make\0",
			       .argv_len = 5,
			       .reported = true };

	(void)state;
	proctable__exec_info(t, &p);
	proctable__fork(t, 300, 3000, 100, 1000);
	expect_exe(t, 300, 3000, "/usr/bin/make");
	/* A fork of a process whose exec was filtered out: not named (the filters decide). */
	info(t, 101, 1001, 1, 10, "/bin/sh", "sh\0", 3);
	proctable__fork(t, 301, 3001, 101, 1001);
	expect_exe(t, 301, 3001, NULL);
	/* A link to another process with the parent's pid: nothing inherited. */
	proctable__fork(t, 302, 3002, 100, 999);
	expect_exe(t, 302, 3002, NULL);
	free_table(t);
}

/* A process's exit reported twice (threads exiting together) is known as ended. */
static void test_exit_ended(void **state)
{
	struct proctable *t = new_table(64);
	uint32_t pid;

	(void)state;
	assert_false(proctable__ended(t, 100, 1000));
	info(t, 100, 1000, 1, 10, "/bin/sh", "sh\0", 3);
	proctable__exit(t, 100, 1000);
	assert_true(proctable__ended(t, 100, 1000));
	/* Only that process: another start time with the pid, or another pid, did not end. */
	assert_false(proctable__ended(t, 100, 1001));
	assert_false(proctable__ended(t, 101, 1000));
	/* An exit of a process the table never knew is remembered too. */
	proctable__exit(t, 555, 5550);
	assert_true(proctable__ended(t, 555, 5550));
	/* Bounded: after enough other exits the first is forgotten. */
	for (pid = 1000; pid < 1000 + 256; pid++)
		proctable__exit(t, pid, pid);
	assert_false(proctable__ended(t, 100, 1000));
	assert_true(proctable__ended(t, 1000 + 255, 1000 + 255));
	assert_false(proctable__ended(NULL, 100, 1000));
	free_table(t);
}

/* A reused pid: the link names the old process's start, the new one never matches. */
static void test_ancestors_pid_reuse(void **state)
{
	struct proctable *t = new_table(64);
	struct proc_ancestry c;

	(void)state;
	info(t, 1, 10, 0, 0, "/sbin/init", "init\0", 5);
	info(t, 400, 1000, 1, 10, "/bin/old", "old\0", 4);
	proctable__exit(t, 400, 1000);
	info(t, 400, 5000, 1, 10, "/bin/new", "new\0", 4);
	/* A child of the old 400 (exact start in the record). */
	assert_int_equal(proctable__ancestors(t, 400, 1000, NULL, &c), 0);
	assert_false(c.complete);
	assert_null(proctable__parent_exe(t, 400, 1000, NULL));
	assert_int_equal(proctable__ancestors(t, 400, 5000, NULL, &c), 2);
	expect_ancestor(&c, 0, 400, "/bin/new", "new\0", 4);
	free_table(t);
}

/* Links from /proc (pid only): a parent younger than its child is a reused pid. */
static void test_ancestors_seeded_link_reuse(void **state)
{
	uint64_t npt = ns_per_tick();
	struct proctable *t = new_table(64);
	struct proc_ancestry c;
	char stat[1024];
	int n, field;

	(void)state;
	/* 500 (start tick 100, ppid 1004: see make_proc) and 1004 started at tick 50. */
	make_proc("500", "child", 100, "/bin/child");
	make_proc("1004", "parent", 50, "/bin/parent");
	assert_int_equal(proctable__seed(t, proc_root), 0);
	assert_int_equal(proctable__ancestors(t, 500, 100 * npt, NULL, &c), 2);
	expect_ancestor(&c, 1, 1004, "/bin/parent", "", 0);
	free_table(t);

	/* Now 1004 started after 500: not its parent, a pid reused since. */
	t = new_table(64);
	n = snprintf(stat, sizeof(stat), "1004 (parent) S");
	for (field = 4; field <= 52; field++)
		n += snprintf(stat + n, sizeof(stat) - (size_t)n, " %d", field == 22 ? 200 : 1);
	snprintf(stat + n, sizeof(stat) - (size_t)n, "\n");
	write_file("1004/stat", stat);
	assert_int_equal(proctable__seed(t, proc_root), 0);
	assert_int_equal(proctable__ancestors(t, 500, 100 * npt, NULL, &c), 1);
	assert_false(c.complete);
	free_table(t);
}

/* A link missing from the table is read from proc_root on demand. */
static void test_ancestors_proc_fallback(void **state)
{
	uint64_t npt = ns_per_tick();
	struct proctable *t = new_table(64);
	struct proc_ancestry c;

	(void)state;
	make_proc("600", "late", 70, "/bin/late");
	write_file("600/cmdline", "late\0arg\0");
	assert_int_equal(proctable__size(t), 0);
	/* Coarse entry: the exact ns start matches by tick. */
	assert_int_equal(proctable__ancestors(t, 600, 70 * npt + 5, proc_root, &c), 1);
	assert_string_equal(c.list[0].exe, "/bin/late");
	assert_int_equal(c.list[0].argv_len, 4); /* "late": write_file stops at the NUL */
	assert_int_equal(proctable__size(t), 1);
	free_table(t);
}

/* A corrupt cycle of links ends at the depth cap, never loops. */
static void test_ancestors_cycle(void **state)
{
	struct proctable *t = new_table(64);
	struct proc_ancestry c;

	(void)state;
	info(t, 10, 100, 20, 200, "/a", "a\0", 2);
	info(t, 20, 200, 10, 100, "/b", "b\0", 2);
	assert_int_equal(proctable__ancestors(t, 10, 100, NULL, &c), PROCTABLE_MAX_DEPTH);
	assert_false(c.complete);
	free_table(t);
}

/* argv is kept up to PROCTABLE_ARGV_MAX bytes. */
static void test_ancestors_argv_bound(void **state)
{
	struct proctable *t = new_table(64);
	struct proc_ancestry c;
	static char big[PROCTABLE_ARGV_MAX * 3];

	(void)state;
	memset(big, 'x', sizeof(big));
	info(t, 1, 10, 0, 0, "/init", big, sizeof(big));
	assert_int_equal(proctable__ancestors(t, 1, 10, NULL, &c), 1);
	assert_int_equal(c.list[0].argv_len, PROCTABLE_ARGV_MAX);
	free_table(t);
}

/* Eviction mode: a full table makes room, sparing recently used entries. */
static void test_evict(void **state)
{
	struct proctable *t = new_table(4);
	struct proc_ancestry c;
	uint32_t pid;

	(void)state;
	proctable__set_evict(t, true);
	for (pid = 1; pid <= 4; pid++)
		info(t, pid, pid * 10, 0, 0, "/x", "x\0", 2);
	/* One sweep clears every second chance; then 1 (the hand's first) goes. */
	info(t, 5, 50, 0, 0, "/5", "5\0", 2);
	assert_int_equal(proctable__size(t), 4);
	assert_int_equal(proctable__evictions(t), 1);
	assert_int_equal(proctable__overflows(t), 0);
	assert_int_equal(proctable__ancestors(t, 5, 50, NULL, &c), 1);
	/* A walk marks 5 used: the next new process evicts another. */
	info(t, 6, 60, 0, 0, "/6", "6\0", 2);
	assert_int_equal(proctable__ancestors(t, 5, 50, NULL, &c), 1);
	assert_int_equal(proctable__evictions(t), 2);
	assert_int_equal(proctable__size(t), 4);
	/* Thousands more: still bounded. */
	for (pid = 100; pid < 5000; pid++)
		info(t, pid, pid, 0, 0, "/y", "y\0", 2);
	assert_int_equal(proctable__size(t), 4);
	free_table(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_new_empty, free_leftover),
		cmocka_unit_test_teardown(test_round_trip, free_leftover),
		cmocka_unit_test_teardown(test_exec_replaces, free_leftover),
		cmocka_unit_test_teardown(test_pid_reuse, free_leftover),
		cmocka_unit_test_teardown(test_stale_exit, free_leftover),
		cmocka_unit_test_teardown(test_pid_zero_ignored, free_leftover),
		cmocka_unit_test_teardown(test_many_entries, free_leftover),
		cmocka_unit_test_teardown(test_bound, free_leftover),
		cmocka_unit_test_teardown(test_bound_zero, free_leftover),
		cmocka_unit_test_teardown(test_bound_exact, free_leftover),
		cmocka_unit_test_teardown(test_churn, free_leftover),
		cmocka_unit_test_teardown(test_churn_full, free_leftover),
		cmocka_unit_test_teardown(test_churn_large_table, free_leftover),
		cmocka_unit_test_teardown(test_model, free_leftover),
		cmocka_unit_test_teardown(test_null_table, free_leftover),
		cmocka_unit_test_setup_teardown(test_seed_fake_proc, setup_proc, teardown_proc),
		cmocka_unit_test_setup_teardown(test_seed_numeric_names_only, setup_proc,
						teardown_proc),
		cmocka_unit_test_setup_teardown(test_seed_coarse_match, setup_proc, teardown_proc),
		cmocka_unit_test_setup_teardown(test_seed_coarse_exit, setup_proc, teardown_proc),
		cmocka_unit_test_setup_teardown(test_seed_bound, setup_proc, teardown_proc),
		cmocka_unit_test_setup_teardown(test_seed_missing_root, setup_proc, teardown_proc),
		cmocka_unit_test_teardown(test_seed_real_proc, free_leftover),
		cmocka_unit_test_setup_teardown(test_seed_null_table, setup_proc, teardown_proc),
		cmocka_unit_test_teardown(test_new_huge_bound_max, free_leftover),
		cmocka_unit_test_teardown(test_new_huge_bound_half, free_leftover),
		cmocka_unit_test_teardown(test_new_huge_bound_quarter, free_leftover),
		cmocka_unit_test_teardown(test_ancestors_chain, free_leftover),
		cmocka_unit_test_teardown(test_exec_info_reported, free_leftover),
		cmocka_unit_test_teardown(test_ancestors_fork, free_leftover),
		cmocka_unit_test_teardown(test_fork_names_exit, free_leftover),
		cmocka_unit_test_teardown(test_exit_ended, free_leftover),
		cmocka_unit_test_teardown(test_ancestors_pid_reuse, free_leftover),
		cmocka_unit_test_setup_teardown(test_ancestors_seeded_link_reuse, setup_proc,
						teardown_proc),
		cmocka_unit_test_setup_teardown(test_ancestors_proc_fallback, setup_proc,
						teardown_proc),
		cmocka_unit_test_teardown(test_ancestors_cycle, free_leftover),
		cmocka_unit_test_teardown(test_ancestors_argv_bound, free_leftover),
		cmocka_unit_test_teardown(test_evict, free_leftover),
	};

	return cmocka_run_group_tests_name("proctable", tests, NULL, NULL);
}
