/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Minimal CO-RE views of the kernel structures execwatch reads.
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

struct ns_common {
	unsigned int inum; /* the inode number shown in /proc/PID/ns/ */
};

struct user_namespace {
	struct ns_common ns;
};

struct mnt_namespace {
	struct ns_common ns;
};

struct net {
	struct ns_common ns;
};

struct pid_namespace {
	struct ns_common ns;
};

struct nsproxy {
	struct mnt_namespace *mnt_ns;
	struct net *net_ns;
};

/* struct pid: the task's pid in each namespace level, numbers[level] the innermost. */
struct upid {
	int nr;
	struct pid_namespace *ns;
};

struct pid {
	unsigned int level;
	struct upid numbers[1];
};

struct tty_struct {
	char name[64];
};

struct cred {
	kuid_t uid;
	kgid_t gid;
	kuid_t suid;
	kgid_t sgid;
	kuid_t euid;
	kgid_t egid;
	kuid_t fsuid;
	kgid_t fsgid;
	struct user_namespace *user_ns;
};

struct mm_struct {
	unsigned long arg_start;
	unsigned long arg_end;
	struct file *
		exe_file; /* set by begin_new_exec(): the failing binary past the point of no return */
};

typedef struct {
	int counter;
} atomic_t;

struct signal_struct {
	atomic_t live; /* threads not yet past do_exit's group_dead check */
	unsigned int flags; /* SIGNAL_GROUP_EXIT */
	int group_exit_code;
	struct tty_struct *tty; /* the controlling terminal, or NULL */
};

/* x86-64 and arm64: _NSIG 64 fits one word. */
typedef struct {
	unsigned long sig[1];
} sigset_t;

struct sigpending {
	sigset_t signal;
};

struct task_struct {
	pid_t pid;
	pid_t tgid;
	int exit_code;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct mm_struct *mm;
	const struct cred *cred;
	struct signal_struct *signal;
	__u64 start_boottime; /* v5.5+; real_start_time before */
	char comm[16];
	struct nsproxy *nsproxy;
	struct pid *thread_pid;
	kuid_t loginuid; /* CONFIG_AUDITSYSCALL: the login uid (auid) */
	unsigned int sessionid;
	struct fs_struct *fs; /* path.h: root (chroot) and pwd (cwd) */
	struct files_struct *files; /* the fd table: O_PATH test at execveat */
	struct sigpending pending; /* this thread's signals: caller_memory_gone() */
};

/* Before v5.5 (commit cf25e24db61c "time: Rename tsk->real_start_time to ->start_boottime"). */
struct task_struct___pre55 {
	__u64 real_start_time;
};

struct linux_binprm {
	int argc;
	const char *filename;
	/* AT_SECURE: the exec raised privileges (setuid, setgid, file capabilities). */
	unsigned int secureexec : 1;
	struct file *file; /* path.h: the file executed (final interpreter for #!) */
	const char *interp; /* path.h: the last interpreter name (== filename if none) */
};

/*
 * The user registers a syscall saved on entry (x86-64 names): a failed
 * execve returns to them unchanged, so its arguments are still there at
 * sys_exit (report_failure()).
 */
struct pt_regs {
	unsigned long di; /* execve: filename; execveat: dirfd */
	unsigned long si; /* execve: argv; execveat: filename */
	unsigned long dx; /* execveat: argv */
	unsigned long r8; /* execveat: flags */
};

#pragma clang attribute pop

#endif /* EXECWATCH_KERNEL_TYPES_H */
