// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Skeleton lifecycle and start-up probes: open -> configure -> load ->
 * attach, one cleanup path. Probes run before load so a user sees "this
 * kernel has no BTF" rather than a page of libbpf relocation errors.
 */
#include "loader.h"
#include "escape.h"
#include "caps.h"
#include "policy_rt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf_object_nokfunc.h"
#include "cgroup.h"
#include "procstat.h"
#include "event.h"
/* bpftool's generated skeleton casts away const; not our code to fix. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#include "execwatch.skel.h"
#pragma GCC diagnostic pop

#define BTF_VMLINUX_PATH "/sys/kernel/btf/vmlinux"
#define TRACEFS_PATH "/sys/kernel/tracing"
#define DEBUGFS_TRACING_PATH "/sys/kernel/debug/tracing"
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/*
 * libbpf's messages: kept for the error sentence, printed with --verbose.
 * Statics because libbpf_set_print() takes no context pointer.
 */
static bool libbpf_verbose;
static bool verifier_rejected; /* a program load failed: the verifier said no */
static char libbpf_last_warning[512];

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	char line[512];
	va_list copy;

	va_copy(copy, args);
	vsnprintf(line, sizeof(line), fmt, copy);
	va_end(copy);
	if (strstr(line, "BEGIN PROG LOAD LOG") || strstr(line, "program load failed"))
		verifier_rejected = true;
	/* Whole: a verifier log is one long message, which `line` would cut. */
	if (libbpf_verbose)
		return vfprintf(stderr, fmt, args);
	if (level == LIBBPF_WARN) {
		memcpy(libbpf_last_warning, line, sizeof(line));
		libbpf_last_warning[strcspn(libbpf_last_warning, "\n")] = '\0';
	}
	return 0;
}

static void say(char *msg, size_t msg_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(char *msg, size_t msg_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msg_len, fmt, ap);
	va_end(ap);
}

static int probe_privileges(char *msg, size_t msg_len)
{
	bool admin = caps_effective(CAP_SYS_ADMIN);

	if (admin || (caps_effective(CAP_BPF) && caps_effective(CAP_PERFMON)))
		return 0;
	say(msg, msg_len,
	    "permission denied: tracing execs needs root (CAP_BPF and CAP_PERFMON, or "
	    "CAP_SYS_ADMIN). Run it as root, e.g. 'sudo execwatch'.");
	return -EPERM;
}

static int probe_kernel(char *msg, size_t msg_len)
{
	if (access(BTF_VMLINUX_PATH, R_OK)) {
		say(msg, msg_len,
		    "this kernel exposes no BTF type information (%s: %s). execwatch needs a "
		    "kernel built with CONFIG_DEBUG_INFO_BTF=y (the default in Debian 11+, "
		    "Ubuntu 20.10+ and most distributions since 2020).",
		    BTF_VMLINUX_PATH, strerror(errno));
		return -ENOENT;
	}
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) <= 0) {
		say(msg, msg_len,
		    "this kernel has no BPF ring buffer (BPF_MAP_TYPE_RINGBUF, Linux 5.8+). "
		    "Upgrade the kernel to 5.8 or newer.");
		return -EOPNOTSUPP;
	}
	return 0;
}

static bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/*
 * Classic tracepoints are attached through tracefs, which is not mounted at
 * boot on every system. libbpf looks in the debugfs location first, then in
 * /sys/kernel/tracing; mount the latter when neither is there.
 */
