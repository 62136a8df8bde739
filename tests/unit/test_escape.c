// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/escape.c: utf8_decode() against RFC 3629 (valid 1-4 byte
 * forms, overlong forms, surrogates, values above U+10FFFF, truncated and
 * stray bytes, with exactly-sized buffers so ASan sees any over-read), the
 * unsafe code point table, and escape_text_word()'s exact output for every
 * class of byte a hostile filename or argument can carry. A seeded property
 * test then checks, over many random byte strings, that the output is
 * terminal-safe (no C0, DEL or raw C1 bytes, valid UTF-8, no unsafe code
 * point raw, no unquoted space or newline) and that it decodes back to
 * exactly the input, so the escaping is unambiguous.
 *
 * escape_shell_word() (--quote): exact output for plain words, '...' words
 * (spaces, shell metacharacters, a single quote inside as '\''), and
 * $'...' words with \xHH for newline, ESC, DEL, unsafe code points and
 * invalid UTF-8; then the real check, bash itself: random byte strings (and
 * every 1- and 2-byte string) are turned into words, bash runs
 * printf %s WORD, and the bytes must come back exactly, while the word stays
 * terminal-safe. A word starting with '~' must not be tilde-expanded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "escape.h"
#include "json_check.h"
#include "outbuf.h"

/* Render bytes with escape_text_word into a NUL-terminated heap string. */
static char *render(const void *bytes, size_t n)
{
	struct outbuf ob;
	char *s;

	outbuf_init(&ob, -1);
	escape_text_word(&ob, bytes, n);
	assert_int_equal(ob.alloc_failed, 0);
	s = malloc(ob.len + 1);
	assert_non_null(s);
	if (ob.len)
		memcpy(s, ob.data, ob.len);
	s[ob.len] = '\0';
	outbuf_free(&ob);
	return s;
}

#define assert_escape(input, expected)                         \
	do {                                                   \
		char *got_ = render(input, sizeof(input) - 1); \
		assert_string_equal(got_, expected);           \
		free(got_);                                    \
	} while (0)

/* Decode from an exactly-sized heap copy, so an over-read trips ASan. */
static size_t decode_exact(const char *bytes, size_t n, uint32_t *cp)
{
	unsigned char *copy = malloc(n);
	size_t len;

	assert_non_null(copy);
	memcpy(copy, bytes, n);
	len = utf8_decode(copy, n, cp);
	free(copy);
	return len;
}

#define assert_decodes(bytes, want_len, want_cp)                                          \
	do {                                                                              \
		uint32_t cp_ = 0xdeadbeef;                                                \
		assert_int_equal(decode_exact(bytes, sizeof(bytes) - 1, &cp_), want_len); \
		assert_int_equal(cp_, want_cp);                                           \
	} while (0)

#define assert_invalid(bytes)                                                      \
	do {                                                                       \
		uint32_t cp_ = 0;                                                  \
		assert_int_equal(decode_exact(bytes, sizeof(bytes) - 1, &cp_), 0); \
	} while (0)

static void test_utf8_valid_one_byte(void **state)
{
	uint32_t cp;
	unsigned char nul = 0;

	(void)state;
	assert_decodes("A", 1, 0x41);
	assert_decodes("\x7f", 1, 0x7f);
	assert_decodes("\x01", 1, 0x01);
	assert_int_equal(utf8_decode(&nul, 1, &cp), 1);
	assert_int_equal(cp, 0);
	/* Only the first sequence is decoded; following bytes are ignored. */
	assert_decodes("ab", 1, 'a');
	assert_decodes("a\xff", 1, 'a');
}

static void test_utf8_valid_two_bytes(void **state)
{
	(void)state;
	assert_decodes("\xc2\x80", 2, 0x80);
	assert_decodes("\xc2\x9b", 2, 0x9b);
	assert_decodes("\xc3\xa9", 2, 0xe9);
	assert_decodes("\xdf\xbf", 2, 0x7ff);
	assert_decodes("\xc3\xa9x", 2, 0xe9);
}

static void test_utf8_valid_three_bytes(void **state)
{
	(void)state;
	assert_decodes("\xe0\xa0\x80", 3, 0x800);
	assert_decodes("\xe2\x82\xac", 3, 0x20ac);
	assert_decodes("\xe2\x80\xae", 3, 0x202e);
	assert_decodes("\xe6\x97\xa5", 3, 0x65e5);
	assert_decodes("\xed\x9f\xbf", 3, 0xd7ff); /* last before surrogates */
	assert_decodes("\xee\x80\x80", 3, 0xe000); /* first after surrogates */
	assert_decodes("\xef\xbf\xbd", 3, 0xfffd);
	assert_decodes("\xef\xbf\xbf", 3, 0xffff);
}

static void test_utf8_valid_four_bytes(void **state)
{
	(void)state;
	assert_decodes("\xf0\x90\x80\x80", 4, 0x10000);
	assert_decodes("\xf0\x9f\x98\x80", 4, 0x1f600);
	assert_decodes("\xf3\xbf\xbf\xbf", 4, 0xfffff);
	assert_decodes("\xf4\x8f\xbf\xbf", 4, 0x10ffff);
}

