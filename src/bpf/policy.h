/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The exec policy's kernel side (issue 6): decide, with map lookups only,
 * whether an exec is logged, killed or denied, before the new program runs
 * a single instruction. Included once, by execwatch.bpf.c, after path.h.
 *
 * The decision (see ../policy_abi.h): one lookup per kind of condition
 * gives the rules whose condition of that kind holds; a rule matches when
 * all its kinds hold; the first rule in file order decides. The active
 * generation is read once per exec, and every lookup carries it, so a
 * reload (a new generation written beside the old one, then one update of
 * pol_active) can never make an exec see half a policy.
 *
 * Where the decision is carried out:
 *  - tp_btf/sched_process_exec (exec_success calls ew_policy_exec()): after
 *    the point of no return, in the new process, before it returns to user
 *    space. kill -> bpf_send_signal(SIGKILL): the signal is pending when the
 *    task leaves the kernel, so not one instruction of the new image runs.
 *    deny is carried out the same way when BPF LSM is not available
 *    (--deny-fallback=kill), or if an exec got past the LSM hook because the
 *    policy changed in between.
 *  - lsm/bprm_check_security (pol_bprm_check): deny -> -EPERM, the exec
 *    fails. Loaded only when the policy has deny rules and the kernel allows
 *    BPF LSM. Called for every binfmt round: for a #! script once with the
 *    script and once with its interpreter, so a deny rule on an interpreter
 *    also denies the scripts it would run (sched_process_exec sees the
 *    final interpreter as bprm->file too).
 *
 * Inputs and where they come from:
 *  - file identity: bprm->file's inode (i_sb->s_dev, i_ino); fileless:
 *    i_nlink == 0 (a memfd is created with no links; a deleted file has
 *    none left);
 *  - exe path: (buffer, len) given to ew_pol_decide(); ew_policy_exec()
 *    takes the record's own walk of bprm->file (the exe field) when there
 *    is one, and walks it itself with path.h into pol_scratch otherwise
 *    (execs the display filters drop, a failed walk);
 *  - uid: the real uid (an exec does not change it; setuid changes euid);
 *  - cgroup: the current cgroup and its ancestors (16 levels), through kernfs;
 *  - parent: real_parent->mm->exe_file's identity;
 *  - comm: at sched_process_exec the task's new comm; at bprm_check the
 *    same value computed as the kernel will (basename of bprm->filename,
 *    __set_task_comm() in begin_new_exec()).
 */
#ifndef EXECWATCH_BPF_POLICY_H
#define EXECWATCH_BPF_POLICY_H

#include "../policy_abi.h"

#define EW_POL_SIGKILL 9
#define EW_POL_EPERM 1
#define EW_POL_CGROUP_LEVELS 16
/* The filename bytes bprm_check reads to find the basename (the comm). */
#define EW_POL_FNAME_BYTES 256

/* Set by user space before load (policy_rt.c). */
const volatile bool pol_enabled = false;
const volatile bool pol_dry_run = false;

/* mm->exe_file, not in kernel_types.h's mm_struct (a CO-RE flavour of it). */
struct mm_struct___pol {
	struct file *exe_file;
} __attribute__((preserve_access_index));

/*
 * The task's cgroup v2 and its ancestors, read through kernfs:
 * task->cgroups->dfl_cgrp->kn, whose id is what bpf_get_current_cgroup_id()
 * returns, and whose parent is the parent cgroup's node. Not
 * bpf_get_current_ancestor_cgroup_id(): tracing and LSM programs may call
 * it only since 5.12 or so, and 5.10 refuses the whole program.
 */
struct kernfs_node___pol {
	struct kernfs_node___pol *parent;
	__u64 id; /* u64 since v5.5 */
} __attribute__((preserve_access_index));

