// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Open-addressing hash of live processes (linear probing, deletion by
 * backward shift); see proctable.h.
 */
#include "proctable.h"
#include "bufpool.h"
#include "procstat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROCTABLE_FIRST_SLOTS 1024
/*
 * How many ended processes are remembered, to drop a second exit record of
 * one process. do_exit() decrements signal->live long before it fires
 * sched_process_exit, so when the threads of a process exit together, a
 * thread that was not the last to decrement can still read live == 0 at the
 * tracepoint, and the process is reported twice. The two records come from
 * threads exiting at the same moment, so they are close in the ring.
 */
#define PROCTABLE_RECENT_EXITS 256

struct proc_entry {
	uint32_t pid; /* 0: empty */
	bool coarse; /* start from /proc/PID/stat: clock ticks, not ns */
	bool reported; /* its exec was reported (or it was seeded): exits name it */
	bool referenced; /* used since the clock hand last passed (eviction) */
	bool parent_start_known; /* parent_start is exact (from a record), not from /proc */
	uint64_t start; /* ns, or ticks when coarse */
	char *exe; /* from pool, as argv */
	/* Ancestry. */
	uint32_t ppid;
	uint64_t parent_start; /* ns */
	char *argv;
	size_t argv_len;
};

/* What put() stores; NULL exe/argv: unknown. */
struct proc_fields {
	uint32_t pid;
	uint64_t start;
	bool coarse;
	bool reported;
	const char *exe;
	size_t exe_len;
	const char *argv;
	size_t argv_len;
	uint32_t ppid;
	uint64_t parent_start;
	bool parent_start_known;
};

struct proctable {
	struct proc_entry *slots;
	size_t nr_slots; /* power of two, grown up to max_slots */
	size_t max_slots; /* power of two, at least twice max_entries */
	size_t used; /* live entries */
	size_t max_entries;
	uint64_t overflows;
	uint64_t ns_per_tick;
	bool evict; /* when full, evict (clock sweep) instead of refusing */
	size_t hand; /* the clock hand: next slot the sweep looks at */
	uint64_t evictions;
	/* The last processes that ended, a ring (see PROCTABLE_RECENT_EXITS). */
	struct {
		uint32_t pid;
		uint64_t start_ns;
	} recent_exits[PROCTABLE_RECENT_EXITS];
	size_t recent_next;
	/* exe and argv copies: an exit's buffers serve the next exec (no malloc per exec). */
	struct bufpool pool;
};

int proctable__new(struct proctable **out, size_t max_entries)
{
	struct proctable *t = calloc(1, sizeof(*t));
	long ticks = sysconf(_SC_CLK_TCK);

	*out = NULL;
	/* Far beyond any pid_max (2^22): refuse rather than overflow the slot count. */
	if (max_entries > (1u << 24)) {
		free(t);
		return -EINVAL;
	}
	if (!t)
		return -ENOMEM;
	t->max_slots = 16;
	while (t->max_slots < max_entries * 2)
		t->max_slots *= 2;
	/*
	 * Start small and grow with the live processes: a table sized for the
	 * bound (3 MiB) made each lookup of a new pid a cache miss, most of
	 * the reader's time per exec after the JSON formatting.
	 */
	t->nr_slots = t->max_slots < PROCTABLE_FIRST_SLOTS ? t->max_slots : PROCTABLE_FIRST_SLOTS;
	t->slots = calloc(t->nr_slots, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return -ENOMEM;
	}
	t->max_entries = max_entries;
	t->ns_per_tick = 1000000000ULL / (uint64_t)(ticks > 0 ? ticks : 100);
	*out = t;
	return 0;
}

void proctable__free(struct proctable *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nr_slots; i++) {
		bufpool__put(&t->pool, t->slots[i].exe);
		bufpool__put(&t->pool, t->slots[i].argv);
	}
	bufpool__clear(&t->pool);
	free(t->slots);
	free(t);
}

