// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Size-class free lists of string buffers; see bufpool.h.
 *
 * Each buffer carries a small header in front of the bytes handed out: its
 * size class, so that bufpool__put() needs nothing but the pointer (a caller
 * cannot give a buffer back to the wrong class). The header is 16 bytes to
 * keep the bytes at malloc's alignment.
 */
#include "bufpool.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define BUFPOOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BUFPOOL_ASAN 1
#endif
#endif

#ifdef BUFPOOL_ASAN
#include <sanitizer/asan_interface.h>
#define poison(addr, size) ASAN_POISON_MEMORY_REGION(addr, size)
#define unpoison(addr, size) ASAN_UNPOISON_MEMORY_REGION(addr, size)
#else
#define poison(addr, size) ((void)(addr), (void)(size))
#define unpoison(addr, size) ((void)(addr), (void)(size))
#endif

#define BUFPOOL_HEADER_BYTES 16
#define BUFPOOL_MIN_BYTES 32
/* The class of copies too large for any class: allocated and freed each time. */
#define BUFPOOL_UNPOOLED BUFPOOL_CLASSES

static size_t class_bytes(unsigned int class)
{
	return (size_t)BUFPOOL_MIN_BYTES << class;
}

/* The smallest class that holds size bytes, or BUFPOOL_UNPOOLED. */
static unsigned int class_of(size_t size)
{
	unsigned int class = 0;

	while (class < BUFPOOL_CLASSES && class_bytes(class) < size)
		class ++;
	return class;
}

/* At most BUFPOOL_CLASS_BYTES of free buffers per class, but always a few. */
static uint32_t class_limit(unsigned int class)
{
	size_t limit = BUFPOOL_CLASS_BYTES / class_bytes(class);

	return limit < 4 ? 4 : (uint32_t)limit;
}

static unsigned char *header_of(char *buf)
{
	return (unsigned char *)buf - BUFPOOL_HEADER_BYTES;
}

char *bufpool__dup(struct bufpool *pool, const char *bytes, size_t len)
{
	unsigned int class;
	unsigned char *base;
	char *buf;

	if (!bytes || len >= SIZE_MAX - BUFPOOL_HEADER_BYTES)
		return NULL;
	class = class_of(len + 1);
	if (class < BUFPOOL_CLASSES && pool->free[class]) {
		buf = pool->free[class];
		unpoison(buf, class_bytes(class));
		memcpy(&pool->free[class], buf, sizeof(void *));
		pool->nr_free[class]--;
	} else {
		size_t size = class < BUFPOOL_CLASSES ? class_bytes(class) : len + 1;

		base = malloc(BUFPOOL_HEADER_BYTES + size);
		if (!base)
			return NULL;
		pool->allocations++;
		base[0] = (unsigned char)class;
		buf = (char *)base + BUFPOOL_HEADER_BYTES;
	}
	memcpy(buf, bytes, len);
	buf[len] = '\0';
	return buf;
}

void bufpool__put(struct bufpool *pool, char *buf)
{
	unsigned int class;

	if (!buf)
		return;
	class = header_of(buf)[0];
	if (class >= BUFPOOL_CLASSES || pool->nr_free[class] >= class_limit(class)) {
		free(header_of(buf));
		return;
	}
	memcpy(buf, &pool->free[class], sizeof(void *));
	pool->free[class] = buf;
	pool->nr_free[class]++;
	poison(buf, class_bytes(class));
}

void bufpool__clear(struct bufpool *pool)
{
	unsigned int class;

	for (class = 0; class < BUFPOOL_CLASSES; class ++) {
		while (pool->free[class]) {
			char *buf = pool->free[class];

			unpoison(buf, class_bytes(class));
			memcpy(&pool->free[class], buf, sizeof(void *));
			free(header_of(buf));
		}
		pool->nr_free[class] = 0;
	}
}