/* Renamed __parent when kernfs moved it under RCU (v6.15); 6.18 here has only __parent. */
struct kernfs_node___v615 {
	struct kernfs_node___pol *__parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node___pol *pol_kn_parent(struct kernfs_node___pol *kn)
{
	if (bpf_core_field_exists(kn->parent))
		return BPF_CORE_READ(kn, parent);
	return BPF_CORE_READ((struct kernfs_node___v615 *)kn, __parent);
}

struct cgroup___pol {
	struct kernfs_node___pol *kn;
} __attribute__((preserve_access_index));

struct css_set___pol {
	struct cgroup___pol *dfl_cgrp;
} __attribute__((preserve_access_index));

struct task_struct___pol {
	struct css_set___pol *cgroups;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ew_pol_active);
} pol_active SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct ew_pol_gen);
} pol_gens SEC(".maps");

/* Two generations' worth: the running one and the one being installed. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * 8192);
	__type(key, struct ew_pol_key);
	__type(value, __u64);
} pol_keys SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 2 * 2048);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ew_pol_lpm);
	__type(value, __u64);
} pol_paths SEC(".maps");

/* Filename globs and argv substrings of the generations (policy_abi.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4 * (EW_POL_GLOBS_MAX + EW_POL_NEEDLES_MAX));
	__type(key, struct ew_pol_text_key);
	__type(value, struct ew_pol_text);
} pol_texts SEC(".maps");

/*
 * What pol_bprm_check denied, for the failed-exec record. Keyed by tid, and
 * tied to one exec by enter_ns: the exec_stash entry's (sys_enter) time of
 * the attempt it denied, which the failed-exec record must have too. A tid
 * alone is not enough: a denied exec whose sys_exit never reports (filtered,
 * no stash entry, a kernel_execve() or a 32-bit call without syscall
 * tracepoints) would leave its entry for a later failed exec of that tid,
 * or of a thread that reuses it, to be reported as denied. report_failure
 * takes (deletes) the entry on every failed exec, reported or not.
 */
struct pol_denial {
	struct ew_exec_policy decision;
	__u64 enter_ns; /* the denied attempt's exec_stash enter_ns; 0: none (never attributed) */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct pol_denial);
} pol_denied SEC(".maps");

/*
 * Working memory, per CPU: the walk's buffers and ew_path_info must be in
 * map memory (path.h), and the 256-byte LPM key would not fit the stack
 * beside exec_success's own.
 */
struct pol_scratch {
	struct ew_task_fs tfs;
	struct ew_path_info exe;
	struct ew_pol_lpm key;
	struct ew_exec_policy out; /* ew_pol_decide()'s result */
	/* The glob matcher's state: in map memory, so the verifier sees unknown values, not 2^n states. */
	struct ew_pol_glob_st glob;
	__u32 text_flags; /* ew_pol_text()'s flags for the record */
	__u32 reserved2;
	__u64 hit; /* ew_pol_text(): rules whose text of the current kind matched */
	char comm[16];
	__u32 base; /* pol_comm_of(): where the basename starts */
	__u32 reserved;
	char fname[EW_POL_FNAME_BYTES];
	char buf[EW_PATH_MAX + EW_PATH_SLACK];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pol_scratch);
} pol_scratch SEC(".maps");

static __always_inline struct pol_scratch *pol_scratch_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&pol_scratch, &zero);
}

static __always_inline __u64 pol_hits(__u32 gen, __u32 kind, __u64 a, __u64 b)
{
	struct ew_pol_key k = { .gen = gen, .kind = kind, .a = a, .b = b };
	__u64 *mask = bpf_map_lookup_elem(&pol_keys, &k);

	return mask ? *mask : 0;
}

/* A file's identity as stat(2) reports it (generic_fillattr()). */
static __always_inline void pol_identity(struct file *file, __u64 *dev, __u64 *ino, __u32 *nlink)
{
	struct inode *inode = BPF_CORE_READ(file, f_path.dentry, d_inode);

	*dev = BPF_CORE_READ(inode, i_sb, s_dev);
	*ino = BPF_CORE_READ(inode, i_ino);
	*nlink = BPF_CORE_READ(inode, i_nlink);
}

