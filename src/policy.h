/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The exec policy file (issue 6): a YAML document of named rules, parsed
 * with libyaml into plain structs. Pure: no kernel, no maps, no file system
 * beyond reading the file; policy_compile.h turns the rules into map
 * entries. Every error names the line and column of the node at fault and
 * the reason, and unknown keys are refused (a typo must never silently turn
 * a kill rule into one that matches everything).
 *
 *	rules:
 *	  - name: no-tmp
 *	    action: kill            # log | kill | deny
 *	    path_prefix: /tmp/      # each match key takes one value or a list
 *	    not_uid: 0
 *
 * Within one key the values are alternatives (any of them); different keys
 * must all match. path, path_prefix and inode all describe the executed file
 * and are alternatives to each other.
 */
#ifndef EXECWATCH_POLICY_H
#define EXECWATCH_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One bit per rule in the kernel's match masks (a __u64). */
#define POLICY_RULES_MAX 64
/* Values one key may list, after alias expansion. */
#define POLICY_VALUES_MAX 256
#define POLICY_NAME_MAX 63
/* Policy files are small; a bigger one is a mistake or an attack. */
#define POLICY_FILE_MAX_BYTES (1024 * 1024)

enum policy_action {
	POLICY_ACTION_NONE = 0,
	POLICY_ACTION_LOG = 1,
	POLICY_ACTION_KILL = 2,
	POLICY_ACTION_DENY = 3,
};

struct policy_strings {
	char **v;
	size_t n;
};

struct policy_u32s {
	uint32_t *v;
	size_t n;
};

/* An inode given as "MAJOR:MINOR:INODE" (stat's st_dev split, and st_ino). */
struct policy_inode {
	uint32_t major;
	uint32_t minor;
	uint64_t ino;
};

struct policy_rule {
	char *name;
	enum policy_action action;
	unsigned int line; /* where the rule starts, for messages */
	struct policy_strings path; /* exact executed file (also by identity) */
	struct policy_strings path_prefix;
	struct policy_inode *inode;
	size_t nr_inode;
	struct policy_strings filename; /* glob on the requested filename */
	int fileless; /* -1: not given, else 0 or 1 */
	struct policy_u32s uid;
	struct policy_u32s not_uid;
	struct policy_strings cgroup; /* cgroup v2 path, this cgroup and below */
	struct policy_strings container; /* container id (prefix of the 64 hex digits) */
	struct policy_strings parent; /* parent's executable */
	struct policy_strings comm;
	struct policy_strings argv; /* substring of any argument */
};

struct policy {
	struct policy_rule *rules;
	size_t nr_rules;
};

/* Parse text (len bytes). On error returns -EINVAL and fills err: "LINE:COL: reason". */
int policy_parse(const char *text, size_t len, struct policy *out, char *err, size_t err_len);
/* The same from a file; err then starts with the file name. */
int policy_parse_file(const char *path, struct policy *out, char *err, size_t err_len);
void policy_free(struct policy *policy);

const char *policy_action_name(enum policy_action action);
bool policy_has_action(const struct policy *policy, enum policy_action action);

#endif /* EXECWATCH_POLICY_H */
