// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * JSON Lines output, schema in docs/json-schema.md. One object per line,
 * always valid UTF-8; untrusted bytes are encoded by json_put_string(), with
 * a *_b64 sibling whenever the plain string had to replace invalid UTF-8.
 */
#include "output.h"
#include "policy.h"

#include <stdio.h>
#include <string.h>

#include "json.h"
#include "path_view.h"
#include "proctable.h"

/*
 * The member writers are inlined at every call: the keys are literals, so
 * their strlen folds to a constant and ,"key": becomes one small copy. A
 * record has about 40 members; as calls they were a third of the reader's
 * instructions per exec (callgrind).
 */
static inline __attribute__((always_inline)) void put_u64_member(struct outbuf *ob, const char *key,
								 uint64_t value)
{
	json_put_next_key(ob, key);
	outbuf_put_u64(ob, value);
}

/* (uid_t)-1 means "not set" (an unset login uid, no audit session). */
static inline __attribute__((always_inline)) void put_id_or_null(struct outbuf *ob, const char *key,
								 uint32_t value)
{
	json_put_next_key(ob, key);
	if (value == UINT32_MAX)
		outbuf_puts(ob, "null");
	else
		outbuf_put_u64(ob, value);
}

static inline __attribute__((always_inline)) void put_bool_member(struct outbuf *ob,
								  const char *key, bool value)
{
	json_put_next_key(ob, key);
	outbuf_puts(ob, value ? "true" : "false");
}

/* "key":"text" and, when the text was lossy, "key_b64":"...". */
static inline __attribute__((always_inline)) void
put_bytes_member(struct outbuf *ob, const char *key, const char *bytes, size_t n)
{
	json_put_next_key(ob, key);
	if (!json_put_string(ob, bytes, n)) {
		outbuf_putc(ob, ',');
		outbuf_putc(ob, '"');
		outbuf_puts(ob, key);
		outbuf_puts(ob, "_b64\":");
		json_put_base64(ob, bytes, n);
	}
}

/* Issue 3 tamper evidence: NUL-separated bytes as an array, with a _b64 twin when lossy. */
static void put_string_array(struct outbuf *ob, const char *key, const char *bytes, size_t n)
{
	struct arg_iter it = { .pos = bytes, .end = bytes + n };
	struct arg_span arg;
	bool lossless = true, first = true;

	json_put_next_key(ob, key);
	outbuf_putc(ob, '[');
	while (arg_iter_next(&it, &arg)) {
		if (!first)
			outbuf_putc(ob, ',');
		first = false;
		lossless &= json_put_string(ob, arg.bytes, arg.len);
	}
	outbuf_putc(ob, ']');
	if (lossless)
		return;
	outbuf_printf(ob, ",\"%s_b64\":[", key);
	it = (struct arg_iter){ .pos = bytes, .end = bytes + n };
	first = true;
	while (arg_iter_next(&it, &arg)) {
		if (!first)
			outbuf_putc(ob, ',');
		first = false;
		json_put_base64(ob, arg.bytes, arg.len);
	}
	outbuf_putc(ob, ']');
}

/*
 * Successful execs only, and like the other flags present only when set:
 * argv_tampered, the program received other strings than its caller's memory
 * held at the syscall (caller_argv); argv_tamper_check, the comparison could
 * not be made in full ("prefix") or at all ("none"). Absent means checked.
 */
static void put_tamper_members(struct outbuf *ob, const struct exec_view *view)
{
	const struct ew_exec *e = &view->fixed;
	uint16_t t = e->tamper.flags;

	if (e->hdr.type != EW_EVENT_EXEC)
		return;
	if (t & EW_TAMPER_UNCHECKED)
		outbuf_puts(ob, ",\"argv_tamper_check\":\"none\"");
	else if (t & EW_TAMPER_PARTIAL)
		outbuf_puts(ob, ",\"argv_tamper_check\":\"prefix\"");
	if (!(e->hdr.flags & EW_F_ARGV_TAMPERED))
		return;
	put_bool_member(ob, "argv_tampered", true);
	put_string_array(ob, "caller_argv", view->caller_argv, view->caller_argv_len);
	if (t & EW_TAMPER_CALLER_CUT)
		put_bool_member(ob, "caller_argv_truncated", true);
}

/*
 * From the process table: parent_exe when known; with --ancestors the chain,
 * parent first, and whether it reached PID 1.
 */
