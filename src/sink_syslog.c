// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The syslog sink: a bounded queue in front of a non-blocking socket. See
 * sink_syslog.h for the contract and rfc5424.h for the bytes on the wire.
 *
 * Where messages can still be lost, and how each is counted:
 * - queue full (collector down or slow for longer than the bound lasts): the
 *   new message is dropped and counted in ->dropped and, by cause, in
 *   ->dropped_by[] (queue_full; no_memory when the queue could not grow);
 * - a message too large for one datagram (UDP: 64 KiB): too_large;
 * - exit with messages queued (collector down at the end): at_exit;
 * - UDP: a datagram the kernel accepted can be lost on the way; the protocol
 *   does not tell (a refused port shows up as ECONNREFUSED on a later send,
 *   which we take as "collector down" and wait);
 * - TCP or a unix stream: bytes the collector's kernel accepted but the
 *   collector never read before it closed (plain TCP syslog has no
 *   application acks; RELP does). Not lost here: a collector that closes
 *   with unread data resets the connection (RST, not FIN: tcp_close() in the
 *   kernel), and then the messages sent in the last SINK_SYSLOG_RETAIN_NS go
 *   again on the next connection. A collector that had read everything
 *   closes with a FIN: nothing is replayed. Before every batch we look for
 *   either, so nothing is written into a dead connection. What remains:
 *   bytes still on the wire when a remote collector closed cleanly.
 */
#include "sink_syslog.h"
#include "escape.h"
#include "timefmt.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

int sink_syslog__init(struct sink_syslog *ss, const struct syslog_url *url, int facility,
		      uint64_t buffer_bytes, const char *hostname, long pid, char *msg,
		      size_t msg_len)
{
	memset(ss, 0, sizeof(*ss));
	ss->fd = -1;
	ss->url = *url;
	ss->buffer_bytes = buffer_bytes ? buffer_bytes : SINK_SYSLOG_DEFAULT_BUFFER_BYTES;
	ss->backoff_ns = SINK_SYSLOG_BACKOFF_MIN_NS;
	outbuf_init(&ss->queue, -1);
	outbuf_init(&ss->scratch, -1);
	rfc5424_origin_init(&ss->origin, facility, hostname, pid);
	if (url->transport == SYSLOG_UNIX) {
		struct sockaddr_un *sun = (struct sockaddr_un *)&ss->addr;

		sun->sun_family = AF_UNIX;
		strcpy(sun->sun_path, url->path);
		ss->addr_len =
			(socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(url->path) + 1);
	} else {
		struct addrinfo hints = { 0 }, *res;
		int rc;

		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = url->transport == SYSLOG_TCP ? SOCK_STREAM : SOCK_DGRAM;
		rc = getaddrinfo(url->host, url->port, &hints, &res);
		if (rc) {
			snprintf(msg, msg_len, "--syslog: cannot resolve '%s': %s",
				 ESCAPED(url->host), gai_strerror(rc));
			return -EHOSTUNREACH;
		}
		memcpy(&ss->addr, res->ai_addr, res->ai_addrlen);
		ss->addr_len = res->ai_addrlen;
		freeaddrinfo(res);
	}
	return 0;
}

size_t sink_syslog_queued_bytes(const struct sink_syslog *ss)
{
	return ss->queue.len - ss->head;
}

const char *sink_syslog_drop_name(enum sink_syslog_drop cause)
{
	static const char *const names[SYSLOG_DROP_NR] = {
		[SYSLOG_DROP_QUEUE_FULL] = "queue_full",
		[SYSLOG_DROP_TOO_LARGE] = "too_large",
		[SYSLOG_DROP_AT_EXIT] = "at_exit",
		[SYSLOG_DROP_NO_MEMORY] = "no_memory",
	};

	if ((unsigned int)cause >= SYSLOG_DROP_NR)
		return "unknown";
	return names[cause];
}

/* The high-water mark: a gauge read once a second misses a full queue that drained since. */
static void note_queue_peak(struct sink_syslog *ss)
{
	size_t queued = sink_syslog_queued_bytes(ss);

	if (queued > ss->queue_peak_bytes)
		ss->queue_peak_bytes = queued;
}

