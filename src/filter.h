/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Which execs to report. Cheap filters that the kernel can decide (uid,
 * process subtree, cgroup, self-exclusion) are applied there by the BPF
 * programs, so a filtered-out exec costs no ring space and no user-space CPU;
 * the rest (command name, executable path, arguments, result, container) are
 * decided here, on the decoded record. filter_match() also re-checks the uid,
 * so every filter is unit-testable and the two layers agree.
 */
#ifndef EXECWATCH_FILTER_H
#define EXECWATCH_FILTER_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

#define FILTER_MAX_UIDS 64

enum filter_result {
	FILTER_RESULT_ANY = 0,
	FILTER_RESULT_FAILED, /* --failed: only execs that returned an error */
	FILTER_RESULT_SUCCEEDED, /* --succeeded */
};

struct filter_config {
	uint32_t uids[FILTER_MAX_UIDS]; /* -u: report these uids only */
	size_t nr_uids;
	int32_t pid; /* -p: this process and its descendants; 0 = off */
	const char *cgroup_path; /* -c: this cgroup (v2 path) and below */
	const char *container; /* --container: container id or a prefix of it */
	const char *name; /* -n: comm contains this */
	const char *exe; /* --exe: exact path, "dir/" prefix, or glob */
	const char *arg; /* -l/--arg: some argument contains this */
	const char *arg_regex; /* --arg-regex: some argument matches (POSIX ERE) */
	enum filter_result result;
};

struct filter {
	const struct filter_config *cfg;
	regex_t arg_re;
	bool has_arg_re;
};

/* Compile what needs compiling; on error fills msg and returns -EINVAL. */
int filter_init(struct filter *f, const struct filter_config *cfg, char *msg, size_t msg_len);
void filter_free(struct filter *f);

/* Does the exec pass every user-space filter? */
bool filter_match(const struct filter *f, const struct exec_view *view);

/*
 * Does a process's exit pass? exe is the program the process table knows it
 * ran, or NULL. The table remembers only processes whose exec passed, so
 * with an exe the exec-only filters (arguments, result, container) were
 * decided then; --exe is checked against it again, --name against the exit's
 * comm, the uids as the kernel did. A process never seen exec (it ran before
 * execwatch started) passes only when no exec-only filter is set.
 */
bool filter_match_exit(const struct filter *f, const struct ew_exit *x, const char *exe);

/* --exe semantics, exposed for tests: exact, prefix ("/usr/bin/"), or glob. */
bool filter_path_matches(const char *pattern, const char *path, size_t path_len);

/* Parse a user name or a number into a uid; -EINVAL if neither. */
int filter_parse_uid(const char *text, uint32_t *uid);

#endif /* EXECWATCH_FILTER_H */
