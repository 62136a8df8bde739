/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The policy maps' keys and values, shared by the BPF side (bpf/policy.h)
 * and user space (policy_compile.c, policy_rt.c). Same rules as event.h:
 * fixed-width types, explicit padding, asserted sizes.
 *
 * How a decision is made (bpf/policy.h): every rule is one bit of a __u64.
 * For each kind of condition, one map lookup gives the mask of rules whose
 * condition of that kind holds for this exec; rules without a condition of
 * that kind are in the generation's "cares" mask's complement. A rule
 * matches when every kind holds: AND over kinds of (hit | ~cares). The
 * lowest set bit (the first rule in the file) decides.
 *
 * Every key carries the generation. A reload writes a whole new generation
 * next to the running one, then flips pol_active (one map update), so an
 * exec is decided entirely by one generation; the generation before the
 * running one is deleted at the next reload.
 */
#ifndef EXECWATCH_POLICY_ABI_H
#define EXECWATCH_POLICY_ABI_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/*
 * Path bytes in an LPM trie key. The trie's keys are at most 256 data bytes
 * (LPM_DATA_SIZE_MAX); 4 go to the generation, which leads the key so that
 * every entry's prefix covers it.
 */
#define EW_POL_PATH_BYTES 248

enum ew_pol_kind {
	EW_POL_K_FILE = 0, /* path (LPM exact), path_prefix (LPM), inode and path identities */
	EW_POL_K_UID,
	EW_POL_K_NOT_UID, /* inverted: a hit rules the rule out */
	EW_POL_K_CGROUP, /* the exec's cgroup or an ancestor */
	EW_POL_K_PARENT, /* the parent's executable, by identity */
	EW_POL_K_COMM,
	EW_POL_K_FILELESS,
	EW_POL_K_NR,
};

/* pol_keys: every exact-match condition. */
struct ew_pol_key {
	__u32 gen;
	__u32 kind; /* enum ew_pol_kind */
	__u64 a; /* FILE/PARENT: dev (kernel encoding); UID: uid; CGROUP: id; COMM: bytes 0-7 */
	__u64 b; /* FILE/PARENT: inode; COMM: bytes 8-15 */
};

/* pol_paths: path and path_prefix. An exact path's prefix includes its NUL. */
struct ew_pol_lpm {
	__u32 prefixlen; /* bits, counting the 32 of gen */
	__u8 gen_be[4]; /* the generation, big-endian: compared bit by bit from the top */
	char path[EW_POL_PATH_BYTES];
};

/* pol_gens: per generation. */
struct ew_pol_gen {
	__u64 cares[EW_POL_K_NR]; /* rules that have a condition of this kind */
	__u8 action[64]; /* per rule: enum ew_policy_action */
	__u32 nr_rules;
	__u32 need_path; /* some rule looks at the exe path: walk it */
	__u32 has_deny; /* some rule denies: the LSM hook has work to do */
	__u32 reserved;
};

/* pol_active: the one-entry switch. */
struct ew_pol_active {
	__u32 gen; /* 0: no policy */
	__u32 reserved;
};

#ifdef __bpf__
#define EW_POL_ASSERT(cond, msg) _Static_assert(cond, msg)
#else
#include <assert.h>
#define EW_POL_ASSERT(cond, msg) static_assert(cond, msg)
#endif
EW_POL_ASSERT(sizeof(struct ew_pol_key) == 24, "ew_pol_key layout");
EW_POL_ASSERT(sizeof(struct ew_pol_lpm) == 256, "ew_pol_lpm layout");
EW_POL_ASSERT(sizeof(struct ew_pol_gen) == 8 * EW_POL_K_NR + 64 + 16, "ew_pol_gen layout");

#endif /* EXECWATCH_POLICY_ABI_H */
