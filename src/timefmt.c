// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Boot-time to wall-clock conversion and time stamp formatting, with the
 * broken-down second cached: gmtime_r/localtime_r per event would cost more
 * than the rest of the JSON formatting together.
 */
#include "timefmt.h"

#include <string.h>
#include <time.h>

#define NSEC_PER_SEC 1000000000LL

void timefmt_init(struct timefmt *tf, int64_t realtime_minus_boot_ns)
{
	memset(tf, 0, sizeof(*tf));
	tf->realtime_minus_boot_ns = realtime_minus_boot_ns;
	tf->cached_utc_sec = INT64_MIN;
	tf->cached_local_sec = INT64_MIN;
}

int64_t timefmt_boot_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

int64_t timefmt_sample_offset(void)
{
	struct timespec boot1, real, boot2;
	int64_t boot_ns;

	/* Bracket the realtime read with two boottime reads and average them. */
	clock_gettime(CLOCK_BOOTTIME, &boot1);
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot2);
	boot_ns = (boot1.tv_sec * NSEC_PER_SEC + boot1.tv_nsec) / 2 +
		  (boot2.tv_sec * NSEC_PER_SEC + boot2.tv_nsec) / 2;
	return real.tv_sec * NSEC_PER_SEC + real.tv_nsec - boot_ns;
}

int64_t timefmt_wall_ns(const struct timefmt *tf, uint64_t boot_ns)
{
	int64_t wall_ns;

	/* A corrupt time stamp must not overflow: saturate instead. */
	if (boot_ns > INT64_MAX ||
	    __builtin_add_overflow((int64_t)boot_ns, tf->realtime_minus_boot_ns, &wall_ns))
		return INT64_MAX;
	return wall_ns;
}

/* Floor division: times before 1970 must not round toward zero. */
static void split_ns(int64_t wall_ns, int64_t *sec, int64_t *nsec)
{
	*sec = wall_ns / NSEC_PER_SEC;
	*nsec = wall_ns % NSEC_PER_SEC;
	if (*nsec < 0) {
		*nsec += NSEC_PER_SEC;
		*sec -= 1;
	}
}

void timefmt_put_rfc3339(struct timefmt *tf, struct outbuf *ob, int64_t wall_ns)
{
	int64_t sec, nsec;

	split_ns(wall_ns, &sec, &nsec);
	if (sec != tf->cached_utc_sec) {
		time_t t = (time_t)sec;
		struct tm tm;

		if (!gmtime_r(&t, &tm))
			memset(&tm, 0, sizeof(tm));
		/* 0 (did not fit) cannot happen for years that fit in the buffer. */
		tf->cached_utc_len =
			strftime(tf->cached_utc, sizeof(tf->cached_utc), "%Y-%m-%dT%H:%M:%S", &tm);
		tf->cached_utc_sec = sec;
	}
	/* "%s.%09lldZ" without printf: this runs for every record. */
	outbuf_putc(ob, '"');
	outbuf_put(ob, tf->cached_utc, tf->cached_utc_len);
	outbuf_putc(ob, '.');
	outbuf_put_u64_zpad(ob, (uint64_t)nsec, 9);
	outbuf_put(ob, "Z\"", 2);
}

void timefmt_put_clock(struct timefmt *tf, struct outbuf *ob, int64_t wall_ns)
{
	int64_t sec, nsec;

	split_ns(wall_ns, &sec, &nsec);
	if (sec != tf->cached_local_sec) {
		time_t t = (time_t)sec;
		struct tm tm;

		if (!localtime_r(&t, &tm))
			memset(&tm, 0, sizeof(tm));
		tf->cached_local_len =
			strftime(tf->cached_local, sizeof(tf->cached_local), "%H:%M:%S", &tm);
		tf->cached_local_sec = sec;
	}
	outbuf_put(ob, tf->cached_local, tf->cached_local_len);
	outbuf_putc(ob, '.');
	outbuf_put_u64_zpad(ob, (uint64_t)(nsec / 1000000), 3);
}
