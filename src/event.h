/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The event ABI: the records the BPF programs write into the ring buffer and
 * user space decodes. This one header is compiled by both clang -target bpf
 * and the host C compiler, so it uses fixed-width types only, spells out every
 * padding byte and asserts its sizes: a layout difference between the two
 * compilers would silently corrupt every field after it.
 *
 * Every record starts with struct ew_header. An exec record is
 *   struct ew_exec | filename bytes (filename_len) | argv bytes (argv_len)
 * The argv bytes are the NUL-separated strings of the new process's
 * mm->arg_start..arg_end (or, for a failed exec, the strings the caller
 * passed), exactly as captured: lengths are explicit, and flags say whether
 * the data is complete, truncated or faulted.
 */
#ifndef EXECWATCH_EVENT_H
#define EXECWATCH_EVENT_H

#ifdef __bpf__
/* The BPF side gets the __u* types from linux/types.h via its own includes. */
#else
#include <linux/types.h>
#endif

/* Bump when a field changes meaning or place; appended fields do not bump it. */
#define EW_ABI_VERSION 1

#define EW_COMM_LEN 16
/* PATH_MAX: the kernel refuses longer filenames with ENAMETOOLONG. */
#define EW_FILENAME_MAX 4096
/*
 * Longest path the kernel-side walk sends for exe and cwd: PATH_MAX plus room
 * for a " (deleted)"-style mark; a longer path keeps its tail and is flagged.
 */
#define EW_PATH_PAYLOAD_MAX 4352
/*
 * Not ABI: the BPF side's per-CPU working memory for the exe and cwd walks
 * (struct path_scratch in execwatch.bpf.c: two 40-byte struct ew_path_info,
 * a 48-byte struct ew_task_fs and two buffers of PATH_MAX + NAME_MAX + 1
 * bytes), which the loader adds to the scratch map's value size.
 */
#define EW_PATH_SCRATCH_BYTES (2 * 40 + 96 + 2 * (4096 + 256))
/* The most exe, cwd and interp add to a record's payload (each < PATH_MAX). */
#define EW_PATHS_PAYLOAD_MAX (3 * 4096)
/* Default and hard ceiling for captured argv bytes (--max-argv-bytes). */
#define EW_ARGV_DEFAULT_BYTES (16 * 1024)
#define EW_ARGV_CEILING_BYTES (128 * 1024)
/*
 * How many argv pointers a failed exec's capture walks at most. The kernel
 * allows far more, so reaching it sets EW_F_ARGV_TRUNCATED.
 */
#define EW_FAILED_ARGS_MAX 512

enum ew_event_type {
	EW_EVENT_EXEC = 1, /* an exec that succeeded (sched_process_exec) */
	EW_EVENT_EXEC_FAILED = 2, /* execve/execveat that returned an error */
	EW_EVENT_EXIT = 3, /* a process ended: its last thread exited */
	EW_EVENT_FORK = 4, /* a new process (not a thread); only with --ancestors */
};

enum ew_event_flags {
	EW_F_ARGV_TRUNCATED = 1 << 0, /* argv longer than the capture limit */
	EW_F_ARGV_FAULT = 1 << 1, /* reading argv failed part way */
	EW_F_FILENAME_TRUNCATED = 1 << 2,
	EW_F_FILENAME_FAULT = 1 << 3,
	/*
	 * The caller passed an empty argv. Since v5.18 (commit dcd46d897adb
	 * "exec: Force single empty string when argv is empty") the kernel then
	 * gives the new program argv = {""}; this flag records what was asked.
	 */
	EW_F_ARGV_EMPTY_AT_CALL = 1 << 4,
	/* argv_true_len is a lower bound: the failed-exec walk stopped early. */
	EW_F_ARGV_TRUE_LEN_UNKNOWN = 1 << 5,
	EW_F_EXECVEAT = 1 << 6, /* the call was execveat (failed exec only) */
	EW_F_SECUREEXEC = 1 << 7, /* the exec raised privileges (bprm->secureexec, AT_SECURE) */
	EW_F_CALLER_KNOWN = 1 << 8, /* caller_euid, caller_egid, comm_before are set */
	/*
	 * The argv the new program received (mm) differs from what the caller's
	 * memory held at sys_enter: a racing thread rewrote it. The caller's
	 * version follows in the payload (tamper.caller_argv_len).
	 */
	EW_F_ARGV_TAMPERED = 1 << 9,
	/*
	 * A failed exec past its point of no return: begin_new_exec() had
	 * already replaced the caller's memory with the failing program's, so
	 * the caller's filename and argv pointers led into memory that program
	 * laid out. Neither was read there: argv is the copy the tamper capture
	 * took at sys_enter (argc counted from it; cut at
	 * EW_TAMPER_CAPTURE_BYTES), the filename is unknown
	 * (EW_F_FILENAME_FAULT), and the caller's ids are the ones from
	 * sys_enter. The process is killed (SIGSEGV) on its way out.
	 */
	EW_F_CALLER_MEMORY_GONE = 1 << 10,
};