static size_t slot_of(const struct proctable *t, uint32_t pid)
{
	return (size_t)((pid * 0x9e3779b97f4a7c15ULL) >> 32) & (t->nr_slots - 1);
}

static bool same_process(const struct proctable *t, const struct proc_entry *e, uint64_t start_ns)
{
	return e->coarse ? e->start == start_ns / t->ns_per_tick : e->start == start_ns;
}

/* The entry for pid (any start time), or NULL. */
static struct proc_entry *find(const struct proctable *t, uint32_t pid)
{
	size_t i = slot_of(t, pid), probes;

	for (probes = 0; probes < t->nr_slots; probes++) {
		struct proc_entry *e = &t->slots[i];

		if (!e->pid)
			return NULL;
		if (e->pid == pid)
			return e;
		i = (i + 1) & (t->nr_slots - 1);
	}
	return NULL;
}

/*
 * Move the live entries into a table of nr_slots slots (more than now). On
 * allocation failure the table stays as it was.
 */
static void rehash(struct proctable *t, size_t nr_slots)
{
	struct proc_entry *old = t->slots;
	struct proc_entry *fresh = calloc(nr_slots, sizeof(*fresh));
	size_t old_slots = t->nr_slots, i, j;

	if (!fresh)
		return;
	t->slots = fresh;
	t->nr_slots = nr_slots;
	for (i = 0; i < old_slots; i++) {
		if (!old[i].pid)
			continue;
		for (j = slot_of(t, old[i].pid); fresh[j].pid; j = (j + 1) & (nr_slots - 1))
			;
		fresh[j] = old[i];
	}
	free(old);
	t->hand &= nr_slots - 1;
}

/*
 * Before adding one more entry: keep the live entries at most a quarter of
 * the slots (while the table may grow), so probe chains stay short. False
 * when there is no free slot.
 */
static bool make_room(struct proctable *t)
{
	size_t want = t->nr_slots;

	while ((t->used + 1) * 4 > want && want < t->max_slots)
		want *= 2;
	if (want != t->nr_slots)
		rehash(t, want);
	return t->used + 1 < t->nr_slots;
}

/* Is slot k cyclically in the range (from, to]? */
static bool slot_between(size_t k, size_t from, size_t to)
{
	return from <= to ? from < k && k <= to : from < k || k <= to;
}

/*
 * Delete by backward shift (Knuth's algorithm R for linear probing): the
 * entries after the hole that probed past it move back into it, so every
 * probe chain stays unbroken and no deleted markers accumulate. Markers
 * ("tombstones") needed a rehash of the whole table every few hundred
 * exits, a calloc() and a copy of all slots: most of the table's cost per
 * exec. Entries move, so no caller may keep an entry pointer across a
 * removal (evict_one() is the only removal inside another operation, and
 * put_fields() looks up its slot after it).
 */
static void remove_entry(struct proctable *t, struct proc_entry *e)
{
	size_t mask = t->nr_slots - 1, hole = (size_t)(e - t->slots), j = hole;

	bufpool__put(&t->pool, e->exe);
	bufpool__put(&t->pool, e->argv);
	t->used--;
	for (;;) {
		j = (j + 1) & mask;
		if (!t->slots[j].pid)
			break;
		/* Its home is after the hole (and not past j): it never probed the hole. */
		if (slot_between(slot_of(t, t->slots[j].pid), hole, j))
			continue;
		t->slots[hole] = t->slots[j];
		hole = j;
	}
	memset(&t->slots[hole], 0, sizeof(t->slots[hole]));
}

/*
 * Make room for one entry by the clock algorithm: an entry used since the
 * hand last passed gets a second chance. Two turns at most.
 */
