// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Counter names and loss arithmetic (pure; the map reading is in reader.c).
 */
#include "stats.h"

/* One name per line, in enum order: easier to review than clang-format's packing. */
/* clang-format off */
static const char *const counter_names[EW_CTR_NR] = {
	[EW_CTR_EXEC_SEEN] = "exec_seen",
	[EW_CTR_FAILED_SEEN] = "failed_seen",
	[EW_CTR_EVENTS_SENT] = "events_sent",
	[EW_CTR_RINGBUF_FULL] = "ringbuf_full",
	[EW_CTR_STASH_FULL] = "stash_full",
	[EW_CTR_STASH_MISS] = "stash_miss",
	[EW_CTR_SCRATCH_MISS] = "scratch_miss",
	[EW_CTR_ARGV_FAULT] = "argv_fault",
	[EW_CTR_FILENAME_FAULT] = "filename_fault",
	[EW_CTR_ARGV_TRUNCATED] = "argv_truncated",
	[EW_CTR_FILTERED] = "filtered",
	[EW_CTR_SUBTREE_FULL] = "subtree_full",
	[EW_CTR_EXIT_SEEN] = "exit_seen",
	[EW_CTR_TAMPER_UNCHECKED] = "tamper_unchecked",
	[EW_CTR_FORK_SEEN] = "fork_seen",
	[EW_CTR_POLICY_KILLED] = "policy_killed",
	[EW_CTR_POLICY_DENIED] = "policy_denied",
	[EW_CTR_POLICY_KILL_FAILED] = "policy_kill_failed",
};
/* clang-format on */

const char *stats_counter_name(enum ew_counter counter)
{
	if ((unsigned int)counter >= EW_CTR_NR || !counter_names[counter])
		return "unknown";
	return counter_names[counter];
}

uint64_t stats_sum_percpu(const uint64_t *values, int ncpus)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < ncpus; i++)
		sum += values[i];
	return sum;
}

/*
 * An exec is lost when its record was dropped (ring full), when its record
 * could not be built (no scratch), or - for a failed exec - when its attempt
 * was not found at exit (stash miss, which is also what a full stash leads
 * to; stash_full alone loses nothing, since a successful exec needs no stash).
 */
uint64_t stats_lost(const struct stats *s)
{
	return s->kernel[EW_CTR_RINGBUF_FULL] + s->kernel[EW_CTR_SCRATCH_MISS] +
	       s->kernel[EW_CTR_STASH_MISS] + s->malformed;
}

/* Not execs lost yet, but capture that will be incomplete: reported as loss grows. */
static uint64_t capture_gaps(const struct stats *s)
{
	return s->kernel[EW_CTR_STASH_FULL] + s->kernel[EW_CTR_SUBTREE_FULL];
}

bool stats_loss_grew(const struct stats *before, const struct stats *now)
{
	return stats_lost(now) != stats_lost(before) || capture_gaps(now) != capture_gaps(before);
}
