// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reading struct ew_exec_file for the formatters. See path_view.h.
 */
#include "path_view.h"

#include <string.h>

bool path_view_has_exe(const struct exec_view *view)
{
	return !(view->fixed.file.exe_flags & EW_FILE_NONE) && view->exe_len > 0;
}

bool path_view_has_cwd(const struct exec_view *view)
{
	return !(view->fixed.file.cwd_flags & EW_FILE_NONE) && view->cwd_len > 0;
}

bool path_view_memfd_name(const struct exec_view *view, struct path_span *name)
{
	size_t prefix = strlen(PATH_VIEW_MEMFD_PREFIX);

	if (!(view->fixed.file.exe_flags & EW_FILE_MEMFD) || view->exe_len < prefix ||
	    memcmp(view->exe, PATH_VIEW_MEMFD_PREFIX, prefix))
		return false;
	name->bytes = view->exe + prefix;
	name->len = view->exe_len - prefix;
	return true;
}

bool path_view_exe_fileless(const struct exec_view *view)
{
	return view->fixed.file.exe_flags & (EW_FILE_MEMFD | EW_FILE_PSEUDO | EW_FILE_INTERNAL);
}

bool path_view_exe_deleted(const struct exec_view *view)
{
	/* A memfd has no links from birth: that is fileless, not deleted. */
	return !path_view_exe_fileless(view) &&
	       (view->fixed.file.exe_flags & (EW_FILE_DELETED | EW_FILE_NLINK0));
}

/* Does the name start with prefix and contain ".so" after it? */
static bool loader_name(const char *name, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix), i;

	if (len < plen || memcmp(name, prefix, plen))
		return false;
	for (i = plen; i + 3 <= len; i++)
		if (!memcmp(name + i, ".so", 3))
			return true;
	/* "ld.so" itself: the prefix already ends in ".so". */
	return plen >= 3 && !memcmp(prefix + plen - 3, ".so", 3);
}

bool path_view_exe_is_ldso(const struct exec_view *view)
{
	static const char *const prefixes[] = { "ld-linux", "ld.so", "ld64.so", "ld-musl-" };
	const char *name;
	size_t len, i;

	if (!path_view_has_exe(view) || path_view_exe_fileless(view))
		return false;
	name = memrchr(view->exe, '/', view->exe_len);
	name = name ? name + 1 : view->exe;
	len = view->exe_len - (size_t)(name - view->exe);
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (loader_name(name, len, prefixes[i]))
			return true;
	return false;
}

bool path_view_in_root(const char *path, size_t len, uint16_t root_len, uint32_t flags,
		       struct path_span *in_root)
{
	if (!(flags & EW_FILE_ROOT_SEEN) || root_len == EW_ROOT_LEN_NONE || root_len > len)
		return false;
	in_root->bytes = path + (len - root_len);
	in_root->len = root_len;
	return true;
}

bool path_view_chroot(const struct exec_view *view)
{
	return view->fixed.file.task_flags & EW_FILE_TASK_CHROOT;
}

uint32_t path_view_dev_major(uint32_t kdev)
{
	return kdev >> 20; /* MAJOR() in include/linux/kdev_t.h: MINORBITS is 20 */
}

uint32_t path_view_dev_minor(uint32_t kdev)
{
	return kdev & ((1u << 20) - 1);
}
