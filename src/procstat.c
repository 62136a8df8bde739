// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * /proc/PID/stat fields, parsed after the comm; see procstat.h.
 */
#include "procstat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int procstat_field(const char *proc_root, const char *pid, int field, uint64_t *value)
{
	char path[512], buf[1024];
	unsigned long long number;
	char *p;
	ssize_t n;
	int fd, at;

	snprintf(path, sizeof(path), "%s/%s/stat", proc_root, pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || field < 3)
		return -EIO;
	/* After ')' come fields 3, 4, ...: p moves to the space before `field`. */
	for (at = 2; at < field && p; at++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &number) != 1)
		return -EIO;
	*value = number;
	return 0;
}