static void test_utf8_overlong(void **state)
{
	(void)state;
	assert_invalid("\xc0\x80");
	assert_invalid("\xc0\xaf");
	assert_invalid("\xc1\xbf");
	assert_invalid("\xe0\x80\x80");
	assert_invalid("\xe0\x80\xaf");
	assert_invalid("\xe0\x9f\xbf");
	assert_invalid("\xf0\x80\x80\x80");
	assert_invalid("\xf0\x80\x80\xaf");
	assert_invalid("\xf0\x8f\xbf\xbf");
}

static void test_utf8_surrogates(void **state)
{
	(void)state;
	assert_invalid("\xed\xa0\x80"); /* U+D800 */
	assert_invalid("\xed\xad\xbf"); /* U+DB7F */
	assert_invalid("\xed\xb0\x80"); /* U+DC00 */
	assert_invalid("\xed\xbf\xbf"); /* U+DFFF */
	/* CESU-8 pair for U+10000 is two surrogates, not one character. */
	assert_invalid("\xed\xa0\x80\xed\xb0\x80");
}

static void test_utf8_above_max(void **state)
{
	(void)state;
	assert_invalid("\xf4\x90\x80\x80"); /* U+110000 */
	assert_invalid("\xf4\xbf\xbf\xbf");
	assert_invalid("\xf5\x80\x80\x80");
	assert_invalid("\xf7\xbf\xbf\xbf");
	assert_invalid("\xf8\x88\x80\x80\x80");
	assert_invalid("\xfc\x84\x80\x80\x80\x80");
	assert_invalid("\xfe");
	assert_invalid("\xff");
}

static void test_utf8_truncated(void **state)
{
	(void)state;
	assert_invalid("\xc3");
	assert_invalid("\xe2");
	assert_invalid("\xe2\x82");
	assert_invalid("\xf0");
	assert_invalid("\xf0\x9f");
	assert_invalid("\xf0\x9f\x98");
	/* A continuation byte missing in the middle, with more input after. */
	assert_invalid("\xc3\x41");
	assert_invalid("\xc3\xc3\xa9");
	assert_invalid("\xe2\x41\xac");
	assert_invalid("\xe2\x82\x41");
	assert_invalid("\xf0\x9f\x41\x80");
	assert_invalid("\xf0\x9f\x98\x41");
	assert_invalid("\xe2\x82 ");
}

static void test_utf8_stray_continuation(void **state)
{
	(void)state;
	assert_invalid("\x80");
	assert_invalid("\x9b");
	assert_invalid("\xbf");
	assert_invalid("\x80\x80");
	assert_invalid("\xbf"
		       "a");
}

/* Every 1- and 2-byte input against the independent validator. */
static void test_utf8_exhaustive_short(void **state)
{
	unsigned char buf[2];
	unsigned int a, b;
	uint32_t cp, want_cp;
	size_t len, want;

	(void)state;
	for (a = 0; a < 256; a++) {
		buf[0] = (unsigned char)a;
		want = jc_utf8_seq(buf, 1, &want_cp);
		len = utf8_decode(buf, 1, &cp);
		assert_int_equal(len, want);
		if (len)
			assert_int_equal(cp, want_cp);
		for (b = 0; b < 256; b++) {
			buf[1] = (unsigned char)b;
			want = jc_utf8_seq(buf, 2, &want_cp);
			len = utf8_decode(buf, 2, &cp);
			assert_int_equal(len, want);
			if (len)
				assert_int_equal(cp, want_cp);
		}
	}
}

/* Every 3-byte lead + 2 continuation/edge bytes, and 4-byte lead edges. */
static void test_utf8_exhaustive_multibyte(void **state)
{
	static const unsigned char edges[] = { 0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0,
					       0xbf, 0xc0, 0xc2, 0xe0, 0xf0, 0xf4, 0xff };
	unsigned char buf[4];
	unsigned int a, i, j, k;
	uint32_t cp, want_cp;
	size_t len, want;

	(void)state;
	for (a = 0xe0; a < 0x100; a++) {
		buf[0] = (unsigned char)a;
		for (i = 0x80; i < 0xc0; i++) {
			buf[1] = (unsigned char)i;
			for (j = 0; j < sizeof(edges); j++) {
				buf[2] = edges[j];
				for (k = 0; k < sizeof(edges); k++) {
					buf[3] = edges[k];
					want = jc_utf8_seq(buf, 4, &want_cp);
					len = utf8_decode(buf, 4, &cp);
					assert_int_equal(len, want);
					if (len)
						assert_int_equal(cp, want_cp);
				}
			}
		}
	}
}