static void put_parent_members(struct outbuf *ob, const struct exec_view *view)
{
	const struct proc_ancestry *chain = view->ancestors;
	size_t i;

	if (view->parent_exe)
		put_bytes_member(ob, "parent_exe", view->parent_exe, strlen(view->parent_exe));
	if (!chain)
		return;
	outbuf_puts(ob, ",\"ancestors\":[");
	for (i = 0; i < chain->n && i < PROCTABLE_MAX_DEPTH; i++) {
		const struct proc_ancestor *a = &chain->list[i];

		outbuf_puts(ob, i ? ",{\"pid\":" : "{\"pid\":");
		outbuf_put_u64(ob, a->pid);
		outbuf_puts(ob, ",\"id\":\"");
		output_put_process_id(ob, a->pid, a->start_ns);
		outbuf_putc(ob, '"');
		if (a->exe)
			put_bytes_member(ob, "exe", a->exe, strlen(a->exe));
		else
			outbuf_puts(ob, ",\"exe\":null");
		put_string_array(ob, "argv", a->argv, a->argv_len);
		outbuf_putc(ob, '}');
	}
	outbuf_putc(ob, ']');
	put_bool_member(ob, "ancestors_complete", chain->complete);
}

static void put_argv_members(struct outbuf *ob, const struct exec_view *view, uint32_t max_args)
{
	struct arg_iter it;
	struct arg_span arg;
	uint32_t shown = 0, omitted = 0;
	bool lossless = true;

	outbuf_puts(ob, ",\"argv\":[");
	arg_iter_init(&it, view);
	while (arg_iter_next(&it, &arg)) {
		if (max_args && shown == max_args) {
			omitted++;
			continue;
		}
		if (shown++)
			outbuf_putc(ob, ',');
		lossless &= json_put_string(ob, arg.bytes, arg.len);
	}
	outbuf_putc(ob, ']');
	if (!lossless) {
		outbuf_puts(ob, ",\"argv_b64\":[");
		shown = 0;
		arg_iter_init(&it, view);
		while (arg_iter_next(&it, &arg) && (!max_args || shown < max_args)) {
			if (shown++)
				outbuf_putc(ob, ',');
			json_put_base64(ob, arg.bytes, arg.len);
		}
		outbuf_putc(ob, ']');
	}
	if (omitted)
		put_u64_member(ob, "argv_omitted", omitted);
}

/* "key_flag":true for each EW_FILE_* flag a consumer needs that is set. */
static void put_path_flags(struct outbuf *ob, const char *prefix, uint32_t flags)
{
	static const struct {
		uint32_t flag;
		const char *suffix;
	} names[] = {
		{ EW_FILE_TRUNCATED, "_truncated" },
		{ EW_FILE_FAULT, "_fault" },
		{ EW_FILE_OTHER_NS, "_other_ns" },
	};
	char key[32];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].flag))
			continue;
		snprintf(key, sizeof(key), "%s%s", prefix, names[i].suffix);
		put_bool_member(ob, key, true);
	}
}

/* "key_in_root": the path as a chrooted task sees it; "key_outside_root" when it cannot. */
static void put_in_root(struct outbuf *ob, const char *prefix, const char *path, size_t len,
			uint16_t root_len, uint32_t flags)
{
	struct path_span in_root;
	char key[32];

	if (path_view_in_root(path, len, root_len, flags, &in_root)) {
		snprintf(key, sizeof(key), "%s_in_root", prefix);
		/* "" is the root itself. */
		if (in_root.len)
			put_bytes_member(ob, key, in_root.bytes, in_root.len);
		else
			put_bytes_member(ob, key, "/", 1);
	} else {
		snprintf(key, sizeof(key), "%s_outside_root", prefix);
		put_bool_member(ob, key, true);
	}
}

