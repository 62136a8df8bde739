#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Real checks of the path prototype (root): each case runs a real exec in the
# background, takes its pid ($!: bash forks, the child execs, and every case
# ends in an exec that keeps the pid), and checks the last record the
# prototype printed for that pid. Prints PASS/FAIL per case; exits 1 if any
# failed.
#
#	prototype/check.sh [BUILD_DIR]	(default: build/prototype)
#
# PP_CHECK_VERBOSE=1 prints every case's record (long paths shortened).

set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../build/prototype}
out=$(cd "$out" && pwd)
proto=$out/path_proto
helper=$out/exec_helper
static=$out/static_prog

if [ "$(id -u)" != 0 ]; then
	echo "check.sh: needs root" >&2
	exit 2
fi
for f in "$proto" "$helper" "$static"; do
	[ -x "$f" ] || { echo "check.sh: $f missing: make -C prototype" >&2; exit 2; }
done

T=$(mktemp -d /tmp/pp-check.XXXXXX)
T=$(realpath "$T")
log=$T/proto.out
pp_pid=
cleanup() {
	[ -n "$pp_pid" ] && kill -INT "$pp_pid" 2>/dev/null && wait "$pp_pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

"$proto" -v >"$log" 2>"$T/proto.err" &
pp_pid=$!
for _ in $(seq 100); do
	grep -q '^ready' "$log" 2>/dev/null && break
	sleep 0.05
done
if ! grep -q '^ready' "$log"; then
	echo "check.sh: the prototype did not start:" >&2
	tail -5 "$T/proto.err" >&2
	exit 1
fi

echo "# $(uname -r): $(grep '^ready' "$log"), $(grep '^verifier' "$log")"
fails=0
passes=0
line=

# wait_pid PID: the last record of PID, once it has exec'd its target (the
# record's filename differs from the helper's own), in $line.
wait_pid() {
	local pid=$1 i
	# The case has exited; its records may still wait in the ring buffer,
	# which the loader drains every 50 ms. Let it drain, so that the LAST
	# exec of a chain (unshare, chroot, ...) is there when we look.
	sleep 0.2
	for i in $(seq 100); do
		line=$(awk -F '\t' -v p="pid=$pid" -v h="filename=$helper" \
			'$1 == p && index($0, "\t" h "\t") == 0 { l = $0 } END { print l }' "$log")
		[ -n "$line" ] && return 0
		sleep 0.02
	done
	line=
	return 1
}

# field NAME: a field of $line (the loader escapes tabs, so split on them).
field() {
	printf '%s\n' "$line" | tr '\t' '\n' | sed -n "s/^$1=//p" | head -1
}

has_flag() { # has_flag FIELD FLAG
	case ",$(field "$1")," in *",$2,"*) return 0 ;; esac
	return 1
}

# run CMD...: start the case, wait for it, load its record.
run() {
	"$@" &
	local pid=$!
	wait "$pid"
	wait_pid "$pid"
}

