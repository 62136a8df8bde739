// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/decode.c: ring-buffer exec records are built by hand
 * (struct ew_exec, then filename bytes, then argv bytes) in heap blocks of
 * exactly the record's size, so AddressSanitizer reports any read past the
 * record. decode_exec() must accept valid records and expose every field;
 * reject short, oversized and inconsistent ones with the documented errno
 * (-EINVAL, -EMSGSIZE, -EPROTO); and reject every truncation of a valid
 * record without an out-of-bounds read. The argv iterator is checked for
 * empty arguments, no arguments, a last argument cut before its NUL, and
 * the kernel's {""} stand-in for an empty argv.
 *
 * Exit records (struct ew_exit, no payload): decode_exit() accepts a valid
 * one from any alignment and copies every field; rejects another type
 * (-EPROTO, and decode_exec() rejects exit records), any other size even
 * with a consistent header (-EINVAL), a header size that differs from the
 * caller's (-EMSGSIZE), and every truncation, each in an exact heap block.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include <cmocka.h>

#include "decode.h"
#include "event.h"

struct record {
	unsigned char *data; /* exactly size bytes */
	size_t size;
};

/* A plausible fixed part; lengths and size are filled in by build(). */
static struct ew_exec sample_fixed(uint16_t type)
{
	struct ew_exec e;

	memset(&e, 0, sizeof(e));
	e.hdr.boot_ns = 123456789012345ULL;
	e.hdr.type = type;
	e.hdr.flags = 0;
	e.hdr.pid = 4242;
	e.hdr.tid = 4243;
	e.ppid = 1;
	e.uid = 1000;
	e.euid = 0;
	e.gid = 100;
	e.ret = type == EW_EVENT_EXEC_FAILED ? -2 : 0;
	e.argc = 3;
	e.dirfd = EW_AT_FDCWD_VALUE;
	memcpy(e.comm, "bash", 5);
	return e;
}

/* Record = fixed | filename | argv, consistent lengths, exact allocation. */
static struct record build(const struct ew_exec *fixed, const void *filename, size_t filename_len,
			   const void *argv, size_t argv_len)
{
	struct ew_exec e = *fixed;
	struct record r;

	r.size = sizeof(e) + filename_len + argv_len;
	r.data = malloc(r.size);
	assert_non_null(r.data);
	e.hdr.size = (uint32_t)r.size;
	e.filename_len = (uint16_t)filename_len;
	e.argv_len = (uint32_t)argv_len;
	if (e.argv_true_len < argv_len)
		e.argv_true_len = (uint32_t)argv_len;
	memcpy(r.data, &e, sizeof(e));
	if (filename_len)
		memcpy(r.data + sizeof(e), filename, filename_len);
	if (argv_len)
		memcpy(r.data + sizeof(e) + filename_len, argv, argv_len);
	return r;
}

static struct record build_sample(void)
{
	struct ew_exec e = sample_fixed(EW_EVENT_EXEC);

	return build(&e, "/usr/bin/ls", 11, "ls\0-l\0/tmp\0", 11);
}

/* Overwrite a field of the record in place (records are not aligned). */
#define PATCH(rec, field, value)                                                       \
	do {                                                                           \
		__typeof__(((struct ew_exec *)0)->field) v_ = (value);                 \
		memcpy((rec).data + offsetof(struct ew_exec, field), &v_, sizeof(v_)); \
	} while (0)

