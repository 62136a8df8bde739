// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Prototype for issue 3, "the executable, truthfully": one record per
 * successful exec with the exe and cwd paths that src/bpf/path.h builds in
 * the kernel, the exe's identity and flags, the mount namespace and chroot
 * state, and bprm->filename / bprm->interp. Standalone: shares no map or
 * record with execwatch.bpf.c.
 */
#include "bpf/kernel_types.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/path.h"
#include "path_proto.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the loader: which parts run (for the cost measurement). */
const volatile bool do_exe = true;
const volatile bool do_cwd = true;
const volatile bool do_send = true;
const volatile bool do_time = false;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 * 1024 * 1024);
} events SEC(".maps");

/*
 * The record (fixed part + packed strings) and the two walk buffers, each
 * with the slack path.h asks for. 25 KiB: fits a PERCPU_ARRAY value
 * (PCPU_MIN_UNIT_SIZE, 32 KiB).
 */
struct pp_scratch {
	struct pp_event ev;
	char data[4 * PP_STR_MAX];
	char exe_buf[EW_PATH_MAX + EW_PATH_SLACK];
	char cwd_buf[EW_PATH_MAX + EW_PATH_SLACK];
	/* In the map, not on the stack: path.h's ew_path_walk() says why. */
	struct ew_path_info exe;
	struct ew_path_info cwd;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pp_scratch);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PP_T_NR);
	__type(key, __u32);
	__type(value, __u64);
} timing SEC(".maps");

static __always_inline void add(__u32 idx, __u64 v)
{
	__u64 *p = bpf_map_lookup_elem(&timing, &idx);

	if (p)
		*p += v;
}

static __always_inline __u64 now(void)
{
	return do_time ? bpf_ktime_get_ns() : 0;
}

static __always_inline void took(__u32 idx, __u64 t0)
{
	if (do_time) {
		add(idx, bpf_ktime_get_ns() - t0);
		add(idx + 1, 1);
	}
}

/* The part of a walked path under the task's root, as a suffix length. */
static __always_inline __u16 root_len(const struct ew_path_info *info)
{
	if (!(info->flags & EW_PATH_F_ROOT_SEEN))
		return PP_ROOT_NOT_SEEN;
	return EW_PATH_MAX - 1 - info->root_off;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(pp_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct ew_path_info *exe, *cwd;
	struct ew_task_fs tfs;
	struct pp_scratch *s;
	__u32 zero = 0, pos = 0, len;
	__u64 t0, flags;
	long n;

	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return 0;
	exe = &s->exe;
	cwd = &s->cwd;
	exe->flags = exe->len = exe->root_off = 0;
	cwd->flags = cwd->len = cwd->root_off = 0;

	t0 = now();
	ew_task_fs_get(&tfs, p);
	took(PP_T_TASK_NS, t0);

	if (do_exe) {
		t0 = now();
		ew_path_bprm_exe(exe, s->exe_buf, EW_PATH_MAX, bprm, &tfs);
		took(PP_T_EXE_NS, t0);
	}
	if (do_cwd) {
		t0 = now();
		ew_path_cwd(cwd, s->cwd_buf, EW_PATH_MAX, &tfs);
		took(PP_T_CWD_NS, t0);
	}
	if (!do_send)
		return 0;

	s->ev.boot_ns = bpf_ktime_get_boot_ns();
	s->ev.pid = BPF_CORE_READ(p, tgid);
	s->ev.exe_flags = exe->flags;
	s->ev.cwd_flags = cwd->flags;
	s->ev.task_flags = tfs.flags;
	s->ev.mnt_ns = tfs.mnt_ns_inum;
	s->ev.dev = exe->dev;
	s->ev.nlink = exe->nlink;
	s->ev.ino = exe->ino;
	s->ev.magic = exe->magic;
	s->ev.x_flags = ew_bprm_interp_changed(bprm) ? PP_X_INTERP_CHANGED : 0;
	s->ev.exe_root_len = root_len(exe);
	s->ev.cwd_root_len = root_len(cwd);
	bpf_get_current_comm(s->ev.comm, sizeof(s->ev.comm));

	/*
	 * Pack the strings. A walked path sits at the END of its buffer; one
	 * bounded copy moves it to the record. Each offset is re-bounded so the
	 * verifier can check data + pos + size against the value.
	 */
	len = do_exe ? exe->len : 0;
	if (len > PP_STR_MAX - 1 || exe->off > EW_PATH_MAX)
		len = 0;
	if (len)
		bpf_probe_read_kernel(s->data, len, s->exe_buf + exe->off);
	s->ev.exe_len = len;
	pos = len;

	len = do_cwd ? cwd->len : 0;
	if (len > PP_STR_MAX - 1 || cwd->off > EW_PATH_MAX)
		len = 0;
	barrier_var(pos);
	if (pos > PP_STR_MAX)
		return 0;
	if (len)
		bpf_probe_read_kernel(s->data + pos, len, s->cwd_buf + cwd->off);
	s->ev.cwd_len = len;
	pos += len;

	barrier_var(pos);
	if (pos > 2 * PP_STR_MAX)
		return 0;
	n = bpf_probe_read_kernel_str(s->data + pos, PP_STR_MAX, ew_bprm_filename(bprm));
	if (n <= 0) {
		s->ev.x_flags |= PP_X_FILENAME_FAULT;
		n = 1;
	}
	s->ev.filename_len = n - 1;
	pos += n - 1;

	barrier_var(pos);
	if (pos > 3 * PP_STR_MAX)
		return 0;
	n = bpf_probe_read_kernel_str(s->data + pos, PP_STR_MAX, ew_bprm_interp(bprm));
	if (n <= 0) {
		s->ev.x_flags |= PP_X_INTERP_FAULT;
		n = 1;
	}
	s->ev.interp_len = n - 1;
	pos += n - 1;

	barrier_var(pos);
	if (pos > 4 * PP_STR_MAX)
		return 0;
	s->ev.size = sizeof(s->ev) + pos;
	/*
	 * No wake-up per record (an IPI each, which dominates in a VM): the
	 * loader drains on a 50 ms timer; past 256 KiB waiting, wake it.
	 */
	flags = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > 256 * 1024 ? BPF_RB_FORCE_WAKEUP :
									     BPF_RB_NO_WAKEUP;
	if (bpf_ringbuf_output(&events, &s->ev, sizeof(s->ev) + pos, flags))
		add(PP_T_DROPPED, 1);
	else
		add(PP_T_SENT, 1);
	return 0;
}
