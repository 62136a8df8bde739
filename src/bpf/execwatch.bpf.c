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
 * - The executed file (bprm->file) and the working directory are turned into
 *   absolute paths in the kernel by path.h's d_path()-style walk, at the
 *   exec itself: /proc/PID/exe of a short-lived process is gone by the time
 *   user space could read it.
 */
#include "kernel_types.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "../event.h"
/* mnt_ns comes from fill_identity(); the fs magic is not reported: skip both reads. */
#define EW_PATH_NS_INUM 0
#define EW_PATH_FS_MAGIC 0
#include "path.h"

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
 * tgid -> tid of a non-leader thread inside execve(at). de_thread() gives
 * the exec'ing thread the leader's pid before the point of no return, so
 * when its exec fails after that point, sys_exit runs under the tgid and
 * cannot find the stash entry by tid: this names the entry. Written only
 * for execs from non-leader threads. LRU: the note of a process killed
 * mid-exec ages out without a sweep; a stale or overwritten one (two
 * threads exec'ing at once) fails the task check of stash_take().
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u32);
} exec_nonleader SEC(".maps");

/*
 * One record-building buffer per CPU. Not a PERCPU_ARRAY because per-CPU
 * values are limited to 32 KiB (PCPU_MIN_UNIT_SIZE). The loader sets
 * max_entries to the number of possible CPUs and value_size to
 * scratch_value_bytes(max_argv_bytes); no BTF value type, so the size may
 * vary. Sharing a slot per CPU is safe: these programs run with preemption
 * disabled and cannot nest on one CPU.
 *
 * A value is struct path_scratch (the exe and cwd walks' buffers), then the
 * record being built (struct ew_exec and its payload), which is sent to the
 * ring from there.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 8);
} scratch SEC(".maps");

/*
 * The path walks' working memory, at the start of each scratch value. The
 * ew_path_infos must be here, in map memory, not on the stack: path.h's
 * ew_path_walk() explains why (the walk would no longer verify). Each buffer
 * has the EW_PATH_SLACK bytes the walk's bounds need.
 */
struct path_scratch {
	struct ew_path_info exe;
	struct ew_path_info cwd;
	struct ew_task_fs tfs; /* the exec'ing task's root, pwd and namespace */
	char exe_buf[EW_PATH_MAX + EW_PATH_SLACK];
	char cwd_buf[EW_PATH_MAX + EW_PATH_SLACK];
};

_Static_assert(sizeof(struct ew_task_fs) == 96 && sizeof(struct ew_path_info) == 40,
	       "EW_PATH_SCRATCH_BYTES counts them");
_Static_assert(sizeof(struct path_scratch) == EW_PATH_SCRATCH_BYTES,
	       "loader sizes scratch with it");
_Static_assert(sizeof(struct path_scratch) % 8 == 0, "the record after it stays 8-aligned");
/* event.h repeats path.h's flags for user space; they must agree. */
_Static_assert(EW_FILE_TRUNCATED == EW_PATH_F_TRUNCATED && EW_FILE_FAULT == EW_PATH_F_FAULT &&
		       EW_FILE_DELETED == EW_PATH_F_DELETED && EW_FILE_NLINK0 == EW_PATH_F_NLINK0 &&
		       EW_FILE_PSEUDO == EW_PATH_F_PSEUDO &&
		       EW_FILE_INTERNAL == EW_PATH_F_INTERNAL && EW_FILE_MEMFD == EW_PATH_F_MEMFD &&
		       EW_FILE_OTHER_NS == EW_PATH_F_OTHER_NS &&
		       EW_FILE_ROOT_SEEN == EW_PATH_F_ROOT_SEEN,
	       "ew_file_flags == ew_path_flags");
_Static_assert(EW_FILE_TASK_CHROOT == EW_TASK_F_CHROOT &&
		       EW_FILE_TASK_CHROOT_UNKNOWN == EW_TASK_F_CHROOT_UNKNOWN &&
		       EW_FILE_TASK_NO_FS == EW_TASK_F_NO_FS,
	       "ew_file_task_flags == ew_task_fs_flags");
/* A walked path is at most EW_PATH_MAX - 1 bytes: it fits the payload's limit. */
_Static_assert(EW_PATH_MAX - 1 <= EW_PATH_PAYLOAD_MAX, "walked paths fit the record");

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
 * bpf_probe_read_user_str() as its documentation says, on every kernel: a
 * read string's length with its NUL, > 0. Older kernels return 0 for an
 * empty string and write no NUL (strncpy_from_user_nofault() added the NUL
 * to a length > 0 only; Debian's 5.10, 6.1 and 6.12 do this, 6.18 returns
 * 1). Taken for a fault, an argument "" cut the tamper capture short
 * ("prefix") and flagged a failed exec's argv as faulted.
 * So the NUL is written first, and 0 becomes 1 without a branch: a branch
 * here doubles the verifier's states in the argv loops (execve_exit went
 * past 1M instructions). Negative stays negative (-1 becomes 0, still <= 0).
 */
static __always_inline long read_user_str(char *dst, __u32 size, const void *src)
{
	long n;
	__u64 below_one;

	dst[0] = '\0';
	n = bpf_probe_read_user_str(dst, size, src);
	below_one = (__u64)(n - 1);
	barrier_var(below_one); /* keep clang from turning it back into a compare */
	return n + (long)(below_one >> 63);
}

#include "policy.h" /* issue 6: the exec policy */

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

/*
 * wanted() for the current task: its uid is read only when a uid filter
 * needs it (filter_uid is read-only, so the verifier drops the helper call
 * when there is none; as an argument it was made on every exec).
 */
