/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Tamper evidence (issue 3): did the new program receive the argv its caller
 * passed?
 *
 * Peers (bcc's execsnoop, bpftrace's execsnoop.bt) report the strings they
 * read from the caller's memory at sys_enter_execve. A second thread can
 * rewrite those strings after that read and before the kernel copies them
 * (copy_strings() in do_execveat_common()), so the peer shows one command
 * while another runs. execwatch reports the kernel's copy (mm->arg_start..
 * arg_end, read at sched_process_exec), and here also keeps what the caller's
 * memory held at sys_enter: when the two differ, the record carries
 * EW_F_ARGV_TAMPERED and both versions.
 *
 * Cost, on every exec (issue 4 allows 2 us of BPF per exec):
 * - sys_enter: one BPF_F_NO_PREALLOC hash element per exec in flight (only
 *   threads inside execve hold memory; max_entries bounds the worst case at
 *   TAMPER_MAX_INFLIGHT * 8 KiB), the strings read straight into it, one
 *   helper call per argument, as a peer's capture costs.
 * - sched_process_exec: compare the two byte strings 8 bytes at a time
 *   (the mm copy is already in the record being built), then delete the
 *   element. Only when they differ is anything copied into the record.
 * A capture that cannot be made or compared in full is flagged in the record
 * (ew_exec_tamper.flags) and counted (EW_CTR_TAMPER_UNCHECKED), never silent.
 * The common cause: BPF cannot fault pages in, and after fork() a child has
 * no page-table entries for file-backed memory (string literals in .rodata,
 * as system()'s "sh" "-c") until it touches them, so such a string cannot be
 * read at sys_enter (peers lose these arguments outright). The capture then
 * stops there and only the prefix read before it is compared.
 *
 * Legitimate differences that are not tampering:
 * - argc 0: since v5.18 the kernel gives the program {""} (EW_F_ARGV_EMPTY_AT_CALL);
 *   the caller's empty argv is not compared.
 * - #! scripts and binfmt_misc: the handler replaces argv[0] by the
 *   interpreter (and its argument) and the script's path (load_script():
 *   remove_arg_zero(), then copy_string_kernel()), keeping argv[1..] at the
 *   end of the strings. bprm->interp then differs from bprm->filename, and
 *   only argv[1..] are compared, with the tail of the mm copy.
 *
 * Included by execwatch.bpf.c after count() and argv_limit().
 */
#ifndef EXECWATCH_BPF_TAMPER_H
#define EXECWATCH_BPF_TAMPER_H

/* Threads inside execve at once whose argv can be checked; more are counted. */
#define TAMPER_MAX_INFLIGHT 2048
/* Strings read at sys_enter at most; more leave the capture incomplete. */
#define TAMPER_ARGS_MAX 512

/* bprm->interp: this file's own flavor, so it needs nothing from kernel_types.h. */
struct linux_binprm___tamper {
	const char *filename;
	const char *interp;
} __attribute__((preserve_access_index));

/* Set by the loader: the scratch value size, to bound the caller_argv copy. */
const volatile __u32 scratch_bytes = 0;

/* tid -> the caller's argv at sys_enter (struct argv_capture in event.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, TAMPER_MAX_INFLIGHT);
	__type(key, __u32);
	__type(value, struct argv_capture);
} caller_argv SEC(".maps");

/* A zeroed value to create caller_argv elements from (an update copies a whole value). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct argv_capture);
} capture_zero SEC(".maps");

/*
 * At sys_enter: read the caller's argv strings into this thread's element,
 * the NUL-separated layout of mm->arg_start..arg_end. A failed read or a
 * limit reached leaves the capture incomplete (no EW_CAP_COMPLETE): only its
 * prefix is compared then.
 */
static __always_inline void tamper_capture(__u32 tid, const char *const *argv, __u64 enter_ns)
{
	struct argv_capture *cap;
	const struct argv_capture *zero;
	__u32 key = 0, i;
	__u64 off = 0, room;
	bool complete = !argv;

	zero = bpf_map_lookup_elem(&capture_zero, &key);
	if (!zero || bpf_map_update_elem(&caller_argv, &tid, zero, BPF_ANY))
		return; /* map full: counted at exec, when the check is missed */
	cap = bpf_map_lookup_elem(&caller_argv, &tid);
	if (!cap)
		return;
	cap->enter_ns = enter_ns;
	for (i = 0; i < TAMPER_ARGS_MAX && !complete; i++) {
		const char *arg = NULL;

		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]))
			break;
		if (!arg) {
			complete = true;
			break;
		}
		barrier_var(off);
		if (off >= EW_TAMPER_CAPTURE_BYTES)
			break;
		/* +1: room for the NUL the helper always writes; a cut string drops it. */
		room = EW_TAMPER_CAPTURE_BYTES - off + 1;
		barrier_var(room);
		if (room > EW_TAMPER_CAPTURE_BYTES + 1)
			break;
		long n = bpf_probe_read_user_str(cap->bytes + off, room, arg);
		if (n <= 0)
			break;
		if ((__u64)n >= room) {
			off += room - 1;
			break;
		}
		if (i == 0)
			cap->first_len = (__u16)n;
		off += n;
	}
	cap->len = off;
	cap->flags = complete ? EW_CAP_COMPLETE : 0;
}

/* The exec ended (failed, or filtered out): the capture is not needed. */
static __always_inline void tamper_forget(__u32 tid)
{
	bpf_map_delete_elem(&caller_argv, &tid);
}

