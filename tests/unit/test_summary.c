// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/summary.c (--summary): per-program exec and failure
 * counts; the parent commands of each program (the first SUMMARY_PARENTS
 * distinct ones counted, the rest as other_parents); the memory bound (past
 * SUMMARY_MAX_PROGRAMS distinct programs, execs of new ones are counted in
 * other_programs while known ones keep counting); rows ordered by count,
 * then by name, at most SUMMARY_TOP of them; the text table against exact
 * expected bytes (title line, column titles lined up with the columns,
 * escaped names, padding by characters) and the {"type":"summary"} record,
 * which must be strict JSON (json_check.h) with a lossless *_b64 sibling for
 * invalid UTF-8; and summary_reset() / summary_free(). Time stamps use
 * timefmt_init(&tf, 0) and TZ=UTC, so boot time is wall time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include <cmocka.h>

#include "decode.h"
#include "json_check.h"
#include "outbuf.h"
#include "summary.h"
#include "timefmt.h"

#define NS 1000000000LL
/* 2026-11-24T21:50:13.123456789Z */
#define BOOT_2026 (1795557013LL * NS + 123456789)
/* 10.04 s later: 21:50:23.163456789 */
#define LATER (BOOT_2026 + 10040000000LL)

static char rendered[1 << 16];
/* The summary under test, freed by the teardown also when a test fails. */
static struct summary live;

static int free_live(void **state)
{
	(void)state;
	summary_free(&live);
	return 0;
}

static int setup_utc(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static struct exec_view make_view(const char *filename, size_t filename_len, int32_t ret,
				  const char *parent_comm, size_t parent_len)
{
	struct exec_view v;

	memset(&v, 0, sizeof(v));
	v.fixed.hdr.type = ret < 0 ? EW_EVENT_EXEC_FAILED : EW_EVENT_EXEC;
	v.fixed.hdr.boot_ns = BOOT_2026;
	v.fixed.ret = ret;
	v.fixed.filename_len = (uint16_t)filename_len;
	memcpy(v.fixed.comm, "child", 5);
	assert_true(parent_len <= EW_COMM_LEN);
	memcpy(v.fixed.parent_comm, parent_comm, parent_len);
	v.filename = filename;
	v.filename_len = filename_len;
	v.argv = "x";
	v.argv_len = 2;
	return v;
}

/* Add n execs of filename by parent (a NUL-terminated name). */
static void add(struct summary *s, const char *filename, int32_t ret, const char *parent, int n)
{
	struct exec_view v = make_view(filename, strlen(filename), ret, parent, strlen(parent));
	int i;

	for (i = 0; i < n; i++)
		summary_add(s, &v);
}

static const struct summary_program *find(const struct summary *s, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < SUMMARY_MAX_PROGRAMS * 2; i++) {
		const struct summary_program *p = &s->programs[i];

		if (p->filename && p->filename_len == len && !memcmp(p->filename, name, len))
			return p;
	}
	return NULL;
}

#define FIND(s, name) find(s, name, strlen(name))

static const char *text(const struct summary *s, int64_t now, bool final)
{
	struct timefmt tf;
	struct outbuf ob;

	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	summary_print_text(s, &ob, &tf, now, final);
	assert_int_equal(ob.alloc_failed, 0);
	assert_true(ob.len < sizeof(rendered));
	memcpy(rendered, ob.data, ob.len);
	rendered[ob.len] = '\0';
	outbuf_free(&ob);
	if (!jc_utf8_valid(rendered, strlen(rendered)))
		fail_msg("summary text is not valid UTF-8");
	return rendered;
}

static const char *json(const struct summary *s, int64_t now, bool final)
{
	struct timefmt tf;
	struct outbuf ob;
	size_t len;

	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	summary_print_json(s, &ob, &tf, now, final);
	assert_int_equal(ob.alloc_failed, 0);
	assert_true(ob.len < sizeof(rendered));
	memcpy(rendered, ob.data, ob.len);
	rendered[ob.len] = '\0';
	outbuf_free(&ob);
	len = strlen(rendered);
	assert_true(len > 1);
	assert_int_equal(rendered[len - 1], '\n');
	if (memchr(rendered, '\n', len - 1))
		fail_msg("more than one line: %s", rendered);
	if (!jc_utf8_valid(rendered, len))
		fail_msg("not valid UTF-8: %s", rendered);
	if (!jc_json_compact_object(rendered, len - 1))
		fail_msg("not one strict JSON object: %s", rendered);
	return rendered;
}