static __always_inline bool wanted_current(__u32 tgid)
{
	return wanted(tgid, filter_uid ? (__u32)bpf_get_current_uid_gid() : 0);
}

static __always_inline struct ew_exec *scratch_get(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct path_scratch *ps = bpf_map_lookup_elem(&scratch, &cpu);

	if (!ps) {
		count(EW_CTR_SCRATCH_MISS);
		return NULL;
	}
	return (struct ew_exec *)(ps + 1);
}

/* The walk area in front of a record scratch_get() returned. */
static __always_inline struct path_scratch *path_scratch_of(struct ew_exec *e)
{
	return (struct path_scratch *)e - 1;
}

static __always_inline __u32 argv_limit(void)
{
	__u32 limit = max_argv_bytes;

	return limit > EW_ARGV_CEILING_BYTES ? EW_ARGV_CEILING_BYTES : limit;
}

#include "tamper.h"

/*
 * Two ways to read the task. The tp_btf programs get BTF-typed pointers:
 * plain dereferences (p->cred->uid.val) are CO-RE relocated like
 * BPF_CORE_READ, but the verifier turns them into guarded loads (a fault
 * reads 0) that cost about a nanosecond, where each BPF_CORE_READ hop is a
 * bpf_probe_read_kernel helper call of 25-30 ns. About thirty of those per
 * exec were most of exec_success's time. The failed-exec path runs from a
 * classic syscall tracepoint, where bpf_get_current_task() is a plain
 * number (bpf_get_current_task_btf() exists only since 5.11, and we load on
 * 5.10): it keeps the probe reads (the *_probed variants), which is cheap
 * enough for execs that fail.
 */

/* When the process (its group leader) started, in CLOCK_BOOTTIME ns. task: BTF. */
static __always_inline __u64 process_start_ns(struct task_struct *task)
{
	/* tp_btf needs 5.5+, which all have start_boottime. */
	return task->group_leader->start_boottime;
}

static __always_inline __u64 process_start_ns_probed(struct task_struct *task)
{
	struct task_struct *leader = BPF_CORE_READ(task, group_leader);

	if (bpf_core_field_exists(leader->start_boottime))
		return BPF_CORE_READ(leader, start_boottime);
	return BPF_CORE_READ((struct task_struct___pre55 *)leader, real_start_time);
}

/* The innermost pid namespace and the pid in it: thread_pid->numbers[level] (task_pid_vnr()). */
static __always_inline void fill_pid_ns(struct ew_exec *e, struct pid *pid)
{
	unsigned int level = pid->level;
	struct upid upid = {};

	/* The verifier takes only constant offsets into a BTF object: level 0 is the common case. */
	if (level == 0) {
		e->ns_pid = pid->numbers[0].nr;
		e->pid_ns = pid->numbers[0].ns->ns.inum;
		return;
	}
	bpf_core_read(&upid, sizeof(upid), &pid->numbers[level & 31]);
	e->ns_pid = upid.nr;
	e->pid_ns = BPF_CORE_READ(upid.ns, ns.inum);
}

/* task: a BTF pointer to the current task (tp_btf argument). */
static __always_inline void fill_identity(struct ew_exec *e, struct task_struct *task)
{
	const struct cred *cred = task->cred;
	struct task_struct *parent = task->real_parent;

	e->ppid = parent->tgid;
	e->uid = cred->uid.val;
	e->euid = cred->euid.val;
	e->gid = cred->gid.val;
	/* task is current: its comm without the helper call (NUL-terminated in 16 bytes). */
	__builtin_memcpy(e->comm, task->comm, sizeof(e->comm));
	e->comm[sizeof(e->comm) - 1] = '\0';
	/* comm is always NUL-terminated in its 16 bytes; a racing rename may tear it, no worse. */
	__builtin_memcpy(e->parent_comm, parent->comm, sizeof(e->parent_comm));
	e->parent_comm[sizeof(e->parent_comm) - 1] = '\0';
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->start_ns = process_start_ns(task);
	e->parent_start_ns = process_start_ns(parent);

	e->suid = cred->suid.val;
	e->fsuid = cred->fsuid.val;
	e->egid = cred->egid.val;
	e->sgid = cred->sgid.val;
	e->fsgid = cred->fsgid.val;
	e->user_ns = cred->user_ns->ns.inum;
	/* loginuid and sessionid exist only with CONFIG_AUDITSYSCALL. */
	e->auid = bpf_core_field_exists(task->loginuid) ? task->loginuid.val : 0xffffffffU;
	e->sessionid = bpf_core_field_exists(task->sessionid) ? task->sessionid : 0xffffffffU;
	e->mnt_ns = task->nsproxy->mnt_ns->ns.inum;
	e->net_ns = task->nsproxy->net_ns->ns.inum;
	fill_pid_ns(e, task->thread_pid);

	struct tty_struct *tty = task->signal->tty;

	e->tty[0] = '\0';
	if (tty)
		bpf_probe_read_kernel_str(e->tty, sizeof(e->tty), &tty->name);
}

/* The same from a task pointer that is not BTF-typed (the failed-exec path). */
static __always_inline void fill_identity_probed(struct ew_exec *e, struct task_struct *task)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);

	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = BPF_CORE_READ(cred, uid.val);
	e->euid = BPF_CORE_READ(cred, euid.val);
	e->gid = BPF_CORE_READ(cred, gid.val);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	BPF_CORE_READ_STR_INTO(&e->parent_comm, task, real_parent, comm);
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->start_ns = process_start_ns_probed(task);
	e->parent_start_ns = process_start_ns_probed(BPF_CORE_READ(task, real_parent));

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
	long n = user ? read_user_str(dst, EW_FILENAME_MAX, src) :
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

