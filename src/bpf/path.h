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
 * Cost. With helper reads (direct == false, every kernel) each kernel read
 * is a helper call (~40-60 ns here), so the walk reads neighbouring fields
 * in one call where the kernel's layout allows it (ew_read_dentry(),
 * ew_read_mount(), ew_task_fs_get()): two calls per name (the dentry's
 * fields, then the name), one per mount crossed. Whether the fields are
 * neighbours is decided from their CO-RE offsets at load time; when they
 * are not, the same code reads them one by one. With direct == true (6.2+,
 * bpf_rdonly_cast()) the fields are plain loads and only the names are
 * helper calls: one per name.
 *
 * Usage. The caller owns the memory, in a per-CPU scratch map value (these
 * helpers have no maps of their own): a buffer of `size` + EW_PATH_SLACK
 * bytes, and the struct ew_path_info the walk fills (see ew_path_walk() for
 * why it must not be on the stack). `size` is the path capacity, NUL
 * included; it must be a compile-time constant and a power of two: offsets
 * are masked with size - 1 so the verifier can bound them. The slack exists
 * because the verifier checks buf + (largest offset) + (largest read) against
 * the map value and cannot see that a name is never read past the room left;
 * it is never written.
 *
 *	struct ew_task_fs tfs;				// stack is fine
 *
 *	ew_task_fs_get(&tfs, task);
 *	ew_path_bprm_exe(&s->exe_info, s->exe_buf, EW_PATH_MAX, bprm, &tfs);
 *	ew_path_cwd(&s->cwd_info, s->cwd_buf, EW_PATH_MAX, &tfs);
 *	// exe: s->exe_buf + s->exe_info.off, .len bytes, NUL-terminated
 *
 * Needs (in kernel_types.h, which the caller includes first):
 *	task_struct: fs, nsproxy; linux_binprm: file, filename, interp;
 * and the VFS types of kernel_types_path.h. Kernel requirements: bounded
 * loops (5.3), bpf_probe_read_kernel*() (5.5). No bpf_loop() (5.17); with
 * direct == false no kfuncs and no BTF pointers: it works the same from
 * tp_btf, raw_tp and classic tracepoints. direct == true needs the
 * bpf_rdonly_cast() kfunc (6.2).
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
 * (tail kept, EW_PATH_F_TRUNCATED). The loop is verified once per
 * iteration, so the bound, not the path, sets the verification cost
 * (~18,000 instructions per walk at 64).
 */
#define EW_PATH_COMPONENTS_MAX 64
/* How many mounts the chroot test climbs at most (ew_task_fs_get). */
#define EW_PATH_MOUNTS_MAX 16

/* memfd_create() names its file "memfd:" + name (mm/memfd.c, MFD_NAME_PREFIX). */
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
	/* PSEUDO, INTERNAL and the name starts with "memfd:": an exec of a memfd. */
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
	 * chrooted (chroot(2); not pivot_root(2) into a new namespace, which
	 * moves the namespace's root instead).
	 */
	EW_TASK_F_CHROOT = 1 << 0,
	/* The chroot test did not reach a conclusion (mount chain too deep, read fault). */
	EW_TASK_F_CHROOT_UNKNOWN = 1 << 1,
	/* task->fs or task->nsproxy was NULL: no root, pwd or namespace. */
	EW_TASK_F_NO_FS = 1 << 2,
};

/* What the walk needs from one mount. */
struct ew_mount_view {
	struct mount *parent; /* mnt_parent */
	struct dentry *mountpoint; /* mnt_mountpoint */
	struct dentry *root; /* mnt.mnt_root */
};

