// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Gathering and writing the metrics file. The ring-buffer fill is read the
 * way libbpf's ring__avail_data_size() does (not in libbpf 1.1): map the
 * ring's consumer and producer position pages read-only and subtract.
 */
#include "metrics_file.h"
#include "escape.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader.h"
/* bpftool's generated skeleton casts away const; not our code to fix. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#include "execwatch.skel.h"
#pragma GCC diagnostic pop

#define BPF_STATS_SYSCTL "/proc/sys/kernel/bpf_stats_enabled"

static int read_bpf_stats_enabled(void)
{
	char value[8] = "";
	FILE *f = fopen(BPF_STATS_SYSCTL, "re");

	if (!f)
		return -1;
	if (!fgets(value, sizeof(value), f))
		value[0] = '\0';
	fclose(f);
	return value[0] == '1' ? 1 : value[0] == '0' ? 0 : -1;
}

static uint64_t rss_bytes(size_t page_bytes)
{
	unsigned long long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "re");

	if (!f)
		return 0;
	if (fscanf(f, "%llu %llu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (uint64_t)resident * page_bytes;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
	       ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

static void gather_progs(struct metrics_file *m)
{
	size_t i;

	for (i = 0; i < m->nr_progs; i++) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(m->prog_fds[i], &info, &len))
			continue;
		m->progs[i].run_time_ns = info.run_time_ns;
		m->progs[i].run_cnt = info.run_cnt;
	}
}

static void gather_syslog(const struct sink_syslog *ss, struct metrics_syslog *out)
{
	int i;

	out->sent = ss->sent;
	for (i = 0; i < SYSLOG_DROP_NR; i++)
		out->dropped[i] = ss->dropped_by[i];
	out->queue_bytes = sink_syslog_queued_bytes(ss);
	out->queue_messages = ss->queued_records;
	out->queue_peak_bytes = ss->queue_peak_bytes;
	out->queue_limit_bytes = ss->buffer_bytes;
}

int metrics_file__write(struct metrics_file *m, const struct stats *s)
{
	struct metrics_syslog syslog;
	struct metrics_snapshot snap = {
		.version = EXECWATCH_VERSION,
		.stats = s,
		.ring_size_bytes = m->ring_bytes,
		.progs = m->progs,
		.nr_progs = m->nr_progs,
		.start_time_seconds = m->start_time_seconds,
	};
	size_t len = strlen(m->tmp_template) + 1;
	char *tmp = malloc(len);
	FILE *f = NULL;
	int fd, err;

	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, m->tmp_template, len);
	if (m->consumer_page && m->producer_page) {
		uint64_t cons = __atomic_load_n((uint64_t *)m->consumer_page, __ATOMIC_ACQUIRE);
		uint64_t prod = __atomic_load_n((uint64_t *)m->producer_page, __ATOMIC_ACQUIRE);

		snap.ring_used_bytes = prod - cons;
	}
	/*
	 * A BPF_ENABLE_STATS descriptor turns the statistics on without
	 * changing the sysctl, which shows only what was written to it.
	 */
	snap.bpf_stats_enabled = m->stats_fd >= 0 ? 1 : read_bpf_stats_enabled();
	snap.rss_bytes = rss_bytes(m->page_bytes);
	snap.cpu_seconds = cpu_seconds();
	gather_progs(m);
	if (m->syslog) {
		gather_syslog(m->syslog, &syslog);
		snap.syslog = &syslog;
	}

	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		goto fail;
	}
	err = metrics_write(f, &snap);
	/* Readable by a collector running as another user (the unit's umask is 077). */
	if (!err && (fchmod(fd, 0644) || fsync(fd)))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (err)
		goto fail;
	if (rename(tmp, m->cfg->metrics_path)) {
		err = -errno;
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	unlink(tmp);
out:
	free(tmp);
	return err;
}