/*
 * Copy a walked path (it ends at the end of its buffer, path.h) to dst, in
 * one bounded read; returns its length. The checks never fail at run time:
 * they give the verifier the bounds.
 */
static __always_inline __u32 put_walked(char *dst, const char *buf, const struct ew_path_info *info)
{
	__u32 len = info->len, off = info->off;

	if (len > EW_PATH_MAX - 1 || off > EW_PATH_MAX - 1)
		return 0;
	barrier_var(len);
	len &= EW_PATH_MAX - 1;
	bpf_probe_read_kernel(dst, len, buf + off);
	return len;
}

/* How many bytes at the end of a walked path the task sees under its root. */
static __always_inline __u16 walked_root_len(const struct ew_path_info *info)
{
	if (!(info->flags & EW_PATH_F_ROOT_SEEN) || info->root_off > EW_PATH_MAX - 1)
		return EW_ROOT_LEN_NONE;
	return EW_PATH_MAX - 1 - info->root_off;
}

/*
 * The walks run in global (non-static, __noinline) functions. The verifier
 * checks a global function once, on its own, whatever its callers' states;
 * inlined, each 64-iteration walk was verified again for every distinct state
 * the exec program reached it with (stashed or not, argv faulted or not...)
 * and the program went past the 1M-instruction limit. A global function's
 * arguments must be scalars (on 5.10 too), so they take kernel addresses as
 * numbers read with helpers, find the scratch value themselves and leave
 * their results in it (struct path_scratch).
 */
static __always_inline struct path_scratch *path_scratch_get(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&scratch, &cpu);
}

/*
 * Each walk twice: with helper reads (every kernel) and with direct loads
 * (`_direct`, 6.2+: bpf_rdonly_cast(), path.h), each called only by the
 * programs of its kind, so a kernel without the kfunc never loads the
 * direct ones.
 */

/* ew_task_fs_get() of the current task into the scratch value. */
static __always_inline int walk_fs(const bool direct)
{
	struct path_scratch *ps = path_scratch_get();

	if (!ps)
		return -1;
	ew_task_fs_get(&ps->tfs, (struct task_struct *)bpf_get_current_task(), direct);
	return 0;
}

/* The path and identity of `file` (a struct file address): ps->exe, ps->exe_buf. */
static __always_inline int walk_exe(__u64 file, const bool direct)
{
	struct path_scratch *ps = path_scratch_get();

	if (!ps)
		return -1;
	ew_path_file(&ps->exe, ps->exe_buf, EW_PATH_MAX, (struct file *)file, &ps->tfs, direct);
	return 0;
}

/* The current task's working directory: ps->cwd, ps->cwd_buf. */
static __always_inline int walk_cwd(const bool direct)
{
	struct path_scratch *ps = path_scratch_get();

	if (!ps)
		return -1;
	ew_path_cwd(&ps->cwd, ps->cwd_buf, EW_PATH_MAX, &ps->tfs, direct);
	return 0;
}

__noinline int ew_walk_fs(void)
{
	return walk_fs(false);
}

__noinline int ew_walk_exe(__u64 file)
{
	return walk_exe(file, false);
}

__noinline int ew_walk_cwd(void)
{
	return walk_cwd(false);
}

__noinline int ew_walk_fs_direct(void)
{
	return walk_fs(true);
}

__noinline int ew_walk_exe_direct(__u64 file)
{
	return walk_exe(file, true);
}

__noinline int ew_walk_cwd_direct(void)
{
	return walk_cwd(true);
}

/* The cwd ew_walk_cwd() left in the scratch, copied to dst; e->file's cwd and task fields. */
static __always_inline __u32 copy_cwd(struct ew_exec *e, char *dst)
{
	struct path_scratch *ps = path_scratch_of(e);
	__u32 len = put_walked(dst, ps->cwd_buf, &ps->cwd);

	e->file.task_flags = ps->tfs.flags;
	e->file.cwd_flags = ps->cwd.flags;
	e->file.cwd_root_len = walked_root_len(&ps->cwd);
	e->file.cwd_len = len;
	return len;
}

/* The exe ew_walk_exe() left in the scratch, copied to dst; e->file's exe fields. */
static __always_inline __u32 copy_exe(struct ew_exec *e, char *dst)
{
	struct path_scratch *ps = path_scratch_of(e);
	__u32 len = put_walked(dst, ps->exe_buf, &ps->exe);

	e->file.exe_flags = ps->exe.flags;
	e->file.exe_root_len = walked_root_len(&ps->exe);
	e->file.exe_dev = ps->exe.dev;
	e->file.exe_nlink = ps->exe.nlink;
	e->file.exe_ino = ps->exe.ino;
	e->file.exe_len = len;
	return len;
}

/*
 * A failed exec's paths: the directory it was looked up from, and no exe,
 * except past the point of no return (file: the new mm's exe_file, else 0).
 * There begin_new_exec() has made the failing binary the task's exe: the
 * kernel's own reference, which names what was attempted when the filename
 * can no longer be read (its pointer leads into the binary's memory).
 * e->file is cleared (clear_extensions()), as for put_exec_paths().
 */
static __always_inline __u32 put_failed_paths(struct ew_exec *e, char *dst, __u64 file)
{
	__u32 exe_len = 0;

	e->file.exe_flags = EW_FILE_NONE;
	e->file.exe_root_len = EW_ROOT_LEN_NONE;
	if (ew_walk_fs()) {
		e->file.cwd_flags = EW_FILE_NONE;
		return 0;
	}
	if (file && !ew_walk_exe(file))
		exe_len = copy_exe(e, dst);
	if (ew_walk_cwd()) {
		e->file.cwd_flags = EW_FILE_NONE;
		return exe_len;
	}
	return exe_len + copy_cwd(e, dst + exe_len);
}

