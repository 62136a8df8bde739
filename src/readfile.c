// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Small files read whole (see readfile.h).
 */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* read(2) until count bytes or EOF; EINTR retried. Bytes read, or a negative errno. */
static ssize_t read_full(int fd, char *buf, size_t count)
{
	size_t got = 0;

	while (got < count) {
		ssize_t n = read(fd, buf + got, count - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int readfile_first_line(const char *path, char *buf, size_t len)
{
	int fd, err;
	ssize_t n;

	if (!len)
		return -EINVAL;
	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read_full(fd, buf, len - 1);
	err = n < 0 ? (int)n : 0;
	close(fd);
	if (err) {
		buf[0] = '\0';
		return err;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/*
 * Read fd to EOF into *buf (cap bytes of room plus one for the NUL), growing
 * it up to max_bytes + 1 bytes of room: one byte past the bound proves the
 * file is too large without reading all of it.
 */
static int read_to_eof(int fd, size_t max_bytes, char **buf, size_t cap, size_t *len)
{
	for (;;) {
		size_t want = cap - *len;
		ssize_t n = read_full(fd, *buf + *len, want);
		char *grown;

		if (n < 0)
			return (int)n;
		*len += (size_t)n;
		if ((size_t)n < want) /* read_full() stops short only at EOF */
			return 0;
		if (*len > max_bytes)
			return -EFBIG;
		cap = cap > max_bytes / 2 ? max_bytes + 1 : cap * 2;
		grown = realloc(*buf, cap + 1);
		if (!grown)
			return -ENOMEM;
		*buf = grown;
	}
}

int readfile_small(const char *path, size_t max_bytes, char **text, size_t *len)
{
	struct stat st;
	size_t cap;
	int fd, err;

	*text = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
	} else if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
	} else if ((unsigned long long)st.st_size > max_bytes) {
		err = -EFBIG;
	} else {
		/* Room for what fstat saw and one byte more, so EOF shows in one pass. */
		cap = (size_t)st.st_size + 1;
		*text = malloc(cap + 1);
		err = *text ? read_to_eof(fd, max_bytes, text, cap, len) : -ENOMEM;
	}
	close(fd);
	if (err) {
		free(*text);
		*text = NULL;
		*len = 0;
		return err;
	}
	(*text)[*len] = '\0';
	return 0;
}