static void test_decode_valid(void **state)
{
	struct record r = build_sample();
	struct exec_view v;

	(void)state;
	assert_int_equal(decode_exec(r.data, r.size, &v), 0);
	assert_int_equal(v.fixed.hdr.boot_ns, 123456789012345ULL);
	assert_int_equal(v.fixed.hdr.size, sizeof(struct ew_exec) + 22);
	assert_int_equal(v.fixed.hdr.type, EW_EVENT_EXEC);
	assert_int_equal(v.fixed.hdr.flags, 0);
	assert_int_equal(v.fixed.hdr.pid, 4242);
	assert_int_equal(v.fixed.hdr.tid, 4243);
	assert_int_equal(v.fixed.ppid, 1);
	assert_int_equal(v.fixed.uid, 1000);
	assert_int_equal(v.fixed.euid, 0);
	assert_int_equal(v.fixed.gid, 100);
	assert_int_equal(v.fixed.ret, 0);
	assert_int_equal(v.fixed.argc, 3);
	assert_int_equal(v.fixed.argv_len, 11);
	assert_int_equal(v.fixed.argv_true_len, 11);
	assert_int_equal(v.fixed.filename_len, 11);
	assert_int_equal(v.fixed.dirfd, -100);
	assert_string_equal(v.fixed.comm, "bash");
	assert_ptr_equal(v.filename, (const char *)r.data + sizeof(struct ew_exec));
	assert_int_equal(v.filename_len, 11);
	assert_memory_equal(v.filename, "/usr/bin/ls", 11);
	assert_ptr_equal(v.argv, (const char *)r.data + sizeof(struct ew_exec) + 11);
	assert_int_equal(v.argv_len, 11);
	assert_memory_equal(v.argv, "ls\0-l\0/tmp\0", 11);
	assert_false(v.argv_empty_at_call);
	assert_int_equal(exec_view_argc(&v), 3);
	assert_false(exec_view_argv_incomplete(&v));
	free(r.data);
}

static void test_decode_header(void **state)
{
	struct record r = build_sample();
	struct ew_header h;

	(void)state;
	assert_int_equal(decode_header(r.data, r.size, &h), 0);
	assert_int_equal(h.size, r.size);
	assert_int_equal(h.pid, 4242);
	assert_int_equal(decode_header(NULL, 100, &h), -EINVAL);
	assert_int_equal(decode_header(r.data, sizeof(h) - 1, &h), -EINVAL);
	assert_int_equal(decode_header(r.data, r.size - 1, &h), -EMSGSIZE);
	free(r.data);
}

static void test_decode_failed_exec(void **state)
{
	struct ew_exec e = sample_fixed(EW_EVENT_EXEC_FAILED);
	struct exec_view v;
	struct record r;

	(void)state;
	e.hdr.flags = EW_F_EXECVEAT;
	e.dirfd = 7;
	r = build(&e, "./nope", 6, "nope\0", 5);
	assert_int_equal(decode_exec(r.data, r.size, &v), 0);
	assert_int_equal(v.fixed.hdr.type, EW_EVENT_EXEC_FAILED);
	assert_int_equal(v.fixed.ret, -2);
	assert_int_equal(v.fixed.dirfd, 7);
	assert_int_equal(v.fixed.hdr.flags, EW_F_EXECVEAT);
	assert_memory_equal(v.filename, "./nope", 6);
	free(r.data);
}

/* No filename, no argv: a record of exactly the fixed size is valid. */
static void test_decode_empty_payload(void **state)
{
	struct ew_exec e = sample_fixed(EW_EVENT_EXEC);
	struct exec_view v;
	struct record r;

	(void)state;
	e.argc = 0;
	r = build(&e, NULL, 0, NULL, 0);
	assert_int_equal(r.size, sizeof(struct ew_exec));
	assert_int_equal(decode_exec(r.data, r.size, &v), 0);
	assert_int_equal(v.filename_len, 0);
	assert_int_equal(v.argv_len, 0);
	free(r.data);
}

/* The ring gives no alignment promise: decode from an odd address. */
static void test_decode_unaligned(void **state)
{
	struct record r = build_sample();
	unsigned char *odd = malloc(r.size + 1);
	struct exec_view v;

	(void)state;
	assert_non_null(odd);
	memcpy(odd + 1, r.data, r.size);
	assert_int_equal(decode_exec(odd + 1, r.size, &v), 0);
	assert_int_equal(v.fixed.hdr.pid, 4242);
	assert_int_equal(v.fixed.hdr.boot_ns, 123456789012345ULL);
	assert_ptr_equal(v.filename, (const char *)odd + 1 + sizeof(struct ew_exec));
	free(odd);
	free(r.data);
}

static void test_decode_short(void **state)
{
	struct record r = build_sample();
	struct exec_view v;

	(void)state;
	assert_int_equal(decode_exec(NULL, 0, &v), -EINVAL);
	assert_int_equal(decode_exec(NULL, r.size, &v), -EINVAL);
	assert_int_equal(decode_exec(r.data, 0, &v), -EINVAL);
	assert_int_equal(decode_exec(r.data, 1, &v), -EINVAL);
	assert_int_equal(decode_exec(r.data, sizeof(struct ew_header) - 1, &v), -EINVAL);
	free(r.data);
}

