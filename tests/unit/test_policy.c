// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the exec policy: the YAML parser (src/policy.c) and the
 * compiler to map entries (src/policy_compile.c). The parser: every key,
 * scalars and lists, and each error with its line:column and reason
 * (unknown keys, repeated keys and names, bad values, YAML syntax, a second
 * document, too many rules or values, alias blow-up). The compiler: masks
 * per kind, identities from stat() (a temp file), LPM entries with the
 * generation in front, nested prefixes inheriting their parents' rules,
 * merging of equal keys, and the refusal of text matches the kernel does
 * not decide.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "decode.h"
#include "output.h"
#include "policy.h"
#include "policy_compile.h"

static char err[512];

static int parse(const char *text, struct policy *p)
{
	return policy_parse(text, strlen(text), p, err, sizeof(err));
}

/* Parsing must fail, and the message must start with where and contain why. */
static void expect_error(const char *text, const char *where, const char *why)
{
	struct policy p;

	assert_int_equal(parse(text, &p), -EINVAL);
	assert_null(p.rules);
	if (strncmp(err, where, strlen(where)) || !strstr(err, why)) {
		print_error("got '%s', want '%s...%s'\n", err, where, why);
		fail();
	}
}

static void test_full_rule(void **state)
{
	struct policy p;
	const char *text = "version: 1\n"
			   "rules:\n"
			   "  - name: everything\n"
			   "    action: kill\n"
			   "    path: /usr/bin/nc\n"
			   "    path_prefix: [/tmp/, /dev/shm/]\n"
			   "    inode: '8:1:1234'\n"
			   "    filename: '*.sh'\n"
			   "    fileless: true\n"
			   "    uid: [1000, 1001]\n"
			   "    not_uid: 0\n"
			   "    cgroup: /system.slice\n"
			   "    container: 0123456789abcdef\n"
			   "    parent: /usr/bin/bash\n"
			   "    comm: nc\n"
			   "    argv: --evil\n"
			   "  - name: second\n"
			   "    action: log\n"
			   "    comm:\n"
			   "      - a\n"
			   "      - b\n";

	(void)state;
	assert_int_equal(parse(text, &p), 0);
	assert_int_equal(p.nr_rules, 2);
	struct policy_rule *r = &p.rules[0];
	assert_string_equal(r->name, "everything");
	assert_int_equal(r->action, POLICY_ACTION_KILL);
	assert_int_equal(r->line, 3);
	assert_int_equal(r->path.n, 1);
	assert_string_equal(r->path_prefix.v[1], "/dev/shm/");
	assert_int_equal(r->nr_inode, 1);
	assert_int_equal(r->inode[0].major, 8);
	assert_int_equal(r->inode[0].minor, 1);
	assert_int_equal(r->inode[0].ino, 1234);
	assert_string_equal(r->filename.v[0], "*.sh");
	assert_int_equal(r->fileless, 1);
	assert_int_equal(r->uid.n, 2);
	assert_int_equal(r->uid.v[1], 1001);
	assert_int_equal(r->not_uid.v[0], 0);
	assert_string_equal(r->cgroup.v[0], "/system.slice");
	assert_string_equal(r->container.v[0], "0123456789abcdef");
	assert_string_equal(r->parent.v[0], "/usr/bin/bash");
	assert_string_equal(r->comm.v[0], "nc");
	assert_string_equal(r->argv.v[0], "--evil");
	assert_int_equal(p.rules[1].action, POLICY_ACTION_LOG);
	assert_int_equal(p.rules[1].comm.n, 2);
	assert_true(policy_has_action(&p, POLICY_ACTION_KILL));
	assert_false(policy_has_action(&p, POLICY_ACTION_DENY));
	policy_free(&p);
	policy_free(&p); /* twice is safe */
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("", "1:1", "empty");
	expect_error("- a\n", "1:1", "mapping");
	expect_error("rules: []\nbogus: 1\n", "2:1", "unknown key 'bogus'");
	expect_error("version: 2\nrules: []\n", "1:10", "version 1");
	expect_error("rules:\n  - name: a\n    action: kill\n    pth: /x\n", "4:5",
		     "unknown key 'pth'");
	expect_error("rules:\n  - name: a\n    action: zap\n    comm: x\n", "3:13",
		     "log, kill or deny");
	expect_error("rules:\n  - name: a\n    comm: x\n", "2:5", "no 'action'");
	expect_error("rules:\n  - action: kill\n    comm: x\n", "2:5", "no 'name'");
	expect_error("rules:\n  - name: a\n    action: kill\n", "2:5", "matches nothing");
	expect_error("rules:\n  - name: a\n    action: kill\n    path: tmp/x\n", "4:11",
		     "not an absolute path");
	expect_error("rules:\n  - name: a\n    action: kill\n    uid: -1\n", "4:10",
		     "not a numeric uid");
	expect_error("rules:\n  - name: a\n    action: kill\n    uid: 4294967295\n", "4:10",
		     "not a numeric uid");
	expect_error("rules:\n  - name: a\n    action: kill\n    comm: abcdefghijklmnop\n", "4:11",
		     "longer than 15");
	expect_error("rules:\n  - name: a\n    action: kill\n    inode: 1:2\n", "4:12",
		     "MAJOR:MINOR:INODE");
	expect_error("rules:\n  - name: a\n    action: kill\n    inode: 4096:0:1\n", "4:12",
		     "MAJOR:MINOR:INODE");
	expect_error("rules:\n  - name: a\n    action: kill\n    fileless: maybe\n", "4:15",
		     "true or false");
	expect_error("rules:\n  - name: a\n    action: kill\n    fileless: false\n", "2:5",
		     "not supported");
	expect_error("rules:\n  - name: a\n    action: kill\n    container: XYZ0123456789\n",
		     "4:16", "not a container id");
	expect_error("rules:\n  - name: a b\n    action: kill\n    comm: x\n", "2:11",
		     "only letters");
	expect_error("rules:\n  - name: a\n    action: kill\n    comm: x\n"
		     "  - name: a\n    action: log\n    comm: y\n",
		     "5:5", "used twice (first at line 2)");
	expect_error("rules:\n  - name: a\n    action: kill\n    comm: x\n    comm: y\n", "5:5",
		     "given twice");
	expect_error("rules:\n  - name: a\n    action: kill\n    comm: [x, [y]]\n", "4:15",
		     "a list item must be a single value");
	expect_error("rules:\n  - name: a\n    action: kill\n    comm: {a: b}\n", "4:11",
		     "not a mapping");
	expect_error("rules:\n  - name: a\n    action: kill\n    comm: []\n", "4:11",
		     "the list is empty");
	expect_error("rules:\n  - name: [a]\n    action: kill\n    comm: x\n", "2:11",
		     "single value");
	expect_error("rules: {a: b}\n", "1:8", "list of rules");
	/* YAML syntax errors carry libyaml's position and words. */
	expect_error("rules:\n  - name: a\n   action: kill\n", "3:", "YAML");
	expect_error("rules: [\n", "2:1", "YAML");
	expect_error("rules: []\n---\nrules: []\n", "2:1", "only one YAML document");
}

