// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/json.c: json_put_string()'s exact bytes for quotes,
 * backslash, the short escapes, other C0 controls, DEL, C1 controls and
 * U+2028/U+2029, raw valid UTF-8, U+FFFD per invalid byte and the lossy
 * return value; json_is_lossless(); json_put_base64() against the RFC 4648
 * test vectors and all 256 byte values; json_put_key(). Seeded property tests
 * feed random bytes and check with an independent strict JSON validator that
 * every output is one valid JSON string in valid UTF-8, which decodes back to
 * exactly the input (lossless) or to the input with each invalid byte
 * replaced by U+FFFD (lossy), and that base64 round-trips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "json_check.h"
#include "outbuf.h"

struct rendered {
	char *text; /* NUL-terminated */
	size_t len;
	bool lossless;
};

static struct rendered render_string(const void *bytes, size_t n)
{
	struct rendered r;
	struct outbuf ob;

	outbuf_init(&ob, -1);
	r.lossless = json_put_string(&ob, bytes, n);
	assert_int_equal(ob.alloc_failed, 0);
	r.len = ob.len;
	r.text = malloc(ob.len + 1);
	assert_non_null(r.text);
	memcpy(r.text, ob.data, ob.len);
	r.text[ob.len] = '\0';
	outbuf_free(&ob);
	return r;
}

static char *render_base64(const void *bytes, size_t n, size_t *len)
{
	struct outbuf ob;
	char *s;

	outbuf_init(&ob, -1);
	json_put_base64(&ob, bytes, n);
	s = malloc(ob.len + 1);
	assert_non_null(s);
	memcpy(s, ob.data, ob.len);
	s[ob.len] = '\0';
	if (len)
		*len = ob.len;
	outbuf_free(&ob);
	return s;
}

#define assert_json(input, expected, want_lossless)                                          \
	do {                                                                                 \
		struct rendered r_ = render_string(input, sizeof(input) - 1);                \
		assert_string_equal(r_.text, expected);                                      \
		assert_int_equal(r_.len, sizeof(expected) - 1);                              \
		assert_int_equal(r_.lossless, want_lossless);                                \
		assert_int_equal(json_is_lossless(input, sizeof(input) - 1), want_lossless); \
		free(r_.text);                                                               \
	} while (0)

#define assert_b64(input, expected)                                       \
	do {                                                              \
		char *b_ = render_base64(input, sizeof(input) - 1, NULL); \
		assert_string_equal(b_, expected);                        \
		free(b_);                                                 \
	} while (0)

#define FFFD "\xef\xbf\xbd"

static void test_string_plain(void **state)
{
	(void)state;
	assert_json("", "\"\"", true);
	assert_json("abc", "\"abc\"", true);
	assert_json("/usr/bin/ls", "\"/usr/bin/ls\"", true);
	assert_json(" ~!@#$%^&*()[]{}<>'`", "\" ~!@#$%^&*()[]{}<>'`\"", true);
}

static void test_string_quote_backslash(void **state)
{
	(void)state;
	assert_json("\"", "\"\\\"\"", true);
	assert_json("\\", "\"\\\\\"", true);
	assert_json("a\"b\\c", "\"a\\\"b\\\\c\"", true);
	assert_json("\\u0041", "\"\\\\u0041\"", true);
}