/*
 * Is the filename the kernel's name for an exec of the fd itself,
 * "/dev/fd/N" (alloc_bprm(): execveat(fd, "", AT_EMPTY_PATH))? A name
 * after it ("/dev/fd/N/x") means a lookup relative to fd.
 */
static __always_inline bool is_fd_exec_name(const char *name, __u32 len)
{
	__u32 i;

	if (len < 9 || len > 18 || name[0] != '/' || name[1] != 'd' || name[2] != 'e' ||
	    name[3] != 'v' || name[4] != '/' || name[5] != 'f' || name[6] != 'd' || name[7] != '/')
		return false;
	for (i = 8; i < 18 && i < len; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return true;
}

/*
 * exe | cwd | interp, at dst (right after argv), for a successful exec; the
 * rest of e->file too (cleared by clear_extensions(): lengths of paths not
 * found stay 0). Returns the bytes written. fd_exec_flags: what
 * sys_enter_execveat learnt about an fd exec (O_PATH).
 */
static __always_inline __u32 put_exec_paths(struct ew_exec *e, char *dst, struct linux_binprm *bprm,
					    __u32 fd_exec_flags, const bool direct)
{
	/*
	 * bprm is a trusted BTF pointer here (tp_btf): plain loads, no helper
	 * calls. Only the two pointer values are compared.
	 */
	const char *filename = bprm->filename;
	const char *interp = bprm->interp;
	/* Read with a helper: a number, as ew_walk_exe() must be given. */
	__u64 file = (__u64)BPF_CORE_READ(bprm, file);
	__u32 exe_len = 0, cwd_len = 0, interp_len = 0;

	if (direct ? ew_walk_fs_direct() : ew_walk_fs()) {
		e->file.exe_flags = e->file.cwd_flags = EW_FILE_NONE;
		e->file.exe_root_len = e->file.cwd_root_len = EW_ROOT_LEN_NONE;
		return 0;
	}
	if (!(direct ? ew_walk_exe_direct(file) : ew_walk_exe(file))) {
		exe_len = copy_exe(e, dst);
		/* The filename (right after the fixed part) says whether fd itself ran. */
		if (is_fd_exec_name((const char *)(e + 1), e->filename_len))
			e->file.exe_flags |= fd_exec_flags & (EW_FILE_FROM_FD | EW_FILE_OPATH);
	}
	if (!(direct ? ew_walk_cwd_direct() : ew_walk_cwd()))
		cwd_len = copy_cwd(e, dst + exe_len);

	/* bprm->interp is a new pointer only when #! or binfmt_misc replaced it (path.h). */
	if (interp != filename) {
		long n =
			bpf_probe_read_kernel_str(dst + exe_len + cwd_len, EW_FILENAME_MAX, interp);

		if (n <= 0) {
			e->file.exe_flags |= EW_FILE_INTERP_FAULT;
		} else {
			if (n == EW_FILENAME_MAX)
				e->file.exe_flags |= EW_FILE_INTERP_TRUNCATED;
			interp_len = (n - 1) & (EW_FILENAME_MAX - 1);
		}
	}
	e->file.interp_len = interp_len;
	return exe_len + cwd_len + interp_len;
}

/*
 * Takes the stash entry of the exec that task (current) is in, by the tid it
 * entered execve with: copied to *out and deleted. An entry of another task
 * under that tid is stale (left by a thread that died inside execve unseen,
 * whose tid is now this thread's, e.g. the tgid a non-leader takes in
 * de_thread()): it is dropped, never used. Returns whether *out was filled.
 */
static __always_inline bool stash_take(__u32 tid, const void *task, struct exec_attempt *out)
{
	struct exec_attempt *a = bpf_map_lookup_elem(&exec_stash, &tid);
	bool ours;

	if (!a)
		return false;
	ours = a->task == (__u64)task;
	if (ours)
		*out = *a;
	bpf_map_delete_elem(&exec_stash, &tid);
	return ours;
}

/* The exec of a non-leader thread ended before de_thread(), or succeeded. */
static __always_inline void nonleader_forget(__u32 tgid, __u32 tid)
{
	__u32 *noted;

	if (tid == tgid)
		return;
	noted = bpf_map_lookup_elem(&exec_nonleader, &tgid);
	/* Another thread of the process may be in execve too: only our own note. */
	if (noted && *noted == tid)
		bpf_map_delete_elem(&exec_nonleader, &tgid);
}

/*
 * At sys_exit under the tgid, without a stash entry of that tid: the exec
 * of a non-leader thread that failed past de_thread(). Takes its entry (as
 * stash_take()) by the tid it entered with, *tid, which stays unchanged
 * when there is none.
 */
static __always_inline bool stash_take_nonleader(__u32 tgid, const void *task, __u32 *tid,
						 struct exec_attempt *out)
{
	__u32 *noted = bpf_map_lookup_elem(&exec_nonleader, &tgid);
	__u32 old_tid;

	if (!noted)
		return false;
	old_tid = *noted;
	bpf_map_delete_elem(&exec_nonleader, &tgid);
	if (!stash_take(old_tid, task, out))
		return false;
	*tid = old_tid;
	return true;
}

/*
 * Both exec_success variants. text: the policy may have filename and argv
 * rules, decided on the record's bytes (needs bpf_loop(), so a separate
 * program; see policy_rt__configure()). A constant after inlining: the
 * plain variant has no trace of the text matchers.
 */
static __always_inline int exec_success_do(struct task_struct *p, pid_t old_pid,
					   struct linux_binprm *bprm, const bool text,
					   const bool direct)
{
	__u32 old_tid = old_pid;
	bool report = true;
	struct exec_attempt attempt = {};
	__u16 flags = 0;

	count(EW_CTR_EXEC_SEEN);
	/* The exec succeeded: its stashed attempt is no longer needed. */
	bool stashed = stash_take(old_tid, p, &attempt);

	if (stashed)
		flags = (attempt.flags & EW_F_ARGV_EMPTY_AT_CALL) | EW_F_CALLER_KNOWN;
	nonleader_forget(p->tgid, old_tid);
	/* Filter on the credentials the new program runs with. */
	if (!wanted(p->tgid, p->cred->uid.val)) {
		count(EW_CTR_FILTERED);
		report = false;
		/* The policy applies to unreported execs too; text rules need the record built. */
		if (!text || !ew_policy_wants_text()) {
			ew_policy_exec(NULL, p, bprm, NULL, NULL, 0);
			return 0;
		}
	}

	struct ew_exec *e = scratch_get();
	if (!e) {
		ew_policy_exec(NULL, p, bprm, NULL, NULL, 0);
		return 0;
	}

	e->hdr.boot_ns = bpf_ktime_get_boot_ns();
	e->hdr.type = EW_EVENT_EXEC;
	e->hdr.flags = flags;
	e->hdr.pid = p->tgid;
	e->hdr.tid = old_tid;
	fill_identity(e, p);
	clear_extensions(e);
	e->ret = 0;
	e->dirfd = EW_AT_FDCWD_VALUE;
	e->argc = bprm->argc;
	e->reserved0 = 0;
	if (BPF_CORE_READ_BITFIELD(bprm, secureexec))
		e->hdr.flags |= EW_F_SECUREEXEC;
	e->caller_euid = stashed ? attempt.caller_euid : 0xffffffffU;
	e->caller_egid = stashed ? attempt.caller_egid : 0xffffffffU;
	__builtin_memcpy(e->comm_before, attempt.comm, sizeof(e->comm_before));

	__u32 name_len = put_filename(e, bprm->filename, false);
	/* Keep the bound visible to the verifier across the helper call. */
	name_len &= EW_FILENAME_MAX - 1;
	e->filename_len = name_len;

	struct mm_struct *mm = p->mm;
	__u64 arg_start = mm->arg_start;
	__u64 arg_end = mm->arg_end;
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
	if (len > limit)
		return 0; /* unreachable; the paths below need the tighter bound */
	__u32 paths_len = put_exec_paths(e, argv_dst + len, bprm,
					 stashed ? (__u32)attempt.fd_exec_flags : 0, direct);
	ew_policy_exec(&e->policy, p, bprm, text ? e : NULL, argv_dst + len, e->file.exe_len);
	__u64 size = sizeof(*e) + name_len + len + paths_len;

	/*
	 * Issue 3 tamper evidence (tamper.h): the caller's argv at sys_enter,
	 * compared. Not in the variant with the policy's text matchers: both
	 * together go past the verifier's 1M instructions (the record then
	 * says argv_tamper_check "none").
	 */
	if (text) {
		tamper_skip(e, &attempt);
		if (report)
			send(e, size);
		return 0;
	}
	/* bprm is a BTF pointer here: plain loads, no helper calls (see put_exec_paths()). */
	size = tamper_check(e, bprm->interp != bprm->filename, &attempt, argv_dst,
			    sizeof(*e) + name_len, len, true_len, size);
	barrier_var(size);
	if (size > scratch_bytes)
		return 0; /* unreachable; a constant bound 5.10's verifier loses otherwise */
	if (report)
		send(e, size);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_success, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return exec_success_do(p, old_pid, bprm, false, false);
}

/* The same with the path walks' direct loads (6.2+); the loader loads one of the two. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_success_direct, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return exec_success_do(p, old_pid, bprm, false, true);
}

/* With a policy, on kernels with bpf_loop() (5.17+): filename and argv rules too. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_success_t, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return exec_success_do(p, old_pid, bprm, true, false);
}

/*
 * The caller's effective ids: task->cred, then euid and egid. They are
 * neighbours in struct cred (uid, gid, suid, sgid, euid, egid, ...), so
 * one read takes both when the running kernel's layout agrees.
 */
static __always_inline void read_caller_ids(struct task_struct *task, struct exec_attempt *a)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);
	__u32 o_euid = bpf_core_field_offset(struct cred, euid.val);
	__u32 o_egid = bpf_core_field_offset(struct cred, egid.val);
	__u32 ids[2] = {};

	if (o_egid == o_euid + 4 && !(o_euid & 3)) {
		/* On a fault the helper zeroes ids: root, as BPF_CORE_READ() would say. */
		bpf_probe_read_kernel(ids, sizeof(ids), (const char *)cred + o_euid);
		a->caller_euid = ids[0];
		a->caller_egid = ids[1];
		return;
	}
	a->caller_euid = BPF_CORE_READ(cred, euid.val);
	a->caller_egid = BPF_CORE_READ(cred, egid.val);
}

