/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The one record first.bpf.c writes into the ring buffer and first.c reads.
 * Both clang -target bpf and the host compiler see this header, so it uses
 * fixed-width kernel types only (no <stdint.h>: under -target bpf it drags in
 * glibc's gnu/stubs-32.h, which Debian does not ship), spells out its padding
 * and asserts its size: if the two compilers ever disagreed on the layout,
 * every field would be read from the wrong place without any error.
 */
#ifndef FIRST_H
#define FIRST_H

#include <linux/types.h>

/* Longer filenames are cut; filename_len says how many bytes were kept. */
#define FIRST_FILENAME_LEN 256

struct first_event {
	__u32 pid; /* thread group id: what user space calls the pid */
	__u32 uid;
	__u64 ts_ns; /* bpf_ktime_get_ns(): CLOCK_MONOTONIC, in ns */
	__s32 filename_len; /* bytes in filename without the NUL, or -errno */
	__u32 pad; /* explicit, always 0 */
	char filename[FIRST_FILENAME_LEN];
};

_Static_assert(sizeof(struct first_event) == 24 + FIRST_FILENAME_LEN,
	       "struct first_event must have the same layout for BPF and the host");

#endif /* FIRST_H */
