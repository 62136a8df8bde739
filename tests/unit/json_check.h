/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Test-only checkers, written independently of src/ so they can catch its
 * mistakes: a strict RFC 3629 UTF-8 validator, a strict RFC 8259 JSON
 * validator (no trailing garbage, no raw control bytes, no lone surrogate
 * escapes, no duplicate object keys, valid UTF-8 everywhere) and a JSON
 * string decoder for round-trip checks. Everything is static and marked
 * unused so each test program includes only what it calls.
 */
#ifndef EXECWATCH_TEST_JSON_CHECK_H
#define EXECWATCH_TEST_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define JC_UNUSED __attribute__((unused))

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not valid. */
static JC_UNUSED size_t jc_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp_out)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;
	uint32_t cp;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		len = 1;
		cp = s[0];
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		unsigned char c = s[i];

		if (i == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xbf))
			return 0;
		cp = (cp << 6) | (c & 0x3f);
	}
	if (cp_out)
		*cp_out = cp;
	return len;
}

static JC_UNUSED bool jc_utf8_valid(const void *bytes, size_t n)
{
	const unsigned char *s = bytes;
	size_t i = 0;

	while (i < n) {
		size_t len = jc_utf8_seq(s + i, n - i, NULL);

		if (!len)
			return false;
		i += len;
	}
	return true;
}

/* Append the UTF-8 encoding of cp to out (room for 4 bytes assumed). */
static JC_UNUSED size_t jc_utf8_encode(uint32_t cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | (cp >> 12));
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | (cp >> 18));
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

struct jc_parser {
	const unsigned char *s;
	size_t n;
	size_t pos;
	int depth;
};