static void test_decode_size_mismatch(void **state)
{
	struct record r = build_sample();
	struct exec_view v;

	(void)state;
	PATCH(r, hdr.size, (uint32_t)r.size + 1);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EMSGSIZE);
	PATCH(r, hdr.size, (uint32_t)r.size - 1);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EMSGSIZE);
	PATCH(r, hdr.size, 0);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EMSGSIZE);
	PATCH(r, hdr.size, UINT32_MAX);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EMSGSIZE);
	/* The record is fine; the caller's size is what differs. */
	PATCH(r, hdr.size, (uint32_t)r.size);
	assert_int_equal(decode_exec(r.data, r.size - 1, &v), -EMSGSIZE);
	assert_int_equal(decode_exec(r.data, r.size, &v), 0);
	free(r.data);
}

static void test_decode_unknown_type(void **state)
{
	static const uint16_t types[] = { 0, 3, 4, 0x100, 0xffff };
	struct record r = build_sample();
	struct exec_view v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		PATCH(r, hdr.type, types[i]);
		assert_int_equal(decode_exec(r.data, r.size, &v), -EPROTO);
	}
	free(r.data);
}

static void test_decode_length_sum_mismatch(void **state)
{
	struct record r = build_sample();
	struct exec_view v;

	(void)state;
	PATCH(r, filename_len, 12);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EINVAL);
	PATCH(r, filename_len, 10);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EINVAL);
	PATCH(r, filename_len, 11);
	PATCH(r, argv_len, 10);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EINVAL);
	PATCH(r, argv_len, 12);
	PATCH(r, argv_true_len, 12);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EINVAL);
	/* Sum right, split different: still valid, the view follows the header. */
	PATCH(r, filename_len, 10);
	assert_int_equal(decode_exec(r.data, r.size, &v), 0);
	assert_int_equal(v.filename_len, 10);
	assert_int_equal(v.argv_len, 12);
	/* Lengths that overflow 32 bits when added must not wrap to a match. */
	PATCH(r, filename_len, 11);
	PATCH(r, argv_len, UINT32_MAX);
	PATCH(r, argv_true_len, UINT32_MAX);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EINVAL);
	free(r.data);
}

static void test_decode_filename_max(void **state)
{
	struct ew_exec e = sample_fixed(EW_EVENT_EXEC);
	char *name = malloc(EW_FILENAME_MAX + 1);
	struct exec_view v;
	struct record r;

	(void)state;
	assert_non_null(name);
	memset(name, 'a', EW_FILENAME_MAX + 1);
	r = build(&e, name, EW_FILENAME_MAX, "a\0", 2);
	assert_int_equal(decode_exec(r.data, r.size, &v), 0);
	assert_int_equal(v.filename_len, EW_FILENAME_MAX);
	free(r.data);
	r = build(&e, name, EW_FILENAME_MAX + 1, "a\0", 2);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EINVAL);
	free(r.data);
	free(name);
}

static void test_decode_argv_ceiling(void **state)
{
	struct ew_exec e = sample_fixed(EW_EVENT_EXEC);
	char *argv = calloc(1, EW_ARGV_CEILING_BYTES + 1);
	struct exec_view v;
	struct record r;

	(void)state;
	assert_non_null(argv);
	r = build(&e, "/x", 2, argv, EW_ARGV_CEILING_BYTES);
	assert_int_equal(decode_exec(r.data, r.size, &v), 0);
	assert_int_equal(v.argv_len, EW_ARGV_CEILING_BYTES);
	free(r.data);
	r = build(&e, "/x", 2, argv, EW_ARGV_CEILING_BYTES + 1);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EINVAL);
	free(r.data);
	free(argv);
}

static void test_decode_argv_true_len(void **state)
{
	struct record r = build_sample();
	struct exec_view v;

	(void)state;
	PATCH(r, argv_true_len, 10);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EINVAL);
	PATCH(r, argv_true_len, 0);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EINVAL);
	PATCH(r, argv_true_len, 11);
	assert_int_equal(decode_exec(r.data, r.size, &v), 0);
	PATCH(r, argv_true_len, 1000000);
	assert_int_equal(decode_exec(r.data, r.size, &v), 0);
	assert_int_equal(v.fixed.argv_true_len, 1000000);
	free(r.data);
}