static void test_empty(void **state)
{
	struct summary *s = &live;

	(void)state;
	assert_int_equal(summary_init(s, BOOT_2026), 0);
	assert_int_equal(s->execs, 0);
	assert_int_equal(s->failed, 0);
	assert_int_equal(s->nr_programs, 0);
	assert_int_equal(s->other_programs, 0);
	assert_int_equal(s->since_boot_ns, BOOT_2026);
	/* No rows, so no column titles either. */
	assert_string_equal(text(s, BOOT_2026, false),
			    "--- execwatch summary, 21:50:13.123 (0.0 s): 0 execs, 0 failed, "
			    "0 programs\n");
	assert_string_equal(json(s, BOOT_2026, false),
			    "{\"type\":\"summary\",\"time\":\"2026-11-24T21:50:13.123456789Z\","
			    "\"final\":false,\"seconds\":0.000,\"execs\":0,\"failed\":0,"
			    "\"other_programs\":0,\"programs\":[]}\n");
	summary_free(s);
}

static void test_counts(void **state)
{
	const struct summary_program *p;
	struct summary *s = &live;

	(void)state;
	assert_int_equal(summary_init(s, 0), 0);
	add(s, "/usr/bin/ls", 0, "bash", 3);
	add(s, "/usr/bin/ls", -2, "bash", 1);
	add(s, "/bin/sh", -13, "cron", 2);
	add(s, "/bin/sh", 0, "cron", 1);
	add(s, "./nope", -2, "bash", 1);
	assert_int_equal(s->execs, 8);
	assert_int_equal(s->failed, 4);
	assert_int_equal(s->nr_programs, 3);
	assert_int_equal(s->other_programs, 0);
	p = FIND(s, "/usr/bin/ls");
	assert_non_null(p);
	assert_int_equal(p->count, 4);
	assert_int_equal(p->failed, 1);
	assert_int_equal(p->filename_len, 11);
	assert_string_equal(p->filename, "/usr/bin/ls");
	p = FIND(s, "/bin/sh");
	assert_non_null(p);
	assert_int_equal(p->count, 3);
	assert_int_equal(p->failed, 2);
	p = FIND(s, "./nope");
	assert_non_null(p);
	assert_int_equal(p->count, 1);
	assert_int_equal(p->failed, 1);
	/* Programs are told apart by every byte: no prefix or case folding. */
	add(s, "/usr/bin/l", 0, "bash", 1);
	add(s, "/usr/bin/LS", 0, "bash", 1);
	add(s, "", 0, "bash", 1);
	assert_int_equal(s->nr_programs, 6);
	assert_int_equal(FIND(s, "/usr/bin/ls")->count, 4);
	assert_int_equal(FIND(s, "")->count, 1);
	summary_free(s);
}

