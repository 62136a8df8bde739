/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Shared helpers for the libFuzzer targets in fuzz/.
 *
 * A fuzz target finds more than memory errors when it also checks what the
 * code under test promises: every target asserts its module's contract with
 * FUZZ_CHECK(), which prints the broken promise and aborts, so libFuzzer
 * saves the input as a crash artifact like any sanitizer report. The JSON
 * and UTF-8 validators come from tests/unit/json_check.h, written apart
 * from src/ so that they can disagree with it.
 */
#ifndef EXECWATCH_FUZZ_CHECK_H
#define EXECWATCH_FUZZ_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/unit/json_check.h"

#define FUZZ_CHECK(cond, ...)                                                                   \
	do {                                                                                    \
		if (!(cond)) {                                                                  \
			fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s: ", __FILE__, __LINE__, \
				#cond);                                                         \
			fprintf(stderr, __VA_ARGS__);                                           \
			fputc('\n', stderr);                                                    \
			abort();                                                                \
		}                                                                               \
	} while (0)

/* Decode standard base64 with padding (RFC 4648); returns false when malformed. */
static JC_UNUSED bool fuzz_base64_decode(const char *text, size_t n, unsigned char *out,
					 size_t *out_len)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, o = 0;

	if (n % 4)
		return false;
	for (i = 0; i < n; i += 4) {
		uint32_t v = 0;
		int k, pad = 0;

		for (k = 0; k < 4; k++) {
			const char *at;

			if (text[i + k] == '=' && i + 4 == n && k >= 2) {
				pad++;
				v <<= 6;
				continue;
			}
			if (pad || !text[i + k])
				return false;
			at = strchr(alphabet, text[i + k]);
			if (!at)
				return false;
			v = (v << 6) | (uint32_t)(at - alphabet);
		}
		out[o++] = (unsigned char)(v >> 16);
		if (pad < 2)
			out[o++] = (unsigned char)(v >> 8);
		if (pad < 1)
			out[o++] = (unsigned char)v;
	}
	*out_len = o;
	return true;
}

/*
 * Code points that must never reach a terminal or a JSON consumer raw:
 * C0 controls, DEL, C1 controls (U+009B is a one-character CSI), zero-width
 * characters, line and paragraph separators, bidi embeddings, overrides and
 * isolates, the BOM. Kept apart from src/escape.c on purpose.
 */
static JC_UNUSED bool fuzz_codepoint_dangerous(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/*
 * Is text[0..n) valid UTF-8 without a dangerous code point? allow_c0 lists
 * C0 bytes that may appear raw anyway (NULL: none).
 */
static JC_UNUSED bool fuzz_terminal_safe(const char *text, size_t n, const char *allow_c0)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = jc_utf8_seq(s + i, n - i, &cp);

		if (!len)
			return false;
		if (fuzz_codepoint_dangerous(cp) &&
		    !(cp < 0x20 && cp && allow_c0 && strchr(allow_c0, (int)cp)))
			return false;
		i += len;
	}
	return true;
}

/*
 * An error message as escape_message() promises it: every byte printable
 * ASCII, and '\n' only as the last byte when final_newline (else none).
 * Returns the offset of the first bad byte, or n when there is none.
 */
static JC_UNUSED size_t fuzz_message_bad_byte(const char *text, size_t n, bool final_newline)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n' && final_newline && i == n - 1)
			continue;
		if (c < 0x20 || c >= 0x7f)
			return i;
	}
	return n;
}

/* How many times byte c occurs in s[0..n). */
static JC_UNUSED size_t fuzz_count_byte(const char *s, size_t n, char c)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		count += s[i] == c;
	return count;
}

#endif /* EXECWATCH_FUZZ_CHECK_H */