static void test_decode_nul_in_filename(void **state)
{
	struct ew_exec e = sample_fixed(EW_EVENT_EXEC);
	struct exec_view v;
	struct record r;

	(void)state;
	r = build(&e, "/bin\0ls", 7, "ls\0", 3);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EINVAL);
	free(r.data);
	r = build(&e, "/bin/ls\0", 8, "ls\0", 3);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EINVAL);
	free(r.data);
	r = build(&e, "\0", 1, "ls\0", 3);
	assert_int_equal(decode_exec(r.data, r.size, &v), -EINVAL);
	free(r.data);
}

/* Each prefix of a valid record, in its own exact heap block. */
static void test_decode_every_truncation(void **state)
{
	struct record r = build_sample();
	struct exec_view v;
	size_t len;

	(void)state;
	for (len = 0; len < r.size; len++) {
		unsigned char *copy = malloc(len ? len : 1);
		int err;

		assert_non_null(copy);
		memcpy(copy, r.data, len);
		err = decode_exec(copy, len, &v);
		if (err != -EINVAL && err != -EMSGSIZE)
			fail_msg("prefix of %zu bytes: got %d", len, err);
		/* A header that agrees with the cut size must not help. */
		if (len >= sizeof(struct ew_header)) {
			uint32_t size32 = (uint32_t)len;

			memcpy(copy + offsetof(struct ew_header, size), &size32, sizeof(size32));
			err = decode_exec(copy, len, &v);
			if (err != -EINVAL)
				fail_msg("consistent prefix of %zu bytes: got %d", len, err);
		}
		free(copy);
	}
	free(r.data);
}

/* Same sweep for failed-exec records and for a record with no argv. */
static void test_decode_every_truncation_other_shapes(void **state)
{
	struct ew_exec e = sample_fixed(EW_EVENT_EXEC_FAILED);
	struct record shapes[2];
	struct exec_view v;
	size_t s, len;

	(void)state;
	shapes[0] = build(&e, "/nonexistent", 12, "x\0y", 3);
	shapes[1] = build(&e, "/a", 2, NULL, 0);
	for (s = 0; s < 2; s++) {
		for (len = 0; len < shapes[s].size; len++) {
			unsigned char *copy = malloc(len ? len : 1);

			assert_non_null(copy);
			memcpy(copy, shapes[s].data, len);
			assert_true(decode_exec(copy, len, &v) < 0);
			if (len >= sizeof(struct ew_header)) {
				uint32_t size32 = (uint32_t)len;

				memcpy(copy + offsetof(struct ew_header, size), &size32, 4);
				assert_int_equal(decode_exec(copy, len, &v), -EINVAL);
			}
			free(copy);
		}
		assert_int_equal(decode_exec(shapes[s].data, shapes[s].size, &v), 0);
		free(shapes[s].data);
	}
}

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/*
 * Random corruption of the fixed part: decode never reads out of bounds, and
 * whatever it accepts is self-consistent and inside the record.
 */
static void test_decode_fuzz_fixed_part(void **state)
{
	struct record r = build_sample();
	int iter;

	(void)state;
	rng_state = 0x5eed5eed5eed5eedULL;
	for (iter = 0; iter < 20000; iter++) {
		unsigned char *copy = malloc(r.size);
		struct exec_view v;
		int k, flips = 1 + (int)(rng_next() % 4);

		assert_non_null(copy);
		memcpy(copy, r.data, r.size);
		for (k = 0; k < flips; k++) {
			uint64_t x = rng_next();

			copy[x % sizeof(struct ew_exec)] ^= (unsigned char)(1u << ((x >> 16) % 8));
		}
		if (decode_exec(copy, r.size, &v) == 0) {
			assert_int_equal(v.fixed.hdr.size, r.size);
			assert_true(v.fixed.hdr.type == EW_EVENT_EXEC ||
				    v.fixed.hdr.type == EW_EVENT_EXEC_FAILED);
			assert_int_equal(v.filename_len + v.argv_len + v.exe_len + v.cwd_len +
						 v.interp_len + v.caller_argv_len,
					 r.size - sizeof(struct ew_exec));
			assert_ptr_equal(v.caller_argv + v.caller_argv_len, copy + r.size);
			assert_ptr_equal(v.filename, (const char *)copy + sizeof(struct ew_exec));
			assert_ptr_equal(v.argv, v.filename + v.filename_len);
			assert_null(memchr(v.filename, '\0', v.filename_len));
			assert_true(v.argv_len <= v.fixed.argv_true_len);
		}
		free(copy);
	}
	free(r.data);
}

