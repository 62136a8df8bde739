// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Loader for the path prototype: loads path_proto.bpf.o, attaches it, and
 * prints one line per exec, tab-separated key=value, until SIGINT/SIGTERM.
 * Bytes outside printable ASCII, '\\' and tab are shown as \xHH.
 *
 *	path_proto [-q] [-v] [--no-exe] [--no-cwd] [--no-send] [--time]
 *
 * -q prints nothing per exec; --time has the program time each walk with
 * bpf_ktime_get_ns() and prints the per-walk averages at exit. "ready
 * prog_id=N" is printed once attached; with -v, followed by the verifier's
 * statistics (log level 4: "processed N insns ...", on every kernel).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "path_proto.h"
#include "path_proto.skel.h"

/* Keep in step with src/bpf/path.h. */
static const char *const path_flag_names[] = {
	"truncated", "fault", "deleted",  "nlink0",    "pseudo",
	"internal",  "memfd", "other_ns", "root_seen",
};
static const char *const task_flag_names[] = { "chroot", "chroot_unknown", "no_fs" };
static const char *const x_flag_names[] = { "interp_changed", "filename_fault", "interp_fault" };

static volatile sig_atomic_t stop;
static bool quiet;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void put_str(const char *key, const char *s, size_t len)
{
	printf("\t%s=", key);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c < 0x20 || c >= 0x7f || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void put_flags(const char *key, unsigned int flags, const char *const *names, size_t n)
{
	bool first = true;

	printf("\t%s=", key);
	for (size_t i = 0; i < n; i++) {
		if (flags & (1u << i)) {
			printf("%s%s", first ? "" : ",", names[i]);
			first = false;
		}
	}
	if (first)
		putchar('-');
}

/* The part of a path under the task's root: its last root_len bytes. */
static void put_in_root(const char *key, const char *s, size_t len, unsigned int root_len)
{
	if (root_len == PP_ROOT_NOT_SEEN || root_len > len) {
		printf("\t%s=-", key);
		return;
	}
	if (root_len == 0) {
		printf("\t%s=/", key);
		return;
	}
	put_str(key, s + len - root_len, root_len);
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct pp_event *e = data;
	const char *p = (const char *)(e + 1);

	(void)ctx;
	if (quiet)
		return 0;
	if (size < sizeof(*e) ||
	    size < sizeof(*e) + e->exe_len + e->cwd_len + e->filename_len + e->interp_len) {
		fprintf(stderr, "short record (%zu bytes)\n", size);
		return 0;
	}
	printf("pid=%u", e->pid);
	put_str("comm", e->comm, strnlen(e->comm, sizeof(e->comm)));
	put_str("exe", p, e->exe_len);
	put_flags("exe_flags", e->exe_flags, path_flag_names,
		  sizeof(path_flag_names) / sizeof(path_flag_names[0]));
	printf("\tdev=%u:%u\tino=%llu\tnlink=%u\tmagic=0x%llx", e->dev >> 20, e->dev & 0xfffff,
	       (unsigned long long)e->ino, e->nlink, (unsigned long long)e->magic);
	put_in_root("exe_in_root", p, e->exe_len, e->exe_root_len);
	p += e->exe_len;
	put_str("cwd", p, e->cwd_len);
	put_flags("cwd_flags", e->cwd_flags, path_flag_names,
		  sizeof(path_flag_names) / sizeof(path_flag_names[0]));
	put_in_root("cwd_in_root", p, e->cwd_len, e->cwd_root_len);
	p += e->cwd_len;
	put_flags("task_flags", e->task_flags, task_flag_names,
		  sizeof(task_flag_names) / sizeof(task_flag_names[0]));
	printf("\tmntns=%u", e->mnt_ns);
	put_str("filename", p, e->filename_len);
	p += e->filename_len;
	put_str("interp", p, e->interp_len);
	put_flags("x_flags", e->x_flags, x_flag_names,
		  sizeof(x_flag_names) / sizeof(x_flag_names[0]));
	putchar('\n');
	return 0;
}

static void print_timing(struct path_proto_bpf *skel)
{
	int ncpus = libbpf_num_possible_cpus();
	__u64 sum[PP_T_NR] = { 0 };
	__u64 *vals;

	if (ncpus <= 0)
		return;
	vals = calloc(ncpus, sizeof(*vals));
	if (!vals)
		return;
	for (__u32 k = 0; k < PP_T_NR; k++) {
		if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.timing), &k, vals))
			continue;
		for (int c = 0; c < ncpus; c++)
			sum[k] += vals[c];
	}
	free(vals);
	fprintf(stderr, "sent=%llu dropped=%llu\n", (unsigned long long)sum[PP_T_SENT],
		(unsigned long long)sum[PP_T_DROPPED]);
	if (sum[PP_T_TASK_N])
		fprintf(stderr, "task_fs: %.1f ns/exec over %llu\n",
			(double)sum[PP_T_TASK_NS] / sum[PP_T_TASK_N],
			(unsigned long long)sum[PP_T_TASK_N]);
	if (sum[PP_T_EXE_N])
		fprintf(stderr, "exe walk: %.1f ns/exec over %llu\n",
			(double)sum[PP_T_EXE_NS] / sum[PP_T_EXE_N],
			(unsigned long long)sum[PP_T_EXE_N]);
	if (sum[PP_T_CWD_N])
		fprintf(stderr, "cwd walk: %.1f ns/exec over %llu\n",
			(double)sum[PP_T_CWD_NS] / sum[PP_T_CWD_N],
			(unsigned long long)sum[PP_T_CWD_N]);
}