static void test_parents(void **state)
{
	static const char full[EW_COMM_LEN] = "0123456789abcdef"; /* no NUL */
	const struct summary_program *p;
	struct exec_view v;
	struct summary *s = &live;

	(void)state;
	assert_int_equal(summary_init(s, 0), 0);
	add(s, "/x", 0, "bash", 3);
	add(s, "/x", 0, "sshd", 1);
	add(s, "/x", 0, "", 2);
	v = make_view("/x", 2, 0, full, sizeof(full));
	summary_add(s, &v);
	/* The first four distinct parents have their own counts... */
	p = FIND(s, "/x");
	assert_non_null(p);
	assert_string_equal(p->parents[0].comm, "bash");
	assert_int_equal(p->parents[0].count, 3);
	assert_string_equal(p->parents[1].comm, "sshd");
	assert_int_equal(p->parents[1].count, 1);
	assert_string_equal(p->parents[2].comm, "");
	assert_int_equal(p->parents[2].count, 2);
	assert_memory_equal(p->parents[3].comm, full, EW_COMM_LEN);
	assert_int_equal(p->parents[3].count, 1);
	assert_int_equal(p->other_parents, 0);
	/* ...later ones are counted together... */
	add(s, "/x", 0, "cron", 2);
	add(s, "/x", 0, "make", 1);
	assert_int_equal(p->other_parents, 3);
	/* ...and the kept ones go on counting. */
	add(s, "/x", 0, "sshd", 4);
	summary_add(s, &v);
	assert_int_equal(p->parents[1].count, 5);
	assert_int_equal(p->parents[3].count, 2);
	assert_int_equal(p->other_parents, 3);
	assert_int_equal(p->count, 3 + 1 + 2 + 1 + 2 + 1 + 4 + 1);
	/* A 16-byte comm is not a prefix match for a longer one, nor for a shorter. */
	add(s, "/x", 0, "0123456789abcde", 1);
	assert_int_equal(p->parents[3].count, 2);
	assert_int_equal(p->other_parents, 4);
	/* Per program. */
	add(s, "/y", 0, "make", 1);
	p = FIND(s, "/y");
	assert_string_equal(p->parents[0].comm, "make");
	assert_int_equal(p->parents[0].count, 1);
	assert_int_equal(p->parents[1].count, 0);
	assert_int_equal(p->other_parents, 0);
	summary_free(s);
}

static void test_bound(void **state)
{
	const struct summary_program *p;
	struct summary *s = &live;
	char name[32];
	const char *t;
	int i;

	(void)state;
	assert_int_equal(summary_init(s, BOOT_2026), 0);
	for (i = 0; i < SUMMARY_MAX_PROGRAMS; i++) {
		snprintf(name, sizeof(name), "/p/%d", i);
		add(s, name, 0, "sh", 1);
	}
	assert_int_equal(s->nr_programs, SUMMARY_MAX_PROGRAMS);
	assert_int_equal(s->other_programs, 0);
	/* Past the bound: new programs are only counted, failures too. */
	add(s, "/new/a", 0, "sh", 1);
	add(s, "/new/b", -2, "sh", 2);
	add(s, "/new/a", 0, "sh", 1);
	assert_int_equal(s->nr_programs, SUMMARY_MAX_PROGRAMS);
	assert_int_equal(s->other_programs, 4);
	assert_null(FIND(s, "/new/a"));
	assert_int_equal(s->execs, SUMMARY_MAX_PROGRAMS + 4);
	assert_int_equal(s->failed, 2);
	/* Known programs keep their own counts. */
	add(s, "/p/17", -1, "sh", 2);
	p = FIND(s, "/p/17");
	assert_non_null(p);
	assert_int_equal(p->count, 3);
	assert_int_equal(p->failed, 2);
	assert_int_equal(s->other_programs, 4);
	assert_int_equal(s->execs, SUMMARY_MAX_PROGRAMS + 6);

	t = text(s, LATER, false);
	assert_non_null(strstr(t, "--- execwatch summary, 21:50:23.163 (10.0 s): 4102 execs, "
				  "4 failed, 4096 programs\n"));
	assert_non_null(strstr(t, "      3       2  /p/17 "));
	assert_non_null(strstr(t, "\n  ... and 4081 more programs\n"
				  "  4 execs of programs past the 4096-program bound\n"));
	assert_int_equal(t[strlen(t) - 1], '\n');
	t = json(s, LATER, true);
	assert_non_null(strstr(t, "\"final\":true,\"seconds\":10.040,\"execs\":4102,\"failed\":4,"
				  "\"other_programs\":4,\"programs\":[{\"filename\":\"/p/17\","
				  "\"count\":3,\"failed\":2,"));
	summary_free(s);
}