/* Issue 3: the executed file, resolved in the kernel (docs/json-schema.md, "exe"). */
static void put_exe_members(struct outbuf *ob, const struct exec_view *view)
{
	const struct ew_exec_file *f = &view->fixed.file;
	struct path_span memfd;

	if (!path_view_has_exe(view)) {
		outbuf_puts(ob, ",\"exe\":null");
	} else {
		put_bytes_member(ob, "exe", view->exe, view->exe_len);
		put_path_flags(ob, "exe", f->exe_flags);
		if (path_view_exe_deleted(view))
			put_bool_member(ob, "exe_deleted", true);
		if (path_view_exe_fileless(view))
			put_bool_member(ob, "exe_fileless", true);
		if (path_view_memfd_name(view, &memfd))
			put_bytes_member(ob, "exe_memfd", memfd.bytes, memfd.len);
		if (f->exe_flags & EW_FILE_OPATH)
			put_bool_member(ob, "exe_opath", true);
		if (f->exe_flags & EW_FILE_FROM_FD)
			put_bool_member(ob, "exe_from_fd", true);
		if (path_view_exe_is_ldso(view))
			put_bool_member(ob, "exe_ldso", true);
		if (path_view_chroot(view) && !path_view_exe_fileless(view))
			put_in_root(ob, "exe", view->exe, view->exe_len, f->exe_root_len,
				    f->exe_flags);
		/* On every record: no printf (issue 4's reader budget). */
		outbuf_puts(ob, ",\"exe_dev\":\"");
		outbuf_put_u64(ob, path_view_dev_major(f->exe_dev));
		outbuf_putc(ob, ':');
		outbuf_put_u64(ob, path_view_dev_minor(f->exe_dev));
		outbuf_putc(ob, '"');
		put_u64_member(ob, "exe_ino", f->exe_ino);
		put_u64_member(ob, "exe_nlink", f->exe_nlink);
	}
	if (view->interp_len) {
		put_bytes_member(ob, "interp", view->interp, view->interp_len);
		if (f->exe_flags & EW_FILE_INTERP_TRUNCATED)
			put_bool_member(ob, "interp_truncated", true);
	}
	if (f->exe_flags & EW_FILE_INTERP_FAULT)
		put_bool_member(ob, "interp_fault", true);
	if (path_view_chroot(view))
		put_bool_member(ob, "chroot", true);
}

/* Issue 3: the working directory at the exec (docs/json-schema.md, "cwd"). */
static void put_cwd_members(struct outbuf *ob, const struct exec_view *view)
{
	const struct ew_exec_file *f = &view->fixed.file;

	if (!path_view_has_cwd(view)) {
		outbuf_puts(ob, ",\"cwd\":null");
		return;
	}
	put_bytes_member(ob, "cwd", view->cwd, view->cwd_len);
	put_path_flags(ob, "cwd", f->cwd_flags);
	if (f->cwd_flags & EW_FILE_DELETED)
		put_bool_member(ob, "cwd_deleted", true);
	if (path_view_chroot(view))
		put_in_root(ob, "cwd", view->cwd, view->cwd_len, f->cwd_root_len, f->cwd_flags);
}

void output_json_start(struct outbuf *ob, struct timefmt *tf, int64_t wall_ns, const char *version,
		       uint32_t max_argv_bytes, uint64_t ring_bytes, uint64_t host_mnt_ns)
{
	outbuf_puts(ob, "{\"type\":\"start\",\"time\":");
	timefmt_put_rfc3339(tf, ob, wall_ns);
	put_u64_member(ob, "schema_version", OUTPUT_JSON_SCHEMA_VERSION);
	outbuf_puts(ob, ",\"version\":");
	json_put_string(ob, version, strlen(version));
	put_u64_member(ob, "max_argv_bytes", max_argv_bytes);
	put_u64_member(ob, "ring_bytes", ring_bytes);
	if (host_mnt_ns)
		put_u64_member(ob, "host_mnt_ns", host_mnt_ns);
	outbuf_puts(ob, "}\n");
}

static void put_ret_members(struct outbuf *ob, const struct ew_exec *e)
{
	uint16_t flags = e->hdr.flags;

	outbuf_puts(ob, ",\"ret\":");
	outbuf_put_i64(ob, e->ret);
	if (e->ret >= 0)
		return;
	/* The kernel only returns -1..-4095 (MAX_ERRNO); anything else has no name. */
	const char *name = e->ret >= -4095 ? strerrorname_np(-e->ret) : NULL;

	outbuf_puts(ob, ",\"error\":");
	if (name)
		json_put_string(ob, name, strlen(name));
	else
		outbuf_puts(ob, "null");
	outbuf_puts(ob, flags & EW_F_EXECVEAT ? ",\"syscall\":\"execveat\"" :
						",\"syscall\":\"execve\"");
	if (flags & EW_F_EXECVEAT) {
		outbuf_puts(ob, ",\"dirfd\":");
		outbuf_put_i64(ob, e->dirfd);
	}
}