static int ensure_tracefs(struct loader *loader, char *msg, size_t msg_len)
{
	if (path_exists(DEBUGFS_TRACING_PATH "/events") || path_exists(TRACEFS_PATH "/events"))
		return 0;
	if (mount("tracefs", TRACEFS_PATH, "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		int err = errno;

		say(msg, msg_len,
		    "tracefs is not mounted and mounting it at %s failed: %s. Mount it with "
		    "'mount -t tracefs tracefs %s' and try again.",
		    TRACEFS_PATH, strerror(err), TRACEFS_PATH);
		return -err;
	}
	loader->mounted_tracefs = true;
	return 0;
}

static bool syscall_tracepoints_exist(void)
{
	return path_exists(TRACEFS_PATH "/events/syscalls/sys_exit_execve") ||
	       path_exists(DEBUGFS_TRACING_PATH "/events/syscalls/sys_exit_execve");
}

/*
 * The BTF id of the kernel function (or kfunc) `name` in vmlinux, or
 * -ENOENT, also when vmlinux is NULL. Looked up directly, not with
 * libbpf_find_vmlinux_btf_id(): that one warns when the name is missing,
 * which is a normal answer here (no bpf_rdonly_cast() before 6.2, no
 * __x64_sys_* off x86), and the warning would be quoted as "libbpf said" in
 * a later, unrelated error.
 */
static int vmlinux_func_id(const struct btf *vmlinux, const char *name)
{
	int id = vmlinux ? btf__find_by_name_kind(vmlinux, name, BTF_KIND_FUNC) : -ENOENT;

	return id > 0 ? id : -ENOENT;
}

int loader__try_btf_program(enum bpf_prog_type type, enum bpf_attach_type attach, int btf_id,
			    bool read_arg0, const char **step)
{
	/* r2 = ctx[0] (optional); r0 = 0; exit */
	const struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_2, .src_reg = BPF_REG_1 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach,
		    .attach_btf_id = (__u32)btf_id);
	int prog_fd, link_fd, err;

	*step = "load";
	prog_fd = bpf_prog_load(type, "ew_probe", "GPL", read_arg0 ? insns : insns + 1,
				read_arg0 ? 3 : 2, &opts);
	if (prog_fd < 0)
		return -errno;
	*step = "attach";
	link_fd = bpf_raw_tracepoint_open(NULL, prog_fd);
	err = link_fd < 0 ? -errno : 0;
	if (link_fd >= 0)
		close(link_fd);
	close(prog_fd);
	return err;
}

/* The hooks the syscalls/ tracepoints stand in for (execwatch.bpf.c, execve_fentry). */
#if defined(__x86_64__)
#define EXECVE_FUNC "__x64_sys_execve"
#define EXECVEAT_FUNC "__x64_sys_execveat"
#endif

/*
 * execve(at)'s entry and exit (the argv capture, failed execs) are hooked
 * with fentry/fexit where the kernel takes them: while a syscalls/
 * tracepoint is attached, every syscall of every task takes the tracing
 * slow path (execwatch.bpf.c says why and how much). Probed with a
 * three-instruction program on execve and on execveat, loaded and
 * attached for a moment: lockdown refuses fentry at load on some kernels
 * (this host), a kernel without ftrace direct calls at attach, 5.10 a read
 * of execveat's argument. Sets loader->fentry_syscalls.
 */
int loader__probe_fentry_syscalls(const struct btf *vmlinux, const char **step)
{
	*step = "BTF";
#ifdef EXECVE_FUNC
	static const char *const funcs[] = { EXECVE_FUNC, EXECVEAT_FUNC };
	size_t i;
	int id, err;

	for (i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++) {
		id = vmlinux_func_id(vmlinux, funcs[i]);
		if (id < 0)
			return id;
		/*
		 * Reading the argument, not only attaching: 5.10's BTF has
		 * __x64_sys_execveat's pt_regs as a forward declaration, and its
		 * verifier refuses any read of the argument then.
		 */
		err = loader__try_btf_program(BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, id, true,
					      step);
		if (err)
			return err;
	}
	return 0;
#else
	(void)vmlinux;
	return -EOPNOTSUPP;
#endif
}

