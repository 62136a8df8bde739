// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Writes the seed corpus of every fuzz target: gen_corpus DIR creates
 * DIR/<target>/<name> files. The ring-buffer records are built with
 * src/event.h itself, so they stay valid when the record layout grows:
 * fuzz/fuzz.mk regenerates them into build/ for every fuzz run, and
 * `make fuzz-corpus` refreshes the committed copy in fuzz/corpus/.
 *
 * Seeds are small and each shows the fuzzer one case worth reaching: a
 * plain exec, a failed execveat, argc 0, a truncated argv, invalid UTF-8,
 * terminal escapes, bidi overrides; and for the CLI every option, good and
 * bad.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "event.h"
#include "stats.h"

static const char *out_dir;

static void write_seed(const char *target, const char *name, const void *bytes, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, target);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, target, name);
	f = fopen(path, "wb");
	if (!f || (n && fwrite(bytes, 1, n, f) != n) || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* A plausible fixed part for a record of the given type. */
static struct ew_exec fixed_part(__u16 type, __u16 flags)
{
	struct ew_exec e;

	memset(&e, 0, sizeof(e));
	e.hdr.boot_ns = 123456789012345ULL;
	e.hdr.type = type;
	e.hdr.flags = flags;
	e.hdr.pid = 4242;
	e.hdr.tid = 4242;
	e.ppid = 1;
	e.uid = 1000;
	e.euid = 1000;
	e.gid = 100;
	e.ret = type == EW_EVENT_EXEC_FAILED ? -2 : 0;
	e.dirfd = EW_AT_FDCWD_VALUE;
	memcpy(e.comm, "bash", 5);
	return e;
}

/* The payload after argv: the issue-3 paths and the caller's argv (tamper evidence). */
struct extras {
	const char *exe, *cwd, *interp; /* NULL: none */
	const char *caller_argv; /* holds NULs: with its length */
	size_t caller_argv_len;
};

/*
 * Write fixed | filename | argv | exe | cwd | interp | caller_argv as a
 * record, the lengths set to match. argv is given with its length (it holds
 * NULs); argc and argv_true_len come from e unless they are 0.
 */
static void record_with(const char *name, struct ew_exec e, const char *filename, const char *argv,
			size_t argv_len, const struct extras *x)
{
	size_t filename_len = strlen(filename);
	size_t exe_len = x && x->exe ? strlen(x->exe) : 0;
	size_t cwd_len = x && x->cwd ? strlen(x->cwd) : 0;
	size_t interp_len = x && x->interp ? strlen(x->interp) : 0;
	size_t caller_len = x ? x->caller_argv_len : 0;
	size_t size =
		sizeof(e) + filename_len + argv_len + exe_len + cwd_len + interp_len + caller_len;
	unsigned char *buf = malloc(size), *p;
	size_t i;

	if (!buf)
		exit(1);
	e.hdr.size = (__u32)size;
	e.filename_len = (__u16)filename_len;
	e.argv_len = (__u32)argv_len;
	e.file.exe_len = (__u16)exe_len;
	e.file.cwd_len = (__u16)cwd_len;
	e.file.interp_len = (__u16)interp_len;
	e.tamper.caller_argv_len = (__u32)caller_len;
	if (e.argv_true_len < argv_len)
		e.argv_true_len = (__u32)argv_len;
	if (!e.argc)
		for (i = 0; i < argv_len; i++)
			e.argc += argv[i] == '\0';
	p = buf;
	memcpy(p, &e, sizeof(e));
	p += sizeof(e);
	memcpy(p, filename, filename_len);
	p += filename_len;
	if (argv_len)
		memcpy(p, argv, argv_len);
	p += argv_len;
	if (exe_len)
		memcpy(p, x->exe, exe_len);
	p += exe_len;
	if (cwd_len)
		memcpy(p, x->cwd, cwd_len);
	p += cwd_len;
	if (interp_len)
		memcpy(p, x->interp, interp_len);
	p += interp_len;
	if (caller_len)
		memcpy(p, x->caller_argv, caller_len);
	write_seed("decode", name, buf, size);
	free(buf);
}

static void record(const char *name, struct ew_exec e, const char *filename, const char *argv,
		   size_t argv_len)
{
	record_with(name, e, filename, argv, argv_len, NULL);
}

#define ARGV(literal) literal, sizeof(literal) - 1

static void decode_seeds(void)
{
	struct ew_exit x;
	struct ew_exec e;
	char big[600];

	record("exec-ls", fixed_part(EW_EVENT_EXEC, 0), "/usr/bin/ls", ARGV("ls\0-la\0/tmp\0"));

	e = fixed_part(EW_EVENT_EXEC_FAILED, EW_F_EXECVEAT);
	e.dirfd = 3;
	e.ret = -13;
	record("failed-execveat", e, "frob", ARGV("frob\0--now\0"));

	e = fixed_part(EW_EVENT_EXEC_FAILED, 0);
	e.ret = -5000; /* outside -1..-4095: no errno name */
	record("failed-odd-errno", e, "/x", ARGV("x\0"));

	e = fixed_part(EW_EVENT_EXEC, EW_F_ARGV_EMPTY_AT_CALL);
	e.argc = 1;
	record("argc0", e, "/usr/bin/true", ARGV("\0"));

	e = fixed_part(EW_EVENT_EXEC_FAILED, EW_F_ARGV_EMPTY_AT_CALL);
	record("argc0-failed", e, "/nope", NULL, 0);

	e = fixed_part(EW_EVENT_EXEC, EW_F_ARGV_TRUNCATED);
	e.argv_true_len = 300134;
	e.argc = 3;
	record("truncated", e, "/bin/echo", ARGV("echo\0aaaa\0bbbbbbbb"));

	e = fixed_part(EW_EVENT_EXEC_FAILED, EW_F_ARGV_TRUNCATED | EW_F_ARGV_TRUE_LEN_UNKNOWN);
	record("truncated-unknown", e, "/bin/echo", ARGV("echo\0cut"));

	e = fixed_part(EW_EVENT_EXEC, EW_F_ARGV_FAULT | EW_F_FILENAME_FAULT);
	record("faults", e, "", ARGV("a\0"));

	e = fixed_part(EW_EVENT_EXEC, EW_F_FILENAME_TRUNCATED);
	record("filename-truncated", e, "/very/long/pa", ARGV("x\0"));

	e = fixed_part(EW_EVENT_EXEC, 0);
	memcpy(e.comm, "\xff\x1b[31mcomm\xc2\x9b", 12);
	record("hostile", e,
	       "/tmp/\xe2\x80\xae"
	       "fdp.exe\n",
	       ARGV("true\0new\nline\0\x1b[31mred\0\0\xff\xfe\0\"q\\\0[x]\0\xe2\x80\xa8\0"));

	e = fixed_part(EW_EVENT_EXEC, 0);
	record("utf8", e, "/usr/bin/\xc3\xa9t\xc3\xa9",
	       ARGV("\xc3\xa9\0\xf0\x9f\x98\x80\0\xed\xa0\x80\0\xc0\xaf\0"));

	e = fixed_part(EW_EVENT_EXEC, 0);
	memcpy(e.comm, "0123456789abcdef", 16); /* no NUL: all 16 bytes */
	e.hdr.boot_ns = ~0ULL;
	record("extremes", e, "/x", ARGV("a\0"));

	/* The ring's time stamp is input too: the largest a u64 and an s64 disagree on. */
	e = fixed_part(EW_EVENT_EXEC, 0);
	e.hdr.boot_ns = 1ULL << 63;
	record("boot-ns-2^63", e, "/x", ARGV("a\0"));

	memset(big, 'A', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	record("long-arg", fixed_part(EW_EVENT_EXEC, 0), "/bin/sh", big, sizeof(big));

	/* The payload after argv (struct ew_exec_file, ew_exec_tamper) and the policy part. */
	e = fixed_part(EW_EVENT_EXEC, 0);
	record_with("exec-paths", e, "./tool", ARGV("tool\0--x\0"),
		    &(struct extras){ .exe = "/usr/bin/python3.11",
				      .cwd = "/home/u/src",
				      .interp = "/usr/bin/python3" });

	e = fixed_part(EW_EVENT_EXEC, 0);
	record_with("exec-paths-hostile", e, "/x", ARGV("x\0"),
		    &(struct extras){ .exe = "/tmp/\xe2\x80\xae"
					     "gpj.sh\n\xff",
				      .cwd = "/tmp/\x1b[31mred" });

	e = fixed_part(EW_EVENT_EXEC, EW_F_ARGV_TAMPERED);
	record_with("tampered", e, "/bin/ls", ARGV("ls\0/etc/shadow\0"),
		    &(struct extras){ .caller_argv = ARGV("ls\0-la\0") });

	e = fixed_part(EW_EVENT_EXEC, 0);
	e.policy.rule = 2;
	e.policy.generation = 1;
	e.policy.action = 1;
	record("policy", e, "/usr/bin/curl", ARGV("curl\0http://x\0"));

	/* Exit records: a code, and a signal with a core dump. */
	memset(&x, 0, sizeof(x));
	x.hdr.boot_ns = 123456789012345ULL;
	x.hdr.size = sizeof(x);
	x.hdr.type = EW_EVENT_EXIT;
	x.hdr.pid = x.hdr.tid = 4242;
	x.ppid = 1;
	x.status = 3 << 8;
	x.start_ns = 123000000000000ULL;
	memcpy(x.comm, "make", 5);
	write_seed("decode", "exit-code", &x, sizeof(x));
	x.status = 0x80 | 11;
	write_seed("decode", "exit-signal-core", &x, sizeof(x));

	/* Malformed: decode_exec must reject these. */
	e = fixed_part(EW_EVENT_EXEC, 0);
	write_seed("decode", "bad-short", &e, sizeof(e.hdr));
	e.hdr.size = 9999;
	write_seed("decode", "bad-size", &e, sizeof(e));
	e.hdr.size = sizeof(e);
	e.hdr.type = 7;
	write_seed("decode", "bad-type", &e, sizeof(e));
	e.hdr.type = EW_EVENT_EXEC;
	e.filename_len = 5;
	write_seed("decode", "bad-lengths", &e, sizeof(e));
	e.filename_len = 0;
	e.file.exe_len = 7; /* claims path bytes the record does not have */
	write_seed("decode", "bad-path-lengths", &e, sizeof(e));
}

/* Byte strings: the same set serves the text and the JSON encoders. */
static void string_seeds(const char *target)
{
	static const struct {
		const char *name;
		const char *bytes;
		size_t n;
	} seeds[] = {
		{ "plain", ARGV("ls") },
		{ "empty", "", 0 },
		{ "path", ARGV("/usr/bin/x86_64-linux-gnu-gcc-12") },
		{ "space", ARGV("two words") },
		{ "controls", ARGV("new\nline\ttab\rcr\x1b[31mred\x7f") },
		{ "quotes", ARGV("\"q\" \\back\\ [brackets] $HOME `cmd` 'single'") },
		{ "invalid", ARGV("\xff\xfe\x80\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xe2\x82") },
		{ "utf8", ARGV("\xc3\xa9t\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80") },
		{ "unsafe-codepoints",
		  ARGV("\xc2\x9b\xe2\x80\xae\xe2\x80\xa8\xe2\x81\xa6\xef\xbb\xbf"
		       "\xc2\xad\xee\x80\x80\xf3\xa0\x80\x81\xef\xbf\xbe") },
		{ "nul", ARGV("a\0b") },
	};
	size_t i;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		write_seed(target, seeds[i].name, seeds[i].bytes, seeds[i].n);
}

static void cli_seeds(void)
{
	static const struct {
		const char *name;
		const char *bytes;
		size_t n;
	} seeds[] = {
		{ "none", "", 0 },
		{ "json", ARGV("--json") },
		{ "short-flags", ARGV("-jv\0-d\0"
				      "2.5") },
		{ "all", ARGV("--json\0--duration=60\0--max-argv-bytes\0"
			      "128K\0--ring-size\0"
			      "64KiB\0--no-header\0--verbose") },
		{ "help", ARGV("--help") },
		{ "version", ARGV("-V") },
		{ "unknown", ARGV("--no-such-flag") },
		{ "unknown-short", ARGV("-\x01") },
		{ "no-value", ARGV("--duration") },
		{ "value-not-taken", ARGV("--json=yes") },
		{ "bad-size", ARGV("--ring-size\0"
				   "3M") },
		{ "bad-seconds", ARGV("-d\0-1e999") },
		{ "stray", ARGV("--json\0stray\0--\0-d") },
		{ "filters", ARGV("-u\0root,1000\0-p\0"
				  "1\0-n\0bash\0--exe\0/usr/*/py*\0-l\0"
				  "--now\0--arg-regex\0^-[a-z]+$\0--failed\0--container\0abc") },
		{ "output", ARGV("-tq\0--max-args\0"
				 "3\0--fields\0time,pid,comm,argv,cgroup\0"
				 "--json-fields=pid,argv\0--color=never\0--summary\0"
				 "10") },
		{ "bad-fields", ARGV("--fields\0time,,nope") },
	};
	size_t i;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		write_seed("cli", seeds[i].name, seeds[i].bytes, seeds[i].n);
}

static void stats_seeds(void)
{
	struct {
		struct stats before, now;
		int64_t wall_ns;
		uint32_t max_argv_bytes;
		uint64_t ring_bytes;
		double seconds;
	} in;

	memset(&in, 0, sizeof(in));
	write_seed("stats", "zero", &in, sizeof(in));
	in.now.kernel[EW_CTR_EXEC_SEEN] = 3000;
	in.now.kernel[EW_CTR_EVENTS_SENT] = 2500;
	in.now.kernel[EW_CTR_RINGBUF_FULL] = 500;
	in.now.kernel[EW_CTR_STASH_FULL] = 2;
	in.now.received = 2500;
	in.wall_ns = 1764000000123456789LL;
	in.max_argv_bytes = 16384;
	in.ring_bytes = 8 << 20;
	in.seconds = 2.5;
	write_seed("stats", "loss", &in, sizeof(in));
}

/* Fields: options, --exe, --name, --arg, --arg-regex, --container, cgroup path, comm, filename, argv. */
static void filter_seeds(void)
{
	static const struct {
		const char *name;
		const char *bytes;
		size_t n;
	} seeds[] = {
		{ "exact", ARGV("\x18\0/usr/bin/ls\0ls\0-la\0\0\0/\0ls\0/usr/bin/ls\0ls\0-la\0") },
		{ "glob", ARGV("\x38\0/usr/*/py*\0py\0-c\0^-[a-z]+$\0\0/user.slice\0python3\0"
			       "/usr/bin/python3\0python3\0-c\0pass\0") },
		{ "prefix", ARGV("\x08\0/usr/\0\0\0\0\0\0sh\0/usr/bin/sh\0sh\0") },
		{ "docker",
		  ARGV("\x04\0\0\0\0\0"
		       "0123456789ab\0/system.slice/docker-"
		       "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope"
		       "\0runc\0/bin/sh\0sh\0") },
		{ "crio", ARGV("\x01\0\0\0\0\0\0/kubepods.slice/kubepods-burstable.slice/crio-"
			       "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210\0"
			       "conmon\0/x\0x\0") },
	};
	size_t i;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		write_seed("filter", seeds[i].name, seeds[i].bytes, seeds[i].n);
}

/* Execs: op (bit 0 failed, bits 1-3 repeat), parent comm[16], length, filename. */
static void summary_seeds(void)
{
	static const char few[] = "\x04"
				  "bash\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x0b/usr/bin/ls"
				  "\x01"
				  "make\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x07/bin/cc"
				  "\x02"
				  "\xff\x1b[31m\0\0\0\0\0\0\0\0\0\0\x06/t\xe2\x80\xae\n";

	write_seed("summary", "few", few, sizeof(few) - 1);
	write_seed("summary", "many", "\xff", 1);
}

/* Policy files (issue 6): the shapes the parser accepts and the errors it must report. */
static void policy_seeds(void)
{
	static const struct {
		const char *name;
		const char *text;
	} seeds[] = {
		{ "full", "version: 1\nrules:\n  - name: all\n    action: kill\n"
			  "    path: /usr/bin/nc\n    path_prefix: [/tmp/, /dev/shm/]\n"
			  "    inode: '8:1:1234'\n    fileless: true\n    uid: [1000]\n"
			  "    not_uid: 0\n    cgroup: /system.slice\n"
			  "    container: 0123456789abcdef\n    parent: /usr/bin/bash\n"
			  "    comm: nc\n    filename: '*.sh'\n    argv: --evil\n" },
		{ "flow", "rules: [{name: a, action: log, comm: [x, y]}, "
			  "{name: b, action: deny, uid: 0}]\n" },
		{ "anchors", "rules:\n  - &r {name: a, action: log, uid: &u [1, 2]}\n"
			     "  - {name: b, action: kill, uid: *u}\n" },
		{ "unknown-key", "rules:\n  - name: a\n    action: kill\n    pth: /x\n" },
		{ "bad-yaml", "rules: [\n  - name: 'a\n" },
		{ "two-docs", "rules: []\n---\nrules: []\n" },
		{ "text-keys", "rules:\n  - name: g\n    action: kill\n"
			       "    filename: ['*/ewkill-*', '/x/[!a-c]?[]z-]*\\\\*', '[a-']\n"
			       "    argv: ['*/ewkill-1', ab, '/x/q]z*']\n"
			       "  - {name: v, action: log, argv: [--evil, XYZZY]}\n" },
		{ "text-bad",
		  "rules:\n  - {name: g, action: kill, filename: ['a[b', '[[:alpha:]]', "
		  "'[a][a][a][a][a][a][a][a][a]']}\n" },
		{ "tags", "rules: !!seq\n  - !!map {name: !!str a, action: log, uid: !!int 5}\n" },
	};
	size_t i;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		write_seed("policy", seeds[i].name, seeds[i].text, strlen(seeds[i].text));
}

/* fuzz_syslog: 8 bytes of event time, then a URL, facility or host name. */
static void syslog_seeds(void)
{
	static const char *const texts[] = {
		"tcp://127.0.0.1:514",
		"udp://[::1]:6514",
		"unix:///dev/log",
		"authpriv",
		"local7",
		"web-1.example",
		"evil host\n<13>1 x",
		"tcp://h:65536",
	};
	char buf[64], name[16];
	int64_t ns = 1795568523456789123LL;
	size_t i, n;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		n = strlen(texts[i]);
		memcpy(buf, &ns, sizeof(ns));
		memcpy(buf + sizeof(ns), texts[i], n);
		snprintf(name, sizeof(name), "seed-%zu", i);
		write_seed("syslog", name, buf, sizeof(ns) + n);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	out_dir = argv[1];
	if (mkdir(out_dir, 0755) && errno != EEXIST) {
		perror(out_dir);
		return 1;
	}
	decode_seeds();
	string_seeds("escape");
	string_seeds("json");
	cli_seeds();
	policy_seeds();
	stats_seeds();
	filter_seeds();
	summary_seeds();
	syslog_seeds();
	return 0;
}
