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

int procstat_parse(const char *text, const int *fields, uint64_t *values, size_t n)
{
	const char *after = strrchr(text, ')');
	size_t i;

	if (!after)
		return -EIO;
	for (i = 0; i < n; i++) {
		const char *p = after;
		unsigned long long number;
		int at;

		if (fields[i] < 3)
			return -EIO;
		/* After ')' come fields 3, 4, ...: p moves to the space before the field. */
		for (at = 2; at < fields[i] && p; at++)
			p = strchr(p + 1, ' ');
		if (!p || sscanf(p + 1, "%llu", &number) != 1)
			return -EIO;
		values[i] = number;
	}
	return 0;
}

int procstat_parse_state(const char *text, char *state)
{
	const char *after = strrchr(text, ')');

	if (!after || after[1] != ' ' || !after[2] || after[2] == ' ' || after[2] == '\n')
		return -EIO;
	*state = after[2];
	return 0;
}

/* The whole stat line into buf, NUL-terminated, in one read. */
static int read_stat(const char *proc_root, const char *pid, char *buf, size_t size)
{
	char path[512];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/stat", proc_root, pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* One read: the kernel builds the whole line at once (do_task_stat()). */
	len = read(fd, buf, size - 1);
	close(fd);
	if (len <= 0)
		return -EIO;
	buf[len] = '\0';
	return 0;
}

int procstat_fields(const char *proc_root, const char *pid, const int *fields, uint64_t *values,
		    size_t n)
{
	char buf[1024];
	int err = read_stat(proc_root, pid, buf, sizeof(buf));

	return err ? err : procstat_parse(buf, fields, values, n);
}

int procstat_sample(const char *proc_root, const char *pid, char *state, const int *fields,
		    uint64_t *values, size_t n)
{
	char buf[1024];
	int err = read_stat(proc_root, pid, buf, sizeof(buf));

	if (!err)
		err = procstat_parse_state(buf, state);
	return err ? err : procstat_parse(buf, fields, values, n);
}

int procstat_field(const char *proc_root, const char *pid, int field, uint64_t *value)
{
	return procstat_fields(proc_root, pid, &field, value, 1);
}