static void test_unsafe_codepoints(void **state)
{
	static const uint32_t unsafe[] = {
		0x00,	0x07,	0x09,	 0x0a,	  0x1b,	   0x1f,    0x7f,    0x80,
		0x85,	0x9b,	0x9f,	 0xad,	  0x061c,  0x180e,  0x200b,  0x200e,
		0x200f, 0x2028, 0x2029,	 0x202a,  0x202e,  0x2060,  0x2066,  0x2069,
		0x206f, 0xfeff, 0xfff9,	 0xfffb,  0xe000,  0xf8ff,  0xfdd0,  0xfdef,
		0xfffe, 0xffff, 0x1fffe, 0x1ffff, 0xe0001, 0xe007f, 0xf0000, 0x10ffff,
	};
	static const uint32_t safe[] = {
		0x20,	0x41,	0x7e,	0xa0,	 0xa9,	  0xe9,	   0xff,    0x0100,  0x061b, 0x200a,
		0x2010, 0x2027, 0x202f, 0x205f,	 0x2070,  0x4e2d,  0xd7ff,  0xf900,  0xfdcf, 0xfdf0,
		0xfff8, 0xfffc, 0xfffd, 0x10000, 0x1f600, 0x1fffd, 0xe0080, 0xefffd,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++) {
		if (!escape_codepoint_is_unsafe(unsafe[i]))
			fail_msg("U+%04X should be unsafe", unsafe[i]);
	}
	for (i = 0; i < sizeof(safe) / sizeof(safe[0]); i++) {
		if (escape_codepoint_is_unsafe(safe[i]))
			fail_msg("U+%04X should be safe", safe[i]);
	}
}

static void test_escape_plain_words(void **state)
{
	(void)state;
	assert_escape("ls", "ls");
	assert_escape("/usr/bin/ls", "/usr/bin/ls");
	assert_escape("--color=auto", "--color=auto");
	assert_escape("a_b-c+d=e%f@g:h,i.j/k^m", "a_b-c+d=e%f@g:h,i.j/k^m");
	/* '~' is quoted: a shell would expand it (see test_shell_tilde). */
	assert_escape("k~l", "\"k~l\"");
	assert_escape("0123456789", "0123456789");
}

static void test_escape_empty(void **state)
{
	char *got;

	(void)state;
	got = render("", 0);
	assert_string_equal(got, "\"\"");
	free(got);
	got = render(NULL, 0);
	assert_string_equal(got, "\"\"");
	free(got);
}

static void test_escape_space_quoted(void **state)
{
	(void)state;
	assert_escape(" ", "\" \"");
	assert_escape("a b", "\"a b\"");
	assert_escape("hello world", "\"hello world\"");
	assert_escape(" lead", "\" lead\"");
}

static void test_escape_controls(void **state)
{
	(void)state;
	assert_escape("a\nb", "\"a\\nb\"");
	assert_escape("\n", "\"\\n\"");
	assert_escape("a\tb", "\"a\\tb\"");
	assert_escape("a\rb", "\"a\\rb\"");
	assert_escape("\x1b[31mred", "\"\\e[31mred\"");
	assert_escape("\x1b", "\"\\e\"");
	assert_escape("\x01", "\"\\x01\"");
	assert_escape("\x07", "\"\\x07\"");
	assert_escape("\x08", "\"\\x08\"");
	assert_escape("\x0b\x0c", "\"\\x0b\\x0c\"");
	assert_escape("\x1f", "\"\\x1f\"");
	assert_escape("a\0b", "\"a\\x00b\"");
	assert_escape("\x7f", "\"\\x7f\"");
	assert_escape("x\x7fy", "\"x\\x7fy\"");
}

static void test_escape_invalid_utf8(void **state)
{
	(void)state;
	assert_escape("\xff", "\"\\xff\"");
	assert_escape("a\xff"
		      "b",
		      "\"a\\xffb\"");
	assert_escape("\xfe\xff", "\"\\xfe\\xff\"");
	assert_escape("\x80", "\"\\x80\"");
	assert_escape("a\xc3", "\"a\\xc3\"");
	assert_escape("\xc0\x80", "\"\\xc0\\x80\"");
	assert_escape("\xed\xa0\x80", "\"\\xed\\xa0\\x80\"");
	assert_escape("\xf4\x90\x80\x80", "\"\\xf4\\x90\\x80\\x80\"");
	/* A cut sequence followed by a valid one: only the cut bytes escape. */
	assert_escape("\xe2\x82\xc3\xa9", "\"\\xe2\\x82\xc3\xa9\"");
}

static void test_escape_c1_and_bidi(void **state)
{
	(void)state;
	assert_escape("\xc2\x9b", "\"\\u{009b}\"");
	assert_escape("\xc2\x80", "\"\\u{0080}\"");
	assert_escape("\xc2\x85", "\"\\u{0085}\"");
	assert_escape("\xc2\x9b"
		      "31m",
		      "\"\\u{009b}31m\"");
	assert_escape("\xe2\x80\xae", "\"\\u{202e}\"");
	assert_escape("abc\xe2\x80\xae"
		      "fdp.exe",
		      "\"abc\\u{202e}fdp.exe\"");
	assert_escape("\xe2\x80\x8b", "\"\\u{200b}\"");
	assert_escape("\xe2\x81\xa6", "\"\\u{2066}\"");
	assert_escape("\xe2\x80\xa8", "\"\\u{2028}\"");
	assert_escape("\xef\xbb\xbf", "\"\\u{feff}\"");
	assert_escape("\xc2\xad", "\"\\u{00ad}\"");
	assert_escape("\xee\x80\x80", "\"\\u{e000}\"");
	assert_escape("\xf4\x8f\xbf\xbf", "\"\\u{10ffff}\"");
	assert_escape("\xf3\xa0\x80\x81", "\"\\u{e0001}\"");
}

