// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: JSON string and base64 encoding of untrusted bytes.
 *
 * The input is one byte string (an argument, a filename). json_put_string()
 * must produce exactly one valid JSON string (strict RFC 8259, checked by
 * the independent parser in tests/unit/json_check.h) in valid UTF-8, with no
 * raw control byte, DEL, C1 control or U+2028/U+2029; decoded, it must be
 * the input with each byte of an invalid UTF-8 sequence replaced by U+FFFD;
 * its return value (lossless) must agree with json_is_lossless() and with an
 * independent UTF-8 validator. json_put_base64() must decode back to the
 * exact input, which is what makes the *_b64 members lossless.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "json.h"
#include "outbuf.h"

/* The expected decoded string: valid sequences kept, each invalid byte U+FFFD. */
static size_t replacement_model(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t i = 0, o = 0;

	while (i < n) {
		size_t len = jc_utf8_seq(s + i, n - i, NULL);

		if (len) {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	return o;
}

/* No raw byte a JSON consumer or a terminal could trip on. */
static bool json_raw_safe(const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = jc_utf8_seq(s + i, n - i, &cp);

		if (!len || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 ||
		    cp == 0x2029)
			return false;
		i += len;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *bytes = (const char *)data;
	unsigned char *decoded, *model;
	size_t decoded_len = 0, model_len, start;
	bool lossless, valid = jc_utf8_valid(data, size);
	struct outbuf ob;

	outbuf_init(&ob, -1);
	outbuf_puts(&ob, "{\"k\":"); /* a string is appended after other output */
	start = ob.len;
	lossless = json_put_string(&ob, bytes, size);
	FUZZ_CHECK(!ob.alloc_failed, "allocation failed");
	FUZZ_CHECK(lossless == valid, "lossless=%d but UTF-8 valid=%d", lossless, valid);
	FUZZ_CHECK(json_is_lossless(bytes, size) == valid, "json_is_lossless disagrees");
	FUZZ_CHECK(jc_utf8_valid(ob.data + start, ob.len - start), "output is not UTF-8");
	FUZZ_CHECK(json_raw_safe(ob.data + start, ob.len - start), "raw control in output");

	/* Room: a decoded string is never longer than its JSON text, nor than 3x the input. */
	decoded = malloc(ob.len + 1);
	model = malloc(3 * size + 1);
	FUZZ_CHECK(decoded && model, "malloc");
	FUZZ_CHECK(jc_json_decode_string(ob.data + start, ob.len - start, decoded, &decoded_len),
		   "not one valid JSON string: %.*s", (int)(ob.len - start), ob.data + start);
	model_len = replacement_model(data, size, model);
	FUZZ_CHECK(decoded_len == model_len && !memcmp(decoded, model, model_len),
		   "decoded string differs from the U+FFFD model");
	if (valid)
		FUZZ_CHECK(decoded_len == size && !memcmp(decoded, data, size),
			   "valid UTF-8 did not round-trip");
	outbuf_putc(&ob, '}');
	FUZZ_CHECK(jc_json_compact_object(ob.data, ob.len), "object with the string is invalid");
	free(decoded);
	free(model);

	/* base64: exact bytes back. */
	outbuf_reset(&ob);
	json_put_base64(&ob, data, size);
	FUZZ_CHECK(ob.len == 2 + (size + 2) / 3 * 4, "base64 length %zu for %zu bytes", ob.len,
		   size);
	FUZZ_CHECK(ob.data[0] == '"' && ob.data[ob.len - 1] == '"', "base64 not quoted");
	FUZZ_CHECK(jc_json_valid(ob.data, ob.len), "base64 string is not valid JSON");
	decoded = malloc(size + 3);
	FUZZ_CHECK(decoded != NULL, "malloc");
	FUZZ_CHECK(fuzz_base64_decode(ob.data + 1, ob.len - 2, decoded, &decoded_len),
		   "base64 does not decode: %.*s", (int)ob.len, ob.data);
	FUZZ_CHECK(decoded_len == size && (!size || !memcmp(decoded, data, size)),
		   "base64 did not round-trip");
	free(decoded);
	outbuf_free(&ob);
	return 0;
}