static JC_UNUSED void jc_skip_ws(struct jc_parser *p)
{
	while (p->pos < p->n && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				 p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static JC_UNUSED int jc_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static JC_UNUSED bool jc_read_u4(struct jc_parser *p, uint32_t *value)
{
	uint32_t v = 0;
	int i;

	if (p->n - p->pos < 4)
		return false;
	for (i = 0; i < 4; i++) {
		int h = jc_hex(p->s[p->pos + (size_t)i]);

		if (h < 0)
			return false;
		v = (v << 4) | (uint32_t)h;
	}
	p->pos += 4;
	*value = v;
	return true;
}

/*
 * Parse a string at p->pos (which must be '"'). When out is not NULL, the
 * decoded bytes are stored there (out must have room for the raw length).
 */
static JC_UNUSED bool jc_parse_string(struct jc_parser *p, unsigned char *out, size_t *out_len)
{
	size_t o = 0;

	if (p->pos >= p->n || p->s[p->pos] != '"')
		return false;
	p->pos++;
	while (p->pos < p->n) {
		unsigned char c = p->s[p->pos];
		uint32_t cp, lo;
		size_t len;

		if (c == '"') {
			p->pos++;
			if (out_len)
				*out_len = o;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c != '\\') {
			len = jc_utf8_seq(p->s + p->pos, p->n - p->pos, NULL);
			if (!len)
				return false;
			if (out)
				memcpy(out + o, p->s + p->pos, len);
			o += len;
			p->pos += len;
			continue;
		}
		if (++p->pos >= p->n)
			return false;
		c = p->s[p->pos++];
		switch (c) {
		case '"':
		case '\\':
		case '/':
			cp = c;
			break;
		case 'b':
			cp = '\b';
			break;
		case 'f':
			cp = '\f';
			break;
		case 'n':
			cp = '\n';
			break;
		case 'r':
			cp = '\r';
			break;
		case 't':
			cp = '\t';
			break;
		case 'u':
			if (!jc_read_u4(p, &cp))
				return false;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return false; /* lone low surrogate */
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (p->n - p->pos < 2 || p->s[p->pos] != '\\' ||
				    p->s[p->pos + 1] != 'u')
					return false;
				p->pos += 2;
				if (!jc_read_u4(p, &lo) || lo < 0xdc00 || lo > 0xdfff)
					return false;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			break;
		default:
			return false;
		}
		if (out)
			o += jc_utf8_encode(cp, out + o);
		else
			o += 4;
	}
	return false;
}

static JC_UNUSED bool jc_parse_value(struct jc_parser *p);

static JC_UNUSED bool jc_parse_number(struct jc_parser *p)
{
	size_t start;

	if (p->pos < p->n && p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->n)
		return false;
	if (p->s[p->pos] == '0') {
		p->pos++;
	} else if (p->s[p->pos] >= '1' && p->s[p->pos] <= '9') {
		while (p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
	} else {
		return false;
	}
	if (p->pos < p->n && p->s[p->pos] == '.') {
		p->pos++;
		start = p->pos;
		while (p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
		if (p->pos == start)
			return false;
	}
	if (p->pos < p->n && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->n && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		start = p->pos;
		while (p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
		if (p->pos == start)
			return false;
	}
	return true;
}

static JC_UNUSED bool jc_parse_literal(struct jc_parser *p, const char *word)
{
	size_t len = strlen(word);

	if (p->n - p->pos < len || memcmp(p->s + p->pos, word, len) != 0)
		return false;
	p->pos += len;
	return true;
}

#define JC_MAX_KEYS 128
#define JC_MAX_DEPTH 32

static JC_UNUSED bool jc_parse_object(struct jc_parser *p)
{
	size_t key_start[JC_MAX_KEYS], key_len[JC_MAX_KEYS];
	size_t nkeys = 0, i;

	p->pos++; /* '{' */
	jc_skip_ws(p);
	if (p->pos < p->n && p->s[p->pos] == '}') {
		p->pos++;
		return true;
	}
	for (;;) {
		size_t start = p->pos;

		if (!jc_parse_string(p, NULL, NULL))
			return false;
		/* Duplicate keys: compare the raw (still escaped) key text. */
		for (i = 0; i < nkeys; i++)
			if (key_len[i] == p->pos - start &&
			    memcmp(p->s + key_start[i], p->s + start, key_len[i]) == 0)
				return false;
		if (nkeys == JC_MAX_KEYS)
			return false;
		key_start[nkeys] = start;
		key_len[nkeys++] = p->pos - start;
		jc_skip_ws(p);
		if (p->pos >= p->n || p->s[p->pos] != ':')
			return false;
		p->pos++;
		jc_skip_ws(p);
		if (!jc_parse_value(p))
			return false;
		jc_skip_ws(p);
		if (p->pos >= p->n)
			return false;
		if (p->s[p->pos] == '}') {
			p->pos++;
			return true;
		}
		if (p->s[p->pos] != ',')
			return false;
		p->pos++;
		jc_skip_ws(p);
	}
}

static JC_UNUSED bool jc_parse_array(struct jc_parser *p)
{
	p->pos++; /* '[' */
	jc_skip_ws(p);
	if (p->pos < p->n && p->s[p->pos] == ']') {
		p->pos++;
		return true;
	}
	for (;;) {
		if (!jc_parse_value(p))
			return false;
		jc_skip_ws(p);
		if (p->pos >= p->n)
			return false;
		if (p->s[p->pos] == ']') {
			p->pos++;
			return true;
		}
		if (p->s[p->pos] != ',')
			return false;
		p->pos++;
		jc_skip_ws(p);
	}
}

static JC_UNUSED bool jc_parse_value(struct jc_parser *p)
{
	bool ok;

	if (p->pos >= p->n || p->depth >= JC_MAX_DEPTH)
		return false;
	switch (p->s[p->pos]) {
	case '{':
		p->depth++;
		ok = jc_parse_object(p);
		p->depth--;
		return ok;
	case '[':
		p->depth++;
		ok = jc_parse_array(p);
		p->depth--;
		return ok;
	case '"':
		return jc_parse_string(p, NULL, NULL);
	case 't':
		return jc_parse_literal(p, "true");
	case 'f':
		return jc_parse_literal(p, "false");
	case 'n':
		return jc_parse_literal(p, "null");
	default:
		return jc_parse_number(p);
	}
}

/* Is text[0..n) exactly one JSON value (whitespace around allowed)? */
static JC_UNUSED bool jc_json_valid(const char *text, size_t n)
{
	struct jc_parser p = { (const unsigned char *)text, n, 0, 0 };

	jc_skip_ws(&p);
	if (!jc_parse_value(&p))
		return false;
	jc_skip_ws(&p);
	return p.pos == n;
}

/* Is text[0..n) exactly one JSON object, with no whitespace at all? */
static JC_UNUSED bool jc_json_compact_object(const char *text, size_t n)
{
	struct jc_parser p = { (const unsigned char *)text, n, 0, 0 };

	if (n == 0 || text[0] != '{')
		return false;
	if (!jc_parse_value(&p) || p.pos != n)
		return false;
	return true;
}

/*
 * Decode text[0..n), which must be exactly one JSON string, into out (room
 * for n bytes suffices: no escape decodes to more bytes than it takes).
 */
static JC_UNUSED bool jc_json_decode_string(const char *text, size_t n, unsigned char *out,
					    size_t *out_len)
{
	struct jc_parser p = { (const unsigned char *)text, n, 0, 0 };

	if (!jc_parse_string(&p, out, out_len))
		return false;
	return p.pos == n;
}

#endif /* EXECWATCH_TEST_JSON_CHECK_H */