struct ew_task_fs {
	struct vfsmount *root_mnt; /* task->fs->root */
	struct dentry *root_dentry;
	struct vfsmount *pwd_mnt; /* task->fs->pwd */
	struct dentry *pwd_dentry;
	struct mnt_namespace *mnt_ns; /* task->nsproxy->mnt_ns */
	__u32 mnt_ns_inum; /* its ns.inum: /proc/PID/ns/mnt's inode */
	__u32 flags; /* enum ew_task_fs_flags */
	/*
	 * What the chroot test read on its way, kept so the walks need not
	 * read it again (most exes and cwds share the root's mount and its
	 * tree's top): root_mnt's mount (root_view, valid when root_view_mnt
	 * is root_mnt), and the top of the tree with its namespace (top_mnt,
	 * NULL when the climb did not get there).
	 */
	struct vfsmount *root_view_mnt;
	struct ew_mount_view root_view;
	struct mount *top_mnt;
	struct mnt_namespace *top_ns;
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
	/* The file's identity, filled when the walk is asked for it (else 0). */
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
 * Batched reads. One bpf_probe_read_kernel() from the first field wanted to
 * the end of the last (at most EW_SPAN_BYTES, the fields in the order the
 * code expects, else it falls back; never past the last field, so never past
 * the object), then the fields are picked out of the copy at their CO-RE
 * offsets. The offsets are immediates libbpf patches at load time, so the
 * verifier sees them, and the read's size, as constants: it checks the picks
 * as fixed stack accesses and drops whichever branch (batched or one by one)
 * the running kernel's layout does not take.
 */
#define EW_SPAN_BYTES 48

/* -DEW_PATH_BATCH_READS=0 forces the one-by-one reads (to test them). */
#ifndef EW_PATH_BATCH_READS
#define EW_PATH_BATCH_READS 1
#endif

/*
 * Optional reads, one helper call each, for callers that use them:
 * ew_task_fs.mnt_ns_inum and ew_path_info.magic (execwatch gets the
 * namespace inode elsewhere and does not report the magic: it sets both 0).
 */
#ifndef EW_PATH_NS_INUM
#define EW_PATH_NS_INUM 1
#endif
#ifndef EW_PATH_FS_MAGIC
#define EW_PATH_FS_MAGIC 1
#endif

/* Is [off, off + size) inside the span starting at base, and aligned? */
#define EW_IN_SPAN(base, off, size) \
	((off) >= (base) && (off) + (size) <= (base) + EW_SPAN_BYTES && !((off) & ((size)-1)))

#define EW_SPAN_PICK(span, base, off, type) (*(type *)((char *)(span) + ((off) - (base))))

/*
 * Direct loads (the `direct` argument of the readers below): on 6.2+,
 * bpf_rdonly_cast() turns a kernel address held as a number back into a
 * typed pointer, and its fields are read with plain loads, which the JIT
 * guards like probe reads (a fault reads 0), at about a nanosecond each
 * instead of a 40-60 ns helper call. A program with a kfunc call does not
 * load on kernels without that kfunc, so the callers instantiate the walk
 * twice and the loader loads one of the two programs (weak: the object
 * still opens on older kernels).
 */
#ifndef EW_NO_KFUNC
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;
#define EW_CAST(type, p) ((type *)bpf_rdonly_cast((const void *)(p), bpf_core_type_id_kernel(type)))
#else
/*
 * The build for kernels without the kfunc (the Makefile's _nokfunc object):
 * no extern at all. libbpf 1.1 looks a weak kfunc that vmlinux lacks up in
 * module BTF too, and listing BTF objects needs CAP_SYS_ADMIN: with only
 * CAP_BPF and CAP_PERFMON on 5.11-6.1 the object would not load. The direct
 * program is still compiled (the skeleton's layout must be the same) but is
 * never loaded from this object, so the plain cast is never verified.
 */
#define EW_CAST(type, p) ((type *)(unsigned long)(p))
#endif

/* What the walk needs from one dentry. */
struct ew_dentry_view {
	struct dentry *parent; /* d_parent */
	const unsigned char *name; /* d_name.name */
	__u32 len; /* d_name.len */
	bool hashed; /* d_hash.pprev != NULL: !d_unhashed() */
	struct inode *inode; /* d_inode */
};

/*
 * d_hash.pprev, d_parent, d_name and d_inode follow each other in struct
 * dentry in every kernel since 3.x (40 bytes on 64-bit).
 */
static __always_inline void ew_read_dentry(struct dentry *d, struct ew_dentry_view *v,
					   const bool direct)
{
	__u64 span[EW_SPAN_BYTES / 8];
	__u32 base = bpf_core_field_offset(struct dentry, d_hash.pprev);
	__u32 o_parent = bpf_core_field_offset(struct dentry, d_parent);
	__u32 o_len = bpf_core_field_offset(struct dentry, d_name.len);
	__u32 o_name = bpf_core_field_offset(struct dentry, d_name.name);
	__u32 o_inode = bpf_core_field_offset(struct dentry, d_inode);

	if (direct) {
		struct dentry *dd = EW_CAST(struct dentry, d);

		v->hashed = dd->d_hash.pprev != NULL;
		v->parent = dd->d_parent;
		v->len = dd->d_name.len;
		v->name = dd->d_name.name;
		v->inode = dd->d_inode;
		return;
	}
	if (EW_PATH_BATCH_READS && base < o_parent && o_parent < o_len && o_len < o_name &&
	    o_name < o_inode && EW_IN_SPAN(base, o_parent, 8) && EW_IN_SPAN(base, o_len, 4) &&
	    EW_IN_SPAN(base, o_name, 8) && EW_IN_SPAN(base, o_inode, 8) && !(base & 7)) {
		/* On a fault the helper zeroes span: every field reads as NULL/0. */
		bpf_probe_read_kernel(span, o_inode + 8 - base, (const char *)d + base);
		v->hashed = span[0] != 0;
		v->parent = EW_SPAN_PICK(span, base, o_parent, struct dentry *);
		v->len = EW_SPAN_PICK(span, base, o_len, __u32);
		v->name = EW_SPAN_PICK(span, base, o_name, const unsigned char *);
		v->inode = EW_SPAN_PICK(span, base, o_inode, struct inode *);
		return;
	}
	v->hashed = BPF_CORE_READ(d, d_hash.pprev) != NULL;
	v->parent = BPF_CORE_READ(d, d_parent);
	v->len = BPF_CORE_READ(d, d_name.len);
	v->name = BPF_CORE_READ(d, d_name.name);
	v->inode = BPF_CORE_READ(d, d_inode);
}

/* The identity fields of an inode. */
struct ew_inode_view {
	struct super_block *sb; /* i_sb */
	__u64 ino; /* i_ino */
	__u32 nlink; /* i_nlink */
};

/* i_sb, (i_mapping, i_security,) i_ino and i_nlink follow each other in struct inode. */
static __always_inline void ew_read_inode(struct inode *inode, struct ew_inode_view *v,
					  const bool direct)
{
	__u64 span[EW_SPAN_BYTES / 8];
	__u32 base = bpf_core_field_offset(struct inode, i_sb);
	__u32 o_ino = bpf_core_field_offset(struct inode, i_ino);
	__u32 o_nlink = bpf_core_field_offset(struct inode, i_nlink);

	if (direct) {
		struct inode *in = EW_CAST(struct inode, inode);

		v->sb = in->i_sb;
		v->ino = in->i_ino;
		v->nlink = in->i_nlink;
		return;
	}
	if (EW_PATH_BATCH_READS && base < o_ino && o_ino < o_nlink && EW_IN_SPAN(base, o_ino, 8) &&
	    EW_IN_SPAN(base, o_nlink, 4) && !(base & 7)) {
		bpf_probe_read_kernel(span, o_nlink + 4 - base, (const char *)inode + base);
		v->sb = (struct super_block *)span[0];
		v->ino = EW_SPAN_PICK(span, base, o_ino, __u64);
		v->nlink = EW_SPAN_PICK(span, base, o_nlink, __u32);
		return;
	}
	v->sb = BPF_CORE_READ(inode, i_sb);
	v->ino = BPF_CORE_READ(inode, i_ino);
	v->nlink = BPF_CORE_READ(inode, i_nlink);
}

/* mnt_parent, mnt_mountpoint and mnt (mnt_root first) follow each other in struct mount. */
static __always_inline void ew_read_mount(struct mount *m, struct ew_mount_view *v,
					  const bool direct)
{
	__u64 span[EW_SPAN_BYTES / 8];
	__u32 base = bpf_core_field_offset(struct mount, mnt_parent);
	__u32 o_mp = bpf_core_field_offset(struct mount, mnt_mountpoint);
	__u32 o_root = bpf_core_field_offset(struct mount, mnt.mnt_root);

	if (direct) {
		struct mount *mm = EW_CAST(struct mount, m);

		v->parent = mm->mnt_parent;
		v->mountpoint = mm->mnt_mountpoint;
		v->root = mm->mnt.mnt_root;
		barrier(); /* never merged with a load from map memory (root_view) */
		return;
	}
	if (EW_PATH_BATCH_READS && base < o_mp && o_mp < o_root && EW_IN_SPAN(base, o_mp, 8) &&
	    EW_IN_SPAN(base, o_root, 8) && !(base & 7)) {
		bpf_probe_read_kernel(span, o_root + 8 - base, (const char *)m + base);
		v->parent = (struct mount *)span[0];
		v->mountpoint = EW_SPAN_PICK(span, base, o_mp, struct dentry *);
		v->root = EW_SPAN_PICK(span, base, o_root, struct dentry *);
		return;
	}
	v->parent = BPF_CORE_READ(m, mnt_parent);
	v->mountpoint = BPF_CORE_READ(m, mnt_mountpoint);
	v->root = BPF_CORE_READ(m, mnt.mnt_root);
}

/*
 * Root, pwd, namespace and chroot state of `task` (the current task at exec
 * time). fs->root and fs->pwd (two struct paths, next to each other) are read
 * in one call: get_fs_root_and_pwd_rcu() reads them under fs->seq; at exec
 * nothing changes them.
 *
 * Chroot test: climb from fs->root across mount roots, as the walk would.
 * When the climb reaches the root of the mount tree (mnt_parent == itself)
 * without meeting a dentry that would add a name, fs->root is the tree's
 * root: "/" for the namespace. Any such dentry on the way means the root is
 * some directory below it: chroot. A root on a tree of another namespace
 * (rare: a chroot into a detached tree) also counts as chroot.
 */
/*
 * task->fs and task->nsproxy: neighbours in task_struct (fs, files, io_uring,
 * nsproxy), so one read when the layout allows it.
 */
static __always_inline void ew_read_task_fs_ns(struct task_struct *task, struct fs_struct **fs,
					       struct nsproxy **nsproxy, const bool direct)
{
	__u64 span[EW_SPAN_BYTES / 8];
	__u32 base = bpf_core_field_offset(struct task_struct, fs);
	__u32 o_ns = bpf_core_field_offset(struct task_struct, nsproxy);

