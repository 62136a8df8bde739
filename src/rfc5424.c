// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * RFC 5424 messages, syslog facilities and URLs. Pure; see
 * rfc5424.h for the format and why each field is what it is.
 */
#include "rfc5424.h"
#include "escape.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const facility_names[24] = {
	"kern",	  "user",   "mail",	"daemon", "auth",   "syslog",	"lpr",	   "news",
	"uucp",	  "cron",   "authpriv", "ftp",	  "ntp",    "security", "console", "solaris-cron",
	"local0", "local1", "local2",	"local3", "local4", "local5",	"local6",  "local7",
};

int rfc5424_parse_facility(const char *text, int *facility)
{
	char *end;
	long n;
	int i;

	for (i = 0; i < 24; i++) {
		if (!strcmp(text, facility_names[i])) {
			*facility = i;
			return 0;
		}
	}
	if (!isdigit((unsigned char)*text))
		return -EINVAL;
	n = strtol(text, &end, 10);
	if (*end || n < 0 || n > 23)
		return -EINVAL;
	*facility = (int)n;
	return 0;
}

/* PRINTUSASCII (33..126) only, at most max bytes; "-" (NILVALUE) when empty. */
static void copy_printusascii(char *dst, size_t max, const char *src)
{
	size_t i;

	for (i = 0; src && src[i] && i < max; i++)
		dst[i] = src[i] > 32 && src[i] < 127 ? src[i] : '_';
	if (!i)
		dst[i++] = '-';
	dst[i] = '\0';
}

void rfc5424_origin_init(struct rfc5424_origin *o, int facility, const char *hostname, long pid)
{
	o->facility = facility;
	copy_printusascii(o->hostname, RFC5424_HOSTNAME_MAX, hostname);
	snprintf(o->procid, sizeof(o->procid), "%ld", pid);
}

void rfc5424_timestamp(char *buf, size_t len, int64_t wall_ns)
{
	int64_t sec = wall_ns / 1000000000, ns = wall_ns % 1000000000;
	time_t t;
	struct tm tm;

	if (ns < 0) {
		ns += 1000000000;
		sec--;
	}
	t = (time_t)sec;
	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999) {
		snprintf(buf, len, "-"); /* NILVALUE: no time we can write */
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ns / 1000));
}

void rfc5424_format(struct outbuf *ob, const struct rfc5424_origin *o, int severity,
		    int64_t wall_ns, const char *msgid, uint32_t sequence_id, const char *msg,
		    size_t msg_len)
{
	char ts[40], id[RFC5424_MSGID_MAX + 1];

	rfc5424_timestamp(ts, sizeof(ts), wall_ns);
	copy_printusascii(id, RFC5424_MSGID_MAX, msgid);
	outbuf_printf(ob, "<%d>1 %s %s " RFC5424_APP_NAME " %s %s [meta sequenceId=\"%u\"] ",
		      o->facility * 8 + (severity & 7), ts, o->hostname, o->procid, id,
		      sequence_id);
	outbuf_put(ob, msg, msg_len);
}

static int url_error(char *msg, size_t msg_len, const char *text, const char *why)
{
	snprintf(msg, msg_len, "--syslog '%s': %s", ESCAPED(text), why);
	return -EINVAL;
}

/* host:port or [v6]:port into url. */
static int parse_host_port(const char *text, const char *rest, struct syslog_url *url, char *msg,
			   size_t msg_len)
{
	const char *colon, *host = rest;
	size_t host_len;
	char *end;
	long port;

	if (*rest == '[') {
		const char *close = strchr(rest, ']');

		if (!close || close[1] != ':')
			return url_error(msg, msg_len, text, "an IPv6 address needs [addr]:port");
		host = rest + 1;
		host_len = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(rest, ':');
		if (!colon)
			return url_error(msg, msg_len, text, "needs a port (host:port)");
		host_len = (size_t)(colon - rest);
		if (memchr(rest, ':', host_len))
			return url_error(msg, msg_len, text,
					 "write an IPv6 address in brackets: [addr]:port");
	}
	if (!host_len || host_len >= sizeof(url->host))
		return url_error(msg, msg_len, text, "needs a host name or address");
	if (memchr(host, '/', host_len))
		return url_error(msg, msg_len, text, "has a path; only host:port is allowed");
	if (!isdigit((unsigned char)colon[1]))
		return url_error(msg, msg_len, text, "the port must be a number 1..65535");
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (*end || errno || port < 1 || port > 65535)
		return url_error(msg, msg_len, text, "the port must be a number 1..65535");
	memcpy(url->host, host, host_len);
	url->host[host_len] = '\0';
	snprintf(url->port, sizeof(url->port), "%ld", port);
	return 0;
}

int syslog_parse_url(const char *text, struct syslog_url *url, char *msg, size_t msg_len)
{
	memset(url, 0, sizeof(*url));
	if (!strncmp(text, "tcp://", 6)) {
		url->transport = SYSLOG_TCP;
		return parse_host_port(text, text + 6, url, msg, msg_len);
	}
	if (!strncmp(text, "udp://", 6)) {
		url->transport = SYSLOG_UDP;
		return parse_host_port(text, text + 6, url, msg, msg_len);
	}
	if (!strncmp(text, "unix://", 7)) {
		const char *path = text + 7;

		url->transport = SYSLOG_UNIX;
		if (*path != '/')
			return url_error(msg, msg_len, text,
					 "needs an absolute path: unix:///dev/log");
		if (strlen(path) >= sizeof(url->path))
			return url_error(msg, msg_len, text, "the socket path is too long");
		strcpy(url->path, path);
		return 0;
	}
	return url_error(msg, msg_len, text,
			 "use tcp://host:port, udp://host:port or unix:///path");
}