/*
 * Who called: effective ids and comm. On 5.11+ the current task is a BTF
 * pointer (bpf_get_current_task_btf()), so cred, the ids and comm are plain
 * loads instead of three helper calls; libbpf resolves the test at load and
 * the verifier drops the branch the kernel cannot run. comm is copied as
 * bpf_get_current_comm() copies it, without the task lock.
 */
static __always_inline void read_caller(struct task_struct *task, struct exec_attempt *a)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_current_task_btf)) {
		struct task_struct *current = bpf_get_current_task_btf();
		const struct cred *cred = current->cred;

		a->caller_euid = cred->euid.val;
		a->caller_egid = cred->egid.val;
		__builtin_memcpy(a->comm, current->comm, sizeof(a->comm));
		a->comm[sizeof(a->comm) - 1] = '\0';
		return;
	}
	read_caller_ids(task, a);
	bpf_get_current_comm(a->comm, sizeof(a->comm));
}

/*
 * execve(path, NULL, ...) and execve(path, {NULL}, ...) both mean argc 0
 * (the kernel then gives the program {""} since 5.18).
 */
static __always_inline bool argv_empty(__u64 argv)
{
	__u64 first_arg = 0;

	return !argv || (!bpf_probe_read_user(&first_arg, sizeof(first_arg), (const void *)argv) &&
			 !first_arg);
}

