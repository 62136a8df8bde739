/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Absolute paths of kernel `struct path`s, built in BPF the way the kernel's
 * d_path() does (fs/d_path.c: prepend_path(), __prepend_path(),
 * prepend_name()), for the exec record's exe and cwd. bpf_d_path() would do
 * this for us, but it is allowlisted for a few fentry/LSM hooks only, not for
 * tp_btf/sched_process_exec.
 *
 * The walk starts at {vfsmount, dentry} and goes up d_parent. At the root of
 * a mount (dentry == mnt->mnt_root) it crosses into the parent mount at the
 * dentry it is mounted on (mnt_mountpoint), exactly like __prepend_path(). It
 * does not stop at the task's root, as d_path() does, but goes on to the root
 * of the whole mount tree, so that a chrooted process's exe is reported as
 * the host sees it; the offset where the task's root was passed is kept, so
 * the path as the process sees it is a suffix of the same string.
 *
 * Names are written backwards from the end of the caller's buffer, as
 * prepend() does: when the path does not fit, the components nearest the
 * file (the tail) are kept and EW_PATH_F_TRUNCATED is set.
 *
 * What this cannot do that d_path() does: take rename_lock and mount_lock.
 * d_path() retries when a rename or a mount change raced with its walk; we
 * cannot read those seqlocks, so a concurrent rename of a directory on the
 * path can give a mixed old/new path (never a read out of bounds: every
 * kernel read is a bpf_probe_read_kernel*(), and each name's length is
 * checked against NAME_MAX and the room left). At sched_process_exec the exe
 * is pinned (bprm->file holds a reference), so its dentries cannot be freed
 * under us, only renamed.
 *
 * Usage. The caller owns the memory: a buffer inside a per-CPU scratch map
 * value (these helpers have no maps of their own) whose size is the path
 * capacity `size` PLUS EW_PATH_SLACK. `size` must be a compile-time constant
 * and a power of two (offsets are masked with size - 1), so the verifier can
 * bound every offset; the slack exists because the
 * verifier checks buf + (largest offset) + (largest read) against the map
 * value and cannot see that a name is never read past the room left. The
 * slack is never written.
 *
 *	struct ew_task_fs tfs;
 *	struct ew_path_info exe;
 *
 *	ew_task_fs_get(&tfs, task);
 *	ew_path_bprm_exe(&exe, scratch->exe_buf, EW_PATH_MAX, bprm, &tfs);
 *	// string: scratch->exe_buf + exe.off, exe.len bytes, NUL-terminated
 *
 * Needs (in kernel_types.h, which the caller includes first):
 *	task_struct: fs, nsproxy; linux_binprm: file, filename, interp;
 * and the VFS types of kernel_types_path.h. Kernel requirements: bounded
 * loops (5.3), bpf_probe_read_kernel*() (5.5). No bpf_loop() (5.17), no
 * kfuncs, no direct BTF pointer walks: it works the same from tp_btf, raw_tp
 * and classic tracepoints.
 */
#ifndef EXECWATCH_PATH_H
#define EXECWATCH_PATH_H

#include "kernel_types_path.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* Default capacity, including the NUL: the kernel's PATH_MAX. */
#define EW_PATH_MAX 4096
/* NAME_MAX: a longer d_name is never legitimate; we read no more. */
#define EW_PATH_NAME_MAX 255
/* Extra bytes the buffer must have after `size` (see above). */
#define EW_PATH_SLACK (EW_PATH_NAME_MAX + 1)
/*
 * Loop bound: names prepended plus mount crossings. Deeper paths are cut
 * (tail kept, EW_PATH_F_TRUNCATED). 64 keeps the verifier's work small; the
 * loop is verified once per iteration, so the bound, not the path, sets the
 * verification cost.
 */
#define EW_PATH_COMPONENTS_MAX 64
/* How many mounts the chroot test climbs at most (ew_task_fs_get). */
#define EW_PATH_MOUNTS_MAX 16

/* "memfd:" as memfd_create() names its file (mm/memfd.c, MFD_NAME_PREFIX). */
#define EW_MEMFD_PREFIX "memfd:"
#define EW_MEMFD_PREFIX_LEN 6

