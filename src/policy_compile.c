// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Rules -> map entries for one generation (see policy_compile.h and the
 * decision scheme in policy_abi.h). Entries with the same key are merged by
 * ORing their masks; each LPM entry's mask also gets the masks of every
 * shorter entry that is a prefix of it, because the trie returns only the
 * longest match.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "policy_compile.h"
#include "escape.h"

__u64 policy_kernel_dev(unsigned long long st_dev)
{
	return ((__u64)major(st_dev) << 20) | minor(st_dev);
}

struct compile {
	const struct policy_env *env;
	struct policy_compiled *out;
	__u32 gen;
	char *err;
	size_t err_len;
	const struct policy_rule *rule;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int
fail(struct compile *c, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->err_len, "rule '%s' (line %u): %s", c->rule->name, c->rule->line,
		 reason);
	return -EINVAL;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
warn(struct compile *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->env->warn)
		return;
	fprintf(c->env->warn, "execwatch: policy: rule '%s' (line %u): ", c->rule->name,
		c->rule->line);
	va_start(ap, fmt);
	vfprintf(c->env->warn, fmt, ap);
	va_end(ap);
	fputc('\n', c->env->warn);
}

static int add_key(struct compile *c, __u32 kind, __u64 a, __u64 b, __u64 mask)
{
	struct policy_compiled *o = c->out;
	struct policy_key_entry *grown;

	/* Bounded by the map size the loader creates (pol_keys). */
	if (o->nr_keys >= 8192)
		return fail(c, "too many match values in the policy (8192 at most)");
	grown = realloc(o->keys, (o->nr_keys + 1) * sizeof(*grown));
	if (!grown)
		return fail(c, "out of memory");
	o->keys = grown;
	memset(&grown[o->nr_keys], 0, sizeof(*grown));
	grown[o->nr_keys].key.gen = c->gen;
	grown[o->nr_keys].key.kind = kind;
	grown[o->nr_keys].key.a = a;
	grown[o->nr_keys].key.b = b;
	grown[o->nr_keys].mask = mask;
	o->nr_keys++;
	return 0;
}

/* bytes: the path bytes to match; with_nul: an exact path (the NUL ends it). */
static int add_lpm(struct compile *c, const char *bytes, size_t len, bool with_nul, __u64 mask)
{
	struct policy_compiled *o = c->out;
	struct policy_lpm_entry *grown, *e;
	size_t n = len + (with_nul ? 1 : 0);

	if (n > EW_POL_PATH_BYTES)
		return fail(c,
			    "'%s' is longer than %d bytes, the longest path the kernel-side "
			    "trie holds",
			    ESCAPED_N(bytes, len), EW_POL_PATH_BYTES - (with_nul ? 1 : 0));
	if (o->nr_lpm >= 2048)
		return fail(c, "too many paths in the policy (2048 at most)");
	grown = realloc(o->lpm, (o->nr_lpm + 1) * sizeof(*grown));
	if (!grown)
		return fail(c, "out of memory");
	o->lpm = grown;
	e = &grown[o->nr_lpm++];
	memset(e, 0, sizeof(*e));
	e->key.prefixlen = (__u32)(32 + 8 * n);
	e->key.gen_be[0] = (__u8)(c->gen >> 24);
	e->key.gen_be[1] = (__u8)(c->gen >> 16);
	e->key.gen_be[2] = (__u8)(c->gen >> 8);
	e->key.gen_be[3] = (__u8)c->gen;
	memcpy(e->key.path, bytes, len);
	e->mask = mask;
	return 0;
}

static int add_identity(struct compile *c, __u32 kind, const struct stat *st, __u64 mask)
{
	return add_key(c, kind, policy_kernel_dev(st->st_dev), st->st_ino, mask);
}