/*
 * Text conditions (exec_success_t only: bpf_loop() exists since 5.17, and a
 * loop over up to 4 KiB of filename or the whole argv, per pattern, is far
 * beyond what the verifier unrolls). The text is the record being built in
 * the scratch map: the filename right after struct ew_exec, the argv after
 * it. The callbacks get a stack context holding map-value pointers.
 */
struct pol_glob_ctx {
	struct ew_pol_glob_st *st; /* in pol_scratch */
	const struct ew_pol_text *t;
	const char *text; /* the record's filename: (char *)(e + 1) */
};

static int pol_glob_cb(__u32 i, void *data)
{
	struct pol_glob_ctx *c = data;
	__u32 s = c->st->s;
	__u8 ch = 0;

	if (s < c->st->n)
		ch = c->text[s & (EW_FILENAME_MAX - 1)];
	return ew_pol_glob_step(c->st, c->t, ch);
}

struct pol_sub_ctx {
	const struct ew_pol_text *t;
	const char *base; /* (char *)(e + 1): argv starts off bytes later */
	__u32 off;
	__u32 n; /* argv bytes */
	__u32 found;
};

/*
 * Bytes after struct ew_exec that are inside the record buffer for sure
 * (the loader makes it EW_FILENAME_MAX + 2 * max_argv_bytes): a constant
 * to the verifier (frozen rodata), which bounds every read.
 */
static __always_inline __u32 pol_text_room(void)
{
	__u32 limit = max_argv_bytes;

	return EW_FILENAME_MAX + (limit > EW_ARGV_CEILING_BYTES ? EW_ARGV_CEILING_BYTES : limit);
}

/* Argv start positions one bpf_loop() callback tries: the call costs more than a byte compare. */
#define EW_POL_SUB_CHUNK 16

/*
 * Does the substring start at argv byte i? 1 yes, 0 no, -1 no room left:
 * stop. After the first byte, 8 bytes at a time (little-endian: a short
 * last word keeps its low bytes); a word may read up to 7 bytes past the
 * argv, still inside the record buffer (pol_text_room() leaves
 * max_argv_bytes >= 64 spare), and those bytes are masked off. The
 * substring's bytes past its length are zero in the map.
 */
static __always_inline int pol_sub_at(struct pol_sub_ctx *c, const struct ew_pol_text *t, __u32 i)
{
	__u32 len = t->len, at = c->off + i, lim = pol_text_room(), w;

	if (len > EW_POL_NEEDLE_BYTES || i + len > c->n || at >= lim)
		return -1;
	if (c->base[at] != t->tok[0])
		return 0;
	for (w = 0; w < EW_POL_NEEDLE_BYTES / 8; w++) {
		__u64 k = (__u64)at + 8 * w; /* 64 bits: no zero-extension between check and use */
		__u32 left = len - 8 * w;
		__u64 mask = left >= 8 ? ~0ULL : (1ULL << (8 * left)) - 1;
		__u64 have, want;

		if (8 * w >= len)
			return 1;
		if (k >= lim)
			return -1;
		/* Index with the register just checked: clang would otherwise add 8 * w to base + at. */
		barrier_var(k);
		/* Unaligned 8-byte loads: map values allow them where the CPU does. */
		have = *(const __u64 *)(c->base + k);
		want = *(const __u64 *)(t->tok + 8 * w);
		if ((have ^ want) & mask)
			return 0;
	}
	return 1; /* len == EW_POL_NEEDLE_BYTES */
}

/* Start positions i * EW_POL_SUB_CHUNK and the next ones; 1 stops the loop. */
static int pol_sub_cb(__u32 i, void *data)
{
	struct pol_sub_ctx *c = data;
	const struct ew_pol_text *t = c->t;
	__u32 q;
	int r;

	for (q = 0; q < EW_POL_SUB_CHUNK; q++) {
		r = pol_sub_at(c, t, i * EW_POL_SUB_CHUNK + q);
		if (r) {
			c->found = r > 0;
			return 1;
		}
	}
	return 0;
}