enum ew_path_flags {
	/* The path did not fit (bytes or components): the tail is kept. */
	EW_PATH_F_TRUNCATED = 1 << 0,
	/* A kernel read failed, or a name was shorter than its d_name.len (rename race). */
	EW_PATH_F_FAULT = 1 << 1,
	/* d_unlinked(): unhashed and not a root. d_path() appends " (deleted)". */
	EW_PATH_F_DELETED = 1 << 2,
	/* The inode has no links left (i_nlink == 0): deleted, or a memfd. */
	EW_PATH_F_NLINK0 = 1 << 3,
	/*
	 * The walk ended at a dentry that is its own parent but is not a mount
	 * root: a file made by alloc_file_pseudo() (memfd, anon inodes), whose
	 * d_path() is d_op->d_dname, e.g. simple_dname(): "/NAME (deleted)".
	 * The path is then "/NAME", as simple_dname() gives it.
	 */
	EW_PATH_F_PSEUDO = 1 << 4,
	/*
	 * The mount at the top of the walk has no namespace: mnt_ns is
	 * MNT_NS_INTERNAL (kern_mount(): shm_mnt behind memfds, pipefs, ...) or
	 * NULL (detached by umount -l). __prepend_path() returns 2 there.
	 */
	EW_PATH_F_INTERNAL = 1 << 5,
	/* PSEUDO and the name starts with "memfd:": an exec of a memfd. */
	EW_PATH_F_MEMFD = 1 << 6,
	/*
	 * The top of the walk belongs to a mount namespace other than the
	 * task's (an fd passed in from another namespace, an anonymous
	 * open_tree() clone): the path is relative to that tree's root.
	 */
	EW_PATH_F_OTHER_NS = 1 << 7,
	/* The walk passed the task's root (fs->root); root_off is valid. */
	EW_PATH_F_ROOT_SEEN = 1 << 8,
};

/* Per-task facts shared by every walk of one record (ew_task_fs_get). */
enum ew_task_fs_flags {
	/*
	 * fs->root is not the root of the task's mount tree: the task is
	 * chrooted (chroot(2), not pivot_root(2) into a new namespace, which
	 * moves the namespace's root instead).
	 */
	EW_TASK_F_CHROOT = 1 << 0,
	/* The chroot test did not reach a conclusion (mount chain too deep, read fault). */
	EW_TASK_F_CHROOT_UNKNOWN = 1 << 1,
	/* task->fs or task->nsproxy was NULL: no root, pwd or namespace. */
	EW_TASK_F_NO_FS = 1 << 2,
};

struct ew_task_fs {
	struct vfsmount *root_mnt; /* task->fs->root */
	struct dentry *root_dentry;
	struct fs_struct *fs;
	struct mnt_namespace *mnt_ns; /* task->nsproxy->mnt_ns */
	__u32 mnt_ns_inum; /* its ns.inum: /proc/PID/ns/mnt's inode */
	__u32 flags; /* enum ew_task_fs_flags */
};

struct ew_path_info {
	__u32 off; /* the string starts at buf[off]... */
	__u32 len; /* ...and is len bytes long, NUL at buf[size - 1] */
	/*
	 * Offset in buf where the walk passed the task's root: buf[root_off..]
	 * is the path as the task sees it ("" meaning "/"). Valid with
	 * EW_PATH_F_ROOT_SEEN.
	 */
	__u32 root_off;
	__u32 flags; /* enum ew_path_flags */
	__u32 dev; /* inode->i_sb->s_dev, kernel encoding: major << 20 | minor */
	__u32 nlink; /* inode->i_nlink */
	__u64 ino; /* inode->i_ino */
	__u64 magic; /* inode->i_sb->s_magic: the file system type */
};

/* IS_ERR_OR_NULL() for a kernel pointer held as a number. */
static __always_inline bool ew_is_err_or_null(const void *ptr)
{
	return !ptr || (unsigned long)ptr >= (unsigned long)-4095;
}

/*
 * real_mount() (fs/mount.h): container_of(vfsmnt, struct mount, mnt). The
 * offset of mnt inside struct mount is a CO-RE relocation, not the local one.
 */
static __always_inline struct mount *ew_real_mount(const struct vfsmount *vfsmnt)
{
	return (struct mount *)((const char *)vfsmnt - bpf_core_field_offset(struct mount, mnt));
}

/* &mnt->mnt, the inverse of ew_real_mount(). */
static __always_inline struct vfsmount *ew_vfsmount(const struct mount *mnt)
{
	return (struct vfsmount *)((const char *)mnt + bpf_core_field_offset(struct mount, mnt));
}

/*
 * Root, namespace and chroot state of `task` (the current task at exec time).
 *
 * Chroot test: climb from fs->root across mount roots, as the walk would.
 * When the climb reaches the root of the mount tree (mnt_parent == itself)
 * without meeting a dentry that would add a name, fs->root is the tree's
 * root: "/" for the namespace. Any such dentry on the way means the root is
 * some directory below it: chroot. A root on a tree of another namespace
 * (rare: a chroot into a detached tree) also counts as chroot.
 */