/* Count first (descending), then the name, as bytes; only the top rows print. */
static void test_order_and_top(void **state)
{
	struct summary *s = &live;
	char name[32], want[64];
	const char *t, *prev, *row;
	int i;

	(void)state;
	assert_int_equal(summary_init(s, BOOT_2026), 0);
	/* 20 programs: /p/00 once ... /p/19 twenty times, added out of order. */
	for (i = 19; i >= 0; i--) {
		snprintf(name, sizeof(name), "/p/%02d", (i * 7) % 20);
		add(s, name, 0, "sh", (i * 7) % 20 + 1);
	}
	/* Ties broken by name: /b, /c, then /\xff (bytes compare unsigned). */
	add(s, "/c", 0, "sh", 20);
	add(s, "/\xff", 0, "sh", 20);
	add(s, "/b", 0, "sh", 20);
	t = text(s, LATER, false);
	prev = t;
	for (i = 0; i < SUMMARY_TOP; i++) {
		static const char *const first[] = { "/b", "/c", "/p/19", "\"/\\xff\"" };

		if (i < 4) {
			snprintf(want, sizeof(want), "     20       0  %s ", first[i]);
		} else {
			snprintf(want, sizeof(want), "%7d       0  /p/%02d ", 23 - i, 22 - i);
		}
		row = strstr(prev, want);
		if (!row)
			fail_msg("row %d [%s] missing after: %s", i, want, prev);
		prev = row + 1;
	}
	/* Only SUMMARY_TOP rows; the rest are counted. */
	assert_null(strstr(t, "/p/07 "));
	assert_non_null(strstr(t, "\n  ... and 8 more programs\n"));
	assert_null(strstr(t, "past the"));
	summary_free(s);
}

/* The rows of the golden tests, the column-title line aside. */
static void fill_golden(struct summary *s)
{
	assert_int_equal(summary_init(s, BOOT_2026), 0);
	add(s, "/usr/bin/ls", 0, "bash", 3);
	add(s, "/usr/bin/ls", -2, "sshd", 2);
	add(s, "/bin/sh", 0, "cron", 5);
	add(s, "/tmp/my prog", -13, "a b", 2);
	add(s, "/usr/bin/git", 0, "p1", 1);
	add(s, "/usr/bin/git", 0, "p2", 1);
	add(s, "/usr/bin/git", 0, "p3", 1);
	add(s, "/usr/bin/git", 0, "p4", 1);
	add(s, "/usr/bin/git", 0, "p5", 1);
	add(s, "/usr/bin/git", 0, "p6", 1);
	add(s, "/usr/bin/git", 0, "p1", 1);
}

#define GOLDEN_TITLE \
	"--- execwatch summary, 21:50:23.163 (10.0 s): 19 execs, 4 failed, 4 programs\n"
#define GOLDEN_ROWS                                                                   \
	"      7       0  /usr/bin/git                             "                  \
	"p1(2) p2(1) p3(1) p4(1) others(2)\n"                                         \
	"      5       0  /bin/sh                                  cron(5)\n"         \
	"      5       2  /usr/bin/ls                              bash(3) sshd(2)\n" \
	"      2       2  \"/tmp/my prog\"                           \"a b\"(2)\n"

static void test_text_golden(void **state)
{
	struct summary *s = &live;
	const char *t, *titles, *rows;

	(void)state;
	fill_golden(s);
	t = text(s, LATER, false);
	assert_true(strncmp(t, GOLDEN_TITLE, strlen(GOLDEN_TITLE)) == 0);
	titles = t + strlen(GOLDEN_TITLE);
	assert_true(strncmp(titles, "  COUNT  FAILED  PROGRAM ", 25) == 0);
	rows = strchr(titles, '\n');
	assert_non_null(rows);
	assert_true(strncmp(rows - 8, " PARENTS\n", 9) == 0);
	assert_string_equal(rows + 1, GOLDEN_ROWS);

	/* The final table says it covers the whole run. */
	t = text(s, LATER, true);
	assert_true(strncmp(t,
			    "--- execwatch summary, whole run, until 21:50:23.163 (10.0 s): "
			    "19 execs, 4 failed, 4 programs\n",
			    94) == 0);
	assert_non_null(strstr(t, GOLDEN_ROWS));
	summary_free(s);
}

