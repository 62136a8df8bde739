/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EXECWATCH_BPF_OBJECT_NOKFUNC_H
#define EXECWATCH_BPF_OBJECT_NOKFUNC_H

#include <stddef.h>

/*
 * The BPF object built without the bpf_rdonly_cast() extern (-DEW_NO_KFUNC),
 * for kernels that lack the kfunc: the same programs and maps as the one in
 * execwatch.skel.h (the build compares the skeletons), so the loader opens
 * that skeleton with these bytes instead. Sets *size; the bytes are static
 * and never written (void *: the skeleton's field is).
 */
void *bpf_object_nokfunc_bytes(size_t *size);

#endif /* EXECWATCH_BPF_OBJECT_NOKFUNC_H */