static bool evict_one(struct proctable *t)
{
	size_t steps;

	for (steps = 0; steps < 2 * t->nr_slots; steps++) {
		struct proc_entry *e = &t->slots[t->hand];

		t->hand = (t->hand + 1) & (t->nr_slots - 1);
		if (!e->pid)
			continue;
		if (e->referenced) {
			e->referenced = false;
			continue;
		}
		remove_entry(t, e);
		t->evictions++;
		return true;
	}
	return false;
}

static struct proc_entry *put_fields(struct proctable *t, const struct proc_fields *f,
				     bool may_evict)
{
	struct proc_entry *e = find(t, f->pid);
	size_t i, argv_len = f->argv && f->argv_len > PROCTABLE_ARGV_MAX ? PROCTABLE_ARGV_MAX :
									   f->argv_len;
	/*
	 * Copy first: f's strings may belong to an entry in this table (the
	 * parent's, for a fork, or this entry's own), which the eviction below
	 * or the frees after it would release.
	 */
	char *exe = bufpool__dup(&t->pool, f->exe, f->exe_len);
	char *argv = bufpool__dup(&t->pool, f->argv, argv_len);

	if (!e) {
		if ((t->used >= t->max_entries &&
		     (!t->evict || !may_evict || !t->max_entries || !evict_one(t))) ||
		    !make_room(t)) {
			t->overflows++;
			bufpool__put(&t->pool, exe);
			bufpool__put(&t->pool, argv);
			return NULL;
		}
		for (i = slot_of(t, f->pid); t->slots[i].pid; i = (i + 1) & (t->nr_slots - 1))
			;
		e = &t->slots[i];
		e->pid = f->pid;
		t->used++;
	}
	bufpool__put(&t->pool, e->exe);
	e->exe = exe;
	bufpool__put(&t->pool, e->argv);
	e->argv = argv;
	e->argv_len = argv ? argv_len : 0;
	e->start = f->start;
	e->coarse = f->coarse;
	e->reported = f->reported;
	e->referenced = true;
	e->ppid = f->ppid;
	e->parent_start = f->parent_start;
	e->parent_start_known = f->parent_start_known;
	return e;
}

static int seed_one(struct proctable *t, const char *proc_root, const char *pid_text,
		    bool may_evict);

static void put(struct proctable *t, uint32_t pid, uint64_t start, bool coarse, const char *exe,
		size_t exe_len)
{
	struct proc_entry *e = find(t, pid);
	struct proc_fields f = { .pid = pid,
				 .start = start,
				 .coarse = coarse,
				 .reported = true,
				 .exe = exe,
				 .exe_len = exe_len };

	/* The same process again (an exec record after exec_info): keep what it knows. */
	if (e && e->start == start && e->coarse == coarse) {
		f.argv = e->argv; /* put_fields() copies before it frees */
		f.argv_len = e->argv_len;
		f.ppid = e->ppid;
		f.parent_start = e->parent_start;
		f.parent_start_known = e->parent_start_known;
	}
	put_fields(t, &f, true);
}

void proctable__exec(struct proctable *t, uint32_t pid, uint64_t start_ns, const char *filename,
		     size_t filename_len)
{
	if (t && pid)
		put(t, pid, start_ns, false, filename, filename_len);
}

const char *proctable__exe(const struct proctable *t, uint32_t pid, uint64_t start_ns)
{
	const struct proc_entry *e = t ? find(t, pid) : NULL;

	/* Only a reported (or seeded) process: the reader's exit filter relies on it. */
	return e && e->reported && same_process(t, e, start_ns) ? e->exe : NULL;
}

bool proctable__ended(const struct proctable *t, uint32_t pid, uint64_t start_ns)
{
	const struct proc_entry *e;
	size_t i;

	if (!t || !pid)
		return false;
	/* Still in the table: not ended (the common case, no scan of the ring per exit). */
	e = find(t, pid);
	if (e && same_process(t, e, start_ns))
		return false;
	for (i = 0; i < PROCTABLE_RECENT_EXITS; i++)
		if (t->recent_exits[i].pid == pid && t->recent_exits[i].start_ns == start_ns)
			return true;
	return false;
}