/* 24 bytes, 8-aligned. */
struct ew_header {
	__u64 boot_ns; /* bpf_ktime_get_boot_ns(): CLOCK_BOOTTIME */
	__u32 size; /* whole record, header and payload included */
	__u16 type; /* enum ew_event_type */
	__u16 flags; /* enum ew_event_flags */
	__u32 pid; /* thread group id */
	__u32 tid; /* thread that called exec (before de_thread renamed it) */
};

/*
 * Issue 3: how the exe and cwd paths were obtained (ew_exec_file.exe_flags,
 * .cwd_flags). Bits 0-8 are the kernel walk's own (src/bpf/path.h, enum
 * ew_path_flags, same values); the higher bits are set by execwatch.bpf.c.
 */
enum ew_file_flags {
	EW_FILE_TRUNCATED = 1 << 0, /* longer than the capture limit: the tail is kept */
	EW_FILE_FAULT = 1 << 1, /* a kernel read failed, or a rename raced the walk */
	EW_FILE_DELETED = 1 << 2, /* d_unlinked(): the name was removed */
	EW_FILE_NLINK0 = 1 << 3, /* i_nlink == 0: no name left anywhere */
	EW_FILE_PSEUDO = 1 << 4, /* alloc_file_pseudo(): never had a path ("/NAME") */
	EW_FILE_INTERNAL = 1 << 5, /* on a kernel-internal mount (shm_mnt, ...) */
	EW_FILE_MEMFD = 1 << 6, /* a memfd: the path is "/memfd:NAME" */
	EW_FILE_OTHER_NS = 1 << 7, /* the mount tree is not the task's namespace's */
	EW_FILE_ROOT_SEEN = 1 << 8, /* the walk passed the task's root: *_root_len valid */
	/* exe only: executed through an O_PATH fd (execveat(fd, "", AT_EMPTY_PATH)) */
	EW_FILE_OPATH = 1 << 16,
	/* exe only: execveat(fd, "", AT_EMPTY_PATH) or fexecve(): run from an fd */
	EW_FILE_FROM_FD = 1 << 17,
	EW_FILE_INTERP_TRUNCATED = 1 << 18, /* interp longer than EW_FILENAME_MAX - 1 */
	EW_FILE_INTERP_FAULT = 1 << 19,
	/* No walk was made (no file, no fs_struct): the length is 0 */
	EW_FILE_NONE = 1 << 20,
};

/* ew_exec_file.task_flags: the task's root (src/bpf/path.h, enum ew_task_fs_flags). */
enum ew_file_task_flags {
	EW_FILE_TASK_CHROOT = 1 << 0, /* fs->root is below its mount tree's root: chroot(2) */
	EW_FILE_TASK_CHROOT_UNKNOWN = 1 << 1, /* the chroot test could not decide */
	EW_FILE_TASK_NO_FS = 1 << 2, /* no task->fs or nsproxy */
};

/* A *_root_len meaning "the walk never passed the task's root". */
#define EW_ROOT_LEN_NONE 0xffff

/*
 * Issue 3: the file the kernel executed (bprm->file) and the working
 * directory (fs->pwd), resolved in the kernel. Their bytes follow argv in
 * the payload. Paths run to the root of the mount tree, so a chrooted
 * task's are host paths; the last *_root_len bytes are the path as the task
 * sees it ("" meaning its "/"). A failed exec has a cwd but no exe.
 */
