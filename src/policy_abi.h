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
	EW_POL_K_FILENAME, /* a glob on bprm->filename (pol_texts, matched by a loop) */
	EW_POL_K_ARGV, /* a substring of the argv bytes (pol_texts, matched by a loop) */
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
	__u32 nr_globs; /* pol_texts entries 0..nr_globs-1: filename globs */
	__u32 nr_needles; /* entries EW_POL_GLOBS_MAX..+nr_needles-1: argv substrings */
	__u32 reserved;
};

/*
 * pol_texts: the text conditions, filename globs and argv substrings, which
 * no map lookup can decide: exec_success runs a bounded matcher over the
 * record's filename or argv bytes for each of them (bpf/policy.h), only when
 * the generation has some. A glob is compiled to one token per pattern
 * element (a byte, '?', '*' or a bracket class, whose 256-bit set is in
 * cls); a substring is its bytes, all literal tokens.
 */
#define EW_POL_GLOBS_MAX 16
#define EW_POL_NEEDLES_MAX 16
#define EW_POL_GLOB_BYTES 128 /* a glob's pattern text, at most */
#define EW_POL_NEEDLE_BYTES 64 /* an argv substring, at most */
#define EW_POL_TOKENS 128
#define EW_POL_CLASSES 8 /* bracket classes per glob */

enum ew_pol_op {
	EW_POL_OP_BYTE = 0,
	EW_POL_OP_ANY, /* '?' */
	EW_POL_OP_STAR, /* '*' */
	EW_POL_OP_CLASS, /* '[...]': tok is the class index */
};

struct ew_pol_text_key {
	__u32 gen;
	__u32 index; /* glob: 0..15; substring: EW_POL_GLOBS_MAX + 0..15 */
};

struct ew_pol_text {
	__u64 mask; /* the rules this text belongs to */
	__u32 len; /* tokens */
	__u32 reserved;
	__u8 op[EW_POL_TOKENS]; /* enum ew_pol_op */
	__u8 tok[EW_POL_TOKENS]; /* EW_POL_OP_BYTE: the byte; EW_POL_OP_CLASS: class index */
	__u8 cls[EW_POL_CLASSES][32]; /* bit c of class k: cls[k][c >> 3] & (1 << (c & 7)) */
};

/*
 * The glob matcher, one step at a time, shared by the kernel (a bpf_loop()
 * callback) and user space (the unit test compares it with fnmatch(3)):
 * the classic iterative matcher that keeps one backtrack point, the last
 * '*' and where it started matching; O(len(text) * len(pattern)) steps,
 * no recursion. '*' and '?' match any byte, '/' included (fnmatch() without
 * FNM_PATHNAME). ch is the text byte at st->s when st->s < st->n.
 * Returns 0 to be called again, 1 when decided (st->result).
 */
struct ew_pol_glob_st {
	__u32 p, s; /* pattern token, text byte */
	__u32 star_p, star_s; /* the last '*' + 1 (0: none yet), where its match ends */
	__u32 n; /* text bytes */
	__u32 result;
};

static inline int ew_pol_glob_step(struct ew_pol_glob_st *st, const struct ew_pol_text *t, __u8 ch)
{
	__u32 p = st->p, m = t->len;

	if (m > EW_POL_TOKENS)
		m = EW_POL_TOKENS;
	if (p < m) {
		__u8 op = t->op[p & (EW_POL_TOKENS - 1)];
		__u8 tok = t->tok[p & (EW_POL_TOKENS - 1)];

		if (op == EW_POL_OP_STAR) {
			st->star_p = p + 1;
			st->star_s = st->s;
			st->p = p + 1;
			return 0;
		}
		if (st->s < st->n &&
		    (op == EW_POL_OP_ANY || (op == EW_POL_OP_BYTE && tok == ch) ||
		     (op == EW_POL_OP_CLASS &&
		      (t->cls[tok & (EW_POL_CLASSES - 1)][ch >> 3] & (1u << (ch & 7)))))) {
			st->p = p + 1;
			st->s++;
			return 0;
		}
	} else if (st->s >= st->n) {
		st->result = 1; /* pattern and text both used up */
		return 1;
	}
	/* Mismatch: let the last '*' take one more byte, if there is one left. */
	if (st->star_p && st->star_s < st->n) {
		st->star_s++;
		st->s = st->star_s;
		st->p = st->star_p;
		return 0;
	}
	st->result = 0;
	return 1;
}

/* Index of the lowest set bit of a non-zero mask: the first rule in the file. */
static inline __u32 ew_pol_first(__u64 m)
{
	__u32 i = 0;

	m &= -m;
	if (m & 0xffffffff00000000ULL)
		i += 32;
	if (m & 0xffff0000ffff0000ULL)
		i += 16;
	if (m & 0xff00ff00ff00ff00ULL)
		i += 8;
	if (m & 0xf0f0f0f0f0f0f0f0ULL)
		i += 4;
	if (m & 0xccccccccccccccccULL)
		i += 2;
	if (m & 0xaaaaaaaaaaaaaaaaULL)
		i += 1;
	return i;
}

/*
 * The rule that decides, 1-based, or 0. match: the rules every condition
 * looked at so far left standing. pending: those of them whose filename or
 * argv condition could not be looked at here (the LSM hook: no record, so
 * no text to match; 0 where the text was matched). A pending rule may still
 * match, so it keeps its place in file order: when the first rule standing
 * is pending, nothing is decided here, and a later rule must not decide in
 * its stead (a deny after a log rule with a filename glob would refuse an
 * exec the log rule takes). sched_process_exec decides such an exec with
 * the text known (a deny then carried out as kill).
 */
static inline __u32 ew_pol_decider(__u64 match, __u64 pending)
{
	if (!match || (match & -match & pending))
		return 0;
	return ew_pol_first(match) + 1;
}

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
EW_POL_ASSERT(sizeof(struct ew_pol_gen) == 8 * EW_POL_K_NR + 64 + 24, "ew_pol_gen layout");
EW_POL_ASSERT(sizeof(struct ew_pol_text) == 16 + 2 * EW_POL_TOKENS + 32 * EW_POL_CLASSES,
	      "ew_pol_text layout");

#endif /* EXECWATCH_POLICY_ABI_H */