static int compile_path(struct compile *c, const char *path, __u64 bit)
{
	char real[PATH_MAX];
	struct stat st;
	int err = add_lpm(c, path, strlen(path), true, bit);

	if (err)
		return err;
	if (stat(path, &st)) {
		warn(c, "'%s' does not exist now (%s); it is matched by path only", ESCAPED(path),
		     strerror(errno));
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return fail(c, "'%s' is not a regular file", ESCAPED(path));
	/* The kernel reports the file exec opened: symlinks resolved. */
	if (realpath(path, real) && strcmp(real, path)) {
		err = add_lpm(c, real, strlen(real), true, bit);
		if (err)
			return err;
	}
	return add_identity(c, EW_POL_K_FILE, &st, bit);
}

/* nftw() has no context argument: the scan in progress. */
static struct {
	struct compile *c;
	__u64 bit;
	size_t files;
	int err;
	bool full;
} scan;

static int scan_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode) || !(st->st_mode & 0111))
		return 0;
	if (scan.files++ >= POLICY_PREFIX_SCAN_MAX) {
		scan.full = true;
		return 1;
	}
	scan.err = add_identity(scan.c, EW_POL_K_FILE, st, scan.bit);
	return scan.err ? 1 : 0;
}

static int compile_prefix(struct compile *c, const char *prefix, __u64 bit)
{
	char real[PATH_MAX], dir[PATH_MAX];
	size_t len = strlen(prefix);
	int err = add_lpm(c, prefix, len, false, bit);
	char *slash;

	if (err)
		return err;
	/* The directory the prefix names, or that its last component is in. */
	snprintf(dir, sizeof(dir), "%s", prefix);
	if (dir[len - 1] != '/') {
		slash = strrchr(dir, '/');
		slash[1] = '\0';
	}
	if (!realpath(dir, real)) {
		warn(c, "'%s' does not exist now; it is matched by path only", ESCAPED(dir));
		return 0;
	}
	/* /bin/ on a merged-/usr system is /usr/bin/: the kernel reports the latter. */
	if (strcmp(real, "/") && strlen(real) + 1 < sizeof(real))
		strcat(real, "/");
	if (strcmp(real, dir)) {
		char spelled[PATH_MAX];

		snprintf(spelled, sizeof(spelled), "%s%s", real,
			 prefix + (strrchr(prefix, '/') - prefix) + 1);
		err = add_lpm(c, spelled, strlen(spelled), false, bit);
		if (err)
			return err;
	}
	/*
	 * The executables there now, by identity: a hard link or rename out of
	 * the prefix keeps the inode. Only for a directory prefix ("dir/").
	 */
	if (prefix[len - 1] != '/')
		return 0;
	scan.c = c;
	scan.bit = bit;
	scan.files = 0;
	scan.err = 0;
	scan.full = false;
	nftw(real, scan_one, 16, FTW_PHYS | FTW_MOUNT);
	if (scan.err)
		return scan.err;
	if (scan.full)
		warn(c, "more than %d executables below '%s': the rest are matched by path only",
		     POLICY_PREFIX_SCAN_MAX, ESCAPED(prefix));
	return 0;
}

static int compile_cgroup(struct compile *c, const char *path, __u64 bit)
{
	char full[PATH_MAX];
	struct stat st;

	if (!c->env->cgroup_root)
		return fail(c, "no cgroup v2 file system is mounted, so 'cgroup' cannot match");
	snprintf(full, sizeof(full), "%s%s", c->env->cgroup_root, path);
	/* On cgroup v2 a cgroup's id (bpf_get_current_cgroup_id()) is its directory's inode. */
	if (stat(full, &st) || !S_ISDIR(st.st_mode))
		return fail(c, "cgroup '%s' does not exist (looked for %s)", ESCAPED(path),
			    ESCAPED(full));
	return add_key(c, EW_POL_K_CGROUP, st.st_ino, 0, bit);
}

static struct {
	struct compile *c;
	const char *id;
	__u64 bit;
	size_t found;
	int err;
} cscan;

static int container_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type != FTW_D || !strstr(path + ftw->base, cscan.id))
		return 0;
	cscan.found++;
	cscan.err = add_key(cscan.c, EW_POL_K_CGROUP, st->st_ino, 0, cscan.bit);
	return cscan.err ? 1 : 0;
}

static int compile_container(struct compile *c, const char *id, __u64 bit)
{
	if (!c->env->cgroup_root)
		return fail(c, "no cgroup v2 file system is mounted, so 'container' cannot match");
	cscan.c = c;
	cscan.id = id;
	cscan.bit = bit;
	cscan.found = 0;
	cscan.err = 0;
	nftw(c->env->cgroup_root, container_one, 16, FTW_PHYS | FTW_MOUNT);
	if (cscan.err)
		return cscan.err;
	if (!cscan.found)
		warn(c,
		     "no running container has an id starting '%s'; a container started later "
		     "is matched after a reload (SIGHUP)",
		     ESCAPED(id));
	return 0;
}

