/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Cgroup v2 id -> path, and the container id inside a path.
 *
 * The kernel records bpf_get_current_cgroup_id(): on cgroup v2 that is the
 * kernfs node id, which is also the inode number of the cgroup's directory.
 * So user space maps ids to paths by walking the cgroup2 mount once and again
 * on a miss (at most once a second): no per-exec string walk in the kernel.
 * A cgroup created and removed between two walks stays unresolved (null),
 * never wrong.
 */
#ifndef EXECWATCH_CGROUP_H
#define EXECWATCH_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CGROUP_CONTAINER_ID_MAX 64

struct cgroup_cache;

/*
 * Where cgroup v2 is mounted: /sys/fs/cgroup on unified systems,
 * /sys/fs/cgroup/unified on hybrid ones (found in /proc/self/mountinfo).
 */
int cgroup_v2_root(char *root, size_t len);

/* root: the cgroup2 mount point, or NULL to find it with cgroup_v2_root(). */
int cgroup_cache__new(struct cgroup_cache **out, const char *root);
/*
 * The path below the cgroup2 root ("/system.slice/x.scope") and the container
 * id in it (or NULL); both stay valid until the next lookup that rescans.
 * Returns false, with both NULL, for an id it cannot resolve.
 */
bool cgroup_cache__lookup(struct cgroup_cache *cache, uint64_t id, int64_t now_ns,
			  const char **path, const char **container_id);
void cgroup_cache__free(struct cgroup_cache *cache);

/*
 * The container id in a cgroup path, from the layouts of docker (systemd and
 * cgroupfs drivers), containerd/CRI, cri-o and podman. Writes a NUL-terminated
 * id of 64 hex digits into out and returns true, or returns false.
 */
bool cgroup_container_id(const char *path, char out[CGROUP_CONTAINER_ID_MAX + 1]);

#endif /* EXECWATCH_CGROUP_H */
