/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Which capabilities the process holds: what loading BPF needs (loader.c)
 * and what --check reports (check.c) come from the same question.
 */
#ifndef EXECWATCH_CAPS_H
#define EXECWATCH_CAPS_H

#include <stdbool.h>

/* Is capability cap (CAP_BPF, CAP_SYS_ADMIN, ...) in the effective set? */
bool caps_effective(int cap);

#endif /* EXECWATCH_CAPS_H */