/* Read one (possibly '\\'-escaped) pattern byte at *i; -1 at the end. */
static int glob_byte(const char *pat, size_t *i)
{
	if (pat[*i] == '\\' && pat[*i + 1])
		(*i)++;
	if (!pat[*i])
		return -1;
	return (unsigned char)pat[(*i)++];
}

/* A bracket expression starting after '[' at *i, into class k; -EINVAL if unclosed. */
static int glob_class(const char *pat, size_t *i, __u8 *cls, char *err, size_t err_len)
{
	bool negate = false, first = true;
	__u8 set[32] = { 0 };

	if (pat[*i] == '!' || pat[*i] == '^') {
		negate = true;
		(*i)++;
	}
	for (;;) {
		int lo, hi;

		if (!pat[*i]) {
			snprintf(err, err_len, "'[' without its ']'");
			return -EINVAL;
		}
		if (pat[*i] == ']' && !first) {
			(*i)++;
			break;
		}
		if (pat[*i] == '[' && pat[*i + 1] == ':') {
			snprintf(err, err_len, "character classes ([:name:]) are not supported");
			return -EINVAL;
		}
		first = false;
		lo = glob_byte(pat, i);
		hi = lo;
		if (pat[*i] == '-' && pat[*i + 1] && pat[*i + 1] != ']') {
			(*i)++;
			hi = glob_byte(pat, i);
			if (hi < 0) {
				snprintf(err, err_len, "'[' without its ']'");
				return -EINVAL;
			}
		}
		for (int c = lo; c >= 0 && c <= hi && c < 256; c++)
			set[c >> 3] |= (__u8)(1u << (c & 7));
	}
	for (int b = 0; b < 32; b++)
		cls[b] = negate ? (__u8)~set[b] : set[b];
	/* A NUL never reaches the matcher; keep it out of negated sets anyway. */
	cls[0] &= (__u8)~1u;
	return 0;
}

int policy_glob_compile(const char *pattern, struct ew_pol_text *t, char *err, size_t err_len)
{
	size_t i = 0, n = 0, classes = 0;

	memset(t, 0, sizeof(*t));
	if (strlen(pattern) > EW_POL_GLOB_BYTES) {
		snprintf(err, err_len, "longer than %d bytes", EW_POL_GLOB_BYTES);
		return -EINVAL;
	}
	while (pattern[i]) {
		char ch = pattern[i];

		/* Bounded by the pattern's length: one token per byte at most. */
		if (ch == '*') {
			t->op[n] = EW_POL_OP_STAR;
			i++;
		} else if (ch == '?') {
			t->op[n] = EW_POL_OP_ANY;
			i++;
		} else if (ch == '[') {
			if (classes == EW_POL_CLASSES) {
				snprintf(err, err_len, "more than %d bracket expressions",
					 EW_POL_CLASSES);
				return -EINVAL;
			}
			i++;
			if (glob_class(pattern, &i, t->cls[classes], err, err_len))
				return -EINVAL;
			t->op[n] = EW_POL_OP_CLASS;
			t->tok[n] = (__u8)classes++;
		} else {
			/* A lone '\\' at the end stands for itself, as in fnmatch(). */
			t->op[n] = EW_POL_OP_BYTE;
			t->tok[n] = (__u8)glob_byte(pattern, &i);
		}
		n++;
	}
	t->len = (__u32)n;
	return 0;
}

int policy_glob_match(const struct ew_pol_text *t, const char *text, size_t n)
{
	struct ew_pol_glob_st st = { .n = (__u32)n };
	size_t steps = (n + 2) * (t->len + 2);

	for (size_t k = 0; k < steps; k++) {
		__u8 ch = st.s < n ? (__u8)text[st.s] : 0;

		if (ew_pol_glob_step(&st, t, ch))
			return (int)st.result;
	}
	return 0;
}

static int add_glob(struct compile *c, const char *pattern, __u64 bit)
{
	struct policy_compiled *o = c->out;
	struct policy_text_entry *e;
	char why[128];

	if (o->gen.nr_globs >= EW_POL_GLOBS_MAX)
		return fail(c, "too many filename globs in the policy (%d at most)",
			    EW_POL_GLOBS_MAX);
	e = &o->texts[o->nr_texts];
	if (policy_glob_compile(pattern, &e->text, why, sizeof(why)))
		return fail(c, "filename '%s': %s", ESCAPED(pattern), why);
	e->key.gen = c->gen;
	e->key.index = o->gen.nr_globs++;
	e->text.mask = bit;
	o->nr_texts++;
	return 0;
}

