/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Minimal CO-RE views of the VFS structures path.h reads: only the fields
 * touched, with the kernel's own struct and field names, relocated by libbpf
 * against the running kernel's BTF (see kernel_types.h for the scheme).
 *
 * Fields that some kernels keep inside an anonymous union (dentry::d_name,
 * file::f_path, inode::i_nlink in 6.x; qstr::len inside a union with
 * hash_len) are still found: libbpf searches anonymous members.
 *
 * Integer fields keep the kernel's width, because BPF_CORE_READ() copies
 * sizeof(local field) bytes: dev_t is u32, i_ino and s_magic are unsigned
 * long (u64 on 64-bit targets).
 *
 * task_struct, linux_binprm, nsproxy, mnt_namespace and ns_common live in
 * kernel_types.h, which must be included first; path.h needs these of their
 * fields there:
 *	task_struct:	struct fs_struct *fs; struct nsproxy *nsproxy;
 *	linux_binprm:	struct file *file; const char *interp; filename
 *	nsproxy:	struct mnt_namespace *mnt_ns; (mnt_namespace: ns.inum)
 */
#ifndef EXECWATCH_KERNEL_TYPES_PATH_H
#define EXECWATCH_KERNEL_TYPES_PATH_H

#include "kernel_types.h"

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

/* include/linux/dcache.h: a name and its length, not NUL-terminated by contract. */
struct qstr {
	__u32 len;
	const unsigned char *name;
};

/*
 * include/linux/list_bl.h. Only pprev: d_unhashed() is
 * hlist_bl_unhashed(&dentry->d_hash), i.e. !d_hash.pprev.
 */
struct hlist_bl_node {
	struct hlist_bl_node **pprev;
};

/* include/linux/dcache.h */
struct dentry {
	struct hlist_bl_node d_hash; /* unhashed: unlinked (d_unlinked) or pseudo */
	struct dentry *d_parent; /* == itself for a root (IS_ROOT) */
	struct qstr d_name;
	struct inode *d_inode;
};

/* include/linux/fs.h */
struct super_block {
	__u32 s_dev; /* dev_t, kernel encoding: major << 20 | minor */
	unsigned long s_magic; /* TMPFS_MAGIC for memfd, HUGETLBFS_MAGIC with MFD_HUGETLB */
};

/* include/linux/fs.h */
struct inode {
	struct super_block *i_sb;
	unsigned long i_ino;
	unsigned int i_nlink; /* 0: deleted (memfds are created with clear_nlink()) */
};

/* include/linux/mount.h: what a struct path points at. */
struct vfsmount {
	struct dentry *mnt_root; /* root of this mount's tree */
};

/* include/linux/path.h */
struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

/*
 * fs/mount.h: the kernel's mount, around the vfsmount that struct path holds
 * (real_mount() is container_of(mnt, struct mount, mnt)).
 */
struct mount {
	struct mount *mnt_parent; /* == itself at the root of a mount tree */
	struct dentry *mnt_mountpoint; /* the dentry it is mounted on, in mnt_parent */
	struct vfsmount mnt;
	/*
	 * The namespace holding this mount: NULL once detached (umount -l),
	 * MNT_NS_INTERNAL (ERR_PTR(-EINVAL)) for kern_mount()s such as shm_mnt,
	 * which backs memfds.
	 */
	struct mnt_namespace *mnt_ns;
};

/* include/linux/fs_struct.h */
struct fs_struct {
	struct path root; /* chroot(2) moves it; d_path() stops there */
	struct path pwd;
};

/* include/linux/fs.h */
struct file {
	struct path f_path;
	unsigned int f_flags; /* the open(2) flags: O_PATH stays set */
};

/* include/linux/fdtable.h: the fd array execveat's dirfd indexes. */
struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};

/* include/linux/fdtable.h */
struct files_struct {
	struct fdtable *fdt;
};

#pragma clang attribute pop

#endif /* EXECWATCH_KERNEL_TYPES_PATH_H */
