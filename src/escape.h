/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Text escaping: how untrusted bytes (filenames, argv, comm) reach a terminal.
 *
 * A program name or argument is attacker-controlled. Printed raw, a newline
 * forges a second line, ESC sequences move the cursor or recolour the screen,
 * a C1 control (U+009B, a one-character CSI on some terminals) does the same,
 * and bidi overrides reorder what the eye reads. Every such byte is escaped;
 * invalid UTF-8 bytes become \xHH, so what is shown is also unambiguous.
 */
#ifndef EXECWATCH_ESCAPE_H
#define EXECWATCH_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "outbuf.h"

/*
 * Decode one UTF-8 sequence at s (n > 0 bytes available). Returns its length
 * (1-4) and stores the code point, or returns 0 when the bytes are not valid
 * UTF-8: overlong forms, surrogates, values above U+10FFFF, stray or missing
 * continuation bytes are all invalid (RFC 3629).
 */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *codepoint);

/* Code points that must never reach a terminal raw (C0, DEL, C1, bidi, ...). */
bool escape_codepoint_is_unsafe(uint32_t codepoint);

/*
 * Append bytes as one unambiguous, terminal-safe word:
 * - printed as is when every byte is a "plain" character (letters, digits,
 *   safe punctuation, printable non-ASCII UTF-8);
 * - otherwise (empty, space, quotes, brackets, control bytes, ...) wrapped in
 *   double quotes, with \" and \\ inside.
 * Unsafe code points become \n \t \r \e or \xHH (\u{HHHH} beyond ASCII), and
 * invalid UTF-8 bytes \xHH, inside quotes. So a space, a newline or a '['
 * printed outside quotes always comes from execwatch itself, never from the
 * data: one exec can never look like two, or like a marker we print.
 */
void escape_text_word(struct outbuf *ob, const char *bytes, size_t n);

/*
 * Append bytes as one shell word (--quote) that a POSIX shell reads back as
 * exactly these bytes and that is still terminal-safe: plain words as is,
 * printable text in '...' (with '\'' for a quote), anything with a control
 * byte, an unsafe code point or invalid UTF-8 in bash's $'...' with \xHH.
 */
void escape_shell_word(struct outbuf *ob, const char *bytes, size_t n);

/* Columns a word takes when printed with escape_text_word (for alignment). */
size_t escape_text_word_width(const char *bytes, size_t n);

/*
 * Untrusted bytes quoted in an error message (a value from a config or policy
 * file, an option's argument, a path): the inside of the message's '...',
 * printable ASCII only. Unsafe code points as in escape_text_word (\n \t \r
 * \e \xHH), every other non-ASCII code point as \u{HHHH}, invalid UTF-8 as
 * \xHH, and \\ and \' for the backslash and the quote. ASCII only, unlike a
 * record: a message goes to terminals, journals and mail in any locale, and
 * must neither move a cursor nor forge a line nor pass for a different name.
 * Written to buf as a C string; when it does not fit, it is cut after a
 * whole character and ends in "...". Returns buf.
 */
const char *escape_message(char *buf, size_t len, const char *bytes, size_t n);

/* Room for one escaped value in a message: longer values are cut ("..."). */
#define ESCAPE_MESSAGE_BYTES 512
/*
 * escape_message() into a buffer that lives until the end of the enclosing
 * block, for a printf argument: fprintf(err, "not '%s'\n", ESCAPED(arg)).
 */
#define ESCAPED_N(bytes, n) \
	escape_message((char[ESCAPE_MESSAGE_BYTES]){ 0 }, ESCAPE_MESSAGE_BYTES, (bytes), (n))
#define ESCAPED(str) ESCAPED_N((str), strlen(str))

#endif /* EXECWATCH_ESCAPE_H */