static void count_drops(struct sink_syslog *ss, enum sink_syslog_drop cause, uint64_t n)
{
	ss->dropped += n;
	ss->dropped_by[cause] += n;
}

static uint32_t record_len(const struct sink_syslog *ss, size_t at)
{
	uint32_t len;

	memcpy(&len, ss->queue.data + at, sizeof(len));
	return len;
}

static int64_t record_sent_ns(const struct sink_syslog *ss, size_t at)
{
	int64_t ns;

	memcpy(&ns, ss->queue.data + at + sizeof(uint32_t), sizeof(ns));
	return ns;
}

static size_t record_size(const struct sink_syslog *ss, size_t at)
{
	return SINK_SYSLOG_RECORD_OVERHEAD + record_len(ss, at);
}

/* Forget the oldest retained message. */
static void release_kept(struct sink_syslog *ss)
{
	ss->keep += record_size(ss, ss->keep);
	ss->retained_records--;
}

/* Reclaim the space before keep, now and then (a memmove of what is left). */
static void compact(struct sink_syslog *ss)
{
	if (ss->keep == ss->queue.len) {
		ss->queue.len = ss->keep = ss->head = 0;
	} else if (ss->keep > 64 * 1024 && ss->keep > ss->queue.len / 2) {
		memmove(ss->queue.data, ss->queue.data + ss->keep, ss->queue.len - ss->keep);
		ss->queue.len -= ss->keep;
		ss->head -= ss->keep;
		ss->keep = 0;
	}
}

/*
 * The head record is out whole (or cannot be sent): move on. A message sent
 * on a stream is retained for a replay; anything else is gone.
 */
static void pop_head(struct sink_syslog *ss, bool sent, int64_t now_ns)
{
	memcpy(ss->queue.data + ss->head + sizeof(uint32_t), &now_ns, sizeof(now_ns));
	ss->head += record_size(ss, ss->head);
	ss->head_sent = 0;
	ss->queued_records--;
	if (sent)
		ss->sent++;
	else
		count_drops(ss, SYSLOG_DROP_TOO_LARGE, 1);
	if (sent && ss->socktype == SOCK_STREAM)
		ss->retained_records++;
	else if (!ss->retained_records)
		ss->keep = ss->head;
	compact(ss);
}

/* Retained messages older than SINK_SYSLOG_RETAIN_NS were read: forget them. */
static void trim_kept(struct sink_syslog *ss, int64_t now_ns)
{
	while (ss->retained_records &&
	       record_sent_ns(ss, ss->keep) < now_ns - SINK_SYSLOG_RETAIN_NS)
		release_kept(ss);
	compact(ss);
}

/*
 * Connection gone. replay: the collector reset it, so messages it had not
 * read yet may be lost with it: send the retained ones again.
 */
static void disconnect(struct sink_syslog *ss, int err, bool replay, int64_t now_ns)
{
	if (ss->fd >= 0)
		close(ss->fd);
	ss->fd = -1;
	ss->state = SYSLOG_DOWN;
	ss->last_error = err;
	/* A half-sent message goes again, whole, on the next connection. */
	ss->head_sent = 0;
	if (replay && ss->retained_records) {
		ss->head = ss->keep;
		ss->queued_records += ss->retained_records;
		ss->replayed += ss->retained_records;
		note_queue_peak(ss);
	} else {
		ss->keep = ss->head;
	}
	ss->retained_records = 0;
	compact(ss);
	ss->next_attempt_ns = now_ns + ss->backoff_ns;
	ss->backoff_ns *= 2;
	if (ss->backoff_ns > SINK_SYSLOG_BACKOFF_MAX_NS)
		ss->backoff_ns = SINK_SYSLOG_BACKOFF_MAX_NS;
}