static int choose_syscall_hooks(struct loader *loader, const struct config *cfg,
				const struct btf *vmlinux, char *msg, size_t msg_len)
{
	const char *step;
	int err;

	if (cfg->syscall_hooks == SYSCALL_HOOKS_TRACEPOINT)
		return 0;
	err = loader__probe_fentry_syscalls(vmlinux, &step);
	if (!err) {
		loader->fentry_syscalls = true;
		return 0;
	}
	if (cfg->syscall_hooks == SYSCALL_HOOKS_FENTRY) {
		say(msg, msg_len,
		    "--syscall-hooks=fentry: this kernel does not take an fentry program on "
		    "execve (%s refused it: %s). Use --syscall-hooks=auto or tracepoint.",
		    step, strerror(-err));
		return err;
	}
	if (cfg->verbose)
		fprintf(stderr,
			"execwatch: no fentry on execve here (%s refused it: %s): the syscalls/ "
			"tracepoints instead, which slow every syscall on the machine a little\n",
			step, strerror(-err));
	return 0;
}

/* The syscalls/ tracepoints, as the hooks of execve(at)'s entry and exit. */
static int use_syscall_tracepoints(struct loader *loader, char *msg, size_t msg_len)
{
	int err = ensure_tracefs(loader, msg, msg_len);

	if (err)
		return err;
	loader->fentry_syscalls = false;
	loader->failed_execs_traced = syscall_tracepoints_exist();
	if (!loader->failed_execs_traced)
		fprintf(stderr, "execwatch: warning: this kernel has no syscalls/sys_exit_execve "
				"tracepoint (CONFIG_FTRACE_SYSCALLS); failed execs will not be "
				"reported, successful ones will.\n");
	return 0;
}

/*
 * Scratch per CPU: the fixed part, a filename, and twice the argv limit (see
 * the BPF side), then the tamper check's room: its compare reads up to a
 * capture's length past the argv start, and the caller's argv is appended.
 */
static __u32 scratch_value_bytes(__u32 max_argv_bytes)
{
	__u32 bytes = sizeof(struct ew_exec) + EW_FILENAME_MAX + 2 * max_argv_bytes +
		      2 * EW_TAMPER_CAPTURE_BYTES;

	/* The exe and cwd walks' memory in front of the record; exe, cwd and interp after argv. */
	bytes += EW_PATH_SCRATCH_BYTES + EW_PATHS_PAYLOAD_MAX;

	return (bytes + 7) & ~7u;
}

