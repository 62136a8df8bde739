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
 * Cost, on every exec (issue 4 allows 2 us of BPF per exec). A hash element
 * per exec (BPF_F_NO_PREALLOC) costs an allocation and a whole-value copy:
 * measured +0.9 to +2 us at sys_enter here, even with 1 KiB values. So the
 * captures live in a preallocated array, EW_TAMPER_SLOTS_PER_CPU slots per
 * CPU: sys_enter takes the next free slot of its CPU (released at sys_exit of
 * a failed exec or after the comparison; a slot held over 5 s belongs to a
 * thread that died inside execve and is taken back), and the exec's stash
 * entry (exec_attempt) remembers the slot and a ticket unique to the exec.
 * Only the bytes captured are touched:
 * - sys_enter: one helper call per argument into the slot, and one per 8
 *   argv[] pointers (argv_ptr());
 * - sched_process_exec: compare the two byte strings 8 bytes at a time (the
 *   mm copy is already in the record being built); +0.1 us. Only when they
 *   differ is anything copied into the record.
 * The ticket, written before the bytes and read again after the comparison,
 * tells a slot taken by another exec meanwhile: that exec is unchecked,
 * never flagged. All slots of a CPU busy (16 execs in flight that began on
 * it): unchecked. Memory: ncpus * 16 * 8 KiB (2 MiB on 16 CPUs).
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

/* Strings read at sys_enter at most; more leave the capture incomplete. */
#define TAMPER_ARGS_MAX 512
/* A slot taken longer ago than this is free: its thread died inside execve. */
#define TAMPER_STALE_NS (5ULL * 1000 * 1000 * 1000)

/* Set by the loader: the scratch bytes from the record on, to bound the caller_argv copy. */
const volatile __u32 scratch_bytes = 0;

/* The capture slots; max_entries set by the loader to ncpus * EW_TAMPER_SLOTS_PER_CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, EW_TAMPER_SLOTS_PER_CPU);
	__type(key, __u32);
	__type(value, struct argv_capture);
} caller_argv SEC(".maps");

/* Per CPU: how many captures began on it (picks the slot, makes the ticket). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} capture_seq SEC(".maps");

/*
 * A caller's argv[] pointers, read EW_ARGV_PTR_BATCH at a time: one helper
 * call instead of one per argument (each costs 40-60 ns here, and a long
 * argv has dozens). tamper_capture()'s loop is unrolled by
 * EW_ARGV_PTR_BATCH, so j is a constant and b->p[j] a fixed stack slot
 * (5.10 rejects variable-offset stack reads). The failed-exec path reads
 * them one by one (put_failed_argv() says why).
 */
#define EW_ARGV_PTR_BATCH 8

struct argv_ptrs {
	__u64 p[EW_ARGV_PTR_BATCH];
	bool batched;
};

/*
 * argv[base + j] into *arg; false when it cannot be read. At j == 0 the
 * batch from argv[base] is read. Reading past the terminating NULL is
 * harmless, but the batch may run into an unmapped page after a short
 * array: then each pointer is read on its own, as before batching.
 */
static __always_inline bool argv_ptr(struct argv_ptrs *b, const char *const *argv, __u32 base,
				     const __u32 j, const char **arg)
{
	if (j == 0)
		b->batched = !bpf_probe_read_user(b->p, sizeof(b->p), &argv[base]);
	if (b->batched) {
		*arg = (const char *)b->p[j];
		return true;
	}
	return !bpf_probe_read_user(arg, sizeof(*arg), &argv[base + j]);
}

/*
 * At sys_enter: take this CPU's next slot, stamp it with a new ticket, then
 * read the caller's argv strings into it in the NUL-separated layout of
 * mm->arg_start..arg_end. A failed read or a limit reached leaves the
 * capture incomplete (no EW_CAP_COMPLETE): only its prefix is compared then.
 * The slot and ticket go into the exec's stash entry. Returns whether argv[0]
 * was NULL (1 or 0), or -1 when it was not read: the caller then reads it.
 */