/*
 * Are n bytes at a and b equal? 8 at a time, the last word overlapping;
 * n <= EW_TAMPER_CAPTURE_BYTES. Both ranges are read up to that bound, so
 * the caller keeps EW_TAMPER_CAPTURE_BYTES readable after each start.
 */
static __always_inline bool bytes_equal(const char *a, const char *b, __u32 n)
{
	__u64 last;
	__u32 i;

	if (n > EW_TAMPER_CAPTURE_BYTES)
		return false;
	if (n < 8) {
		for (i = 0; i < 8; i++) {
			if (i >= n)
				break;
			if (a[i] != b[i])
				return false;
		}
		return true;
	}
	for (i = 0; i < EW_TAMPER_CAPTURE_BYTES / 8; i++) {
		if (i * 8 + 8 > n)
			break;
		if (*(const __u64 *)(a + i * 8) != *(const __u64 *)(b + i * 8))
			return false;
	}
	last = n - 8;
	barrier_var(last);
	if (last > EW_TAMPER_CAPTURE_BYTES - 8)
		return false; /* never: n <= EW_TAMPER_CAPTURE_BYTES; a bound for the verifier */
	return *(const __u64 *)(a + last) == *(const __u64 *)(b + last);
}

/*
 * At sched_process_exec, after the mm argv (argv_len bytes of argv_true_len)
 * was put at argv_dst: compare, fill e->tamper, and on a difference append
 * the caller's argv at offset size of the record. Returns the new size.
 * argc0: the caller passed an empty argv.
 */
static __always_inline __u64 tamper_check(struct ew_exec *e, struct linux_binprm *bprm,
					  __u32 old_tid, bool argc0, const char *argv_dst,
					  __u32 argv_len, __u64 argv_true_len, __u64 size)
{
	struct linux_binprm___tamper *b = (void *)bprm;
	struct argv_capture *cap = bpf_map_lookup_elem(&caller_argv, &old_tid);
	const char *caller, *received;
	__u32 caller_len, n, first;
	bool complete, differ = false, partial = false;

	if (!cap)
		goto unchecked;
	caller_len = cap->len;
	first = cap->first_len;
	complete = cap->flags & EW_CAP_COMPLETE;
	/* Not even argv[0] was readable (a page not faulted in since fork). */
	if (!complete && !caller_len && !argc0) {
		tamper_forget(old_tid);
		goto unchecked;
	}
	if (caller_len > EW_TAMPER_CAPTURE_BYTES || first > caller_len)
		goto out; /* never written so by tamper_capture() */
	if (argc0)
		goto out; /* the kernel's {""}; nothing of the caller's to compare */

	caller = cap->bytes;
	received = argv_dst;
	n = caller_len;
	if (BPF_CORE_READ(b, interp) != BPF_CORE_READ(b, filename)) {
		/* A script: the caller's argv[1..] must be the tail of the mm strings. */
		e->tamper.flags |= EW_TAMPER_REWRITTEN;
		if (!complete || argv_len != argv_true_len) {
			partial = true; /* the tail is not in hand: cannot align it */
			goto out;
		}
		caller += first;
		n = caller_len - first;
		if (n > argv_len) {
			differ = true;
			goto out;
		}
		__u32 pos = argv_len - n;

		/* Bounds for the verifier: pos < argv_len <= argv_limit(). */
		if (pos > argv_limit())
			goto out;
		received = argv_dst + pos;
		/* The tail must start a string: the byte before it is a NUL. */
		if (pos && received[-1])
			differ = true;
	} else {
		/* The caller had more bytes than the program received. */
		if (caller_len > argv_true_len)
			differ = true;
		/* A complete capture must match the mm copy's length exactly. */
		if (complete && caller_len != argv_true_len)
			differ = true;
		if (!complete || argv_len < caller_len)
			partial = true;
		if (n > argv_len)
			n = argv_len;
	}
	if (!differ && !bytes_equal(caller, received, n))
		differ = true;
out:
	if (!differ) {
		if (partial) {
			e->tamper.flags |= EW_TAMPER_PARTIAL;
			count(EW_CTR_TAMPER_UNCHECKED);
		}
		tamper_forget(old_tid);
		return size;
	}

	/* Differ: the caller's version follows the rest of the payload. */
	__u32 copy = caller_len;
	__u32 limit = argv_limit();

	e->hdr.flags |= EW_F_ARGV_TAMPERED;
	if (!complete || copy > limit) {
		e->tamper.flags |= EW_TAMPER_CALLER_CUT;
		if (copy > limit)
			copy = limit;
	}
	if (copy > EW_TAMPER_CAPTURE_BYTES)
		copy = EW_TAMPER_CAPTURE_BYTES;
	barrier_var(size);
	if (size > scratch_bytes - EW_TAMPER_CAPTURE_BYTES ||
	    scratch_bytes < EW_TAMPER_CAPTURE_BYTES) {
		/* No room in the scratch buffer (never expected): flag only. */
		e->tamper.flags |= EW_TAMPER_CALLER_CUT;
		tamper_forget(old_tid);
		return size;
	}
	if (copy && bpf_probe_read_kernel((char *)e + size, copy, cap->bytes)) {
		e->tamper.flags |= EW_TAMPER_CALLER_CUT;
		copy = 0;
	}
	e->tamper.caller_argv_len = copy;
	tamper_forget(old_tid);
	return size + copy;
unchecked:
	e->tamper.flags |= EW_TAMPER_UNCHECKED;
	count(EW_CTR_TAMPER_UNCHECKED);
	return size;
}

#endif /* EXECWATCH_BPF_TAMPER_H */