void metrics_file__tick(struct metrics_file *m, const struct stats *s, int64_t now_ns)
{
	int err;

	if (now_ns < m->next_write_ns)
		return;
	m->next_write_ns = now_ns + (int64_t)m->cfg->metrics_interval_ms * 1000000;
	err = metrics_file__write(m, s);
	if (err && err != m->last_error)
		fprintf(stderr, "execwatch: warning: cannot write the metrics file '%s': %s\n",
			ESCAPED(m->cfg->metrics_path), strerror(-err));
	m->last_error = err;
}

/* Map the ring's position pages read-only; without them the fill reads 0. */
static void map_ring_positions(struct metrics_file *m, int ring_fd)
{
	void *cons, *prod;

	cons = mmap(NULL, m->page_bytes, PROT_READ, MAP_SHARED, ring_fd, 0);
	if (cons == MAP_FAILED)
		return;
	prod = mmap(NULL, m->page_bytes, PROT_READ, MAP_SHARED, ring_fd, (off_t)m->page_bytes);
	if (prod == MAP_FAILED) {
		munmap(cons, m->page_bytes);
		return;
	}
	m->consumer_page = cons;
	m->producer_page = prod;
}

int metrics_file__new(struct metrics_file **out, const struct config *cfg,
		      const struct loader *loader, const struct sink_syslog *syslog, char *msg,
		      size_t msg_len)
{
	struct bpf_program *prog;
	struct metrics_file *m;
	char *copy1 = NULL, *copy2 = NULL;
	struct timespec ts;
	int err;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->cfg = cfg;
	m->syslog = syslog;
	m->stats_fd = -1;
	m->page_bytes = (size_t)sysconf(_SC_PAGESIZE);
	m->ring_bytes = cfg->ring_bytes;
	clock_gettime(CLOCK_REALTIME, &ts);
	m->start_time_seconds = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	copy1 = strdup(cfg->metrics_path);
	copy2 = strdup(cfg->metrics_path);
	if (!copy1 || !copy2 ||
	    asprintf(&m->tmp_template, "%s/.%s.XXXXXX", dirname(copy1), basename(copy2)) < 0) {
		m->tmp_template = NULL;
		err = -ENOMEM;
		goto fail;
	}
	if (cfg->bpf_stats) {
		m->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (m->stats_fd < 0)
			fprintf(stderr,
				"execwatch: warning: --bpf-stats: cannot enable BPF run-time "
				"statistics: %s (needs CAP_SYS_ADMIN); the metrics will say "
				"bpf_stats_enabled 0 unless kernel.bpf_stats_enabled is set\n",
				strerror(errno));
	}
	map_ring_positions(m, loader__ringbuf_fd(loader));
	bpf_object__for_each_program(prog, loader->skel->obj)
	{
		int fd = bpf_program__fd(prog);

		if (fd < 0 || m->nr_progs == METRICS_MAX_PROGS)
			continue;
		m->prog_fds[m->nr_progs] = fd;
		snprintf(m->progs[m->nr_progs].name, sizeof(m->progs[0].name), "%s",
			 bpf_program__name(prog));
		m->nr_progs++;
	}
	{
		struct stats zero;

		memset(&zero, 0, sizeof(zero));
		err = metrics_file__write(m, &zero);
	}
	if (err) {
		snprintf(msg, msg_len,
			 "--metrics-file: cannot write '%s': %s (its directory must exist and be "
			 "writable)",
			 ESCAPED(cfg->metrics_path), strerror(-err));
		goto fail;
	}
	free(copy1);
	free(copy2);
	*out = m;
	return 0;
fail:
	free(copy1);
	free(copy2);
	metrics_file__free(m);
	return err;
}

void metrics_file__free(struct metrics_file *m)
{
	if (!m)
		return;
	if (m->consumer_page)
		munmap(m->consumer_page, m->page_bytes);
	if (m->producer_page)
		munmap(m->producer_page, m->page_bytes);
	/* Closing it is what turns the kernel's run-time accounting off again. */
	if (m->stats_fd >= 0)
		close(m->stats_fd);
	free(m->tmp_template);
	free(m);
}
