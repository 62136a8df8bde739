// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The file sink. See sink_file.h for the contract.
 *
 * Symlink and hard-link tricks: whoever can write the log directory could
 * plant FILE as a link to /etc/shadow and let root append to it. We create
 * with O_CREAT|O_EXCL (which fails on any existing name, a dangling symlink
 * included), open an existing file with O_NOFOLLOW (ELOOP on a symlink), and
 * refuse anything that is not a regular file with a single link.
 *
 * Crash safety. Each batch is one write(2) of whole lines. A full disk or a
 * size limit is handled by outbuf (cut back to the last complete line). A
 * SIGKILL can still stop a write(2) at a page boundary: the kernel checks
 * fatal_signal_pending() between pages in generic_perform_write(). Nothing
 * in user space can close that window, so at open an incomplete last line
 * left by such a crash is cut off (and reported), and the file goes on with
 * whole lines.
 */
#include "sink_file.h"
#include "escape.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REPAIR_BLOCK_BYTES 4096

int sink_file_rotated_name(char *buf, size_t len, const char *path, unsigned int n)
{
	int w = snprintf(buf, len, "%s.%u", path, n);

	return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
}

size_t sink_file_chunk(const char *data, size_t len, uint64_t size, uint64_t limit)
{
	uint64_t room = size < limit ? limit - size : 0;
	size_t end = len < room ? len : (size_t)room;
	size_t first;

	while (end > 0 && data[end - 1] != '\n')
		end--;
	if (end || size)
		return end;
	/* An empty file and a first line longer than the limit: it goes alone. */
	for (first = 0; first < len && data[first] != '\n'; first++)
		;
	return first < len ? first + 1 : 0;
}

/*
 * Cut an incomplete last line (a write stopped by SIGKILL) back to the last
 * '\n'. Returns the number of bytes cut, or a negative errno.
 */
static off_t repair_tail(int fd, off_t size)
{
	char block[REPAIR_BLOCK_BYTES];
	off_t start, end = size, keep = 0;

	while (end > 0) {
		size_t i, n = end < (off_t)sizeof(block) ? (size_t)end : sizeof(block);

		start = end - (off_t)n;
		errno = 0;
		if (pread(fd, block, n, start) != (ssize_t)n)
			return errno ? -errno : -EIO;
		for (i = n; i > 0 && block[i - 1] != '\n'; i--)
			;
		if (i) {
			keep = start + (off_t)i;
			break;
		}
		end = start;
	}
	if (keep == size)
		return 0;
	if (ftruncate(fd, keep))
		return -errno;
	return size - keep;
}

/*
 * What to do about a file that cannot be opened for writing, as the end of
 * the sentence. Root ignores mode bits (CAP_DAC_OVERRIDE), but the service
 * runs without that capability, so a mode without write permission matters
 * there; an immutable file or a read-only mount stops root as well.
 */
static const char *open_hint(int err)
{
	switch (err) {
	case -EROFS:
		return " (the file system is mounted read-only: choose a file on a writable one)";
	case -EPERM:
		return " (an immutable file? lsattr shows an 'i'; chattr -i clears it)";
	case -EACCES:
		return " (execwatch may not write it: check the mode and owner of the file and "
		       "its directory)";
	case -ELOOP:
		return " (a symbolic link: give the real path)";
	}
	return "";
}

