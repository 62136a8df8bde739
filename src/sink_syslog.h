/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * --syslog URL: every exec and exit record, as JSON in an RFC 5424 message,
 * to a collector over TCP (RFC 6587 octet counting), UDP or a unix socket.
 * An additional sink: stdout or --output still get their records.
 *
 * Never blocks exec tracing: the socket is non-blocking, the host name is
 * resolved once at start, and messages wait in a bounded queue while the
 * collector is slow or down. A full queue drops the newest message and counts
 * it; a lost connection is retried with exponential backoff, and the message
 * that was half-written to the old connection is sent again whole, so a
 * collector never sees a broken frame.
 */
#ifndef EXECWATCH_SINK_SYSLOG_H
#define EXECWATCH_SINK_SYSLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "outbuf.h"
#include "rfc5424.h"

#define SINK_SYSLOG_DEFAULT_BUFFER_BYTES (4u * 1024 * 1024)
#define SINK_SYSLOG_MIN_BUFFER_BYTES (4u * 1024)
#define SINK_SYSLOG_BACKOFF_MIN_NS (100 * 1000000LL)
#define SINK_SYSLOG_BACKOFF_MAX_NS (10 * 1000000000LL)
/* Bytes of queue bookkeeping per message (length, time sent), counted against the bound. */
#define SINK_SYSLOG_RECORD_OVERHEAD 12u
/*
 * Stream messages stay in memory this long after they were sent: when the
 * collector resets the connection (it closed with our messages unread), they
 * are sent again on the next connection.
 */
#define SINK_SYSLOG_RETAIN_NS (2 * 1000000000LL)

/* Why a message was never sent; each has a counter (the metrics' cause label). */
enum sink_syslog_drop {
	SYSLOG_DROP_QUEUE_FULL = 0, /* the bound was reached: collector down or too slow */
	SYSLOG_DROP_TOO_LARGE, /* larger than one datagram can be (UDP: 64 KiB) */
	SYSLOG_DROP_AT_EXIT, /* still queued when the exit's grace time ran out */
	SYSLOG_DROP_NO_MEMORY, /* the queue could not grow */
	SYSLOG_DROP_NR,
};

enum sink_syslog_state {
	SYSLOG_DOWN = 0,
	SYSLOG_CONNECTING,
	SYSLOG_UP,
};

struct sink_syslog {
	struct syslog_url url;
	struct rfc5424_origin origin;
	struct sockaddr_storage addr; /* resolved once, at start */
	socklen_t addr_len;
	int fd;
	int socktype; /* of the current connection: SOCK_STREAM frames, SOCK_DGRAM does not */
	enum sink_syslog_state state;
	/*
	 * The queue: records of [uint32_t length][int64_t sent_ns][message].
	 * From keep to head: stream messages sent in the last
	 * SINK_SYSLOG_RETAIN_NS, kept for a replay; from head on: unsent ones,
	 * of which head_sent bytes (its frame prefix included) of the first are
	 * already on the current stream connection.
	 */
	struct outbuf queue;
	size_t keep;
	size_t head;
	size_t head_sent;
	size_t retained_records;
	size_t queued_records;
	size_t queue_peak_bytes; /* the most sink_syslog_queued_bytes() has been */
	uint64_t buffer_bytes; /* the bound on queue.len - keep (retained ones go first) */
	struct outbuf scratch; /* one message being formatted */
	uint32_t sequence_id; /* RFC 5424 meta sequenceId: 1..2^31-1, then 1 again */
	int64_t next_attempt_ns;
	int64_t backoff_ns;
	uint64_t sent; /* messages handed to the kernel whole */
	uint64_t dropped; /* messages never sent: the sum of dropped_by[] */
	uint64_t dropped_by[SYSLOG_DROP_NR];
	uint64_t connects;
	uint64_t replayed; /* messages sent again after a reset connection (sent counts both) */
	int last_error; /* positive errno of the last failure, 0 when none */
	bool drop_while_down; /* at the last drop: no connection (else: too slow) */
	int drop_error; /* at the last drop: last_error */
};

/*
 * Resolve the URL (once: DNS must not block the loop later) and set up the
 * queue. On failure returns a negative errno and fills msg.
 */
int sink_syslog__init(struct sink_syslog *ss, const struct syslog_url *url, int facility,
		      uint64_t buffer_bytes, const char *hostname, long pid, char *msg,
		      size_t msg_len);
/*
 * Queue one message (json: one record without its newline). Returns 0, or
 * -ENOBUFS when the bound dropped it (counted in ->dropped).
 */
int sink_syslog__add(struct sink_syslog *ss, const char *msgid, int64_t wall_ns, const char *json,
		     size_t json_len, int64_t now_ns);
/* Connect when due, send what the socket takes now. Never waits. */
void sink_syslog__pump(struct sink_syslog *ss, int64_t now_ns);
/* At exit: keep sending for up to timeout_ms, then count what is left as dropped. */
void sink_syslog__finish(struct sink_syslog *ss, int timeout_ms);
/* Bytes waiting in the queue (messages and bookkeeping). */
size_t sink_syslog_queued_bytes(const struct sink_syslog *ss);
/* Stable snake_case name of a drop cause (metrics label), "unknown" out of range. */
const char *sink_syslog_drop_name(enum sink_syslog_drop cause);
void sink_syslog__free(struct sink_syslog *ss);

#endif /* EXECWATCH_SINK_SYSLOG_H */
