// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * User-space exec filters; see filter.h for the split with the kernel.
 */
#include "filter.h"
#include "escape.h"

#include <errno.h>
#include <fnmatch.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int filter_init(struct filter *f, const struct filter_config *cfg, char *msg, size_t msg_len)
{
	int err;

	memset(f, 0, sizeof(*f));
	f->cfg = cfg;
	if (cfg->arg_regex) {
		err = regcomp(&f->arg_re, cfg->arg_regex, REG_EXTENDED | REG_NOSUB);
		if (err) {
			char why[128];

			regerror(err, &f->arg_re, why, sizeof(why));
			snprintf(msg, msg_len,
				 "--arg-regex '%s' is not a valid regular expression: %s",
				 ESCAPED(cfg->arg_regex), why);
			return -EINVAL;
		}
		f->has_arg_re = true;
	}
	return 0;
}

void filter_free(struct filter *f)
{
	if (f && f->has_arg_re) {
		regfree(&f->arg_re);
		f->has_arg_re = false;
	}
}

/* memmem for a NUL-terminated needle in a byte span. */
static bool contains(const char *hay, size_t hay_len, const char *needle)
{
	return memmem(hay, hay_len, needle, strlen(needle)) != NULL;
}

bool filter_path_matches(const char *pattern, const char *path, size_t path_len)
{
	size_t pattern_len = strlen(pattern);
	char buf[EW_FILENAME_MAX + 1];

	if (path_len > EW_FILENAME_MAX || memchr(path, '\0', path_len))
		return false;
	if (strpbrk(pattern, "*?[")) {
		memcpy(buf, path, path_len);
		buf[path_len] = '\0';
		/* As the shell globs paths: '*' and '?' do not match '/'. */
		return fnmatch(pattern, buf, FNM_PATHNAME) == 0;
	}
	if (pattern_len && pattern[pattern_len - 1] == '/')
		return path_len >= pattern_len && !memcmp(path, pattern, pattern_len);
	return path_len == pattern_len && !memcmp(path, pattern, pattern_len);
}

/* Regex over one argument: regexec needs a C string, and args may hold any byte. */
static bool arg_matches_regex(const regex_t *re, const struct arg_span *arg)
{
	char stack_buf[512];
	char *text = stack_buf;
	bool match;

	if (arg->len >= sizeof(stack_buf)) {
		text = malloc(arg->len + 1);
		if (!text)
			return false;
	}
	memcpy(text, arg->bytes, arg->len);
	text[arg->len] = '\0';
	match = regexec(re, text, 0, NULL, 0) == 0;
	if (text != stack_buf)
		free(text);
	return match;
}

static bool args_match(const struct filter *f, const struct exec_view *view)
{
	const struct filter_config *cfg = f->cfg;
	bool need_sub = cfg->arg != NULL, need_re = f->has_arg_re;
	struct arg_iter it;
	struct arg_span arg;

	arg_iter_init(&it, view);
	while ((need_sub || need_re) && arg_iter_next(&it, &arg)) {
		if (need_sub && contains(arg.bytes, arg.len, cfg->arg))
			need_sub = false;
		if (need_re && arg_matches_regex(&f->arg_re, &arg))
			need_re = false;
	}
	return !need_sub && !need_re;
}

/* -u: no uid list, or uid in it. */
static bool uid_passes(const struct filter_config *cfg, uint32_t uid)
{
	size_t i;

	if (!cfg->nr_uids)
		return true;
	for (i = 0; i < cfg->nr_uids; i++)
		if (cfg->uids[i] == uid)
			return true;
	return false;
}

/* -n: no name, or comm (NUL-terminated within its array, or not) contains it. */
static bool name_passes(const struct filter_config *cfg, const char *comm, size_t comm_size)
{
	return !cfg->name || contains(comm, strnlen(comm, comm_size), cfg->name);
}

bool filter_match(const struct filter *f, const struct exec_view *view)
{
	const struct filter_config *cfg = f->cfg;
	const struct ew_exec *e = &view->fixed;

	if (cfg->result == FILTER_RESULT_FAILED && e->ret >= 0)
		return false;
	if (cfg->result == FILTER_RESULT_SUCCEEDED && e->ret < 0)
		return false;
	if (!uid_passes(cfg, e->uid) || !name_passes(cfg, e->comm, sizeof(e->comm)))
		return false;
	if (cfg->exe && !filter_path_matches(cfg->exe, view->filename, view->filename_len))
		return false;
	if (cfg->container && (!view->container_id || strncmp(view->container_id, cfg->container,
							      strlen(cfg->container)) != 0))
		return false;
	if ((cfg->arg || f->has_arg_re) && !args_match(f, view))
		return false;
	return true;
}

bool filter_match_exit(const struct filter *f, const struct ew_exit *x, const char *exe)
{
	const struct filter_config *cfg = f->cfg;

	if (!uid_passes(cfg, x->uid) || !name_passes(cfg, x->comm, sizeof(x->comm)))
		return false;
	if (exe)
		return !cfg->exe || filter_path_matches(cfg->exe, exe, strlen(exe));
	return !cfg->arg && !cfg->arg_regex && !cfg->exe && !cfg->container &&
	       cfg->result == FILTER_RESULT_ANY;
}

int filter_parse_uid(const char *text, uint32_t *uid)
{
	struct passwd pw, *found = NULL;
	char buf[4096], *end;
	unsigned long value;

	if (!text || !*text)
		return -EINVAL;
	if (text[0] >= '0' && text[0] <= '9') {
		errno = 0;
		value = strtoul(text, &end, 10);
		if (errno || *end || value > UINT32_MAX - 1)
			return -EINVAL;
		*uid = (uint32_t)value;
		return 0;
	}
	if (getpwnam_r(text, &pw, buf, sizeof(buf), &found) || !found)
		return -EINVAL;
	*uid = (uint32_t)found->pw_uid;
	return 0;
}