/*
 * One pattern per bpf_loop() callback: pol_glob_each() runs glob i,
 * pol_sub_each() substring i, each a bpf_loop() of its own over the text.
 * Not a for loop over the patterns: the verifier checks a callback once for
 * an unknown index, where a counted loop made it check the inner callback
 * again for every value of the counter (16 globs and 16 substrings, each
 * callback several times); on Linux 6.18 exec_success_t went past the 1M
 * instructions that way and did not load.
 */
struct pol_each_ctx {
	struct pol_scratch *s;
	const char *base; /* the record's filename: (char *)(e + 1); argv follows it */
	__u64 want; /* rules whose text of this kind is still to be matched */
	__u32 gen;
	__u32 n; /* filename bytes (globs) or argv bytes (substrings) */
	__u32 off; /* substrings: where argv starts after base */
	__u32 reserved;
};

static int pol_glob_each(__u32 i, void *data)
{
	struct pol_each_ctx *c = data;
	struct pol_scratch *s = c->s;
	struct ew_pol_text_key key = { .gen = c->gen, .index = i };
	const struct ew_pol_text *t = bpf_map_lookup_elem(&pol_texts, &key);
	struct pol_glob_ctx gc = {};

	if (!t || !(t->mask & c->want & ~s->hit))
		return 0;
	__builtin_memset(&s->glob, 0, sizeof(s->glob));
	s->glob.n = c->n;
	gc.st = &s->glob;
	gc.t = t;
	gc.text = c->base;
	/* Enough steps for the worst case: (n + 1) * (m + 1) and the trailing '*'s. */
	bpf_loop((c->n + 2) * ((t->len & (EW_POL_TOKENS - 1)) + 2), pol_glob_cb, &gc, 0);
	if (s->glob.result)
		s->hit |= t->mask;
	return 0;
}

static int pol_sub_each(__u32 i, void *data)
{
	struct pol_each_ctx *c = data;
	struct pol_scratch *s = c->s;
	struct ew_pol_text_key key = { .gen = c->gen, .index = EW_POL_GLOBS_MAX + i };
	const struct ew_pol_text *t = bpf_map_lookup_elem(&pol_texts, &key);
	struct pol_sub_ctx sc = {};

	if (!t || !(t->mask & c->want & ~s->hit))
		return 0;
	sc.t = t;
	sc.base = c->base;
	sc.off = c->off;
	sc.n = c->n;
	bpf_loop((c->n + EW_POL_SUB_CHUNK - 1) / EW_POL_SUB_CHUNK, pol_sub_cb, &sc, 0);
	if (sc.found)
		s->hit |= t->mask;
	return 0;
}

/*
 * The rules of match whose filename and argv conditions hold, for the exec
 * whose record is being built in this CPU's scratch buffer. Only texts of
 * rules still in the running are matched; a rule with several values of
 * one kind is done at its first hit. Global: verified once, on its own,
 * not once per path of the caller that reaches it.
 */
__noinline __u64 ew_pol_text(__u32 gen, __u64 match)
{
	__u32 cpu = bpf_get_smp_processor_id();
	/* The record sits after the path walk's working memory (scratch_get()). */
	struct path_scratch *ps = bpf_map_lookup_elem(&scratch, &cpu);
	struct ew_exec *e;
	struct pol_scratch *s = pol_scratch_get();
	struct ew_pol_gen *g = bpf_map_lookup_elem(&pol_gens, &gen);
	struct pol_each_ctx c = { .gen = gen };
	__u64 cares;
	__u32 n;

	if (!g)
		return 0;
	cares = g->cares[EW_POL_K_FILENAME] | g->cares[EW_POL_K_ARGV];
	if (!ps || !s)
		return match & ~cares;
	e = (struct ew_exec *)(ps + 1);
	s->text_flags = 0;
	c.s = s;
	c.base = (const char *)(e + 1);
	/*
	 * The hits so far live in map memory (s->hit), not a register: a
	 * register that is 0 on one path and a mask on another would make each
	 * pattern's states distinct, 2^16 of them for older verifiers (6.1).
	 */
	s->hit = 0;
	cares = g->cares[EW_POL_K_FILENAME];
	if (match & cares) {
		c.want = match & cares;
		c.n = e->filename_len & (EW_FILENAME_MAX - 1);
		n = g->nr_globs;
		bpf_loop(n < EW_POL_GLOBS_MAX ? n : EW_POL_GLOBS_MAX, pol_glob_each, &c, 0);
		match &= s->hit | ~cares;
	}
	cares = g->cares[EW_POL_K_ARGV];
	s->hit = 0;
	if (match & cares) {
		n = e->argv_len;
		if (n > EW_ARGV_CEILING_BYTES)
			n = 0;
		if (e->hdr.flags & EW_F_ARGV_TRUNCATED)
			s->text_flags |= EW_POLICY_F_ARGV_PARTIAL;
		c.want = match & cares;
		c.n = n;
		c.off = e->filename_len & (EW_FILENAME_MAX - 1);
		n = g->nr_needles;
		bpf_loop(n < EW_POL_NEEDLES_MAX ? n : EW_POL_NEEDLES_MAX, pol_sub_each, &c, 0);
		match &= s->hit | ~cares;
	}
	return match;
}