	if (direct) {
		struct task_struct *tt = EW_CAST(struct task_struct, task);

		*fs = tt->fs;
		*nsproxy = tt->nsproxy;
		return;
	}
	if (EW_PATH_BATCH_READS && base < o_ns && EW_IN_SPAN(base, o_ns, 8) && !(base & 7)) {
		bpf_probe_read_kernel(span, o_ns + 8 - base, (const char *)task + base);
		*fs = (struct fs_struct *)span[0];
		*nsproxy = EW_SPAN_PICK(span, base, o_ns, struct nsproxy *);
		return;
	}
	*fs = BPF_CORE_READ(task, fs);
	*nsproxy = BPF_CORE_READ(task, nsproxy);
}

static __always_inline void ew_task_fs_get(struct ew_task_fs *t, struct task_struct *task,
					   const bool direct)
{
	struct fs_struct *fs;
	struct nsproxy *nsproxy;
	__u32 base = bpf_core_field_offset(struct fs_struct, root.mnt);
	__u32 o_rd = bpf_core_field_offset(struct fs_struct, root.dentry);
	__u32 o_pm = bpf_core_field_offset(struct fs_struct, pwd.mnt);
	__u32 o_pd = bpf_core_field_offset(struct fs_struct, pwd.dentry);
	__u64 span[EW_SPAN_BYTES / 8];
	struct ew_mount_view mv;
	struct mnt_namespace *ns;
	struct vfsmount *vfsmnt;
	struct dentry *dentry;
	struct mount *mnt;
	bool decided = false;
	__u32 i;

	ew_read_task_fs_ns(task, &fs, &nsproxy, direct);
	/*
	 * No early return on a NULL fs or nsproxy (exiting tasks only): reading
	 * through NULL fails and yields 0 at run time, and the verifier keeps
	 * seeing unknown values instead of a NULL constant, which would split
	 * every later comparison against them into more states to verify.
	 */
	t->flags = 0;
	if (direct) {
		struct fs_struct *ff = EW_CAST(struct fs_struct, fs);

		ns = EW_CAST(struct nsproxy, nsproxy)->mnt_ns;
		t->mnt_ns = ns;
		t->mnt_ns_inum = EW_PATH_NS_INUM ? EW_CAST(struct mnt_namespace, ns)->ns.inum : 0;
		t->root_mnt = ff->root.mnt;
		t->root_dentry = ff->root.dentry;
		t->pwd_mnt = ff->pwd.mnt;
		t->pwd_dentry = ff->pwd.dentry;
	} else {
		ns = BPF_CORE_READ(nsproxy, mnt_ns);
		t->mnt_ns = ns;
		/* Locals only inside BPF_CORE_READ(): it relocates the whole expression. */
		t->mnt_ns_inum = EW_PATH_NS_INUM ? BPF_CORE_READ(ns, ns.inum) : 0;
		if (EW_PATH_BATCH_READS && base < o_rd && o_rd < o_pm && o_pm < o_pd &&
		    EW_IN_SPAN(base, o_rd, 8) && EW_IN_SPAN(base, o_pm, 8) &&
		    EW_IN_SPAN(base, o_pd, 8) && !(base & 7)) {
			/* fs_struct ends with pwd: a fixed 48-byte read would overrun it. */
			bpf_probe_read_kernel(span, o_pd + 8 - base, (const char *)fs + base);
			t->root_mnt = (struct vfsmount *)span[0];
			t->root_dentry = EW_SPAN_PICK(span, base, o_rd, struct dentry *);
			t->pwd_mnt = EW_SPAN_PICK(span, base, o_pm, struct vfsmount *);
			t->pwd_dentry = EW_SPAN_PICK(span, base, o_pd, struct dentry *);
		} else {
			t->root_mnt = BPF_CORE_READ(fs, root.mnt);
			t->root_dentry = BPF_CORE_READ(fs, root.dentry);
			t->pwd_mnt = BPF_CORE_READ(fs, pwd.mnt);
			t->pwd_dentry = BPF_CORE_READ(fs, pwd.dentry);
		}
	}
	if (!fs || !ns)
		t->flags |= EW_TASK_F_NO_FS;

	vfsmnt = t->root_mnt;
	dentry = t->root_dentry;
	t->root_view_mnt = NULL;
	t->top_mnt = NULL;
	t->top_ns = NULL;
	for (i = 0; i < EW_PATH_MOUNTS_MAX && vfsmnt; i++) {
		mnt = ew_real_mount(vfsmnt);
		ew_read_mount(mnt, &mv, direct);
		if (i == 0) {
			t->root_view = mv;
			t->root_view_mnt = vfsmnt;
		}
		if (dentry != mv.root) {
			/* A directory inside a mount: __prepend_path() would name it. */
			t->flags |= EW_TASK_F_CHROOT;
			decided = true;
			break;
		}
		if (!mv.parent)
			break;
		if (mv.parent == mnt) {
			/* The root of the tree: is it the task's namespace's tree? */
			t->top_mnt = mnt;
			t->top_ns = direct ? EW_CAST(struct mount, mnt)->mnt_ns :
					     BPF_CORE_READ(mnt, mnt_ns);
			if (t->top_ns != ns)
				t->flags |= EW_TASK_F_CHROOT;
			decided = true;
			break;
		}
		dentry = mv.mountpoint;
		vfsmnt = ew_vfsmount(mv.parent);
	}
	if (!decided)
		t->flags |= EW_TASK_F_CHROOT_UNKNOWN;
}

/*
 * prepend_name(): put "/" + the name in front of buf[*offp..]. Returns false
 * when the walk must stop (no room: tail kept; or a bad name).
 *
 * Why _str and the restore: bpf_probe_read_kernel_str() always writes a NUL,
 * which lands on buf[*offp], the '/' of the component prepended before (or
 * the final NUL). It stops early at a NUL in the source, which shows a name
 * shorter than the d_name.len read with it: a d_move() raced with us
 * (prepend_name() has the same race and copies "very carefully" for it).
 *
 * Why the masks: they are no-ops at run time (the checks before them already
 * hold), but they give the verifier the same view of the offset, [0, size),
 * on every iteration, whatever the names were. Without them it tracks the
 * exact range of each offset, no two loop iterations look alike, state
 * pruning fails and a 64-iteration walk exceeds the 1M-instruction limit.
 */
static __always_inline bool ew_path_prepend_name(char *buf, const __u32 size, __u32 *offp,
						 const struct ew_dentry_view *dv, __u32 *flags)
{
	__u32 len = dv->len;
	__u32 off = *offp & (size - 1);
	__u32 start;
	long n;

	if (!dv->name || len == 0 || len > EW_PATH_NAME_MAX) {
		*flags |= EW_PATH_F_FAULT;
		return false;
	}
	if (len + 1 > off) {
		/* prepend() would set p->len < 0: ENAMETOOLONG. We keep the tail. */
		*flags |= EW_PATH_F_TRUNCATED;
		return false;
	}
	start = (off - len - 1) & (size - 1);
	/* The compiler knows len <= NAME_MAX already; keep the mask anyway. */
	barrier_var(len);
	len &= EW_PATH_NAME_MAX;
	/* Writes buf[start + 1 .. start + len + 1]: within size + EW_PATH_SLACK. */
	n = bpf_probe_read_kernel_str(buf + start + 1, len + 1, dv->name);
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
 * file), filling `info` and buf[info->off .. size - 1]; with `ident`, also
 * the file's identity and link count. tfs (the task's root and namespace)
 * comes from ew_task_fs_get().
 *
 * `info`, like `buf`, must be in map memory (the scratch value), not on the
 * stack. The verifier tracks stack values exactly; a caller that later
 * branches on info->flags would have it mark the flags precise all the way
 * back into the loop, no two iterations would look alike and the walk would
 * no longer verify. Values loaded from a map are unknown to it. For the same
 * reason the flags are ORed into info->flags, never kept in a register, and
 * nothing here branches on them; and `off` starts as a value reloaded from
 * the map.
 */
