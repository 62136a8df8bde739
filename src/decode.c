// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Bounds-checked decoding of ring-buffer records into views.
 */
#include "decode.h"

#include <errno.h>
#include <string.h>

int decode_header(const void *data, size_t size, struct ew_header *hdr)
{
	if (!data || size < sizeof(*hdr))
		return -EINVAL;
	memcpy(hdr, data, sizeof(*hdr));
	if (hdr->size != size)
		return -EMSGSIZE;
	return 0;
}

int decode_exec(const void *data, size_t size, struct exec_view *view)
{
	const char *payload;
	size_t payload_len;
	int err;

	memset(view, 0, sizeof(*view));
	err = decode_header(data, size, &view->fixed.hdr);
	if (err)
		return err;
	if (view->fixed.hdr.type != EW_EVENT_EXEC && view->fixed.hdr.type != EW_EVENT_EXEC_FAILED)
		return -EPROTO;
	if (size < sizeof(view->fixed))
		return -EINVAL;
	memcpy(&view->fixed, data, sizeof(view->fixed));

	payload = (const char *)data + sizeof(view->fixed);
	payload_len = size - sizeof(view->fixed);
	if (view->fixed.filename_len > EW_FILENAME_MAX ||
	    view->fixed.argv_len > EW_ARGV_CEILING_BYTES ||
	    view->fixed.file.exe_len > EW_PATH_PAYLOAD_MAX ||
	    view->fixed.file.cwd_len > EW_PATH_PAYLOAD_MAX ||
	    view->fixed.file.interp_len > EW_FILENAME_MAX ||
	    view->fixed.tamper.caller_argv_len > EW_ARGV_CEILING_BYTES)
		return -EINVAL;
	if ((size_t)view->fixed.filename_len + view->fixed.argv_len + view->fixed.file.exe_len +
		    view->fixed.file.cwd_len + view->fixed.file.interp_len +
		    view->fixed.tamper.caller_argv_len !=
	    payload_len)
		return -EINVAL;
	if (view->fixed.argv_len > view->fixed.argv_true_len)
		return -EINVAL;
	/* A kernel filename never holds a NUL; one here means a corrupt record. */
	if (memchr(payload, '\0', view->fixed.filename_len))
		return -EINVAL;

	view->filename = payload;
	view->filename_len = view->fixed.filename_len;
	view->argv = payload + view->fixed.filename_len;
	view->argv_len = view->fixed.argv_len;
	view->exe = view->argv + view->argv_len;
	view->exe_len = view->fixed.file.exe_len;
	view->cwd = view->exe + view->exe_len;
	view->cwd_len = view->fixed.file.cwd_len;
	view->interp = view->cwd + view->cwd_len;
	view->interp_len = view->fixed.file.interp_len;
	view->caller_argv = view->interp + view->interp_len;
	view->caller_argv_len = view->fixed.tamper.caller_argv_len;
	view->argv_empty_at_call = view->fixed.hdr.flags & EW_F_ARGV_EMPTY_AT_CALL;
	return 0;
}

/* A fixed-size record of one type: the header checked, the whole record copied. */
static int decode_fixed(const void *data, size_t size, __u16 type, void *out, size_t out_size)
{
	struct ew_header hdr;
	int err = decode_header(data, size, &hdr);

	if (err)
		return err;
	if (hdr.type != type)
		return -EPROTO;
	if (size != out_size)
		return -EINVAL;
	memcpy(out, data, out_size);
	return 0;
}

int decode_exit(const void *data, size_t size, struct ew_exit *exit_record)
{
	return decode_fixed(data, size, EW_EVENT_EXIT, exit_record, sizeof(*exit_record));
}

int decode_fork(const void *data, size_t size, struct ew_fork *fork_record)
{
	return decode_fixed(data, size, EW_EVENT_FORK, fork_record, sizeof(*fork_record));
}

void arg_iter_init(struct arg_iter *it, const struct exec_view *view)
{
	it->pos = view->argv;
	it->end = view->argv + view->argv_len;
	/* The kernel's {""} stand-in for an empty argv is not the caller's. */
	if (view->argv_empty_at_call)
		it->pos = it->end;
}

bool arg_iter_next(struct arg_iter *it, struct arg_span *arg)
{
	const char *nul;

	if (it->pos >= it->end)
		return false;
	nul = memchr(it->pos, '\0', (size_t)(it->end - it->pos));
	arg->bytes = it->pos;
	if (nul) {
		arg->len = (size_t)(nul - it->pos);
		arg->partial = false;
		it->pos = nul + 1;
	} else {
		arg->len = (size_t)(it->end - it->pos);
		arg->partial = true;
		it->pos = it->end;
	}
	return true;
}

uint32_t exec_view_argc(const struct exec_view *view)
{
	struct arg_iter it;
	struct arg_span arg;
	uint32_t n = 0;

	if (view->argv_empty_at_call)
		return 0;
	/* The kernel had no count for these: the strings of the sys_enter copy. */
	if (view->fixed.hdr.flags & EW_F_CALLER_MEMORY_GONE) {
		arg_iter_init(&it, view);
		while (arg_iter_next(&it, &arg))
			n++;
		return n;
	}
	return view->fixed.argc;
}

bool exec_view_privilege_change(const struct exec_view *view)
{
	const struct ew_exec *e = &view->fixed;

	if (e->hdr.flags & EW_F_SECUREEXEC)
		return true;
	return (e->hdr.flags & EW_F_CALLER_KNOWN) &&
	       (e->caller_euid != e->euid || e->caller_egid != e->egid);
}

bool exec_view_argv_incomplete(const struct exec_view *view)
{
	return view->fixed.hdr.flags & (EW_F_ARGV_TRUNCATED | EW_F_ARGV_FAULT);
}
