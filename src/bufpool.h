/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Recycled string buffers, so that the reader allocates nothing per event
 * once it runs: the process table copies each exec's executable and argv and
 * releases them at the process's exit, and the next exec takes the buffers
 * the last exit gave back instead of calling malloc() and free() twice per
 * exec. Buffers come in power-of-two size classes (32 B to 16 KiB); each
 * class keeps at most BUFPOOL_CLASS_BYTES of free buffers, the rest go back
 * to malloc, so the pool's memory is bounded whatever the burst. Larger
 * copies are plain allocations. Under AddressSanitizer a free buffer is
 * poisoned, so a use after bufpool__put() is reported as with free().
 */
#ifndef EXECWATCH_BUFPOOL_H
#define EXECWATCH_BUFPOOL_H

#include <stddef.h>
#include <stdint.h>

#define BUFPOOL_CLASSES 10 /* 32 B << 0 .. 32 B << 9 (16 KiB) */
#define BUFPOOL_CLASS_BYTES (64 * 1024)

struct bufpool {
	void *free[BUFPOOL_CLASSES]; /* singly linked through each buffer's first bytes */
	uint32_t nr_free[BUFPOOL_CLASSES];
	uint64_t allocations; /* malloc() calls made, for tests and statistics */
};

/*
 * A NUL-terminated copy of len bytes (which may hold NULs), or NULL when bytes
 * is NULL or memory is out. The copy belongs to the pool: give it back with
 * bufpool__put(), never free().
 */
char *bufpool__dup(struct bufpool *pool, const char *bytes, size_t len);
/* Give a copy back (NULL is ignored). */
void bufpool__put(struct bufpool *pool, char *buf);
/* Free every buffer the pool holds (the copies given out stay the caller's to put). */
void bufpool__clear(struct bufpool *pool);

#endif /* EXECWATCH_BUFPOOL_H */
