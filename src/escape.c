// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * UTF-8 validation and terminal-safe escaping of untrusted bytes.
 * See escape.h for the rules and why.
 */
#include "escape.h"

#include <stdio.h>
#include <string.h>

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *codepoint)
{
	uint32_t cp, min;
	size_t len, i;

	if (s[0] < 0x80) {
		*codepoint = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0; /* continuation byte, 0xc0/0xc1 (overlong) or > 0xf4 */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*codepoint = cp;
	return len;
}

bool escape_codepoint_is_unsafe(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f) /* C0 controls and DEL */
		return true;
	if (cp >= 0x80 && cp <= 0x9f) /* C1 controls: U+009B is a CSI */
		return true;
	if (cp == 0xad || cp == 0x061c || cp == 0x180e) /* invisible formatters */
		return true;
	if ((cp >= 0x200b && cp <= 0x200f) || /* zero-width, LRM, RLM */
	    (cp >= 0x2028 && cp <= 0x202e) || /* line/para separators, bidi embeddings */
	    (cp >= 0x2060 && cp <= 0x206f) || /* word joiner, bidi isolates */
	    cp == 0xfeff || /* zero-width no-break space (BOM) */
	    (cp >= 0xfff9 && cp <= 0xfffb)) /* interlinear annotations */
		return true;
	if ((cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000) /* private use */
		return true;
	if ((cp & 0xfffe) == 0xfffe || (cp >= 0xfdd0 && cp <= 0xfdef)) /* noncharacters */
		return true;
	if (cp >= 0xe0000 && cp <= 0xe007f) /* tag characters */
		return true;
	return false;
}

/*
 * Printed unquoted: nothing a shell, a log parser or our own markers treat
 * specially. No '~': a shell expands ~ and ~user at the start of a word or
 * after = and :. A table: this is asked of every argv byte.
 */
static const bool plain_ascii[256] = {
	['a' ... 'z'] = true, ['A' ... 'Z'] = true, ['0' ... '9'] = true, ['_'] = true,
	['-'] = true,	      ['+'] = true,	    ['='] = true,	  ['%'] = true,
	['@'] = true,	      [':'] = true,	    [','] = true,	  ['.'] = true,
	['/'] = true,	      ['^'] = true,
};

/* Inside "...": controls, '"', '\\', DEL and non-ASCII need a look; the rest is copied. */
static const bool quoted_special[256] = {
	[0x00 ... 0x1f] = true,
	['"'] = true,
	['\\'] = true,
	[0x7f ... 0xff] = true,
};

static const char hex_digits[] = "0123456789abcdef";

static void put_hex_byte(struct outbuf *ob, unsigned char c)
{
	char esc[4] = { '\\', 'x', hex_digits[c >> 4], hex_digits[c & 0xf] };

	outbuf_put(ob, esc, sizeof(esc));
}

/*
 * The notation of a code point that is never shown raw (C0 controls, DEL,
 * C1, bidi and other invisible ones): \n \t \r \e, \xHH below 0x80,
 * else \u{HHHH}. Text words and error messages share it. Returns the length.
 */
static size_t unsafe_codepoint_notation(char out[16], uint32_t cp)
{
	switch (cp) {
	case '\n':
		return (size_t)snprintf(out, 16, "\\n");
	case '\t':
		return (size_t)snprintf(out, 16, "\\t");
	case '\r':
		return (size_t)snprintf(out, 16, "\\r");
	case 0x1b:
		return (size_t)snprintf(out, 16, "\\e");
	}
	if (cp < 0x80)
		return (size_t)snprintf(out, 16, "\\x%c%c", hex_digits[cp >> 4],
					hex_digits[cp & 0xf]);
	return (size_t)snprintf(out, 16, "\\u{%04x}", cp);
}

static void put_unsafe_codepoint(struct outbuf *ob, uint32_t cp)
{
	char esc[16];

	outbuf_put(ob, esc, unsafe_codepoint_notation(esc, cp));
}

/* Does the word need quotes? Any byte outside the plain set does. */
static bool needs_quotes(const unsigned char *s, size_t n)
{
	size_t i = 0;

	if (n == 0)
		return true;
	while (i < n) {
		uint32_t cp;
		size_t len;

		if (plain_ascii[s[i]]) {
			i++;
			continue;
		}
		if (s[i] < 0x80)
			return true;
		len = utf8_decode(s + i, n - i, &cp);
		if (!len || escape_codepoint_is_unsafe(cp))
			return true;
		i += len;
	}
	return false;
}

void escape_text_word(struct outbuf *ob, const char *bytes, size_t n)
{
	const unsigned char *s = (const unsigned char *)bytes;
	bool quoted = needs_quotes(s, n);
	size_t i = 0;

	if (!quoted) {
		outbuf_put(ob, bytes, n);
		return;
	}
	outbuf_putc(ob, '"');
	while (i < n) {
		size_t start = i;
		uint32_t cp;
		size_t len;

		while (i < n && !quoted_special[s[i]])
			i++;
		outbuf_put(ob, bytes + start, i - start);
		if (i == n)
			break;
		if (s[i] == '"' || s[i] == '\\') {
			char esc[2] = { '\\', (char)s[i] };

			outbuf_put(ob, esc, 2);
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (!len) {
			put_hex_byte(ob, s[i]);
			i++;
		} else if (escape_codepoint_is_unsafe(cp)) {
			put_unsafe_codepoint(ob, cp);
			i += len;
		} else {
			outbuf_put(ob, bytes + i, len);
			i += len;
		}
	}
	outbuf_putc(ob, '"');
}

/* Can the bytes go inside '...': valid UTF-8 with no unsafe code point? */
static bool single_quotable(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);

		if (!len || escape_codepoint_is_unsafe(cp))
			return false;
		i += len;
	}
	return true;
}