/* ---- exit records: struct ew_exit, fixed size, no payload ---- */

static struct ew_exit sample_exit(void)
{
	struct ew_exit x;

	memset(&x, 0, sizeof(x));
	x.hdr.boot_ns = 223456789012345ULL;
	x.hdr.size = sizeof(x);
	x.hdr.type = EW_EVENT_EXIT;
	x.hdr.flags = 0;
	x.hdr.pid = 5151;
	x.hdr.tid = 5153;
	x.ppid = 77;
	x.status = (7 << 8);
	x.start_ns = 123456789ULL;
	x.cgroup_id = 0x1122334455667788ULL;
	x.uid = 1001;
	x.reserved = 0;
	memcpy(x.comm, "worker", 7);
	return x;
}

/* An exit record in a heap block of exactly size bytes (size may differ from the struct). */
static struct record build_exit(const struct ew_exit *x, size_t size)
{
	struct record r;

	r.size = size;
	r.data = calloc(1, size ? size : 1);
	assert_non_null(r.data);
	memcpy(r.data, x, size < sizeof(*x) ? size : sizeof(*x));
	return r;
}

#define PATCH_EXIT(rec, field, value)                                                  \
	do {                                                                           \
		__typeof__(((struct ew_exit *)0)->field) v_ = (value);                 \
		memcpy((rec).data + offsetof(struct ew_exit, field), &v_, sizeof(v_)); \
	} while (0)

static void test_decode_exit_valid(void **state)
{
	struct ew_exit x = sample_exit(), out;
	struct record r = build_exit(&x, sizeof(x));

	(void)state;
	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(decode_exit(r.data, r.size, &out), 0);
	assert_int_equal(out.hdr.boot_ns, 223456789012345ULL);
	assert_int_equal(out.hdr.size, 72);
	assert_int_equal(out.hdr.type, EW_EVENT_EXIT);
	assert_int_equal(out.hdr.flags, 0);
	assert_int_equal(out.hdr.pid, 5151);
	assert_int_equal(out.hdr.tid, 5153);
	assert_int_equal(out.ppid, 77);
	assert_int_equal(out.status, 7 << 8);
	assert_int_equal(out.start_ns, 123456789ULL);
	assert_int_equal(out.cgroup_id, 0x1122334455667788ULL);
	assert_int_equal(out.uid, 1001);
	assert_string_equal(out.comm, "worker");
	assert_memory_equal(&out, r.data, sizeof(out));
	free(r.data);

	/* Negative status, every flag bit, a full comm: copied as they are. */
	x.status = -1;
	x.hdr.flags = 0xffff;
	memcpy(x.comm, "0123456789abcdef", EW_COMM_LEN);
	r = build_exit(&x, sizeof(x));
	assert_int_equal(decode_exit(r.data, r.size, &out), 0);
	assert_int_equal(out.status, -1);
	assert_int_equal(out.hdr.flags, 0xffff);
	assert_memory_equal(out.comm, "0123456789abcdef", EW_COMM_LEN);
	free(r.data);
}

static void test_decode_exit_unaligned(void **state)
{
	struct ew_exit x = sample_exit(), out;
	unsigned char *odd = malloc(sizeof(x) + 3);

	(void)state;
	assert_non_null(odd);
	memcpy(odd + 3, &x, sizeof(x));
	assert_int_equal(decode_exit(odd + 3, sizeof(x), &out), 0);
	assert_int_equal(out.start_ns, 123456789ULL);
	assert_int_equal(out.cgroup_id, 0x1122334455667788ULL);
	free(odd);
}

static void test_decode_exit_wrong_type(void **state)
{
	static const uint16_t types[] = { 0, EW_EVENT_EXEC, EW_EVENT_EXEC_FAILED, 4, 0x103, 0xffff };
	struct ew_exit x = sample_exit(), out;
	struct record r = build_exit(&x, sizeof(x));
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		PATCH_EXIT(r, hdr.type, types[i]);
		assert_int_equal(decode_exit(r.data, r.size, &out), -EPROTO);
	}
	PATCH_EXIT(r, hdr.type, EW_EVENT_EXIT);
	assert_int_equal(decode_exit(r.data, r.size, &out), 0);
	free(r.data);
}