static void test_escape_non_ascii_kept(void **state)
{
	(void)state;
	assert_escape("\xc3\xa9", "\xc3\xa9");
	assert_escape("caf\xc3\xa9", "caf\xc3\xa9");
	assert_escape("\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac");
	assert_escape("/tmp/\xe6\x97\xa5\xe6\x9c\xac.txt", "/tmp/\xe6\x97\xa5\xe6\x9c\xac.txt");
	assert_escape("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");
	assert_escape("\xc2\xa0", "\xc2\xa0"); /* NBSP is printable */
	/* Raw inside quotes too, when something else forces the quotes. */
	assert_escape("\xc3\xa9 \xe6\x97\xa5", "\"\xc3\xa9 \xe6\x97\xa5\"");
	assert_escape("\xc3\xa9\n", "\"\xc3\xa9\\n\"");
}

static void test_escape_quote_backslash(void **state)
{
	(void)state;
	assert_escape("\"", "\"\\\"\"");
	assert_escape("\\", "\"\\\\\"");
	assert_escape("say \"hi\"", "\"say \\\"hi\\\"\"");
	assert_escape("a\\b", "\"a\\\\b\"");
	assert_escape("\\n", "\"\\\\n\"");
	assert_escape("\\x41", "\"\\\\x41\"");
}

static void test_escape_brackets(void **state)
{
	(void)state;
	assert_escape("[", "\"[\"");
	assert_escape("]", "\"]\"");
	assert_escape("[argc 0]", "\"[argc 0]\"");
	assert_escape("[argv", "\"[argv\"");
	assert_escape("a[0]", "\"a[0]\"");
}

/* Every printable ASCII byte alone: plain set unquoted, the rest quoted. */
static void test_escape_each_ascii(void **state)
{
	static const char plain[] = "_-+=%@:,./^";
	int c;

	(void)state;
	for (c = 0x20; c < 0x7f; c++) {
		char in = (char)c, want[8];
		bool is_plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				(c >= '0' && c <= '9') || strchr(plain, c);
		char *got;

		if (is_plain)
			snprintf(want, sizeof(want), "%c", c);
		else if (c == '"' || c == '\\')
			snprintf(want, sizeof(want), "\"\\%c\"", c);
		else
			snprintf(want, sizeof(want), "\"%c\"", c);
		got = render(&in, 1);
		if (strcmp(got, want) != 0)
			fail_msg("byte 0x%02x: got [%s], want [%s]", c, got, want);
		free(got);
	}
}

static void test_escape_width(void **state)
{
	(void)state;
	assert_int_equal(escape_text_word_width("abc", 3), 3);
	assert_int_equal(escape_text_word_width("", 0), 2);
	assert_int_equal(escape_text_word_width("a b", 3), 5);
	assert_int_equal(escape_text_word_width("a\nb", 3), 6);
	assert_int_equal(escape_text_word_width("\xc3\xa9", 2), 1);
	assert_int_equal(escape_text_word_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 2);
	assert_int_equal(escape_text_word_width("\xff", 1), 6);
	assert_int_equal(escape_text_word_width("\xc2\x9b", 2), 10);
}

/* Appends to what is already in the buffer, never resets it. */
static void test_escape_appends(void **state)
{
	struct outbuf ob;

	(void)state;
	outbuf_init(&ob, -1);
	outbuf_puts(&ob, "x=");
	escape_text_word(&ob, "a b", 3);
	outbuf_putc(&ob, ' ');
	escape_text_word(&ob, "c", 1);
	assert_int_equal(ob.len, 9);
	assert_memory_equal(ob.data, "x=\"a b\" c", 9);
	outbuf_free(&ob);
}

/* Inputs from an exactly-sized heap copy: ASan catches any over-read. */
static void test_escape_no_overread(void **state)
{
	static const char *const inputs[] = { "\xc3", "a\xe2\x82", "\xf0\x9f\x98", "\xe2", "\xf4" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		size_t n = strlen(inputs[i]);
		char *copy = malloc(n);
		struct outbuf ob;

		assert_non_null(copy);
		memcpy(copy, inputs[i], n);
		outbuf_init(&ob, -1);
		escape_text_word(&ob, copy, n);
		assert_true(ob.len > n);
		assert_int_equal(escape_text_word_width(copy, n), ob.len);
		outbuf_free(&ob);
		free(copy);
	}
}

/* xorshift64*: deterministic, so a failure reproduces. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Random bytes biased toward the interesting ones (controls, UTF-8 leads). */
static size_t random_input(unsigned char *buf, size_t cap)
{
	static const char *const pieces[] = {
		"\xc2\x9b",
		"\xe2\x80\xae",
		"\xc3\xa9",
		"\xe6\x97\xa5",
		"\xf0\x9f\x98\x80",
		"\xed\xa0\x80",
		"\xc0\x80",
		"\x1b[",
		"\\",
		"\"",
		" ",
		"\n",
		"[",
		"\xef\xbb\xbf",
		"\xf4\x90\x80\x80",
		"\xe2\x82",
		"\xc2\xa0",
		"\xf3\xa0\x80\x81",
	};
	size_t n = (size_t)(rng_next() % (cap + 1)), i = 0;

	while (i < n) {
		uint64_t r = rng_next();
		unsigned int kind = (unsigned int)(r % 4);

		if (kind == 0) {
			const char *p = pieces[(r >> 8) % (sizeof(pieces) / sizeof(pieces[0]))];
			size_t len = strlen(p);

			if (len > n - i)
				len = n - i;
			memcpy(buf + i, p, len);
			i += len;
		} else if (kind == 1) {
			buf[i++] = (unsigned char)(0x20 + (r >> 8) % 0x5f);
		} else {
			buf[i++] = (unsigned char)(r >> 8);
		}
	}
	return n;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1; /* escapes use lower case only */
}