/*
 * The decision for one exec of generation gen, on the current task. file:
 * the executed struct file; comm: the new program's 16-byte comm; path: the
 * exe path's bytes (path_len of them, in kernel or map memory; NULL or 0:
 * not known, only identities match then); text: the record being built,
 * whose filename and argv the text conditions look at. NULL: not known (the
 * LSM hook; a scratch miss): a rule with such a condition could still
 * match, so when it is the first rule standing nothing is decided
 * (ew_pol_decider()), and no later rule decides in its place. The result
 * is left in pol_scratch's out (s); returns its action. Inlined: a global
 * function could take only scalars, and the path is map memory.
 */
static __always_inline int ew_pol_decide(struct pol_scratch *s, __u32 gen, struct file *file,
					 const char *comm, const char *path, __u32 path_len,
					 const struct ew_exec *text)
{
	__u8 text_flags = 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct ew_pol_gen *g;
	__u64 match, cares, hit, dev, ino, pending = 0;
	__u32 nlink, uid, i, rule;

	__builtin_memset(&s->out, 0, sizeof(s->out));
	g = bpf_map_lookup_elem(&pol_gens, &gen);
	if (!g || !g->nr_rules)
		return 0;
	match = g->nr_rules >= 64 ? ~0ULL : (1ULL << g->nr_rules) - 1;

	/* The executed file: identity, exact path or prefix; fileless. */
	pol_identity(file, &dev, &ino, &nlink);
	cares = g->cares[EW_POL_K_FILE];
	if (match & cares) {
		hit = pol_hits(gen, EW_POL_K_FILE, dev, ino);
		if (path_len && path) {
			__u32 n = path_len < EW_POL_PATH_BYTES ? path_len : EW_POL_PATH_BYTES;
			__u64 *mask;

			/*
			 * One extra byte: an exact entry's prefix ends with the NUL.
			 * The barrier keeps clang from sizing the read with path_len
			 * itself when it is below the cap, which the verifier cannot
			 * bound.
			 */
			barrier_var(n);
			n &= 0xff;
			if (n > EW_POL_PATH_BYTES)
				n = EW_POL_PATH_BYTES;
			bpf_probe_read_kernel(s->key.path, n, path);
			if (n < EW_POL_PATH_BYTES)
				s->key.path[n & 0xff] = '\0', n++;
			s->key.prefixlen = 32 + 8 * n;
			s->key.gen_be[0] = gen >> 24;
			s->key.gen_be[1] = gen >> 16;
			s->key.gen_be[2] = gen >> 8;
			s->key.gen_be[3] = gen;
			mask = bpf_map_lookup_elem(&pol_paths, &s->key);
			if (mask)
				hit |= *mask;
		}
		match &= hit | ~cares;
	}
	cares = g->cares[EW_POL_K_FILELESS];
	if ((match & cares) && nlink != 0)
		match &= ~cares;

	uid = BPF_CORE_READ(task, cred, uid.val);
	cares = g->cares[EW_POL_K_UID];
	if (match & cares)
		match &= pol_hits(gen, EW_POL_K_UID, uid, 0) | ~cares;
	if (match & g->cares[EW_POL_K_NOT_UID])
		match &= ~pol_hits(gen, EW_POL_K_NOT_UID, uid, 0);

	cares = g->cares[EW_POL_K_CGROUP];
	if (match & cares) {
		struct task_struct___pol *t = (struct task_struct___pol *)task;
		struct kernfs_node___pol *kn = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn);

		hit = 0;
		for (i = 0; i < EW_POL_CGROUP_LEVELS && kn; i++) {
			hit |= pol_hits(gen, EW_POL_K_CGROUP, BPF_CORE_READ(kn, id), 0);
			kn = pol_kn_parent(kn);
		}
		match &= hit | ~cares;
	}

	cares = g->cares[EW_POL_K_PARENT];
	if (match & cares) {
		struct mm_struct___pol *mm =
			(struct mm_struct___pol *)BPF_CORE_READ(task, real_parent, mm);
		struct file *exe = mm ? BPF_CORE_READ(mm, exe_file) : NULL;

		hit = 0;
		if (exe) {
			__u64 pdev, pino;
			__u32 pnlink;

			pol_identity(exe, &pdev, &pino, &pnlink);
			hit = pol_hits(gen, EW_POL_K_PARENT, pdev, pino);
		}
		match &= hit | ~cares;
	}

	cares = g->cares[EW_POL_K_COMM];
	if (match & cares) {
		__u64 c[2] = {};

		bpf_probe_read_kernel(c, sizeof(c), comm);
		match &= pol_hits(gen, EW_POL_K_COMM, c[0], c[1]) | ~cares;
	}

	/* Last: the loops run only for rules that every lookup left standing. */
	cares = g->cares[EW_POL_K_FILENAME] | g->cares[EW_POL_K_ARGV];
	if (match & cares) {
		if (text) {
			match = ew_pol_text(gen, match);
			text_flags = (__u8)s->text_flags;
		} else {
			pending = match & cares; /* could match: they keep their place */
		}
	}

	s->out.flags = text_flags;
	rule = ew_pol_decider(match, pending);
	if (!rule)
		return 0;
	rule--;
	s->out.rule = rule + 1;
	s->out.generation = gen;
	s->out.action = g->action[rule & 63];
	if (pol_dry_run)
		s->out.flags |= EW_POLICY_F_DRY_RUN;
	return s->out.action;
}

