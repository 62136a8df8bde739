/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Event time stamps: the kernel records CLOCK_BOOTTIME (bpf_ktime_get_boot_ns,
 * which keeps counting through suspend); user space converts to wall-clock
 * time with an offset sampled from both clocks. The offset is refreshed on
 * every reader tick, so a clock step (NTP, settimeofday) shows up within one
 * tick rather than skewing every later record.
 */
#ifndef EXECWATCH_TIMEFMT_H
#define EXECWATCH_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#include "outbuf.h"

struct timefmt {
	int64_t realtime_minus_boot_ns;
	/* Cache: the broken-down second last formatted, per style. */
	int64_t cached_utc_sec;
	char cached_utc[32];
	size_t cached_utc_len;
	int64_t cached_local_sec;
	char cached_local[16];
	size_t cached_local_len;
};

void timefmt_init(struct timefmt *tf, int64_t realtime_minus_boot_ns);
/* CLOCK_BOOTTIME now, in ns: the records' time base, for comparing with their stamps. */
int64_t timefmt_boot_now_ns(void);
/* Sample CLOCK_REALTIME - CLOCK_BOOTTIME now. */
int64_t timefmt_sample_offset(void);

int64_t timefmt_wall_ns(const struct timefmt *tf, uint64_t boot_ns);
/* RFC 3339, UTC, nanoseconds: 2026-11-24T21:50:13.123456789Z */
void timefmt_put_rfc3339(struct timefmt *tf, struct outbuf *ob, int64_t wall_ns);
/* Local wall clock for text columns: 21:50:13.123 */
void timefmt_put_clock(struct timefmt *tf, struct outbuf *ob, int64_t wall_ns);

#endif /* EXECWATCH_TIMEFMT_H */