/* The two decoders do not take each other's records. */
static void test_decode_exit_exec_crossed(void **state)
{
	struct ew_exit x = sample_exit(), out;
	struct record exit_rec = build_exit(&x, sizeof(x));
	struct record exec_rec = build_sample();
	struct exec_view v;

	(void)state;
	assert_int_equal(decode_exec(exit_rec.data, exit_rec.size, &v), -EPROTO);
	assert_int_equal(decode_exit(exec_rec.data, exec_rec.size, &out), -EPROTO);
	free(exit_rec.data);
	free(exec_rec.data);
}

/* Exit records have one size: longer or shorter ones are malformed, whatever hdr.size says. */
static void test_decode_exit_wrong_size(void **state)
{
	static const size_t sizes[] = { sizeof(struct ew_header),
					sizeof(struct ew_exit) - 8,
					sizeof(struct ew_exit) - 1,
					sizeof(struct ew_exit) + 1,
					sizeof(struct ew_exit) + 8,
					sizeof(struct ew_exec),
					4096 };
	struct ew_exit x = sample_exit(), out;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct record r;

		x.hdr.size = (uint32_t)sizes[i];
		r = build_exit(&x, sizes[i]);
		if (decode_exit(r.data, r.size, &out) != -EINVAL)
			fail_msg("exit record of %zu bytes was not rejected", sizes[i]);
		free(r.data);
	}
}

static void test_decode_exit_size_mismatch(void **state)
{
	static const uint32_t sizes[] = { 0, 1, 24, 71, 73, 120, UINT32_MAX };
	struct ew_exit x = sample_exit(), out;
	struct record r = build_exit(&x, sizeof(x));
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		PATCH_EXIT(r, hdr.size, sizes[i]);
		assert_int_equal(decode_exit(r.data, r.size, &out), -EMSGSIZE);
	}
	PATCH_EXIT(r, hdr.size, (uint32_t)sizeof(x));
	assert_int_equal(decode_exit(r.data, r.size - 1, &out), -EMSGSIZE);
	assert_int_equal(decode_exit(r.data, r.size, &out), 0);
	free(r.data);
}

static void test_decode_exit_short(void **state)
{
	struct ew_exit x = sample_exit(), out;
	struct record r = build_exit(&x, sizeof(x));

	(void)state;
	assert_int_equal(decode_exit(NULL, 0, &out), -EINVAL);
	assert_int_equal(decode_exit(NULL, sizeof(x), &out), -EINVAL);
	assert_int_equal(decode_exit(r.data, 0, &out), -EINVAL);
	assert_int_equal(decode_exit(r.data, sizeof(struct ew_header) - 1, &out), -EINVAL);
	free(r.data);
}

/* Each prefix of a valid exit record, in its own exact heap block. */
static void test_decode_exit_every_truncation(void **state)
{
	struct ew_exit x = sample_exit(), out;
	size_t len;

	(void)state;
	for (len = 0; len < sizeof(x); len++) {
		unsigned char *copy = malloc(len ? len : 1);
		int err;

		assert_non_null(copy);
		memcpy(copy, &x, len);
		err = decode_exit(copy, len, &out);
		if (err != -EINVAL && err != -EMSGSIZE)
			fail_msg("prefix of %zu bytes: got %d", len, err);
		if (len >= sizeof(struct ew_header)) {
			uint32_t size32 = (uint32_t)len;

			memcpy(copy + offsetof(struct ew_header, size), &size32, sizeof(size32));
			err = decode_exit(copy, len, &out);
			if (err != -EINVAL)
				fail_msg("consistent prefix of %zu bytes: got %d", len, err);
		}
		free(copy);
	}
}

/* Random corruption: whatever decode_exit accepts is a whole exit record. */
static void test_decode_exit_fuzz(void **state)
{
	struct ew_exit x = sample_exit();
	int iter;

	(void)state;
	rng_state = 0x0e1170e1170e1170ULL;
	for (iter = 0; iter < 20000; iter++) {
		unsigned char copy[sizeof(struct ew_exit)];
		struct ew_exit out;
		int k, flips = 1 + (int)(rng_next() % 3);

		memcpy(copy, &x, sizeof(x));
		for (k = 0; k < flips; k++) {
			uint64_t r = rng_next();

			copy[r % sizeof(struct ew_header)] ^=
				(unsigned char)(1u << ((r >> 16) % 8));
		}
		if (decode_exit(copy, sizeof(copy), &out) == 0) {
			assert_int_equal(out.hdr.type, EW_EVENT_EXIT);
			assert_int_equal(out.hdr.size, sizeof(struct ew_exit));
			assert_memory_equal(&out, copy, sizeof(out));
		}
	}
}

