// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * execwatch's kernel side: one record per exec, into one BPF ring buffer.
 *
 * - A successful exec is reported from tp_btf/sched_process_exec, which runs
 *   in the new process after the point of no return. argv is read from the
 *   new mm (arg_start..arg_end): the kernel's own copy, the bytes the program
 *   really received, so a thread racing the caller cannot forge it.
 * - A failed exec never reaches sched_process_exec. sys_enter_execve(at)
 *   stashes the user pointers per thread; sys_exit_execve(at) reports the
 *   attempt only when it returned an error, reading the filename and argv
 *   then: by that time the pages are faulted in, and the old mm is intact
 *   because the exec failed.
 * - Records are built in a per-CPU scratch buffer and sent with exactly their
 *   size; the reader is woken only once enough data is waiting (it also polls
 *   on a short timer), which saves an IPI and a context switch per exec.
 * - Every failure to capture something increments a per-CPU counter.
 */
#include "kernel_types.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "../event.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the loader before load; frozen, so the verifier sees constants. */
const volatile __u32 max_argv_bytes = EW_ARGV_DEFAULT_BYTES;
const volatile __u64 wakeup_bytes = 1024 * 1024;
/* Kernel-side filters: a disabled one costs one predictable branch. */
const volatile __u32 self_tgid = 0;
const volatile bool filter_uid = false;
const volatile bool filter_subtree = false;
const volatile bool filter_cgroup = false;
/* Exit records (on by default in JSON, --exits in text). */
const volatile bool report_exits = false;
/* Fork records for the process table (--ancestors). */
const volatile bool report_forks = false;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024); /* resized by the loader */
} events SEC(".maps");

/*
 * Keyed by the calling thread's tid. An entry is removed at sys_exit, or at
 * sched_process_exec by old_pid: a non-leader thread that execs takes the
 * leader's pid in de_thread(), so its sys_exit runs under a different tid
 * and would otherwise leak the entry. A full map is counted, never silent.
 * User space sweeps entries of threads that died mid-exec (stash.c).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct exec_attempt);
} exec_stash SEC(".maps");

/*
 * One record-building buffer per CPU. Not a PERCPU_ARRAY because per-CPU
 * values are limited to 32 KiB (PCPU_MIN_UNIT_SIZE). The loader sets
 * max_entries to the number of possible CPUs and value_size to
 * scratch_bytes(max_argv_bytes); no BTF value type, so the size may vary.
 * Sharing a slot per CPU is safe: these programs run with preemption
 * disabled and cannot nest on one CPU.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 8);
} scratch SEC(".maps");

/* --uid: the uids to report. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u8);
} uid_filter SEC(".maps");

/*
 * --pid: the processes (tgids) of the traced subtree. Seeded by user space
 * from /proc after track_fork is attached (so no fork falls between the two),
 * grown by track_fork, shrunk by proc_exit when a whole thread group is dead.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} tracked_tgids SEC(".maps");

/* --cgroup: one cgroup; execs in it or below it are reported. */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} cgroup_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, EW_CTR_NR);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* The argument layout of the syscalls/ tracepoints (see their format file). */
struct syscall_enter_ctx {
	__u64 common;
	__s32 syscall_nr;
	__u32 pad;
	__u64 args[6];
};

struct syscall_exit_ctx {
	__u64 common;
	__s32 syscall_nr;
	__u32 pad;
	__s64 ret;
};

static __always_inline void count(__u32 counter)
{
	__u64 *value = bpf_map_lookup_elem(&counters, &counter);

	if (value)
		*value += 1;
}

/*
 * Does the exec of process tgid, now running as uid, pass the kernel-side
 * filters? Called on the current task. Filtered-out execs cost no ring space
 * and no user-space CPU.
 */