/*
 * Undo escape_text_word: returns false when out[0..len) is not something it
 * can produce (so ambiguity or a raw unsafe character is caught).
 */
static bool unescape(const unsigned char *s, size_t len, unsigned char *out, size_t *out_len)
{
	size_t i, o = 0;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return false;
	for (i = 1; i < len - 1;) {
		if (s[i] == '"')
			return false; /* an unescaped quote inside */
		if (s[i] != '\\') {
			uint32_t cp;
			size_t n = jc_utf8_seq(s + i, len - 1 - i, &cp);

			if (!n || escape_codepoint_is_unsafe(cp))
				return false;
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
			continue;
		}
		if (i + 1 >= len - 1)
			return false;
		switch (s[i + 1]) {
		case '"':
		case '\\':
			out[o++] = s[i + 1];
			i += 2;
			break;
		case 'n':
			out[o++] = '\n';
			i += 2;
			break;
		case 't':
			out[o++] = '\t';
			i += 2;
			break;
		case 'r':
			out[o++] = '\r';
			i += 2;
			break;
		case 'e':
			out[o++] = 0x1b;
			i += 2;
			break;
		case 'x': {
			int hi, lo;

			if (i + 3 >= len - 1)
				return false;
			hi = hexval(s[i + 2]);
			lo = hexval(s[i + 3]);
			if (hi < 0 || lo < 0)
				return false;
			out[o++] = (unsigned char)(hi << 4 | lo);
			i += 4;
			break;
		}
		case 'u': {
			uint32_t cp = 0;
			size_t digits = 0;

			if (i + 2 >= len - 1 || s[i + 2] != '{')
				return false;
			i += 3;
			while (i < len - 1 && s[i] != '}') {
				int h = hexval(s[i]);

				if (h < 0 || ++digits > 6)
					return false;
				cp = cp << 4 | (uint32_t)h;
				i++;
			}
			if (i >= len - 1 || digits < 4 || cp < 0x80 || cp > 0x10ffff)
				return false;
			i++;
			o += jc_utf8_encode(cp, out + o);
			break;
		}
		default:
			return false;
		}
	}
	*out_len = o;
	return true;
}