void proctable__exit(struct proctable *t, uint32_t pid, uint64_t start_ns)
{
	struct proc_entry *e = t ? find(t, pid) : NULL;

	if (!t || !pid)
		return;
	t->recent_exits[t->recent_next].pid = pid;
	t->recent_exits[t->recent_next].start_ns = start_ns;
	t->recent_next = (t->recent_next + 1) % PROCTABLE_RECENT_EXITS;
	/* An older process's exit arriving after a newer one's exec must not evict it. */
	if (!e || !same_process(t, e, start_ns))
		return;
	remove_entry(t, e);
}

int proctable__seed(struct proctable *t, const char *proc_root)
{
	struct dirent *ent;
	DIR *dir;

	if (!t || !proc_root)
		return -EINVAL;
	dir = opendir(proc_root);
	if (!dir)
		return -errno;
	while ((ent = readdir(dir))) {
		if (ent->d_name[0] < '1' || ent->d_name[0] > '9' ||
		    strspn(ent->d_name, "0123456789") != strlen(ent->d_name))
			continue;
		seed_one(t, proc_root, ent->d_name, true);
	}
	closedir(dir);
	return 0;
}

size_t proctable__size(const struct proctable *t)
{
	return t ? t->used : 0;
}

uint64_t proctable__overflows(const struct proctable *t)
{
	return t ? t->overflows : 0;
}

uint64_t proctable__allocations(const struct proctable *t)
{
	return t ? t->pool.allocations : 0;
}

uint64_t proctable__evictions(const struct proctable *t)
{
	return t ? t->evictions : 0;
}

void proctable__set_evict(struct proctable *t, bool evict)
{
	if (t)
		t->evict = evict;
}

void proctable__exec_info(struct proctable *t, const struct proc_info *p)
{
	struct proc_entry *e;
	struct proc_fields f;

	if (!t || !p || !p->pid)
		return;
	e = find(t, p->pid);
	f = (struct proc_fields){ .pid = p->pid,
				  .start = p->start_ns,
				  .exe = p->exe,
				  .exe_len = p->exe_len,
				  .argv = p->argv,
				  .argv_len = p->argv_len,
				  .ppid = p->ppid,
				  .parent_start = p->parent_start_ns,
				  .parent_start_known = true };
	/* A reported process that execs again stays reported, whatever its new exec. */
	f.reported = p->reported || (e && e->reported && same_process(t, e, p->start_ns));
	put_fields(t, &f, true);
}

void proctable__fork(struct proctable *t, uint32_t pid, uint64_t start_ns, uint32_t ppid,
		     uint64_t parent_start_ns)
{
	const struct proc_entry *parent;
	struct proc_fields f = { .pid = pid,
				 .start = start_ns,
				 .ppid = ppid,
				 .parent_start = parent_start_ns,
				 .parent_start_known = true };

	if (!t || !pid)
		return;
	parent = find(t, ppid);
	if (parent && same_process(t, parent, parent_start_ns)) {
		/*
		 * Until it execs, the child runs its parent's program with its
		 * parent's argv: it passes the same filters, and its exit names
		 * that program.
		 */
		f.reported = parent->reported;
		f.exe = parent->exe;
		f.exe_len = parent->exe ? strlen(parent->exe) : 0;
		f.argv = parent->argv;
		f.argv_len = parent->argv_len;
	}
	put_fields(t, &f, true);
}

static uint64_t start_in_ns(const struct proctable *t, const struct proc_entry *e)
{
	return e->coarse ? e->start * t->ns_per_tick : e->start;
}