static __always_inline int stash_attempt(__u64 filename, __u64 argv, __s32 dirfd, __u16 flags)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct exec_attempt attempt = {
		.enter_ns = bpf_ktime_get_boot_ns(),
		.filename = filename,
		.argv = argv,
		.dirfd = dirfd,
		.flags = flags,
		.task = (__u64)task,
	};
	__u32 tgid = pid_tgid >> 32;
	int argc_zero;

	/* Not reported if it fails: no need to track it (see report_failure). */
	if (!wanted_current(pid_tgid >> 32))
		return 0;
	/* Who the caller was, to compare with what the exec made of it. */
	read_caller(task, &attempt);
	/* Tamper evidence (tamper.h): what the caller's memory holds now. */
	argc_zero = tamper_capture(&attempt, (const char *const *)argv);
	/* The capture read argv[0] already, unless it made none. */
	if (argc_zero < 0)
		argc_zero = argv_empty(argv);
	if (argc_zero)
		attempt.flags |= EW_F_ARGV_EMPTY_AT_CALL;
	if (bpf_map_update_elem(&exec_stash, &tid, &attempt, BPF_ANY))
		count(EW_CTR_STASH_FULL);
	else if (tid != tgid)
		bpf_map_update_elem(&exec_nonleader, &tgid, &tid, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int execve_enter(struct syscall_enter_ctx *ctx)
{
	return stash_attempt(ctx->args[0], ctx->args[1], EW_AT_FDCWD_VALUE, 0);
}

#define EW_AT_EMPTY_PATH 0x1000 /* include/uapi/linux/fcntl.h */
#define EW_O_PATH 010000000 /* include/uapi/asm-generic/fcntl.h (x86, arm64) */

/*
 * execveat(fd, "", AT_EMPTY_PATH) (fexecve) runs the file behind fd. For an
 * O_PATH fd, do_open_execat() opens the file anew, so bprm->file at
 * sched_process_exec no longer shows the O_PATH: look at the fd here, in the
 * caller's table, and note it in the stashed attempt (this runs after
 * stash_attempt() stored it). Whether the path was empty is decided at
 * sched_process_exec from bprm->filename (is_fd_exec_name()): reading the
 * caller's string here can fail on a page not yet mapped. exec of
 * /proc/self/fd/N with an O_PATH fd is not seen this way: the fd is named
 * only through procfs.
 */
static __always_inline void note_fd_exec(__s32 fd, __u64 at_flags)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct exec_attempt *stashed;
	struct fdtable *fdt;
	struct file *file = NULL;
	struct file **fds;

	if (!(at_flags & EW_AT_EMPTY_PATH) || fd < 0)
		return;
	stashed = bpf_map_lookup_elem(&exec_stash, &tid);
	if (!stashed)
		return;
	stashed->fd_exec_flags = EW_FILE_FROM_FD;
	fdt = BPF_CORE_READ(task, files, fdt);
	if ((__u32)fd >= BPF_CORE_READ(fdt, max_fds))
		return;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	if (file && (BPF_CORE_READ(file, f_flags) & EW_O_PATH))
		stashed->fd_exec_flags |= EW_FILE_OPATH;
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int execveat_enter(struct syscall_enter_ctx *ctx)
{
	stash_attempt(ctx->args[1], ctx->args[2], (__s32)ctx->args[0], EW_F_EXECVEAT);
	note_fd_exec((__s32)ctx->args[0], ctx->args[4]);
	return 0;
}

/*
 * Copy the caller's argv strings one by one. The pointers too, not 8 at a
 * time as the tamper capture does (argv_ptr(), tamper.h): failed execs are
 * rare, and the batched loop doubled the two sys_exit programs'
 * verification time (execwatch started in 1.4 s instead of 0.9 s). Each
 * read may be as long as
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
		long n = read_user_str(dst + off, room, arg);
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

/*
 * A failed exec without a stash entry: it entered before execwatch attached
 * (one is in flight at every start on a busy machine: a shell's PATH search
 * fails several times per command), or the stash was full (a flood of
 * threads parked in execve). The caller's saved user registers still hold
 * its arguments (a failed execve returns to them unchanged), and the argv
 * is read from the caller's memory at exit in either case, so the record is
 * the same as with a stash entry, minus the entry time. Needs
 * bpf_task_pt_regs() (5.15); before it, the exec stays a stash_miss.
 */
static __always_inline bool attempt_from_regs(struct exec_attempt *a, bool at)
{
#if defined(__TARGET_ARCH_x86)
	struct pt_regs *regs;

	if (!bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_task_pt_regs))
		return false;
	regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	if (!regs)
		return false;
	__builtin_memset(a, 0, sizeof(*a));
	if (at) {
		a->dirfd = (__s32)regs->di;
		a->filename = regs->si;
		a->argv = regs->dx;
		a->flags = EW_F_EXECVEAT;
	} else {
		a->dirfd = EW_AT_FDCWD_VALUE;
		a->filename = regs->di;
		a->argv = regs->si;
	}
	if (argv_empty(a->argv))
		a->flags |= EW_F_ARGV_EMPTY_AT_CALL;
	return true;
#else
	return false;
#endif
}