static void check_escaped(const unsigned char *in, size_t n)
{
	struct outbuf ob;
	const unsigned char *s;
	unsigned char *back;
	size_t i, back_len = 0;

	outbuf_init(&ob, -1);
	escape_text_word(&ob, (const char *)in, n);
	s = (const unsigned char *)ob.data;
	assert_true(ob.len > 0);
	for (i = 0; i < ob.len; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			fail_msg("raw control byte 0x%02x at %zu", s[i], i);
		if (i + 1 < ob.len && s[i] == 0xc2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
			fail_msg("raw C1 control at %zu", i);
	}
	if (!jc_utf8_valid(s, ob.len))
		fail_msg("output is not valid UTF-8");
	if (s[0] != '"') {
		/* Unquoted: the input itself, nothing that needs quoting in it. */
		assert_int_equal(ob.len, n);
		assert_memory_equal(s, in, n);
		for (i = 0; i < ob.len; i++)
			if (s[i] == ' ' || s[i] == '"' || s[i] == '\\' || s[i] == '[' ||
			    s[i] == '\n')
				fail_msg("unquoted 0x%02x at %zu", s[i], i);
		outbuf_free(&ob);
		return;
	}
	/* Quoted: decodes back to exactly the input (so also no stray quote). */
	back = malloc(ob.len + 1);
	assert_non_null(back);
	if (!unescape(s, ob.len, back, &back_len))
		fail_msg("output [%.*s] is not a well-formed escaped word", (int)ob.len, s);
	assert_int_equal(back_len, n);
	if (n)
		assert_memory_equal(back, in, n);
	free(back);
	outbuf_free(&ob);
}

static void test_escape_property_random(void **state)
{
	unsigned char buf[64];
	int iter;

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (iter = 0; iter < 10000; iter++) {
		size_t n = random_input(buf, sizeof(buf));

		check_escaped(buf, n);
	}
	/* Uniform random bytes too, without the bias. */
	for (iter = 0; iter < 10000; iter++) {
		size_t n = (size_t)(rng_next() % (sizeof(buf) + 1)), i;

		for (i = 0; i < n; i++)
			buf[i] = (unsigned char)rng_next();
		check_escaped(buf, n);
	}
}

/* Every 1- and 2-byte input, exhaustively. */
static void test_escape_property_exhaustive_short(void **state)
{
	unsigned char buf[2];
	unsigned int a, b;

	(void)state;
	for (a = 0; a < 256; a++) {
		buf[0] = (unsigned char)a;
		check_escaped(buf, 1);
		for (b = 0; b < 256; b++) {
			buf[1] = (unsigned char)b;
			check_escaped(buf, 2);
		}
	}
}

/* Render bytes with escape_shell_word into a NUL-terminated heap string. */
static char *render_shell(const void *bytes, size_t n)
{
	struct outbuf ob;
	char *s;

	outbuf_init(&ob, -1);
	escape_shell_word(&ob, bytes, n);
	assert_int_equal(ob.alloc_failed, 0);
	s = malloc(ob.len + 1);
	assert_non_null(s);
	if (ob.len)
		memcpy(s, ob.data, ob.len);
	s[ob.len] = '\0';
	outbuf_free(&ob);
	return s;
}

#define assert_shell(input, expected)                                \
	do {                                                         \
		char *got_ = render_shell(input, sizeof(input) - 1); \
		assert_string_equal(got_, expected);                 \
		free(got_);                                          \
	} while (0)

static void test_shell_plain(void **state)
{
	(void)state;
	assert_shell("ls", "ls");
	assert_shell("/usr/bin/ls", "/usr/bin/ls");
	assert_shell("--color=auto", "--color=auto");
	assert_shell("a_b-c+d=e%f@g:h,i.j/k^m", "a_b-c+d=e%f@g:h,i.j/k^m");
	assert_shell("caf\xc3\xa9", "caf\xc3\xa9");
	assert_shell("\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac");
}

static void test_shell_single_quoted(void **state)
{
	char *got;

	(void)state;
	got = render_shell("", 0);
	assert_string_equal(got, "''");
	free(got);
	assert_shell(" ", "' '");
	assert_shell("a b", "'a b'");
	assert_shell("/tmp/my file.txt", "'/tmp/my file.txt'");
	assert_shell("it's", "'it'\\''s'");
	assert_shell("'", "''\\'''");
	assert_shell("''", "''\\'''\\'''");
	assert_shell("$HOME", "'$HOME'");
	assert_shell("`id`", "'`id`'");
	assert_shell("$(id)", "'$(id)'");
	assert_shell("a\"b", "'a\"b'");
	assert_shell("\\", "'\\'");
	assert_shell("*", "'*'");
	assert_shell("a;b&c|d", "'a;b&c|d'");
	assert_shell("!x", "'!x'");
	assert_shell("#x", "'#x'");
	assert_shell("[argc 0]", "'[argc 0]'");
	/* Printable UTF-8 stays raw inside the quotes. */
	assert_shell("caf\xc3\xa9 au lait", "'caf\xc3\xa9 au lait'");
}

static void test_shell_dollar_quoted(void **state)
{
	(void)state;
	assert_shell("\n", "$'\\x0a'");
	assert_shell("a\nb", "$'a\\x0ab'");
	assert_shell("\t", "$'\\x09'");
	assert_shell("\x1b[31mred", "$'\\x1b[31mred'");
	assert_shell("\x7f", "$'\\x7f'");
	assert_shell("\x01", "$'\\x01'");
	assert_shell("\xff", "$'\\xff'");
	assert_shell("a\xff"
		     "b",
		     "$'a\\xffb'");
	assert_shell("\xc3", "$'\\xc3'");
	/* Inside $'...' a quote and a backslash are escaped... */
	assert_shell("it's\n", "$'it\\'s\\x0a'");
	assert_shell("a\\b\n", "$'a\\\\b\\x0a'");
	/* ...and every byte outside printable ASCII is \xHH, UTF-8 included. */
	assert_shell("\xc3\xa9\n", "$'\\xc3\\xa9\\x0a'");
	assert_shell("\xc2\x9b", "$'\\xc2\\x9b'");
	assert_shell("abc\xe2\x80\xae"
		     "fdp.exe",
		     "$'abc\\xe2\\x80\\xaefdp.exe'");
	assert_shell("\xef\xbb\xbf", "$'\\xef\\xbb\\xbf'");
	/* A hex digit after an escape stays a separate character. */
	assert_shell("\x01"
		     "ab",
		     "$'\\x01ab'");
	assert_shell("\" $x\x1b", "$'\" $x\\x1b'");
}

/* Appends to what is already in the buffer. */
static void test_shell_appends(void **state)
{
	struct outbuf ob;

	(void)state;
	outbuf_init(&ob, -1);
	outbuf_puts(&ob, "ls ");
	escape_shell_word(&ob, "a b", 3);
	outbuf_putc(&ob, ' ');
	escape_shell_word(&ob, "\n", 1);
	assert_int_equal(ob.len, 16);
	assert_memory_equal(ob.data, "ls 'a b' $'\\x0a'", 16);
	outbuf_free(&ob);
}

/* Terminal-safe: no control byte, no raw C1, valid UTF-8. */
static void assert_shell_word_safe(const char *word)
{
	size_t len = strlen(word), i;

	assert_true(len > 0);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)word[i];

		if (c < 0x20 || c == 0x7f)
			fail_msg("raw control byte 0x%02x in the shell word", c);
		if (c == 0xc2 && i + 1 < len && (unsigned char)word[i + 1] <= 0x9f)
			fail_msg("raw C1 control in the shell word");
	}
	if (!jc_utf8_valid(word, len))
		fail_msg("shell word is not valid UTF-8");
}

static bool have_bash(void)
{
	return access("/bin/bash", X_OK) == 0 || access("/usr/bin/bash", X_OK) == 0;
}