struct ew_exec_file {
	__u16 exe_len; /* exe path bytes in the payload, no NUL */
	__u16 cwd_len;
	__u16 interp_len; /* bprm->interp when it differs from filename, else 0 */
	__u16 exe_root_len; /* EW_ROOT_LEN_NONE: the exe is outside the task's root */
	__u16 cwd_root_len;
	__u16 reserved0;
	__u32 task_flags; /* enum ew_file_task_flags */
	__u32 exe_flags; /* enum ew_file_flags */
	__u32 cwd_flags;
	__u32 exe_dev; /* inode->i_sb->s_dev, kernel encoding: major << 20 | minor */
	__u32 exe_nlink; /* inode->i_nlink */
	__u64 exe_ino; /* inode->i_ino */
};

/*
 * Issue 3: tamper evidence, argv as the caller's memory held it at sys_enter.
 * How much of the comparison could be made (successful execs only):
 */
enum ew_tamper_flags {
	/* Nothing compared: no capture of the caller's argv (map full, exec began earlier). */
	EW_TAMPER_UNCHECKED = 1 << 0,
	/* Only a prefix compared: an argv longer than a capture, or unreadable part way. */
	EW_TAMPER_PARTIAL = 1 << 1,
	/* caller_argv in the payload is cut (capture or --max-argv-bytes limit). */
	EW_TAMPER_CALLER_CUT = 1 << 2,
	/* The kernel rewrote argv (#! script, binfmt_misc): argv[1..] compared, not argv[0]. */
	EW_TAMPER_REWRITTEN = 1 << 3,
};

struct ew_exec_tamper {
	__u32 caller_argv_len; /* payload bytes; non-zero only with EW_F_ARGV_TAMPERED */
	__u16 flags; /* enum ew_tamper_flags */
	__u16 reserved0;
};

/* Issue 6: what the exec policy decided (src/bpf/policy.h). */
enum ew_policy_action {
	EW_POLICY_NONE = 0, /* no rule matched, or no policy */
	EW_POLICY_LOG = 1,
	EW_POLICY_KILL = 2,
	EW_POLICY_DENY = 3,
};

enum ew_policy_flags {
	EW_POLICY_F_DRY_RUN = 1 << 0, /* --dry-run: decided, nothing done */
	/* Carried out: SIGKILL sent (kill, or deny as kill), or the exec refused. */
	EW_POLICY_F_ENFORCED = 1 << 1,
	/* A deny rule carried out as SIGKILL (no BPF LSM, --deny-fallback=kill). */
	EW_POLICY_F_AS_KILL = 1 << 2,
	/* The SIGKILL could not be sent (bpf_send_signal failed). */
	EW_POLICY_F_SIGNAL_FAILED = 1 << 3,
	/*
	 * argv conditions were searched in a cut capture (EW_F_ARGV_TRUNCATED):
	 * bytes past --max-argv-bytes were not searched.
	 */
	EW_POLICY_F_ARGV_PARTIAL = 1 << 4,
};

struct ew_exec_policy {
	__u32 rule; /* 1-based index of the deciding rule in its generation, 0: none */
	__u32 generation; /* the policy generation that decided */
	__u8 action; /* enum ew_policy_action */
	__u8 flags; /* enum ew_policy_flags */
	__u8 reserved0[6];
};

struct ew_exec {
	struct ew_header hdr;
	__u32 ppid; /* real_parent's tgid */
	__u32 uid;
	__u32 euid;
	__u32 gid;
	__s32 ret; /* 0, or the negative errno of a failed exec */
	__u32 argc; /* true argc when known (bprm->argc), else strings seen */
	__u32 argv_len; /* argv bytes captured in the payload */
	__u32 argv_true_len; /* argv bytes the process really has */
	__u16 filename_len; /* filename bytes in the payload, no NUL */
	__u16 reserved0;
	__s32 dirfd; /* execveat's dirfd (failed exec only), else -100 */
	char comm[EW_COMM_LEN];
	__u64 cgroup_id; /* cgroup v2 id (the inode of its directory) */
	char parent_comm[EW_COMM_LEN]; /* real_parent's comm at the time of the exec */
	/*
	 * Start times (CLOCK_BOOTTIME ns) of the process and its parent: with
	 * the pid, an identity that survives pid reuse.
	 */
	__u64 start_ns;
	__u64 parent_start_ns;
	/* More credentials (after the exec): saved and filesystem ids, login uid and session. */
	__u32 suid;
	__u32 fsuid;
	__u32 egid;
	__u32 sgid;
	__u32 fsgid;
	__u32 auid; /* 4294967295: not set (unset login uid) */
	__u32 sessionid;
	/* The caller's effective ids before the exec (0xffffffff: not known). */
	__u32 caller_euid;
	__u32 caller_egid;
	/* Namespaces: the /proc/PID/ns/ inode numbers, and the pid inside its own pid ns. */
	__u32 pid_ns;
	__u32 mnt_ns;
	__u32 net_ns;
	__u32 user_ns;
	__u32 ns_pid;
	char tty[32]; /* controlling terminal name ("pts/3"), "" for none */
	char comm_before[EW_COMM_LEN]; /* the caller's comm, before the exec renamed it */
	struct ew_exec_file file;
	struct ew_exec_tamper tamper;
	struct ew_exec_policy policy;
	/*
	 * followed by filename[filename_len], argv[argv_len], exe[file.exe_len],
	 * cwd[file.cwd_len], interp[file.interp_len],
	 * caller_argv[tamper.caller_argv_len]
	 */
};

