/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reading /proc/PID/stat. Its second field, the comm, may hold spaces and
 * ')' (a program can name itself anything), so the fields that follow are
 * found after the LAST ')' - the one mistake every naive parser makes.
 */
#ifndef EXECWATCH_PROCSTAT_H
#define EXECWATCH_PROCSTAT_H

#include <stdint.h>

/*
 * Field `field` (1-based, as in proc(5); 3 or more) of proc_root/pid/stat as
 * an unsigned number. Returns 0, or a negative errno (-EIO when malformed).
 */
int procstat_field(const char *proc_root, const char *pid, int field, uint64_t *value);

#endif /* EXECWATCH_PROCSTAT_H */