# result NAME: PASS if no check() since the last result() failed.
errs=()
check() { # check DESCRIPTION TEST...
	local what=$1
	shift
	"$@" || errs+=("$what")
}
short() { [ ${#1} -le 200 ] && printf '%s' "$1" || printf '%s...(%d bytes)' "${1:0:120}" ${#1}; }
eq() { [ "$1" = "$2" ] || { echo "    got '$(short "$1")', want '$(short "$2")'" >&2; return 1; }; }
ne() { [ "$1" != "$2" ] || { echo "    got '$1', want anything else" >&2; return 1; }; }
result() {
	if [ -z "$line" ]; then
		errs+=("no record")
	fi
	if [ ${#errs[@]} -eq 0 ]; then
		echo "PASS $1"
		[ -n "${PP_CHECK_VERBOSE:-}" ] && printf '%s\n' "$line" | sed -E 's/d{250}/<250 d>/g; s/(\/d){8,}/\/d.../g; s/\t/  /g; s/^/    /' 
		passes=$((passes + 1))
	else
		echo "FAIL $1: ${errs[*]}"
		[ -n "$line" ] && printf '    record: %s\n' "$line" | cut -c1-600
		fails=$((fails + 1))
	fi
	errs=()
}

# The file's identity as stat(2) sees it, as the loader prints it: st_dev
# decoded from glibc's encoding (gnu_dev_major/minor) to major:minor.
ident() {
	local d i
	# shellcheck disable=SC2046 # two numbers
	set -- $(stat -L -c '%d %i' "$1")
	d=$1 i=$2
	echo "$((((d >> 8) & 0xfff) | ((d >> 32) & ~0xfff))):$(((d & 0xff) | ((d >> 12) & ~0xff))) $i"
}
rec_ident() { echo "$(field dev) $(field ino)"; }

host_ns=$(readlink /proc/self/ns/mnt | tr -dc 0-9)
cp "$static" "$T/prog"
mkdir -p "$T/sub" "$T/a"
cp "$static" "$T/sub/prog"

# 1. Relative path: the helper does chdir(/usr) then execve("bin/true")
# (bash would make the path absolute itself). Where /usr/bin/true is not a
# program of its own (busybox systems), a copy of ours under $T/usr.
rel_dir=/usr
if [ ! -f /usr/bin/true ] || [ -L /usr/bin/true ]; then
	rel_dir=$T/usr
	mkdir -p "$rel_dir/bin"
	cp "$static" "$rel_dir/bin/true"
fi
run "$helper" chdir-exec "$rel_dir" bin/true
check exe eq "$(field exe)" "$(realpath "$rel_dir/bin/true")"
check cwd eq "$(field cwd)" "$rel_dir"
check filename eq "$(field filename)" bin/true
check identity eq "$(rec_ident)" "$(ident "$rel_dir/bin/true")"
check not-chroot eq "$(field task_flags)" -
check mntns eq "$(field mntns)" "$host_ns"
check flags eq "$(field exe_flags)" root_seen
result "relative path (cd $rel_dir; bin/true)"

# 2. Symlink chain: l2 -> l1 -> prog.
ln -s "$T/prog" "$T/l1"
ln -s l1 "$T/l2"
run "$T/l2"
check exe eq "$(field exe)" "$T/prog"
check filename eq "$(field filename)" "$T/l2"
check identity eq "$(rec_ident)" "$(ident "$T/prog")"
result "symlink chain (ln -s twice)"

# 3. .. components.
run "$T/a/../sub/./prog"
check exe eq "$(field exe)" "$T/sub/prog"
check filename eq "$(field filename)" "$T/a/../sub/./prog"
result ".. components"

# 4. execveat with a directory fd.
run "$helper" execveat "$T/sub" prog
check exe eq "$(field exe)" "$T/sub/prog"
check filename-is-fd-path eq "$(field filename | sed 's|^/dev/fd/[0-9]*/|/dev/fd/N/|')" /dev/fd/N/prog
result "execveat(dirfd, \"prog\")"

# 5. /proc/self/fd/N and /dev/fd/N.
run "$helper" procfd "$T/prog"
check exe eq "$(field exe)" "$T/prog"
check filename eq "$(field filename | sed 's|[0-9]*$|N|')" /proc/self/fd/N
result "execve(/proc/self/fd/N)"
run "$helper" devfd "$T/prog"
check exe eq "$(field exe)" "$T/prog"
check filename eq "$(field filename | sed 's|[0-9]*$|N|')" /dev/fd/N
result "execve(/dev/fd/N)"

# 6. fexecve of an ordinary file (execveat(fd, "", AT_EMPTY_PATH)), and of an O_PATH fd.
run "$helper" fexecve "$T/prog"
check exe eq "$(field exe)" "$T/prog"
check filename eq "$(field filename | sed 's|[0-9]*$|N|')" /dev/fd/N
check flags eq "$(field exe_flags)" root_seen
result "fexecve of an ordinary file"
run "$helper" opath "$T/prog"
check exe eq "$(field exe)" "$T/prog"
check filename eq "$(field filename | sed 's|[0-9]*$|N|')" /dev/fd/N
result "execveat of an O_PATH fd"

# 7. memfd.
run "$helper" memfd ppname "$T/prog"
check exe eq "$(field exe)" /memfd:ppname
check memfd-flag has_flag exe_flags memfd
check internal-flag has_flag exe_flags internal
check pseudo-flag has_flag exe_flags pseudo
check nlink0-flag has_flag exe_flags nlink0
check tmpfs-magic eq "$(field magic)" 0x1021994
result "memfd exec (memfd:ppname)"

# 8. Deleted binary: open, unlink, exec through /proc/self/fd.
cp "$static" "$T/del"
del_ident=$(ident "$T/del")
run "$helper" deleted "$T/del"
check exe eq "$(field exe)" "$T/del"
check deleted-flag has_flag exe_flags deleted
check nlink0-flag has_flag exe_flags nlink0
check identity eq "$(rec_ident)" "$del_ident"
result "deleted binary"

# 9. Mount crossing: a file on /dev/shm (tmpfs on /dev on /).
if [ -d /dev/shm ] && cp "$static" /dev/shm/pp-check-prog 2>/dev/null; then
	run /dev/shm/pp-check-prog
	check exe eq "$(field exe)" /dev/shm/pp-check-prog
	check identity eq "$(rec_ident)" "$(ident /dev/shm/pp-check-prog)"
	rm -f /dev/shm/pp-check-prog
	result "file on another mount (/dev/shm)"
fi

# 10. Longer than the buffer: 18 directories of 250 bytes (> 4096 in all).
# mkdir/cd one level at a time: the whole path is past PATH_MAX.
name250=$(printf 'd%.0s' $(seq 250))
deep_expected=$(
	cd "$T" || exit 1
	full=$T
	for _ in $(seq 18); do
		mkdir "$name250" && cd "$name250" || exit 1
		full=$full/$name250
	done
	cp "$static" ./prog
	echo "$full"
)
deep_pid=$(
	cd "$T" || exit 1
	for _ in $(seq 18); do cd "$name250" || exit 1; done
	"$helper" chdir-exec . ./prog &
	echo $!
	wait
)
wait_pid "$deep_pid"
exe=$(field exe)
cwd=$(field cwd)
check truncated-flag has_flag exe_flags truncated
check cwd-truncated-flag has_flag cwd_flags truncated
check exe-tail-match eq "$(printf '%s' "${deep_expected}/prog" | tail -c ${#exe})" "$exe"
check exe-starts-with-slash eq "${exe:0:1}" /
check exe-fits [ ${#exe} -le 4095 ]
check exe-nearly-full [ ${#exe} -gt $((4095 - 252)) ]
check cwd-tail-match eq "$(printf '%s' "$deep_expected" | tail -c ${#cwd})" "$cwd"
result "path longer than the buffer (${#deep_expected} bytes): tail kept, flagged"
# Remove it level by level: busybox rm cannot take paths past PATH_MAX.
(
	cd "$T" || exit 1
	for _ in $(seq 18); do cd "$name250" || exit 1; done
	rm -f prog
	for _ in $(seq 18); do cd .. && rmdir "$name250"; done
)

# 11. More components than the loop bound (70 nested one-letter directories).
many=$T/m
mkdir -p "$many"
for _ in $(seq 70); do many=$many/d; done
mkdir -p "$many"
cp "$static" "$many/prog"
run "$many/prog"
exe=$(field exe)
check truncated-flag has_flag exe_flags truncated
check exe-tail-match eq "$(printf '%s' "$many/prog" | tail -c ${#exe})" "$exe"
check exe-shorter [ ${#exe} -lt ${#many} ]
result "more than 64 components: tail kept, flagged"

# 12. #! script, and a script whose interpreter is another script.
printf '#!/bin/sh\nexit 0\n' >"$T/s1"
printf '#!%s\n' "$T/s1" >"$T/s2"
chmod +x "$T/s1" "$T/s2"
run "$T/s1"
check filename eq "$(field filename)" "$T/s1"
check interp eq "$(field interp)" /bin/sh
check exe eq "$(field exe)" "$(realpath /bin/sh)"
check interp-changed has_flag x_flags interp_changed
result "#! script: filename, interp, exe"
run "$T/s2"
check filename eq "$(field filename)" "$T/s2"
check interp eq "$(field interp)" /bin/sh
check exe eq "$(field exe)" "$(realpath /bin/sh)"
check interp-changed has_flag x_flags interp_changed
result "nested #! (s2 -> s1 -> /bin/sh): filename, last interp, exe"

# 13. ld.so PROG: the kernel executes ld.so (here `ld.so --version`, which
# needs no program to load; `ld.so PROG` execs the same way).
ldso=$(ls /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1 2>/dev/null | head -1)
run "$ldso" --version >/dev/null
check exe eq "$(field exe)" "$(realpath "$ldso")"
check filename eq "$(field filename)" "$ldso"
check no-interp-change eq "$(field x_flags)" -
result "ld.so PROG"

# 14. chroot into a minimal root with a static binary.
mkdir -p "$T/root"
cp "$static" "$T/root/prog"
run chroot "$T/root" /prog
check chroot-flag has_flag task_flags chroot
check exe-from-host eq "$(field exe)" "$T/root/prog"
check exe-in-root eq "$(field exe_in_root)" /prog
check cwd-from-host eq "$(field cwd)" "$T/root"
check cwd-in-root eq "$(field cwd_in_root)" /
check filename eq "$(field filename)" /prog
check mntns eq "$(field mntns)" "$host_ns"
result "chroot DIR /prog"

# 15. A new mount namespace.
run unshare -m "$T/prog"
check mntns-differs ne "$(field mntns)" "$host_ns"
check mntns-nonzero ne "$(field mntns)" 0
check exe eq "$(field exe)" "$T/prog"
check same-ns-tree eq "$(field exe_flags)" root_seen
check not-chroot eq "$(field task_flags)" -
result "unshare -m: another mount namespace"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