static __always_inline int tamper_capture(struct exec_attempt *attempt, const char *const *argv)
{
	struct argv_capture *cap;
	__u32 key = 0, cpu = bpf_get_smp_processor_id(), slot = 0, i, c, j;
	__u64 *seq = bpf_map_lookup_elem(&capture_seq, &key);
	__u64 off = 0, room, ticket, now = attempt->enter_ns;
	struct argv_ptrs batch = {};
	bool complete = !argv, stop = false;
	int argc_zero = -1;

	attempt->cap_ticket = 0;
	if (!seq)
		return -1;
	/* Unique: the count on this CPU, and the CPU. Never 0. */
	ticket = (++*seq << 16) | (cpu & 0xffff);
	/* The next free slot of this CPU; all busy: no capture (counted at exec). */
	cap = NULL;
	for (i = 0; i < EW_TAMPER_SLOTS_PER_CPU; i++) {
		struct argv_capture *c;

		slot = cpu * EW_TAMPER_SLOTS_PER_CPU +
		       (__u32)((*seq + i) % EW_TAMPER_SLOTS_PER_CPU);
		c = bpf_map_lookup_elem(&caller_argv, &slot);
		if (!c)
			return -1; /* more CPUs than the loader sized for */
		if (!c->busy_since || now - c->busy_since > TAMPER_STALE_NS) {
			cap = c;
			break;
		}
	}
	if (!cap)
		return -1;
	cap->ticket = ticket;
	cap->busy_since = now;
	cap->first_len = 0;
	for (c = 0; c < TAMPER_ARGS_MAX / EW_ARGV_PTR_BATCH && !complete && !stop; c++) {
#pragma unroll
		for (j = 0; j < EW_ARGV_PTR_BATCH; j++) {
			const char *arg = NULL;

			if (!argv_ptr(&batch, argv, c * EW_ARGV_PTR_BATCH, j, &arg)) {
				stop = true;
				break;
			}
			if (c == 0 && j == 0)
				argc_zero = !arg;
			if (!arg) {
				complete = true;
				break;
			}
			barrier_var(off);
			if (off >= EW_TAMPER_CAPTURE_BYTES) {
				stop = true;
				break;
			}
			/* +1: room for the NUL the helper always writes; a cut string drops it. */
			room = EW_TAMPER_CAPTURE_BYTES - off + 1;
			barrier_var(room);
			if (room > EW_TAMPER_CAPTURE_BYTES + 1) {
				stop = true;
				break;
			}
			long n = read_user_str(cap->bytes + off, room, arg);
			if (n <= 0) {
				stop = true;
				break;
			}
			if ((__u64)n >= room) {
				off += room - 1;
				stop = true;
				break;
			}
			if (c == 0 && j == 0)
				cap->first_len = (__u16)n;
			off += n;
		}
	}
	cap->len = off;
	cap->flags = complete ? EW_CAP_COMPLETE : 0;
	attempt->cap_slot = slot;
	attempt->cap_ticket = ticket;
	return argc_zero;
}

/* The exec's capture slot while it still holds this exec's capture; NULL: none, or taken. */
static __always_inline struct argv_capture *tamper_capture_of(const struct exec_attempt *attempt)
{
	__u32 slot = attempt->cap_slot;
	struct argv_capture *cap;

	if (!attempt->cap_ticket)
		return NULL;
	cap = bpf_map_lookup_elem(&caller_argv, &slot);
	if (!cap || cap->ticket != attempt->cap_ticket)
		return NULL;
	return cap;
}

/* The exec ended (failed, or was compared): its slot is free again. */
static __always_inline void tamper_release(const struct exec_attempt *attempt)
{
	struct argv_capture *cap = tamper_capture_of(attempt);

	if (cap)
		cap->busy_since = 0;
}

/*
 * A failed exec whose caller's memory is gone (caller_memory_gone() in
 * execwatch.bpf.c): the capture's copy of the caller's argv becomes the
 * record's, at most EW_TAMPER_CAPTURE_BYTES and argv_limit(). argc is left
 * 0: user space counts the strings (EW_F_CALLER_MEMORY_GONE). False when
 * there is no capture, or another exec took its slot.
 */