static int open_file(struct sink_file *sf, char *msg, size_t msg_len)
{
	/* O_RDWR, not O_WRONLY: the repair reads the last line. */
	int flags = O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
	const char *what = "open";
	struct stat st;
	int fd, err;
	off_t cut;

	fd = open(sf->path, flags | O_CREAT | O_EXCL, sf->mode);
	if (fd >= 0) {
		/* The umask must not widen or narrow what was asked for. */
		if (fchmod(fd, sf->mode)) {
			what = "set the mode of";
			goto fail;
		}
	} else if (errno == EEXIST) {
		fd = open(sf->path, flags);
	}
	if (fd < 0) {
		err = errno == ELOOP ? -ELOOP : -errno;
		snprintf(msg, msg_len, "cannot open --output '%s' for writing: %s%s",
			 ESCAPED(sf->path), strerror(-err), open_hint(err));
		return err;
	}
	if (fstat(fd, &st)) {
		what = "stat";
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_nlink != 1) {
		close(fd);
		snprintf(msg, msg_len,
			 "--output '%s' is not a regular file with a single link: refused, "
			 "so execwatch never appends to something it was tricked into",
			 ESCAPED(sf->path));
		return -EINVAL;
	}
	cut = repair_tail(fd, st.st_size);
	if (cut < 0) {
		errno = (int)-cut;
		what = "repair the last line of";
		goto fail;
	}
	sf->fd = fd;
	sf->repaired_bytes += (uint64_t)cut;
	sf->size = (uint64_t)(st.st_size - cut);
	return 0;
fail:
	err = -errno;
	close(fd);
	snprintf(msg, msg_len, "cannot %s --output '%s': %s", what, ESCAPED(sf->path),
		 strerror(-err));
	return err;
}

int sink_file__open(struct sink_file *sf, const char *path, mode_t mode, uint64_t rotate_bytes,
		    unsigned int rotate_keep, char *msg, size_t msg_len)
{
	memset(sf, 0, sizeof(*sf));
	sf->fd = -1;
	sf->path = path;
	sf->mode = mode;
	sf->rotate_bytes = rotate_bytes;
	sf->rotate_keep = rotate_keep ? rotate_keep : SINK_FILE_DEFAULT_KEEP;
	return open_file(sf, msg, msg_len);
}

int sink_file__reopen(struct sink_file *sf, char *msg, size_t msg_len)
{
	int old = sf->fd, err;

	/* open_file() sets sf->fd only when it succeeds. */
	err = open_file(sf, msg, msg_len);
	if (err)
		return err; /* keep writing to the old file: better than nowhere */
	if (old >= 0)
		close(old);
	return 0;
}

/* FILE.keep-1 -> FILE.keep, ..., FILE -> FILE.1, then a new FILE. */
static int rotate(struct sink_file *sf)
{
	char from[4096], to[4096], msg[256];
	unsigned int i;
	int err;

	for (i = sf->rotate_keep; i > 0; i--) {
		if (sink_file_rotated_name(to, sizeof(to), sf->path, i))
			return -ENAMETOOLONG;
		if (i == 1)
			snprintf(from, sizeof(from), "%s", sf->path);
		else if (sink_file_rotated_name(from, sizeof(from), sf->path, i - 1))
			return -ENAMETOOLONG;
		/* rename() replaces FILE.keep and never follows a symlink. */
		if (rename(from, to) && errno != ENOENT)
			return -errno;
	}
	err = sink_file__reopen(sf, msg, sizeof(msg));
	if (err)
		return err;
	sf->rotations++;
	return 0;
}

int sink_file__flush(struct sink_file *sf, struct outbuf *ob)
{
	int err;

	if (ob->error)
		return -ob->error;
	ob->fd = sf->fd;
	for (;;) {
		size_t complete = ob->len - outbuf_partial_line(ob);
		size_t chunk, before = ob->len;

		if (!complete)
			return 0;
		chunk = sf->rotate_bytes ?
				sink_file_chunk(ob->data, complete, sf->size, sf->rotate_bytes) :
				complete;
		if (!chunk) {
			err = rotate(sf);
			if (err) {
				ob->error = -err;
				return err;
			}
			ob->fd = sf->fd;
			continue;
		}
		err = outbuf_flush_upto(ob, chunk);
		sf->size += before - ob->len;
		if (err)
			return err;
	}
}

void sink_file__close(struct sink_file *sf)
{
	if (sf->fd >= 0)
		close(sf->fd);
	sf->fd = -1;
}
