/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The prototype's record: one per successful exec, from
 * path_proto.bpf.c to path_proto.c. Variable length: the fixed part, then
 * exe, cwd, filename and interp bytes back to back (no NULs), sent at exactly
 * their size.
 */
#ifndef PATH_PROTO_H
#define PATH_PROTO_H

#include <linux/types.h>

#define PP_STR_MAX 4096

/* x_flags */
enum pp_x_flags {
	PP_X_INTERP_CHANGED = 1 << 0, /* bprm->interp != bprm->filename: #! or binfmt_misc */
	PP_X_FILENAME_FAULT = 1 << 1,
	PP_X_INTERP_FAULT = 1 << 2,
};

/* A root_len meaning "the walk did not pass the task's root". */
#define PP_ROOT_NOT_SEEN 0xffff

/* Indexes of the per-CPU `timing` array. */
enum pp_timing {
	PP_T_TASK_NS, /* ew_task_fs_get(): fs, nsproxy, chroot test */
	PP_T_TASK_N,
	PP_T_EXE_NS, /* ew_path_bprm_exe() */
	PP_T_EXE_N,
	PP_T_CWD_NS, /* ew_path_cwd() */
	PP_T_CWD_N,
	PP_T_SENT,
	PP_T_DROPPED,
	PP_T_NR,
};

struct pp_event {
	__u64 boot_ns;
	__u32 size; /* the whole record */
	__u32 pid; /* tgid */
	__u32 exe_flags; /* enum ew_path_flags */
	__u32 cwd_flags; /* enum ew_path_flags */
	__u32 task_flags; /* enum ew_task_fs_flags */
	__u32 mnt_ns; /* task->nsproxy->mnt_ns->ns.inum */
	__u32 dev; /* exe: i_sb->s_dev, kernel encoding (major << 20 | minor) */
	__u32 nlink; /* exe: i_nlink */
	__u64 ino; /* exe: i_ino */
	__u64 magic; /* exe: i_sb->s_magic */
	__u32 x_flags; /* enum pp_x_flags */
	__u16 exe_len;
	__u16 exe_root_len; /* the last exe_root_len bytes of exe: the path inside the task's root */
	__u16 cwd_len;
	__u16 cwd_root_len;
	__u16 filename_len;
	__u16 interp_len;
	char comm[16];
	/* followed by exe[exe_len] cwd[cwd_len] filename[filename_len] interp[interp_len] */
};

#endif /* PATH_PROTO_H */