/* PARENTS is titled where the parents column starts. */
static void test_text_titles_aligned(void **state)
{
	struct summary *s = &live;
	const char *t, *titles, *row;
	size_t title_col, row_col;

	(void)state;
	fill_golden(s);
	t = text(s, LATER, false);
	titles = t + strlen(GOLDEN_TITLE);
	row = strchr(titles, '\n') + 1;
	title_col = (size_t)(strstr(titles, "PARENTS") - titles);
	row_col = (size_t)(strstr(row, "p1(2)") - row);
	if (title_col != row_col)
		fail_msg("PARENTS titled at column %zu, parents printed at column %zu:\n%s",
			 title_col, row_col, t);
	assert_int_equal((size_t)(strstr(titles, "PROGRAM") - titles),
			 (size_t)(strstr(row, "/usr/bin/git") - row));
	assert_int_equal((size_t)(strstr(titles, "FAILED") - titles) + 6,
			 (size_t)(strstr(row, "0  /usr") - row) + 1);
	summary_free(s);
}

/* Untrusted names and comms are escaped, and padded by characters. */
static void test_text_escaping(void **state)
{
	struct summary *s = &live;
	const char *t;

	(void)state;
	assert_int_equal(summary_init(s, BOOT_2026), 0);
	add(s, "/tmp/a\nb", 0, "x\x1b[2J", 1);
	t = text(s, LATER, false);
	assert_non_null(strstr(t, "\n      1       0  \"/tmp/a\\nb\"                              "
				  "\"x\\e[2J\"(1)\n"));
	assert_null(strchr(t, '\x1b'));
	summary_free(s);
}

static void test_text_non_ascii_padding(void **state)
{
	struct summary *s = &live;
	const char *t;

	(void)state;
	assert_int_equal(summary_init(s, BOOT_2026), 0);
	/* "/tmp/\xc3\xa9" is 6 characters in 7 bytes: 34 spaces make 40 columns. */
	add(s, "/tmp/\xc3\xa9", 0, "sh", 1);
	add(s, "/tmp/\xe6\x97\xa5\xe6\x9c\xac", 0, "sh", 1);
	t = text(s, LATER, false);
	assert_non_null(strstr(
		t, "\n      1       0  /tmp/\xc3\xa9                                   sh(1)\n"));
	assert_non_null(strstr(
		t,
		"\n      1       0  /tmp/\xe6\x97\xa5\xe6\x9c\xac                                  sh(1)\n"));
	summary_free(s);
}

static void test_json_golden(void **state)
{
	struct summary *s = &live;

	(void)state;
	fill_golden(s);
	assert_string_equal(
		json(s, LATER, false),
		"{\"type\":\"summary\",\"time\":\"2026-11-24T21:50:23.163456789Z\",\"final\":false,"
		"\"seconds\":10.040,\"execs\":19,\"failed\":4,\"other_programs\":0,\"programs\":["
		"{\"filename\":\"/usr/bin/git\",\"count\":7,\"failed\":0,\"parents\":["
		"{\"comm\":\"p1\",\"count\":2},{\"comm\":\"p2\",\"count\":1},"
		"{\"comm\":\"p3\",\"count\":1},{\"comm\":\"p4\",\"count\":1}],\"other_parents\":2},"
		"{\"filename\":\"/bin/sh\",\"count\":5,\"failed\":0,\"parents\":["
		"{\"comm\":\"cron\",\"count\":5}],\"other_parents\":0},"
		"{\"filename\":\"/usr/bin/ls\",\"count\":5,\"failed\":2,\"parents\":["
		"{\"comm\":\"bash\",\"count\":3},{\"comm\":\"sshd\",\"count\":2}],"
		"\"other_parents\":0},"
		"{\"filename\":\"/tmp/my prog\",\"count\":2,\"failed\":2,\"parents\":["
		"{\"comm\":\"a b\",\"count\":2}],\"other_parents\":0}]}\n");
	assert_non_null(strstr(json(s, LATER, true), ",\"final\":true,"));
	summary_free(s);
}