static void test_limits(void **state)
{
	char *text = malloc(64 * 1024);
	size_t off = 0;
	int i;

	(void)state;
	assert_non_null(text);
	off += (size_t)sprintf(text + off, "rules:\n");
	for (i = 0; i <= POLICY_RULES_MAX; i++)
		off += (size_t)sprintf(text + off, "  - {name: r%d, action: log, uid: %d}\n", i, i);
	expect_error(text, "66:5", "more than 64 rules");

	/* Aliases are shared in the tree but counted when expanded. */
	off = (size_t)sprintf(text, "x: &a [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]\nrules:\n"
				    "  - name: a\n    action: kill\n    uid: [");
	for (i = 0; i < 20; i++)
		off += (size_t)sprintf(text + off, "%s*a", i ? "," : "");
	sprintf(text + off, "]\n");
	expect_error(text, "1:", "unknown key 'x'");
	off = (size_t)sprintf(text, "rules:\n  - name: a\n    action: kill\n    uid: [");
	for (i = 0; i <= POLICY_VALUES_MAX; i++)
		off += (size_t)sprintf(text + off, "%s%d", i ? "," : "", i);
	sprintf(text + off, "]\n");
	expect_error(text, "4:", "more than 256 values");
	free(text);
}

static const struct policy_key_entry *find_key(const struct policy_compiled *c, __u32 kind, __u64 a,
					       __u64 b)
{
	for (size_t i = 0; i < c->nr_keys; i++)
		if (c->keys[i].key.kind == kind && c->keys[i].key.a == a && c->keys[i].key.b == b)
			return &c->keys[i];
	return NULL;
}

