// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: the policy file parser (src/policy.c, on libyaml).
 * The input is the file's bytes. A policy file is typed by an operator, but
 * a reload reads whatever is at the path, so none of it may crash. Checked
 * beyond memory safety:
 * - a failure leaves no rules and says "LINE:COL: reason" or a reason
 *   without a position, always NUL-terminated, printable ASCII only: values
 *   from the file are escaped (escape_message), so a policy file cannot put
 *   a terminal escape, a newline or invalid UTF-8 into the message;
 * - a success has 1..64 rules, each with a name from the safe alphabet,
 *   an action, something to match, and at most POLICY_VALUES_MAX values
 *   per key; names are unique.
 * - every filename glob either compiles to at most EW_POL_TOKENS tokens or
 *   is refused with a reason, and the kernel's matcher (the same step
 *   function) decides it against every argv value of the rule in bounded
 *   steps, 0 or 1.
 * The rest of the compiler is not fuzzed here: it stats and walks the paths
 * it is given (path_prefix: / would walk the file system), which is its job.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "policy.h"
#include "policy_compile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy p;
	char err[512];
	size_t i, j;

	if (size > 64 * 1024)
		return 0;
	memset(err, 'x', sizeof(err));
	if (policy_parse((const char *)data, size, &p, err, sizeof(err))) {
		FUZZ_CHECK(!p.rules && !p.nr_rules, "rules left after a failure");
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) && err[0], "no message");
		FUZZ_CHECK(fuzz_message_bad_byte(err, strlen(err), false) == strlen(err),
			   "byte 0x%02x at %zu in the message '%s'",
			   (unsigned char)err[fuzz_message_bad_byte(err, strlen(err), false)],
			   fuzz_message_bad_byte(err, strlen(err), false), err);
		return 0;
	}
	FUZZ_CHECK(p.nr_rules <= POLICY_RULES_MAX, "%zu rules", p.nr_rules);
	for (i = 0; i < p.nr_rules; i++) {
		const struct policy_rule *r = &p.rules[i];

		FUZZ_CHECK(r->name && r->name[0] && strlen(r->name) <= POLICY_NAME_MAX, "name");
		FUZZ_CHECK(strspn(r->name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					   "0123456789-_.:") == strlen(r->name),
			   "unsafe name '%s'", r->name);
		FUZZ_CHECK(r->action >= POLICY_ACTION_LOG && r->action <= POLICY_ACTION_DENY,
			   "action %d", r->action);
		FUZZ_CHECK(r->uid.n <= POLICY_VALUES_MAX && r->path.n <= POLICY_VALUES_MAX &&
				   r->comm.n <= POLICY_VALUES_MAX,
			   "too many values");
		for (j = 0; j < r->comm.n; j++)
			FUZZ_CHECK(strlen(r->comm.v[j]) <= 15, "comm too long");
		for (j = 0; j < r->path.n; j++)
			FUZZ_CHECK(r->path.v[j][0] == '/', "relative path");
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(p.rules[j].name, r->name), "duplicate name %s", r->name);
		for (j = 0; j < r->filename.n; j++) {
			struct ew_pol_text t;
			char why[128];

			if (policy_glob_compile(r->filename.v[j], &t, why, sizeof(why))) {
				FUZZ_CHECK(why[0], "glob refused without a reason");
				continue;
			}
			FUZZ_CHECK(t.len <= EW_POL_TOKENS, "%u tokens", t.len);
			for (size_t k = 0; k < r->argv.n; k++) {
				int m = policy_glob_match(&t, r->argv.v[k], strlen(r->argv.v[k]));

				FUZZ_CHECK(m == 0 || m == 1, "match %d", m);
			}
		}
	}
	policy_free(&p);
	return 0;
}
