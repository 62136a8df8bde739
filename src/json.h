/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * JSON string encoding for untrusted bytes.
 *
 * Output is always valid UTF-8 JSON. Bytes that are valid UTF-8 are kept
 * (control characters, quote, backslash, DEL and U+2028/U+2029 escaped as
 * \uXXXX or the short forms); each byte of an invalid sequence becomes
 * U+FFFD. Such a string is lossy, so json_put_string() says so, and the
 * caller adds a sibling "<field>_b64" member carrying the exact bytes in
 * base64 (RFC 4648). A consumer that needs the raw bytes reads *_b64 when it
 * is present and the plain member otherwise: lossless, strict JSON, and jq
 * and every other parser still read the plain member as ordinary text.
 */
#ifndef EXECWATCH_JSON_H
#define EXECWATCH_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "outbuf.h"

/* Append "..." for the bytes; returns false when invalid UTF-8 was replaced. */
bool json_put_string(struct outbuf *ob, const char *bytes, size_t n);

/* True when the bytes are valid UTF-8 (so json_put_string is lossless). */
bool json_is_lossless(const char *bytes, size_t n);

/* Append "<base64 of bytes>" (quoted). */
void json_put_base64(struct outbuf *ob, const void *bytes, size_t n);

/*
 * Append "key": (the key is trusted, ASCII, needs no escaping). Inline, so
 * that a literal key's strlen is a constant.
 */
static inline void json_put_key(struct outbuf *ob, const char *key)
{
	outbuf_putc(ob, '"');
	outbuf_puts(ob, key);
	outbuf_put(ob, "\":", 2);
}

/*
 * Append ,"key": (a member after the first) with one reservation instead of
 * four appends: a record has dozens of members. Inline for the same reason
 * as json_put_key().
 */
static inline void json_put_next_key(struct outbuf *ob, const char *key)
{
	size_t n = strlen(key);
	char *p;

	if (outbuf_reserve(ob, n + 4))
		return;
	p = ob->data + ob->len;
	p[0] = ',';
	p[1] = '"';
	memcpy(p + 2, key, n);
	p[n + 2] = '"';
	p[n + 3] = ':';
	ob->len += n + 4;
}

#endif /* EXECWATCH_JSON_H */