static __always_inline bool tamper_put_caller_argv(struct ew_exec *e, char *dst,
						   const struct exec_attempt *attempt)
{
	struct argv_capture *cap = tamper_capture_of(attempt);
	__u32 len, limit = argv_limit();
	bool complete;

	if (!cap)
		return false;
	len = cap->len;
	complete = cap->flags & EW_CAP_COMPLETE;
	if (len > limit) {
		len = limit;
		complete = false;
	}
	barrier_var(len);
	if (len > EW_TAMPER_CAPTURE_BYTES)
		return false; /* never: the capture holds at most that */
	if (len && bpf_probe_read_kernel(dst, len, cap->bytes))
		return false;
	/* Read the ticket again: a later exec that took the slot meanwhile voids the copy. */
	barrier();
	if (cap->ticket != attempt->cap_ticket)
		return false;
	e->argc = 0;
	e->argv_len = len;
	e->argv_true_len = len;
	if (!complete)
		e->hdr.flags |= EW_F_ARGV_TRUNCATED | EW_F_ARGV_TRUE_LEN_UNKNOWN;
	return true;
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
 * bytes_equal() of the capture in slot (from byte skip) and the record being
 * built in this CPU's scratch (from byte rec_off of the record). A global
 * function: the verifier checks its loop once, on its own; inlined, it was
 * checked again for every state exec_success reached it with, and with the
 * path walks and the policy the program went past 1M instructions. A global
 * function takes scalars only, so it finds both buffers itself.
 * Returns 1: equal, 0: different, -1: a bound failed (never expected).
 */
__noinline int ew_tamper_equal(__u32 slot, __u64 skip, __u64 rec_off, __u64 n)
{
	/*
	 * 64-bit arguments: the verifier sees a global function's arguments as
	 * full 64-bit unknowns, and checks on a 32-bit view would not bound the
	 * register the pointer arithmetic uses.
	 */
	__u32 cpu = bpf_get_smp_processor_id();
	struct path_scratch *ps = bpf_map_lookup_elem(&scratch, &cpu);
	struct argv_capture *cap = bpf_map_lookup_elem(&caller_argv, &slot);

	if (!ps || !cap)
		return -1;
	if (skip > EW_TAMPER_CAPTURE_BYTES || n > EW_TAMPER_CAPTURE_BYTES ||
	    scratch_bytes < EW_TAMPER_CAPTURE_BYTES ||
	    rec_off > scratch_bytes - EW_TAMPER_CAPTURE_BYTES)
		return -1;
	return bytes_equal(cap->bytes + skip, (const char *)(ps + 1) + rec_off, (__u32)n);
}

/*
 * At sched_process_exec, after the mm argv (argv_len bytes of argv_true_len)
 * was put at argv_dst: compare with the capture named by the exec's stash
 * entry, fill e->tamper, and on a difference append the caller's argv at
 * offset size of the record. Returns the new size. scripted: bprm->interp
 * != bprm->filename (a #! or binfmt_misc handler rewrote argv[0]).
 */
static __always_inline __u64 tamper_check(struct ew_exec *e, bool scripted,
					  const struct exec_attempt *attempt, const char *argv_dst,
					  __u32 argv_off, __u32 argv_len, __u64 argv_true_len,
					  __u64 size)
{
	__u64 ticket = attempt->cap_ticket;
	__u32 slot = attempt->cap_slot;
	struct argv_capture *cap;
	__u32 caller_len, n, first, copy = 0, caller_off = 0, recv_off = argv_off;
	bool complete, differ = false, partial = false;

	cap = tamper_capture_of(attempt);
	if (!cap)
		goto unchecked; /* no stash entry, no slot, or taken by a later exec */
	caller_len = cap->len;
	first = cap->first_len;
	complete = cap->flags & EW_CAP_COMPLETE;
	/* Constant bounds first: 5.10's verifier learns nothing from first > caller_len. */
	barrier_var(first);
	if (caller_len > EW_TAMPER_CAPTURE_BYTES || first > EW_TAMPER_CAPTURE_BYTES ||
	    first > caller_len)
		goto unchecked; /* a slot being rewritten right now */
	if (attempt->flags & EW_F_ARGV_EMPTY_AT_CALL)
		goto compared; /* the kernel's {""}; nothing of the caller's to compare */
	/* Not even argv[0] was readable (a page not faulted in since fork). */
	if (!complete && !caller_len)
		goto unchecked;

	n = caller_len;
	if (scripted) {
		/* A script: the caller's argv[1..] must be the tail of the mm strings. */
		e->tamper.flags |= EW_TAMPER_REWRITTEN;
		if (!complete || argv_len != argv_true_len) {
			partial = true; /* the tail is not in hand: cannot align it */
			goto compared;
		}
		/* Checked against a constant right where it is used: old verifiers need it. */
		__u32 skip = first;

		barrier_var(skip);
		if (skip > EW_TAMPER_CAPTURE_BYTES)
			goto unchecked;
		caller_off = skip;
		n = caller_len - skip;
		if (n > argv_len) {
			differ = true;
			goto compared;
		}
		__u32 pos = argv_len - n;

		/* Bounds for the verifier: pos < argv_len <= argv_limit(). */
		if (pos > argv_limit())
			goto unchecked;
		recv_off = argv_off + pos;
		/*
		 * The tail must start a string: the byte before it is a NUL. Read
		 * with a helper: clang indexes with a copy of pos from before the
		 * bound check, which the verifier cannot bound.
		 */
		if (pos) {
			char before = 0;

			bpf_probe_read_kernel(&before, 1, argv_dst + pos - 1);
			if (before)
				differ = true;
		}
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
	if (!differ) {
		int equal = ew_tamper_equal(slot, caller_off, recv_off, n);

		if (equal < 0)
			goto unchecked;
		differ = !equal;
	}
compared:
	if (differ) {
		/* The caller's version follows the rest of the payload. */
		__u32 limit = argv_limit();

		copy = caller_len;
		if (!complete || copy > limit) {
			e->tamper.flags |= EW_TAMPER_CALLER_CUT;
			if (copy > limit)
				copy = limit;
		}
		if (copy > EW_TAMPER_CAPTURE_BYTES)
			copy = EW_TAMPER_CAPTURE_BYTES;
		barrier_var(size);
		if (size > scratch_bytes - EW_TAMPER_CAPTURE_BYTES ||
		    scratch_bytes < EW_TAMPER_CAPTURE_BYTES)
			copy = 0; /* no room in the scratch buffer (never expected) */
		if (copy && bpf_probe_read_kernel((char *)e + size, copy, cap->bytes))
			copy = 0;
		if (!copy)
			e->tamper.flags |= EW_TAMPER_CALLER_CUT;
	}
	/* Read the ticket again: a later exec that took the slot meanwhile voids it all. */
	barrier();
	if (cap->ticket != ticket) {
		e->tamper.flags &= ~(EW_TAMPER_CALLER_CUT | EW_TAMPER_REWRITTEN);
		goto unchecked;
	}
	cap->busy_since = 0; /* compared: the slot is free */
	if (differ) {
		e->hdr.flags |= EW_F_ARGV_TAMPERED;
		e->tamper.caller_argv_len = copy;
		return size + copy;
	}
	if (partial) {
		e->tamper.flags |= EW_TAMPER_PARTIAL;
		count(EW_CTR_TAMPER_UNCHECKED);
	}
	return size;
unchecked:
	e->tamper.flags |= EW_TAMPER_UNCHECKED;
	count(EW_CTR_TAMPER_UNCHECKED);
	return size;
}

/* No comparison for this exec: free its slot, and say so in the record and the counters. */
static __always_inline void tamper_skip(struct ew_exec *e, const struct exec_attempt *attempt)
{
	tamper_release(attempt);
	e->tamper.flags |= EW_TAMPER_UNCHECKED;
	count(EW_CTR_TAMPER_UNCHECKED);
}

#endif /* EXECWATCH_BPF_TAMPER_H */