void output_json_exec(struct outbuf *ob, struct timefmt *tf, const struct exec_view *view,
		      const struct output_options *opts)
{
	const struct ew_exec *e = &view->fixed;
	uint32_t f = opts ? opts->json_fields : OUTPUT_JSON_ALL_FIELDS;
	uint32_t max_args = opts ? opts->max_args : 0;
	uint16_t flags = e->hdr.flags;

#define WANT(field) (f & (1u << (field)))
	outbuf_puts(ob, "{\"type\":\"exec\"");
	if (WANT(JF_TIME)) {
		outbuf_puts(ob, ",\"time\":");
		timefmt_put_rfc3339(tf, ob, timefmt_wall_ns(tf, e->hdr.boot_ns));
	}
	if (WANT(JF_PID)) {
		put_u64_member(ob, "pid", e->hdr.pid);
		outbuf_puts(ob, ",\"id\":\"");
		output_put_process_id(ob, e->hdr.pid, e->start_ns);
		outbuf_putc(ob, '"');
	}
	if (WANT(JF_TID))
		put_u64_member(ob, "tid", e->hdr.tid);
	if (WANT(JF_PPID)) {
		put_u64_member(ob, "ppid", e->ppid);
		outbuf_puts(ob, ",\"parent_id\":\"");
		output_put_process_id(ob, e->ppid, e->parent_start_ns);
		outbuf_putc(ob, '"');
	}
	if (WANT(JF_UID))
		put_u64_member(ob, "uid", e->uid);
	if (WANT(JF_EUID))
		put_u64_member(ob, "euid", e->euid);
	if (WANT(JF_GID))
		put_u64_member(ob, "gid", e->gid);
	if (WANT(JF_CREDS)) {
		put_u64_member(ob, "suid", e->suid);
		put_u64_member(ob, "fsuid", e->fsuid);
		put_u64_member(ob, "egid", e->egid);
		put_u64_member(ob, "sgid", e->sgid);
		put_u64_member(ob, "fsgid", e->fsgid);
		put_id_or_null(ob, "auid", e->auid);
		put_id_or_null(ob, "sessionid", e->sessionid);
	}
	if (WANT(JF_PRIVILEGE)) {
		put_bool_member(ob, "privilege_change", exec_view_privilege_change(view));
		if (flags & EW_F_CALLER_KNOWN) {
			put_u64_member(ob, "caller_euid", e->caller_euid);
			put_u64_member(ob, "caller_egid", e->caller_egid);
		}
	}
	if (WANT(JF_COMM))
		put_bytes_member(ob, "comm", e->comm, strnlen(e->comm, sizeof(e->comm)));
	if (WANT(JF_COMM_BEFORE) && (flags & EW_F_CALLER_KNOWN))
		put_bytes_member(ob, "comm_before", e->comm_before,
				 strnlen(e->comm_before, sizeof(e->comm_before)));
	if (WANT(JF_PARENT_COMM)) {
		put_bytes_member(ob, "parent_comm", e->parent_comm,
				 strnlen(e->parent_comm, sizeof(e->parent_comm)));
		put_parent_members(ob, view);
	}
	if (WANT(JF_FILENAME)) {
		put_bytes_member(ob, "filename", view->filename, view->filename_len);
		if (flags & EW_F_FILENAME_TRUNCATED)
			put_bool_member(ob, "filename_truncated", true);
		if (flags & EW_F_FILENAME_FAULT)
			put_bool_member(ob, "filename_fault", true);
	}
	if (WANT(JF_ARGV)) {
		put_argv_members(ob, view, max_args);
		if (flags & EW_F_ARGV_EMPTY_AT_CALL)
			put_bool_member(ob, "argv_empty_at_call", true);
		if (flags & EW_F_ARGV_FAULT)
			put_bool_member(ob, "argv_fault", true);
		if (flags & EW_F_CALLER_MEMORY_GONE)
			put_bool_member(ob, "after_point_of_no_return", true);
		put_tamper_members(ob, view);
	}
	if (WANT(JF_ARGC))
		put_u64_member(ob, "argc", exec_view_argc(view));
	if (WANT(JF_ARGV_TRUNCATED))
		put_bool_member(ob, "argv_truncated", flags & EW_F_ARGV_TRUNCATED);
	if (WANT(JF_ARGV_BYTES))
		put_u64_member(ob, "argv_bytes", e->argv_len);
	if (WANT(JF_ARGV_TRUE_BYTES)) {
		outbuf_puts(ob, ",\"argv_true_bytes\":");
		if (flags & EW_F_ARGV_TRUE_LEN_UNKNOWN)
			outbuf_puts(ob, "null");
		else
			outbuf_put_u64(ob, e->argv_true_len);
	}
	if (WANT(JF_RET))
		put_ret_members(ob, e);
	if (WANT(JF_CGROUP_ID))
		put_u64_member(ob, "cgroup_id", e->cgroup_id);
	if (WANT(JF_CGROUP)) {
		if (view->cgroup_path)
			put_bytes_member(ob, "cgroup", view->cgroup_path,
					 strlen(view->cgroup_path));
		else
			outbuf_puts(ob, ",\"cgroup\":null");
	}
	if (WANT(JF_NAMESPACES)) {
		put_u64_member(ob, "ns_pid", e->ns_pid);
		put_u64_member(ob, "pid_ns", e->pid_ns);
		put_u64_member(ob, "mnt_ns", e->mnt_ns);
		if (opts && opts->host_mnt_ns && e->mnt_ns != opts->host_mnt_ns)
			put_bool_member(ob, "foreign_mnt_ns", true);
		put_u64_member(ob, "net_ns", e->net_ns);
		put_u64_member(ob, "user_ns", e->user_ns);
	}
	if (WANT(JF_TTY)) {
		size_t len = strnlen(e->tty, sizeof(e->tty));

		/* The kernel names pseudo-terminals "pts3"; users know them as /dev/pts/3. */
		if (len > 3 && !memcmp(e->tty, "pts", 3) && e->tty[3] >= '0' && e->tty[3] <= '9') {
			char name[sizeof(e->tty) + 1] = "pts/";

			memcpy(name + 4, e->tty + 3, len - 3);
			put_bytes_member(ob, "tty", name, len + 1);
		} else if (len) {
			put_bytes_member(ob, "tty", e->tty, len);
		} else {
			outbuf_puts(ob, ",\"tty\":null");
		}
	}
	if (WANT(JF_CONTAINER_ID)) {
		outbuf_puts(ob, ",\"container_id\":");
		if (view->container_id)
			json_put_string(ob, view->container_id, strlen(view->container_id));
		else
			outbuf_puts(ob, "null");
	}
	if (WANT(JF_EXE))
		put_exe_members(ob, view);
	if (WANT(JF_CWD))
		put_cwd_members(ob, view);
#undef WANT
	/* Issue 6: what the exec policy decided; always, it is why the record matters. */
	if (e->policy.action) {
		char rule[32];
		const char *name = view->policy_rule;

		if (!name) {
			snprintf(rule, sizeof(rule), "#%u.%u", e->policy.generation,
				 e->policy.rule);
			name = rule;
		}
		outbuf_puts(ob, ",\"policy\":{\"rule\":");
		json_put_string(ob, name, strlen(name));
		outbuf_puts(ob, ",\"action\":\"");
		outbuf_puts(ob, policy_action_name(e->policy.action));
		outbuf_putc(ob, '"');
		put_bool_member(ob, "dry_run", e->policy.flags & EW_POLICY_F_DRY_RUN);
		put_bool_member(ob, "enforced", e->policy.flags & EW_POLICY_F_ENFORCED);
		if (e->policy.flags & EW_POLICY_F_AS_KILL)
			put_bool_member(ob, "as_kill", true);
		if (e->policy.flags & EW_POLICY_F_SIGNAL_FAILED)
			put_bool_member(ob, "signal_failed", true);
		if (e->policy.flags & EW_POLICY_F_ARGV_PARTIAL)
			put_bool_member(ob, "argv_partial", true);
		put_u64_member(ob, "generation", e->policy.generation);
		outbuf_putc(ob, '}');
	} else if (e->policy.flags & EW_POLICY_F_ARGV_PARTIAL) {
		/* No rule matched, but an argv rule could not see the whole argv: say so. */
		outbuf_puts(ob, ",\"policy\":{\"rule\":null,\"action\":\"none\"");
		put_bool_member(ob, "argv_partial", true);
		outbuf_putc(ob, '}');
	}
	outbuf_puts(ob, "}\n");
}

