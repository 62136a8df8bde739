/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reading small files whole: kernel interfaces (securityfs, sysctls) and
 * the files execwatch is given (--config, --policy). One place that loops
 * over short reads and EINTR, so no caller takes a partial read for a file.
 */
#ifndef EXECWATCH_READFILE_H
#define EXECWATCH_READFILE_H

#include <stddef.h>

/*
 * Copy the first line of path (without its newline) into buf, always
 * NUL-terminated, cut to len - 1 bytes. open(2) and read(2) only, no
 * malloc and no stdio, so a child may call it between fork() and _exit().
 * Returns 0 or a negative errno (buf is then "").
 */
int readfile_first_line(const char *path, char *buf, size_t len);

/*
 * Read the regular file path whole: *text (malloc'd, the caller frees) holds
 * *len bytes and a NUL after them. Read to EOF, not to the size fstat(2)
 * saw, so a file that changes meanwhile is never taken half-read. Returns 0,
 * -EINVAL when path is not a regular file, -EFBIG when it holds more than
 * max_bytes (found before reading when fstat says so), -ENOMEM, or the
 * negative errno of open, fstat or read; *text is then NULL.
 */
int readfile_small(const char *path, size_t max_bytes, char **text, size_t *len);

#endif /* EXECWATCH_READFILE_H */
