#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The executable, truthfully (issue 3): the exe the kernel really ran and the
# working directory, resolved in the kernel, for every way of naming a file
# that fools a tool reading paths from the syscall arguments or from /proc.
# Each case is a real exec with a unique marker; the assertions compare with
# what realpath and stat say about the same file.

load helpers

EWPATH="$BUILD/progs/ewpath"

setup() {
	setup_marked
	# The walk gives paths from the mount namespace's root: compare with realpath.
	T=$(realpath "$BATS_TEST_TMPDIR")
	cp "$NOOP" "$T/prog"
}

teardown() {
	cleanup_execwatch
	# The overlay test's mounts, when it failed before unmounting them.
	if [ -n "${T:-}" ] && [ -d "$T/ovl" ]; then
		umount "$T/ovl/merged" 2>/dev/null || true
		umount "$T/ovl/up" 2>/dev/null || true
	fi
}

# jget FIELD: FIELD of the one exec record carrying $MARK, as plain text
# (strings unquoted, null and booleans as in JSON, absent as "null").
jget() {
	jsonq "$OUT" get "$MARK" "$1" | python3 -c '
import json, sys
v = json.load(sys.stdin)
print("null" if v is None else str(v).lower() if isinstance(v, bool) else v)'
}

# A file's identity in execwatch's form: "MAJOR:MINOR INODE".
# The identity execwatch reports: inode->i_sb->s_dev, which is the MAJ:MIN
# of the file's mount in /proc/self/mountinfo, and the inode number. stat(2)
# gives the same device on most file systems, but a per-layer pseudo device
# on an overlay whose layers are on different file systems (the VM's root),
# and an anonymous one on btrfs subvolumes.
# (A path too long for realpath is on /tmp here: stat's device there.)
stat_ident() {
	local real dev
	if real=$(realpath "$1" 2>/dev/null); then
		dev=$(findmnt -n -o MAJ:MIN -T "$real" | tr -d ' ')
	else
		dev=$(stat -L -c '%Hd:%Ld' "$1")
	fi
	echo "$dev $(stat -L -c %i "$1")"
}

rec_ident() {
	echo "$(jget exe_dev) $(jget exe_ino)"
}

run_traced() {
	start_execwatch "$OUT" --json
	"$@"
	settle
	stop_execwatch
}