void output_json_exit(struct outbuf *ob, struct timefmt *tf, const struct ew_exit *x,
		      const char *exe, const struct output_options *opts)
{
	uint64_t lifetime = x->hdr.boot_ns > x->start_ns ? x->hdr.boot_ns - x->start_ns : 0;
	int sig = x->status & 0x7f;

	(void)opts; /* exit records are small: --json-fields trims exec records */
	outbuf_puts(ob, "{\"type\":\"exit\",\"time\":");
	timefmt_put_rfc3339(tf, ob, timefmt_wall_ns(tf, x->hdr.boot_ns));
	put_u64_member(ob, "pid", x->hdr.pid);
	outbuf_puts(ob, ",\"id\":\"");
	output_put_process_id(ob, x->hdr.pid, x->start_ns);
	outbuf_putc(ob, '"');
	put_u64_member(ob, "tid", x->hdr.tid);
	put_u64_member(ob, "ppid", x->ppid);
	put_u64_member(ob, "uid", x->uid);
	put_bytes_member(ob, "comm", x->comm, strnlen(x->comm, sizeof(x->comm)));
	if (exe)
		put_bytes_member(ob, "exe", exe, strlen(exe));
	else
		outbuf_puts(ob, ",\"exe\":null");
	if (sig) {
		const char *name = sigabbrev_np(sig);

		outbuf_puts(ob, ",\"exit_code\":null,\"signal\":");
		/* Real-time signals have no abbreviation: "SIG34", as kill -l numbers them. */
		if (name)
			outbuf_printf(ob, "\"SIG%s\"", name);
		else
			outbuf_printf(ob, "\"SIG%d\"", sig);
		put_bool_member(ob, "core_dumped", x->status & 0x80);
	} else {
		put_u64_member(ob, "exit_code", (x->status >> 8) & 0xff);
		outbuf_puts(ob, ",\"signal\":null,\"core_dumped\":false");
	}
	put_u64_member(ob, "lifetime_ns", lifetime);
	put_u64_member(ob, "cgroup_id", x->cgroup_id);
	outbuf_puts(ob, "}\n");
}