static void test_string_short_escapes(void **state)
{
	(void)state;
	assert_json("\n", "\"\\n\"", true);
	assert_json("\t", "\"\\t\"", true);
	assert_json("\r", "\"\\r\"", true);
	assert_json("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"", true);
}

static void test_string_other_controls(void **state)
{
	(void)state;
	assert_json("\x01", "\"\\u0001\"", true);
	assert_json("\x08", "\"\\u0008\"", true);
	assert_json("\x0b", "\"\\u000b\"", true);
	assert_json("\x0c", "\"\\u000c\"", true);
	assert_json("\x1b[0m", "\"\\u001b[0m\"", true);
	assert_json("\x1f", "\"\\u001f\"", true);
	assert_json("a\0b", "\"a\\u0000b\"", true);
	assert_json("\x7f", "\"\\u007f\"", true);
}

static void test_string_c1_and_separators(void **state)
{
	(void)state;
	assert_json("\xc2\x80", "\"\\u0080\"", true);
	assert_json("\xc2\x85", "\"\\u0085\"", true);
	assert_json("\xc2\x9b", "\"\\u009b\"", true);
	assert_json("\xc2\x9f", "\"\\u009f\"", true);
	assert_json("\xe2\x80\xa8", "\"\\u2028\"", true);
	assert_json("\xe2\x80\xa9", "\"\\u2029\"", true);
	assert_json("a\xe2\x80\xa8"
		    "b",
		    "\"a\\u2028b\"", true);
	/* Neighbours stay raw. */
	assert_json("\xc2\xa0", "\"\xc2\xa0\"", true);
	assert_json("\xe2\x80\xa7", "\"\xe2\x80\xa7\"", true);
	assert_json("\xe2\x80\xaa", "\"\xe2\x80\xaa\"", true);
}

static void test_string_utf8_raw(void **state)
{
	(void)state;
	assert_json("\xc3\xa9", "\"\xc3\xa9\"", true);
	assert_json("caf\xc3\xa9", "\"caf\xc3\xa9\"", true);
	assert_json("\xe6\x97\xa5\xe6\x9c\xac", "\"\xe6\x97\xa5\xe6\x9c\xac\"", true);
	assert_json("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"", true);
	assert_json("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"", true);
	assert_json("\xef\xbf\xbd", "\"\xef\xbf\xbd\"", true);
}

static void test_string_invalid(void **state)
{
	(void)state;
	assert_json("\xff", "\"" FFFD "\"", false);
	assert_json("a\xff"
		    "b",
		    "\"a" FFFD "b\"", false);
	assert_json("\x80", "\"" FFFD "\"", false);
	assert_json("a\xc3", "\"a" FFFD "\"", false);
	/* Each byte of an invalid sequence becomes one U+FFFD. */
	assert_json("\xc0\x80", "\"" FFFD FFFD "\"", false);
	assert_json("\xe2\x82", "\"" FFFD FFFD "\"", false);
	assert_json("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"", false);
	assert_json("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"", false);
	/* Escapes and valid characters around an invalid byte are unchanged. */
	assert_json("\"\xff\n\xc3\xa9", "\"\\\"" FFFD "\\n\xc3\xa9\"", false);
	assert_json("\xe2\x82\xc3\xa9", "\"" FFFD FFFD "\xc3\xa9\"", false);
}

static void test_is_lossless(void **state)
{
	(void)state;
	assert_true(json_is_lossless("", 0));
	assert_true(json_is_lossless("abc\n\x01\x7f", 6));
	assert_true(json_is_lossless("\xc3\xa9\xf0\x9f\x98\x80", 6));
	assert_false(json_is_lossless("\xc3", 1));
	assert_false(json_is_lossless("abc\xff", 4));
	assert_false(json_is_lossless("\xed\xa0\x80", 3));
}

/* The string is appended, not written over what is there. */
static void test_string_appends(void **state)
{
	struct outbuf ob;

	(void)state;
	outbuf_init(&ob, -1);
	outbuf_putc(&ob, '[');
	assert_true(json_put_string(&ob, "a", 1));
	outbuf_putc(&ob, ',');
	assert_false(json_put_string(&ob, "\xff", 1));
	outbuf_putc(&ob, ']');
	assert_int_equal(ob.len, 11);
	assert_memory_equal(ob.data, "[\"a\",\"" FFFD "\"]", 11);
	outbuf_free(&ob);
}

static void test_key(void **state)
{
	struct outbuf ob;

	(void)state;
	outbuf_init(&ob, -1);
	json_put_key(&ob, "pid");
	outbuf_putc(&ob, '1');
	assert_int_equal(ob.len, 7);
	assert_memory_equal(ob.data, "\"pid\":1", 7);
	outbuf_free(&ob);
}

static void test_base64_rfc4648(void **state)
{
	(void)state;
	assert_b64("", "\"\"");
	assert_b64("f", "\"Zg==\"");
	assert_b64("fo", "\"Zm8=\"");
	assert_b64("foo", "\"Zm9v\"");
	assert_b64("foob", "\"Zm9vYg==\"");
	assert_b64("fooba", "\"Zm9vYmE=\"");
	assert_b64("foobar", "\"Zm9vYmFy\"");
}

static void test_base64_high_bits(void **state)
{
	(void)state;
	assert_b64("\xff", "\"/w==\"");
	assert_b64("\xff\xff", "\"//8=\"");
	assert_b64("\xff\xff\xff", "\"////\"");
	assert_b64("\xfb\xff", "\"+/8=\"");
	assert_b64("\0", "\"AA==\"");
	assert_b64("\0\0\0", "\"AAAA\"");
	assert_b64("/tmp/\xff", "\"L3RtcC//\"");
}

static void test_base64_all_bytes(void **state)
{
	static const char want[] =
		"\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4"
		"OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3Bx"
		"cnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmq"
		"q6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj"
		"5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w==\"";
	unsigned char all[256];
	char *got;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(all); i++)
		all[i] = (unsigned char)i;
	got = render_base64(all, sizeof(all), &len);
	assert_int_equal(len, sizeof(want) - 1);
	assert_string_equal(got, want);
	free(got);
}

/* Base64 reads only the n bytes given: exact heap copies for every length. */
static void test_base64_no_overread(void **state)
{
	size_t n;

	(void)state;
	for (n = 0; n <= 8; n++) {
		unsigned char *copy = malloc(n ? n : 1);
		size_t len;
		char *got;

		assert_non_null(copy);
		memset(copy, 0xa5, n);
		got = render_base64(copy, n, &len);
		assert_int_equal(len, 2 + (n + 2) / 3 * 4);
		free(got);
		free(copy);
	}
}

static int b64_value(char c)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(alphabet, c) : NULL;

	return p ? (int)(p - alphabet) : -1;
}

/* Strict RFC 4648 decoding of "...": padding only at the end, zero pad bits. */
static bool b64_decode(const char *s, size_t len, unsigned char *out, size_t *out_len)
{
	size_t i, o = 0;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"' || (len - 2) % 4)
		return false;
	for (i = 1; i + 1 < len; i += 4) {
		bool last = i + 5 == len;
		int v[4], k, pad = 0;

		for (k = 0; k < 4; k++) {
			if (s[i + (size_t)k] == '=' && last && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad)
				return false;
			v[k] = b64_value(s[i + (size_t)k]);
			if (v[k] < 0)
				return false;
		}
		out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[o++] = (unsigned char)((v[1] & 0xf) << 4 | v[2] >> 2);
		else if (v[1] & 0xf)
			return false;
		if (pad < 1)
			out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
		else if (v[2] & 3)
			return false;
	}
	*out_len = o;
	return true;
}

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static size_t random_input(unsigned char *buf, size_t cap)
{
	static const char *const pieces[] = {
		"\xc2\x9b",
		"\xe2\x80\xa8",
		"\xe2\x80\xa9",
		"\xc3\xa9",
		"\xf0\x9f\x98\x80",
		"\xed\xa0\x80",
		"\xc0\x80",
		"\\",
		"\"",
		"\n",
		"\x7f",
		"\xe2\x82",
		"\xf4\x90\x80\x80",
	};
	size_t n = (size_t)(rng_next() % (cap + 1)), i = 0;

	while (i < n) {
		uint64_t r = rng_next();

		if (r % 3 == 0) {
			const char *p = pieces[(r >> 8) % (sizeof(pieces) / sizeof(pieces[0]))];
			size_t len = strlen(p);

			if (len > n - i)
				len = n - i;
			memcpy(buf + i, p, len);
			i += len;
		} else {
			buf[i++] = (unsigned char)(r >> 8);
		}
	}
	return n;
}

/* What a lossy json_put_string must decode to: each invalid byte -> U+FFFD. */
static size_t replace_invalid(const unsigned char *in, size_t n, unsigned char *out)
{
	size_t i = 0, o = 0;

	while (i < n) {
		size_t len = jc_utf8_seq(in + i, n - i, NULL);

		if (len) {
			memcpy(out + o, in + i, len);
			o += len;
			i += len;
		} else {
			memcpy(out + o, FFFD, 3);
			o += 3;
			i++;
		}
	}
	return o;
}

static void check_json_string(const unsigned char *in, size_t n)
{
	struct rendered r = render_string(in, n);
	unsigned char decoded[64 * 6 + 8], want[64 * 3 + 8];
	size_t decoded_len = 0, want_len, i;

	assert_true(n <= 64);
	if (!jc_utf8_valid(r.text, r.len))
		fail_msg("output is not valid UTF-8");
	if (!jc_json_valid(r.text, r.len))
		fail_msg("output [%s] is not a JSON string", r.text);
	for (i = 0; i < r.len; i++) {
		unsigned char c = (unsigned char)r.text[i];

		if (c < 0x20 || c == 0x7f)
			fail_msg("raw control byte 0x%02x", c);
		if (c == 0xc2 && i + 1 < r.len && (unsigned char)r.text[i + 1] <= 0x9f)
			fail_msg("raw C1 control at %zu", i);
		if (c == 0xe2 && i + 2 < r.len && (unsigned char)r.text[i + 1] == 0x80 &&
		    ((unsigned char)r.text[i + 2] == 0xa8 || (unsigned char)r.text[i + 2] == 0xa9))
			fail_msg("raw U+2028/U+2029 at %zu", i);
	}
	if (!jc_json_decode_string(r.text, r.len, decoded, &decoded_len))
		fail_msg("output [%s] does not decode", r.text);
	assert_int_equal(r.lossless, jc_utf8_valid(in, n));
	assert_int_equal(json_is_lossless((const char *)in, n), r.lossless);
	want_len = replace_invalid(in, n, want);
	assert_int_equal(decoded_len, want_len);
	if (want_len)
		assert_memory_equal(decoded, want, want_len);
	free(r.text);
}

static void test_string_property_random(void **state)
{
	unsigned char buf[64];
	int iter;

	(void)state;
	rng_state = 0x0123456789abcdefULL;
	for (iter = 0; iter < 20000; iter++) {
		size_t n = random_input(buf, sizeof(buf));

		check_json_string(buf, n);
	}
}

static void test_string_property_exhaustive_short(void **state)
{
	unsigned char buf[2];
	unsigned int a, b;

	(void)state;
	for (a = 0; a < 256; a++) {
		buf[0] = (unsigned char)a;
		check_json_string(buf, 1);
		for (b = 0; b < 256; b++) {
			buf[1] = (unsigned char)b;
			check_json_string(buf, 2);
		}
	}
}

static void test_base64_property_roundtrip(void **state)
{
	unsigned char buf[100], back[100];
	int iter;

	(void)state;
	rng_state = 0xfeedfacecafebeefULL;
	for (iter = 0; iter < 5000; iter++) {
		size_t n = (size_t)(rng_next() % (sizeof(buf) + 1)), i, len, back_len = 0;
		char *got;

		for (i = 0; i < n; i++)
			buf[i] = (unsigned char)rng_next();
		got = render_base64(buf, n, &len);
		assert_int_equal(len, 2 + (n + 2) / 3 * 4);
		assert_true(jc_json_valid(got, len));
		if (!b64_decode(got, len, back, &back_len))
			fail_msg("[%s] is not strict base64", got);
		assert_int_equal(back_len, n);
		if (n)
			assert_memory_equal(back, buf, n);
		free(got);
	}
}

/* The validator itself must reject what it exists to catch. */
#define JV(lit) jc_json_valid(lit, sizeof(lit) - 1)

static void test_validator_self_check(void **state)
{
	(void)state;
	assert_true(JV("\"a\""));
	assert_true(JV("{\"a\":[1,-2.5e3,true,false,null,\"\\ud83d\\ude00\"]}"));
	assert_false(JV("\"a"));
	assert_false(JV("\"a\nb\""));
	assert_false(JV("\"\\x41\""));
	assert_false(JV("\"\\ud800\""));
	assert_false(JV("\"\xff\""));
	assert_false(JV("\"a\"x"));
	assert_false(JV("{\"a\":1,\"a\":2}"));
	assert_false(JV("[1,]"));
	assert_false(JV("01"));
	assert_false(JV("{\"a\":1,}"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validator_self_check),
		cmocka_unit_test(test_string_plain),
		cmocka_unit_test(test_string_quote_backslash),
		cmocka_unit_test(test_string_short_escapes),
		cmocka_unit_test(test_string_other_controls),
		cmocka_unit_test(test_string_c1_and_separators),
		cmocka_unit_test(test_string_utf8_raw),
		cmocka_unit_test(test_string_invalid),
		cmocka_unit_test(test_is_lossless),
		cmocka_unit_test(test_string_appends),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_base64_rfc4648),
		cmocka_unit_test(test_base64_high_bits),
		cmocka_unit_test(test_base64_all_bytes),
		cmocka_unit_test(test_base64_no_overread),
		cmocka_unit_test(test_string_property_random),
		cmocka_unit_test(test_string_property_exhaustive_short),
		cmocka_unit_test(test_base64_property_roundtrip),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