static __always_inline void ew_task_fs_get(struct ew_task_fs *t, struct task_struct *task)
{
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	struct mnt_namespace *ns;
	struct vfsmount *vfsmnt;
	struct dentry *dentry;
	struct mount *mnt;
	bool decided = false;
	__u32 i;

	/*
	 * No early return on a NULL fs or nsproxy (exiting tasks only): reading
	 * through NULL fails and yields 0 at run time, and the verifier keeps
	 * seeing unknown values instead of a NULL constant, which would split
	 * every later comparison against them into more states to verify.
	 */
	t->fs = fs;
	t->flags = 0;
	ns = BPF_CORE_READ(task, nsproxy, mnt_ns);
	t->mnt_ns = ns;
	/* Locals only inside BPF_CORE_READ(): it relocates the whole expression. */
	t->mnt_ns_inum = BPF_CORE_READ(ns, ns.inum);
	/* get_fs_root_rcu() reads these under fs->seq; at exec nothing changes them. */
	t->root_mnt = BPF_CORE_READ(fs, root.mnt);
	t->root_dentry = BPF_CORE_READ(fs, root.dentry);
	if (!fs || !ns)
		t->flags |= EW_TASK_F_NO_FS;

	vfsmnt = t->root_mnt;
	dentry = t->root_dentry;
	for (i = 0; i < EW_PATH_MOUNTS_MAX && vfsmnt; i++) {
		struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
		struct mount *parent;

		mnt = ew_real_mount(vfsmnt);
		if (dentry != mnt_root) {
			/* A directory inside a mount: __prepend_path() would name it. */
			t->flags |= EW_TASK_F_CHROOT;
			decided = true;
			break;
		}
		parent = BPF_CORE_READ(mnt, mnt_parent);
		if (!parent)
			break;
		if (parent == mnt) {
			/* The root of the tree: is it the task's namespace's tree? */
			if (BPF_CORE_READ(mnt, mnt_ns) != ns)
				t->flags |= EW_TASK_F_CHROOT;
			decided = true;
			break;
		}
		dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		vfsmnt = ew_vfsmount(parent);
	}
	if (!decided)
		t->flags |= EW_TASK_F_CHROOT_UNKNOWN;
}

/*
 * prepend_name(): put "/" + dentry's name in front of buf[*offp..]. Returns
 * false when the walk must stop (no room: tail kept; or a bad name).
 *
 * Why _str and the restore: bpf_probe_read_kernel_str() always writes a NUL,
 * which lands on buf[*offp], the '/' of the component prepended before (or
 * the final NUL). It stops early at a NUL in the source, which shows a name
 * shorter than the d_name.len read before it: a d_move() raced with us
 * (prepend_name() has the same race and copies "very carefully" for it).
 *
 * Why the masks: they are no-ops at run time (the checks before them already
 * hold), but they give the verifier the same view of the offset, [0, size),
 * on every iteration, whatever the names were. Without them it tracks the
 * exact range of each offset, no two loop iterations look alike, state
 * pruning fails and a 64-iteration walk exceeds the 1M-instruction limit.
 */
static __always_inline bool ew_path_prepend_name(char *buf, const __u32 size, __u32 *offp,
						 struct dentry *dentry, __u32 *flags)
{
	/* prepend_name(): smp_load_acquire(&name->name), READ_ONCE(name->len). */
	const unsigned char *name = BPF_CORE_READ(dentry, d_name.name);
	__u32 len = BPF_CORE_READ(dentry, d_name.len);
	__u32 off = *offp & (size - 1);
	__u32 start;
	long n;

	if (!name || len == 0 || len > EW_PATH_NAME_MAX) {
		*flags |= EW_PATH_F_FAULT;
		return false;
	}
	if (len + 1 > off) {
		/* prepend() would set p->len < 0: ENAMETOOLONG. We keep the tail. */
		*flags |= EW_PATH_F_TRUNCATED;
		return false;
	}
	start = (off - len - 1) & (size - 1);
	len &= EW_PATH_NAME_MAX;
	/* Writes buf[start + 1 .. start + len + 1]: within size + EW_PATH_SLACK. */
	n = bpf_probe_read_kernel_str(buf + start + 1, len + 1, name);
	/* Undo the helper's NUL on the byte that follows the name. */
	buf[off] = off == size - 1 ? '\0' : '/';
	if (n != (long)len + 1) {
		*flags |= EW_PATH_F_FAULT;
		return false;
	}
	buf[start] = '/';
	*offp = start;
	return true;
}