/* Invalid UTF-8 in a filename: a U+FFFD string and the exact bytes in _b64. */
static void test_json_invalid_utf8(void **state)
{
	struct summary *s = &live;
	const char *t;

	(void)state;
	assert_int_equal(summary_init(s, BOOT_2026), 0);
	add(s, "/tmp/\xff", -8, "sh", 2);
	add(s, "/tmp/\xc3\xa9\n\"", 0, "sh", 1);
	t = json(s, LATER, false);
	assert_non_null(strstr(t,
			       "{\"filename\":\"/tmp/\xef\xbf\xbd\",\"filename_b64\":\"L3RtcC//\","
			       "\"count\":2,\"failed\":2,"));
	/* Valid UTF-8 is escaped, not replaced: no _b64. */
	assert_non_null(strstr(t, "{\"filename\":\"/tmp/\xc3\xa9\\n\\\"\",\"count\":1,"));
	assert_null(strstr(strstr(t, "_b64") + 1, "_b64"));
	summary_free(s);
}

/*
 * A comm cut at 15 bytes by the kernel easily ends inside a UTF-8
 * sequence. Like comm in exec records, a lossy parent comm needs its exact
 * bytes in a "comm_b64" sibling.
 */
static void test_json_invalid_parent_comm(void **state)
{
	struct summary *s = &live;

	(void)state;
	assert_int_equal(summary_init(s, BOOT_2026), 0);
	add(s, "/x", 0, "ab\xe6\x97", 1);
	assert_non_null(strstr(json(s, LATER, false),
			       "\"parents\":[{\"comm\":\"ab\xef\xbf\xbd\xef\xbf\xbd\","
			       "\"comm_b64\":\"YWLmlw==\",\"count\":1}]"));
	summary_free(s);
}

static void test_reset(void **state)
{
	struct summary *s = &live;
	size_t i;

	(void)state;
	fill_golden(s);
	add(s, "/bin/false", -1, "sh", 1);
	summary_reset(s, LATER);
	assert_int_equal(s->execs, 0);
	assert_int_equal(s->failed, 0);
	assert_int_equal(s->nr_programs, 0);
	assert_int_equal(s->other_programs, 0);
	assert_int_equal(s->since_boot_ns, LATER);
	for (i = 0; i < SUMMARY_MAX_PROGRAMS * 2; i++)
		if (s->programs[i].filename || s->programs[i].count)
			fail_msg("slot %zu kept after reset", i);
	assert_string_equal(text(s, LATER + 2 * NS, false),
			    "--- execwatch summary, 21:50:25.163 (2.0 s): 0 execs, 0 failed, "
			    "0 programs\n");
	/* Counting starts afresh. */
	add(s, "/usr/bin/ls", 0, "zsh", 1);
	assert_int_equal(s->execs, 1);
	assert_int_equal(FIND(s, "/usr/bin/ls")->count, 1);
	assert_string_equal(FIND(s, "/usr/bin/ls")->parents[0].comm, "zsh");
	assert_int_equal(FIND(s, "/usr/bin/ls")->parents[1].count, 0);
	/* A full table resets to an empty one that fills again. */
	for (i = 0; i < SUMMARY_MAX_PROGRAMS + 10; i++) {
		char name[32];

		snprintf(name, sizeof(name), "/q/%zu", i);
		add(s, name, 0, "sh", 1);
	}
	assert_int_equal(s->other_programs, 11);
	summary_reset(s, LATER);
	add(s, "/q/new", 0, "sh", 1);
	assert_int_equal(s->nr_programs, 1);
	assert_int_equal(s->other_programs, 0);
	summary_free(s);
	/* Twice is harmless. */
	summary_free(s);
	summary_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_empty, free_live),
		cmocka_unit_test_teardown(test_counts, free_live),
		cmocka_unit_test_teardown(test_parents, free_live),
		cmocka_unit_test_teardown(test_bound, free_live),
		cmocka_unit_test_teardown(test_order_and_top, free_live),
		cmocka_unit_test_teardown(test_text_golden, free_live),
		cmocka_unit_test_teardown(test_text_titles_aligned, free_live),
		cmocka_unit_test_teardown(test_text_escaping, free_live),
		cmocka_unit_test_teardown(test_text_non_ascii_padding, free_live),
		cmocka_unit_test_teardown(test_json_golden, free_live),
		cmocka_unit_test_teardown(test_json_invalid_utf8, free_live),
		cmocka_unit_test_teardown(test_json_invalid_parent_comm, free_live),
		cmocka_unit_test_teardown(test_reset, free_live),
	};

	return cmocka_run_group_tests_name("summary", tests, setup_utc, NULL);
}