static __always_inline void ew_path_walk(struct ew_path_info *info, char *buf, const __u32 size,
					 struct vfsmount *vfsmnt, struct dentry *dentry,
					 const struct ew_task_fs *tfs, const bool ident,
					 const bool direct)
{
	struct mnt_namespace *ns = NULL;
	struct ew_dentry_view dv;
	struct ew_mount_view mv;
	struct mount *mnt;
	__u32 off, i;
	bool top = false, pseudo = false, stopped = false;

	buf[size - 1] = '\0';
	info->flags = 0;
	info->root_off = size - 1;
	info->off = size - 1;
	info->len = 0;
	info->dev = 0;
	info->ino = 0;
	info->magic = 0;
	info->nlink = 0;
	if (!vfsmnt || !dentry) {
		info->flags = EW_PATH_F_FAULT;
		return;
	}

	ew_read_dentry(dentry, &dv, direct);
	/* d_unlinked(dentry): d_unhashed(dentry) && !IS_ROOT(dentry). */
	if (!dv.hashed && dv.parent != dentry)
		info->flags |= EW_PATH_F_DELETED;
	if (ident) {
		/*
		 * What stat(2) reports (generic_fillattr(): st_dev is
		 * inode->i_sb->s_dev, st_ino is inode->i_ino). Not for btrfs
		 * subvolumes, whose getattr reports an anonymous st_dev.
		 */
		struct inode *inode = dv.inode;
		struct ew_inode_view iv;
		struct super_block *sb;

		ew_read_inode(inode, &iv, direct);
		/* A local: BPF_CORE_READ() would relocate iv.sb too. */
		sb = iv.sb;
		info->dev = direct ? EW_CAST(struct super_block, sb)->s_dev :
				     BPF_CORE_READ(sb, s_dev);
		if (EW_PATH_FS_MAGIC)
			info->magic = BPF_CORE_READ(sb, s_magic);
		info->ino = iv.ino;
		info->nlink = iv.nlink;
		if (!info->nlink)
			info->flags |= EW_PATH_F_NLINK0;
	}

	mnt = ew_real_mount(vfsmnt);
	if (vfsmnt == tfs->root_view_mnt)
		mv = tfs->root_view; /* read by the chroot test already */
	else
		ew_read_mount(mnt, &mv, direct);
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
		if (dentry == mv.root) {
			if (mv.parent && mv.parent != mnt) {
				/* Cross to the mount point in the parent mount. */
				dentry = mv.mountpoint;
				mnt = mv.parent;
				vfsmnt = ew_vfsmount(mnt);
				ew_read_mount(mnt, &mv, direct);
				/* That dentry's fields, for the next iteration. */
				ew_read_dentry(dentry, &dv, direct);
				continue;
			}
			/* "Global root" in __prepend_path(). */
			ns = mnt == tfs->top_mnt ? tfs->top_ns :
			     direct		 ? EW_CAST(struct mount, mnt)->mnt_ns :
						   BPF_CORE_READ(mnt, mnt_ns);
			top = true;
			break;
		}
		if (dv.parent == dentry) {
			/*
			 * IS_ROOT() but not the mount's root: __prepend_path()
			 * returns 3 ("Escaped?") here, but d_path() never gets
			 * that far for pseudo files: their d_op->d_dname names
			 * them, e.g. simple_dname() "/memfd:NAME (deleted)"
			 * (alloc_file_pseudo() sets anon_ops). Name it so.
			 */
			if (ew_path_prepend_name(buf, size, &off, &dv, &info->flags)) {
				pseudo = true;
				ns = BPF_CORE_READ(mnt, mnt_ns);
				top = true;
			}
			stopped = true;
			break;
		}
		if (!dv.parent) {
			info->flags |= EW_PATH_F_FAULT;
			stopped = true;
			break;
		}
		if (!ew_path_prepend_name(buf, size, &off, &dv, &info->flags)) {
			stopped = true; /* TRUNCATED or FAULT is set */
			break;
		}
		dentry = dv.parent;
		/*
		 * A mount's root is never named (the next round crosses or
		 * stops there, reading what it needs): skip its fields.
		 */
		if (dentry != mv.root)
			ew_read_dentry(dentry, &dv, direct);
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

/*
 * The file the kernel executes, with its identity: bprm->file at
 * sched_process_exec. For a #! script, exec_binprm() has by then swapped in
 * the interpreter (bprm->file = bprm->interpreter, once per binfmt_script
 * level), so this is the final interpreter; for an ELF with PT_INTERP it is
 * the program, not ld.so (load_elf_binary() opens the loader separately); for
 * `ld.so PROG` it is ld.so. begin_new_exec() made the same file the new mm's
 * exe_file (/proc/PID/exe).
 */
static __always_inline void ew_path_file(struct ew_path_info *info, char *buf, const __u32 size,
					 struct file *file, const struct ew_task_fs *tfs,
					 const bool direct)
{
	__u32 o_mnt = bpf_core_field_offset(struct file, f_path.mnt);
	__u32 o_dentry = bpf_core_field_offset(struct file, f_path.dentry);
	struct vfsmount *mnt;
	struct dentry *dentry;
	__u64 both[2];

	/* struct path is {mnt, dentry}: one read for both when the layout agrees. */
	if (direct) {
		struct file *f = EW_CAST(struct file, file);

		mnt = f->f_path.mnt;
		dentry = f->f_path.dentry;
	} else if (EW_PATH_BATCH_READS && o_dentry == o_mnt + 8 && !(o_mnt & 7)) {
		bpf_probe_read_kernel(both, sizeof(both), (const char *)file + o_mnt);
		mnt = (struct vfsmount *)both[0];
		dentry = (struct dentry *)both[1];
	} else {
		mnt = BPF_CORE_READ(file, f_path.mnt);
		dentry = BPF_CORE_READ(file, f_path.dentry);
	}
	ew_path_walk(info, buf, size, mnt, dentry, tfs, true, direct);
}

static __always_inline void ew_path_bprm_exe(struct ew_path_info *info, char *buf, const __u32 size,
					     struct linux_binprm *bprm,
					     const struct ew_task_fs *tfs)
{
	ew_path_file(info, buf, size, BPF_CORE_READ(bprm, file), tfs, false);
}

/*
 * The task's working directory, fs->pwd, as getcwd(2) reads it (but up to
 * the tree's root, and a deleted cwd is flagged, not an error). No identity.
 */
static __always_inline void ew_path_cwd(struct ew_path_info *info, char *buf, const __u32 size,
					const struct ew_task_fs *tfs, const bool direct)
{
	ew_path_walk(info, buf, size, tfs->pwd_mnt, tfs->pwd_dentry, tfs, false, direct);
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
