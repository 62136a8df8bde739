// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The "first BPF program" tutorial, fixed so that it builds and runs on
 * Debian 12 (clang 14, libbpf 1.1, bpftool 7.1). On every execve(2) the
 * program runs on the classic tracepoint syscalls/sys_enter_execve, writes
 * the caller's pid, uid, a timestamp in ns and the filename it asked to exec
 * into a BPF_MAP_TYPE_RINGBUF, and also prints one line with bpf_printk so
 * that the tutorial's "read trace_pipe" step has something to show.
 * first.c is the user-space side: it loads this object, attaches it and
 * prints the ring buffer's records.
 *
 * Fixes against the tutorial as written:
 * - No #include <stdint.h>: under -target bpf, glibc's stdint.h pulls in
 *   gnu/stubs-32.h, which Debian only ships with the i386 multilib, so the
 *   build stops there. Kernel types (__u32, __u64 from <linux/types.h>) are
 *   used instead, and the Makefile adds -I/usr/include/$(gcc
 *   -print-multiarch) so that <asm/types.h> is found.
 * - The record layout lives in first.h, shared with the loader: fixed-width
 *   types, explicit padding and a _Static_assert, so both compilers agree.
 * - bpftool 7.1 (Debian's) has no "autoattach" for "prog load": "make load"
 *   only loads and pins; attaching is done by first.c, the smallest libbpf
 *   loader that can do it.
 * - The program and map names are at most 15 characters: the kernel keeps
 *   only 15 (BPF_OBJ_NAME_LEN - 1), and "bpftool prog show name" matches the
 *   kept name, so a longer name is never found.
 * - The filename is a user-space pointer, so it is read with
 *   bpf_probe_read_user_str(), and its result is checked: at
 *   sys_enter_execve the string may not be paged in yet, and then the read
 *   fails (filename_len < 0) instead of returning garbage.
 * - bpf_ringbuf_reserve() can fail when the reader falls behind: that is
 *   checked, and the event is dropped rather than written through NULL.
 * - The license is "Dual BSD/GPL": bpf_printk() (bpf_trace_printk) is a
 *   GPL-only helper, and the verifier rejects it in a non-GPL program.
 *
 * The tracepoint's context is described by a local struct copied from
 * /sys/kernel/tracing/events/syscalls/sys_enter_execve/format, so no
 * vmlinux.h is needed.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "first.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024); /* bytes: a power of 2, page-aligned */
} first_events SEC(".maps");

/* events/syscalls/sys_enter_execve/format, field by field. */
struct sys_enter_execve_args {
	__u64 common; /* common_type, common_flags, common_preempt_count, common_pid */
	__s32 syscall_nr;
	__u32 pad;
	__u64 filename; /* const char __user * */
	__u64 argv; /* const char __user *const __user * */
	__u64 envp;
};

SEC("tracepoint/syscalls/sys_enter_execve")
int first_execve(struct sys_enter_execve_args *ctx)
{
	struct first_event *e;
	long n;

	e = bpf_ringbuf_reserve(&first_events, sizeof(*e), 0);
	if (!e)
		return 0; /* ring buffer full: this event is lost */

	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->ts_ns = bpf_ktime_get_ns();
	e->pad = 0;
	n = bpf_probe_read_user_str(e->filename, sizeof(e->filename),
				    (const void *)(long)ctx->filename);
	e->filename_len = n > 0 ? n - 1 : n; /* n counts the NUL */

	/* Teaching aid only: shows up in /sys/kernel/tracing/trace_pipe. */
	bpf_printk("first_execve pid=%u file=%s", e->pid, e->filename);

	bpf_ringbuf_submit(e, 0);
	return 0;
}
