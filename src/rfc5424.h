/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Syslog wire format, pure: the RFC 5424 message around a JSON event, the
 * facility names and the --syslog URL. No I/O here (that is sink_syslog.c,
 * which also puts the RFC 6587 octet count in front of a message on a
 * stream, at send time, so a frame sent in part resumes where it stopped),
 * so every byte we put on the wire is unit-tested.
 *
 *   <86>1 2026-11-25T01:02:03.456789Z host execwatch 4242 exec [meta sequenceId="7"] {"type":...}
 *
 * PRI = facility * 8 + severity (informational). TIMESTAMP is the event's
 * time in UTC with microseconds (RFC 5424 allows at most 6 fraction digits).
 * HOSTNAME, APP-NAME, PROCID and MSGID are PRINTUSASCII without spaces; any
 * other byte is replaced, so a hostile host name cannot forge header fields.
 * The one SD element is RFC 5424's own meta sequenceId (section 7.3.1), so a
 * collector can see gaps. MSG is the JSON record, which never holds a
 * control byte or a line break (json.c escapes them), so a hostile argv
 * cannot forge a frame or a second message.
 */
#ifndef EXECWATCH_RFC5424_H
#define EXECWATCH_RFC5424_H

#include <stddef.h>
#include <stdint.h>

#include "outbuf.h"

#define RFC5424_APP_NAME "execwatch"
/* authpriv: exec records carry command lines, which can carry secrets. */
#define RFC5424_DEFAULT_FACILITY 10
#define RFC5424_SEVERITY_INFO 6
#define RFC5424_HOSTNAME_MAX 255
#define RFC5424_MSGID_MAX 32

enum syslog_transport {
	SYSLOG_TCP = 1,
	SYSLOG_UDP,
	SYSLOG_UNIX, /* datagram, or stream when the socket is one */
};

struct syslog_url {
	enum syslog_transport transport;
	char host[256]; /* tcp, udp: a name, an IPv4 address or [IPv6] without brackets */
	char port[6]; /* decimal, 1..65535 */
	char path[108]; /* unix: sizeof(sun_path) */
};

/* The header fields that stay the same for a whole run. */
struct rfc5424_origin {
	int facility; /* 0..23 */
	char hostname[RFC5424_HOSTNAME_MAX + 1]; /* sanitized, "-" when unknown */
	char procid[16];
};

/* tcp://host:port, udp://host:port, unix:///path; -EINVAL with a reason. */
int syslog_parse_url(const char *text, struct syslog_url *url, char *msg, size_t msg_len);
/* "authpriv", "local3", "daemon" or a number 0..23; -EINVAL otherwise. */
int rfc5424_parse_facility(const char *text, int *facility);

/* Fill origin, replacing bytes RFC 5424 does not allow in these fields. */
void rfc5424_origin_init(struct rfc5424_origin *o, int facility, const char *hostname, long pid);

/*
 * Append one message: header, SD, a space and msg (msg_len bytes, no
 * newline). wall_ns is the event time (ns since the epoch).
 */
void rfc5424_format(struct outbuf *ob, const struct rfc5424_origin *o, int severity,
		    int64_t wall_ns, const char *msgid, uint32_t sequence_id, const char *msg,
		    size_t msg_len);
/* RFC 3339 with microseconds, UTC: 2026-11-25T01:02:03.456789Z (27 chars + NUL). */
void rfc5424_timestamp(char *buf, size_t len, int64_t wall_ns);

#endif /* EXECWATCH_RFC5424_H */