/* The path and identity of file (a struct file address) into pol_scratch. Global: see path.h. */
__noinline int ew_pol_walk(__u64 file)
{
	struct pol_scratch *s = pol_scratch_get();

	if (!s)
		return -1;
	ew_task_fs_get(&s->tfs, (struct task_struct *)bpf_get_current_task(), false);
	ew_path_file(&s->exe, s->buf, EW_PATH_MAX, (struct file *)file, &s->tfs, false);
	return 0;
}

/* The active generation, read once: every lookup of this exec uses it. */
static __always_inline __u32 pol_active_gen(bool *need_path, bool *has_deny)
{
	__u32 zero = 0;
	struct ew_pol_active *a = bpf_map_lookup_elem(&pol_active, &zero);
	struct ew_pol_gen *g;
	__u32 gen;

	*need_path = false;
	*has_deny = false;
	if (!a)
		return 0;
	gen = a->gen;
	barrier_var(gen);
	g = gen ? bpf_map_lookup_elem(&pol_gens, &gen) : NULL;
	if (!g)
		return 0;
	*need_path = g->need_path != 0;
	*has_deny = g->has_deny != 0;
	return gen;
}

/* Does the active generation have filename or argv rules (exec_success_t builds the text)? */
static __always_inline bool ew_policy_wants_text(void)
{
	__u32 zero = 0, gen;
	struct ew_pol_active *a;
	struct ew_pol_gen *g;

	if (!pol_enabled)
		return false;
	a = bpf_map_lookup_elem(&pol_active, &zero);
	if (!a)
		return false;
	gen = a->gen;
	g = gen ? bpf_map_lookup_elem(&pol_gens, &gen) : NULL;
	return g && (g->nr_globs || g->nr_needles);
}

