// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * JSON string and base64 encoding. See json.h for the lossless scheme.
 */
#include "json.h"

#include <stdint.h>
#include <string.h>

#include "escape.h"

static const char hex_digits[] = "0123456789abcdef";

static void put_u_escape(struct outbuf *ob, uint32_t cp)
{
	char esc[6] = { '\\',
			'u',
			hex_digits[(cp >> 12) & 0xf],
			hex_digits[(cp >> 8) & 0xf],
			hex_digits[(cp >> 4) & 0xf],
			hex_digits[cp & 0xf] };

	outbuf_put(ob, esc, sizeof(esc));
}

/*
 * Bytes inside a JSON string that need a look: controls, '"', '\\', DEL and
 * everything non-ASCII (validated as UTF-8). All others are copied as they are.
 */
static const bool json_special[256] = {
	[0x00 ... 0x1f] = true,
	['"'] = true,
	['\\'] = true,
	[0x7f ... 0xff] = true,
};

/*
 * True when none of the 8 bytes is special: the usual has-zero-byte and
 * has-less-than tricks, exact as to "any" (a borrow can only spread from a
 * byte that matched itself). Lets long plain arguments go 8 bytes a step.
 */
static inline bool word_is_plain(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t x, quote, bslash, below, del;

	memcpy(&x, p, sizeof(x));
	below = (x - ones * 0x20) & ~x;
	quote = x ^ (ones * '"');
	quote = (quote - ones) & ~quote;
	bslash = x ^ (ones * '\\');
	bslash = (bslash - ones) & ~bslash;
	del = (x & ~high) + ones; /* high bit set where the low 7 bits are 0x7f */
	return !((below | quote | bslash | del | x) & high);
}

/*
 * The same for 16 bytes with GCC's vector extensions (SSE2 on x86-64, NEON
 * on arm64, plain code elsewhere): about three times the word trick's speed
 * on long arguments.
 */
typedef unsigned char json_u8x16 __attribute__((vector_size(16)));
typedef signed char json_mask16 __attribute__((vector_size(16)));

static inline bool block_is_plain(const unsigned char *p)
{
	json_u8x16 v;
	json_mask16 bad;
	uint64_t half[2];

	memcpy(&v, p, sizeof(v));
	bad = (v < 0x20) | (v == '"') | (v == '\\') | (v >= 0x7f);
	memcpy(half, &bad, sizeof(half));
	return !(half[0] | half[1]);
}

bool json_put_string(struct outbuf *ob, const char *bytes, size_t n)
{
	const unsigned char *s = (const unsigned char *)bytes;
	bool lossless = true;
	size_t i = 0;

	outbuf_putc(ob, '"');
	while (i < n) {
		size_t start = i;
		uint32_t cp;
		size_t len;

		while (n - i >= 16 && block_is_plain(s + i))
			i += 16;
		while (n - i >= 8 && word_is_plain(s + i))
			i += 8;
		while (i < n && !json_special[s[i]])
			i++;
		outbuf_put(ob, bytes + start, i - start);
		if (i == n)
			break;
		switch (s[i]) {
		case '"':
			outbuf_put(ob, "\\\"", 2);
			i++;
			continue;
		case '\\':
			outbuf_put(ob, "\\\\", 2);
			i++;
			continue;
		case '\n':
			outbuf_put(ob, "\\n", 2);
			i++;
			continue;
		case '\t':
			outbuf_put(ob, "\\t", 2);
			i++;
			continue;
		case '\r':
			outbuf_put(ob, "\\r", 2);
			i++;
			continue;
		}
		if (s[i] < 0x20 || s[i] == 0x7f) {
			put_u_escape(ob, s[i]);
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (!len) {
			outbuf_put(ob, "\xef\xbf\xbd", 3); /* U+FFFD */
			lossless = false;
			i++;
		} else if (cp == 0x2028 || cp == 0x2029 || (cp >= 0x80 && cp <= 0x9f)) {
			/* Valid JSON raw, but they break JavaScript and terminals. */
			put_u_escape(ob, cp);
			i += len;
		} else {
			outbuf_put(ob, bytes + i, len);
			i += len;
		}
	}
	outbuf_putc(ob, '"');
	return lossless;
}

bool json_is_lossless(const char *bytes, size_t n)
{
	const unsigned char *s = (const unsigned char *)bytes;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

void json_put_base64(struct outbuf *ob, const void *bytes, size_t n)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = bytes;
	size_t i;

	outbuf_putc(ob, '"');
	for (i = 0; i + 2 < n; i += 3) {
		char quad[4] = { alphabet[s[i] >> 2], alphabet[((s[i] & 3) << 4) | (s[i + 1] >> 4)],
				 alphabet[((s[i + 1] & 0xf) << 2) | (s[i + 2] >> 6)],
				 alphabet[s[i + 2] & 0x3f] };

		outbuf_put(ob, quad, 4);
	}
	if (n - i == 1) {
		char quad[4] = { alphabet[s[i] >> 2], alphabet[(s[i] & 3) << 4], '=', '=' };

		outbuf_put(ob, quad, 4);
	} else if (n - i == 2) {
		char quad[4] = { alphabet[s[i] >> 2], alphabet[((s[i] & 3) << 4) | (s[i + 1] >> 4)],
				 alphabet[(s[i + 1] & 0xf) << 2], '=' };

		outbuf_put(ob, quad, 4);
	}
	outbuf_putc(ob, '"');
}