static const struct policy_lpm_entry *find_lpm(const struct policy_compiled *c, const char *path,
					       bool exact)
{
	__u32 bits = (__u32)(32 + 8 * (strlen(path) + (exact ? 1 : 0)));

	for (size_t i = 0; i < c->nr_lpm; i++)
		if (c->lpm[i].key.prefixlen == bits && !strcmp(c->lpm[i].key.path, path))
			return &c->lpm[i];
	return NULL;
}

static void test_compile(void **state)
{
	char dir[] = "/tmp/ewpolicy-XXXXXX", file[128], text[1024];
	struct policy_env env = { 0 };
	struct policy_compiled c;
	struct policy p;
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/prog", dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(file, 0755), 0);
	assert_int_equal(stat(file, &st), 0);
	snprintf(text, sizeof(text),
		 "rules:\n"
		 "  - {name: by-path, action: kill, path: %s}\n"
		 "  - {name: by-prefix, action: deny, path_prefix: %s/, not_uid: [0, 7]}\n"
		 "  - {name: outer, action: log, path_prefix: /tmp/, uid: 7, fileless: true}\n"
		 "  - {name: names, action: log, comm: [nc, ncat], inode: '1:2:3'}\n",
		 file, dir);
	assert_int_equal(parse(text, &p), 0);
	assert_int_equal(policy_compile(&p, 0x01020304, &env, &c, err, sizeof(err)), 0);

	assert_int_equal(c.gen.nr_rules, 4);
	assert_int_equal(c.gen.action[0], POLICY_ACTION_KILL);
	assert_int_equal(c.gen.action[1], POLICY_ACTION_DENY);
	assert_int_equal(c.gen.cares[EW_POL_K_FILE], 0xf);
	assert_int_equal(c.gen.cares[EW_POL_K_NOT_UID], 0x2);
	assert_int_equal(c.gen.cares[EW_POL_K_UID], 0x4);
	assert_int_equal(c.gen.cares[EW_POL_K_FILELESS], 0x4);
	assert_int_equal(c.gen.cares[EW_POL_K_COMM], 0x8);
	assert_int_equal(c.gen.need_path, 1);
	assert_int_equal(c.gen.has_deny, 1);

	/* The file is found by identity for the path rule and the prefix scan. */
	const struct policy_key_entry *k =
		find_key(&c, EW_POL_K_FILE, policy_kernel_dev(st.st_dev), st.st_ino);
	assert_non_null(k);
	assert_int_equal(k->key.gen, 0x01020304);
	/* The outer /tmp/ prefix scan found it too. */
	assert_int_equal(k->mask, 0x7);
	assert_non_null(k = find_key(&c, EW_POL_K_FILE, (1 << 20) | 2, 3));
	assert_int_equal(k->mask, 0x8);
	assert_non_null(k = find_key(&c, EW_POL_K_NOT_UID, 7, 0));
	assert_int_equal(k->mask, 0x2);
	assert_non_null(k = find_key(&c, EW_POL_K_UID, 7, 0));
	assert_int_equal(k->mask, 0x4);
	assert_non_null(find_key(&c, EW_POL_K_COMM, 'n' | ('c' << 8), 0));

	/* Nested entries inherit: the exact file is below both prefixes. */
	char prefix[160];
	const struct policy_lpm_entry *l = find_lpm(&c, file, true);
	assert_non_null(l);
	assert_int_equal(l->mask, 0x7);
	assert_memory_equal(l->key.gen_be, "\x01\x02\x03\x04", 4);
	snprintf(prefix, sizeof(prefix), "%s/", dir);
	assert_non_null(l = find_lpm(&c, prefix, false));
	assert_int_equal(l->mask, 0x6);
	assert_non_null(l = find_lpm(&c, "/tmp/", false));
	assert_int_equal(l->mask, 0x4);
	/* Keys are unique after merging. */
	for (size_t i = 0; i + 1 < c.nr_keys; i++)
		assert_true(memcmp(&c.keys[i].key, &c.keys[i + 1].key, sizeof(c.keys[i].key)));
	policy_compiled_free(&c);
	policy_free(&p);
	unlink(file);
	rmdir(dir);
}