@test "paths: the exec program walks with plain loads on 6.2+ (bpf_rdonly_cast), with helper reads before" {
	local before progs
	before=$(bpftool prog show | sed -n 's/^\([0-9]*\): .*/\1/p' | sort)
	start_execwatch "$OUT" --json
	# Program names are cut at 15 bytes in the kernel: exec_success_di(rect).
	progs=$(bpftool prog show | grep -E '^[0-9]+: ' | sort -n |
		awk -v before="$before" 'BEGIN { n = split(before, b, "\n"); for (i = 1; i <= n; i++) old[b[i]] = 1 }
			{ id = $1; sub(":", "", id); if (!(id in old)) print }')
	echo "$progs"
	local want=' name exec_success ' not=' name exec_success_di'
	if kernel_at_least 6 2; then
		want=' name exec_success_di' not=' name exec_success '
	fi
	echo "$progs" | grep -q "$want"
	if echo "$progs" | grep -q "$not"; then
		echo "both variants loaded"
		return 1
	fi
	# Either way the record has its paths (every other test here checks them).
	"$NOOP" "$MARK"
	settle
	stop_execwatch
	[ "$(jget exe)" = "$NOOP" ]
	[ "$(jget cwd)" = "$(pwd -P)" ]
}

@test "paths: relative path: exe absolute, cwd given, filename as requested" {
	mkdir -p "$T/d/bin"
	cp "$NOOP" "$T/d/bin/prog"
	run_traced "$EWPATH" chdir-exec "$T/d" bin/prog prog @MARK@
	[ "$(jget filename)" = bin/prog ]
	[ "$(jget exe)" = "$T/d/bin/prog" ]
	[ "$(jget cwd)" = "$T/d" ]
	[ "$(rec_ident)" = "$(stat_ident "$T/d/bin/prog")" ]
	[ "$(jget exe_deleted)" = null ]
	[ "$(jget chroot)" = null ]
	[ "$(jget interp)" = null ]
	[ "$(jget mnt_ns)" = "$(stat -L -c %i /proc/self/ns/mnt)" ]
}

@test "paths: symlink chain: exe is the final target, not the link" {
	ln -s "$T/prog" "$T/l1"
	ln -s l1 "$T/l2"
	run_traced "$T/l2" "$MARK"
	[ "$(jget filename)" = "$T/l2" ]
	[ "$(jget exe)" = "$T/prog" ]
	[ "$(rec_ident)" = "$(stat_ident "$T/prog")" ]
}

@test "paths: .. and . components are resolved" {
	mkdir -p "$T/a" "$T/sub"
	cp "$NOOP" "$T/sub/prog"
	run_traced "$T/a/../sub/./prog" "$MARK"
	[ "$(jget filename)" = "$T/a/../sub/./prog" ]
	[ "$(jget exe)" = "$T/sub/prog" ]
}

@test "paths: execveat with a directory fd" {
	mkdir -p "$T/sub"
	cp "$NOOP" "$T/sub/prog"
	run_traced "$EWPATH" execveat "$T/sub" prog prog @MARK@
	[[ "$(jget filename)" =~ ^/dev/fd/[0-9]+/prog$ ]]
	[ "$(jget exe)" = "$T/sub/prog" ]
	[ "$(jget exe_from_fd)" = null ]
}

@test "paths: execve of /proc/self/fd/N and /dev/fd/N" {
	start_execwatch "$OUT" --json
	"$EWPATH" procfd "$T/prog" prog "@MARK@-proc"
	"$EWPATH" devfd "$T/prog" prog "@MARK@-dev"
	settle
	stop_execwatch
	local base=$MARK
	MARK="$base-proc"
	[[ "$(jget filename)" =~ ^/proc/self/fd/[0-9]+$ ]]
	[ "$(jget exe)" = "$T/prog" ]
	MARK="$base-dev"
	[[ "$(jget filename)" =~ ^/dev/fd/[0-9]+$ ]]
	[ "$(jget exe)" = "$T/prog" ]
	[ "$(rec_ident)" = "$(stat_ident "$T/prog")" ]
}

@test "paths: fexecve of an ordinary file: exe is the file, marked as run from an fd" {
	run_traced "$EWPATH" fexecve "$T/prog" prog @MARK@
	[[ "$(jget filename)" =~ ^/dev/fd/[0-9]+$ ]]
	[ "$(jget exe)" = "$T/prog" ]
	[ "$(jget exe_from_fd)" = true ]
	[ "$(jget exe_opath)" = null ]
	[ "$(jget exe_fileless)" = null ]
}

@test "paths: execveat of an O_PATH fd is marked" {
	run_traced "$EWPATH" opath "$T/prog" prog @MARK@
	[[ "$(jget filename)" =~ ^/dev/fd/[0-9]+$ ]]
	[ "$(jget exe)" = "$T/prog" ]
	[ "$(jget exe_opath)" = true ]
	[ "$(jget exe_from_fd)" = true ]
	[ "$(rec_ident)" = "$(stat_ident "$T/prog")" ]
}

@test "paths: memfd exec: fileless, with the memfd's name" {
	local name="ewmemfd$RANDOM"
	run_traced "$EWPATH" memfd "$name" "$NOOP" prog @MARK@
	[ "$(jget exe)" = "/memfd:$name" ]
	[ "$(jget exe_memfd)" = "$name" ]
	[ "$(jget exe_fileless)" = true ]
	[ "$(jget exe_deleted)" = null ]
	[ "$(jget exe_nlink)" = 0 ]
	[ "$(jget exe_from_fd)" = true ]
}

@test "paths: a deleted binary is marked, with its identity" {
	cp "$NOOP" "$T/del"
	local ident
	ident=$(stat_ident "$T/del")
	run_traced "$EWPATH" deleted "$T/del" prog @MARK@
	[ ! -e "$T/del" ]
	[ "$(jget exe)" = "$T/del" ]
	[ "$(jget exe_deleted)" = true ]
	[ "$(jget exe_nlink)" = 0 ]
	[ "$(rec_ident)" = "$ident" ]
}

@test "paths: #! script: filename is the script, interp and exe the interpreter" {
	printf '#!/bin/sh\nexit 0\n' >"$T/s1"
	chmod +x "$T/s1"
	run_traced "$T/s1" "$MARK"
	[ "$(jget filename)" = "$T/s1" ]
	[ "$(jget interp)" = /bin/sh ]
	[ "$(jget exe)" = "$(realpath /bin/sh)" ]
	[ "$(jsonq "$OUT" get "$MARK" argv)" = "[\"/bin/sh\", \"$T/s1\", \"$MARK\"]" ]
}

@test "paths: nested #!: the last interpreter, every script in argv" {
	printf '#!/bin/sh\nexit 0\n' >"$T/s1"
	printf '#!%s\n' "$T/s1" >"$T/s2"
	chmod +x "$T/s1" "$T/s2"
	run_traced "$T/s2" "$MARK"
	[ "$(jget filename)" = "$T/s2" ]
	[ "$(jget interp)" = /bin/sh ]
	[ "$(jget exe)" = "$(realpath /bin/sh)" ]
	[ "$(jsonq "$OUT" get "$MARK" argv)" = "[\"/bin/sh\", \"$T/s1\", \"$T/s2\", \"$MARK\"]" ]
}

@test "paths: ld.so PROG: exe is the loader, marked; the program is in argv" {
	local ldso=/lib64/ld-linux-x86-64.so.2
	[ -e "$ldso" ] || skip "no $ldso"
	run_traced "$ldso" /bin/true "$MARK"
	[ "$(jget filename)" = "$ldso" ]
	[ "$(jget exe)" = "$(realpath "$ldso")" ]
	[ "$(jget exe_ldso)" = true ]
	[ "$(jget interp)" = null ]
	[ "$(rec_ident)" = "$(stat_ident "$ldso")" ]
}

@test "paths: a program run directly is not marked as ld.so" {
	run_traced /bin/true "$MARK"
	[ "$(jget exe)" = "$(realpath /bin/true)" ]
	[ "$(jget exe_ldso)" = null ]
}

@test "paths: chroot: host path, the path inside the root, and the chroot mark" {
	mkdir -p "$T/root/bin"
	cp "$NOOP" "$T/root/bin/prog"
	run_traced "$EWPATH" chroot "$T/root" /bin/prog prog @MARK@
	[ "$(jget filename)" = /bin/prog ]
	[ "$(jget chroot)" = true ]
	[ "$(jget exe)" = "$T/root/bin/prog" ]
	[ "$(jget exe_in_root)" = /bin/prog ]
	[ "$(jget cwd)" = "$T/root" ]
	[ "$(jget cwd_in_root)" = / ]
	[ "$(jget mnt_ns)" = "$(stat -L -c %i /proc/self/ns/mnt)" ]
	[ "$(rec_ident)" = "$(stat_ident "$T/root/bin/prog")" ]
}

@test "paths: unshare -m: another mount namespace, same paths" {
	run_traced "$EWPATH" unshare-mnt "$T/prog" prog @MARK@
	local ns
	ns=$(jget mnt_ns)
	[ "$ns" != "$(stat -L -c %i /proc/self/ns/mnt)" ]
	[ "$ns" != 0 ]
	[ "$(jget exe)" = "$T/prog" ]
	[ "$(jget exe_other_ns)" = null ]
	[ "$(jget chroot)" = null ]
	# The same files as the host's: a namespace, not another root.
	[ "$(jget foreign_mnt_ns)" = true ]
}

@test "paths: pivot_root into a new root (a container): paths from its root, namespace marked" {
	mkdir -p "$T/newroot/bin"
	cp "$NOOP" "$T/newroot/bin/prog"
	start_execwatch "$OUT" --json
	"$EWPATH" pivot-root "$T/newroot" /bin/prog prog @MARK@
	local host_mark
	host_mark=$(new_marker)
	EW_MARK="$host_mark" "$EWPATH" chdir-exec "$T" ./prog prog @MARK@
	settle
	stop_execwatch
	# The walk stops at the namespace's root: the container's view of its files.
	[ "$(jget exe)" = /bin/prog ]
	[ "$(jget cwd)" = / ]
	[ "$(jget chroot)" = null ]
	[ "$(rec_ident)" = "$(stat_ident "$T/newroot/bin/prog")" ]
	# And the record says whose view that is: not the host's mount namespace.
	local host
	host=$(jsonq "$OUT" last start host_mnt_ns)
	# The initial namespace, kthreadd's (PID 1's may be hidden from us).
	[ "$host" = "$(stat -L -c %i /proc/2/ns/mnt)" ]
	[ "$(jget mnt_ns)" != "$host" ]
	[ "$(jget foreign_mnt_ns)" = true ]
	# An exec in the host's namespace is not marked.
	[ "$(jsonq "$OUT" get "$host_mark" foreign_mnt_ns)" = null ]
	[ "$(jsonq "$OUT" get "$host_mark" mnt_ns)" = "$host" ]
}

@test "paths: a path longer than the capture limit keeps its tail and is flagged" {
	local name250 deep i
	name250=$(printf 'd%.0s' $(seq 250))
	deep=$T
	for i in $(seq 18); do
		deep=$deep/$name250
	done
	# mkdir -p and cp would need the whole path (over PATH_MAX): go down step by step.
	(
		cd "$T"
		for i in $(seq 18); do
			mkdir "$name250"
			cd "$name250"
		done
		cp "$NOOP" prog
	)
	start_execwatch "$OUT" --json
	(
		cd "$T"
		for i in $(seq 18); do cd "$name250"; done
		"$EWPATH" chdir-exec . ./prog prog @MARK@
	)
	settle
	stop_execwatch
	local exe cwd
	exe=$(jget exe)
	cwd=$(jget cwd)
	[ "$(jget exe_truncated)" = true ]
	[ "$(jget cwd_truncated)" = true ]
	[ "${exe:0:1}" = / ]
	[ "${#exe}" -le 4095 ]
	[ "${#exe}" -gt $((4095 - 252)) ]
	[ "$(printf '%s' "$deep/prog" | tail -c ${#exe})" = "$exe" ]
	[ "$(printf '%s' "$deep" | tail -c ${#cwd})" = "$cwd" ]
	local ident
	ident=$(cd "$T" && for i in $(seq 18); do cd "$name250"; done && stat_ident prog)
	[ "$(rec_ident)" = "$ident" ]
}

@test "paths: a requested filename over 4095 bytes is flagged truncated; exe is whole" {
	local name
	# execveat(dirfd, NAME): the kernel names it "/dev/fd/N/NAME", 4100 bytes here.
	name="$(printf './%.0s' $(seq 2043))prog"
	[ "${#name}" -eq 4090 ]
	run_traced "$EWPATH" execveat "$T" "$name" prog @MARK@
	[ "$(jget filename_truncated)" = true ]
	[ "$(jget exe)" = "$T/prog" ]
	[ "$(jget exe_truncated)" = null ]
	local got
	got=$(jget filename)
	[ "${#got}" -eq 4095 ]
	[ "${got:0:8}" = /dev/fd/ ]
}

@test "paths: a failed exec reports its cwd and no exe" {
	mkdir -p "$T/wd"
	start_execwatch "$OUT" --json
	"$EWPATH" chdir-exec "$T/wd" ./missing missing @MARK@ || true
	settle
	stop_execwatch
	[ "$(jget error)" = ENOENT ]
	[ "$(jget exe)" = null ]
	[ "$(jget cwd)" = "$T/wd" ]
}

@test "paths: text output has exe and cwd columns, escaped and marked" {
	local dir=$T/$'bad\nname'
	mkdir -p "$dir"
	cp "$NOOP" "$dir/prog"
	start_execwatch "$OUT" --fields pid,exe,cwd,argv
	(cd "$dir" && "$EWPATH" deleted prog prog @MARK@)
	settle
	stop_execwatch
	[ "$(grep -c -a -- "$MARK" "$OUT")" = 1 ]
	local line
	line=$(grep -a -- "$MARK" "$OUT")
	echo "line: $line"
	[[ "$line" == *"\"$T/bad\\nname/prog\" [deleted]"* ]]
	[[ "$line" == *"\"$T/bad\\nname\""* ]]
	head -n 1 "$OUT" | grep -q 'EXE.*CWD'
}

@test "paths: a file on an overlay of two file systems: the overlay's device, stat's inode" {
	# Lower layer in the test directory, upper on a tmpfs of its own: two
	# file systems, as a container's overlay over a host directory.
	local ovl="$T/ovl"
	mkdir -p "$ovl/lower" "$ovl/up" "$ovl/merged"
	cp "$NOOP" "$ovl/lower/prog"
	mount -t tmpfs tmpfs "$ovl/up"
	mkdir "$ovl/up/upper" "$ovl/up/work"
	if ! mount -t overlay overlay -o "lowerdir=$ovl/lower,upperdir=$ovl/up/upper,workdir=$ovl/up/work" \
		"$ovl/merged"; then
		umount "$ovl/up"
		skip "overlayfs cannot be mounted here"
	fi
	run_traced "$EWTEST" exec "$ovl/merged/prog" prog @MARK@
	local overlay_dev stat_dev ino
	overlay_dev=$(findmnt -n -o MAJ:MIN -T "$ovl/merged" | tr -d ' ')
	stat_dev=$(stat -c '%Hd:%Ld' "$ovl/merged/prog")
	ino=$(stat -c %i "$ovl/merged/prog")
	umount "$ovl/merged"
	umount "$ovl/up"
	echo "# overlay $overlay_dev, stat $stat_dev, execwatch $(rec_ident)" >&3
	[ "$(jget exe)" = "$ovl/merged/prog" ]
	[ "$(rec_ident)" = "$overlay_dev $ino" ]
}
