// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Open-addressing hash of live processes; see proctable.h.
 */
#include "proctable.h"
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

struct proc_entry {
	uint32_t pid; /* 0: empty */
	bool tombstone; /* deleted: keeps probe chains intact */
	bool coarse; /* start from /proc/PID/stat: clock ticks, not ns */
	uint64_t start; /* ns, or ticks when coarse */
	char *exe;
};

struct proctable {
	struct proc_entry *slots;
	size_t nr_slots; /* power of two, grown up to max_slots */
	size_t max_slots; /* power of two, at least twice max_entries */
	size_t used; /* live entries */
	size_t tombstones; /* deleted slots still on probe chains */
	size_t max_entries;
	uint64_t overflows;
	uint64_t ns_per_tick;
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
	for (i = 0; i < t->nr_slots; i++)
		free(t->slots[i].exe);
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

		if (!e->pid && !e->tombstone)
			return NULL;
		if (e->pid == pid)
			return e;
		i = (i + 1) & (t->nr_slots - 1);
	}
	return NULL;
}

/*
 * Exits leave tombstones; with churn they would fill the table and make
 * every miss probe all of it. Rehash the live entries into nr_slots slots
 * (the same or more), which drops the tombstones. On allocation failure the
 * table stays as it was.
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
	t->tombstones = 0;
}

/*
 * Before adding one more entry: keep the live entries at most a quarter of
 * the slots (while the table may grow) and the tombstones at most an eighth,
 * so probe chains stay short. False when there is no free slot.
 */
static bool make_room(struct proctable *t)
{
	size_t want = t->nr_slots;

	while ((t->used + 1) * 4 > want && want < t->max_slots)
		want *= 2;
	if (want != t->nr_slots || t->tombstones > t->nr_slots / 8)
		rehash(t, want);
	return t->used + 1 < t->nr_slots;
}

static void put(struct proctable *t, uint32_t pid, uint64_t start, bool coarse, const char *exe,
		size_t exe_len)
{
	struct proc_entry *e = find(t, pid);
	char *copy;
	size_t i;

	if (!e) {
		if (t->used >= t->max_entries) {
			t->overflows++;
			return;
		}
		if (!make_room(t)) {
			t->overflows++;
			return;
		}
		for (i = slot_of(t, pid); t->slots[i].pid; i = (i + 1) & (t->nr_slots - 1))
			;
		e = &t->slots[i];
		if (e->tombstone)
			t->tombstones--;
		e->pid = pid;
		e->tombstone = false;
		t->used++;
	}
	copy = exe ? malloc(exe_len + 1) : NULL;
	if (copy) {
		memcpy(copy, exe, exe_len);
		copy[exe_len] = '\0';
	}
	free(e->exe);
	e->exe = copy;
	e->start = start;
	e->coarse = coarse;
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

	return e && same_process(t, e, start_ns) ? e->exe : NULL;
}

void proctable__exit(struct proctable *t, uint32_t pid, uint64_t start_ns)
{
	struct proc_entry *e = t ? find(t, pid) : NULL;

	/* An older process's exit arriving after a newer one's exec must not evict it. */
	if (!e || !same_process(t, e, start_ns))
		return;
	free(e->exe);
	e->exe = NULL;
	e->pid = 0;
	e->tombstone = true;
	t->used--;
	t->tombstones++;
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
		char path[512], exe[4096];
		uint64_t ticks = 0;
		ssize_t len;

		if (ent->d_name[0] < '1' || ent->d_name[0] > '9' ||
		    strspn(ent->d_name, "0123456789") != strlen(ent->d_name))
			continue;
		/* Field 22: starttime, in clock ticks since boot. */
		if (procstat_field(proc_root, ent->d_name, 22, &ticks))
			continue;
		snprintf(path, sizeof(path), "%s/%s/exe", proc_root, ent->d_name);
		len = readlink(path, exe, sizeof(exe));
		/* Kernel threads have no exe: a known process, an unknown program. */
		if (len <= 0 || (size_t)len >= sizeof(exe))
			put(t, (uint32_t)strtoul(ent->d_name, NULL, 10), ticks, true, NULL, 0);
		else
			put(t, (uint32_t)strtoul(ent->d_name, NULL, 10), ticks, true, exe,
			    (size_t)len);
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
