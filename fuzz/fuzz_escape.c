// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: escape_text_word() and escape_shell_word(), how untrusted
 * bytes reach a terminal.
 *
 * The input is one word (a filename, an argument, a comm) of arbitrary bytes.
 * Beyond memory safety, the target checks the promises escape.h makes, with
 * checkers written apart from src/:
 * - the word is printed bare only when it is non-empty and every byte is a
 *   plain one (letters, digits, "_-+=%@:,./^" and printable non-ASCII; not
 *   "~", which a shell expands), and then it is the input exactly;
 * - otherwise it is quoted, and the quoted text holds no raw control byte, no
 *   C1 control, bidi override or other dangerous code point, no unescaped
 *   quote; it is valid UTF-8; and unescaping it (\" \\ \n \t \r \e \xHH
 *   \u{H...}) gives back the input bytes exactly, so the shown word is
 *   unambiguous;
 * - escape_text_word_width() is the number of code points printed;
 * - escape_shell_word() (--quote) gives a word that a POSIX shell (bash for
 *   $'...') reads back as exactly the input, made only of plain bytes,
 *   '...' strings, \' and $'...' strings with \\, \' and \xHH; and that is
 *   terminal-safe as well (arguments never hold a NUL, so inputs with one
 *   are only checked for memory errors there).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "escape.h"
#include "fuzz_check.h"
#include "outbuf.h"

static int hex_value(char c)
{
	return jc_hex((unsigned char)c);
}

/* Unescape the inside of a quoted word into out; returns false when malformed. */
static bool unescape(const char *s, size_t n, unsigned char *out, size_t *out_len)
{
	size_t i = 0, o = 0;

	while (i < n) {
		uint32_t cp = 0;
		int h1, h2, digits = 0;

		if (s[i] == '"')
			return false; /* an unescaped quote would end the word early */
		if (s[i] != '\\') {
			out[o++] = (unsigned char)s[i++];
			continue;
		}
		if (++i >= n)
			return false;
		switch (s[i++]) {
		case '"':
			out[o++] = '"';
			break;
		case '\\':
			out[o++] = '\\';
			break;
		case 'n':
			out[o++] = '\n';
			break;
		case 't':
			out[o++] = '\t';
			break;
		case 'r':
			out[o++] = '\r';
			break;
		case 'e':
			out[o++] = 0x1b;
			break;
		case 'x':
			if (n - i < 2)
				return false;
			h1 = hex_value(s[i]);
			h2 = hex_value(s[i + 1]);
			if (h1 < 0 || h2 < 0)
				return false;
			out[o++] = (unsigned char)(h1 << 4 | h2);
			i += 2;
			break;
		case 'u':
			if (i >= n || s[i++] != '{')
				return false;
			while (i < n && s[i] != '}') {
				int h = hex_value(s[i++]);

				if (h < 0 || ++digits > 6)
					return false;
				cp = cp << 4 | (uint32_t)h;
			}
			if (i >= n || digits < 4 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				return false;
			i++; /* '}' */
			/* \u{} is only for code points beyond ASCII; those use \xHH. */
			if (cp < 0x80)
				return false;
			o += jc_utf8_encode(cp, out + o);
			break;
		default:
			return false;
		}
	}
	*out_len = o;
	return true;
}

static bool plain_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("_-+=%@:,./^", c));
}

/* Read a shell word as bash would; returns false on anything execwatch must not emit. */
static bool shell_unquote(const char *s, size_t n, unsigned char *out, size_t *out_len)
{
	size_t i = 0, o = 0;

	while (i < n) {
		if (s[i] == '\'') {
			const char *end = memchr(s + i + 1, '\'', n - i - 1);

			if (!end)
				return false;
			memcpy(out + o, s + i + 1, (size_t)(end - (s + i + 1)));
			o += (size_t)(end - (s + i + 1));
			i = (size_t)(end - s) + 1;
		} else if (s[i] == '\\') {
			if (i + 1 >= n || s[i + 1] != '\'')
				return false;
			out[o++] = '\'';
			i += 2;
		} else if (s[i] == '$' && i + 1 < n && s[i + 1] == '\'') {
			i += 2;
			for (;;) {
				if (i >= n)
					return false;
				if (s[i] == '\'') {
					i++;
					break;
				}
				if (s[i] != '\\') {
					out[o++] = (unsigned char)s[i++];
					continue;
				}
				if (i + 1 >= n)
					return false;
				if (s[i + 1] == '\\' || s[i + 1] == '\'') {
					out[o++] = (unsigned char)s[i + 1];
					i += 2;
				} else if (s[i + 1] == 'x' && i + 3 < n &&
					   hex_value(s[i + 2]) >= 0 && hex_value(s[i + 3]) >= 0) {
					out[o++] = (unsigned char)(hex_value(s[i + 2]) << 4 |
								   hex_value(s[i + 3]));
					i += 4;
				} else {
					return false;
				}
			}
		} else if ((unsigned char)s[i] >= 0x80 || plain_byte((unsigned char)s[i])) {
			out[o++] = (unsigned char)s[i++];
		} else {
			return false; /* a byte the shell would treat specially */
		}
	}
	*out_len = o;
	return true;
}