/* Read one process from proc_root/pid; 0 or a negative errno. */
static int seed_one(struct proctable *t, const char *proc_root, const char *pid_text,
		    bool may_evict)
{
	char path[512], exe[4096], argv[PROCTABLE_ARGV_MAX];
	/* Field 22: starttime, in clock ticks since boot; field 4: ppid. */
	static const int fields[] = { 22, 4 };
	uint64_t values[2];
	ssize_t len;
	int fd, err;
	struct proc_fields f = { .coarse = true, .reported = true };

	err = procstat_fields(proc_root, pid_text, fields, values, 2);
	if (err)
		return err;
	f.pid = (uint32_t)strtoul(pid_text, NULL, 10);
	f.start = values[0];
	f.ppid = (uint32_t)values[1];
	snprintf(path, sizeof(path), "%s/%s/exe", proc_root, pid_text);
	len = readlink(path, exe, sizeof(exe));
	/* Kernel threads have no exe: a known process, an unknown program. */
	if (len > 0 && (size_t)len < sizeof(exe)) {
		f.exe = exe;
		f.exe_len = (size_t)len;
	}
	snprintf(path, sizeof(path), "%s/%s/cmdline", proc_root, pid_text);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		len = read(fd, argv, sizeof(argv));
		if (len > 0) {
			f.argv = argv;
			f.argv_len = (size_t)len;
		}
		close(fd);
	}
	return put_fields(t, &f, may_evict) ? 0 : -ENOSPC;
}

/*
 * The entry of (pid, start) when the start is exact, or, for a link learned
 * from /proc, a process with that pid that started no later than its child
 * (a reused pid belongs to a younger process).
 */
static struct proc_entry *find_linked(struct proctable *t, uint32_t pid, uint64_t start, bool exact,
				      uint64_t child_start_ns)
{
	struct proc_entry *e = find(t, pid);

	if (!e)
		return NULL;
	if (exact)
		return same_process(t, e, start) ? e : NULL;
	return start_in_ns(t, e) <= child_start_ns + t->ns_per_tick ? e : NULL;
}

size_t proctable__ancestors(struct proctable *t, uint32_t ppid, uint64_t parent_start_ns,
			    const char *proc_root, struct proc_ancestry *out)
{
	uint32_t pid = ppid;
	uint64_t start = parent_start_ns, child_start = UINT64_MAX;
	bool exact = true;

	out->n = 0;
	out->complete = false;
	if (!t)
		return 0;
	while (out->n < PROCTABLE_MAX_DEPTH) {
		struct proc_entry *e;
		struct proc_ancestor *a;

		if (!pid) {
			out->complete = true; /* above PID 1 (or kthreadd): the top */
			break;
		}
		e = find_linked(t, pid, start, exact, child_start);
		if (!e && proc_root) {
			char text[16];

			/* Not learned (a fork we did not see): ask /proc, without evicting. */
			snprintf(text, sizeof(text), "%u", pid);
			if (!seed_one(t, proc_root, text, false))
				e = find_linked(t, pid, start, exact, child_start);
		}
		if (!e)
			break;
		e->referenced = true;
		a = &out->list[out->n++];
		a->pid = pid;
		a->start_ns = start_in_ns(t, e);
		a->exe = e->exe;
		a->argv = e->argv;
		a->argv_len = e->argv_len;
		if (pid == 1) {
			out->complete = true;
			break;
		}
		if (e->ppid == pid)
			break; /* a corrupt link; never a loop */
		child_start = start_in_ns(t, e);
		exact = e->parent_start_known;
		start = e->parent_start;
		pid = e->ppid;
	}
	return out->n;
}

const char *proctable__parent_exe(struct proctable *t, uint32_t ppid, uint64_t parent_start_ns,
				  const char *proc_root)
{
	struct proc_entry *e;

	if (!t || !ppid)
		return NULL;
	e = find_linked(t, ppid, parent_start_ns, true, 0);
	if (!e && proc_root) {
		char text[16];

		snprintf(text, sizeof(text), "%u", ppid);
		if (!seed_one(t, proc_root, text, false))
			e = find_linked(t, ppid, parent_start_ns, true, 0);
	}
	if (!e)
		return NULL;
	e->referenced = true;
	return e->exe;
}
