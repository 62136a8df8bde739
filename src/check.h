/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * execwatch --check: probe what this kernel and these privileges allow (by
 * really creating maps and loading tiny programs, not by guessing from the
 * version) and say, for each feature, what execwatch will do about it.
 */
#ifndef EXECWATCH_CHECK_H
#define EXECWATCH_CHECK_H

#include <stdio.h>

/* Print the report on out. Returns 0 when execwatch can run here, else 1. */
int check_run(FILE *out);

#endif /* EXECWATCH_CHECK_H */
