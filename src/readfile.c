// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Small files read whole (see readfile.h).
 */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
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