static int add_needle(struct compile *c, const char *needle, __u64 bit)
{
	struct policy_compiled *o = c->out;
	struct policy_text_entry *e;
	size_t len = strlen(needle);

	if (o->gen.nr_needles >= EW_POL_NEEDLES_MAX)
		return fail(c, "too many argv substrings in the policy (%d at most)",
			    EW_POL_NEEDLES_MAX);
	/* An argument never holds a NUL, so a substring never spans two arguments. */
	if (!len || len > EW_POL_NEEDLE_BYTES)
		return fail(c, "argv '%s': a substring must be 1 to %d bytes", ESCAPED(needle),
			    EW_POL_NEEDLE_BYTES);
	e = &o->texts[o->nr_texts];
	memset(e, 0, sizeof(*e));
	memcpy(e->text.tok, needle, len);
	e->text.len = (__u32)len;
	e->text.mask = bit;
	e->key.gen = c->gen;
	e->key.index = EW_POL_GLOBS_MAX + o->gen.nr_needles++;
	o->nr_texts++;
	return 0;
}

static int compile_rule(struct compile *c, const struct policy_rule *r, size_t index)
{
	struct ew_pol_gen *g = &c->out->gen;
	__u64 bit = 1ULL << index;
	size_t i;
	int err = 0;

	c->rule = r;
	/* Text conditions need a loop in the kernel (bpf_loop()); refuse where there is none. */
	if ((r->filename.n || r->argv.n) && c->env->no_text)
		return fail(c, "'%s' cannot be decided on this kernel: %s",
			    r->filename.n ? "filename" : "argv", c->env->no_text);
	if (r->filename.n)
		g->cares[EW_POL_K_FILENAME] |= bit;
	for (i = 0; !err && i < r->filename.n; i++)
		err = add_glob(c, r->filename.v[i], bit);
	if (r->argv.n)
		g->cares[EW_POL_K_ARGV] |= bit;
	for (i = 0; !err && i < r->argv.n; i++)
		err = add_needle(c, r->argv.v[i], bit);
	if (err)
		return err;
	g->action[index] = (__u8)r->action;
	if (r->action == POLICY_ACTION_DENY)
		g->has_deny = 1;
	if (r->path.n || r->path_prefix.n || r->nr_inode)
		g->cares[EW_POL_K_FILE] |= bit;
	if (r->path.n || r->path_prefix.n)
		g->need_path = 1;
	for (i = 0; !err && i < r->path.n; i++)
		err = compile_path(c, r->path.v[i], bit);
	for (i = 0; !err && i < r->path_prefix.n; i++)
		err = compile_prefix(c, r->path_prefix.v[i], bit);
	for (i = 0; !err && i < r->nr_inode; i++)
		err = add_key(c, EW_POL_K_FILE,
			      ((__u64)r->inode[i].major << 20) | r->inode[i].minor, r->inode[i].ino,
			      bit);
	if (r->fileless > 0)
		g->cares[EW_POL_K_FILELESS] |= bit;
	if (r->uid.n)
		g->cares[EW_POL_K_UID] |= bit;
	for (i = 0; !err && i < r->uid.n; i++)
		err = add_key(c, EW_POL_K_UID, r->uid.v[i], 0, bit);
	if (r->not_uid.n)
		g->cares[EW_POL_K_NOT_UID] |= bit;
	for (i = 0; !err && i < r->not_uid.n; i++)
		err = add_key(c, EW_POL_K_NOT_UID, r->not_uid.v[i], 0, bit);
	if (r->cgroup.n || r->container.n)
		g->cares[EW_POL_K_CGROUP] |= bit;
	for (i = 0; !err && i < r->cgroup.n; i++)
		err = compile_cgroup(c, r->cgroup.v[i], bit);
	for (i = 0; !err && i < r->container.n; i++)
		err = compile_container(c, r->container.v[i], bit);
	if (r->parent.n)
		g->cares[EW_POL_K_PARENT] |= bit;
	for (i = 0; !err && i < r->parent.n; i++) {
		struct stat st;

		if (stat(r->parent.v[i], &st))
			return fail(c,
				    "parent '%s': %s (a parent is matched by the identity of its "
				    "executable, so it must exist)",
				    ESCAPED(r->parent.v[i]), strerror(errno));
		err = add_identity(c, EW_POL_K_PARENT, &st, bit);
	}
	if (r->comm.n)
		g->cares[EW_POL_K_COMM] |= bit;
	for (i = 0; !err && i < r->comm.n; i++) {
		char comm[16] = { 0 };
		__u64 a, b;

		memcpy(comm, r->comm.v[i], strlen(r->comm.v[i]));
		memcpy(&a, comm, 8);
		memcpy(&b, comm + 8, 8);
		err = add_key(c, EW_POL_K_COMM, a, b, bit);
	}
	return err;
}