static void start_connect(struct sink_syslog *ss, int64_t now_ns)
{
	int type = ss->url.transport == SYSLOG_TCP ? SOCK_STREAM : SOCK_DGRAM;
	int fd;

	for (;;) {
		fd = socket(ss->addr.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			disconnect(ss, errno, false, now_ns);
			return;
		}
		if (!connect(fd, (struct sockaddr *)&ss->addr, ss->addr_len)) {
			ss->state = SYSLOG_UP;
			break;
		}
		if (errno == EINPROGRESS) {
			ss->state = SYSLOG_CONNECTING;
			break;
		}
		/* unix:// names a stream socket (rsyslog's imuxsock is datagram). */
		if (errno == EPROTOTYPE && ss->url.transport == SYSLOG_UNIX && type == SOCK_DGRAM) {
			close(fd);
			type = SOCK_STREAM;
			continue;
		}
		ss->fd = fd;
		disconnect(ss, errno, false, now_ns);
		return;
	}
	ss->fd = fd;
	ss->socktype = type;
	ss->connects++;
}

/*
 * A stream the collector closed must not take more messages. 0: open; 1:
 * closed cleanly (FIN: it had read everything, or it would have reset the
 * connection); a negative errno: reset, with our messages maybe unread.
 */
static int peer_closed(struct sink_syslog *ss)
{
	struct pollfd pfd = { .fd = ss->fd, .events = POLLIN | POLLRDHUP };
	socklen_t len = sizeof(int);
	char junk[256];
	int err = 0;
	ssize_t n;

	if (poll(&pfd, 1, 0) <= 0 || !pfd.revents)
		return 0;
	if (pfd.revents & POLLERR) {
		getsockopt(ss->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		return -(err ? err : ECONNRESET);
	}
	/* A collector has nothing to say to us: read and ignore it, or see the end. */
	n = recv(ss->fd, junk, sizeof(junk), MSG_DONTWAIT);
	if (n == 0)
		return 1;
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		return -errno;
	return 0;
}

static bool connect_done(struct sink_syslog *ss, int64_t now_ns)
{
	struct pollfd pfd = { .fd = ss->fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0;

	if (poll(&pfd, 1, 0) <= 0)
		return false;
	if (getsockopt(ss->fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
		disconnect(ss, err ? err : errno, false, now_ns);
		return false;
	}
	ss->state = SYSLOG_UP;
	return true;
}

/* Send the head record (the rest of it, on a stream). 0, -EAGAIN, or an error. */
static int send_head(struct sink_syslog *ss, int64_t now_ns)
{
	uint32_t len = record_len(ss, ss->head);
	char *msg = ss->queue.data + ss->head + SINK_SYSLOG_RECORD_OVERHEAD;
	char prefix[16];
	size_t plen = 0;
	struct iovec iov[2];
	struct msghdr mh = { .msg_iov = iov };
	ssize_t n;

	if (ss->socktype == SOCK_STREAM)
		plen = (size_t)snprintf(prefix, sizeof(prefix), "%u ", len);
	if (ss->head_sent < plen) {
		iov[mh.msg_iovlen].iov_base = prefix + ss->head_sent;
		iov[mh.msg_iovlen++].iov_len = plen - ss->head_sent;
		iov[mh.msg_iovlen].iov_base = msg;
		iov[mh.msg_iovlen++].iov_len = len;
	} else {
		iov[mh.msg_iovlen].iov_base = msg + (ss->head_sent - plen);
		iov[mh.msg_iovlen++].iov_len = len - (ss->head_sent - plen);
	}
	n = sendmsg(ss->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0 && errno == EMSGSIZE && ss->socktype == SOCK_DGRAM) {
		/* Larger than a datagram can be (64 KiB for UDP): it never will fit. */
		pop_head(ss, false, now_ns);
		return 0;
	}
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (ss->socktype == SOCK_STREAM) {
		ss->head_sent += (size_t)n;
		if (ss->head_sent < plen + len)
			return -EAGAIN; /* the socket buffer is full: the rest later */
	}
	pop_head(ss, true, now_ns);
	return 0;
}

void sink_syslog__pump(struct sink_syslog *ss, int64_t now_ns)
{
	int err, closed;

	if (ss->retained_records)
		trim_kept(ss, now_ns);
	if (ss->state == SYSLOG_DOWN) {
		if (!ss->queued_records || now_ns < ss->next_attempt_ns)
			return;
		start_connect(ss, now_ns);
	}
	if (ss->state == SYSLOG_CONNECTING && !connect_done(ss, now_ns))
		return;
	if (ss->state != SYSLOG_UP)
		return;
	if (ss->socktype == SOCK_STREAM) {
		closed = peer_closed(ss);
		if (closed) {
			disconnect(ss, closed < 0 ? -closed : ECONNRESET, closed < 0, now_ns);
			return;
		}
	}
	while (ss->queued_records) {
		err = send_head(ss, now_ns);
		if (err == -EINTR)
			continue;
		if (err == -EAGAIN)
			return;
		if (err) {
			/* EPIPE, ECONNRESET: what the collector had not read is lost with it. */
			disconnect(ss, -err, ss->socktype == SOCK_STREAM, now_ns);
			return;
		}
		/* Delivering again: the next outage starts with a short wait. */
		ss->backoff_ns = SINK_SYSLOG_BACKOFF_MIN_NS;
		ss->last_error = 0;
	}
}

int sink_syslog__add(struct sink_syslog *ss, const char *msgid, int64_t wall_ns, const char *json,
		     size_t json_len, int64_t now_ns)
{
	size_t before = ss->queue.len;
	int64_t not_sent = 0;
	uint32_t len;

	if (ss->sequence_id == INT32_MAX)
		ss->sequence_id = 0;
	ss->sequence_id++;
	outbuf_reset(&ss->scratch);
	rfc5424_format(&ss->scratch, &ss->origin, RFC5424_SEVERITY_INFO, wall_ns, msgid,
		       ss->sequence_id, json, json_len);
	len = (uint32_t)ss->scratch.len;
	/* Room for a new message comes first from the retained ones. */
	while (ss->retained_records &&
	       ss->queue.len - ss->keep + SINK_SYSLOG_RECORD_OVERHEAD + len > ss->buffer_bytes)
		release_kept(ss);
	if (ss->scratch.alloc_failed ||
	    sink_syslog_queued_bytes(ss) + SINK_SYSLOG_RECORD_OVERHEAD + len > ss->buffer_bytes) {
		enum sink_syslog_drop cause = SYSLOG_DROP_QUEUE_FULL;

		if (ss->scratch.alloc_failed)
			cause = SYSLOG_DROP_NO_MEMORY;
		count_drops(ss, cause, 1);
		ss->scratch.alloc_failed = 0;
		ss->drop_while_down = ss->state != SYSLOG_UP;
		ss->drop_error = ss->last_error;
		return -ENOBUFS;
	}
	outbuf_put(&ss->queue, &len, sizeof(len));
	outbuf_put(&ss->queue, &not_sent, sizeof(not_sent));
	outbuf_put(&ss->queue, ss->scratch.data, len);
	if (ss->queue.alloc_failed) {
		/* Out of memory: undo the half-added record, and count it. */
		ss->queue.alloc_failed = 0;
		ss->queue.len = before;
		count_drops(ss, SYSLOG_DROP_NO_MEMORY, 1);
		return -ENOBUFS;
	}
	ss->queued_records++;
	note_queue_peak(ss);
	/* In a storm, do not wait for the loop's next turn to make room. */
	if (sink_syslog_queued_bytes(ss) > ss->buffer_bytes / 2)
		sink_syslog__pump(ss, now_ns);
	return 0;
}

void sink_syslog__finish(struct sink_syslog *ss, int timeout_ms)
{
	int64_t deadline = timefmt_boot_now_ns() + (int64_t)timeout_ms * 1000000;

	for (;;) {
		int64_t now = timefmt_boot_now_ns();
		struct pollfd pfd = { .fd = ss->fd, .events = POLLOUT };

		sink_syslog__pump(ss, now);
		if (!ss->queued_records || now >= deadline)
			break;
		if (ss->state == SYSLOG_DOWN && ss->next_attempt_ns > deadline)
			break;
		if (ss->fd >= 0)
			poll(&pfd, 1, 10);
		else
			poll(NULL, 0, 10);
	}
	count_drops(ss, SYSLOG_DROP_AT_EXIT, ss->queued_records);
	ss->queued_records = ss->retained_records = 0;
	ss->queue.len = ss->keep = ss->head = ss->head_sent = 0;
}

void sink_syslog__free(struct sink_syslog *ss)
{
	if (ss->fd >= 0)
		close(ss->fd);
	ss->fd = -1;
	outbuf_free(&ss->queue);
	outbuf_free(&ss->scratch);
}
