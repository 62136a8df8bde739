/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Turn parsed rules (policy.h) into the entries of the kernel's policy maps
 * for one generation (policy_abi.h). Paths are resolved here, once, at load:
 * an exact path also becomes the identity (device, inode) of the file it
 * names now and its symlink-free spelling; the executables below a
 * path_prefix become identities too (bounded), so a hard link, a rename or a
 * copy-by-rename of a matched file is still matched; cgroup paths and
 * container ids become cgroup ids; a parent path becomes an identity.
 * No BPF here: the result is plain arrays, unit-tested.
 */
#ifndef EXECWATCH_POLICY_COMPILE_H
#define EXECWATCH_POLICY_COMPILE_H

#include <stdio.h>

#include "policy.h"
#include "policy_abi.h"

/* Executables a path_prefix scan turns into identities, at most. */
#define POLICY_PREFIX_SCAN_MAX 4096

struct policy_key_entry {
	struct ew_pol_key key;
	__u64 mask;
};

struct policy_lpm_entry {
	struct ew_pol_lpm key;
	__u64 mask;
};

struct policy_text_entry {
	struct ew_pol_text_key key;
	struct ew_pol_text text;
};

struct policy_compiled {
	struct ew_pol_gen gen;
	/* pol_texts: gen.nr_globs globs, then gen.nr_needles argv substrings */
	struct policy_text_entry texts[EW_POL_GLOBS_MAX + EW_POL_NEEDLES_MAX];
	size_t nr_texts;
	struct policy_key_entry *keys;
	size_t nr_keys;
	struct policy_lpm_entry *lpm;
	size_t nr_lpm;
};

struct policy_env {
	const char *cgroup_root; /* cgroup2 mount point; NULL: cgroup rules are refused */
	/* Why filename/argv rules cannot be decided here (no bpf_loop()); NULL: they can. */
	const char *no_text;
	FILE *warn; /* warnings ("does not exist now"); NULL: none */
};

/* On error returns a negative errno and fills err ("rule 'x' (line N): reason"). */
int policy_compile(const struct policy *policy, __u32 gen, const struct policy_env *env,
		   struct policy_compiled *out, char *err, size_t err_len);
void policy_compiled_free(struct policy_compiled *c);

/*
 * A filename glob to tokens (fnmatch(3) syntax without flags: '*', '?',
 * '[...]' with '!' or '^', ranges, and '\\' escapes; no [:class:]). On error
 * returns -EINVAL and fills err with the reason.
 */
int policy_glob_compile(const char *pattern, struct ew_pol_text *t, char *err, size_t err_len);
/* Run the kernel's matcher (policy_abi.h) over text[0..n): 1 match, 0 not. */
int policy_glob_match(const struct ew_pol_text *t, const char *text, size_t n);

/* The kernel's dev_t encoding (MKDEV: major << 20 | minor) of a user-space st_dev. */
__u64 policy_kernel_dev(unsigned long long st_dev);

#endif /* EXECWATCH_POLICY_COMPILE_H */
