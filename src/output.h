/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Record formatters: text columns for people, JSON Lines for pipelines.
 * Both append to an outbuf; neither writes, so both are unit-tested against
 * exact expected bytes.
 */
#ifndef EXECWATCH_OUTPUT_H
#define EXECWATCH_OUTPUT_H

#include "decode.h"
#include "outbuf.h"
#include "output_options.h"
#include "stats.h"
#include "timefmt.h"

/* JSON schema version, documented in docs/json-schema.md. */
#define OUTPUT_JSON_SCHEMA_VERSION 1

/* opts may be NULL: the default columns and formats. */
void output_text_header(struct outbuf *ob, const struct output_options *opts);
void output_text_exec(struct outbuf *ob, struct timefmt *tf, const struct exec_view *view,
		      const struct output_options *opts);
/* An exit record; exe is the program from the process table, or NULL. */
void output_text_exit(struct outbuf *ob, struct timefmt *tf, const struct ew_exit *x,
		      const char *exe, const struct output_options *opts);
void output_json_exit(struct outbuf *ob, struct timefmt *tf, const struct ew_exit *x,
		      const char *exe, const struct output_options *opts);
/* "12345:6789012345": pid and start time, unique across pid reuse. */
void output_put_process_id(struct outbuf *ob, uint32_t pid, uint64_t start_ns);

/* One human sentence about loss since the last report (for stderr). */
void output_text_lost(struct outbuf *ob, const struct stats *before, const struct stats *now);
/* The summary printed at exit (for stderr). */
void output_text_summary(struct outbuf *ob, const struct stats *s, double seconds);

/* host_mnt_ns: PID 1's mount namespace inode, 0 when unknown (then not written). */
void output_json_start(struct outbuf *ob, struct timefmt *tf, int64_t wall_ns, const char *version,
		       uint32_t max_argv_bytes, uint64_t ring_bytes, uint64_t host_mnt_ns);
void output_json_exec(struct outbuf *ob, struct timefmt *tf, const struct exec_view *view,
		      const struct output_options *opts);
/* {"type":"lost",...}: counts that grew since the last report. */
void output_json_lost(struct outbuf *ob, struct timefmt *tf, int64_t wall_ns,
		      const struct stats *before, const struct stats *now);
/* {"type":"stats",...}: totals; final marks the record written at exit. */
void output_json_stats(struct outbuf *ob, struct timefmt *tf, int64_t wall_ns,
		       const struct stats *s, bool final);

#endif /* EXECWATCH_OUTPUT_H */