static void compile_error(const char *text, const char *why)
{
	struct policy_env env = { 0 };
	struct policy_compiled c;
	struct policy p;

	assert_int_equal(parse(text, &p), 0);
	assert_int_equal(policy_compile(&p, 1, &env, &c, err, sizeof(err)), -EINVAL);
	if (!strstr(err, why)) {
		print_error("got '%s', want '%s'\n", err, why);
		fail();
	}
	assert_null(c.keys);
	policy_free(&p);
}

static void test_compile_errors(void **state)
{
	char text[1024];

	(void)state;
	snprintf(text, sizeof(text), "rules:\n  - {name: g, action: kill, filename: '/%0128d'}\n",
		 0);
	compile_error(text, "rule 'g' (line 2): filename '/0");
	compile_error(text, "longer than 128 bytes");
	compile_error("rules:\n  - {name: g, action: kill, filename: 'a[bc'}\n", "without its ']'");
	compile_error("rules:\n  - {name: g, action: kill, filename: '[[:alpha:]]'}\n", "[:name:]");
	compile_error(
		"rules:\n  - {name: g, action: kill, filename: '[a][a][a][a][a][a][a][a][a]'}\n",
		"more than 8 bracket");
	snprintf(text, sizeof(text), "rules:\n  - {name: a, action: kill, argv: '%065d'}\n", 0);
	compile_error(text, "a substring must be 1 to 64 bytes");
	compile_error(
		"rules:\n  - {name: g, action: kill, filename: [a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,"
		"q]}\n",
		"too many filename globs in the policy (16 at most)");
	compile_error("rules:\n  - {name: a, action: kill, argv: [a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,"
		      "q]}\n",
		      "too many argv substrings in the policy (16 at most)");
	compile_error("rules:\n  - {name: c, action: log, cgroup: /x}\n", "no cgroup v2");
	compile_error("rules:\n  - {name: p, action: log, parent: /nonexistent/x}\n",
		      "parent '/nonexistent/x'");
	snprintf(text, sizeof(text),
		 "rules:\n  - {name: long, action: log, path_prefix: /%0300d}\n", 0);
	compile_error(text, "longer than 248 bytes");
}