/*
 * A process ended. hdr.pid is the thread group, hdr.tid the last thread to
 * exit (the leader may have exited long before).
 */
struct ew_exit {
	struct ew_header hdr;
	__u32 ppid;
	/*
	 * The status wait(2) gives the parent: (code << 8), or the signal number
	 * with 0x80 for a core dump. For a group exit (exit_group, a fatal signal)
	 * it is signal->group_exit_code, otherwise the leader's exit_code.
	 */
	__s32 status;
	__u64 start_ns; /* process start, CLOCK_BOOTTIME ns */
	__u64 cgroup_id;
	__u32 uid;
	__u32 reserved;
	char comm[EW_COMM_LEN];
};

/*
 * A process was created (fork, vfork, clone without CLONE_THREAD): the parent
 * link for the process table, so the ancestry of a process that forks and
 * never execs is right. Not shown; sent for every process, whatever the
 * filters, since a filtered-out process can be the ancestor of a reported one.
 * hdr.pid is the child's tgid, hdr.tid the child's pid.
 */
struct ew_fork {
	struct ew_header hdr;
	__u32 ppid; /* the child's real_parent tgid (CLONE_PARENT: the caller's parent) */
	__u32 reserved;
	__u64 start_ns; /* the child's start, CLOCK_BOOTTIME ns */
	__u64 parent_start_ns;
};

/*
 * Kernel-side counters, one array slot each in a per-CPU array map. Every
 * capture failure increments one, so loss is never silent.
 */
enum ew_counter {
	EW_CTR_EXEC_SEEN = 0, /* sched_process_exec runs */
	EW_CTR_FAILED_SEEN, /* failed execve/execveat returns */
	EW_CTR_EVENTS_SENT, /* records committed to the ring buffer */
	EW_CTR_RINGBUF_FULL, /* records dropped: ring buffer full */
	EW_CTR_STASH_FULL, /* exec attempts not stashed: map full */
	EW_CTR_STASH_MISS, /* failed exec returned with no stashed entry */
	EW_CTR_SCRATCH_MISS, /* per-CPU scratch lookup failed (never expected) */
	EW_CTR_ARGV_FAULT, /* argv reads that faulted */
	EW_CTR_FILENAME_FAULT, /* filename reads that faulted */
	EW_CTR_ARGV_TRUNCATED, /* records whose argv was cut at the limit */
	EW_CTR_FILTERED, /* execs the kernel-side filters dropped, on purpose */
	EW_CTR_SUBTREE_FULL, /* --pid: forked processes the subtree map could not hold */
	EW_CTR_EXIT_SEEN, /* process exits to report (after the filters) */
	/*
	 * Successful execs whose argv could not be compared in full with the
	 * caller's (EW_TAMPER_UNCHECKED or EW_TAMPER_PARTIAL): tamper evidence gaps.
	 */
	EW_CTR_TAMPER_UNCHECKED,
	EW_CTR_FORK_SEEN, /* --ancestors: fork records to send (the books: like exit_seen) */
	/*
	 * --policy, counted where the action is taken, reported or not (the
	 * display filters may drop the record): SIGKILLs sent by kill rules and
	 * deny rules carried out as kill; execs refused by the LSM hook (deny);
	 * SIGKILLs bpf_send_signal() could not send.
	 */
	EW_CTR_POLICY_KILLED,
	EW_CTR_POLICY_DENIED,
	EW_CTR_POLICY_KILL_FAILED,
	EW_CTR_NR,
};

#define EW_AT_FDCWD_VALUE (-100)

