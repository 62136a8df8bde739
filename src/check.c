// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Self-diagnosis. Each probe does what execwatch (or a feature it may use)
 * would do, in the smallest form: create a ring buffer map, load and attach
 * a two-instruction program of each attach type, load a program calling
 * bpf_send_signal. A program that loads but is never attached proves
 * nothing for lockdown, which can refuse at attach time, so tp_btf, fentry
 * and LSM are attached too - for a moment, doing nothing and allowing
 * everything. Lockdown and the LSM list come from secfs.c.
 */
#include "check.h"
#include "loader.h"
#include "caps.h"
#include "readfile.h"
#include "secfs.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/capability.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

#define TRACEFS_PATH "/sys/kernel/tracing"
#define DEBUGFS_TRACING_PATH "/sys/kernel/debug/tracing"
#define BPF_STATS_SYSCTL "/proc/sys/kernel/bpf_stats_enabled"

struct check_state {
	FILE *out;
	bool can_run; /* every feature execwatch cannot do without is there */
	struct secfs_state sec; /* lockdown and the active LSMs */
};

static void line(struct check_state *st, const char *feature, const char *verdict,
		 const char *detail, const char *action)
{
	fprintf(st->out, "%-16s %-9s %s\n%-16s %-9s -> %s\n", feature, verdict, detail, "", "",
		action);
}

static bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* loader__try_btf_program() on the vmlinux function, tracepoint or hook `target`. */
static int try_btf_program(enum bpf_prog_type type, enum bpf_attach_type attach, const char *target,
			   const char **step)
{
	int id;

	*step = "BTF";
	id = libbpf_find_vmlinux_btf_id(target, attach);
	if (id < 0)
		return id;
	return loader__try_btf_program(type, attach, id, false, step);
}

/* "refused at load (EPERM: Operation not permitted, lockdown=integrity)" */
static void describe_error(const struct check_state *st, int err, const char *step, char *buf,
			   size_t len)
{
	const char *name = err == -EPERM  ? "EPERM" :
			   err == -EACCES ? "EACCES" :
			   err == -EINVAL ? "EINVAL" :
			   err == -ENOENT ? "ENOENT" :
			   err == -ESRCH  ? "ESRCH" :
					    "error";

	snprintf(buf, len, "refused at %s (%s: %s%s%s)", step, name, strerror(-err),
		 st->sec.lockdown[0] ? ", lockdown=" : "", st->sec.lockdown);
}

static void check_kernel(struct check_state *st)
{
	struct utsname u;

	if (!uname(&u))
		fprintf(st->out, "execwatch --check: Linux %s %s\n", u.release, u.machine);
}

static void check_privileges(struct check_state *st)
{
	bool bpf = caps_effective(CAP_BPF), perfmon = caps_effective(CAP_PERFMON);
	bool admin = caps_effective(CAP_SYS_ADMIN);
	char detail[128];

	snprintf(detail, sizeof(detail), "CAP_BPF %s, CAP_PERFMON %s, CAP_SYS_ADMIN %s",
		 bpf ? "yes" : "no", perfmon ? "yes" : "no", admin ? "yes" : "no");
	if (!admin && bpf && perfmon && caps_perf_restricted()) {
		snprintf(detail, sizeof(detail),
			 "CAP_BPF yes, CAP_PERFMON yes, CAP_SYS_ADMIN no; perf_event_paranoid %d",
			 caps_perf_event_paranoid());
		line(st, "privileges", "missing", detail,
		     "this kernel opens perf events, which attach the syscall tracepoints, "
		     "for CAP_SYS_ADMIN only at this level: grant it (execwatch drops it once "
		     "attached) or set kernel.perf_event_paranoid=2");
		st->can_run = false;
		return;
	}
	if (admin || (bpf && perfmon)) {
		line(st, "privileges", "ok", detail, "can create maps and load tracing programs");
		return;
	}
	line(st, "privileges", "missing", detail,
	     "cannot load BPF programs: run as root (sudo execwatch) or grant CAP_BPF and "
	     "CAP_PERFMON");
	st->can_run = false;
}

static void check_btf(struct check_state *st)
{
	struct btf *btf;
	char detail[160];

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(detail, sizeof(detail), "/sys/kernel/btf/vmlinux: %s", strerror(errno));
		line(st, "BTF", "missing", detail,
		     "cannot run: needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");
		st->can_run = false;
		return;
	}
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		snprintf(detail, sizeof(detail), "/sys/kernel/btf/vmlinux does not parse: %s",
			 strerror(errno));
		line(st, "BTF", "broken", detail, "cannot run: CO-RE needs the kernel's BTF");
		st->can_run = false;
		return;
	}
	snprintf(detail, sizeof(detail), "/sys/kernel/btf/vmlinux, %u types", btf__type_cnt(btf));
	btf__free(btf);
	line(st, "BTF", "ok", detail, "CO-RE: one binary fits this kernel's structures");
}

/*
 * libbpf's feature probes answer "not supported" for any failure, EPERM
 * included: create the map ourselves and tell the two apart.
 */
