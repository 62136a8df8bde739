/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reading /proc/PID/stat. Its second field, the comm, may hold spaces and
 * ')' (a program can name itself anything), so the fields that follow are
 * found after the LAST ')' - the one mistake every naive parser makes.
 */
#ifndef EXECWATCH_PROCSTAT_H
#define EXECWATCH_PROCSTAT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Field `field` (1-based, as in proc(5); 3 or more) of proc_root/pid/stat as
 * an unsigned number. Returns 0, or a negative errno (-EIO when malformed).
 */
int procstat_field(const char *proc_root, const char *pid, int field, uint64_t *value);

/*
 * Fields fields[0..n) into values[0..n), from one read of the file: two
 * reads could see two different processes when the pid is reused between
 * them. 0, or a negative errno (-EIO when malformed); values then unset.
 */
int procstat_fields(const char *proc_root, const char *pid, const int *fields, uint64_t *values,
		    size_t n);

/* The same, parsing text (the file's content, NUL-terminated). */
int procstat_parse(const char *text, const int *fields, uint64_t *values, size_t n);

/* Field 3, the state letter ('R', 'S', 'Z' for a zombie, ...), of text. 0 or -EIO. */
int procstat_parse_state(const char *text, char *state);

/* The state letter and fields[0..n), from one read of proc_root/pid/stat. */
int procstat_sample(const char *proc_root, const char *pid, char *state, const int *fields,
		    uint64_t *values, size_t n);

#endif /* EXECWATCH_PROCSTAT_H */