static __always_inline bool wanted(__u32 tgid, __u32 uid)
{
	if (tgid == self_tgid)
		return false;
	if (filter_uid && !bpf_map_lookup_elem(&uid_filter, &uid))
		return false;
	if (filter_subtree && !bpf_map_lookup_elem(&tracked_tgids, &tgid))
		return false;
	if (filter_cgroup && bpf_current_task_under_cgroup(&cgroup_filter, 0) != 1)
		return false;
	return true;
}

static __always_inline struct ew_exec *scratch_get(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct ew_exec *e = bpf_map_lookup_elem(&scratch, &cpu);

	if (!e)
		count(EW_CTR_SCRATCH_MISS);
	return e;
}

static __always_inline __u32 argv_limit(void)
{
	__u32 limit = max_argv_bytes;

	return limit > EW_ARGV_CEILING_BYTES ? EW_ARGV_CEILING_BYTES : limit;
}

#include "tamper.h"

/* When the process (its group leader) started, in CLOCK_BOOTTIME ns. */
static __always_inline __u64 process_start_ns(struct task_struct *task)
{
	struct task_struct *leader = BPF_CORE_READ(task, group_leader);

	if (bpf_core_field_exists(leader->start_boottime))
		return BPF_CORE_READ(leader, start_boottime);
	return BPF_CORE_READ((struct task_struct___pre55 *)leader, real_start_time);
}

static __always_inline void fill_identity(struct ew_exec *e, struct task_struct *task)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);

	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = BPF_CORE_READ(cred, uid.val);
	e->euid = BPF_CORE_READ(cred, euid.val);
	e->gid = BPF_CORE_READ(cred, gid.val);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	BPF_CORE_READ_STR_INTO(&e->parent_comm, task, real_parent, comm);
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->start_ns = process_start_ns(task);
	e->parent_start_ns = process_start_ns(BPF_CORE_READ(task, real_parent));

	e->suid = BPF_CORE_READ(cred, suid.val);
	e->fsuid = BPF_CORE_READ(cred, fsuid.val);
	e->egid = BPF_CORE_READ(cred, egid.val);
	e->sgid = BPF_CORE_READ(cred, sgid.val);
	e->fsgid = BPF_CORE_READ(cred, fsgid.val);
	e->user_ns = BPF_CORE_READ(cred, user_ns, ns.inum);
	/* loginuid and sessionid exist only with CONFIG_AUDITSYSCALL. */
	e->auid = bpf_core_field_exists(task->loginuid) ? BPF_CORE_READ(task, loginuid.val) :
							  0xffffffffU;
	e->sessionid = bpf_core_field_exists(task->sessionid) ? BPF_CORE_READ(task, sessionid) :
								0xffffffffU;
	e->mnt_ns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	e->net_ns = BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);

	/* The innermost pid namespace: thread_pid->numbers[level] (see task_pid_vnr()). */
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid upid = {};

	bpf_core_read(&upid, sizeof(upid), &pid->numbers[level & 31]);
	e->ns_pid = upid.nr;
	e->pid_ns = BPF_CORE_READ(upid.ns, ns.inum);

	struct tty_struct *tty = BPF_CORE_READ(task, signal, tty);

	e->tty[0] = '\0';
	if (tty)
		bpf_probe_read_kernel_str(e->tty, sizeof(e->tty), &tty->name);
}

/* The parts other issues fill: zero until a program writes them (scratch is reused). */
static __always_inline void clear_extensions(struct ew_exec *e)
{
	__builtin_memset(&e->file, 0, sizeof(e->file));
	__builtin_memset(&e->tamper, 0, sizeof(e->tamper));
	__builtin_memset(&e->policy, 0, sizeof(e->policy));
}

/*
 * Commit a finished record. Wake the reader only when enough is waiting:
 * it drains the ring on a short timer anyway, so a lone exec still shows up
 * quickly, and a storm costs one wake-up per wakeup_bytes, not per exec.
 */
