// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: the accounting records.
 *
 * The input fills two struct stats (counters before and now, any values:
 * a counter read back smaller than before must not break the output), a
 * wall-clock time and the start record's settings. output_json_start(),
 * output_json_lost() and output_json_stats() must each give one line of
 * strict JSON; output_text_lost() and output_text_summary() one line of
 * plain ASCII text. stats_counter_name() must name every counter, and
 * stats_loss_grew() must agree with stats_lost() growing.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "output.h"
#include "stats.h"

struct fuzz_input {
	struct stats before, now;
	int64_t wall_ns;
	uint32_t max_argv_bytes;
	uint64_t ring_bytes;
	uint64_t seconds_bits;
};

static void check_json_line(struct outbuf *ob)
{
	FUZZ_CHECK(!ob->alloc_failed, "allocation failed");
	FUZZ_CHECK(ob->len > 1 && ob->data[ob->len - 1] == '\n', "no newline at the end");
	FUZZ_CHECK(fuzz_count_byte(ob->data, ob->len, '\n') == 1, "record spans lines");
	FUZZ_CHECK(jc_json_compact_object(ob->data, ob->len - 1), "invalid JSON: %.*s",
		   (int)ob->len, ob->data);
	outbuf_reset(ob);
}

static void check_text_line(struct outbuf *ob)
{
	size_t i;

	FUZZ_CHECK(!ob->alloc_failed, "allocation failed");
	FUZZ_CHECK(ob->len > 1 && ob->data[ob->len - 1] == '\n', "no newline at the end");
	for (i = 0; i + 1 < ob->len; i++)
		FUZZ_CHECK(ob->data[i] >= 0x20 && ob->data[i] < 0x7f, "byte 0x%02x in text",
			   (unsigned char)ob->data[i]);
	outbuf_reset(ob);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in;
	struct timefmt tf;
	struct outbuf ob;
	double seconds;
	int i;

	memset(&in, 0, sizeof(in));
	memcpy(&in, data, size < sizeof(in) ? size : sizeof(in));
	memcpy(&seconds, &in.seconds_bits, sizeof(seconds));

	for (i = 0; i < EW_CTR_NR; i++) {
		const char *name = stats_counter_name(i);

		FUZZ_CHECK(name && *name && strcmp(name, "unknown"), "counter %d has no name", i);
	}
	FUZZ_CHECK(!strcmp(stats_counter_name(EW_CTR_NR), "unknown"), "name past the end");
	if (stats_lost(&in.now) > stats_lost(&in.before) && in.now.malformed >= in.before.malformed)
		FUZZ_CHECK(stats_loss_grew(&in.before, &in.now), "loss grew unnoticed");

	timefmt_init(&tf, 0);
	outbuf_init(&ob, -1);
	output_json_start(&ob, &tf, in.wall_ns, "fuzz", in.max_argv_bytes, in.ring_bytes,
			  in.ring_bytes & 0xffffffff);
	check_json_line(&ob);
	output_json_lost(&ob, &tf, in.wall_ns, &in.before, &in.now);
	check_json_line(&ob);
	output_json_stats(&ob, &tf, in.wall_ns, &in.now, in.max_argv_bytes & 1);
	check_json_line(&ob);
	output_text_lost(&ob, &in.before, &in.now);
	check_text_line(&ob);
	output_text_summary(&ob, &in.now, seconds);
	check_text_line(&ob);
	outbuf_free(&ob);
	return 0;
}