/*
 * From exec_success, for every exec (also those the display filters drop):
 * decide, carry out kill (and deny without LSM), and copy the decision into
 * the record when there is one (rec may be NULL). text: see ew_pol_decide().
 */
static __always_inline void ew_policy_exec(struct ew_exec_policy *rec, struct task_struct *p,
					   struct linux_binprm *bprm, const struct ew_exec *text,
					   const char *walked, __u32 walked_len)
{
	struct pol_scratch *s;
	struct file *file;
	const char *path = NULL;
	__u32 path_len = 0, gen;
	bool need_path, has_deny;
	int action;

	if (!pol_enabled)
		return;
	gen = pol_active_gen(&need_path, &has_deny);
	if (!gen)
		return;
	s = pol_scratch_get();
	if (!s)
		return;
	/* Read only now: a helper call the compiler cannot drop, paid by every exec without a policy. */
	file = BPF_CORE_READ(bprm, file);
	/* The record's own walk of the same file, when it made one: no second walk. */
	if (need_path && walked && walked_len) {
		path = walked;
		path_len = walked_len;
	} else if (need_path && !ew_pol_walk((__u64)file)) {
		__u32 off = s->exe.off, len = s->exe.len;

		if (off < EW_PATH_MAX && len < EW_PATH_MAX) {
			path = s->buf + (off & (EW_PATH_MAX - 1));
			path_len = len;
		}
	}
	bpf_get_current_comm(s->comm, sizeof(s->comm));
	action = ew_pol_decide(s, gen, file, s->comm, path, path_len, text);
	if ((action == EW_POLICY_KILL || action == EW_POLICY_DENY) && !pol_dry_run) {
		/* Counted here: an exec the display filters drop has no record to show it. */
		if (bpf_send_signal(EW_POL_SIGKILL)) {
			s->out.flags |= EW_POLICY_F_SIGNAL_FAILED;
			count(EW_CTR_POLICY_KILL_FAILED);
		} else {
			s->out.flags |= EW_POLICY_F_ENFORCED;
			count(EW_CTR_POLICY_KILLED);
		}
		if (action == EW_POLICY_DENY)
			s->out.flags |= EW_POLICY_F_AS_KILL;
	}
	if (rec)
		*rec = s->out;
}

/*
 * From report_failure, on every failed exec before anything can return
 * early: take (copy and delete) what pol_bprm_check denied for this thread,
 * so no entry outlives the exec it was made for. d->enter_ns is 0 when
 * there was none.
 */
static __always_inline bool ew_policy_take_denial(struct pol_denial *d, __u32 tid)
{
	struct pol_denial *denied;

	d->enter_ns = 0;
	if (!pol_enabled)
		return false;
	denied = bpf_map_lookup_elem(&pol_denied, &tid);
	if (!denied)
		return false;
	*d = *denied;
	bpf_map_delete_elem(&pol_denied, &tid);
	return true;
}

/*
 * The denial d (taken: found), in the record of the failed attempt stashed
 * at enter_ns, only when it was made for that attempt (see pol_denied). An
 * attempt rebuilt from the caller's registers (no stash entry: enter_ns 0)
 * takes a denial made without one either: pol_bprm_check found no entry
 * for it as well. (A denied exec whose sys_exit is never seen, a 32-bit
 * execve, can leave such an entry for the thread's next failure of that
 * kind; only then would a failure be reported as denied wrongly.)
 */
static __always_inline void ew_policy_failed(struct ew_exec_policy *rec, const struct pol_denial *d,
					     bool found, __u64 enter_ns)
{
	if (pol_enabled && found && d->enter_ns == enter_ns)
		*rec = d->decision;
}

