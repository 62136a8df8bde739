// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/sink_syslog.c against real sockets of this process (no
 * mocks): unix datagram delivery with sequence ids in order, a unix stream
 * socket getting RFC 6587 octet-counted frames that parse back exactly, a
 * TCP listener on loopback, the queue bound (exactly as many messages as fit
 * are kept, every other one is counted as dropped, and sent + dropped always
 * equals what was added), delivery of the queue once a collector appears
 * after the backoff, and a collector that closes the stream: the messages
 * after it go to the next connection, none to the dead one; a collector that
 * resets the stream (closed with messages unread) gets the retained ones
 * again, and retained messages never push the queue past its bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "sink_syslog.h"

#define FAR_FUTURE_NS (1LL << 62)

static char sock_path[108];

static int setup(void **state)
{
	(void)state;
	snprintf(sock_path, sizeof(sock_path), "/tmp/ew-syslog-test-%d.sock", (int)getpid());
	unlink(sock_path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(sock_path);
	return 0;
}

static int unix_server(int type)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, type, 0);

	assert_true(fd >= 0);
	strcpy(a.sun_path, sock_path);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(fd, 4), 0);
	return fd;
}

static void init_unix(struct sink_syslog *ss, uint64_t buffer)
{
	struct syslog_url url;
	char msg[256];

	assert_int_equal(syslog_parse_url("unix:///x", &url, msg, sizeof(msg)), 0);
	strcpy(url.path, sock_path);
	assert_int_equal(sink_syslog__init(ss, &url, 10, buffer, "host", 99, msg, sizeof(msg)), 0);
}

static void add(struct sink_syslog *ss, int i)
{
	char json[64];
	int n = snprintf(json, sizeof(json), "{\"i\":%d}", i);

	sink_syslog__add(ss, "exec", 0, json, (size_t)n, 0);
}

/* Read one octet-counted frame from a stream; returns the message length. */
static size_t read_frame(int fd, char *buf, size_t cap)
{
	size_t len = 0, got = 0;
	char c;

	for (;;) {
		assert_int_equal(read(fd, &c, 1), 1);
		if (c == ' ')
			break;
		assert_true(c >= '0' && c <= '9');
		len = len * 10 + (size_t)(c - '0');
	}
	assert_true(len < cap);
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		assert_true(n > 0);
		got += (size_t)n;
	}
	buf[len] = '\0';
	return len;
}

static void test_unix_datagram(void **state)
{
	struct sink_syslog ss;
	char buf[512], want[128];
	int srv = unix_server(SOCK_DGRAM), i;

	(void)state;
	init_unix(&ss, 0);
	for (i = 1; i <= 3; i++)
		add(&ss, i);
	sink_syslog__pump(&ss, 0);
	assert_int_equal(ss.socktype, SOCK_DGRAM);
	assert_int_equal(ss.sent, 3);
	for (i = 1; i <= 3; i++) {
		ssize_t n = recv(srv, buf, sizeof(buf) - 1, MSG_DONTWAIT);

		assert_true(n > 0);
		buf[n] = '\0';
		snprintf(want, sizeof(want),
			 " host execwatch 99 exec [meta sequenceId=\"%d\"] {\"i\":%d}", i, i);
		assert_memory_equal(buf, "<86>1 1970-01-01T00:00:00.000000Z", 33);
		assert_string_equal(buf + 33, want);
	}
	assert_int_equal(ss.dropped, 0);
	sink_syslog__free(&ss);
	close(srv);
}

static void test_unix_stream_frames(void **state)
{
	struct sink_syslog ss;
	char buf[512], want[64];
	int srv = unix_server(SOCK_STREAM), conn, i;

	(void)state;
	init_unix(&ss, 0);
	for (i = 0; i < 100; i++)
		add(&ss, i);
	sink_syslog__pump(&ss, 0);
	assert_int_equal(ss.socktype, SOCK_STREAM);
	conn = accept(srv, NULL, NULL);
	assert_true(conn >= 0);
	sink_syslog__finish(&ss, 1000);
	assert_int_equal(ss.sent, 100);
	for (i = 0; i < 100; i++) {
		size_t n = read_frame(conn, buf, sizeof(buf));

		snprintf(want, sizeof(want), "{\"i\":%d}", i);
		assert_string_equal(buf + n - strlen(want), want);
		assert_memory_equal(buf, "<86>1 ", 6);
	}
	sink_syslog__free(&ss);
	close(conn);
	close(srv);
}