static void check_ringbuf(struct check_state *st)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ew_check", 0, 0, 4096, NULL);
	int err = fd < 0 ? -errno : 0;
	char detail[128];

	if (fd >= 0) {
		close(fd);
		line(st, "ring buffer", "ok", "BPF_MAP_TYPE_RINGBUF created",
		     "events stream through one ring buffer");
		return;
	}
	if (err == -EINVAL) {
		line(st, "ring buffer", "missing", "BPF_MAP_TYPE_RINGBUF unknown (Linux < 5.8)",
		     "cannot run: needs Linux 5.8 or newer");
	} else {
		snprintf(detail, sizeof(detail), "creating one failed: %s", strerror(-err));
		line(st, "ring buffer", "unknown", detail,
		     "cannot run until a BPF map can be created");
	}
	st->can_run = false;
}

static void check_tracefs(struct check_state *st)
{
	bool mounted = path_exists(TRACEFS_PATH "/events") ||
		       path_exists(DEBUGFS_TRACING_PATH "/events");
	bool syscalls = path_exists(TRACEFS_PATH "/events/syscalls/sys_exit_execve") ||
			path_exists(DEBUGFS_TRACING_PATH "/events/syscalls/sys_exit_execve");

	if (mounted && syscalls) {
		line(st, "tracefs", "ok", "mounted, syscalls/sys_{enter,exit}_execve(at) present",
		     "failed execs are reported, with their error");
	} else if (mounted) {
		line(st, "tracefs", "partial",
		     "mounted, but no syscalls/ tracepoints (CONFIG_FTRACE_SYSCALLS=n)",
		     "successful execs only: failed execs are not reported");
	} else if (caps_effective(CAP_SYS_ADMIN)) {
		line(st, "tracefs", "mountable",
		     "not mounted at " TRACEFS_PATH "; CAP_SYS_ADMIN present",
		     "execwatch mounts it at start and leaves it mounted");
	} else {
		line(st, "tracefs", "missing",
		     "not mounted at " TRACEFS_PATH " and no CAP_SYS_ADMIN to mount it",
		     "cannot run: mount it (mount -t tracefs tracefs " TRACEFS_PATH
		     ") or let systemd do it (sys-kernel-tracing.mount)");
		st->can_run = false;
	}
}

static void check_tp_btf(struct check_state *st)
{
	const char *step;
	char detail[384];
	int err = try_btf_program(BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, "sched_process_exec",
				  &step);

	if (!err) {
		line(st, "tp_btf", "ok", "sched_process_exec program loaded and attached",
		     "successful execs and exits are captured after the point of no return");
		return;
	}
	describe_error(st, err, step, detail, sizeof(detail));
	line(st, "tp_btf", "refused", detail,
	     "cannot run: successful execs are taken from tp_btf/sched_process_exec");
	st->can_run = false;
}

/*
 * fentry on execve and execveat, as the loader probes it
 * (loader__probe_fentry_syscalls()): with it, execve's entry and exit cost
 * other syscalls nothing.
 */
static void check_fentry(struct check_state *st)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	const char *step;
	char detail[384];
	int err = loader__probe_fentry_syscalls(vmlinux, &step);

	btf__free(vmlinux);
	if (!err) {
		line(st, "fentry", "ok",
		     "fentry programs on execve and execveat loaded and attached",
		     "execve's entry and exit are hooked with fentry/fexit: other syscalls pay "
		     "nothing");
		return;
	}
	describe_error(st, err, step, detail, sizeof(detail));
	line(st, "fentry", "refused", detail,
	     "execve's entry and exit are hooked with the syscalls/ tracepoints, which slow "
	     "every syscall on the machine a little while execwatch runs");
}

static void check_lsm(struct check_state *st)
{
	const char *step;
	char detail[384];
	int err = try_btf_program(BPF_PROG_TYPE_LSM, BPF_LSM_MAC, "bprm_check_security", &step);
	bool active = secfs_lsm_active(&st->sec, "bpf");

	if (!err && (active || !st->sec.lsm[0])) {
		snprintf(detail, sizeof(detail), "lsm/bprm_check_security loaded and attached%s%s",
			 st->sec.lsm[0] ? "; active LSMs: " : "", st->sec.lsm);
		line(st, "BPF LSM", "ok", detail,
		     "an exec policy can deny in the kernel (the exec fails with EPERM)");
		return;
	}
	if (!err) {
		snprintf(detail, sizeof(detail),
			 "loads, but 'bpf' is not among the active LSMs (%s): its hooks never run",
			 st->sec.lsm);
		line(st, "BPF LSM", "inactive", detail,
		     "no in-kernel deny: boot with lsm=...,bpf; enforcement would kill with "
		     "bpf_send_signal instead");
		return;
	}
	describe_error(st, err, step, detail, sizeof(detail));
	line(st, "BPF LSM", "refused", detail,
	     "no in-kernel deny: enforcement would kill the new program with bpf_send_signal "
	     "(SIGKILL) before its first instruction");
}

