// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: --summary, which counts execs per program and prints
 * the busiest as a text table or a {"type":"summary"} record.
 *
 * The input is a sequence of execs, each: one byte (bit 0: failed, the rest:
 * how many times it is added), 16 bytes of parent comm, one length byte and
 * that many filename bytes (NUL-free, as the kernel's). Filenames and comms
 * are untrusted: the JSON record must be one line of strict JSON (with
 * filename_b64 for invalid UTF-8), the text table terminal-safe lines, and
 * the counts must add up. An input starting with 0xff also adds 5,000
 * distinct programs first, past SUMMARY_MAX_PROGRAMS, to reach the bound.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_check.h"
#include "summary.h"

static void check_text_table(const struct outbuf *ob)
{
	size_t pos = 0;

	FUZZ_CHECK(ob->len && ob->data[ob->len - 1] == '\n', "table does not end a line");
	while (pos < ob->len) {
		const char *nl = memchr(ob->data + pos, '\n', ob->len - pos);
		size_t len = (size_t)(nl - (ob->data + pos));

		FUZZ_CHECK(fuzz_terminal_safe(ob->data + pos, len, NULL), "unsafe line: %.*s",
			   (int)len, ob->data + pos);
		pos += len + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const int64_t start = 1000000000000LL, now = start + 10000000000LL;
	uint64_t added = 0, failed = 0;
	struct exec_view view;
	struct summary s;
	struct timefmt tf;
	struct outbuf ob;
	char filename[256];
	size_t pos = 0, i;

	FUZZ_CHECK(!summary_init(&s, start), "summary_init");
	memset(&view, 0, sizeof(view));
	view.filename = filename;
	if (size && data[0] == 0xff) {
		for (i = 0; i < 5000; i++) {
			view.filename_len =
				(size_t)snprintf(filename, sizeof(filename), "/p/%zu", i);
			summary_add(&s, &view);
			added++;
		}
		pos = 1;
	}
	while (size - pos >= 18) {
		uint8_t op = data[pos], len = data[pos + 17];
		unsigned int times = (op >> 1) % 8 + 1;

		memcpy(view.fixed.parent_comm, data + pos + 1, EW_COMM_LEN);
		pos += 18;
		if (len > size - pos)
			len = (uint8_t)(size - pos);
		for (i = 0; i < len; i++)
			filename[i] = data[pos + i] ? (char)data[pos + i] : '/';
		view.filename_len = len;
		pos += len;
		view.fixed.ret = op & 1 ? -13 : 0;
		for (i = 0; i < times; i++)
			summary_add(&s, &view);
		added += times;
		failed += op & 1 ? times : 0;
	}
	FUZZ_CHECK(s.execs == added && s.failed == failed, "counted %llu/%llu of %llu/%llu",
		   (unsigned long long)s.execs, (unsigned long long)s.failed,
		   (unsigned long long)added, (unsigned long long)failed);
	FUZZ_CHECK(s.nr_programs <= SUMMARY_MAX_PROGRAMS, "%zu programs kept", s.nr_programs);

	timefmt_init(&tf, 1764000000000000000LL);
	outbuf_init(&ob, -1);
	summary_print_json(&s, &ob, &tf, now, size & 1);
	FUZZ_CHECK(!ob.alloc_failed, "allocation failed");
	FUZZ_CHECK(ob.len > 1 && ob.data[ob.len - 1] == '\n', "JSON summary does not end a line");
	FUZZ_CHECK(fuzz_count_byte(ob.data, ob.len, '\n') == 1, "JSON summary spans lines");
	FUZZ_CHECK(jc_json_compact_object(ob.data, ob.len - 1), "invalid JSON summary: %.*s",
		   (int)ob.len, ob.data);
	outbuf_reset(&ob);
	summary_print_text(&s, &ob, &tf, now, size & 2);
	FUZZ_CHECK(!ob.alloc_failed, "allocation failed");
	check_text_table(&ob);
	outbuf_free(&ob);
	summary_free(&s);
	return 0;
}