static int configure(struct loader *loader, const struct config *cfg, bool allow_direct)
{
	struct execwatch_bpf *skel = loader->skel;
	bool subtree = cfg->filter.pid != 0;
	int err;

	skel->rodata->max_argv_bytes = cfg->max_argv_bytes;
	/* execwatch never reports its own activity. */
	skel->rodata->self_tgid = (__u32)getpid();
	skel->rodata->filter_uid = cfg->filter.nr_uids > 0;
	skel->rodata->filter_subtree = subtree;
	skel->rodata->filter_cgroup = cfg->filter.cgroup_path != NULL;
	skel->rodata->report_exits = cfg->exits;
	/* Fork and exit tracking cost something on every fork and exit: only when used. */
	bpf_program__set_autoload(skel->progs.track_fork, subtree || cfg->ancestors);
	skel->rodata->report_forks = cfg->ancestors;
	bpf_program__set_autoload(skel->progs.proc_exit, subtree || cfg->exits);
	/* Wake the reader early enough that a burst never fills the ring. */
	skel->rodata->wakeup_bytes = cfg->ring_bytes / 4;
	err = bpf_map__set_max_entries(skel->maps.events, (__u32)cfg->ring_bytes);
	/* Tamper evidence: EW_TAMPER_SLOTS_PER_CPU capture slots per CPU (tamper.h). */
	if (!err)
		err = bpf_map__set_max_entries(skel->maps.caller_argv,
					       (__u32)loader->ncpus * EW_TAMPER_SLOTS_PER_CPU);
	if (!err && cfg->pid_map_entries)
		err = bpf_map__set_max_entries(skel->maps.tracked_tgids, cfg->pid_map_entries);
	if (!err)
		err = bpf_map__set_max_entries(skel->maps.scratch, (__u32)loader->ncpus);
	if (!err)
		err = bpf_map__set_value_size(skel->maps.scratch,
					      scratch_value_bytes(cfg->max_argv_bytes));
	/* What the record may use: the scratch value after the path walks' memory. */
	skel->rodata->scratch_bytes =
		scratch_value_bytes(cfg->max_argv_bytes) - EW_PATH_SCRATCH_BYTES;
	if (err)
		return err;
	skel->rodata->pol_enabled = loader->policy != NULL;
	skel->rodata->pol_dry_run = loader->policy && loader->policy->dry_run;
	policy_rt__configure(loader->policy, skel->obj);
	/*
	 * The plain exec program, where chosen, in its variant with direct
	 * loads in the path walks when the kernel has bpf_rdonly_cast() (6.2+):
	 * about 0.4 us less per exec. The policy's text variant keeps helper
	 * reads (one more variant is not worth its load time there).
	 */
	loader->direct_path_reads = allow_direct && loader->has_rdonly_cast &&
				    bpf_program__autoload(skel->progs.exec_success);
	bpf_program__set_autoload(skel->progs.exec_success_direct, loader->direct_path_reads);
	if (loader->direct_path_reads)
		bpf_program__set_autoload(skel->progs.exec_success, false);
	/* execve(at)'s entry and exit: one of the two sets, or neither (no tracepoints). */
	bool tracepoints = loader->failed_execs_traced && !loader->fentry_syscalls;

	bpf_program__set_autoload(skel->progs.execve_enter, tracepoints);
	bpf_program__set_autoload(skel->progs.execveat_enter, tracepoints);
	bpf_program__set_autoload(skel->progs.execve_exit, tracepoints);
	bpf_program__set_autoload(skel->progs.execveat_exit, tracepoints);
#ifdef EXECVE_FUNC
	bpf_program__set_autoload(skel->progs.execve_fentry, loader->fentry_syscalls);
	bpf_program__set_autoload(skel->progs.execveat_fentry, loader->fentry_syscalls);
	bpf_program__set_autoload(skel->progs.execve_fexit, loader->fentry_syscalls);
	bpf_program__set_autoload(skel->progs.execveat_fexit, loader->fentry_syscalls);
#endif
	return 0;
}

/* Accept a cgroup as a full path or relative to the cgroup2 mount (/system.slice). */
static int open_cgroup(const char *path, char *msg, size_t msg_len)
{
	char root[4096], joined[8192];
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 && path[0] == '/' && !cgroup_v2_root(root, sizeof(root)) &&
	    strncmp(path, root, strlen(root))) {
		snprintf(joined, sizeof(joined), "%s%s", root, path);
		fd = open(joined, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0) {
		int err = errno;

		say(msg, msg_len, "--cgroup: cannot open the cgroup directory '%s': %s",
		    ESCAPED(path), strerror(err));
		return -err;
	}
	return fd;
}

/* Fill the kernel-side filter maps, after load and before attach. */
static int fill_filters(struct loader *loader, const struct config *cfg, char *msg, size_t msg_len)
{
	struct execwatch_bpf *skel = loader->skel;
	__u8 one = 1;
	size_t i;
	int err;

	for (i = 0; i < cfg->filter.nr_uids; i++) {
		err = bpf_map__update_elem(skel->maps.uid_filter, &cfg->filter.uids[i],
					   sizeof(__u32), &one, sizeof(one), BPF_ANY);
		if (err) {
			say(msg, msg_len, "--uid: cannot fill the filter map: %s", strerror(-err));
			return err;
		}
	}
	if (cfg->filter.cgroup_path) {
		__u32 key = 0;
		int fd = open_cgroup(cfg->filter.cgroup_path, msg, msg_len);

		if (fd < 0)
			return fd;
		err = bpf_map__update_elem(skel->maps.cgroup_filter, &key, sizeof(key), &fd,
					   sizeof(fd), BPF_ANY);
		close(fd);
		if (err) {
			say(msg, msg_len,
			    "--cgroup: '%s' is not a cgroup v2 directory (%s); give a path below "
			    "the cgroup2 mount (see 'findmnt -t cgroup2')",
			    ESCAPED(cfg->filter.cgroup_path), strerror(-err));
			return err;
		}
	}
	return 0;
}