#define EW_SIGKILL_BIT (1ULL << (9 - 1)) /* sigset_t bit of SIGKILL (9) */
#define EW_SIGSEGV_BIT (1ULL << (11 - 1)) /* and of SIGSEGV (11) */

/*
 * Did this exec fail past its point of no return? begin_new_exec() has then
 * swapped in the new program's mm, and the caller's filename and argv
 * pointers lead into memory the failing binary laid out: an ELF can map a
 * page of its own at the caller's argv address, and fail on a later
 * segment, so reading there would record what the binary chose. Two signs,
 * read only on this rare path:
 * - bprm_execve() leaves a fatal signal for every such failure: SIGSEGV
 *   (force_fatal_sig(), force_sigsegv() before 5.16), or the SIGKILL that
 *   was already pending, in the task's own pending set;
 * - belt and braces: an mm whose argument area is not finished. Only
 *   create_elf_tables(), the last step of load_elf_binary() that can fail,
 *   sets arg_end (setup_arg_pages() sets arg_start earlier), and the
 *   caller's own mm, made by an earlier exec, always has it.
 * A false alarm (SIGSEGV or SIGKILL pending during an ordinary failed
 * exec) only makes the record take argv from the sys_enter copy, which is
 * the caller's too.
 */
static __always_inline bool caller_memory_gone(struct task_struct *task)
{
	__u64 pending = BPF_CORE_READ(task, pending.signal.sig[0]);
	struct mm_struct *mm = BPF_CORE_READ(task, mm);

	if (pending & (EW_SIGKILL_BIT | EW_SIGSEGV_BIT))
		return true;
	return !mm || !BPF_CORE_READ(mm, arg_end);
}