void escape_shell_word(struct outbuf *ob, const char *bytes, size_t n)
{
	const unsigned char *s = (const unsigned char *)bytes;
	size_t i;

	if (!needs_quotes(s, n)) {
		outbuf_put(ob, bytes, n);
		return;
	}
	if (single_quotable(s, n)) {
		outbuf_putc(ob, '\'');
		for (i = 0; i < n; i++) {
			if (s[i] == '\'')
				outbuf_put(ob, "'\\''", 4);
			else
				outbuf_putc(ob, (char)s[i]);
		}
		outbuf_putc(ob, '\'');
		return;
	}
	/* $'...': every byte outside printable ASCII as \xHH, which bash reads back exactly. */
	outbuf_put(ob, "$'", 2);
	for (i = 0; i < n; i++) {
		if (s[i] == '\'' || s[i] == '\\') {
			char esc[2] = { '\\', (char)s[i] };

			outbuf_put(ob, esc, 2);
		} else if (s[i] >= 0x20 && s[i] < 0x7f) {
			outbuf_putc(ob, (char)s[i]);
		} else {
			put_hex_byte(ob, s[i]);
		}
	}
	outbuf_putc(ob, '\'');
}

size_t escape_text_word_width(const char *bytes, size_t n)
{
	struct outbuf tmp;
	size_t width = 0, i;

	/* Rare path (alignment of short fields): render, then count code points. */
	outbuf_init(&tmp, -1);
	escape_text_word(&tmp, bytes, n);
	for (i = 0; i < tmp.len; i++)
		if (((unsigned char)tmp.data[i] & 0xc0) != 0x80)
			width++;
	outbuf_free(&tmp);
	return width;
}

/* Append k bytes when they fit before the room kept for "..." and the NUL. */
static bool message_put(char *buf, size_t room, size_t *at, const char *bytes, size_t k)
{
	if (k > room - *at)
		return false;
	memcpy(buf + *at, bytes, k);
	*at += k;
	return true;
}

const char *escape_message(char *buf, size_t len, const char *bytes, size_t n)
{
	const unsigned char *s = (const unsigned char *)bytes;
	size_t i = 0, at = 0, room;

	if (!len)
		return buf;
	if (len < 5) {
		buf[0] = '\0';
		return buf;
	}
	room = len - 4; /* "..." and the NUL always fit after a cut */
	while (i < n) {
		char esc[16];
		size_t k, step = 1;
		uint32_t cp;

		if (s[i] == '\\' || s[i] == '\'') {
			esc[0] = '\\';
			esc[1] = (char)s[i];
			k = 2;
		} else if (s[i] >= 0x20 && s[i] < 0x7f) {
			esc[0] = (char)s[i];
			k = 1;
		} else if (!(step = utf8_decode(s + i, n - i, &cp))) {
			k = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", s[i]);
			step = 1;
		} else {
			k = unsafe_codepoint_notation(esc, cp);
		}
		if (!message_put(buf, room, &at, esc, k)) {
			memcpy(buf + at, "...", 3);
			at += 3;
			break;
		}
		i += step;
	}
	buf[at] = '\0';
	return buf;
}
