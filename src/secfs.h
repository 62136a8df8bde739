/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The kernel's security state as securityfs shows it: the active LSMs and
 * the lockdown mode. --check reports both; the policy needs to know whether
 * bpf is an active LSM (otherwise a BPF LSM program loads but never runs).
 */
#ifndef EXECWATCH_SECFS_H
#define EXECWATCH_SECFS_H

#include <stdbool.h>

#define SECFS_PATH "/sys/kernel/security"

struct secfs_state {
	int err; /* 0, or the negative errno of why SECFS_PATH/lsm could not be read */
	char lsm[256]; /* the active LSMs, "lockdown,capability,bpf"; "" when unknown */
	char lockdown[64]; /* the mode in force ("none", "integrity", ...); "" when unknown */
};

/*
 * Fill st from securityfs. Where it is not mounted, it is mounted in a
 * child's private mount namespace (needs CAP_SYS_ADMIN): nothing on the
 * system changes and no mount is left behind. Returns st->err.
 */
int secfs_read(struct secfs_state *st);

/* Is name one of the active LSMs (a whole entry of the list, not a substring)? */
bool secfs_lsm_active(const struct secfs_state *st, const char *name);

#endif /* EXECWATCH_SECFS_H */