/*
 * The value of the exec_stash map: what sys_enter_execve(at) saw, kept until
 * the matching sys_exit (or sched_process_exec) removes it. Shared because
 * user space sweeps entries left by threads that died inside execve.
 */
struct exec_attempt {
	__u64 enter_ns; /* bpf_ktime_get_boot_ns() at sys_enter */
	__u64 filename; /* user pointer */
	__u64 argv; /* user pointer to the pointer array */
	__s32 dirfd;
	__u16 flags; /* EW_F_ARGV_EMPTY_AT_CALL, EW_F_EXECVEAT */
	__u16 reserved;
	__u32 caller_euid;
	__u32 caller_egid;
	char comm[EW_COMM_LEN]; /* the caller's comm, before the exec renames the task */
	/* Tamper evidence (issue 3): where the caller's argv was captured (tamper.h). */
	__u32 cap_slot; /* index in caller_argv */
	__u32 reserved2;
	__u64 cap_ticket; /* the slot's owner; 0: no capture */
	/* EW_FILE_FROM_FD | EW_FILE_OPATH: execveat(fd, ..., AT_EMPTY_PATH) and fd's O_PATH */
	__u64 fd_exec_flags; /* u64: keeps the struct 8-byte aligned without padding */
	/*
	 * The calling thread's task_struct address: the one identity de_thread()
	 * does not change (a non-leader thread's exec takes the leader's pid and
	 * start time). Compared, never reported.
	 */
	__u64 task;
};

/*
 * Tamper evidence: the caller's argv as its memory held it at
 * sys_enter_execve(at), in a slot of the preallocated caller_argv array
 * (EW_TAMPER_SLOTS_PER_CPU per CPU, taken in turn) until sched_process_exec
 * compares it with the new mm's argv. At most EW_TAMPER_CAPTURE_BYTES of it;
 * the second half of bytes[] is verifier headroom (a string read at offset
 * < N may be N long). ticket names the exec that owns the slot.
 */
#define EW_TAMPER_CAPTURE_BYTES 4096
#define EW_TAMPER_SLOTS_PER_CPU 16

enum ew_capture_flags {
	EW_CAP_COMPLETE = 1 << 0, /* every string was read up to the NULL pointer */
};

struct argv_capture {
	__u64 ticket; /* the owner (exec_attempt.cap_ticket), written before the bytes */
	__u64 busy_since; /* boot ns when taken; 0: free (released at exit or exec) */
	__u32 len; /* bytes in bytes[], at most EW_TAMPER_CAPTURE_BYTES */
	__u16 first_len; /* argv[0] with its NUL: what a #! script's argv drops */
	__u16 flags; /* enum ew_capture_flags */
	char bytes[2 * EW_TAMPER_CAPTURE_BYTES];
};

#ifdef __bpf__
#define EW_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#else
#include <assert.h>
#define EW_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#endif

EW_STATIC_ASSERT(sizeof(struct ew_header) == 24, "ew_header layout");
EW_STATIC_ASSERT(sizeof(struct ew_exec) == 224 + sizeof(struct ew_exec_file) +
						   sizeof(struct ew_exec_tamper) +
						   sizeof(struct ew_exec_policy),
		 "ew_exec layout");
EW_STATIC_ASSERT(sizeof(struct ew_exec_file) == 40, "ew_exec_file layout");
EW_STATIC_ASSERT(sizeof(struct ew_exec_file) % 8 == 0, "ew_exec_file keeps 8-byte alignment");
EW_STATIC_ASSERT(sizeof(struct ew_exec_tamper) % 8 == 0, "ew_exec_tamper keeps 8-byte alignment");
EW_STATIC_ASSERT(sizeof(struct ew_exec_policy) % 8 == 0, "ew_exec_policy keeps 8-byte alignment");
EW_STATIC_ASSERT(sizeof(struct ew_exit) == 72, "ew_exit layout");
EW_STATIC_ASSERT(sizeof(struct ew_fork) == 48, "ew_fork layout");
EW_STATIC_ASSERT(sizeof(struct ew_exec) % 8 == 0, "ew_exec keeps 8-byte alignment");
EW_STATIC_ASSERT(sizeof(struct exec_attempt) == 88, "exec_attempt layout");
EW_STATIC_ASSERT(sizeof(struct argv_capture) == 24 + 2 * EW_TAMPER_CAPTURE_BYTES,
		 "argv_capture layout");

#endif /* EXECWATCH_EVENT_H */