static __always_inline int report_failure(long ret, const bool at)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, tgid = pid_tgid >> 32, caller_tid = tid;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct exec_attempt attempt;
	struct pol_denial denial;
	bool stashed;

	/* Success was reported (and its stash dropped) at sched_process_exec. */
	if (ret >= 0)
		return 0;
	count(EW_CTR_FAILED_SEEN);
	/* Issue 6: this exec's denial, if any, is taken now, whatever is reported below. */
	bool denied = ew_policy_take_denial(&denial, tid);
	/* Same filters as at sys_enter, so a filtered exec has no stash to miss. */
	if (!wanted_current(pid_tgid >> 32)) {
		count(EW_CTR_FILTERED);
		return 0;
	}
	stashed = stash_take(tid, task, &attempt);
	if (stashed)
		nonleader_forget(tgid, tid);
	else if (tid == tgid) /* a non-leader's exec, failed past de_thread()? */
		stashed = stash_take_nonleader(tgid, task, &caller_tid, &attempt);
	if (!stashed && !attempt_from_regs(&attempt, at)) {
		count(EW_CTR_STASH_MISS);
		return 0;
	}

	struct ew_exec *e = scratch_get();
	if (!e) {
		tamper_release(&attempt); /* issue 3: free the capture slot (tamper.h) */
		return 0;
	}
	bool gone = caller_memory_gone(task);

	e->hdr.boot_ns = bpf_ktime_get_boot_ns();
	e->hdr.type = EW_EVENT_EXEC_FAILED;
	e->hdr.flags = attempt.flags;
	e->hdr.pid = pid_tgid >> 32;
	/* The thread that called execve, as for a successful exec (old_pid there). */
	e->hdr.tid = caller_tid;
	fill_identity_probed(e, task);
	clear_extensions(e);
	ew_policy_failed(&e->policy, &denial, denied, attempt.enter_ns); /* by pol_bprm_check? */
	e->ret = (__s32)ret;
	e->dirfd = attempt.dirfd;
	e->reserved0 = 0;

	__u32 name_len = 0;

	if (gone) {
		/*
		 * Past the point of no return the task may already run with the
		 * new program's name and credentials: the caller's are the
		 * stashed ones from sys_enter, and none without a stash entry.
		 */
		if (stashed) {
			e->hdr.flags |= EW_F_CALLER_KNOWN;
			e->caller_euid = attempt.caller_euid;
			e->caller_egid = attempt.caller_egid;
			__builtin_memcpy(e->comm_before, attempt.comm, sizeof(e->comm_before));
		}
		e->hdr.flags |= EW_F_CALLER_MEMORY_GONE | EW_F_FILENAME_FAULT;
		e->filename_len = 0;
		e->argc = 0;
		e->argv_len = 0;
		e->argv_true_len = 0;
		if (!tamper_put_caller_argv(e, (char *)(e + 1), &attempt))
			e->hdr.flags |= EW_F_ARGV_FAULT;
	} else {
		/* A failed exec changes nothing: the caller is the task as it is. */
		e->hdr.flags |= EW_F_CALLER_KNOWN;
		e->caller_euid = e->euid;
		e->caller_egid = e->egid;
		__builtin_memcpy(e->comm_before, e->comm, sizeof(e->comm_before));
		name_len = put_filename(e, (const char *)attempt.filename, true);
		name_len &= EW_FILENAME_MAX - 1;
		e->filename_len = name_len;
		put_failed_argv(e, (char *)(e + 1) + name_len, (const char *const *)attempt.argv);
	}
	tamper_release(&attempt); /* issue 3: free the capture slot (tamper.h) */
	__u32 argv_len = e->argv_len;
	if (argv_len > EW_ARGV_CEILING_BYTES)
		return 0; /* unreachable; tells the verifier the bound */
	if (argv_len > argv_limit())
		return 0; /* unreachable (put_failed_argv() stops there); the cwd needs it */
	__u64 exe_file = gone ? (__u64)BPF_CORE_READ(task, mm, exe_file) : 0;
	__u32 paths_len = put_failed_paths(e, (char *)(e + 1) + name_len + argv_len, exe_file);

	send(e, sizeof(*e) + name_len + argv_len + paths_len);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int execve_exit(struct syscall_exit_ctx *ctx)
{
	return report_failure(ctx->ret, false);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int execveat_exit(struct syscall_exit_ctx *ctx)
{
	return report_failure(ctx->ret, true);
}

/*
 * The same entry and exit on the syscall functions themselves, where the
 * kernel takes fentry/fexit programs (the loader probes; this host's
 * lockdown refuses them). Why: while any syscalls/ tracepoint is attached,
 * the kernel sets SYSCALL_WORK_SYSCALL_TRACEPOINT on every task, so every
 * syscall of every process takes the tracing slow path, whichever syscall
 * the tracepoint is for: +46 ns per getppid() on this 6.18 host, and about
 * 130 syscalls per posix_spawn + exec (glibc resets every signal handler),
 * more than all of execwatch's BPF time per exec. fentry patches execve's
 * own entry only. x86-64 only: the syscall wrappers take the user
 * registers; compat (32-bit) execs are missed by both hooks alike (x86
 * does not trace compat syscalls), their successes are seen at
 * sched_process_exec.
 */
#if defined(__TARGET_ARCH_x86)
SEC("fentry/__x64_sys_execve")
int BPF_PROG(execve_fentry, const struct pt_regs *regs)
{
	return stash_attempt(regs->di, regs->si, EW_AT_FDCWD_VALUE, 0);
}

SEC("fentry/__x64_sys_execveat")
int BPF_PROG(execveat_fentry, const struct pt_regs *regs)
{
	__s32 fd = (__s32)regs->di;

	stash_attempt(regs->si, regs->dx, fd, EW_F_EXECVEAT);
	note_fd_exec(fd, regs->r8);
	return 0;
}

SEC("fexit/__x64_sys_execve")
int BPF_PROG(execve_fexit, const struct pt_regs *regs, long ret)
{
	return report_failure(ret, false);
}

SEC("fexit/__x64_sys_execveat")
int BPF_PROG(execveat_fexit, const struct pt_regs *regs, long ret)
{
	return report_failure(ret, true);
}
#endif

/*
 * --ancestors: tell the process table who created a new process. The parent
 * link is the child's real_parent, not the forking task: with CLONE_PARENT
 * they differ, and real_parent is what getppid() and exec records report.
 */
static __always_inline void send_fork(struct task_struct *child, __u32 child_tgid)
{
	/* tp_btf: child is a BTF pointer, so plain loads (process_start_ns() needs one). */
	struct task_struct *real_parent = child->real_parent;
	struct ew_fork f = {};

	count(EW_CTR_FORK_SEEN);
	f.hdr.boot_ns = bpf_ktime_get_boot_ns();
	f.hdr.size = sizeof(f);
	f.hdr.type = EW_EVENT_FORK;
	f.hdr.pid = child_tgid;
	f.hdr.tid = child->pid;
	f.ppid = real_parent->tgid;
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
	__u32 parent_tgid = parent->tgid;
	__u32 child_tgid = child->tgid;
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
	struct signal_struct *signal = p->signal;
	__u32 tgid = p->tgid;
	struct ew_exit *e;
	__u32 uid;

	if (signal->live.counter != 0)
		return 0;
	if (filter_subtree) {
		bool tracked = bpf_map_lookup_elem(&tracked_tgids, &tgid) != NULL;

		bpf_map_delete_elem(&tracked_tgids, &tgid);
		if (!tracked)
			return 0;
	}
	if (!report_exits)
		return 0;
	uid = p->cred->uid.val;
	if (tgid == self_tgid || (filter_uid && !bpf_map_lookup_elem(&uid_filter, &uid)) ||
	    (filter_cgroup && bpf_current_task_under_cgroup(&cgroup_filter, 0) != 1))
		return 0;

	count(EW_CTR_EXIT_SEEN);
	/* Fixed size: built in place in the ring, no stack copy to output. */
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(EW_CTR_RINGBUF_FULL);
		return 0;
	}
	e->hdr.boot_ns = bpf_ktime_get_boot_ns();
	e->hdr.size = sizeof(*e);
	e->hdr.type = EW_EVENT_EXIT;
	e->hdr.flags = 0;
	e->hdr.pid = tgid;
	e->hdr.tid = p->pid;
	e->ppid = p->real_parent->tgid;
	if (signal->flags & SIGNAL_GROUP_EXIT)
		e->status = signal->group_exit_code;
	else
		e->status = p->group_leader->exit_code;
	e->start_ns = process_start_ns(p);
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->uid = uid;
	e->reserved = 0;
	__builtin_memcpy(e->comm, p->comm, sizeof(e->comm)); /* p is current */
	e->comm[sizeof(e->comm) - 1] = '\0';
	/* Queried after the reserve: it counts this record as waiting already. */
	bpf_ringbuf_submit(e, wakeup_flags(0));
	count(EW_CTR_EVENTS_SENT);
	return 0;
}