static void hex_dump(char *out, size_t cap, const unsigned char *in, size_t n)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < n && o + 3 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02x", in[i]);
}

/* Read everything from f into a heap buffer. */
static unsigned char *read_all(FILE *f, size_t *len)
{
	size_t cap = 256, n = 0, got;
	unsigned char *buf = malloc(cap);

	assert_non_null(buf);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	*len = n;
	return buf;
}

/*
 * Does bash -c 'printf %s WORD' print exactly the input bytes? If not, why
 * says what bash did.
 */
static bool bash_roundtrip(const unsigned char *in, size_t n, const char *locale, char *why,
			   size_t why_len)
{
	char *word = render_shell(in, n), *script, cmd[128], hex[256];
	unsigned char *back;
	size_t back_len;
	bool ok = true;
	FILE *f;
	int status;

	assert_shell_word_safe(word);
	script = malloc(strlen(word) + 16);
	assert_non_null(script);
	sprintf(script, "printf %%s %s", word);
	/* The script travels in the environment: popen's sh never parses it. */
	assert_int_equal(setenv("EW_SHELL_WORD_SCRIPT", script, 1), 0);
	snprintf(cmd, sizeof(cmd), "LC_ALL=%s exec bash -c \"$EW_SHELL_WORD_SCRIPT\" 2>/dev/null",
		 locale);
	f = popen(cmd, "r");
	assert_non_null(f);
	back = read_all(f, &back_len);
	status = pclose(f);
	hex_dump(hex, sizeof(hex), in, n);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(why, why_len, "bash failed (status 0x%x) on [%s] for input %s", status,
			 word, hex);
		ok = false;
	} else if (back_len != n || (n && memcmp(back, in, n))) {
		snprintf(why, why_len, "bash read [%s] back as [%.*s], not the input %s", word,
			 (int)back_len, (const char *)back, hex);
		ok = false;
	}
	free(back);
	free(script);
	free(word);
	return ok;
}

static void check_bash_roundtrip(const unsigned char *in, size_t n, const char *locale)
{
	char why[512];

	if (!bash_roundtrip(in, n, locale, why, sizeof(why)))
		fail_msg("%s", why);
}

/* A word starting with '~' (or name=~) must not become $HOME in bash. */
static void test_shell_tilde(void **state)
{
	static const char *const words[] = {
		"~",  "~/x",	     "~root",	     "a=~",  "x=~/bin",
		"a~", "PATH=/a:~/b", "--prefix=~/x", "/x/~", "~nosuchuser_execwatch"
	};
	char why[512];
	size_t i, bad = 0;

	(void)state;
	if (!have_bash())
		skip();
	setenv("HOME", "/nonexistent-execwatch-home", 1);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (bash_roundtrip((const unsigned char *)words[i], strlen(words[i]), "C", why,
				   sizeof(why)))
			continue;
		print_error("%s\n", why);
		bad++;
	}
	if (bad)
		fail_msg("%zu of %zu words with '~' changed in bash", bad,
			 sizeof(words) / sizeof(words[0]));
}

/* Random inputs biased toward shell-special bytes; NUL cannot be an argument. */
static size_t random_shell_input(unsigned char *buf, size_t cap)
{
	static const char special[] = " '\"\\$`!*?[]{}()<>|&;#=%^,:\n\t\x1b\x7f";
	size_t n = random_input(buf, cap), i;

	for (i = 0; i < n; i++) {
		uint64_t r = rng_next();

		if (r % 5 == 0)
			buf[i] = (unsigned char)special[(r >> 8) % (sizeof(special) - 1)];
		/*
		 * No NUL (an argument has none); no '~', whose tilde expansion
		 * has its own test above and would hide everything else here.
		 */
		if (buf[i] == '\0' || buf[i] == '~')
			buf[i] = 'z';
	}
	return n;
}

static void test_shell_bash_random(void **state)
{
	unsigned char buf[24];
	int iter;

	(void)state;
	if (!have_bash())
		skip();
	rng_state = 0x5eed5eed5eed5eedULL;
	for (iter = 0; iter < 400; iter++) {
		size_t n = random_shell_input(buf, sizeof(buf));

		check_bash_roundtrip(buf, n, iter & 1 ? "C.UTF-8" : "C");
	}
}

/*
 * Every 1- and 2-byte input (no NUL, no leading '~') through one bash
 * script: "printf %s WORD; printf '\0'" per input, then split on NUL.
 */
