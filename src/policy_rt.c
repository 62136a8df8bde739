// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The exec policy at run time (see policy_rt.h). The kernel-side maps are
 * described in policy_abi.h and bpf/policy.h.
 *
 * Installing generation g: (1) delete every entry that is not of the active
 * generation (left from g - 2; nothing has looked at it since the switch
 * to g - 1, one reload ago); (2) write g's entries; (3) write g's header in
 * pol_gens; (4) one update of pol_active. Until (4) no exec looks at g; after
 * it, every exec reads g once and finds all of g. A failure before (4)
 * removes g's entries and leaves the running generation as it was.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "cgroup.h"
#include "event.h"
#include "policy_compile.h"
#include "policy_rt.h"
#include "escape.h"
#include "secfs.h"

/*
 * A BPF LSM program that loads and attaches still never runs unless bpf is
 * among the active LSMs (lsm= on the kernel command line).
 */
static bool lsm_listed(char *why, size_t why_len)
{
	struct secfs_state sec;

	if (secfs_read(&sec)) {
		snprintf(why, why_len, "cannot read " SECFS_PATH "/lsm: %s", strerror(-sec.err));
		return false;
	}
	if (!secfs_lsm_active(&sec, "bpf")) {
		snprintf(
			why, why_len,
			"the kernel's active LSMs are '%.150s', without bpf (boot with lsm=...,bpf)",
			sec.lsm);
		return false;
	}
	return true;
}

/*
 * Can a BPF LSM program on bprm_check_security load and attach here? Try it
 * with the smallest program (return 0), then detach. On this project's CI
 * machine lockdown refuses the load with EPERM.
 */
static bool probe_lsm(char *why, size_t why_len)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_LSM_MAC);
	int btf_id, fd, link;

	btf_id = libbpf_find_vmlinux_btf_id("bprm_check_security", BPF_LSM_MAC);
	if (btf_id < 0) {
		snprintf(why, why_len, "the kernel has no BPF LSM hook bprm_check_security (%s)",
			 strerror(-btf_id));
		return false;
	}
	opts.attach_btf_id = (__u32)btf_id;
	fd = bpf_prog_load(BPF_PROG_TYPE_LSM, "ew_lsm_probe", "GPL", insns, 2, &opts);
	if (fd < 0) {
		snprintf(why, why_len, "loading a BPF LSM program failed: %s%s", strerror(errno),
			 errno == EPERM ? " (kernel lockdown or missing CONFIG_BPF_LSM)" : "");
		return false;
	}
	link = bpf_raw_tracepoint_open(NULL, fd);
	if (link < 0) {
		snprintf(why, why_len, "attaching a BPF LSM program failed: %s", strerror(errno));
		close(fd);
		return false;
	}
	close(link);
	close(fd);
	return lsm_listed(why, why_len);
}

static void names_free(struct policy_rt_names *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->names[i]);
	free(n->names);
	memset(n, 0, sizeof(*n));
}

/* Keep gen's rule names, dropping the oldest generation's. */
static int names_keep(struct policy_rt *rt, uint32_t gen, const struct policy *p)
{
	struct policy_rt_names *slot = &rt->history[gen % POLICY_RT_HISTORY];
	struct policy_rt_names n = { .gen = gen };

	n.names = calloc(p->nr_rules ? p->nr_rules : 1, sizeof(*n.names));
	if (!n.names)
		return -ENOMEM;
	for (n.n = 0; n.n < p->nr_rules; n.n++) {
		n.names[n.n] = strdup(p->rules[n.n].name);
		if (!n.names[n.n]) {
			names_free(&n);
			return -ENOMEM;
		}
	}
	names_free(slot);
	*slot = n;
	return 0;
}

const char *policy_rt__rule_name(const struct policy_rt *rt, uint32_t gen, uint32_t rule)
{
	const struct policy_rt_names *n;

	if (!rt || !gen || !rule)
		return NULL;
	n = &rt->history[gen % POLICY_RT_HISTORY];
	if (n->gen != gen || rule > n->n)
		return NULL;
	return n->names[rule - 1];
}

/* deny rules need LSM or the fallback; say so in one sentence. */
static int check_deny(struct policy_rt *rt, const struct policy *p, char *msg, size_t msg_len)
{
	if (!policy_has_action(p, POLICY_ACTION_DENY) || rt->lsm_available ||
	    rt->deny_fallback_kill)
		return 0;
	snprintf(msg, msg_len,
		 "the policy has deny rules, but this kernel cannot deny an exec: %s. Use "
		 "--deny-fallback=kill to kill such programs instead (SIGKILL before their first "
		 "instruction), or change the rules to kill.",
		 rt->lsm_why);
	return -EOPNOTSUPP;
}

