/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * --summary: "what keeps spawning processes?" Counts execs per program (the
 * requested filename) over an interval, with failures and the parent
 * commands that started them, and prints the busiest as a table (text) or a
 * {"type":"summary"} record (JSON). Memory is bounded: past
 * SUMMARY_MAX_PROGRAMS distinct programs, the rest are counted together.
 */
#ifndef EXECWATCH_SUMMARY_H
#define EXECWATCH_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "outbuf.h"
#include "timefmt.h"

#define SUMMARY_MAX_PROGRAMS 4096
#define SUMMARY_PARENTS 4 /* distinct parent commands kept per program */
#define SUMMARY_TOP 15 /* rows printed */

struct summary_parent {
	char comm[EW_COMM_LEN];
	uint64_t count;
};

struct summary_program {
	char *filename; /* raw bytes, NUL-terminated (a kernel path holds no NUL) */
	size_t filename_len;
	uint64_t count;
	uint64_t failed;
	struct summary_parent parents[SUMMARY_PARENTS];
	uint64_t other_parents;
};

struct summary {
	struct summary_program *programs; /* open addressing, SUMMARY_MAX_PROGRAMS * 2 slots */
	size_t nr_programs;
	uint64_t execs;
	uint64_t failed;
	uint64_t other_programs; /* execs of programs past the bound */
	int64_t since_boot_ns; /* start of the interval */
};

int summary_init(struct summary *s, int64_t now_boot_ns);
void summary_free(struct summary *s);
/* Forget the counts; the next interval starts at now_boot_ns. */
void summary_reset(struct summary *s, int64_t now_boot_ns);
void summary_add(struct summary *s, const struct exec_view *view);

void summary_print_text(const struct summary *s, struct outbuf *ob, struct timefmt *tf,
			int64_t now_boot_ns, bool final);
void summary_print_json(const struct summary *s, struct outbuf *ob, struct timefmt *tf,
			int64_t now_boot_ns, bool final);

#endif /* EXECWATCH_SUMMARY_H */