static __always_inline __u64 wakeup_flags(__u64 size)
{
	__u64 waiting = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);

	return waiting + size >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void send(struct ew_exec *e, __u64 size)
{
	e->hdr.size = size;
	if (bpf_ringbuf_output(&events, e, size, wakeup_flags(size)))
		count(EW_CTR_RINGBUF_FULL);
	else
		count(EW_CTR_EVENTS_SENT);
}

/* Filename bytes go right after the fixed part; returns their length. */
static __always_inline __u32 put_filename(struct ew_exec *e, const char *src, bool user)
{
	char *dst = (char *)(e + 1);
	long n = user ? bpf_probe_read_user_str(dst, EW_FILENAME_MAX, src) :
			bpf_probe_read_kernel_str(dst, EW_FILENAME_MAX, src);

	if (n <= 0) {
		e->hdr.flags |= EW_F_FILENAME_FAULT;
		count(EW_CTR_FILENAME_FAULT);
		return 0;
	}
	if (n == EW_FILENAME_MAX)
		e->hdr.flags |= EW_F_FILENAME_TRUNCATED;
	return (__u32)(n - 1); /* drop the NUL */
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_success, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 old_tid = old_pid;
	struct exec_attempt *stashed, attempt = {};
	__u16 flags = 0;

	count(EW_CTR_EXEC_SEEN);
	/* The exec succeeded: its stashed attempt is no longer needed. */
	stashed = bpf_map_lookup_elem(&exec_stash, &old_tid);
	if (stashed) {
		attempt = *stashed;
		flags = (attempt.flags & EW_F_ARGV_EMPTY_AT_CALL) | EW_F_CALLER_KNOWN;
		bpf_map_delete_elem(&exec_stash, &old_tid);
	}
	/* Filter on the credentials the new program runs with. */
	if (!wanted(BPF_CORE_READ(p, tgid), BPF_CORE_READ(p, cred, uid.val))) {
		count(EW_CTR_FILTERED);
		return 0;
	}

	struct ew_exec *e = scratch_get();
	if (!e)
		return 0;

	e->hdr.boot_ns = bpf_ktime_get_boot_ns();
	e->hdr.type = EW_EVENT_EXEC;
	e->hdr.flags = flags;
	e->hdr.pid = BPF_CORE_READ(p, tgid);
	e->hdr.tid = old_tid;
	fill_identity(e, p);
	clear_extensions(e);
	e->ret = 0;
	e->dirfd = EW_AT_FDCWD_VALUE;
	e->argc = BPF_CORE_READ(bprm, argc);
	e->reserved0 = 0;
	if (BPF_CORE_READ_BITFIELD_PROBED(bprm, secureexec))
		e->hdr.flags |= EW_F_SECUREEXEC;
	e->caller_euid = stashed ? attempt.caller_euid : 0xffffffffU;
	e->caller_egid = stashed ? attempt.caller_egid : 0xffffffffU;
	__builtin_memcpy(e->comm_before, attempt.comm, sizeof(e->comm_before));

	__u32 name_len = put_filename(e, BPF_CORE_READ(bprm, filename), false);
	/* Keep the bound visible to the verifier across the helper call. */
	name_len &= EW_FILENAME_MAX - 1;
	e->filename_len = name_len;

	struct mm_struct *mm = BPF_CORE_READ(p, mm);
	__u64 arg_start = BPF_CORE_READ(mm, arg_start);
	__u64 arg_end = BPF_CORE_READ(mm, arg_end);
	__u64 true_len = arg_end > arg_start ? arg_end - arg_start : 0;
	__u32 limit = argv_limit();
	__u32 len = true_len > limit ? limit : true_len;

	e->argv_true_len = true_len > 0xffffffffULL ? 0xffffffffU : (__u32)true_len;
	if (len < true_len) {
		e->hdr.flags |= EW_F_ARGV_TRUNCATED;
		count(EW_CTR_ARGV_TRUNCATED);
	}
	barrier_var(len);
	if (len > EW_ARGV_CEILING_BYTES)
		return 0; /* unreachable; tells the verifier the bound */
	char *argv_dst = (char *)(e + 1) + name_len;
	if (len && bpf_probe_read_user(argv_dst, len, (const void *)arg_start)) {
		e->hdr.flags |= EW_F_ARGV_FAULT;
		count(EW_CTR_ARGV_FAULT);
		len = 0;
	}
	e->argv_len = len;
	/*
	 * 5.10 and 6.1's verifiers follow a dead branch in which len (sharing a
	 * register id with true_len) has umin > umax and lose its bound; mask
	 * it again so every kernel sees the record size bounded.
	 */
	barrier_var(len);
	len &= 2 * EW_ARGV_CEILING_BYTES - 1;
	__u64 size = sizeof(*e) + name_len + len;

	/* Issue 3 tamper evidence (tamper.h): the caller's argv at sys_enter, compared. */
	size = tamper_check(e, bprm, &attempt, argv_dst, len, true_len, size);
	barrier_var(size);
	if (size > scratch_bytes)
		return 0; /* unreachable; a constant bound 5.10's verifier loses otherwise */
	send(e, size);
	return 0;
}

