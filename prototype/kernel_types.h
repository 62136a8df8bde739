/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Minimal CO-RE views of the kernel structures execwatch reads.
 *
 * PROTOTYPE COPY of src/bpf/kernel_types.h for prototype/path_proto.bpf.c,
 * extended with the fields src/bpf/path.h needs (marked "path.h"). Same
 * include guard, so whichever copy is included first wins.
 *
 * Instead of a generated 3 MB vmlinux.h, each struct lists only the fields we
 * touch. preserve_access_index makes clang record every access as a CO-RE
 * relocation, and libbpf resolves it against the running kernel's BTF at load
 * time, so the offsets below are never used: only the names and types matter.
 * A field that moved into an anonymous struct in some kernel (mm_struct's
 * arg_start did) is still found, because libbpf searches anonymous members.
 * `make vmlinux` writes the full header to build/ for exploring.
 */
#ifndef EXECWATCH_KERNEL_TYPES_H
#define EXECWATCH_KERNEL_TYPES_H

#include <linux/types.h>

typedef int pid_t;
typedef _Bool bool;
#define true 1
#define false 0

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

typedef struct {
	__u32 val;
} kuid_t;

typedef struct {
	__u32 val;
} kgid_t;

struct cred {
	kuid_t uid;
	kgid_t gid;
	kuid_t euid;
};

struct mm_struct {
	unsigned long arg_start;
	unsigned long arg_end;
};

typedef struct {
	int counter;
} atomic_t;

struct signal_struct {
	atomic_t live; /* threads not yet past do_exit's group_dead check */
};

struct task_struct {
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct mm_struct *mm;
	const struct cred *cred;
	struct signal_struct *signal;
	char comm[16];
	struct fs_struct *fs; /* path.h: root (chroot) and pwd (cwd) */
	struct nsproxy *nsproxy; /* path.h: mount namespace */
};

struct linux_binprm {
	int argc;
	const char *filename;
	struct file *file; /* path.h: the file executed (final interpreter for #!) */
	const char *interp; /* path.h: the last interpreter name (== filename if none) */
};

#pragma clang attribute pop

#endif /* EXECWATCH_KERNEL_TYPES_H */