/* PF_EXITING (include/linux/sched.h): do_exit() has begun, before sched_process_exit. */
#define EW_PF_EXITING 0x00000004

/*
 * Is pid still the process that started at `start` (field 22 of its stat),
 * with a thread that has not begun to exit? proc_exit runs when the last
 * thread exits, and each thread sets PF_EXITING before that; a zombie
 * thread ('Z', also a leader whose other threads still run) or a dead one
 * does not count. A reused pid has another start time.
 */
static bool same_live_process(const char *pid, uint64_t start)
{
	const int start_field = 22, flags_field = 9;
	char path[64], state;
	uint64_t value;
	struct dirent *ent;
	bool alive = false;
	DIR *tasks;

	if (procstat_fields("/proc", pid, &start_field, &value, 1) || value != start)
		return false;
	snprintf(path, sizeof(path), "/proc/%s/task", pid);
	tasks = opendir(path);
	if (!tasks)
		return false;
	while (!alive && (ent = readdir(tasks))) {
		if (ent->d_name[0] < '1' || ent->d_name[0] > '9' ||
		    procstat_sample(path, ent->d_name, &state, &flags_field, &value, 1))
			continue;
		alive = state != 'Z' && state != 'X' && state != 'x' && !(value & EW_PF_EXITING);
	}
	closedir(tasks);
	return alive;
}

/*
 * Add pid to the subtree map, then make sure it did not exit meanwhile: its
 * proc_exit (which deletes the entry) may have run before the insert, and a
 * stale entry would hold a slot for ever and, once the pid is reused, put an
 * unrelated process in the subtree. Checked after the insert, so an exit
 * that comes later finds the entry and deletes it. An entry track_fork made
 * meanwhile (BPF_NOEXIST fails) is its own, and stays. Returns 1 when
 * tracked, 0 when the process is gone (nothing left behind), or a negative
 * errno.
 */
static int track_if_alive(struct bpf_map *map, __u32 tgid, uint64_t start)
{
	char pid[16];
	__u8 one = 1;
	int err = bpf_map__update_elem(map, &tgid, sizeof(tgid), &one, sizeof(one), BPF_NOEXIST);

	if (err == -EEXIST)
		return 1;
	if (err)
		return err;
	snprintf(pid, sizeof(pid), "%u", tgid);
	if (same_live_process(pid, start))
		return 1;
	bpf_map__delete_elem(map, &tgid, sizeof(tgid), 0);
	return 0;
}

/*
 * Seed the --pid subtree: the process and every current descendant. Runs
 * after track_fork is attached, so a process forked meanwhile is either seen
 * by track_fork or, its parent not yet tracked, found in this scan. Repeats
 * until a pass adds nothing, since /proc lists children in any order.
 */