static void test_tcp_loopback(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	struct sink_syslog ss;
	struct syslog_url url;
	char msg[256], buf[512], text[64];
	int srv = socket(AF_INET, SOCK_STREAM, 0), conn;

	(void)state;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(srv, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(srv, 4), 0);
	assert_int_equal(getsockname(srv, (struct sockaddr *)&a, &alen), 0);
	snprintf(text, sizeof(text), "tcp://127.0.0.1:%d", ntohs(a.sin_port));
	assert_int_equal(syslog_parse_url(text, &url, msg, sizeof(msg)), 0);
	assert_int_equal(sink_syslog__init(&ss, &url, 3, 0, "h", 1, msg, sizeof(msg)), 0);
	add(&ss, 42);
	sink_syslog__finish(&ss, 2000);
	assert_int_equal(ss.sent, 1);
	conn = accept(srv, NULL, NULL);
	assert_true(conn >= 0);
	read_frame(conn, buf, sizeof(buf));
	assert_non_null(strstr(buf, "<30>1 "));
	assert_non_null(strstr(buf, "{\"i\":42}"));
	sink_syslog__free(&ss);
	close(conn);
	close(srv);
}

/* No collector: the bound keeps exactly what fits; the rest is counted. */
static void test_bound_and_drops(void **state)
{
	struct sink_syslog ss;
	size_t record;
	int i, added = 0, fit;

	(void)state;
	init_unix(&ss, 4096);
	ss.sequence_id = 100; /* sequence ids of 3 digits: every message has the same size */
	add(&ss, 1000);
	record = sink_syslog_queued_bytes(&ss);
	fit = (int)(4096 / record);
	added = 1;
	for (i = 1001; i < 1100; i++, added++)
		add(&ss, i);
	assert_int_equal(ss.queued_records, fit);
	assert_int_equal(ss.dropped, added - fit);
	assert_int_equal(ss.dropped_by[SYSLOG_DROP_QUEUE_FULL], added - fit);
	assert_true(sink_syslog_queued_bytes(&ss) <= 4096);
	assert_int_equal(ss.queue_peak_bytes, fit * record);
	sink_syslog__pump(&ss, FAR_FUTURE_NS); /* nobody there: still queued */
	assert_int_equal(ss.state, SYSLOG_DOWN);
	assert_int_equal(ss.queued_records, fit);
	/* At exit with no collector, what is left is dropped, and counted. */
	sink_syslog__finish(&ss, 0);
	assert_int_equal(ss.sent + ss.dropped, added);
	assert_int_equal(ss.dropped, added);
	assert_int_equal(ss.dropped_by[SYSLOG_DROP_AT_EXIT], fit);
	assert_int_equal(ss.dropped_by[SYSLOG_DROP_QUEUE_FULL], added - fit);
	/* The high-water mark outlives the queue it measured. */
	assert_int_equal(sink_syslog_queued_bytes(&ss), 0);
	assert_int_equal(ss.queue_peak_bytes, fit * record);
	assert_int_equal(
		ss.dropped_by[SYSLOG_DROP_TOO_LARGE] + ss.dropped_by[SYSLOG_DROP_NO_MEMORY], 0);
	assert_string_equal(sink_syslog_drop_name(SYSLOG_DROP_QUEUE_FULL), "queue_full");
	assert_string_equal(sink_syslog_drop_name(SYSLOG_DROP_NR), "unknown");
	sink_syslog__free(&ss);
}

/* Down at first, with backoff; the collector appears; everything queued arrives in order. */
static void test_reconnect_delivers_queue(void **state)
{
	struct sink_syslog ss;
	char buf[512], want[64];
	int srv, i;
	int64_t first_backoff;

	(void)state;
	init_unix(&ss, 0);
	add(&ss, 0);
	sink_syslog__pump(&ss, 1000);
	assert_int_equal(ss.state, SYSLOG_DOWN);
	assert_int_equal(ss.next_attempt_ns, 1000 + SINK_SYSLOG_BACKOFF_MIN_NS);
	first_backoff = ss.backoff_ns;
	sink_syslog__pump(&ss, ss.next_attempt_ns);
	assert_int_equal(ss.backoff_ns, first_backoff * 2); /* exponential */
	for (i = 1; i < 10; i++)
		add(&ss, i);
	srv = unix_server(SOCK_DGRAM);
	sink_syslog__pump(&ss, ss.next_attempt_ns - 1); /* not yet */
	assert_int_equal(ss.sent, 0);
	sink_syslog__pump(&ss, ss.next_attempt_ns);
	assert_int_equal(ss.sent, 10);
	assert_int_equal(ss.backoff_ns, SINK_SYSLOG_BACKOFF_MIN_NS);
	for (i = 0; i < 10; i++) {
		ssize_t n = recv(srv, buf, sizeof(buf) - 1, MSG_DONTWAIT);

		assert_true(n > 0);
		buf[n] = '\0';
		snprintf(want, sizeof(want), "{\"i\":%d}", i);
		assert_non_null(strstr(buf, want));
	}
	sink_syslog__free(&ss);
	close(srv);
}

