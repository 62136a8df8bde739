// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The policy file parser (see policy.h for the format). libyaml loads the
 * document into a node tree that keeps every node's position; we walk it
 * once, check each key and value, and copy the values out. The tree holds
 * aliases as shared nodes, so a "billion laughs" document stays small in
 * memory; what we copy out is capped by POLICY_VALUES_MAX per key and
 * POLICY_RULES_MAX rules.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "policy.h"
#include "escape.h"
#include "readfile.h"

struct parse {
	yaml_document_t *doc;
	char *err;
	size_t err_len;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(struct parse *p, const yaml_node_t *node, const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (node)
		snprintf(p->err, p->err_len, "%zu:%zu: %s", node->start_mark.line + 1,
			 node->start_mark.column + 1, reason);
	else
		snprintf(p->err, p->err_len, "%s", reason);
	return -EINVAL;
}

static const char *scalar(const yaml_node_t *node)
{
	return (const char *)node->data.scalar.value;
}

/* A scalar with no NUL inside and of sane length, or an error. */
static int get_scalar(struct parse *p, const yaml_node_t *node, const char *key, size_t max,
		      const char **out)
{
	if (node->type != YAML_SCALAR_NODE)
		return fail(p, node, "'%s' needs a single value here, not a %s", ESCAPED(key),
			    node->type == YAML_MAPPING_NODE ? "mapping" : "list");
	if (strlen(scalar(node)) != node->data.scalar.length)
		return fail(p, node, "'%s': the value contains a NUL byte", ESCAPED(key));
	if (node->data.scalar.length == 0)
		return fail(p, node, "'%s': the value is empty", ESCAPED(key));
	if (node->data.scalar.length > max)
		return fail(p, node, "'%s': the value is longer than %zu bytes", ESCAPED(key), max);
	*out = scalar(node);
	return 0;
}

/*
 * Call one for each value of a key: a scalar is one value, a list (flow or
 * block) of scalars many. one() returns 0 or -EINVAL (having called fail()).
 */
typedef int (*value_fn)(struct parse *p, const yaml_node_t *node, const char *key, void *ctx);

static int each_value(struct parse *p, yaml_node_t *node, const char *key, value_fn one, void *ctx)
{
	yaml_node_item_t *item;
	size_t n = 0;
	int err;

	if (node->type == YAML_SCALAR_NODE)
		return one(p, node, key, ctx);
	if (node->type != YAML_SEQUENCE_NODE)
		return fail(p, node, "'%s' takes a value or a list of values, not a mapping",
			    ESCAPED(key));
	if (node->data.sequence.items.start == node->data.sequence.items.top)
		return fail(p, node, "'%s': the list is empty", ESCAPED(key));
	for (item = node->data.sequence.items.start; item < node->data.sequence.items.top; item++) {
		yaml_node_t *child = yaml_document_get_node(p->doc, *item);

		if (!child)
			return fail(p, node, "'%s': broken list", ESCAPED(key));
		if (++n > POLICY_VALUES_MAX)
			return fail(p, child, "'%s' lists more than %d values", ESCAPED(key),
				    POLICY_VALUES_MAX);
		if (child->type != YAML_SCALAR_NODE)
			return fail(p, child, "'%s': a list item must be a single value",
				    ESCAPED(key));
		err = one(p, child, key, ctx);
		if (err)
			return err;
	}
	return 0;
}

static int push_string(struct parse *p, const yaml_node_t *node, struct policy_strings *s,
		       const char *value)
{
	char **v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (!v)
		return fail(p, node, "out of memory");
	s->v = v;
	v[s->n] = strdup(value);
	if (!v[s->n])
		return fail(p, node, "out of memory");
	s->n++;
	return 0;
}

static int one_path(struct parse *p, const yaml_node_t *node, const char *key, void *ctx)
{
	const char *v;
	int err = get_scalar(p, node, key, PATH_MAX - 1, &v);

	if (err)
		return err;
	if (v[0] != '/')
		return fail(p, node, "'%s': '%s' is not an absolute path", ESCAPED(key),
			    ESCAPED(v));
	return push_string(p, node, ctx, v);
}

static int one_text(struct parse *p, const yaml_node_t *node, const char *key, void *ctx)
{
	const char *v;
	int err = get_scalar(p, node, key, PATH_MAX - 1, &v);

	return err ? err : push_string(p, node, ctx, v);
}

static int one_comm(struct parse *p, const yaml_node_t *node, const char *key, void *ctx)
{
	const char *v;
	/* TASK_COMM_LEN - 1: the kernel cuts longer names, so they could never match. */
	int err = get_scalar(p, node, key, 15, &v);

	return err ? err : push_string(p, node, ctx, v);
}

static int one_container(struct parse *p, const yaml_node_t *node, const char *key, void *ctx)
{
	const char *v, *c;
	int err = get_scalar(p, node, key, 64, &v);

	if (err)
		return err;
	for (c = v; *c; c++)
		if (!strchr("0123456789abcdef", *c))
			return fail(p, node, "'%s': '%s' is not a container id (lowercase hex)",
				    ESCAPED(key), ESCAPED(v));
	if (strlen(v) < 12)
		return fail(p, node, "'%s': '%s' is too short (at least 12 hex digits)",
			    ESCAPED(key), ESCAPED(v));
	return push_string(p, node, ctx, v);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int one_uid(struct parse *p, const yaml_node_t *node, const char *key, void *ctx)
{
	struct policy_u32s *u = ctx;
	const char *v;
	uint64_t value;
	uint32_t *grown;
	int err = get_scalar(p, node, key, 32, &v);

	if (err)
		return err;
	/* (uid_t)-1 is "no uid" everywhere in the kernel, never a real one. */
	if (parse_u64(v, UINT32_MAX - 1, &value))
		return fail(p, node, "'%s': '%s' is not a numeric uid", ESCAPED(key), ESCAPED(v));
	grown = realloc(u->v, (u->n + 1) * sizeof(*grown));
	if (!grown)
		return fail(p, node, "out of memory");
	u->v = grown;
	u->v[u->n++] = (uint32_t)value;
	return 0;
}

static int one_inode(struct parse *p, const yaml_node_t *node, const char *key, void *ctx)
{
	struct policy_rule *r = ctx;
	struct policy_inode *grown, ident;
	uint64_t major, minor, ino;
	char buf[64], *a, *b;
	const char *v;
	int err = get_scalar(p, node, key, sizeof(buf) - 1, &v);

	if (err)
		return err;
	strcpy(buf, v);
	a = strchr(buf, ':');
	b = a ? strchr(a + 1, ':') : NULL;
	if (!a || !b)
		return fail(p, node, "'%s': '%s' is not MAJOR:MINOR:INODE", ESCAPED(key),
			    ESCAPED(v));
	*a++ = '\0';
	*b++ = '\0';
	/* The kernel's dev_t has 12 bits of major and 20 of minor (MINORBITS). */
	if (parse_u64(buf, 0xfff, &major) || parse_u64(a, 0xfffff, &minor) ||
	    parse_u64(b, UINT64_MAX, &ino) || ino == 0)
		return fail(p, node, "'%s': '%s' is not MAJOR:MINOR:INODE (numbers, major < 4096)",
			    ESCAPED(key), ESCAPED(v));
	ident.major = (uint32_t)major;
	ident.minor = (uint32_t)minor;
	ident.ino = ino;
	grown = realloc(r->inode, (r->nr_inode + 1) * sizeof(*grown));
	if (!grown)
		return fail(p, node, "out of memory");
	r->inode = grown;
	r->inode[r->nr_inode++] = ident;
	return 0;
}

static int parse_bool(struct parse *p, const yaml_node_t *node, const char *key, int *out)
{
	const char *v;
	int err = get_scalar(p, node, key, 8, &v);

	if (err)
		return err;
	if (!strcmp(v, "true") || !strcmp(v, "yes"))
		*out = 1;
	else if (!strcmp(v, "false") || !strcmp(v, "no"))
		*out = 0;
	else
		return fail(p, node, "'%s' is true or false, not '%s'", ESCAPED(key), ESCAPED(v));
	return 0;
}

static int parse_action(struct parse *p, const yaml_node_t *node, enum policy_action *out)
{
	const char *v;
	int err = get_scalar(p, node, "action", 16, &v);

	if (err)
		return err;
	if (!strcmp(v, "log"))
		*out = POLICY_ACTION_LOG;
	else if (!strcmp(v, "kill"))
		*out = POLICY_ACTION_KILL;
	else if (!strcmp(v, "deny"))
		*out = POLICY_ACTION_DENY;
	else
		return fail(p, node, "'action' is log, kill or deny, not '%s'", ESCAPED(v));
	return 0;
}

/* Names are printed in records and on terminals: keep them to a safe alphabet. */
static int parse_name(struct parse *p, const yaml_node_t *node, char **out)
{
	const char *v, *c;
	int err = get_scalar(p, node, "name", POLICY_NAME_MAX, &v);

	if (err)
		return err;
	for (c = v; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || strchr("-_.:", *c)))
			return fail(p, node,
				    "'name': '%s' may hold only letters, digits and - _ . :",
				    ESCAPED(v));
	*out = strdup(v);
	return *out ? 0 : fail(p, node, "out of memory");
}

static bool rule_matches_something(const struct policy_rule *r)
{
	return r->path.n || r->path_prefix.n || r->nr_inode || r->filename.n || r->fileless >= 0 ||
	       r->uid.n || r->not_uid.n || r->cgroup.n || r->container.n || r->parent.n ||
	       r->comm.n || r->argv.n;
}

static int parse_rule(struct parse *p, yaml_node_t *node, struct policy_rule *r,
		      const struct policy *sofar)
{
	yaml_node_pair_t *pair;
	bool have_action = false;
	int err = 0;

	r->fileless = -1;
	r->line = (unsigned int)node->start_mark.line + 1;
	if (node->type != YAML_MAPPING_NODE)
		return fail(p, node, "a rule is a mapping (name:, action:, what to match)");
	for (pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(p->doc, pair->value);
		const char *key;
		bool seen = false;

		if (!k || !v || k->type != YAML_SCALAR_NODE)
			return fail(p, k ? k : node, "a rule's keys are plain words");
		key = scalar(k);
		/* A repeated key would silently replace the first: refuse it. */
		for (yaml_node_pair_t *q = node->data.mapping.pairs.start; q < pair; q++) {
			yaml_node_t *qk = yaml_document_get_node(p->doc, q->key);

			if (qk && qk->type == YAML_SCALAR_NODE && !strcmp(scalar(qk), key))
				seen = true;
		}
		if (seen)
			return fail(p, k, "'%s' is given twice in this rule", ESCAPED(key));
		if (!strcmp(key, "name"))
			err = parse_name(p, v, &r->name);
		else if (!strcmp(key, "action"))
			err = parse_action(p, v, &r->action), have_action = true;
		else if (!strcmp(key, "path"))
			err = each_value(p, v, key, one_path, &r->path);
		else if (!strcmp(key, "path_prefix"))
			err = each_value(p, v, key, one_path, &r->path_prefix);
		else if (!strcmp(key, "inode"))
			err = each_value(p, v, key, one_inode, r);
		else if (!strcmp(key, "filename"))
			err = each_value(p, v, key, one_text, &r->filename);
		else if (!strcmp(key, "fileless"))
			err = parse_bool(p, v, key, &r->fileless);
		else if (!strcmp(key, "uid"))
			err = each_value(p, v, key, one_uid, &r->uid);
		else if (!strcmp(key, "not_uid"))
			err = each_value(p, v, key, one_uid, &r->not_uid);
		else if (!strcmp(key, "cgroup"))
			err = each_value(p, v, key, one_path, &r->cgroup);
		else if (!strcmp(key, "container"))
			err = each_value(p, v, key, one_container, &r->container);
		else if (!strcmp(key, "parent"))
			err = each_value(p, v, key, one_path, &r->parent);
		else if (!strcmp(key, "comm"))
			err = each_value(p, v, key, one_comm, &r->comm);
		else if (!strcmp(key, "argv"))
			err = each_value(p, v, key, one_text, &r->argv);
		else
			return fail(p, k,
				    "unknown key '%s' (a rule has name, action, path, "
				    "path_prefix, inode, filename, fileless, uid, not_uid, cgroup, "
				    "container, parent, comm, argv)",
				    ESCAPED_N(key, strnlen(key, 64)));
		if (err)
			return err;
	}
	if (!r->name)
		return fail(p, node, "this rule has no 'name'");
	for (size_t i = 0; i < sofar->nr_rules; i++)
		if (!strcmp(sofar->rules[i].name, r->name))
			return fail(p, node, "rule name '%s' is used twice (first at line %u)",
				    ESCAPED(r->name), sofar->rules[i].line);
	if (!have_action)
		return fail(p, node, "rule '%s' has no 'action' (log, kill or deny)",
			    ESCAPED(r->name));
	if (!rule_matches_something(r))
		return fail(p, node,
			    "rule '%s' matches nothing: give at least one of path, path_prefix, "
			    "inode, filename, fileless, uid, not_uid, cgroup, container, parent, "
			    "comm, argv",
			    ESCAPED(r->name));
	if (r->fileless == 0)
		return fail(p, node, "rule '%s': 'fileless: false' is not supported; leave it out",
			    r->name);
	return 0;
}

static void free_strings(struct policy_strings *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static void rule_free(struct policy_rule *r)
{
	free(r->name);
	free_strings(&r->path);
	free_strings(&r->path_prefix);
	free(r->inode);
	free_strings(&r->filename);
	free(r->uid.v);
	free(r->not_uid.v);
	free_strings(&r->cgroup);
	free_strings(&r->container);
	free_strings(&r->parent);
	free_strings(&r->comm);
	free_strings(&r->argv);
}

void policy_free(struct policy *policy)
{
	if (!policy)
		return;
	for (size_t i = 0; i < policy->nr_rules; i++)
		rule_free(&policy->rules[i]);
	free(policy->rules);
	policy->rules = NULL;
	policy->nr_rules = 0;
}

static int parse_rules(struct parse *p, yaml_node_t *list, struct policy *out)
{
	yaml_node_item_t *item;

	if (list->type != YAML_SEQUENCE_NODE)
		return fail(p, list, "'rules' is a list of rules (each starting with '- ')");
	for (item = list->data.sequence.items.start; item < list->data.sequence.items.top; item++) {
		yaml_node_t *node = yaml_document_get_node(p->doc, *item);
		struct policy_rule r;
		int err;

		if (!node)
			return fail(p, list, "broken list");
		if (out->nr_rules == POLICY_RULES_MAX)
			return fail(p, node, "more than %d rules", POLICY_RULES_MAX);
		memset(&r, 0, sizeof(r));
		err = parse_rule(p, node, &r, out);
		if (err) {
			rule_free(&r);
			return err;
		}
		out->rules[out->nr_rules++] = r;
	}
	return 0;
}

static int parse_document(struct parse *p, struct policy *out)
{
	yaml_node_t *root = yaml_document_get_root_node(p->doc);
	yaml_node_pair_t *pair;
	bool have_rules = false;

	if (!root)
		return fail(p, NULL, "1:1: the policy is empty (it needs 'rules:')");
	if (root->type != YAML_MAPPING_NODE)
		return fail(p, root, "the policy is a mapping with 'rules:' (and 'version: 1')");
	for (pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(p->doc, pair->value);
		int err;

		if (!k || !v || k->type != YAML_SCALAR_NODE)
			return fail(p, k ? k : root, "top-level keys are plain words");
		if (!strcmp(scalar(k), "version")) {
			if (v->type != YAML_SCALAR_NODE || strcmp(scalar(v), "1"))
				return fail(p, v, "this execwatch reads policy version 1");
		} else if (!strcmp(scalar(k), "rules")) {
			if (have_rules)
				return fail(p, k, "'rules' is given twice");
			have_rules = true;
			err = parse_rules(p, v, out);
			if (err)
				return err;
		} else {
			return fail(p, k, "unknown key '%s' (the policy has version and rules)",
				    ESCAPED_N(scalar(k), strnlen(scalar(k), 64)));
		}
	}
	if (!have_rules)
		return fail(p, root, "the policy has no 'rules:'");
	return 0;
}

int policy_parse(const char *text, size_t len, struct policy *out, char *err, size_t err_len)
{
	struct parse p = { .err = err, .err_len = err_len };
	yaml_parser_t parser;
	yaml_document_t doc;
	int ret;

	memset(out, 0, sizeof(*out));
	if (err_len)
		err[0] = '\0';
	if (len > POLICY_FILE_MAX_BYTES)
		return fail(&p, NULL, "the policy is larger than %d bytes", POLICY_FILE_MAX_BYTES);
	out->rules = calloc(POLICY_RULES_MAX, sizeof(*out->rules));
	if (!out->rules)
		return fail(&p, NULL, "out of memory");
	if (!yaml_parser_initialize(&parser)) {
		free(out->rules);
		out->rules = NULL;
		return fail(&p, NULL, "out of memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		const yaml_mark_t *m = parser.problem ? &parser.problem_mark : &parser.context_mark;

		snprintf(err, err_len, "%zu:%zu: YAML: %s%s%s", m->line + 1, m->column + 1,
			 parser.problem ? parser.problem : "malformed document",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		policy_free(out);
		return -EINVAL;
	}
	p.doc = &doc;
	ret = parse_document(&p, out);
	/* A second document would be ignored silently: refuse it. */
	if (!ret) {
		yaml_document_t next;

		if (!yaml_parser_load(&parser, &next)) {
			ret = fail(&p, NULL, "YAML: malformed text after the policy");
		} else {
			if (yaml_document_get_root_node(&next))
				ret = fail(&p, NULL, "%zu:%zu: only one YAML document is read",
					   next.start_mark.line + 1, next.start_mark.column + 1);
			yaml_document_delete(&next);
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (ret)
		policy_free(out);
	return ret;
}

int policy_parse_file(const char *path, struct policy *out, char *err, size_t err_len)
{
	char inner[512];
	char *text;
	size_t len;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = readfile_small(path, POLICY_FILE_MAX_BYTES, &text, &len);
	if (ret == -EINVAL || ret == -EFBIG)
		snprintf(err, err_len, "%s: not a regular file of at most %d bytes", ESCAPED(path),
			 POLICY_FILE_MAX_BYTES);
	else if (ret == -ENOMEM)
		snprintf(err, err_len, "%s: out of memory", ESCAPED(path));
	else if (ret)
		snprintf(err, err_len, "%s: %s", ESCAPED(path), strerror(-ret));
	if (ret)
		return ret;
	ret = policy_parse(text, len, out, inner, sizeof(inner));
	if (ret)
		snprintf(err, err_len, "%s:%s", ESCAPED(path), inner);
	free(text);
	return ret;
}

const char *policy_action_name(enum policy_action action)
{
	switch (action) {
	case POLICY_ACTION_LOG:
		return "log";
	case POLICY_ACTION_KILL:
		return "kill";
	case POLICY_ACTION_DENY:
		return "deny";
	default:
		return "none";
	}
}

bool policy_has_action(const struct policy *policy, enum policy_action action)
{
	for (size_t i = 0; i < policy->nr_rules; i++)
		if (policy->rules[i].action == action)
			return true;
	return false;
}
