// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Only the ELF bytes of the second skeleton are used; its open, load and
 * destroy functions (static, unused here) are execwatch_bpf's twins.
 */
#include "bpf_object_nokfunc.h"

/* bpftool's generated code casts away const (so does the function below). */
#pragma GCC diagnostic ignored "-Wcast-qual"
#pragma GCC diagnostic ignored "-Wunused-function"
#include "execwatch_nokfunc.skel.h"

void *bpf_object_nokfunc_bytes(size_t *size)
{
	return (void *)execwatch_nokfunc_bpf__elf_bytes(size);
}