int main(int argc, char **argv)
{
	struct path_proto_bpf *skel;
	struct ring_buffer *rb = NULL;
	bool no_exe = false, no_cwd = false, no_send = false, timed = false, vstats = false;
	static char vlog[4096];
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info);
	int err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q"))
			quiet = true;
		else if (!strcmp(argv[i], "--no-exe"))
			no_exe = true;
		else if (!strcmp(argv[i], "--no-cwd"))
			no_cwd = true;
		else if (!strcmp(argv[i], "--no-send"))
			no_send = true;
		else if (!strcmp(argv[i], "--time"))
			timed = true;
		else if (!strcmp(argv[i], "-v"))
			vstats = true;
		else {
			fprintf(stderr,
				"usage: %s [-q] [-v] [--no-exe] [--no-cwd] [--no-send] [--time]\n",
				argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	skel = path_proto_bpf__open();
	if (!skel) {
		fprintf(stderr, "open: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->do_exe = !no_exe;
	skel->rodata->do_cwd = !no_cwd;
	skel->rodata->do_send = !no_send;
	skel->rodata->do_time = timed;
	if (vstats) {
		/* Statistics only: a failed load then shows no error detail. */
		bpf_program__set_log_buf(skel->progs.pp_exec, vlog, sizeof(vlog));
		bpf_program__set_log_level(skel->progs.pp_exec, 4);
	}
	err = path_proto_bpf__load(skel);
	if (err) {
		fprintf(stderr, "load: %s\n", strerror(-err));
		goto out;
	}
	err = path_proto_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "attach: %s\n", strerror(-err));
		goto out;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "ring buffer: %s\n", strerror(errno));
		goto out;
	}
	if (bpf_obj_get_info_by_fd(bpf_program__fd(skel->progs.pp_exec), &info, &info_len) == 0)
		printf("ready prog_id=%u verified_insns=%u\n", info.id, info.verified_insns);
	else
		printf("ready prog_id=?\n");
	if (vstats) {
		/* "verification time N usec\nstack depth N\nprocessed N insns ..." */
		char *line = strstr(vlog, "processed");
		char *nl = line ? strchr(line, '\n') : NULL;

		if (nl)
			*nl = '\0';
		printf("verifier: %s\n", line ? line : vlog);
	}
	while (!stop) {
		/* The program wakes us only when much is waiting: drain on a timer too. */
		err = ring_buffer__poll(rb, 50);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err >= 0)
			err = ring_buffer__consume(rb);
		if (err < 0) {
			fprintf(stderr, "poll: %s\n", strerror(-err));
			break;
		}
		err = 0;
	}
	ring_buffer__consume(rb);
	print_timing(skel);
out:
	ring_buffer__free(rb);
	path_proto_bpf__destroy(skel);
	return err ? 1 : 0;
}
