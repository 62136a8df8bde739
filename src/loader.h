/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The BPF skeleton's lifecycle: feature probes, open, size the maps and set
 * the read-only configuration, load, attach, destroy. Every way this can fail
 * on a user's machine ends in one sentence that says what is wrong and what
 * to do, written into the caller's buffer.
 */
#ifndef EXECWATCH_LOADER_H
#define EXECWATCH_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/bpf.h>

#include "cli.h"

struct btf;
struct execwatch_bpf;
struct policy_rt;

struct loader {
	struct execwatch_bpf *skel;
	int ncpus; /* possible CPUs: the length of per-CPU map values */
	bool failed_execs_traced; /* execve(at)'s entry and exit are hooked (fentry or tracepoints) */
	bool fentry_syscalls; /* ... with fentry/fexit, not the syscalls/ tracepoints */
	bool mounted_tracefs; /* we mounted /sys/kernel/tracing */
	struct policy_rt *policy; /* --policy (issue 6), else NULL */
	bool has_rdonly_cast; /* the kernel has bpf_rdonly_cast() (6.2+) */
	bool direct_path_reads; /* exec_success_direct loaded (bpf_rdonly_cast, 6.2+) */
};

/*
 * Probe, load and attach. On failure returns a negative errno, fills msg
 * (one or two sentences, no trailing newline) and leaves *out NULL.
 */
int loader__start(struct loader **out, const struct config *cfg, char *msg, size_t msg_len);
void loader__destroy(struct loader *loader);

/*
 * Does the running kernel have the kfunc `name` (vmlinux BTF)? The exec
 * program with direct path loads needs bpf_rdonly_cast() (6.2+).
 */
bool loader__kfunc_available(const char *name);

/*
 * Load "r0 = 0; exit" (read_arg0: first "r2 = ctx[0]") as a program of
 * type/attach on the vmlinux BTF id btf_id (a tracepoint, a kernel function
 * or an LSM hook), attach it and detach it at once. 0, or the negative
 * errno of the step that failed; *step says which ("load" or "attach").
 */
int loader__try_btf_program(enum bpf_prog_type type, enum bpf_attach_type attach, int btf_id,
			    bool read_arg0, const char **step);

/*
 * Do execve's and execveat's syscall functions take fentry programs that
 * read their argument (vmlinux: the kernel's BTF)? 0, or the negative errno
 * of the step that failed ("BTF", "load" or "attach" in *step).
 */
int loader__probe_fentry_syscalls(const struct btf *vmlinux, const char **step);

int loader__ringbuf_fd(const struct loader *loader);
int loader__counters_fd(const struct loader *loader);
int loader__stash_fd(const struct loader *loader);

#endif /* EXECWATCH_LOADER_H */
