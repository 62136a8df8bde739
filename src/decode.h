/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Ring-buffer record decoding, bounds-checked.
 *
 * Ring data is input like any other: a kernel/user ABI mismatch or a bug
 * must produce an error, never a read past the record. decode_exec() checks
 * every length against the record's real size before a view points into it.
 */
#ifndef EXECWATCH_DECODE_H
#define EXECWATCH_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct proc_ancestry; /* proctable.h */

struct exec_view {
	struct ew_exec fixed; /* copied out: the ring gives no alignment promise to us */
	const char *filename;
	size_t filename_len;
	const char *argv; /* NUL-separated strings */
	size_t argv_len;
	const char *exe; /* resolved in the kernel (issue 3); exe_len 0: not known */
	size_t exe_len;
	const char *cwd;
	size_t cwd_len;
	const char *interp;
	size_t interp_len;
	const char *caller_argv; /* with EW_F_ARGV_TAMPERED: argv at sys_enter */
	size_t caller_argv_len;
	bool argv_empty_at_call; /* caller passed argc 0 (see EW_F_ARGV_EMPTY_AT_CALL) */
	/* Filled by the reader after decoding (cgroup.c); NULL when unknown. */
	const char *cgroup_path;
	const char *container_id;
	/* The policy rule named by fixed.policy (policy_rt.c); NULL when unknown. */
	const char *policy_rule;
	/* From the process table (proctable.c); NULL when unknown or not asked for. */
	const char *parent_exe;
	const struct proc_ancestry *ancestors; /* --ancestors */
};

/* One argument, a slice of the argv bytes. */
struct arg_span {
	const char *bytes;
	size_t len;
	bool partial; /* cut by truncation: the record ended before its NUL */
};

struct arg_iter {
	const char *pos;
	const char *end;
};

/* Returns 0, or -EINVAL (malformed) / -EPROTO (unknown type) / -EMSGSIZE. */
int decode_header(const void *data, size_t size, struct ew_header *hdr);
int decode_exec(const void *data, size_t size, struct exec_view *view);
int decode_exit(const void *data, size_t size, struct ew_exit *exit_record);
int decode_fork(const void *data, size_t size, struct ew_fork *fork_record);

/*
 * Iterate the arguments of a view: "a\0\0b\0" gives "a", "", "b"; bytes after
 * the last NUL (a truncated record) give one final partial argument.
 */
void arg_iter_init(struct arg_iter *it, const struct exec_view *view);
bool arg_iter_next(struct arg_iter *it, struct arg_span *arg);

/* argc as the consumer should report it (0 when the caller passed none). */
uint32_t exec_view_argc(const struct exec_view *view);

/*
 * Did the exec change privileges: the kernel set AT_SECURE (setuid, setgid,
 * file capabilities), or the effective ids differ from the caller's?
 */
bool exec_view_privilege_change(const struct exec_view *view);

/* Is the argv in this view cut short (truncated or faulted)? */
bool exec_view_argv_incomplete(const struct exec_view *view);

#endif /* EXECWATCH_DECODE_H */