int policy_rt__open(struct policy_rt **out, const char *path, bool dry_run, bool deny_fallback_kill,
		    char *msg, size_t msg_len)
{
	struct policy_rt *rt = calloc(1, sizeof(*rt));
	char inner[1024];
	int err;

	*out = NULL;
	if (!rt || !(rt->path = strdup(path))) {
		free(rt);
		snprintf(msg, msg_len, "out of memory");
		return -ENOMEM;
	}
	rt->dry_run = dry_run;
	rt->deny_fallback_kill = deny_fallback_kill;
	err = policy_parse_file(path, &rt->first, inner, sizeof(inner));
	if (err) {
		snprintf(msg, msg_len, "policy %s", inner);
		policy_rt__free(rt);
		return err;
	}
	rt->lsm_available = probe_lsm(rt->lsm_why, sizeof(rt->lsm_why));
	/* Any program type has bpf_loop() where the kernel has it; a socket filter loads anywhere. */
	rt->text_ok = libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER, BPF_FUNC_loop, NULL) > 0;
	err = check_deny(rt, &rt->first, msg, msg_len);
	if (err) {
		policy_rt__free(rt);
		return err;
	}
	*out = rt;
	return 0;
}

void policy_rt__configure(struct policy_rt *rt, struct bpf_object *obj)
{
	struct bpf_program *lsm = bpf_object__find_program_by_name(obj, "pol_bprm_check");
	struct bpf_program *plain = bpf_object__find_program_by_name(obj, "exec_success");
	struct bpf_program *text = bpf_object__find_program_by_name(obj, "exec_success_t");

	/*
	 * The LSM program only when it can load: a kernel that refuses it must
	 * still load the rest. Loaded whenever LSM works, so a reload may add
	 * deny rules.
	 */
	if (rt)
		rt->lsm_used = rt->lsm_available;
	if (lsm)
		bpf_program__set_autoload(lsm, rt && rt->lsm_used);
	/*
	 * exec_success_t calls bpf_loop(), which a kernel before 5.17 refuses
	 * (the whole program): there the plain variant runs and filename/argv
	 * rules are refused at compile. Chosen by the kernel, not the policy,
	 * so a reload may add such rules.
	 */
	if (plain && text) {
		bool use_text = rt && rt->text_ok;

		bpf_program__set_autoload(plain, !use_text);
		bpf_program__set_autoload(text, use_text);
	}
}

/*
 * Delete every entry of one policy map whose generation is not keep: collect
 * the keys first (deleting while iterating would restart the walk), then
 * delete them. gen_of() reads a key's generation.
 */
static void sweep_map(int fd, size_t key_size, size_t max, uint32_t (*gen_of)(const void *),
		      uint32_t keep)
{
	char *keys = calloc(max + 1, key_size), *prev = NULL;
	size_t n = 0, i;

	if (!keys)
		return;
	while (n < max && !bpf_map_get_next_key(fd, prev, keys + n * key_size)) {
		prev = keys + n * key_size;
		if (gen_of(prev) != keep)
			n++;
		else
			memcpy(keys + max * key_size, prev, key_size), prev = keys + max * key_size;
	}
	for (i = 0; i < n; i++)
		bpf_map_delete_elem(fd, keys + i * key_size);
	free(keys);
}

static uint32_t key_gen(const void *k)
{
	return ((const struct ew_pol_key *)k)->gen;
}

