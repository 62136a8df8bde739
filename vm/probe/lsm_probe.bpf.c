// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The BPF side of the VM's BPF LSM / fentry probe (issue 6): what the exec
 * policy's `deny` needs from a kernel, in the smallest form that proves it.
 *
 *   deny_exec   lsm/bprm_check_security: counts its calls and returns -EPERM
 *               for the one file (device, inode) user space names;
 *   count_bprm  fentry/security_bprm_check: counts its calls.
 *
 * Loading alone proves little (a BPF LSM program loads and attaches even when
 * "bpf" is missing from the kernel's lsm= list; it is then never called), so
 * user space also execs the named file and checks for EPERM.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define EPERM 1

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)
struct super_block {
	__u32 s_dev;
};

struct inode {
	unsigned long i_ino;
	struct super_block *i_sb;
};

struct file {
	struct inode *f_inode;
};

struct linux_binprm {
	struct file *file;
};
#pragma clang attribute pop

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile __u64 target_ino = 0;
const volatile __u32 target_dev = 0;

__u64 lsm_calls = 0;
__u64 lsm_denied = 0;
__u64 fentry_calls = 0;

SEC("lsm/bprm_check_security")
int BPF_PROG(deny_exec, struct linux_binprm *bprm, int ret)
{
	struct inode *inode;

	if (ret)
		return ret;
	__sync_fetch_and_add(&lsm_calls, 1);
	inode = BPF_CORE_READ(bprm, file, f_inode);
	if (BPF_CORE_READ(inode, i_ino) == target_ino &&
	    BPF_CORE_READ(inode, i_sb, s_dev) == target_dev) {
		__sync_fetch_and_add(&lsm_denied, 1);
		return -EPERM;
	}
	return 0;
}

SEC("fentry/security_bprm_check")
int BPF_PROG(count_bprm, struct linux_binprm *bprm)
{
	__sync_fetch_and_add(&fentry_calls, 1);
	return 0;
}