/* A tracepoint program that calls bpf_send_signal(0): loaded, never attached. */
static void check_send_signal(struct check_state *st)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_send_signal },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	char log[4096] = "", detail[384];
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log, .log_size = sizeof(log),
		    .log_level = 1);
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "ew_check", "GPL", insns, 4, &opts);
	int err = fd < 0 ? -errno : 0;

	if (fd >= 0) {
		close(fd);
		line(st, "bpf_send_signal", "ok",
		     "a tracepoint program calling bpf_send_signal loaded",
		     "a program can be killed at sched_process_exec, before it runs");
		return;
	}
	if (strstr(log, "unknown func") || strstr(log, "invalid func"))
		snprintf(detail, sizeof(detail), "helper unknown to this kernel (Linux < 5.3)");
	else
		describe_error(st, err, "load", detail, sizeof(detail));
	line(st, "bpf_send_signal", "refused", detail,
	     "no kill at exec: monitoring works, enforcement does not");
}

/*
 * bpf_loop() (5.17): the policy's filename globs and argv substrings are
 * matched in the kernel with it. Probed as policy_rt.c does, on a socket
 * filter, which any kernel loads.
 */
static void check_bpf_loop(struct check_state *st)
{
	int ok = libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER, BPF_FUNC_loop, NULL);
	char detail[384];

	if (ok > 0) {
		line(st, "bpf_loop", "ok", "the bpf_loop() helper loads",
		     "policy filename and argv rules are decided in the kernel");
		return;
	}
	if (ok == 0) {
		line(st, "bpf_loop", "absent", "helper unknown to this kernel (Linux < 5.17)",
		     "a policy with filename or argv rules is refused at start; every other rule "
		     "works");
		return;
	}
	describe_error(st, ok, "probe", detail, sizeof(detail));
	line(st, "bpf_loop", "unknown", detail,
	     "a policy with filename or argv rules is refused if the kernel lacks it");
}

/* bpf_rdonly_cast() (6.2): the exec program's path walks read with plain loads (loader.c). */
static void check_direct_reads(struct check_state *st)
{
	if (loader__kfunc_available("bpf_rdonly_cast"))
		line(st, "path reads", "direct", "the bpf_rdonly_cast() kfunc is there",
		     "the exe and cwd walks read kernel fields with plain loads");
	else
		line(st, "path reads", "helper", "no bpf_rdonly_cast() kfunc (Linux < 6.2)",
		     "the exe and cwd walks read with helper calls: the same record, about 0.4 us "
		     "more per exec");
}

static void check_lockdown(struct check_state *st)
{
	char detail[384];

	if (!st->sec.lockdown[0]) {
		line(st, "lockdown", "unknown",
		     "securityfs not mounted and not mountable here (needs CAP_SYS_ADMIN)",
		     "the probes above show what is allowed");
		return;
	}
	snprintf(detail, sizeof(detail), "%s%s%s", st->sec.lockdown,
		 st->sec.lsm[0] ? "; LSMs: " : "", st->sec.lsm);
	if (!strcmp(st->sec.lockdown, "confidentiality"))
		line(st, "lockdown", st->sec.lockdown, detail,
		     "reading kernel memory from BPF is forbidden: execwatch cannot capture "
		     "arguments");
	else if (!strcmp(st->sec.lockdown, "integrity"))
		line(st, "lockdown", st->sec.lockdown, detail,
		     "tracing reads are allowed; see the probes above for fentry and LSM");
	else
		line(st, "lockdown", st->sec.lockdown, detail, "no lockdown restriction on BPF");
}

static void check_bpf_stats(struct check_state *st)
{
	char value[16] = "";

	if (readfile_first_line(BPF_STATS_SYSCTL, value, sizeof(value)))
		line(st, "bpf stats", "unknown", "cannot read " BPF_STATS_SYSCTL,
		     "metrics carry no BPF run time");
	else if (!strcmp(value, "1"))
		line(st, "bpf stats", "on", "kernel.bpf_stats_enabled = 1",
		     "metrics include BPF run time per program");
	else
		line(st, "bpf stats", "off", "kernel.bpf_stats_enabled = 0",
		     caps_effective(CAP_SYS_ADMIN) ?
			     "metrics include BPF run time with --bpf-stats (on while running)" :
			     "no BPF run time in metrics (--bpf-stats needs CAP_SYS_ADMIN)");
}

/* libbpf's warnings would interleave with the report; the report says it all. */
static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

int check_run(FILE *out)
{
	struct check_state st = { .out = out, .can_run = true };
	libbpf_print_fn_t old = libbpf_set_print(quiet_print);

	check_kernel(&st);
	secfs_read(&st.sec);
	check_privileges(&st);
	check_btf(&st);
	check_ringbuf(&st);
	check_tracefs(&st);
	check_tp_btf(&st);
	check_fentry(&st);
	check_lsm(&st);
	check_send_signal(&st);
	check_bpf_loop(&st);
	check_direct_reads(&st);
	check_lockdown(&st);
	check_bpf_stats(&st);
	libbpf_set_print(old);
	fprintf(out, "result: %s\n",
		st.can_run ? "execwatch can run here" : "execwatch cannot run here (see above)");
	return st.can_run ? 0 : 1;
}
