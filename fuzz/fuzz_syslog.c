// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: the syslog wire format and its parsers (src/rfc5424.c).
 *
 * The input is 8 bytes of event time, then text. The text goes through
 * syslog_parse_url() (accepted URLs must have the promised shape: a
 * transport, a host without '/' and a port 1..65535, or an absolute path;
 * refused ones a message naming --syslog), rfc5424_parse_facility() (0..23
 * or refused), and, as a host name, an MSGID and a JSON-escaped argv,
 * through rfc5424_format(): the message must be one line of printable bytes
 * whose first seven space-separated fields are PRI+VERSION, a TIMESTAMP of
 * the documented shape, HOSTNAME, "execwatch", PROCID, MSGID and "[meta",
 * whatever the text held.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "json.h"
#include "rfc5424.h"

#define TEXT_MAX 4096

static void check_url(const char *text)
{
	struct syslog_url url;
	char msg[256] = "";
	long port;

	if (syslog_parse_url(text, &url, msg, sizeof(msg))) {
		FUZZ_CHECK(!strncmp(msg, "--syslog", 8), "refusal without a reason: '%s'", msg);
		return;
	}
	switch (url.transport) {
	case SYSLOG_TCP:
	case SYSLOG_UDP:
		FUZZ_CHECK(url.host[0] && !strchr(url.host, '/'), "host '%s'", url.host);
		port = strtol(url.port, NULL, 10);
		FUZZ_CHECK(port >= 1 && port <= 65535, "port '%s'", url.port);
		break;
	case SYSLOG_UNIX:
		FUZZ_CHECK(url.path[0] == '/', "path '%s'", url.path);
		break;
	default:
		FUZZ_CHECK(0, "transport %d", (int)url.transport);
	}
}

/* 2026-11-25T01:02:03.456789Z or "-". */
static bool timestamp_shape(const char *ts, size_t n)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.ddddddZ";
	size_t i;

	if (n == 1 && ts[0] == '-')
		return true;
	if (n != sizeof(shape) - 1)
		return false;
	for (i = 0; i < n; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)ts[i]) : ts[i] != shape[i])
			return false;
	return true;
}

/* <N>1 with N = 0..191 */
static bool pri_version_shape(const char *f, size_t n)
{
	size_t i;
	int pri = 0;

	if (n < 4 || f[0] != '<' || f[n - 2] != '>' || f[n - 1] != '1' || n > 6)
		return false;
	for (i = 1; i < n - 2; i++) {
		if (!isdigit((unsigned char)f[i]))
			return false;
		pri = pri * 10 + (f[i] - '0');
	}
	return pri <= 191;
}

static void check_message(const char *text, size_t len, int64_t wall_ns)
{
	struct rfc5424_origin o;
	struct outbuf json, ob;
	const char *field[7], *p;
	size_t flen[7], i;
	int facility = 10;

	if (!rfc5424_parse_facility(text, &facility))
		FUZZ_CHECK(facility >= 0 && facility <= 23, "facility %d", facility);
	rfc5424_origin_init(&o, facility, text, 4242);
	outbuf_init(&json, -1);
	outbuf_init(&ob, -1);
	outbuf_puts(&json, "{\"argv\":[");
	json_put_string(&json, text, len);
	outbuf_puts(&json, "]}");
	rfc5424_format(&ob, &o, 6, wall_ns, text, 1, json.data, json.len);
	FUZZ_CHECK(!ob.alloc_failed, "allocation failed");
	for (i = 0; i < ob.len; i++)
		FUZZ_CHECK((unsigned char)ob.data[i] >= 0x20 && ob.data[i] != 0x7f,
			   "byte 0x%02x at %zu", (unsigned char)ob.data[i], i);
	p = ob.data;
	for (i = 0; i < 7; i++) {
		const char *end = memchr(p, ' ', ob.len - (size_t)(p - ob.data));

		FUZZ_CHECK(end, "only %zu header fields", i);
		field[i] = p;
		flen[i] = (size_t)(end - p);
		FUZZ_CHECK(flen[i] > 0, "empty header field %zu", i);
		p = end + 1;
	}
	FUZZ_CHECK(pri_version_shape(field[0], flen[0]), "PRI/VERSION '%.*s'", (int)flen[0],
		   field[0]);
	FUZZ_CHECK(timestamp_shape(field[1], flen[1]), "TIMESTAMP '%.*s'", (int)flen[1], field[1]);
	FUZZ_CHECK(flen[2] <= RFC5424_HOSTNAME_MAX, "HOSTNAME of %zu bytes", flen[2]);
	FUZZ_CHECK(flen[3] == 9 && !memcmp(field[3], "execwatch", 9), "APP-NAME");
	FUZZ_CHECK(flen[4] == 4 && !memcmp(field[4], "4242", 4), "PROCID");
	FUZZ_CHECK(flen[5] <= RFC5424_MSGID_MAX, "MSGID of %zu bytes", flen[5]);
	FUZZ_CHECK(flen[6] == 5 && !memcmp(field[6], "[meta", 5), "SD '%.*s'", (int)flen[6],
		   field[6]);
	outbuf_free(&json);
	outbuf_free(&ob);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[TEXT_MAX + 1];
	int64_t wall_ns = 0;
	size_t len;

	if (size < sizeof(wall_ns))
		return 0;
	memcpy(&wall_ns, data, sizeof(wall_ns));
	len = size - sizeof(wall_ns);
	if (len > TEXT_MAX)
		len = TEXT_MAX;
	memcpy(text, data + sizeof(wall_ns), len);
	text[len] = '\0';
	check_url(text);
	check_message(text, len, wall_ns);
	return 0;
}