static void test_shell_bash_exhaustive_short(void **state)
{
	char path[] = "/tmp/execwatch-shell-XXXXXX", cmd[128];
	unsigned char *out, *p, *end;
	unsigned int a, b, count = 0;
	size_t out_len;
	FILE *script, *f;
	int fd, status;

	(void)state;
	if (!have_bash())
		skip();
	fd = mkstemp(path);
	assert_true(fd >= 0);
	script = fdopen(fd, "w");
	assert_non_null(script);
	for (a = 1; a < 256; a++) {
		for (b = 0; b < 256; b++) {
			unsigned char in[2] = { (unsigned char)a, (unsigned char)b };
			size_t n = b ? 2 : 1;
			char *word;

			if (a == '~')
				continue;
			word = render_shell(in, n);
			assert_shell_word_safe(word);
			fprintf(script, "printf %%s %s; printf '\\0'\n", word);
			free(word);
		}
	}
	assert_int_equal(fclose(script), 0);
	snprintf(cmd, sizeof(cmd), "LC_ALL=C bash %s", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	out = read_all(f, &out_len);
	status = pclose(f);
	unlink(path);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	p = out;
	end = out + out_len;
	for (a = 1; a < 256; a++) {
		for (b = 0; b < 256; b++) {
			unsigned char in[2] = { (unsigned char)a, (unsigned char)b };
			size_t n = b ? 2 : 1;
			unsigned char *nul;

			if (a == '~')
				continue;
			nul = memchr(p, '\0', (size_t)(end - p));
			if (!nul)
				fail_msg("bash output ended early, at input %02x %02x", a, b);
			if ((size_t)(nul - p) != n || memcmp(p, in, n))
				fail_msg("input %02x %02x came back as %zu other bytes", a, b,
					 (size_t)(nul - p));
			p = nul + 1;
			count++;
		}
	}
	assert_true(p == end);
	assert_int_equal(count, 254 * 256);
	free(out);
}

/* Error messages: printable ASCII only, the quote and backslash escaped, cut with "...". */
static void test_message(void **state)
{
	static const char hostile[] = "a\x1b[2Jb\nexecwatch: forged\r\t\x7f'\\\xc3\xa9\xe2\x80\xae"
				      "\xff\x9b\xc2\x9b";
	char buf[ESCAPE_MESSAGE_BYTES], small[12], tiny[4];
	char big[2000];
	size_t i;

	(void)state;
	assert_string_equal(escape_message(buf, sizeof(buf), "plain /path-1.yaml", 18),
			    "plain /path-1.yaml");
	assert_string_equal(escape_message(buf, sizeof(buf), hostile, sizeof(hostile) - 1),
			    "a\\e[2Jb\\nexecwatch: forged\\r\\t\\x7f\\'\\\\\\u{00e9}\\u{202e}"
			    "\\xff\\x9b\\u{009b}");
	assert_string_equal(escape_message(buf, sizeof(buf), "a\0b", 3), "a\\x00b");
	assert_string_equal(escape_message(buf, sizeof(buf), "", 0), "");
	/* Cut after a whole escape, never inside one. */
	assert_string_equal(escape_message(small, sizeof(small), "abcdef\n\n", 8), "abcdef\\n...");
	assert_string_equal(escape_message(small, sizeof(small), "abcdefg\n", 8), "abcdefg...");
	assert_string_equal(escape_message(tiny, sizeof(tiny), "abc", 3), "");
	memset(big, '\x1b', sizeof(big));
	escape_message(buf, sizeof(buf), big, sizeof(big));
	assert_true(strlen(buf) < sizeof(buf));
	assert_string_equal(buf + strlen(buf) - 3, "...");
	for (i = 0; buf[i]; i++)
		assert_true(buf[i] >= 0x20 && buf[i] < 0x7f);
	/* The macros: one buffer per use, alive for the whole printf. */
	snprintf(big, sizeof(big), "%s|%s", ESCAPED("x\ny"), ESCAPED_N("\x1bz", 2));
	assert_string_equal(big, "x\\ny|\\ez");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid_one_byte),
		cmocka_unit_test(test_utf8_valid_two_bytes),
		cmocka_unit_test(test_utf8_valid_three_bytes),
		cmocka_unit_test(test_utf8_valid_four_bytes),
		cmocka_unit_test(test_utf8_overlong),
		cmocka_unit_test(test_utf8_surrogates),
		cmocka_unit_test(test_utf8_above_max),
		cmocka_unit_test(test_utf8_truncated),
		cmocka_unit_test(test_utf8_stray_continuation),
		cmocka_unit_test(test_utf8_exhaustive_short),
		cmocka_unit_test(test_utf8_exhaustive_multibyte),
		cmocka_unit_test(test_unsafe_codepoints),
		cmocka_unit_test(test_escape_plain_words),
		cmocka_unit_test(test_escape_empty),
		cmocka_unit_test(test_escape_space_quoted),
		cmocka_unit_test(test_escape_controls),
		cmocka_unit_test(test_escape_invalid_utf8),
		cmocka_unit_test(test_escape_c1_and_bidi),
		cmocka_unit_test(test_escape_non_ascii_kept),
		cmocka_unit_test(test_escape_quote_backslash),
		cmocka_unit_test(test_escape_brackets),
		cmocka_unit_test(test_escape_each_ascii),
		cmocka_unit_test(test_escape_width),
		cmocka_unit_test(test_escape_appends),
		cmocka_unit_test(test_escape_no_overread),
		cmocka_unit_test(test_escape_property_random),
		cmocka_unit_test(test_escape_property_exhaustive_short),
		cmocka_unit_test(test_shell_plain),
		cmocka_unit_test(test_shell_single_quoted),
		cmocka_unit_test(test_shell_dollar_quoted),
		cmocka_unit_test(test_shell_appends),
		cmocka_unit_test(test_shell_tilde),
		cmocka_unit_test(test_shell_bash_random),
		cmocka_unit_test(test_shell_bash_exhaustive_short),
		cmocka_unit_test(test_message),
	};

	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
