/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What an exec record says about the executed file and the working
 * directory (struct ew_exec_file, issue 3), in the terms the output uses:
 * the memfd name, deleted or fileless, the dynamic loader run as a program,
 * the path as a chrooted task sees it, the device as major:minor. Pure
 * functions of a decoded view, shared by the JSON and text formatters and
 * unit-tested on their own; every length read from the record is checked
 * again here.
 */
#ifndef EXECWATCH_PATH_VIEW_H
#define EXECWATCH_PATH_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

/* memfd_create() names its file "memfd:" + name (mm/memfd.c); the walk puts a "/" in front. */
#define PATH_VIEW_MEMFD_PREFIX "/memfd:"

/* A slice of the record. */
struct path_span {
	const char *bytes;
	size_t len;
};

/* Is there an exe at all (a failed exec has none; a walk may have failed)? */
bool path_view_has_exe(const struct exec_view *view);
bool path_view_has_cwd(const struct exec_view *view);

/* The memfd's name (without "memfd:"), when the exe is a memfd. */
bool path_view_memfd_name(const struct exec_view *view, struct path_span *name);

/* A file that never had a path: a memfd, or another file on an internal mount. */
bool path_view_exe_fileless(const struct exec_view *view);

/* The exe's name was removed (unlinked) before or while it ran; not for fileless exes. */
bool path_view_exe_deleted(const struct exec_view *view);

/*
 * The exe is a dynamic loader run as the program (`ld.so PROG`): its last
 * component is a glibc or musl loader name (ld-linux*.so*, ld.so*, ld64.so*,
 * ld-musl-*.so*). The kernel runs it like any ELF without PT_INTERP, so the
 * name is what tells it apart; the program it loads is in argv.
 */
bool path_view_exe_is_ldso(const struct exec_view *view);

/*
 * The path as a task with another root (chroot) sees it: the last root_len
 * bytes ("" is its "/"). False when the walk did not pass the root (the file
 * is outside it) or root_len does not fit the path.
 */
bool path_view_in_root(const char *path, size_t len, uint16_t root_len, uint32_t flags,
		       struct path_span *in_root);

/* The task runs with a root other than its mount namespace's (chroot(2)). */
bool path_view_chroot(const struct exec_view *view);

/* inode->i_sb->s_dev, kernel encoding (major << 20 | minor), as stat(1)'s %Hd and %Ld. */
uint32_t path_view_dev_major(uint32_t kdev);
uint32_t path_view_dev_minor(uint32_t kdev);

#endif /* EXECWATCH_PATH_VIEW_H */