/*
 * Walk {vfsmnt, dentry} up to the root of its mount tree (see the top of the
 * file), filling `info` and buf[info->off .. size - 1]. tfs (for the task's
 * root and namespace) comes from ew_task_fs_get().
 *
 * `info`, like `buf`, must be in map memory (the scratch value), not on the
 * stack. The verifier tracks stack values exactly; a caller that later
 * branches on info->flags would have it mark the flags precise all the way
 * back into the loop, no two iterations would look alike and the walk would
 * no longer verify. Values loaded from a map are unknown to it. For the same
 * reason the flags are ORed into info->flags, never kept in a register, and
 * nothing here branches on them.
 */
static __always_inline void ew_path_walk(struct ew_path_info *info, char *buf, const __u32 size,
					 struct vfsmount *vfsmnt, struct dentry *dentry,
					 const struct ew_task_fs *tfs)
{
	struct dentry *mnt_root, *parent;
	struct mnt_namespace *ns = NULL;
	struct mount *mnt;
	struct inode *inode;
	__u32 off = size - 1, i;
	bool top = false, pseudo = false, stopped = false;

	buf[size - 1] = '\0';
	info->flags = 0;
	info->root_off = size - 1;
	info->off = size - 1;
	info->len = 0;
	if (!vfsmnt || !dentry) {
		info->flags = EW_PATH_F_FAULT;
		info->dev = 0;
		info->ino = 0;
		info->magic = 0;
		info->nlink = 0;
		return;
	}

	/*
	 * The file's identity: what stat(2) reports as st_dev and st_ino
	 * (generic_fillattr(): inode->i_sb->s_dev, inode->i_ino).
	 */
	inode = BPF_CORE_READ(dentry, d_inode);
	info->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	info->magic = BPF_CORE_READ(inode, i_sb, s_magic);
	info->ino = BPF_CORE_READ(inode, i_ino);
	info->nlink = BPF_CORE_READ(inode, i_nlink);
	if (!info->nlink)
		info->flags |= EW_PATH_F_NLINK0;
	/* d_unlinked(dentry): d_unhashed(dentry) && !IS_ROOT(dentry). */
	parent = BPF_CORE_READ(dentry, d_parent);
	if (!BPF_CORE_READ(dentry, d_hash.pprev) && parent != dentry)
		info->flags |= EW_PATH_F_DELETED;

	mnt = ew_real_mount(vfsmnt);
	mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
	/*
	 * off is size - 1 here; reloading it from the map makes it an unknown
	 * in [0, size) to the verifier, as it is after the first name, so the
	 * iterations before and after the first name verify as one.
	 */
	off = info->off & (size - 1);
	for (i = 0; i < EW_PATH_COMPONENTS_MAX; i++) {
		/* __d_path() would stop here; we only remember where. */
		if (dentry == tfs->root_dentry && vfsmnt == tfs->root_mnt) {
			/* Met once at most: a walk never revisits a {mount, dentry}. */
			info->flags |= EW_PATH_F_ROOT_SEEN;
			info->root_off = off;
		}
		if (dentry == mnt_root) {
			struct mount *m = BPF_CORE_READ(mnt, mnt_parent);

			if (m && m != mnt) {
				/* Cross to the mount point in the parent mount. */
				dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
				mnt = m;
				vfsmnt = ew_vfsmount(m);
				mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
				continue;
			}
			/* "Global root" in __prepend_path(). */
			ns = BPF_CORE_READ(mnt, mnt_ns);
			top = true;
			break;
		}
		parent = BPF_CORE_READ(dentry, d_parent);
		if (parent == dentry) {
			/*
			 * IS_ROOT() but not the mount's root: __prepend_path()
			 * returns 3 ("Escaped?") here, but d_path() never gets
			 * that far for pseudo files: their d_op->d_dname names
			 * them, e.g. simple_dname() "/memfd:NAME (deleted)"
			 * (alloc_file_pseudo() sets anon_ops). Name it so.
			 */
			if (ew_path_prepend_name(buf, size, &off, dentry, &info->flags)) {
				pseudo = true;
				ns = BPF_CORE_READ(mnt, mnt_ns);
				top = true;
			}
			stopped = true;
			break;
		}
		if (!parent) {
			info->flags |= EW_PATH_F_FAULT;
			stopped = true;
			break;
		}
		if (!ew_path_prepend_name(buf, size, &off, dentry, &info->flags)) {
			stopped = true; /* TRUNCATED or FAULT is set */
			break;
		}
		dentry = parent;
	}
	if (!top && !stopped)
		info->flags |= EW_PATH_F_TRUNCATED; /* more than EW_PATH_COMPONENTS_MAX */
	if (top) {
		if (ew_is_err_or_null(ns))
			info->flags |= EW_PATH_F_INTERNAL;
		else if (ns != tfs->mnt_ns)
			info->flags |= EW_PATH_F_OTHER_NS;
	}
	off &= size - 1;
	if (pseudo) {
		info->flags |= EW_PATH_F_PSEUDO;
		/*
		 * memfd_create() names its file "memfd:" + name on shm_mnt or
		 * a hugetlbfs internal mount. buf[off] is '/', the name follows.
		 */
		if (ew_is_err_or_null(ns) && off < size - EW_MEMFD_PREFIX_LEN - 1) {
			const char *p = buf + off + 1;

			if (p[0] == 'm' && p[1] == 'e' && p[2] == 'm' && p[3] == 'f' &&
			    p[4] == 'd' && p[5] == ':')
				info->flags |= EW_PATH_F_MEMFD;
		}
	}
	/* prepend_path(): an empty result is the root itself, "/". */
	if (off == size - 1 && top) {
		off = size - 2;
		buf[size - 2] = '/';
	}
	info->off = off;
	info->len = size - 1 - off;
}

