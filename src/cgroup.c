// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Cgroup id resolution and container id extraction; see cgroup.h.
 */
#include "cgroup.h"

#include <errno.h>
#include <fts.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#define CGROUP_SLOTS 16384 /* power of two; a full table is cleared and refilled */
#define CGROUP_RESCAN_NS 1000000000LL
#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

struct cgroup_slot {
	uint64_t id; /* 0: empty */
	char *path;
	bool has_container;
	char container[CGROUP_CONTAINER_ID_MAX + 1];
};

struct cgroup_cache {
	char root[4096];
	size_t root_len;
	struct cgroup_slot slots[CGROUP_SLOTS];
	size_t used;
	int64_t last_scan_ns;
};

static size_t slot_of(uint64_t id)
{
	/* Fibonacci hashing: ids are sequential, so spread them. */
	return (size_t)((id * 0x9e3779b97f4a7c15ULL) >> 50) & (CGROUP_SLOTS - 1);
}

static void cache_clear(struct cgroup_cache *cache)
{
	size_t i;

	for (i = 0; i < CGROUP_SLOTS; i++) {
		free(cache->slots[i].path);
		cache->slots[i].path = NULL;
		cache->slots[i].id = 0;
	}
	cache->used = 0;
}

static void cache_put(struct cgroup_cache *cache, uint64_t id, const char *path)
{
	size_t i = slot_of(id);

	if (!id || cache->used >= CGROUP_SLOTS * 3 / 4)
		return;
	while (cache->slots[i].id && cache->slots[i].id != id)
		i = (i + 1) & (CGROUP_SLOTS - 1);
	if (cache->slots[i].id == id)
		return;
	cache->slots[i].path = strdup(path);
	if (!cache->slots[i].path)
		return;
	cache->slots[i].id = id;
	cache->slots[i].has_container = cgroup_container_id(path, cache->slots[i].container);
	cache->used++;
}

static const struct cgroup_slot *cache_get(const struct cgroup_cache *cache, uint64_t id)
{
	size_t i = slot_of(id);

	while (cache->slots[i].id) {
		if (cache->slots[i].id == id)
			return &cache->slots[i];
		i = (i + 1) & (CGROUP_SLOTS - 1);
	}
	return NULL;
}

static void cache_scan(struct cgroup_cache *cache)
{
	char *roots[] = { cache->root, NULL };
	FTS *fts;
	FTSENT *ent;

	if (cache->used >= CGROUP_SLOTS * 3 / 4)
		cache_clear(cache);
	fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR | FTS_XDEV, NULL);
	if (!fts)
		return;
	while ((ent = fts_read(fts))) {
		if (ent->fts_info != FTS_D)
			continue;
		/* The root itself is "/"; below it, the path after the mount point. */
		cache_put(cache, ent->fts_statp->st_ino,
			  ent->fts_pathlen > cache->root_len ? ent->fts_path + cache->root_len :
							       "/");
	}
	fts_close(fts);
}

/* The cgroup2 mount point: /sys/fs/cgroup on unified systems, else from mountinfo. */
int cgroup_v2_root(char *root, size_t len)
{
	char line[4096], mnt[4096], fstype[64];
	struct statfs st;
	FILE *f;

	if (!statfs("/sys/fs/cgroup", &st) && st.f_type == CGROUP2_SUPER_MAGIC) {
		snprintf(root, len, "/sys/fs/cgroup");
		return 0;
	}
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *dash = strstr(line, " - ");

		if (!dash || sscanf(dash, " - %63s", fstype) != 1 || strcmp(fstype, "cgroup2"))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1) {
			snprintf(root, len, "%s", mnt);
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	return -ENOENT;
}

int cgroup_cache__new(struct cgroup_cache **out, const char *root)
{
	struct cgroup_cache *cache;
	int err = 0;

	*out = NULL;
	cache = calloc(1, sizeof(*cache));
	if (!cache)
		return -ENOMEM;
	if (root)
		snprintf(cache->root, sizeof(cache->root), "%s", root);
	else
		err = cgroup_v2_root(cache->root, sizeof(cache->root));
	if (err) {
		free(cache);
		return err;
	}
	cache->root_len = strlen(cache->root);
	/* fts joins "root/" + "x" as "root/x": drop trailing slashes so paths keep their '/'. */
	while (cache->root_len > 1 && cache->root[cache->root_len - 1] == '/')
		cache->root[--cache->root_len] = '\0';
	/* Boot time is never negative: the first lookup always scans. */
	cache->last_scan_ns = -CGROUP_RESCAN_NS;
	*out = cache;
	return 0;
}

bool cgroup_cache__lookup(struct cgroup_cache *cache, uint64_t id, int64_t now_ns,
			  const char **path, const char **container_id)
{
	const struct cgroup_slot *slot;

	*path = NULL;
	*container_id = NULL;
	if (!cache || !id)
		return false;
	slot = cache_get(cache, id);
	if (!slot &&
	    (now_ns < cache->last_scan_ns || now_ns - cache->last_scan_ns >= CGROUP_RESCAN_NS)) {
		cache->last_scan_ns = now_ns;
		cache_scan(cache);
		slot = cache_get(cache, id);
	}
	if (!slot)
		return false;
	*path = slot->path;
	*container_id = slot->has_container ? slot->container : NULL;
	return true;
}

void cgroup_cache__free(struct cgroup_cache *cache)
{
	if (!cache)
		return;
	cache_clear(cache);
	free(cache);
}

static bool is_hex64(const char *s, size_t len)
{
	size_t i;

	if (len != CGROUP_CONTAINER_ID_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* One path component: "docker-<id>.scope", "cri-containerd-<id>.scope", "<id>", ... */
static bool component_id(const char *comp, size_t len, char *out)
{
	static const char *const prefixes[] = { "docker-", "cri-containerd-", "crio-", "libpod-" };
	static const char suffix[] = ".scope";
	size_t i, suffix_len = sizeof(suffix) - 1;

	if (len > suffix_len && !memcmp(comp + len - suffix_len, suffix, suffix_len))
		len -= suffix_len;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t plen = strlen(prefixes[i]);

		if (len > plen && !memcmp(comp, prefixes[i], plen)) {
			comp += plen;
			len -= plen;
			break;
		}
	}
	/* "crio-conmon-<id>" and "libpod-conmon-<id>" are the monitor, not the container. */
	if (!is_hex64(comp, len))
		return false;
	memcpy(out, comp, len);
	out[len] = '\0';
	return true;
}

bool cgroup_container_id(const char *path, char out[CGROUP_CONTAINER_ID_MAX + 1])
{
	const char *end, *start;

	if (!path)
		return false;
	/* The innermost matching component wins: nested cgroups sit below the container's. */
	end = path + strlen(path);
	while (end > path) {
		start = end;
		while (start > path && start[-1] != '/')
			start--;
		if (component_id(start, (size_t)(end - start), out))
			return true;
		end = start > path ? start - 1 : path;
	}
	return false;
}