static void put_counters(struct outbuf *ob, const struct stats *s)
{
	int i;

	outbuf_puts(ob, ",\"kernel\":{");
	for (i = 0; i < EW_CTR_NR; i++) {
		if (i)
			outbuf_putc(ob, ',');
		json_put_key(ob, stats_counter_name(i));
		outbuf_put_u64(ob, s->kernel[i]);
	}
	outbuf_putc(ob, '}');
}

void output_json_lost(struct outbuf *ob, struct timefmt *tf, int64_t wall_ns,
		      const struct stats *before, const struct stats *now)
{
	outbuf_puts(ob, "{\"type\":\"lost\",\"time\":");
	timefmt_put_rfc3339(tf, ob, wall_ns);
	put_u64_member(ob, "lost", stats_lost(now) - stats_lost(before));
	put_u64_member(ob, "ringbuf_full",
		       now->kernel[EW_CTR_RINGBUF_FULL] - before->kernel[EW_CTR_RINGBUF_FULL]);
	put_u64_member(ob, "stash_full",
		       now->kernel[EW_CTR_STASH_FULL] - before->kernel[EW_CTR_STASH_FULL]);
	put_u64_member(ob, "subtree_full",
		       now->kernel[EW_CTR_SUBTREE_FULL] - before->kernel[EW_CTR_SUBTREE_FULL]);
	put_u64_member(ob, "stash_miss",
		       now->kernel[EW_CTR_STASH_MISS] - before->kernel[EW_CTR_STASH_MISS]);
	put_u64_member(ob, "scratch_miss",
		       now->kernel[EW_CTR_SCRATCH_MISS] - before->kernel[EW_CTR_SCRATCH_MISS]);
	put_u64_member(ob, "malformed", now->malformed - before->malformed);
	put_u64_member(ob, "lost_total", stats_lost(now));
	outbuf_puts(ob, "}\n");
}

void output_json_stats(struct outbuf *ob, struct timefmt *tf, int64_t wall_ns,
		       const struct stats *s, bool final)
{
	outbuf_puts(ob, "{\"type\":\"stats\",\"time\":");
	timefmt_put_rfc3339(tf, ob, wall_ns);
	put_bool_member(ob, "final", final);
	put_u64_member(ob, "received", s->received);
	put_u64_member(ob, "lost", stats_lost(s));
	put_u64_member(ob, "malformed", s->malformed);
	put_u64_member(ob, "stash_swept", s->stash_swept);
	put_u64_member(ob, "syslog_dropped", s->syslog_dropped);
	put_counters(ob, s);
	outbuf_puts(ob, "}\n");
}