static void check_shell_word(const uint8_t *data, size_t size)
{
	unsigned char *back;
	size_t back_len = 0;
	struct outbuf ob;

	outbuf_init(&ob, -1);
	escape_shell_word(&ob, (const char *)data, size);
	FUZZ_CHECK(!ob.alloc_failed, "allocation failed");
	if (memchr(data, '\0', size)) {
		outbuf_free(&ob);
		return;
	}
	FUZZ_CHECK(ob.len > 0, "empty shell word");
	FUZZ_CHECK(fuzz_terminal_safe(ob.data, ob.len, NULL), "unsafe shell word: %.*s",
		   (int)ob.len, ob.data);
	back = malloc(ob.len + 1);
	FUZZ_CHECK(back != NULL, "malloc");
	FUZZ_CHECK(shell_unquote(ob.data, ob.len, back, &back_len),
		   "not a shell word a shell reads back: %.*s", (int)ob.len, ob.data);
	FUZZ_CHECK(back_len == size && (!size || !memcmp(back, data, size)),
		   "shell word does not read back as the input: %.*s", (int)ob.len, ob.data);
	free(back);
	outbuf_free(&ob);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *word = (const char *)data;
	unsigned char *back;
	size_t back_len = 0, i, codepoints = 0;
	struct outbuf ob;

	outbuf_init(&ob, -1);
	outbuf_putc(&ob, '>'); /* a word is appended after other output */
	escape_text_word(&ob, word, size);
	FUZZ_CHECK(!ob.alloc_failed, "allocation failed");
	FUZZ_CHECK(ob.len >= 2 && ob.data[0] == '>', "prefix lost");

	const char *out = ob.data + 1;
	size_t out_len = ob.len - 1;

	FUZZ_CHECK(fuzz_terminal_safe(out, out_len, NULL), "unsafe output: %.*s", (int)out_len,
		   out);
	if (out[0] != '"') {
		/* Bare: the input itself, plain bytes only. */
		FUZZ_CHECK(size > 0 && out_len == size && !memcmp(out, word, size),
			   "bare word differs from input");
		for (i = 0; i < size; i++)
			FUZZ_CHECK(data[i] >= 0x80 || plain_byte(data[i]),
				   "byte 0x%02x printed bare", data[i]);
	} else {
		FUZZ_CHECK(out_len >= 2 && out[out_len - 1] == '"', "quoted word not closed");
		/* Every escape is at most 4x longer than the bytes it stands for. */
		back = malloc(out_len + 1);
		FUZZ_CHECK(back != NULL, "malloc");
		FUZZ_CHECK(unescape(out + 1, out_len - 2, back, &back_len),
			   "quoted word does not unescape: %.*s", (int)out_len, out);
		FUZZ_CHECK(back_len == size && !memcmp(back, word, size),
			   "unescaped word differs from input");
		free(back);
		/* Only words with a byte outside the plain ASCII set are quoted. */
		for (i = 0; i < size && plain_byte(data[i]); i++)
			;
		FUZZ_CHECK(size == 0 || i < size, "plain ASCII word was quoted");
	}
	for (i = 0; i < out_len; i++)
		if (((unsigned char)out[i] & 0xc0) != 0x80)
			codepoints++;
	FUZZ_CHECK(escape_text_word_width(word, size) == codepoints, "width %zu != %zu code points",
		   escape_text_word_width(word, size), codepoints);
	outbuf_free(&ob);
	check_shell_word(data, size);
	return 0;
}