/* Where the kernel has no bpf_loop(), text rules are refused with the reason. */
static void test_text_refused(void **state)
{
	struct policy_env env = { .no_text = "no bpf_loop() here" };
	struct policy_compiled c;
	struct policy p;

	(void)state;
	assert_int_equal(parse("rules:\n  - {name: g, action: kill, filename: '*.sh'}\n", &p), 0);
	assert_int_equal(policy_compile(&p, 1, &env, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "rule 'g' (line 2): 'filename' cannot be decided on this "
				    "kernel: no bpf_loop() here"));
	policy_free(&p);
	assert_int_equal(parse("rules:\n  - {name: a, action: log, argv: x}\n", &p), 0);
	assert_int_equal(policy_compile(&p, 1, &env, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'argv' cannot be decided"));
	policy_free(&p);
}

/* Globs and substrings become pol_texts entries of the generation, with their rules' bits. */
static void test_text_compile(void **state)
{
	struct policy_env env = { 0 };
	struct policy_compiled c;
	struct policy p;

	(void)state;
	assert_int_equal(
		parse("rules:\n"
		      "  - {name: a, action: log, uid: 5}\n"
		      "  - {name: g, action: kill, filename: ['*/ewkill-*', '/x/[!a-c]?']}\n"
		      "  - {name: v, action: kill, argv: --evil, filename: '*.sh'}\n",
		      &p),
		0);
	assert_int_equal(policy_compile(&p, 7, &env, &c, err, sizeof(err)), 0);
	assert_int_equal(c.gen.nr_globs, 3);
	assert_int_equal(c.gen.nr_needles, 1);
	assert_int_equal(c.nr_texts, 4);
	assert_true(c.gen.cares[EW_POL_K_FILENAME] == (2 | 4));
	assert_true(c.gen.cares[EW_POL_K_ARGV] == 4);
	assert_int_equal(c.texts[0].key.gen, 7);
	assert_int_equal(c.texts[0].key.index, 0);
	assert_true(c.texts[0].text.mask == 2);
	assert_int_equal(c.texts[0].text.len, 10); /* '*' '/' e w k i l l '-' '*' */
	assert_int_equal(c.texts[0].text.op[0], EW_POL_OP_STAR);
	assert_int_equal(c.texts[1].text.op[3], EW_POL_OP_CLASS);
	assert_int_equal(c.texts[1].text.op[4], EW_POL_OP_ANY);
	assert_true(c.texts[2].text.mask == 4);
	assert_int_equal(c.texts[3].key.index, EW_POL_GLOBS_MAX + 0);
	assert_int_equal(c.texts[3].text.len, 6);
	assert_memory_equal(c.texts[3].text.tok, "--evil", 6);
	assert_true(c.texts[3].text.mask == 4);
	policy_compiled_free(&c);
	policy_free(&p);
}

/*
 * The LSM hook's last step (bpf/policy.h, pol_bprm_check): holds = the
 * rules whose conditions other than filename and argv hold for the exec; a
 * rule with a text condition could still match there. Returns the rule it
 * denies with (1-based), 0 when it lets the exec go on.
 */
static __u32 lsm_denies(const struct ew_pol_gen *g, __u64 holds)
{
	__u64 text = g->cares[EW_POL_K_FILENAME] | g->cares[EW_POL_K_ARGV];
	__u32 r = ew_pol_decider(holds, holds & text);

	return r && g->action[r - 1] == EW_POLICY_DENY ? r : 0;
}

/* sched_process_exec, the text known: text_hits = the rules whose text conditions hold. */
static __u32 exec_decides(const struct ew_pol_gen *g, __u64 holds, __u64 text_hits)
{
	__u64 text = g->cares[EW_POL_K_FILENAME] | g->cares[EW_POL_K_ARGV];

	return ew_pol_decider(holds & (text_hits | ~text), 0);
}

static void compile_text(const char *yaml, struct policy_compiled *c)
{
	struct policy_env env = { .cgroup_root = "/" };
	struct policy p;

	assert_int_equal(parse(yaml, &p), 0);
	assert_int_equal(policy_compile(&p, 1, &env, c, err, sizeof(err)), 0);
	policy_free(&p);
}

/*
 * First match at the LSM hook: a deny rule must not beat an earlier rule
 * whose filename or argv condition the hook cannot look at (issue 6).
 */
static void test_lsm_order(void **state)
{
	struct policy_compiled c;
	int i;

	(void)state;
	for (i = 0; i < 64; i++) {
		assert_int_equal(ew_pol_first(1ULL << i), i);
		assert_int_equal(ew_pol_first(~0ULL << i), i);
	}
	assert_int_equal(ew_pol_decider(0, 0), 0);
	assert_int_equal(ew_pol_decider(0, ~0ULL), 0);
	assert_int_equal(ew_pol_decider(6, 4), 2); /* the pending rule is not the first */

	/* A log rule with a glob, then a deny: the hook leaves it to sched_process_exec. */
	compile_text("rules:\n"
		     "  - {name: tag, action: log, filename: '/opt/tools/*'}\n"
		     "  - {name: no-opt, action: deny, path_prefix: /opt/}\n",
		     &c);
	assert_true(c.gen.has_deny);
	assert_int_equal(lsm_denies(&c.gen, 1 | 2), 0);
	assert_int_equal(exec_decides(&c.gen, 1 | 2, 1), 1); /* /opt/tools/x: logged */
	assert_int_equal(exec_decides(&c.gen, 1 | 2, 0), 2); /* /opt/other/y: denied, as kill */
	assert_int_equal(lsm_denies(&c.gen, 1), 0); /* outside /opt/: nothing to deny */
	policy_compiled_free(&c);

	/* The deny first: EPERM at the hook, whatever the text would say. */
	compile_text("rules:\n"
		     "  - {name: no-opt, action: deny, path_prefix: /opt/}\n"
		     "  - {name: tag, action: log, filename: '/opt/tools/*'}\n",
		     &c);
	assert_int_equal(lsm_denies(&c.gen, 1 | 2), 1);
	policy_compiled_free(&c);

	/*
	 * A kill rule with argv and a uid, a log rule, then the deny: only a
	 * standing text rule holds its place. Here the uid of rule 1 does not
	 * hold and rule 2's comm does not either: the deny decides at the hook.
	 */
	compile_text("rules:\n"
		     "  - {name: evil-arg, action: kill, argv: --evil, uid: 5}\n"
		     "  - {name: tag-nc, action: log, comm: nc}\n"
		     "  - {name: no-opt, action: deny, path_prefix: /opt/}\n",
		     &c);
	assert_true(c.gen.cares[EW_POL_K_ARGV] == 1);
	assert_int_equal(lsm_denies(&c.gen, 4), 3);
	assert_int_equal(lsm_denies(&c.gen, 2 | 4), 0); /* comm nc: logged, never denied */
	assert_int_equal(exec_decides(&c.gen, 2 | 4, 0), 2);
	assert_int_equal(lsm_denies(&c.gen, 1 | 4), 0); /* uid 5: --evil could be in argv */
	assert_int_equal(exec_decides(&c.gen, 1 | 4, 1), 1);
	assert_int_equal(exec_decides(&c.gen, 1 | 4, 0), 3);
	policy_compiled_free(&c);

	/* A deny rule with a text condition is never decided at the hook (carried out as kill). */
	compile_text("rules:\n"
		     "  - {name: deny-arg, action: deny, argv: --evil}\n",
		     &c);
	assert_int_equal(lsm_denies(&c.gen, 1), 0);
	assert_int_equal(exec_decides(&c.gen, 1, 1), 1);
	policy_compiled_free(&c);
}

static int glob_matches(const char *pattern, const char *s)
{
	struct ew_pol_text t;
	char why[128];

	assert_int_equal(policy_glob_compile(pattern, &t, why, sizeof(why)), 0);
	return policy_glob_match(&t, s, strlen(s));
}

/*
 * The kernel's matcher (the same step function, policy_abi.h) against
 * fnmatch(3) without flags: hand-picked cases, then random patterns and
 * strings over a small alphabet that makes stars, classes and '/' collide.
 */
static void test_glob_vs_fnmatch(void **state)
{
	static const char *const cases[][2] = {
		{ "*/ewkill-*", "/tmp/x/ewkill-a" },
		{ "*/ewkill-*", "/tmp/ewkeep-a" },
		{ "/usr/bin/*", "/usr/bin/sub/dir" }, /* '*' crosses '/' */
		{ "a*b*c", "aXbYbZc" },
		{ "a*b*c", "aXbYbZ" },
		{ "*", "" },
		{ "", "" },
		{ "?", "" },
		{ "[!a]x", "bx" },
		{ "[^a]x", "ax" },
		{ "[]]", "]" },
		{ "[!]]", "a" },
		{ "[a-c-]", "-" },
		{ "\\*", "*" },
		{ "\\*", "a" },
		{ "*.s[hH]", "/x/y.sH" },
		{ "**a**", "bab" },
	};
	static const char alphabet[] = "ab/*?[]!-";
	char pattern[16], s[16];
	unsigned int seed = 12345;
	size_t i, n, tried = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int want = fnmatch(cases[i][0], cases[i][1], 0) == 0;

		if (glob_matches(cases[i][0], cases[i][1]) != want) {
			print_error("'%s' on '%s': want %d\n", cases[i][0], cases[i][1], want);
			fail();
		}
	}
	for (i = 0; i < 200000; i++) {
		struct ew_pol_text t;
		char why[128];
		size_t k;

		n = (size_t)(rand_r(&seed) % 8);
		for (k = 0; k < n; k++)
			pattern[k] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
		pattern[n] = '\0';
		n = (size_t)(rand_r(&seed) % 10);
		for (k = 0; k < n; k++)
			s[k] = "ab/-]"[rand_r(&seed) % 5];
		s[n] = '\0';
		/* An unclosed '[' is refused here; fnmatch() takes it as a byte. */
		if (policy_glob_compile(pattern, &t, why, sizeof(why)))
			continue;
		tried++;
		if (policy_glob_match(&t, s, n) != (fnmatch(pattern, s, 0) == 0)) {
			print_error("'%s' on '%s': fnmatch says %d\n", pattern, s,
				    fnmatch(pattern, s, 0) == 0);
			fail();
		}
	}
	assert_true(tried > 50000);
}

/* What the formatters make of a decision: JSON's policy member, text's mark. */
static void render(const struct exec_view *v, bool json, char *out, size_t out_len)
{
	struct timefmt tf;
	struct outbuf ob;

	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	if (json)
		output_json_exec(&ob, &tf, v, NULL);
	else
		output_text_exec(&ob, &tf, v, NULL);
	assert_true(ob.len < out_len);
	memcpy(out, ob.data, ob.len);
	out[ob.len] = '\0';
	outbuf_free(&ob);
}

static void test_records(void **state)
{
	static const char argv[] = "nc\0-l\0";
	struct exec_view v;
	char out[4096];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.fixed.hdr.type = EW_EVENT_EXEC;
	v.fixed.hdr.pid = 7;
	memcpy(v.fixed.comm, "nc", 2);
	v.filename = "/usr/bin/nc";
	v.filename_len = strlen(v.filename);
	v.argv = argv;
	v.argv_len = sizeof(argv) - 1;
	v.fixed.argv_len = (uint32_t)v.argv_len;
	v.fixed.argc = 2;

	render(&v, true, out, sizeof(out));
	assert_null(strstr(out, "\"policy\""));
	render(&v, false, out, sizeof(out));
	assert_null(strstr(out, "["));

	v.fixed.policy.action = EW_POLICY_KILL;
	v.fixed.policy.rule = 2;
	v.fixed.policy.generation = 3;
	v.fixed.policy.flags = EW_POLICY_F_ENFORCED;
	v.policy_rule = "no-nc";
	render(&v, true, out, sizeof(out));
	assert_non_null(strstr(out, ",\"policy\":{\"rule\":\"no-nc\",\"action\":\"kill\","
				    "\"dry_run\":false,\"enforced\":true,\"generation\":3}}\n"));
	render(&v, false, out, sizeof(out));
	assert_non_null(strstr(out, " [kill: no-nc]\n"));

	/* Dry run, a deny carried out as kill, a name no longer known. */
	v.fixed.policy.action = EW_POLICY_DENY;
	v.fixed.policy.flags = EW_POLICY_F_DRY_RUN | EW_POLICY_F_AS_KILL;
	v.policy_rule = NULL;
	render(&v, true, out, sizeof(out));
	assert_non_null(strstr(out, "\"policy\":{\"rule\":\"#3.2\",\"action\":\"deny\","
				    "\"dry_run\":true,\"enforced\":false,\"as_kill\":true,"
				    "\"generation\":3}"));
	render(&v, false, out, sizeof(out));
	assert_non_null(strstr(out, " [would deny: #3.2]\n"));

	/* An argv rule searched a cut capture: said with and without a decision. */
	v.fixed.policy.action = EW_POLICY_KILL;
	v.fixed.policy.flags = EW_POLICY_F_ENFORCED | EW_POLICY_F_ARGV_PARTIAL;
	render(&v, true, out, sizeof(out));
	assert_non_null(strstr(out, "\"enforced\":true,\"argv_partial\":true,\"generation\":3}"));
	memset(&v.fixed.policy, 0, sizeof(v.fixed.policy));
	v.fixed.policy.flags = EW_POLICY_F_ARGV_PARTIAL;
	render(&v, true, out, sizeof(out));
	assert_non_null(strstr(out, ",\"policy\":{\"rule\":null,\"action\":\"none\","
				    "\"argv_partial\":true}}\n"));
	render(&v, false, out, sizeof(out));
	assert_null(strstr(out, "["));
}

/* cli_parse() on a copy of argv (it wants char **; getopt may permute it). */
static enum cli_result parse_cli(struct config *cfg, int argc, const char **argv)
{
	static char storage[8][64]; /* cfg points into it until the next call */
	FILE *out = fopen("/dev/null", "w"), *errs = fopen("/dev/null", "w");
	char *copy[8];
	enum cli_result r;
	int i;

	assert_true(argc < 8);
	assert_non_null(out);
	assert_non_null(errs);
	for (i = 0; i < argc; i++) {
		snprintf(storage[i], sizeof(storage[i]), "%s", argv[i]);
		copy[i] = storage[i];
	}
	copy[argc] = NULL;
	optind = 0; /* getopt_long again from the start */
	r = cli_parse(argc, copy, cfg, out, errs);
	fclose(out);
	fclose(errs);
	return r;
}

static void test_cli_options(void **state)
{
	struct config cfg;

	(void)state;
	const char *all[] = {
		"execwatch", "--policy", "p.yaml", "--dry-run", "--deny-fallback=kill", NULL
	};
	assert_int_equal(parse_cli(&cfg, 5, all), CLI_RUN);
	assert_string_equal(cfg.policy_path, "p.yaml");
	assert_true(cfg.policy_dry_run);
	assert_true(cfg.deny_fallback_kill);

	const char *none[] = { "execwatch", NULL };
	assert_int_equal(parse_cli(&cfg, 1, none), CLI_RUN);
	assert_null(cfg.policy_path);
	assert_false(cfg.policy_dry_run);
	assert_false(cfg.deny_fallback_kill);

	const char *dry_alone[] = { "execwatch", "--dry-run", NULL };
	assert_int_equal(parse_cli(&cfg, 2, dry_alone), CLI_EXIT_USAGE);
	const char *bad_fallback[] = { "execwatch", "--policy", "p", "--deny-fallback=log", NULL };
	assert_int_equal(parse_cli(&cfg, 4, bad_fallback), CLI_EXIT_USAGE);
	const char *no_file[] = { "execwatch", "--policy", NULL };
	assert_int_equal(parse_cli(&cfg, 2, no_file), CLI_EXIT_USAGE);
}

/* Every byte of err is printable ASCII: no ESC, no newline, no raw non-ASCII. */
static void assert_ascii(const char *text)
{
	const char *c;

	for (c = text; *c; c++)
		if (*c < 0x20 || *c >= 0x7f)
			fail_msg("byte 0x%02x in: %s", (unsigned char)*c, text);
}

/* Values from the file are escaped in messages: a policy cannot drive the terminal. */
static void test_hostile_escaped(void **state)
{
	struct policy p;

	(void)state;
	/* YAML double-quoted escapes put ESC, BEL, newline, C1 and U+202E into the value. */
	expect_error("rules:\n  - name: a\n    action: \"\\e[2Jk\\nforged\\a\"\n    comm: x\n",
		     "3:13", "not '\\e[2Jk\\nforged\\x07'");
	assert_ascii(err);
	expect_error("rules:\n  - name: \"r\\x9b\\u202eé\"\n    action: kill\n    comm: x\n",
		     "2:11", "'name': 'r\\u{009b}\\u{202e}\\u{00e9}' may hold only");
	assert_ascii(err);
	expect_error("rules:\n  - name: a\n    action: kill\n    uid: \"1\\t'\\\\\"\n", "4:10",
		     "'uid': '1\\t\\'\\\\' is not a numeric uid");
	assert_ascii(err);
	expect_error("rules:\n  - name: a\n    action: kill\n    \"p\\eth\": /x\n", "4:5",
		     "unknown key 'p\\eth'");
	assert_ascii(err);
	expect_error("rules: []\n\"\\e]0;x\\a\": 1\n", "2:1", "unknown key '\\e]0;x\\x07'");
	assert_ascii(err);
	/* The file name too (the --policy argument). */
	assert_int_equal(policy_parse_file("/nonexistent/\n\x1b[2J\xff", &p, err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "/nonexistent/\\n\\e[2J\\xff: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_rule),      cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),	       cmocka_unit_test(test_compile),
		cmocka_unit_test(test_compile_errors), cmocka_unit_test(test_records),
		cmocka_unit_test(test_cli_options),    cmocka_unit_test(test_text_refused),
		cmocka_unit_test(test_text_compile),   cmocka_unit_test(test_glob_vs_fnmatch),
		cmocka_unit_test(test_lsm_order),      cmocka_unit_test(test_hostile_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