/*
 * The comm the kernel will give the new program: kbasename(bprm->filename),
 * cut to 15 bytes (begin_new_exec() -> __set_task_comm()). A filename
 * longer than EW_POL_FNAME_BYTES - 1 is read from its start, so its
 * basename may be missed: such comm rules then do not match.
 */
static __always_inline void pol_comm_of(struct pol_scratch *s, struct linux_binprm *bprm)
{
	long n = bpf_probe_read_kernel_str(s->fname, sizeof(s->fname),
					   BPF_CORE_READ(bprm, filename));
	volatile __u32 *base_p;
	__u32 i, base;

	__builtin_memset(s->comm, 0, sizeof(s->comm));
	if (n <= 0)
		return;
	/*
	 * The last '/' is kept in map memory, not a register: a register
	 * holding a different constant on each path would make every
	 * iteration's states distinct, and the verifier would explore 2^n of
	 * them.
	 */
	base_p = &s->base; /* volatile: clang would otherwise keep it in a register */
	*base_p = 0;
	for (i = 0; i < EW_POL_FNAME_BYTES - 1 && i < (__u32)n; i++)
		if (s->fname[i] == '/')
			*base_p = i + 1;
	base = *base_p & (EW_POL_FNAME_BYTES - 1);
	for (i = 0; i < 15; i++) {
		char c = s->fname[(base + i) & (EW_POL_FNAME_BYTES - 1)];

		if (!c || base + i >= EW_POL_FNAME_BYTES)
			break;
		s->comm[i] = c;
	}
}

/*
 * deny, where BPF LSM is allowed. Autoloaded only when needed (policy_rt.c),
 * so a kernel that refuses LSM programs loads everything else.
 */
SEC("lsm/bprm_check_security")
int BPF_PROG(pol_bprm_check, struct linux_binprm *bprm, int ret)
{
	struct file *file = BPF_CORE_READ(bprm, file);
	struct pol_scratch *s;
	struct exec_attempt *stashed;
	struct pol_denial d = {};
	const char *path = NULL;
	__u32 path_len = 0, gen, tid;
	bool need_path, has_deny;

	/*
	 * ret: what an earlier BPF program on this hook returned. Pass a
	 * refusal on, inside the range newer verifiers enforce for LSM
	 * programs ([-MAX_ERRNO, 0]).
	 */
	if (ret)
		return ret < 0 && ret >= -4095 ? ret : -EW_POL_EPERM;
	gen = pol_active_gen(&need_path, &has_deny);
	/* Nothing to deny (or a dry run, which exec_success reports): no cost here. */
	if (!gen || !has_deny || pol_dry_run)
		return 0;
	s = pol_scratch_get();
	if (!s)
		return 0;
	pol_comm_of(s, bprm);
	if (need_path && !ew_pol_walk((__u64)file)) {
		__u32 off = s->exe.off, len = s->exe.len;

		if (off < EW_PATH_MAX && len < EW_PATH_MAX) {
			path = s->buf + (off & (EW_PATH_MAX - 1));
			path_len = len;
		}
	}
	/*
	 * filename and argv conditions are not looked at here (no record): a
	 * rule with one that comes first leaves the exec to exec_success
	 * (ew_pol_decider(), docs/policy.md).
	 */
	if (ew_pol_decide(s, gen, file, s->comm, path, path_len, NULL) != EW_POLICY_DENY)
		return 0;
	if (pol_dry_run)
		return 0; /* exec_success reports "would deny" */
	s->out.flags |= EW_POLICY_F_ENFORCED;
	count(EW_CTR_POLICY_DENIED);
	/* Tie the denial to this attempt: sys_enter stashed it just before (pol_denied). */
	tid = (__u32)bpf_get_current_pid_tgid();
	stashed = bpf_map_lookup_elem(&exec_stash, &tid);
	d.decision = s->out;
	d.enter_ns = stashed ? stashed->enter_ns : 0;
	bpf_map_update_elem(&pol_denied, &tid, &d, BPF_ANY);
	return -EW_POL_EPERM;
}

#endif /* EXECWATCH_BPF_POLICY_H */
