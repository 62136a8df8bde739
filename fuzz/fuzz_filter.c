// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: the user-space filters and the container id parser.
 *
 * The input is NUL-separated fields: options byte, --exe pattern, --name,
 * --arg, --arg-regex, --container, a cgroup path, the comm, the filename,
 * and the argv bytes (the rest, NULs included). Everything but the options
 * is untrusted in real life or typed by the operator; none of it may crash.
 * Checked beyond memory safety:
 * - filter_match() with no filter set matches every exec, and with one
 *   substring filter (--name, --arg) agrees with a plain memmem() oracle;
 * - filter_path_matches() matches a path against itself when it holds no
 *   glob character, and a "dir/" prefix against paths below it;
 * - cgroup_container_id() returns 64 lowercase hex digits that occur in the
 *   path, or nothing.
 * Regexes are kept short, without '{' and '\\' and with at most 8
 * repetition operators: glibc's regcomp copies the subtree for every stacked
 * "+" or bound ("a+++...+" with 30 of them takes over 2 GiB) and regexec is
 * exponential with back-references; the regex is the operator's choice
 * (--arg-regex), not an input to fuzz.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cgroup.h"
#include "decode.h"
#include "filter.h"
#include "fuzz_check.h"

#define NR_FIELDS 9
#define MAX_REGEX 32
#define MAX_ARGV 512

static bool some_arg_contains(const struct exec_view *view, const char *needle)
{
	struct arg_iter it;
	struct arg_span arg;

	arg_iter_init(&it, view);
	while (arg_iter_next(&it, &arg))
		if (memmem(arg.bytes, arg.len, needle, strlen(needle)))
			return true;
	return false;
}

static void check_container_id(const char *path)
{
	char id[CGROUP_CONTAINER_ID_MAX + 1];
	size_t i;

	memset(id, 0x5a, sizeof(id));
	if (!cgroup_container_id(path, id))
		return;
	FUZZ_CHECK(strnlen(id, sizeof(id)) == 64, "container id of %zu characters",
		   strnlen(id, sizeof(id)));
	for (i = 0; i < 64; i++)
		FUZZ_CHECK((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f'),
			   "container id byte 0x%02x", (unsigned char)id[i]);
	FUZZ_CHECK(strstr(path, id) != NULL, "container id not in the path");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *fields[NR_FIELDS];
	const uint8_t *pos = data, *end = data + size;
	size_t argv_len, i, quantifiers;
	struct filter_config cfg, only;
	struct exec_view view;
	struct filter f;
	char msg[512];
	char *argv;
	uint8_t options;

	for (i = 0; i < NR_FIELDS; i++) {
		const uint8_t *nul = memchr(pos, '\0', (size_t)(end - pos));
		size_t len = nul ? (size_t)(nul - pos) : (size_t)(end - pos);

		fields[i] = strndup((const char *)pos, len);
		FUZZ_CHECK(fields[i] != NULL, "strndup");
		pos = nul ? nul + 1 : end;
	}
	argv_len = (size_t)(end - pos) < MAX_ARGV ? (size_t)(end - pos) : MAX_ARGV;
	argv = malloc(argv_len + 1);
	FUZZ_CHECK(argv != NULL, "malloc");
	if (argv_len)
		memcpy(argv, pos, argv_len);
	options = (uint8_t)fields[0][0];
	if (strlen(fields[4]) > MAX_REGEX)
		fields[4][MAX_REGEX] = '\0';
	fields[4][strcspn(fields[4], "{\\")] = '\0';
	for (i = 0, quantifiers = 0; fields[4][i]; i++)
		if (strchr("+*?", fields[4][i]) && ++quantifiers > 8)
			fields[4][i] = '\0';

	memset(&view, 0, sizeof(view));
	view.fixed.hdr.type = EW_EVENT_EXEC;
	view.fixed.ret = options & 1 ? -2 : 0;
	view.fixed.uid = options >> 4;
	strncpy(view.fixed.comm, fields[7], sizeof(view.fixed.comm) - 1);
	view.filename = fields[8];
	view.filename_len = strlen(fields[8]);
	view.argv = argv;
	view.argv_len = argv_len;
	view.argv_empty_at_call = options & 2;
	view.container_id = options & 4 ? fields[6] : NULL;

	/* No filter: everything matches. */
	memset(&cfg, 0, sizeof(cfg));
	FUZZ_CHECK(!filter_init(&f, &cfg, msg, sizeof(msg)), "empty config rejected");
	FUZZ_CHECK(filter_match(&f, &view), "an empty filter rejected an exec");
	filter_free(&f);

	/* Every filter from the input at once. */
	cfg.exe = options & 8 ? fields[1] : NULL;
	cfg.name = *fields[2] ? fields[2] : NULL;
	cfg.arg = options & 16 ? fields[3] : NULL;
	cfg.arg_regex = options & 32 ? fields[4] : NULL;
	cfg.container = *fields[5] ? fields[5] : NULL;
	cfg.result = (enum filter_result)(options >> 6) % 3;
	cfg.uids[0] = options >> 4;
	cfg.nr_uids = options & 64 ? 1 : 0;
	if (!filter_init(&f, &cfg, msg, sizeof(msg))) {
		filter_match(&f, &view);
		filter_free(&f);
	} else {
		FUZZ_CHECK(cfg.arg_regex && msg[0], "filter_init failed without a message");
	}

	/* One substring filter at a time, against an oracle. */
	memset(&only, 0, sizeof(only));
	only.name = fields[2];
	FUZZ_CHECK(!filter_init(&f, &only, msg, sizeof(msg)), "--name rejected");
	FUZZ_CHECK(filter_match(&f, &view) == (strstr(view.fixed.comm, fields[2]) != NULL),
		   "--name '%s' on comm '%s'", fields[2], view.fixed.comm);
	filter_free(&f);
	memset(&only, 0, sizeof(only));
	only.arg = fields[3];
	FUZZ_CHECK(!filter_init(&f, &only, msg, sizeof(msg)), "--arg rejected");
	FUZZ_CHECK(filter_match(&f, &view) == some_arg_contains(&view, fields[3]), "--arg '%s'",
		   fields[3]);
	filter_free(&f);

	/* --exe: exact path and directory prefix semantics. */
	filter_path_matches(fields[1], view.filename, view.filename_len);
	if (!strpbrk(view.filename, "*?[") && view.filename_len <= EW_FILENAME_MAX)
		FUZZ_CHECK(filter_path_matches(view.filename, view.filename, view.filename_len),
			   "'%s' does not match itself", view.filename);
	if (!strpbrk(fields[1], "*?[") && *fields[1] && fields[1][strlen(fields[1]) - 1] == '/' &&
	    view.filename_len <= EW_FILENAME_MAX &&
	    !strncmp(view.filename, fields[1], strlen(fields[1])))
		FUZZ_CHECK(filter_path_matches(fields[1], view.filename, view.filename_len),
			   "prefix '%s' does not match '%s'", fields[1], view.filename);

	check_container_id(fields[6]);
	check_container_id(fields[8]);

	for (i = 0; i < NR_FIELDS; i++)
		free(fields[i]);
	free(argv);
	return 0;
}