/* As ew_path_walk(), for a struct path at a kernel address. */
static __always_inline void ew_path_walk_path(struct ew_path_info *info, char *buf,
					      const __u32 size, const struct path *path,
					      const struct ew_task_fs *tfs)
{
	ew_path_walk(info, buf, size, BPF_CORE_READ(path, mnt), BPF_CORE_READ(path, dentry), tfs);
}

/*
 * The file the kernel executes: bprm->file at sched_process_exec. For a #!
 * script, exec_binprm() has by then swapped in the interpreter
 * (bprm->file = bprm->interpreter, once per binfmt_script level), so this is
 * the final interpreter; for an ELF with PT_INTERP it is the program, not
 * ld.so (load_elf_binary() opens the loader separately); for `ld.so PROG` it
 * is ld.so. begin_new_exec() made the same file the new mm's exe_file
 * (/proc/PID/exe).
 */
static __always_inline void ew_path_bprm_exe(struct ew_path_info *info, char *buf,
					     const __u32 size, struct linux_binprm *bprm,
					     const struct ew_task_fs *tfs)
{
	struct file *file = BPF_CORE_READ(bprm, file);

	if (!file) {
		ew_path_walk(info, buf, size, NULL, NULL, tfs);
		return;
	}
	ew_path_walk_path(info, buf, size, &file->f_path, tfs);
}

/* The task's working directory, fs->pwd, as getcwd(2) reads it (but up to the tree's root). */
static __always_inline void ew_path_cwd(struct ew_path_info *info, char *buf, const __u32 size,
					const struct ew_task_fs *tfs)
{
	struct fs_struct *fs = tfs->fs;

	if (!fs) {
		ew_path_walk(info, buf, size, NULL, NULL, tfs);
		return;
	}
	ew_path_walk_path(info, buf, size, &fs->pwd, tfs);
}

/*
 * The names exec was given, at sched_process_exec:
 *  - bprm->filename: the path as requested (do_execveat_common()); for
 *    execveat(fd, "x") it is "/dev/fd/FD/x", for AT_EMPTY_PATH "/dev/fd/FD".
 *  - bprm->interp: starts as the same pointer (alloc_bprm()); each #! level
 *    (load_script() -> bprm_change_interp()) and binfmt_misc replace it with
 *    the interpreter's name. So interp != filename, as pointers, means an
 *    interpreter was substituted, and interp is the LAST one (the one whose
 *    file bprm->file is). The intermediate scripts of a nested #! chain are
 *    in the new argv (argv[0..] = interpreters, then the script).
 */
static __always_inline const char *ew_bprm_filename(struct linux_binprm *bprm)
{
	return BPF_CORE_READ(bprm, filename);
}

static __always_inline const char *ew_bprm_interp(struct linux_binprm *bprm)
{
	return BPF_CORE_READ(bprm, interp);
}

static __always_inline bool ew_bprm_interp_changed(struct linux_binprm *bprm)
{
	return ew_bprm_interp(bprm) != ew_bprm_filename(bprm);
}

#endif /* EXECWATCH_PATH_H */