/* Collect the iterator's arguments as "[arg]" / "[arg~]" (partial). */
static char *collect_args(const struct exec_view *view)
{
	static char out[256];
	struct arg_iter it;
	struct arg_span arg;
	size_t o = 0;

	arg_iter_init(&it, view);
	while (arg_iter_next(&it, &arg)) {
		assert_true(o + arg.len + 3 < sizeof(out));
		out[o++] = '[';
		memcpy(out + o, arg.bytes, arg.len);
		o += arg.len;
		if (arg.partial)
			out[o++] = '~';
		out[o++] = ']';
	}
	out[o] = '\0';
	return out;
}

static struct exec_view view_with_argv(const char *argv, size_t len, uint16_t flags)
{
	struct exec_view v;

	memset(&v, 0, sizeof(v));
	v.fixed.hdr.type = EW_EVENT_EXEC;
	v.fixed.hdr.flags = flags;
	v.fixed.argv_len = (uint32_t)len;
	v.fixed.argv_true_len = (uint32_t)len;
	v.argv = argv;
	v.argv_len = len;
	v.argv_empty_at_call = flags & EW_F_ARGV_EMPTY_AT_CALL;
	return v;
}

static void test_args_empty_middle(void **state)
{
	struct exec_view v = view_with_argv("a\0\0b\0", 5, 0);
	struct arg_iter it;
	struct arg_span arg;

	(void)state;
	arg_iter_init(&it, &v);
	assert_true(arg_iter_next(&it, &arg));
	assert_int_equal(arg.len, 1);
	assert_memory_equal(arg.bytes, "a", 1);
	assert_false(arg.partial);
	assert_true(arg_iter_next(&it, &arg));
	assert_int_equal(arg.len, 0);
	assert_ptr_equal(arg.bytes, v.argv + 2);
	assert_false(arg.partial);
	assert_true(arg_iter_next(&it, &arg));
	assert_int_equal(arg.len, 1);
	assert_memory_equal(arg.bytes, "b", 1);
	assert_false(arg.partial);
	assert_false(arg_iter_next(&it, &arg));
	assert_false(arg_iter_next(&it, &arg));
}

static void test_args_shapes(void **state)
{
	struct exec_view v;

	(void)state;
	v = view_with_argv("", 0, 0);
	assert_string_equal(collect_args(&v), "");
	v = view_with_argv(NULL, 0, 0);
	assert_string_equal(collect_args(&v), "");
	v = view_with_argv("\0", 1, 0);
	assert_string_equal(collect_args(&v), "[]");
	v = view_with_argv("\0\0\0", 3, 0);
	assert_string_equal(collect_args(&v), "[][][]");
	v = view_with_argv("ls\0-l\0", 6, 0);
	assert_string_equal(collect_args(&v), "[ls][-l]");
	v = view_with_argv("ls\0-l\0/tm", 9, EW_F_ARGV_TRUNCATED);
	assert_string_equal(collect_args(&v), "[ls][-l][/tm~]");
	v = view_with_argv("x", 1, EW_F_ARGV_TRUNCATED);
	assert_string_equal(collect_args(&v), "[x~]");
}

/* The partial last argument of a decoded record ends at the record's end. */
static void test_args_partial_at_record_end(void **state)
{
	struct ew_exec e = sample_fixed(EW_EVENT_EXEC);
	struct exec_view v;
	struct arg_iter it;
	struct arg_span arg;
	struct record r;

	(void)state;
	e.hdr.flags = EW_F_ARGV_TRUNCATED;
	e.argv_true_len = 100;
	r = build(&e, "/bin/echo", 9, "echo\0abcdef", 11);
	assert_int_equal(decode_exec(r.data, r.size, &v), 0);
	assert_true(exec_view_argv_incomplete(&v));
	arg_iter_init(&it, &v);
	assert_true(arg_iter_next(&it, &arg));
	assert_int_equal(arg.len, 4);
	assert_false(arg.partial);
	assert_true(arg_iter_next(&it, &arg));
	assert_int_equal(arg.len, 6);
	assert_memory_equal(arg.bytes, "abcdef", 6);
	assert_true(arg.partial);
	assert_ptr_equal(arg.bytes + arg.len, (const char *)r.data + r.size);
	assert_false(arg_iter_next(&it, &arg));
	free(r.data);
}

