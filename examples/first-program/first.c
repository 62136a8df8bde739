// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The smallest loader for first.bpf.o: open the object file with libbpf,
 * load it, attach its tracepoint program, and print one line per exec from
 * the ring buffer:
 *
 *	pid uid ts_ns filename
 *
 * It exists because Debian 12's bpftool 7.1 can load and pin a program but
 * has no "autoattach", so nothing would ever run it.
 *
 * The object is opened by path with bpf_object__open_file() rather than
 * through a "bpftool gen skeleton" header: that keeps the tutorial at one
 * compiler call per side and shows the three libbpf steps (open, load,
 * attach) by name. execwatch itself uses a skeleton, which embeds the object
 * in the binary.
 *
 * Usage: first [-d SECONDS] [OBJECT]
 *   -d SECONDS  stop after SECONDS (default: run until SIGINT or SIGTERM)
 *   OBJECT      the BPF object (default: first.bpf.o next to this program)
 *
 * Filenames are printed with every byte outside printable ASCII, and the
 * backslash, written as \xHH, so a hostile filename cannot inject newlines or
 * terminal escapes into the output.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "first.h"

#define TRACEFS "/sys/kernel/tracing"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Keep libbpf's warnings and errors, drop its debug chatter. */
static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* libbpf finds tracepoint ids in tracefs, which this machine does not mount at boot. */
static int ensure_tracefs(void)
{
	struct stat st;

	if (stat(TRACEFS "/events", &st) == 0)
		return 0;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL) && errno != EBUSY) {
		fprintf(stderr, "first: mount tracefs on %s: %s\n", TRACEFS, strerror(errno));
		return -1;
	}
	return 0;
}

static void print_escaped(const char *s, int len)
{
	for (int i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct first_event *e = data;
	int len;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	printf("%u %u %llu ", e->pid, e->uid, (unsigned long long)e->ts_ns);
	len = e->filename_len;
	if (len < 0) {
		printf("<unreadable: %s>\n", strerror(-len));
	} else {
		if (len > FIRST_FILENAME_LEN - 1)
			len = FIRST_FILENAME_LEN - 1;
		print_escaped(e->filename, len);
		putchar('\n');
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* first.bpf.o in the directory of this executable. */
static int default_object(char *buf, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n < 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	if ((size_t)snprintf(buf, size, "%s/first.bpf.o", self) >= size)
		return -1;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: first [-d SECONDS] [OBJECT]\n");
}

int main(int argc, char **argv)
{
	struct bpf_object *obj = NULL;
	struct bpf_program *prog;
	struct bpf_link *link = NULL;
	struct ring_buffer *rb = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	char objpath[PATH_MAX];
	double deadline = 0;
	int timed = 0;
	int opt, err, ret = 1;

	while ((opt = getopt(argc, argv, "d:h")) != -1) {
		char *end;
		unsigned long secs;

		switch (opt) {
		case 'd':
			errno = 0;
			secs = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' || secs > 86400) {
				fprintf(stderr, "first: -d wants 0..86400 seconds, not '%s'\n",
					optarg);
				return 2;
			}
			deadline = now() + secs;
			timed = 1;
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
	}
	if (argc - optind > 1) {
		usage();
		return 2;
	}
	if (optind < argc) {
		snprintf(objpath, sizeof(objpath), "%s", argv[optind]);
	} else if (default_object(objpath, sizeof(objpath))) {
		fprintf(stderr, "first: cannot find first.bpf.o, pass its path\n");
		return 2;
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(print_libbpf);
	/* No SA_RESTART: a signal must interrupt ring_buffer__poll(). */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (ensure_tracefs())
		return 1;

	/* 1. open: parse the ELF file, nothing in the kernel yet. */
	obj = bpf_object__open_file(objpath, NULL);
	if (!obj) {
		fprintf(stderr, "first: open %s: %s\n", objpath, strerror(errno));
		return 1;
	}
	/* 2. load: create the maps, verify and load the program. */
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "first: load %s: %s\n", objpath, strerror(-err));
		goto out;
	}
	/* 3. attach: SEC("tracepoint/...") tells libbpf where. */
	prog = bpf_object__find_program_by_name(obj, "first_execve");
	if (!prog) {
		fprintf(stderr, "first: no program first_execve in %s\n", objpath);
		goto out;
	}
	link = bpf_program__attach(prog);
	if (!link) {
		fprintf(stderr, "first: attach: %s\n", strerror(errno));
		goto out;
	}
	rb = ring_buffer__new(bpf_object__find_map_fd_by_name(obj, "first_events"), handle_event,
			      NULL, NULL);
	if (!rb) {
		fprintf(stderr, "first: ring buffer: %s\n", strerror(errno));
		goto out;
	}

	fprintf(stderr, "first: attached to syscalls/sys_enter_execve; pid uid ts_ns filename\n");
	while (!stop) {
		int timeout_ms = 100;

		if (timed) {
			double left = deadline - now();

			if (left <= 0)
				break;
			if (left < 0.1)
				timeout_ms = (int)(left * 1000) + 1;
		}
		err = ring_buffer__poll(rb, timeout_ms);
		if (err == -EINTR)
			break;
		if (err < 0) {
			fprintf(stderr, "first: poll: %s\n", strerror(-err));
			goto out;
		}
	}
	/* Drain what arrived before the deadline or the signal. */
	ring_buffer__consume(rb);
	ret = 0;
out:
	ring_buffer__free(rb);
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return ret;
}