static int seed_subtree(struct loader *loader, pid_t root, char *msg, size_t msg_len)
{
	struct bpf_map *map = loader->skel->maps.tracked_tgids;
	const int fields[] = { 4, 22 }; /* ppid, starttime: one read, one process */
	uint64_t values[2];
	char name[16];
	bool added = true;
	int err;

	snprintf(name, sizeof(name), "%d", root);
	if (root <= 0 || procstat_fields("/proc", name, fields, values, 2) ||
	    !(err = track_if_alive(map, (__u32)root, values[1]))) {
		say(msg, msg_len, "--pid: there is no process %d", root);
		return -ESRCH;
	}
	if (err < 0) {
		say(msg, msg_len, "--pid: cannot fill the subtree map: %s", strerror(-err));
		return err;
	}
	while (added) {
		DIR *proc = opendir("/proc");
		struct dirent *ent;

		if (!proc) {
			say(msg, msg_len, "--pid: cannot read /proc: %s", strerror(errno));
			return -errno;
		}
		added = false;
		while ((ent = readdir(proc))) {
			__u32 child, parent;
			__u8 seen;

			if (ent->d_name[0] < '1' || ent->d_name[0] > '9' ||
			    procstat_fields("/proc", ent->d_name, fields, values, 2))
				continue;
			child = (__u32)strtoul(ent->d_name, NULL, 10);
			parent = (__u32)values[0];
			if (bpf_map__lookup_elem(map, &parent, sizeof(parent), &seen, sizeof(seen),
						 0) ||
			    !bpf_map__lookup_elem(map, &child, sizeof(child), &seen, sizeof(seen),
						  0))
				continue;
			if (track_if_alive(map, child, values[1]) == 1)
				added = true;
		}
		closedir(proc);
	}
	return 0;
}

/*
 * Does RLIMIT_MEMLOCK (read into *limit) bound BPF memory here, at a finite
 * value? Before 5.11 the kernel charged maps and programs to it; libbpf
 * raises it to infinity when it may (CAP_SYS_RESOURCE), silently, so a
 * finite limit now means it could not. 5.11 moved the charge to the memory cgroup in the release that
 * added bpf_ktime_get_coarse_ns(): libbpf's own test for it, used here too.
 */
static bool memlock_limits_bpf(struct rlimit *limit)
{
	if (getrlimit(RLIMIT_MEMLOCK, limit) || limit->rlim_cur == RLIM_INFINITY)
		return false;
	return libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER, BPF_FUNC_ktime_get_coarse_ns,
				       NULL) == 0;
}

static void explain_load_error(int err, char *msg, size_t msg_len)
{
	struct rlimit limit;
	const char *said = libbpf_verbose	  ? "see its log above" :
			   libbpf_last_warning[0] ? libbpf_last_warning :
						    "nothing";

	/* The verifier's rejection is also -EACCES: tell it from a permission problem. */
	if (verifier_rejected) {
		say(msg, msg_len,
		    "the kernel's BPF verifier rejected a program (%s): this kernel's verifier "
		    "may be older than execwatch supports. Run with --verbose for the verifier "
		    "log, and report it. libbpf said: %s",
		    strerror(-err), said);
		return;
	}
	if (err == -EPERM && memlock_limits_bpf(&limit)) {
		say(msg, msg_len,
		    "the kernel refused to create the BPF maps (%s): this kernel (before 5.11) "
		    "charges BPF memory to RLIMIT_MEMLOCK, which is %llu KiB here and cannot be "
		    "raised without CAP_SYS_RESOURCE. Raise it (ulimit -l unlimited; "
		    "LimitMEMLOCK=infinity in a systemd unit) or grant CAP_SYS_RESOURCE.",
		    strerror(-err), (unsigned long long)limit.rlim_cur / 1024);
		return;
	}
	if (err == -EPERM || err == -EACCES)
		say(msg, msg_len,
		    "the kernel refused to load the BPF programs (%s): run as root, and check "
		    "that kernel lockdown (confidentiality mode) or an LSM policy does not "
		    "forbid BPF. libbpf said: %s",
		    strerror(-err), libbpf_last_warning[0] ? libbpf_last_warning : "nothing");
	else
		say(msg, msg_len,
		    "loading the BPF programs failed: %s. Run with --verbose to see libbpf's "
		    "log. libbpf said: %s",
		    strerror(-err), libbpf_last_warning[0] ? libbpf_last_warning : "nothing");
}