static void test_args_empty_at_call(void **state)
{
	struct ew_exec e = sample_fixed(EW_EVENT_EXEC);
	struct exec_view v;
	struct record r;

	(void)state;
	/* What the kernel gives the new program: argc 1, argv {""}. */
	e.argc = 1;
	e.hdr.flags = EW_F_ARGV_EMPTY_AT_CALL;
	r = build(&e, "/bin/true", 9, "\0", 1);
	assert_int_equal(decode_exec(r.data, r.size, &v), 0);
	assert_true(v.argv_empty_at_call);
	assert_int_equal(exec_view_argc(&v), 0);
	assert_string_equal(collect_args(&v), "");
	assert_int_equal(v.fixed.argc, 1);
	free(r.data);

	/* Without the flag the same bytes are one empty argument. */
	e.hdr.flags = 0;
	r = build(&e, "/bin/true", 9, "\0", 1);
	assert_int_equal(decode_exec(r.data, r.size, &v), 0);
	assert_false(v.argv_empty_at_call);
	assert_int_equal(exec_view_argc(&v), 1);
	assert_string_equal(collect_args(&v), "[]");
	free(r.data);

	/* Other flags next to it do not disturb it. */
	e.hdr.flags = EW_F_ARGV_EMPTY_AT_CALL | EW_F_FILENAME_TRUNCATED | EW_F_EXECVEAT;
	r = build(&e, "/bin/true", 9, "\0", 1);
	assert_int_equal(decode_exec(r.data, r.size, &v), 0);
	assert_true(v.argv_empty_at_call);
	assert_int_equal(exec_view_argc(&v), 0);
	free(r.data);
}

static void test_argv_incomplete(void **state)
{
	struct exec_view v;

	(void)state;
	v = view_with_argv("a\0", 2, 0);
	assert_false(exec_view_argv_incomplete(&v));
	v = view_with_argv("a\0", 2, EW_F_ARGV_TRUNCATED);
	assert_true(exec_view_argv_incomplete(&v));
	v = view_with_argv("a\0", 2, EW_F_ARGV_FAULT);
	assert_true(exec_view_argv_incomplete(&v));
	v = view_with_argv("a\0", 2,
			   EW_F_FILENAME_TRUNCATED | EW_F_FILENAME_FAULT | EW_F_ARGV_EMPTY_AT_CALL |
				   EW_F_ARGV_TRUE_LEN_UNKNOWN | EW_F_EXECVEAT);
	assert_false(exec_view_argv_incomplete(&v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_header),
		cmocka_unit_test(test_decode_failed_exec),
		cmocka_unit_test(test_decode_empty_payload),
		cmocka_unit_test(test_decode_unaligned),
		cmocka_unit_test(test_decode_short),
		cmocka_unit_test(test_decode_size_mismatch),
		cmocka_unit_test(test_decode_unknown_type),
		cmocka_unit_test(test_decode_length_sum_mismatch),
		cmocka_unit_test(test_decode_filename_max),
		cmocka_unit_test(test_decode_argv_ceiling),
		cmocka_unit_test(test_decode_argv_true_len),
		cmocka_unit_test(test_decode_nul_in_filename),
		cmocka_unit_test(test_decode_every_truncation),
		cmocka_unit_test(test_decode_every_truncation_other_shapes),
		cmocka_unit_test(test_decode_fuzz_fixed_part),
		cmocka_unit_test(test_decode_exit_valid),
		cmocka_unit_test(test_decode_exit_unaligned),
		cmocka_unit_test(test_decode_exit_wrong_type),
		cmocka_unit_test(test_decode_exit_exec_crossed),
		cmocka_unit_test(test_decode_exit_wrong_size),
		cmocka_unit_test(test_decode_exit_size_mismatch),
		cmocka_unit_test(test_decode_exit_short),
		cmocka_unit_test(test_decode_exit_every_truncation),
		cmocka_unit_test(test_decode_exit_fuzz),
		cmocka_unit_test(test_args_empty_middle),
		cmocka_unit_test(test_args_shapes),
		cmocka_unit_test(test_args_partial_at_record_end),
		cmocka_unit_test(test_args_empty_at_call),
		cmocka_unit_test(test_argv_incomplete),
	};

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