static int key_cmp(const void *x, const void *y)
{
	return memcmp(&((const struct policy_key_entry *)x)->key,
		      &((const struct policy_key_entry *)y)->key, sizeof(struct ew_pol_key));
}

static int lpm_cmp(const void *x, const void *y)
{
	return memcmp(&((const struct policy_lpm_entry *)x)->key,
		      &((const struct policy_lpm_entry *)y)->key, sizeof(struct ew_pol_lpm));
}

/* Is a's prefix (of a->prefixlen bits) a prefix of b? Both are whole bytes. */
static bool lpm_is_prefix(const struct ew_pol_lpm *a, const struct ew_pol_lpm *b)
{
	return a->prefixlen <= b->prefixlen &&
	       !memcmp(a->gen_be, b->gen_be, (a->prefixlen / 8) < 4 ? a->prefixlen / 8 : 4) &&
	       !memcmp(a->path, b->path, a->prefixlen / 8 - 4);
}

static int merge(struct policy_compiled *o)
{
	size_t i, n = 0;

	if (o->nr_keys) {
		qsort(o->keys, o->nr_keys, sizeof(*o->keys), key_cmp);
		for (i = 0; i < o->nr_keys; i++) {
			if (n && !key_cmp(&o->keys[n - 1], &o->keys[i]))
				o->keys[n - 1].mask |= o->keys[i].mask;
			else
				o->keys[n++] = o->keys[i];
		}
		o->nr_keys = n;
	}
	if (o->nr_lpm) {
		qsort(o->lpm, o->nr_lpm, sizeof(*o->lpm), lpm_cmp);
		n = 0;
		for (i = 0; i < o->nr_lpm; i++) {
			if (n && !lpm_cmp(&o->lpm[n - 1], &o->lpm[i]))
				o->lpm[n - 1].mask |= o->lpm[i].mask;
			else
				o->lpm[n++] = o->lpm[i];
		}
		o->nr_lpm = n;
		/* Inherit from the entries' own masks (a copy), not from already-grown ones. */
		__u64 *own = calloc(n, sizeof(*own));

		if (!own)
			return -ENOMEM;
		for (i = 0; i < n; i++)
			own[i] = o->lpm[i].mask;
		for (i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++)
				if (j != i && lpm_is_prefix(&o->lpm[j].key, &o->lpm[i].key))
					o->lpm[i].mask |= own[j];
		free(own);
	}
	return 0;
}

int policy_compile(const struct policy *policy, __u32 gen, const struct policy_env *env,
		   struct policy_compiled *out, char *err, size_t err_len)
{
	struct compile c = { .env = env, .out = out, .gen = gen, .err = err, .err_len = err_len };
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (policy->nr_rules > POLICY_RULES_MAX) {
		snprintf(err, err_len, "more than %d rules", POLICY_RULES_MAX);
		return -EINVAL;
	}
	out->gen.nr_rules = (__u32)policy->nr_rules;
	for (size_t i = 0; !ret && i < policy->nr_rules; i++)
		ret = compile_rule(&c, &policy->rules[i], i);
	if (!ret && merge(out)) {
		snprintf(err, err_len, "out of memory");
		ret = -ENOMEM;
	}
	if (ret)
		policy_compiled_free(out);
	return ret;
}

void policy_compiled_free(struct policy_compiled *c)
{
	if (!c)
		return;
	free(c->keys);
	free(c->lpm);
	c->keys = NULL;
	c->lpm = NULL;
	c->nr_keys = c->nr_lpm = 0;
}