static uint32_t lpm_gen(const void *k)
{
	const __u8 *b = ((const struct ew_pol_lpm *)k)->gen_be;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t text_gen(const void *k)
{
	return ((const struct ew_pol_text_key *)k)->gen;
}

static uint32_t gen_gen(const void *k)
{
	return *(const uint32_t *)k;
}

static void sweep(struct policy_rt *rt, uint32_t keep)
{
	sweep_map(bpf_map__fd(rt->keys), sizeof(struct ew_pol_key), bpf_map__max_entries(rt->keys),
		  key_gen, keep);
	sweep_map(bpf_map__fd(rt->paths), sizeof(struct ew_pol_lpm),
		  bpf_map__max_entries(rt->paths), lpm_gen, keep);
	sweep_map(bpf_map__fd(rt->texts), sizeof(struct ew_pol_text_key),
		  bpf_map__max_entries(rt->texts), text_gen, keep);
	sweep_map(bpf_map__fd(rt->gens), sizeof(uint32_t), bpf_map__max_entries(rt->gens), gen_gen,
		  keep);
}

static int write_gen(struct policy_rt *rt, const struct policy_compiled *c, uint32_t gen)
{
	int keys_fd = bpf_map__fd(rt->keys);
	int paths_fd = bpf_map__fd(rt->paths);
	size_t i;

	for (i = 0; i < c->nr_keys; i++)
		if (bpf_map_update_elem(keys_fd, &c->keys[i].key, &c->keys[i].mask, BPF_ANY))
			return -errno;
	for (i = 0; i < c->nr_lpm; i++)
		if (bpf_map_update_elem(paths_fd, &c->lpm[i].key, &c->lpm[i].mask, BPF_ANY))
			return -errno;
	for (i = 0; i < c->nr_texts; i++)
		if (bpf_map_update_elem(bpf_map__fd(rt->texts), &c->texts[i].key, &c->texts[i].text,
					BPF_ANY))
			return -errno;
	if (bpf_map_update_elem(bpf_map__fd(rt->gens), &gen, &c->gen, BPF_ANY))
		return -errno;
	return 0;
}

/* Compile p as generation gen, write it, switch to it. */
static int switch_to(struct policy_rt *rt, const struct policy *p, FILE *diag, char *msg,
		     size_t msg_len)
{
	char root[4096], inner[1024];
	struct policy_env env = { .warn = diag };
	struct policy_compiled c;
	struct ew_pol_active active = { 0 };
	uint32_t gen = rt->gen + 1, zero = 0;
	int err;

	if (!cgroup_v2_root(root, sizeof(root)))
		env.cgroup_root = root;
	if (!rt->text_ok)
		env.no_text = "the kernel has no bpf_loop() (Linux 5.17 or later is needed)";
	err = policy_compile(p, gen, &env, &c, inner, sizeof(inner));
	if (err) {
		snprintf(msg, msg_len, "policy %s: %s", ESCAPED(rt->path), inner);
		return err;
	}
	err = names_keep(rt, gen, p);
	if (!err) {
		sweep(rt, rt->gen);
		err = write_gen(rt, &c, gen);
	}
	if (!err) {
		active.gen = gen;
		if (bpf_map_update_elem(bpf_map__fd(rt->active), &zero, &active, BPF_ANY))
			err = -errno;
	}
	policy_compiled_free(&c);
	if (err) {
		sweep(rt, rt->gen);
		snprintf(msg, msg_len, "policy %s: writing the policy maps failed: %s",
			 ESCAPED(rt->path), strerror(-err));
		return err;
	}
	rt->gen = gen;
	return 0;
}

static void print_modes(const struct policy_rt *rt, const struct policy *p, FILE *diag)
{
	if (!diag)
		return;
	fprintf(diag, "execwatch: policy %s: %zu rules, generation %u%s\n", ESCAPED(rt->path),
		p->nr_rules, rt->gen,
		rt->dry_run ? ", DRY RUN: decisions are reported, nothing is done" : "");
	fprintf(diag, "execwatch: policy: log: tags the record\n");
	fprintf(diag, "execwatch: policy: kill: SIGKILL at sched_process_exec, before the new "
		      "program's first instruction\n");
	if (rt->lsm_used)
		fprintf(diag, "execwatch: policy: deny: EPERM from BPF LSM bprm_check_security\n");
	else if (rt->deny_fallback_kill)
		fprintf(diag,
			"execwatch: policy: deny: carried out as kill (--deny-fallback=kill): %s\n",
			rt->lsm_why);
	else
		fprintf(diag, "execwatch: policy: deny: not available: %s\n", rt->lsm_why);
	fflush(diag);
}

int policy_rt__install(struct policy_rt *rt, struct bpf_object *obj, FILE *diag, char *msg,
		       size_t msg_len)
{
	int err;

	rt->active = bpf_object__find_map_by_name(obj, "pol_active");
	rt->gens = bpf_object__find_map_by_name(obj, "pol_gens");
	rt->keys = bpf_object__find_map_by_name(obj, "pol_keys");
	rt->paths = bpf_object__find_map_by_name(obj, "pol_paths");
	rt->texts = bpf_object__find_map_by_name(obj, "pol_texts");
	if (!rt->active || !rt->gens || !rt->keys || !rt->paths || !rt->texts) {
		snprintf(msg, msg_len, "the BPF object has no policy maps (a build mix-up?)");
		return -ENOENT;
	}
	err = switch_to(rt, &rt->first, diag, msg, msg_len);
	if (!err)
		print_modes(rt, &rt->first, diag);
	policy_free(&rt->first);
	return err;
}

int policy_rt__reload(struct policy_rt *rt, FILE *diag, char *msg, size_t msg_len)
{
	struct policy p;
	char inner[1024];
	int err;

	err = policy_parse_file(rt->path, &p, inner, sizeof(inner));
	if (err) {
		snprintf(msg, msg_len, "policy %s; the running policy (generation %u) stays", inner,
			 rt->gen);
		return err;
	}
	err = check_deny(rt, &p, msg, msg_len);
	if (!err)
		err = switch_to(rt, &p, diag, msg, msg_len);
	if (!err && diag) {
		fprintf(diag, "execwatch: policy %s reloaded: %zu rules, generation %u\n",
			ESCAPED(rt->path), p.nr_rules, rt->gen);
		fflush(diag);
	} else if (err) {
		size_t used = strlen(msg);

		if (used < msg_len && !strstr(msg, "stays"))
			snprintf(msg + used, msg_len - used,
				 "; the running policy (generation %u) stays", rt->gen);
	}
	policy_free(&p);
	return err;
}

void policy_rt__free(struct policy_rt *rt)
{
	if (!rt)
		return;
	for (int i = 0; i < POLICY_RT_HISTORY; i++)
		names_free(&rt->history[i]);
	policy_free(&rt->first);
	free(rt->path);
	free(rt);
}