/*
 * execwatch_bpf__open(), but on a kernel without bpf_rdonly_cast() with the
 * object built without its extern (bpf_object_nokfunc.h): libbpf 1.1 would
 * look the missing weak kfunc up in module BTF, and listing BTF objects
 * takes CAP_SYS_ADMIN, so CAP_BPF + CAP_PERFMON alone could not load on
 * 5.11-6.1. The same skeleton, so everything else stays as it is.
 */
static struct execwatch_bpf *open_skeleton(bool has_kfunc)
{
	struct execwatch_bpf *skel = calloc(1, sizeof(*skel));
	int err;

	if (!skel)
		return NULL;
	err = execwatch_bpf__create_skeleton(skel);
	if (!err) {
		if (!has_kfunc)
			skel->skeleton->data = bpf_object_nokfunc_bytes(&skel->skeleton->data_sz);
		err = bpf_object__open_skeleton(skel->skeleton, NULL);
	}
	if (err) {
		execwatch_bpf__destroy(skel);
		errno = -err;
		return NULL;
	}
	return skel;
}

/* Drop a skeleton that did not load, and what its failure left, before loading another. */
static void discard_skeleton(struct loader *loader)
{
	execwatch_bpf__destroy(loader->skel);
	loader->skel = NULL;
	verifier_rejected = false;
	libbpf_last_warning[0] = '\0';
}

/* Open the embedded object, configure it and load it; allow_direct: see configure(). */
static int open_and_load(struct loader *loader, const struct config *cfg, bool allow_direct,
			 char *msg, size_t msg_len)
{
	int err;

	loader->skel = open_skeleton(loader->has_rdonly_cast);
	if (!loader->skel) {
		err = -errno;
		say(msg, msg_len, "opening the embedded BPF object failed: %s", strerror(-err));
		return err;
	}
	err = configure(loader, cfg, allow_direct);
	if (err) {
		say(msg, msg_len, "configuring the BPF maps failed: %s", strerror(-err));
		return err;
	}
	err = execwatch_bpf__load(loader->skel);
	if (err)
		explain_load_error(err, msg, msg_len);
	return err;
}