static __always_inline int stash_attempt(__u64 filename, __u64 argv, __s32 dirfd, __u16 flags)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct exec_attempt attempt = {
		.enter_ns = bpf_ktime_get_boot_ns(),
		.filename = filename,
		.argv = argv,
		.dirfd = dirfd,
		.flags = flags,
	};
	__u64 first_arg = 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	/* Not reported if it fails: no need to track it (see report_failure). */
	if (!wanted(pid_tgid >> 32, (__u32)bpf_get_current_uid_gid()))
		return 0;
	/* execve(path, NULL, ...) and execve(path, {NULL}, ...) both mean argc 0. */
	if (!argv ||
	    (!bpf_probe_read_user(&first_arg, sizeof(first_arg), (const void *)argv) && !first_arg))
		attempt.flags |= EW_F_ARGV_EMPTY_AT_CALL;
	/* Who the caller was, to compare with what the exec made of it. */
	attempt.caller_euid = BPF_CORE_READ(task, cred, euid.val);
	attempt.caller_egid = BPF_CORE_READ(task, cred, egid.val);
	bpf_get_current_comm(attempt.comm, sizeof(attempt.comm));
	/* Tamper evidence (tamper.h): what the caller's memory holds now. */
	tamper_capture(&attempt, (const char *const *)argv);
	if (bpf_map_update_elem(&exec_stash, &tid, &attempt, BPF_ANY))
		count(EW_CTR_STASH_FULL);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int execve_enter(struct syscall_enter_ctx *ctx)
{
	return stash_attempt(ctx->args[0], ctx->args[1], EW_AT_FDCWD_VALUE, 0);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int execveat_enter(struct syscall_enter_ctx *ctx)
{
	return stash_attempt(ctx->args[1], ctx->args[2], (__s32)ctx->args[0], EW_F_EXECVEAT);
}

/*
 * Copy the caller's argv strings one by one. Each read may be as long as
 * the space left, so the destination offset (< limit) plus the size
 * (<= limit + 1) needs 2 * limit bytes of scratch: the verifier cannot relate
 * the two.
 */
static __always_inline void put_failed_argv(struct ew_exec *e, char *dst, const char *const *argv)
{
	__u64 limit = argv_limit();
	__u64 off = 0, room;
	__u32 argc = 0, i;
	bool complete = false;

	if (!argv)
		complete = true;
	for (i = 0; i < EW_FAILED_ARGS_MAX && !complete; i++) {
		const char *arg = NULL;

		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i])) {
			e->hdr.flags |= EW_F_ARGV_FAULT;
			count(EW_CTR_ARGV_FAULT);
			break;
		}
		if (!arg) {
			complete = true;
			break;
		}
		/* Check and use the same registers, so the verifier keeps the bounds. */
		barrier_var(off);
		if (off >= limit || off >= EW_ARGV_CEILING_BYTES)
			break;
		/* +1: the helper always writes a NUL, which a cut argument drops. */
		room = limit - off + 1;
		barrier_var(room);
		if (room > EW_ARGV_CEILING_BYTES + 1)
			break;
		long n = bpf_probe_read_user_str(dst + off, room, arg);
		if (n <= 0) {
			e->hdr.flags |= EW_F_ARGV_FAULT;
			count(EW_CTR_ARGV_FAULT);
			break;
		}
		argc++;
		if ((__u64)n >= room) {
			/* Cut: drop the NUL the helper forced, like a cut mm copy. */
			off += room - 1;
			break;
		}
		off += n;
	}
	if (!complete && !(e->hdr.flags & EW_F_ARGV_FAULT)) {
		e->hdr.flags |= EW_F_ARGV_TRUNCATED | EW_F_ARGV_TRUE_LEN_UNKNOWN;
		count(EW_CTR_ARGV_TRUNCATED);
	}
	e->argc = argc;
	e->argv_len = off;
	e->argv_true_len = off;
}

