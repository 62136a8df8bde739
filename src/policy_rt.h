/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The exec policy at run time: read and compile the file, probe what the
 * kernel allows (BPF LSM for deny), configure the skeleton before load,
 * install a generation into the maps after load, reload on SIGHUP
 * (atomically: see policy_abi.h), and name the rule a record carries.
 */
#ifndef EXECWATCH_POLICY_RT_H
#define EXECWATCH_POLICY_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "policy.h"

struct bpf_map;
struct bpf_object;

/* Generations whose rule names are kept: records decided by them may still be in the ring. */
#define POLICY_RT_HISTORY 4

struct policy_rt_names {
	uint32_t gen;
	char **names;
	size_t n;
};

struct policy_rt {
	char *path;
	bool dry_run;
	bool deny_fallback_kill; /* --deny-fallback=kill */
	bool lsm_available; /* the probe loaded and attached a BPF LSM program */
	bool lsm_used; /* pol_bprm_check is loaded: deny -> EPERM */
	char lsm_why[256]; /* why BPF LSM is not available */
	/* bpf_loop() exists (5.17+): exec_success_t, which decides filename and argv rules. */
	bool text_ok;
	/* The policy maps (bpf/policy.h), after policy_rt__install(). */
	struct bpf_map *active, *gens, *keys, *paths, *texts;
	uint32_t gen; /* the active generation */
	struct policy_rt_names history[POLICY_RT_HISTORY];
	struct policy first; /* parsed at open, installed by install() */
};

/*
 * Parse and check the file, probe BPF LSM, decide the modes. On error
 * returns a negative errno and fills msg.
 */
int policy_rt__open(struct policy_rt **out, const char *path, bool dry_run, bool deny_fallback_kill,
		    char *msg, size_t msg_len);
/*
 * Before load: whether the LSM program is loaded, and which exec_success
 * variant (rt may be NULL: no policy).
 * The caller sets the rodata pol_enabled and pol_dry_run.
 */
void policy_rt__configure(struct policy_rt *rt, struct bpf_object *obj);
/* After load, before attach: install the first generation; prints the modes to diag. */
int policy_rt__install(struct policy_rt *rt, struct bpf_object *obj, FILE *diag, char *msg,
		       size_t msg_len);
/*
 * Read the file again and switch to it; on any error the running policy
 * stays and msg says why (with the line). 0 or a negative errno.
 */
int policy_rt__reload(struct policy_rt *rt, FILE *diag, char *msg, size_t msg_len);
/* The name of rule (1-based) of generation gen, or NULL. */
const char *policy_rt__rule_name(const struct policy_rt *rt, uint32_t gen, uint32_t rule);
void policy_rt__free(struct policy_rt *rt);

#endif /* EXECWATCH_POLICY_RT_H */
