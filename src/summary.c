// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Per-program exec counts for --summary; see summary.h.
 */
#include "summary.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json.h"

#define SUMMARY_SLOTS (SUMMARY_MAX_PROGRAMS * 2)

int summary_init(struct summary *s, int64_t now_boot_ns)
{
	memset(s, 0, sizeof(*s));
	s->programs = calloc(SUMMARY_SLOTS, sizeof(*s->programs));
	if (!s->programs)
		return -ENOMEM;
	s->since_boot_ns = now_boot_ns;
	return 0;
}

void summary_reset(struct summary *s, int64_t now_boot_ns)
{
	size_t i;

	for (i = 0; i < SUMMARY_SLOTS; i++)
		free(s->programs[i].filename);
	memset(s->programs, 0, SUMMARY_SLOTS * sizeof(*s->programs));
	s->nr_programs = 0;
	s->execs = s->failed = s->other_programs = 0;
	s->since_boot_ns = now_boot_ns;
}

void summary_free(struct summary *s)
{
	if (!s || !s->programs)
		return;
	summary_reset(s, 0);
	free(s->programs);
	s->programs = NULL;
}

static uint64_t hash_bytes(const char *bytes, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)bytes[i]) * 0x100000001b3ULL;
	return h;
}

static struct summary_program *find_or_add(struct summary *s, const char *name, size_t len)
{
	size_t i = hash_bytes(name, len) & (SUMMARY_SLOTS - 1);

	while (s->programs[i].filename) {
		struct summary_program *p = &s->programs[i];

		if (p->filename_len == len && !memcmp(p->filename, name, len))
			return p;
		i = (i + 1) & (SUMMARY_SLOTS - 1);
	}
	if (s->nr_programs >= SUMMARY_MAX_PROGRAMS)
		return NULL;
	s->programs[i].filename = malloc(len + 1);
	if (!s->programs[i].filename)
		return NULL;
	memcpy(s->programs[i].filename, name, len);
	s->programs[i].filename[len] = '\0';
	s->programs[i].filename_len = len;
	s->nr_programs++;
	return &s->programs[i];
}

static void add_parent(struct summary_program *p, const char *comm)
{
	size_t i;

	for (i = 0; i < SUMMARY_PARENTS && p->parents[i].count; i++) {
		if (!strncmp(p->parents[i].comm, comm, EW_COMM_LEN)) {
			p->parents[i].count++;
			return;
		}
	}
	if (i == SUMMARY_PARENTS) {
		p->other_parents++;
		return;
	}
	memcpy(p->parents[i].comm, comm, EW_COMM_LEN);
	p->parents[i].count = 1;
}

void summary_add(struct summary *s, const struct exec_view *view)
{
	struct summary_program *p;
	bool failed = view->fixed.ret < 0;

	s->execs++;
	s->failed += failed;
	p = find_or_add(s, view->filename, view->filename_len);
	if (!p) {
		s->other_programs++;
		return;
	}
	p->count++;
	p->failed += failed;
	add_parent(p, view->fixed.parent_comm);
}

/* The busiest programs first; ties by name so the order is stable. */
static int by_count_desc(const void *a, const void *b)
{
	const struct summary_program *const *pa = a, *const *pb = b;

	if ((*pa)->count != (*pb)->count)
		return (*pa)->count < (*pb)->count ? 1 : -1;
	return strcmp((*pa)->filename, (*pb)->filename);
}

static size_t sorted(const struct summary *s, const struct summary_program **out)
{
	size_t i, n = 0;

	for (i = 0; i < SUMMARY_SLOTS; i++)
		if (s->programs[i].filename)
			out[n++] = &s->programs[i];
	qsort(out, n, sizeof(*out), by_count_desc);
	return n;
}