static __always_inline int report_failure(struct syscall_exit_ctx *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct exec_attempt *stashed, attempt;

	/* Success was reported (and its stash dropped) at sched_process_exec. */
	if (ctx->ret >= 0)
		return 0;
	count(EW_CTR_FAILED_SEEN);
	/* Same filters as at sys_enter, so a filtered exec has no stash to miss. */
	if (!wanted(pid_tgid >> 32, (__u32)bpf_get_current_uid_gid())) {
		count(EW_CTR_FILTERED);
		return 0;
	}
	stashed = bpf_map_lookup_elem(&exec_stash, &tid);
	if (!stashed) {
		count(EW_CTR_STASH_MISS);
		return 0;
	}
	attempt = *stashed;
	bpf_map_delete_elem(&exec_stash, &tid);
	tamper_release(&attempt); /* issue 3: free the capture slot (tamper.h) */

	struct ew_exec *e = scratch_get();
	if (!e)
		return 0;

	e->hdr.boot_ns = bpf_ktime_get_boot_ns();
	e->hdr.type = EW_EVENT_EXEC_FAILED;
	e->hdr.flags = attempt.flags;
	e->hdr.pid = pid_tgid >> 32;
	e->hdr.tid = tid;
	fill_identity(e, (struct task_struct *)bpf_get_current_task());
	clear_extensions(e);
	/* A failed exec changes nothing: the caller is the task as it is. */
	e->hdr.flags |= EW_F_CALLER_KNOWN;
	e->caller_euid = e->euid;
	e->caller_egid = e->egid;
	__builtin_memcpy(e->comm_before, e->comm, sizeof(e->comm_before));
	e->ret = (__s32)ctx->ret;
	e->dirfd = attempt.dirfd;
	e->reserved0 = 0;

	__u32 name_len = put_filename(e, (const char *)attempt.filename, true);
	name_len &= EW_FILENAME_MAX - 1;
	e->filename_len = name_len;

	put_failed_argv(e, (char *)(e + 1) + name_len, (const char *const *)attempt.argv);
	__u32 argv_len = e->argv_len;
	if (argv_len > EW_ARGV_CEILING_BYTES)
		return 0; /* unreachable; tells the verifier the bound */
	send(e, sizeof(*e) + name_len + argv_len);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int execve_exit(struct syscall_exit_ctx *ctx)
{
	return report_failure(ctx);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int execveat_exit(struct syscall_exit_ctx *ctx)
{
	return report_failure(ctx);
}

/*
 * --ancestors: tell the process table who created a new process. The parent
 * link is the child's real_parent, not the forking task: with CLONE_PARENT
 * they differ, and real_parent is what getppid() and exec records report.
 */
static __always_inline void send_fork(struct task_struct *child, __u32 child_tgid)
{
	struct task_struct *real_parent = BPF_CORE_READ(child, real_parent);
	struct ew_fork f = {};

	count(EW_CTR_FORK_SEEN);
	f.hdr.boot_ns = bpf_ktime_get_boot_ns();
	f.hdr.size = sizeof(f);
	f.hdr.type = EW_EVENT_FORK;
	f.hdr.pid = child_tgid;
	f.hdr.tid = BPF_CORE_READ(child, pid);
	f.ppid = BPF_CORE_READ(real_parent, tgid);
	f.start_ns = process_start_ns(child);
	f.parent_start_ns = process_start_ns(real_parent);
	if (bpf_ringbuf_output(&events, &f, sizeof(f), wakeup_flags(sizeof(f))))
		count(EW_CTR_RINGBUF_FULL);
	else
		count(EW_CTR_EVENTS_SENT);
}

/*
 * --pid: a process forked by a tracked process is tracked too. A new thread
 * (same tgid) changes nothing. --ancestors: a fork record. Loaded only when
 * one of them is on.
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(track_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 parent_tgid = BPF_CORE_READ(parent, tgid);
	__u32 child_tgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	if (parent_tgid == child_tgid)
		return 0;
	if (report_forks && parent_tgid != self_tgid)
		send_fork(child, child_tgid);
	if (!filter_subtree || !bpf_map_lookup_elem(&tracked_tgids, &parent_tgid))
		return 0;
	if (bpf_map_update_elem(&tracked_tgids, &child_tgid, &one, BPF_ANY))
		count(EW_CTR_SUBTREE_FULL);
	return 0;
}

#define SIGNAL_GROUP_EXIT 0x00000004 /* include/linux/sched/signal.h */

/*
 * A process ends when its last thread exits. do_exit() decrements
 * signal->live before this tracepoint, so 0 means the group is dead; the
 * leader exiting first (pid == tid) is not the end of the process, and the
 * status is then the one wait(2) reports (see struct ew_exit). Also forgets
 * the process for --pid. Loaded only when exits are reported or --pid is on.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(proc_exit, struct task_struct *p)
{
	struct signal_struct *signal = BPF_CORE_READ(p, signal);
	__u32 tgid = BPF_CORE_READ(p, tgid);
	struct ew_exit e = {};

	if (BPF_CORE_READ(signal, live.counter) != 0)
		return 0;
	if (filter_subtree) {
		bool tracked = bpf_map_lookup_elem(&tracked_tgids, &tgid) != NULL;

		bpf_map_delete_elem(&tracked_tgids, &tgid);
		if (!tracked)
			return 0;
	}
	if (!report_exits)
		return 0;
	e.uid = BPF_CORE_READ(p, cred, uid.val);
	if (tgid == self_tgid || (filter_uid && !bpf_map_lookup_elem(&uid_filter, &e.uid)) ||
	    (filter_cgroup && bpf_current_task_under_cgroup(&cgroup_filter, 0) != 1))
		return 0;

	count(EW_CTR_EXIT_SEEN);
	e.hdr.boot_ns = bpf_ktime_get_boot_ns();
	e.hdr.size = sizeof(e);
	e.hdr.type = EW_EVENT_EXIT;
	e.hdr.pid = tgid;
	e.hdr.tid = BPF_CORE_READ(p, pid);
	e.ppid = BPF_CORE_READ(p, real_parent, tgid);
	if (BPF_CORE_READ(signal, flags) & SIGNAL_GROUP_EXIT)
		e.status = BPF_CORE_READ(signal, group_exit_code);
	else
		e.status = BPF_CORE_READ(p, group_leader, exit_code);
	e.start_ns = process_start_ns(p);
	e.cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	if (bpf_ringbuf_output(&events, &e, sizeof(e), wakeup_flags(sizeof(e))))
		count(EW_CTR_RINGBUF_FULL);
	else
		count(EW_CTR_EVENTS_SENT);
	return 0;
}
