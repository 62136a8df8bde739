/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * How records are shown: which text columns (--fields) and JSON members
 * (--json-fields), the time format (-T clock, -t seconds since start), shell
 * quoting (--quote), colour, and how many arguments (--max-args). Parsing is
 * pure and unit-tested; the formatters read the result.
 */
#ifndef EXECWATCH_OUTPUT_OPTIONS_H
#define EXECWATCH_OUTPUT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum text_field {
	TF_TIME,
	TF_PID,
	TF_PPID,
	TF_UID,
	TF_RET,
	TF_COMM,
	TF_FILE,
	TF_ARGV,
	TF_TID,
	TF_EUID,
	TF_GID,
	TF_PCOMM,
	TF_CGROUP,
	TF_CONTAINER,
	TF_EXE, /* the file the kernel executed (issue 3) */
	TF_CWD,
	TF_NR,
};

enum json_field {
	JF_TIME,
	JF_PID,
	JF_TID,
	JF_PPID,
	JF_UID,
	JF_EUID,
	JF_GID,
	JF_COMM,
	JF_PARENT_COMM,
	JF_FILENAME,
	JF_ARGV,
	JF_ARGC,
	JF_ARGV_TRUNCATED,
	JF_ARGV_BYTES,
	JF_ARGV_TRUE_BYTES,
	JF_RET, /* also error, syscall, dirfd */
	JF_CGROUP_ID,
	JF_CGROUP,
	JF_CONTAINER_ID,
	JF_CREDS, /* suid, fsuid, egid, sgid, fsgid, auid, sessionid */
	JF_PRIVILEGE, /* privilege_change, caller_euid, caller_egid */
	JF_NAMESPACES, /* pid_ns, mnt_ns, net_ns, user_ns, ns_pid */
	JF_TTY,
	JF_COMM_BEFORE,
	JF_EXE, /* exe, its flags, identity, interp, chroot view (issue 3) */
	JF_CWD, /* cwd and its flags */
	JF_NR,
};

enum time_mode {
	TIME_CLOCK = 0, /* local HH:MM:SS.mmm (-T) */
	TIME_SINCE_START, /* seconds since execwatch started (-t) */
};

enum color_mode {
	COLOR_AUTO = 0, /* when stdout is a terminal and NO_COLOR is unset */
	COLOR_ALWAYS,
	COLOR_NEVER,
};

#define OUTPUT_JSON_ALL_FIELDS ((1u << JF_NR) - 1)

struct output_options {
	enum text_field text_fields[TF_NR];
	size_t nr_text_fields;
	uint32_t json_fields; /* bit (1 << JF_x) set: member written */
	enum time_mode time_mode;
	enum color_mode color_mode;
	bool color; /* resolved from color_mode at start-up */
	bool quote; /* shell-ready arguments */
	uint32_t max_args; /* 0: every captured argument */
	size_t file_width; /* FILE column, sized to the terminal at start-up */
	int64_t start_boot_ns; /* for TIME_SINCE_START */
	/*
	 * The host's mount namespace (PID 1's, /proc/1/ns/mnt), 0 when
	 * unknown: an exec in another one sees exe and cwd from that
	 * namespace's root (a container's view), and is marked so.
	 */
	uint64_t host_mnt_ns;
};

void output_options_default(struct output_options *o);

/* "time,pid,comm,argv": returns 0, or -EINVAL with msg naming the bad name. */
int output_parse_text_fields(struct output_options *o, const char *list, char *msg, size_t msg_len);
int output_parse_json_fields(struct output_options *o, const char *list, char *msg, size_t msg_len);

const char *output_text_field_name(enum text_field field);
const char *output_json_field_name(enum json_field field);

/* FILE column width for a terminal of `columns` (0: not a terminal). */
size_t output_file_width(unsigned int columns);

#endif /* EXECWATCH_OUTPUT_OPTIONS_H */