void summary_print_text(const struct summary *s, struct outbuf *ob, struct timefmt *tf,
			int64_t now_boot_ns, bool final)
{
	const struct summary_program **rows = malloc(SUMMARY_MAX_PROGRAMS * sizeof(*rows));
	size_t n, i, j;

	if (!rows)
		return;
	n = sorted(s, rows);
	outbuf_puts(ob,
		    final ? "--- execwatch summary, whole run, until " : "--- execwatch summary, ");
	timefmt_put_clock(tf, ob, timefmt_wall_ns(tf, (uint64_t)now_boot_ns));
	outbuf_printf(ob, " (%.1f s): %llu execs, %llu failed, %zu programs\n",
		      (double)(now_boot_ns - s->since_boot_ns) / 1e9, (unsigned long long)s->execs,
		      (unsigned long long)s->failed, s->nr_programs);
	if (n)
		outbuf_puts(ob, "  COUNT  FAILED  PROGRAM"
				"                                  "
				"PARENTS\n");
	for (i = 0; i < n && i < SUMMARY_TOP; i++) {
		const struct summary_program *p = rows[i];
		size_t start;

		outbuf_printf(ob, "%7llu %7llu  ", (unsigned long long)p->count,
			      (unsigned long long)p->failed);
		start = ob->len;
		escape_text_word(ob, p->filename, p->filename_len);
		if (ob->len - start < 40)
			outbuf_pad(ob, escape_text_word_width(p->filename, p->filename_len), 40);
		outbuf_putc(ob, ' ');
		for (j = 0; j < SUMMARY_PARENTS && p->parents[j].count; j++) {
			if (j)
				outbuf_putc(ob, ' ');
			escape_text_word(ob, p->parents[j].comm,
					 strnlen(p->parents[j].comm, EW_COMM_LEN));
			outbuf_printf(ob, "(%llu)", (unsigned long long)p->parents[j].count);
		}
		if (p->other_parents)
			outbuf_printf(ob, " others(%llu)", (unsigned long long)p->other_parents);
		outbuf_putc(ob, '\n');
	}
	if (n > SUMMARY_TOP)
		outbuf_printf(ob, "  ... and %zu more programs\n", n - SUMMARY_TOP);
	if (s->other_programs)
		outbuf_printf(ob, "  %llu execs of programs past the %d-program bound\n",
			      (unsigned long long)s->other_programs, SUMMARY_MAX_PROGRAMS);
	free(rows);
}

void summary_print_json(const struct summary *s, struct outbuf *ob, struct timefmt *tf,
			int64_t now_boot_ns, bool final)
{
	const struct summary_program **rows = malloc(SUMMARY_MAX_PROGRAMS * sizeof(*rows));
	size_t n, i, j;

	if (!rows)
		return;
	n = sorted(s, rows);
	outbuf_puts(ob, "{\"type\":\"summary\",\"time\":");
	timefmt_put_rfc3339(tf, ob, timefmt_wall_ns(tf, (uint64_t)now_boot_ns));
	outbuf_printf(ob,
		      ",\"final\":%s,\"seconds\":%.3f,\"execs\":%llu,\"failed\":%llu,"
		      "\"other_programs\":%llu,\"programs\":[",
		      final ? "true" : "false", (double)(now_boot_ns - s->since_boot_ns) / 1e9,
		      (unsigned long long)s->execs, (unsigned long long)s->failed,
		      (unsigned long long)s->other_programs);
	for (i = 0; i < n && i < SUMMARY_TOP; i++) {
		const struct summary_program *p = rows[i];

		if (i)
			outbuf_putc(ob, ',');
		outbuf_puts(ob, "{\"filename\":");
		if (!json_put_string(ob, p->filename, p->filename_len)) {
			outbuf_puts(ob, ",\"filename_b64\":");
			json_put_base64(ob, p->filename, p->filename_len);
		}
		outbuf_printf(ob, ",\"count\":%llu,\"failed\":%llu,\"parents\":[",
			      (unsigned long long)p->count, (unsigned long long)p->failed);
		for (j = 0; j < SUMMARY_PARENTS && p->parents[j].count; j++) {
			if (j)
				outbuf_putc(ob, ',');
			size_t comm_len = strnlen(p->parents[j].comm, EW_COMM_LEN);

			outbuf_puts(ob, "{\"comm\":");
			if (!json_put_string(ob, p->parents[j].comm, comm_len)) {
				outbuf_puts(ob, ",\"comm_b64\":");
				json_put_base64(ob, p->parents[j].comm, comm_len);
			}
			outbuf_printf(ob, ",\"count\":%llu}",
				      (unsigned long long)p->parents[j].count);
		}
		outbuf_printf(ob, "],\"other_parents\":%llu}",
			      (unsigned long long)p->other_parents);
	}
	outbuf_puts(ob, "]}\n");
	free(rows);
}