/* The collector closes its end: the next messages wait for a new connection. */
static void test_stream_peer_close(void **state)
{
	struct sink_syslog ss;
	char buf[512];
	int srv = unix_server(SOCK_STREAM), conn, i;

	(void)state;
	init_unix(&ss, 0);
	add(&ss, 1);
	sink_syslog__pump(&ss, 0);
	conn = accept(srv, NULL, NULL);
	read_frame(conn, buf, sizeof(buf));
	close(conn); /* collector restart */
	for (i = 2; i <= 5; i++)
		add(&ss, i);
	sink_syslog__pump(&ss, 0);
	assert_int_equal(ss.state, SYSLOG_DOWN);
	assert_int_equal(ss.sent, 1);
	sink_syslog__pump(&ss, FAR_FUTURE_NS);
	conn = accept(srv, NULL, NULL);
	assert_true(conn >= 0);
	assert_int_equal(ss.sent, 5);
	for (i = 2; i <= 5; i++) {
		char want[32];

		read_frame(conn, buf, sizeof(buf));
		snprintf(want, sizeof(want), "{\"i\":%d}", i);
		assert_non_null(strstr(buf, want));
	}
	assert_int_equal(ss.dropped, 0);
	sink_syslog__free(&ss);
	close(conn);
	close(srv);
}

/*
 * The collector closes with our messages unread (a restart): the kernel
 * resets the connection, and what was sent in the retention window goes
 * again, in order, on the next connection. Then the window empties with time.
 */
static void test_reset_replays_retained(void **state)
{
	struct sink_syslog ss;
	char buf[512], want[32];
	int srv = unix_server(SOCK_STREAM), conn, i;

	(void)state;
	init_unix(&ss, 0);
	for (i = 1; i <= 3; i++)
		add(&ss, i);
	sink_syslog__pump(&ss, 1000);
	assert_int_equal(ss.sent, 3);
	assert_int_equal(ss.retained_records, 3);
	conn = accept(srv, NULL, NULL);
	assert_true(conn >= 0);
	close(conn); /* unread: a reset, not a clean close */
	add(&ss, 4);
	sink_syslog__pump(&ss, 2000);
	assert_int_equal(ss.state, SYSLOG_DOWN);
	assert_int_equal(ss.replayed, 3);
	assert_int_equal(ss.queued_records, 4);
	sink_syslog__pump(&ss, 3000 + SINK_SYSLOG_BACKOFF_MIN_NS);
	conn = accept(srv, NULL, NULL);
	assert_true(conn >= 0);
	for (i = 1; i <= 4; i++) {
		read_frame(conn, buf, sizeof(buf));
		snprintf(want, sizeof(want), "{\"i\":%d}", i);
		assert_non_null(strstr(buf, want));
	}
	assert_int_equal(ss.sent, 7);
	assert_int_equal(ss.dropped, 0);
	assert_int_equal(ss.retained_records, 4);
	/* Older than the window: forgotten, and a clean close replays nothing. */
	sink_syslog__pump(&ss, 3000 + SINK_SYSLOG_BACKOFF_MIN_NS + SINK_SYSLOG_RETAIN_NS + 1);
	assert_int_equal(ss.retained_records, 0);
	assert_int_equal(sink_syslog_queued_bytes(&ss), 0);
	sink_syslog__free(&ss);
	close(conn);
	close(srv);
}

/* Retained messages give way to new ones: the bound holds, nothing new is dropped for them. */
static void test_retained_give_way(void **state)
{
	struct sink_syslog ss;
	int srv = unix_server(SOCK_STREAM), conn, i;

	(void)state;
	init_unix(&ss, 4096);
	ss.sequence_id = 100;
	sink_syslog__pump(&ss, 0);
	add(&ss, 1000);
	sink_syslog__pump(&ss, 0);
	conn = accept(srv, NULL, NULL);
	assert_true(conn >= 0);
	for (i = 1001; i < 1200; i++) {
		add(&ss, i);
		sink_syslog__pump(&ss, 0);
		assert_true(ss.queue.len - ss.keep <= 4096);
	}
	assert_int_equal(ss.dropped, 0);
	assert_int_equal(ss.sent, 200);
	assert_true(ss.retained_records > 0 && ss.retained_records < 200);
	sink_syslog__free(&ss);
	close(conn);
	close(srv);
}

/* A datagram larger than the socket can ever send is dropped, counted, and does not block the rest. */
static void test_oversized_datagram(void **state)
{
	static char big[400 * 1024];
	struct sink_syslog ss;
	char buf[512];
	int srv = unix_server(SOCK_DGRAM);
	ssize_t n;

	(void)state;
	init_unix(&ss, 1024 * 1024);
	memset(big, 'x', sizeof(big));
	sink_syslog__add(&ss, "exec", 0, big, sizeof(big), 0);
	add(&ss, 7);
	sink_syslog__pump(&ss, 0);
	assert_int_equal(ss.dropped, 1);
	assert_int_equal(ss.dropped_by[SYSLOG_DROP_TOO_LARGE], 1);
	assert_int_equal(ss.sent, 1);
	assert_int_equal(ss.queued_records, 0);
	n = recv(srv, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "{\"i\":7}"));
	sink_syslog__free(&ss);
	close(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unix_datagram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unix_stream_frames, setup, teardown),
		cmocka_unit_test(test_tcp_loopback),
		cmocka_unit_test_setup_teardown(test_bound_and_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconnect_delivers_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_peer_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversized_datagram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_replays_retained, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retained_give_way, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
