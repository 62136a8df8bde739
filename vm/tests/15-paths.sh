# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The kernel-side exe/cwd walk (src/bpf/path.h) on this VM's kernel: the
# cases of tests/kernel/paths.bats that need only ewtest and noop (relative
# path and cwd, symlink, execveat of an fd, a memfd, a #! script, a failed
# exec's cwd), asserted on the real JSON output. The walk's CO-RE reads and
# batched field spans depend on the kernel's struct layouts, which is why it
# runs on every kernel of the matrix.

paths_setup() {
	OUT="$TEST_TMP/out.json"
	MARK=$(new_marker)
	export EW_MARK="$MARK"
	# Paths are reported from the mount namespace's root: compare with readlink -f.
	D=$(readlink -f "$TEST_TMP")
	mkdir -p "$D/d"
	cp "$NOOP" "$D/d/prog"
	start_execwatch "$OUT" --json
}

test_paths_relative() {
	paths_setup
	(cd "$D/d" && "$EWTEST" exec ./prog prog @MARK@)
	ln -s "$D/d/prog" "$D/link"
	"$EWTEST" exec "$D/link" prog "@MARK@-link"
	settle
	stop_execwatch
	expect_eq "$(jget "$OUT" "\"$MARK\"" filename)" '"./prog"' filename
	expect_eq "$(jget "$OUT" "\"$MARK\"" exe)" "\"$D/d/prog\"" exe
	expect_eq "$(jget "$OUT" "\"$MARK\"" cwd)" "\"$D/d\"" cwd
	expect_match "$(jget "$OUT" "\"$MARK\"" exe_ino)" '^[1-9][0-9]*$' exe_ino
	expect_eq "$(jget "$OUT" "$MARK-link" exe)" "\"$D/d/prog\"" "exe of the symlink"
}
t "paths: relative path and symlink: exe absolute and resolved, cwd" test_paths_relative

test_paths_fd_and_memfd() {
	paths_setup
	"$EWTEST" execveat-fd "$D/d/prog" prog "@MARK@-fd"
	"$EWTEST" memfd "mfd@MARK@" "$NOOP" prog "@MARK@-memfd"
	settle
	stop_execwatch
	expect_eq "$(jget "$OUT" "$MARK-fd" exe)" "\"$D/d/prog\"" "exe of execveat(fd)"
	expect_eq "$(jget "$OUT" "$MARK-fd" exe_from_fd)" true exe_from_fd
	expect_eq "$(jget "$OUT" "$MARK-memfd" exe)" "\"/memfd:mfd$MARK\"" "memfd exe"
	expect_eq "$(jget "$OUT" "$MARK-memfd" exe_fileless)" true exe_fileless
	expect_eq "$(jget "$OUT" "$MARK-memfd" exe_memfd)" "\"mfd$MARK\"" exe_memfd
}
t "paths: execveat of an fd, memfd (fileless, named)" test_paths_fd_and_memfd

test_paths_script_and_failure() {
	paths_setup
	printf '#!/bin/sh\nexit 0\n' >"$D/s.sh"
	chmod +x "$D/s.sh"
	"$D/s.sh" "$MARK-script"
	(cd "$D/d" && "$EWTEST" exec ./missing missing "@MARK@-fail") >/dev/null
	settle
	stop_execwatch
	expect_eq "$(jget "$OUT" "$MARK-script" interp)" '"/bin/sh"' interp
	expect_eq "$(jget "$OUT" "$MARK-script" exe)" "\"$(readlink -f /bin/sh)\"" "exe of a script"
	expect_eq "$(jget "$OUT" "$MARK-fail" cwd)" "\"$D/d\"" "cwd of a failed exec"
	expect_eq "$(jget "$OUT" "$MARK-fail" exe)" null "exe of a failed exec"
}
t "paths: #! script (interp, exe), failed exec (cwd, no exe)" test_paths_script_and_failure
