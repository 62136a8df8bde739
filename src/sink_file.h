/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * --output FILE: the records go to a file of our own instead of stdout.
 *
 * The file is opened O_APPEND (several writers, and logrotate's copytruncate,
 * never overwrite each other), O_CLOEXEC, O_NOFOLLOW and never through a hard
 * link, created with a private mode (0600 or 0640: argv can hold secrets).
 * Writing goes through the same outbuf as stdout, so only whole lines are
 * ever written, and a failed write is cut back to the last complete line.
 * With a rotation size, the file is renamed to FILE.1 (FILE.1 to FILE.2, ...
 * up to FILE.keep) before a line would take it past the size; a SIGHUP
 * reopens FILE by name, for logrotate's rename-then-signal.
 */
#ifndef EXECWATCH_SINK_FILE_H
#define EXECWATCH_SINK_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "outbuf.h"

#define SINK_FILE_DEFAULT_KEEP 5u
#define SINK_FILE_MAX_KEEP 1000u

struct sink_file {
	const char *path;
	int fd;
	mode_t mode; /* for files we create */
	uint64_t rotate_bytes; /* 0: never rotate */
	unsigned int rotate_keep; /* FILE.1 .. FILE.keep */
	uint64_t size; /* bytes in the current file */
	uint64_t rotations;
	uint64_t repaired_bytes; /* an incomplete last line found at open, cut off */
};

/*
 * Open (or create) path for appending. On failure returns a negative errno
 * and fills msg with one sentence.
 */
int sink_file__open(struct sink_file *sf, const char *path, mode_t mode, uint64_t rotate_bytes,
		    unsigned int rotate_keep, char *msg, size_t msg_len);
/* Reopen path by name (after logrotate moved it away); same contract. */
int sink_file__reopen(struct sink_file *sf, char *msg, size_t msg_len);
/*
 * Write the complete lines of ob to the file, rotating where the size says.
 * Returns 0 or a negative errno (also kept in ob->error).
 */
int sink_file__flush(struct sink_file *sf, struct outbuf *ob);
void sink_file__close(struct sink_file *sf);

/* Pure helpers, unit-tested. */
/* "FILE.n" into buf; -ENAMETOOLONG when it does not fit. */
int sink_file_rotated_name(char *buf, size_t len, const char *path, unsigned int n);
/*
 * How many bytes of data (whole lines) go into a file holding size bytes
 * now, without passing limit. 0: rotate first. A line longer than limit
 * goes alone into an empty file.
 */
size_t sink_file_chunk(const char *data, size_t len, uint64_t size, uint64_t limit);

#endif /* EXECWATCH_SINK_FILE_H */
