// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: the whole path from ring-buffer bytes to output.
 *
 * The input is one ring-buffer record as the BPF programs would commit it
 * (struct ew_exec, filename, argv; or struct ew_exit; see src/event.h). Ring
 * data is input like any other: a kernel/user ABI mismatch or a bug must give
 * an error, never a read past the record. Each input is tried as an exit
 * record (as is, and made consistent, with the rest of the input as the
 * executable's name: one line of strict JSON, one terminal-safe text line),
 * and twice as an exec record:
 * - as is: decode_exec() must accept it or reject it with a documented
 *   errno, and a view it accepts must lie inside the record;
 * - "fixed up": the same bytes with the header's size, type and lengths made
 *   consistent (and NULs in the filename replaced), which decode_exec() must
 *   accept. Random bytes almost never have consistent lengths, so without
 *   this the formatters would see few records.
 * Every accepted view goes through arg_iter (spans inside argv, adding up to
 * argv_len), output_json_exec() (one line, strict JSON, valid UTF-8, argv and
 * argv_b64 round-trip to the exact argument bytes) and output_text_exec() (one
 * line, valid UTF-8, no control byte or other dangerous code point besides
 * our own colour), each with the default options and with every option on,
 * and with a realistic and an extreme wall-clock offset.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decode.h"
#include "event.h"
#include "fuzz_check.h"
#include "output.h"

/* Arguments of a view, from arg_iter, checked against the view's bounds. */
static size_t collect_args(const struct exec_view *view, struct arg_span *args, size_t max)
{
	struct arg_iter it;
	struct arg_span arg;
	size_t n = 0, covered = 0;
	bool saw_partial = false;

	arg_iter_init(&it, view);
	while (arg_iter_next(&it, &arg)) {
		FUZZ_CHECK(n < max, "more arguments than argv bytes");
		FUZZ_CHECK(!saw_partial, "an argument after the partial one");
		FUZZ_CHECK(arg.bytes >= view->argv &&
				   arg.bytes + arg.len <= view->argv + view->argv_len,
			   "argument outside argv");
		FUZZ_CHECK(!memchr(arg.bytes, '\0', arg.len), "NUL inside an argument");
		if (arg.partial)
			FUZZ_CHECK(arg.bytes + arg.len == view->argv + view->argv_len,
				   "partial argument not at the end");
		else
			FUZZ_CHECK(arg.bytes[arg.len] == '\0', "argument not ended by NUL");
		saw_partial = arg.partial;
		covered += arg.len + !arg.partial;
		args[n++] = arg;
	}
	FUZZ_CHECK(covered == (view->argv_empty_at_call ? 0 : view->argv_len),
		   "arguments cover %zu of %zu argv bytes", covered, view->argv_len);
	return n;
}

/*
 * Find the JSON array after "key":[ and check each element against the
 * arguments: decoded text (argv) or decoded base64 bytes (argv_b64).
 */
static void check_json_array(const char *line, size_t len, const char *key,
			     const struct arg_span *args, size_t nargs, bool base64)
{
	char needle[32];
	const char *at;
	size_t i;
	struct jc_parser p = { (const unsigned char *)line, len, 0, 0 };
	unsigned char *buf = malloc(len + 1), *bytes;
	size_t buf_len, bytes_len;

	FUZZ_CHECK(buf != NULL, "malloc");
	/* Data quotes are always escaped, so ,"key":[ can only be the member itself. */
	snprintf(needle, sizeof(needle), ",\"%s\":[", key);
	at = memmem(line, len, needle, strlen(needle));
	FUZZ_CHECK(at != NULL, "no %s member", key);
	FUZZ_CHECK(!memmem(at + 1, len - (size_t)(at + 1 - line), needle, strlen(needle)),
		   "two %s members", key);
	p.pos = (size_t)(at - line) + strlen(needle);
	for (i = 0; i < nargs; i++) {
		if (i) {
			FUZZ_CHECK(p.pos < len && line[p.pos] == ',', "%s: element %zu missing",
				   key, i);
			p.pos++;
		}
		FUZZ_CHECK(jc_parse_string(&p, buf, &buf_len), "%s[%zu] is not a string", key, i);
		if (base64) {
			bytes = malloc(buf_len + 3);
			FUZZ_CHECK(bytes != NULL, "malloc");
			FUZZ_CHECK(fuzz_base64_decode((const char *)buf, buf_len, bytes,
						      &bytes_len),
				   "%s[%zu] is not base64", key, i);
			FUZZ_CHECK(bytes_len == args[i].len &&
					   (!bytes_len || !memcmp(bytes, args[i].bytes, bytes_len)),
				   "%s[%zu] does not give back the argument", key, i);
			free(bytes);
		} else if (jc_utf8_valid(args[i].bytes, args[i].len)) {
			FUZZ_CHECK(buf_len == args[i].len &&
					   (!buf_len || !memcmp(buf, args[i].bytes, buf_len)),
				   "%s[%zu] does not give back the argument", key, i);
		}
	}
	FUZZ_CHECK(p.pos < len && line[p.pos] == ']', "%s has more than %zu elements", key, nargs);
	free(buf);
}

static bool member_present(const char *line, size_t len, const char *member)
{
	return memmem(line, len, member, strlen(member)) != NULL;
}

static void check_json(const struct outbuf *ob, const struct exec_view *view,
		       const struct arg_span *args, size_t nargs, uint32_t max_args)
{
	const char *line = ob->data;
	size_t len = ob->len, i, shown = max_args && nargs > max_args ? max_args : nargs;
	bool args_lossless = true;

	FUZZ_CHECK(len > 1 && line[len - 1] == '\n', "JSON record does not end with a newline");
	len--;
	FUZZ_CHECK(!memchr(line, '\n', len), "JSON record spans lines");
	FUZZ_CHECK(jc_utf8_valid(line, len), "JSON record is not UTF-8");
	FUZZ_CHECK(jc_json_compact_object(line, len), "JSON record is invalid: %.*s", (int)len,
		   line);
	/* --max-args: the first max_args arguments, and how many were left out. */
	for (i = 0; i < shown; i++)
		args_lossless &= jc_utf8_valid(args[i].bytes, args[i].len);
	check_json_array(line, len, "argv", args, shown, false);
	FUZZ_CHECK(member_present(line, len, ",\"argv_b64\":[") == !args_lossless,
		   "argv_b64 presence, arguments lossless=%d", args_lossless);
	if (!args_lossless)
		check_json_array(line, len, "argv_b64", args, shown, true);
	FUZZ_CHECK(member_present(line, len, ",\"argv_omitted\":") == (shown < nargs),
		   "argv_omitted presence, %zu of %zu arguments shown", shown, nargs);
	FUZZ_CHECK(member_present(line, len, ",\"filename_b64\":") ==
			   !jc_utf8_valid(view->filename, view->filename_len),
		   "filename_b64 presence");
	FUZZ_CHECK(member_present(line, len, ",\"comm_b64\":") ==
			   !jc_utf8_valid(view->fixed.comm,
					  strnlen(view->fixed.comm, sizeof(view->fixed.comm))),
		   "comm_b64 presence");
	FUZZ_CHECK(member_present(line, len, ",\"error\":") == (view->fixed.ret < 0),
		   "error member and ret %d", view->fixed.ret);
}

/* Skip one of the colour sequences output_text.c wraps a line in. */
static size_t skip_color(const char *s, size_t n)
{
	static const char *const sequences[] = { "\033[31m", "\033[33m", "\033[0m" };
	size_t i;

	for (i = 0; i < sizeof(sequences) / sizeof(sequences[0]); i++)
		if (n >= strlen(sequences[i]) && !memcmp(s, sequences[i], strlen(sequences[i])))
			return strlen(sequences[i]);
	return 0;
}

static void check_text(const struct outbuf *ob, bool color)
{
	const char *line = ob->data;
	size_t len = ob->len, skip;

	FUZZ_CHECK(len > 1 && line[len - 1] == '\n', "text record does not end with a newline");
	FUZZ_CHECK(fuzz_count_byte(line, len, '\n') == 1, "text record spans lines");
	len--;
	/* Colour: an escape sequence of ours at the start, a reset at the end. */
	if (color && (skip = skip_color(line, len))) {
		line += skip;
		len -= skip;
		FUZZ_CHECK(len >= 4 && !memcmp(line + len - 4, "\033[0m", 4), "colour not reset");
		len -= 4;
	}
	FUZZ_CHECK(fuzz_terminal_safe(line, len, NULL),
		   "text record is unsafe for a terminal: %.*s", (int)ob->len, ob->data);
}

/*
 * execwatch's start for -t (time since start). A long run past a known bug in
 * that path can build with -DFUZZ_START_BOOT_NS=0, which cannot overflow.
 */
#ifndef FUZZ_START_BOOT_NS
#define FUZZ_START_BOOT_NS 5000000000000LL
#endif

/* A 64-hex-digit container id, as cgroup.c would find it. */
static const char container_id[] =
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/*
 * The option sets each record is shown with: the defaults, and everything
 * on (every column, shell quoting, colour, time since start, --max-args 2,
 * a cgroup path made of the filename's bytes and a container id).
 */
static void options_all(struct output_options *o)
{
	size_t i;

	output_options_default(o);
	for (i = 0; i < TF_NR; i++)
		o->text_fields[i] = (enum text_field)i;
	o->nr_text_fields = TF_NR;
	o->json_fields = OUTPUT_JSON_ALL_FIELDS;
	o->time_mode = TIME_SINCE_START;
	o->color = true;
	o->quote = true;
	o->max_args = 2;
	o->file_width = 40;
	o->start_boot_ns = FUZZ_START_BOOT_NS;
}

static void render(const void *record, size_t size, struct exec_view *view)
{
	static const int64_t offsets[] = {
		1764000000000000000LL, /* 2025, boot a few days ago */
		INT64_MIN, /* far before 1970: gmtime of huge negative years */
	};
	struct output_options all;
	struct arg_span *args;
	char *cgroup_path;
	size_t nargs, i;
	struct timefmt tf;
	struct outbuf ob;
	const char *base = record;

	FUZZ_CHECK(view->filename == base + sizeof(struct ew_exec),
		   "filename not after fixed part");
	FUZZ_CHECK(view->filename_len + view->argv_len + view->exe_len + view->cwd_len +
				   view->interp_len + view->caller_argv_len ==
			   size - sizeof(struct ew_exec),
		   "payload lengths do not add up");
	FUZZ_CHECK(view->argv == view->filename + view->filename_len, "argv not after filename");
	FUZZ_CHECK(view->exe == view->argv + view->argv_len &&
			   view->cwd == view->exe + view->exe_len &&
			   view->interp == view->cwd + view->cwd_len &&
			   view->caller_argv == view->interp + view->interp_len,
		   "payload parts not in order");
	FUZZ_CHECK(!memchr(view->filename, '\0', view->filename_len), "NUL in filename");

	args = calloc(view->argv_len + 1, sizeof(*args));
	FUZZ_CHECK(args != NULL, "calloc");
	nargs = collect_args(view, args, view->argv_len + 1);
	if (view->argv_empty_at_call)
		FUZZ_CHECK(nargs == 0 && exec_view_argc(view) == 0, "argc 0 call shows arguments");
	cgroup_path = strndup(view->filename, view->filename_len);
	FUZZ_CHECK(cgroup_path != NULL, "strndup");
	options_all(&all);

	for (i = 0; i < 2 * sizeof(offsets) / sizeof(offsets[0]); i++) {
		const struct output_options *opts = i & 1 ? &all : NULL;

		view->cgroup_path = opts ? cgroup_path : NULL;
		view->container_id = opts ? container_id : NULL;
		timefmt_init(&tf, offsets[i / 2]);
		outbuf_init(&ob, -1);
		output_json_exec(&ob, &tf, view, opts);
		FUZZ_CHECK(!ob.alloc_failed, "allocation failed");
		check_json(&ob, view, args, nargs, opts ? opts->max_args : 0);
		outbuf_reset(&ob);
		output_text_exec(&ob, &tf, view, opts);
		FUZZ_CHECK(!ob.alloc_failed, "allocation failed");
		check_text(&ob, opts && opts->color);
		outbuf_free(&ob);
	}
	view->cgroup_path = view->container_id = NULL;
	free(cgroup_path);
	free(args);
}

/*
 * An exit record: one line of strict JSON and one terminal-safe text line,
 * with no executable known and with one made of untrusted bytes.
 */
static void render_exit(const struct ew_exit *x, const char *exe)
{
	struct output_options all;
	struct timefmt tf;
	struct outbuf ob;
	size_t i;

	options_all(&all);
	for (i = 0; i < 4; i++) {
		const struct output_options *opts = i & 1 ? &all : NULL;
		const char *name = i & 2 ? exe : NULL;

		timefmt_init(&tf, 1764000000000000000LL);
		outbuf_init(&ob, -1);
		output_json_exit(&ob, &tf, x, name, opts);
		FUZZ_CHECK(!ob.alloc_failed, "allocation failed");
		FUZZ_CHECK(ob.len > 1 && ob.data[ob.len - 1] == '\n',
			   "exit record without newline");
		FUZZ_CHECK(fuzz_count_byte(ob.data, ob.len, '\n') == 1, "exit record spans lines");
		FUZZ_CHECK(jc_json_compact_object(ob.data, ob.len - 1), "invalid exit record: %.*s",
			   (int)ob.len, ob.data);
		outbuf_reset(&ob);
		output_text_exit(&ob, &tf, x, name, opts);
		FUZZ_CHECK(!ob.alloc_failed, "allocation failed");
		check_text(&ob, opts && opts->color);
		outbuf_free(&ob);
	}
}

/* The same bytes as an exit record, as is and made consistent. */
static void try_exit(const uint8_t *data, size_t size)
{
	struct ew_exit x;
	char *exe;
	int err;

	err = decode_exit(data, size, &x);
	FUZZ_CHECK(err == 0 || err == -EINVAL || err == -EPROTO || err == -EMSGSIZE,
		   "undocumented error %d", err);
	if (!err)
		render_exit(&x, "/usr/bin/true");
	if (size < sizeof(x))
		return;
	memcpy(&x, data, sizeof(x));
	x.hdr.size = sizeof(x);
	x.hdr.type = EW_EVENT_EXIT;
	FUZZ_CHECK(decode_exit(&x, sizeof(x), &x) == 0, "a consistent exit record was rejected");
	/* The process table's executable: the rest of the input, up to a NUL. */
	exe = strndup((const char *)data + sizeof(x), size - sizeof(x));
	FUZZ_CHECK(exe != NULL, "strndup");
	render_exit(&x, exe);
	free(exe);
}

/* min(want, max, *left), taken from *left. */
static size_t take(size_t want, size_t max, size_t *left)
{
	if (want > max)
		want %= max + 1;
	if (want > *left)
		want = *left;
	*left -= want;
	return want;
}

/*
 * Make the header and lengths consistent; returns the record's new size.
 * Payload: filename | argv | exe | cwd | interp | caller_argv. The lengths
 * after argv keep what the input says (bounded by what is there); argv gets
 * the rest.
 */
/* The same bytes as a fork record (--ancestors): accepted only when exact. */
static void try_fork(const uint8_t *data, size_t size)
{
	struct ew_fork f;
	int err = decode_fork(data, size, &f);

	FUZZ_CHECK(err == 0 || err == -EINVAL || err == -EPROTO || err == -EMSGSIZE,
		   "undocumented error %d", err);
	FUZZ_CHECK(err || (size == sizeof(f) && f.hdr.type == EW_EVENT_FORK),
		   "an inconsistent fork record was accepted");
}

/* Make the header and lengths consistent; returns the record's new size. */
static size_t fix_up(unsigned char *record, size_t size)
{
	struct ew_exec e;
	size_t left, filename_len, argv_len, exe_len, cwd_len, interp_len, caller_len, i;

	memcpy(&e, record, sizeof(e));
	left = size - sizeof(e);
	filename_len = take(e.filename_len, EW_FILENAME_MAX, &left);
	exe_len = take(e.file.exe_len, EW_PATH_PAYLOAD_MAX, &left);
	cwd_len = take(e.file.cwd_len, EW_PATH_PAYLOAD_MAX, &left);
	interp_len = take(e.file.interp_len, EW_FILENAME_MAX, &left);
	caller_len = take(e.tamper.caller_argv_len, EW_ARGV_CEILING_BYTES, &left);
	argv_len = left > EW_ARGV_CEILING_BYTES ? EW_ARGV_CEILING_BYTES : left;
	for (i = 0; i < filename_len; i++)
		if (!record[sizeof(e) + i])
			record[sizeof(e) + i] = 0x80; /* a stray continuation byte */
	/* Paths hold no NUL either (the kernel's d_path), whatever decode checks now. */
	for (i = 0; i < exe_len + cwd_len + interp_len; i++)
		if (!record[sizeof(e) + filename_len + argv_len + i])
			record[sizeof(e) + filename_len + argv_len + i] = 0x80;
	size = sizeof(e) + filename_len + argv_len + exe_len + cwd_len + interp_len + caller_len;
	e.hdr.size = (uint32_t)size;
	e.hdr.type = e.hdr.type & 1 ? EW_EVENT_EXEC : EW_EVENT_EXEC_FAILED;
	e.filename_len = (uint16_t)filename_len;
	e.argv_len = (uint32_t)argv_len;
	e.file.exe_len = (uint16_t)exe_len;
	e.file.cwd_len = (uint16_t)cwd_len;
	e.file.interp_len = (uint16_t)interp_len;
	e.tamper.caller_argv_len = (uint32_t)caller_len;
	if (e.argv_true_len < e.argv_len)
		e.argv_true_len = e.argv_len;
	memcpy(record, &e, sizeof(e));
	return size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct exec_view view;
	unsigned char *copy, *exact;
	size_t fixed_size;
	int err;

	/* libFuzzer's data is a heap block of exactly size bytes: ASan sees overreads. */
	try_exit(data, size);
	try_fork(data, size);
	err = decode_exec(data, size, &view);
	FUZZ_CHECK(err == 0 || err == -EINVAL || err == -EPROTO || err == -EMSGSIZE,
		   "undocumented error %d", err);
	if (!err)
		render(data, size, &view);
	if (size < sizeof(struct ew_exec))
		return 0;

	copy = malloc(size);
	FUZZ_CHECK(copy != NULL, "malloc");
	memcpy(copy, data, size);
	fixed_size = fix_up(copy, size);
	/* Again a block of exactly the record's size. */
	exact = malloc(fixed_size);
	FUZZ_CHECK(exact != NULL, "malloc");
	memcpy(exact, copy, fixed_size);
	free(copy);
	err = decode_exec(exact, fixed_size, &view);
	FUZZ_CHECK(err == 0, "a consistent record was rejected: %d", err);
	render(exact, fixed_size, &view);
	free(exact);
	return 0;
}