int loader__start(struct loader **out, const struct config *cfg, char *msg, size_t msg_len)
{
	struct loader *loader;
	int err;

	*out = NULL;
	libbpf_verbose = cfg->verbose;
	libbpf_set_print(libbpf_print);

	err = probe_privileges(msg, msg_len);
	if (err)
		return err;
	err = probe_kernel(msg, msg_len);
	if (err)
		return err;

	loader = calloc(1, sizeof(*loader));
	if (!loader) {
		say(msg, msg_len, "out of memory");
		return -ENOMEM;
	}
	loader->ncpus = libbpf_num_possible_cpus();
	if (loader->ncpus <= 0) {
		err = loader->ncpus ? loader->ncpus : -EINVAL;
		say(msg, msg_len, "cannot count the possible CPUs: %s", strerror(-err));
		goto fail;
	}

	/* Issue 6: a bad policy file or an impossible deny fails before anything loads. */
	if (cfg->policy_path) {
		err = policy_rt__open(&loader->policy, cfg->policy_path, cfg->policy_dry_run,
				      cfg->deny_fallback_kill, msg, msg_len);
		if (err)
			goto fail;
	}
	/* Parsed once for both questions (each parse is about 10M instructions). */
	struct btf *vmlinux = btf__load_vmlinux_btf();

	err = choose_syscall_hooks(loader, cfg, vmlinux, msg, msg_len);
	loader->has_rdonly_cast = vmlinux_func_id(vmlinux, "bpf_rdonly_cast") > 0;
	btf__free(vmlinux);
	if (err)
		goto fail;
	if (loader->fentry_syscalls)
		loader->failed_execs_traced = true; /* tracefs is not needed then */
	else if ((err = use_syscall_tracepoints(loader, msg, msg_len)))
		goto fail;
	if (!loader->has_rdonly_cast && cfg->verbose)
		fprintf(stderr,
			"execwatch: no bpf_rdonly_cast() kfunc in this kernel (< 6.2): "
			"loading the object built without it (helper reads in path walks)\n");
	err = open_and_load(loader, cfg, true, msg, msg_len);
	if (err && loader->fentry_syscalls && cfg->syscall_hooks == SYSCALL_HOOKS_AUTO) {
		/* The probe passed but a real program did not load: tracepoints, rather than no start. */
		if (cfg->verbose)
			fprintf(stderr,
				"execwatch: the fentry programs did not load (%s); "
				"the syscalls/ tracepoints instead\n",
				msg);
		discard_skeleton(loader);
		err = use_syscall_tracepoints(loader, msg, msg_len);
		if (!err)
			err = open_and_load(loader, cfg, true, msg, msg_len);
	}
	if (err && loader->direct_path_reads) {
		/*
		 * The kernel has the kfunc but refused the program that calls it
		 * (a JIT without kfunc calls, a verifier that will not take it):
		 * the same record with helper reads, rather than no start.
		 */
		if (cfg->verbose)
			fprintf(stderr,
				"execwatch: exec_success_direct did not load (%s); "
				"loading exec_success (helper reads) instead\n",
				msg);
		discard_skeleton(loader);
		err = open_and_load(loader, cfg, false, msg, msg_len);
	}
	if (err)
		goto fail;
	err = fill_filters(loader, cfg, msg, msg_len);
	if (err)
		goto fail;
	if (loader->policy) {
		err = policy_rt__install(loader->policy, loader->skel->obj, stderr, msg, msg_len);
		if (err)
			goto fail;
	}
	err = execwatch_bpf__attach(loader->skel);
	if (err == -EACCES && caps_perf_restricted()) {
		say(msg, msg_len,
		    "attaching the syscall tracepoints failed: kernel.perf_event_paranoid is %d "
		    "(Debian's and Ubuntu's default is 3), and at that level this kernel lets "
		    "only CAP_SYS_ADMIN open the perf events that attach them; CAP_BPF and "
		    "CAP_PERFMON are not enough. Grant CAP_SYS_ADMIN (execwatch drops it once "
		    "attached) or set kernel.perf_event_paranoid=2.",
		    caps_perf_event_paranoid());
		goto fail;
	}
	if (err) {
		say(msg, msg_len, "attaching the BPF programs failed: %s. libbpf said: %s",
		    strerror(-err), libbpf_last_warning[0] ? libbpf_last_warning : "nothing");
		goto fail;
	}
	if (cfg->filter.pid) {
		err = seed_subtree(loader, cfg->filter.pid, msg, msg_len);
		if (err)
			goto fail;
	}
	*out = loader;
	return 0;
fail:
	loader__destroy(loader);
	return err;
}

void loader__destroy(struct loader *loader)
{
	if (!loader)
		return;
	execwatch_bpf__destroy(loader->skel);
	policy_rt__free(loader->policy);
	/* tracefs stays mounted: other tools (and a restart) expect it there. */
	free(loader);
}

bool loader__kfunc_available(const char *name)
{
	/* Kfuncs are BTF_KIND_FUNC entries of vmlinux. */
	struct btf *vmlinux = btf__load_vmlinux_btf();
	bool found = vmlinux_func_id(vmlinux, name) > 0;

	btf__free(vmlinux);
	return found;
}

int loader__ringbuf_fd(const struct loader *loader)
{
	return bpf_map__fd(loader->skel->maps.events);
}

int loader__stash_fd(const struct loader *loader)
{
	return bpf_map__fd(loader->skel->maps.exec_stash);
}

int loader__counters_fd(const struct loader *loader)
{
	return bpf_map__fd(loader->skel->maps.counters);
}
