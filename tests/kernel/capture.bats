#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# What execwatch captures for each kind of exec: the real BPF programs, real
# execs carrying unique markers, assertions on the real JSON output.

load helpers

setup() {
	setup_marked
	start_execwatch "$OUT" --json
}

@test "plain exec: identity, filename and every argument" {
	"$EWTEST" exec "$NOOP" noop-argv0 @MARK@ second "third arg" &
	local pid=$!
	wait $pid
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK")" = 1 ]
	[ "$(jsonq "$OUT" get "$MARK" argv)" = "[\"noop-argv0\", \"$MARK\", \"second\", \"third arg\"]" ]
	[ "$(jsonq "$OUT" get "$MARK" argc)" = 4 ]
	[ "$(jsonq "$OUT" get "$MARK" filename)" = "\"$NOOP\"" ]
	[ "$(jsonq "$OUT" get "$MARK" pid)" = "$pid" ]
	[ "$(jsonq "$OUT" get "$MARK" tid)" = "$pid" ]
	[ "$(jsonq "$OUT" get "$MARK" ppid)" = "$$" ]
	[ "$(jsonq "$OUT" get "$MARK" uid)" = 0 ]
	[ "$(jsonq "$OUT" get "$MARK" euid)" = 0 ]
	[ "$(jsonq "$OUT" get "$MARK" gid)" = 0 ]
	[ "$(jsonq "$OUT" get "$MARK" ret)" = 0 ]
	[ "$(jsonq "$OUT" get "$MARK" comm)" = '"noop"' ]
	[ "$(jsonq "$OUT" get "$MARK" argv_truncated)" = false ]
	# argv_bytes counts every argument and its NUL.
	local expected=$(( ${#MARK} + 1 + 11 + 7 + 10 ))
	[ "$(jsonq "$OUT" get "$MARK" argv_bytes)" = "$expected" ]
	[ "$(jsonq "$OUT" get "$MARK" argv_true_bytes)" = "$expected" ]
	# The time is RFC 3339 UTC with nanoseconds and close to now.
	local t
	t=$(jsonq "$OUT" get "$MARK" time)
	[[ "$t" =~ ^\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z\"$ ]]
	python3 - "$t" "$EW_TIME_SCALE" <<'PY'
import datetime, json, sys
t = json.loads(sys.argv[1])
when = datetime.datetime.strptime(t[:26], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
age = (datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()
# A minute (times EXECWATCH_TIME_SCALE under emulation, where one test took two).
assert 0 <= age < 60 * int(sys.argv[2]), age
PY
}

@test "non-root caller: uid, euid and gid are the caller's" {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$EWTEST" exec "$NOOP" noop @MARK@
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" get "$MARK" uid)" = 65534 ]
	[ "$(jsonq "$OUT" get "$MARK" euid)" = 65534 ]
	[ "$(jsonq "$OUT" get "$MARK" gid)" = 65534 ]
}

@test "empty arguments are kept in place, in successful and failed execs, and compared" {
	# Kernels before the strncpy_from_user_nofault() fix read "" as length
	# 0: neither a fault nor the end of the capture (5.10, 6.1, 6.12 guests).
	"$EWTEST" exec "$NOOP" "" @MARK@-ok "" "" last
	run "$EWTEST" exec "$BATS_TEST_TMPDIR/missing" "" @MARK@-failed "" ""
	[ "$output" = "execve failed: ENOENT" ]
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" get "$MARK-ok" argv)" = "[\"\", \"$MARK-ok\", \"\", \"\", \"last\"]" ]
	[ "$(jsonq "$OUT" get "$MARK-ok" argc)" = 5 ]
	[ "$(jsonq "$OUT" get "$MARK-ok" argv_tamper_check)" = null ]
	[ "$(jsonq "$OUT" get "$MARK-failed" argv)" = "[\"\", \"$MARK-failed\", \"\", \"\"]" ]
	[ "$(jsonq "$OUT" get "$MARK-failed" argc)" = 4 ]
	[ "$(jsonq "$OUT" get "$MARK-failed" argv_fault)" = null ]
	[ "$(jsonq "$OUT" get "$MARK-failed" argv_truncated)" = false ]
}

@test "argc 0 is reported as argc 0, with the kernel's stand-in flagged" {
	# The marker is in the file name: there is no argv to carry it.
	# Make the program before tracing, so no other exec's argv names the marker.
	stop_execwatch
	cp "$NOOP" "$BATS_TEST_TMPDIR/$MARK"
	start_execwatch "$OUT" --json
	"$EWTEST" argc0 "$BATS_TEST_TMPDIR/@MARK@"
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK")" = 1 ]
	[ "$(jsonq "$OUT" get "$MARK" argc)" = 0 ]
	[ "$(jsonq "$OUT" get "$MARK" argv)" = "[]" ]
	[ "$(jsonq "$OUT" get "$MARK" argv_empty_at_call)" = true ]
	[ "$(jsonq "$OUT" get "$MARK" ret)" = 0 ]
}

@test "failed exec, ENOENT: ret, error, filename and argv as passed" {
	local missing="$BATS_TEST_TMPDIR/missing-file"
	run "$EWTEST" exec "$missing" argv0 @MARK@ x
	[ "$output" = "execve failed: ENOENT" ]
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK")" = 1 ]
	[ "$(jsonq "$OUT" get "$MARK" ret)" = -2 ]
	[ "$(jsonq "$OUT" get "$MARK" error)" = '"ENOENT"' ]
	[ "$(jsonq "$OUT" get "$MARK" syscall)" = '"execve"' ]
	[ "$(jsonq "$OUT" get "$MARK" filename)" = "\"$missing\"" ]
	[ "$(jsonq "$OUT" get "$MARK" argv)" = "[\"argv0\", \"$MARK\", \"x\"]" ]
	[ "$(jsonq "$OUT" get "$MARK" argc)" = 3 ]
	[ "$(jsonq "$OUT" get "$MARK" comm)" = '"ewtest"' ]
}

@test "an argv[] array that ends at an unmapped page: every argument, success and failure" {
	# 9 arguments + NULL: the second block of 8 pointers runs into the
	# unmapped page, so the pointers must then be read one by one.
	local missing="$BATS_TEST_TMPDIR/missing-file"
	"$EWTEST" exec-edge "$NOOP" noop @MARK@-ok a2 a3 a4 a5 a6 a7 a8
	run "$EWTEST" exec-edge "$missing" argv0 @MARK@-fail b2 b3 b4 b5 b6 b7 b8
	[ "$output" = "execve failed: ENOENT" ]
	settle
	stop_execwatch
	python3 - "$OUT" "$MARK" <<'PY'
import json, sys
out, mark = sys.argv[1], sys.argv[2]
recs = [json.loads(l) for l in open(out)]
def one(tag, typ):
    found = [r for r in recs if r["type"] == typ and f"{mark}-{tag}" in r["argv"]]
    assert len(found) == 1, (tag, len(found))
    return found[0]
ok = one("ok", "exec")
assert ok["argv"] == ["noop", f"{mark}-ok"] + [f"a{i}" for i in range(2, 9)], ok["argv"]
assert ok["argc"] == 9 and not ok["argv_truncated"], ok
# The caller's argv was captured in full and matched.
assert "argv_tamper_check" not in ok and "argv_tampered" not in ok, ok
fail = one("fail", "exec")
assert fail["ret"] == -2, fail
assert fail["argv"] == ["argv0", f"{mark}-fail"] + [f"b{i}" for i in range(2, 9)], fail["argv"]
assert fail["argc"] == 9 and not fail["argv_truncated"], fail
assert "argv_fault" not in fail, fail
PY
}

@test "failed exec, EACCES: a file without execute permission" {
	local prog="$BATS_TEST_TMPDIR/noexec"
	cp "$NOOP" "$prog"
	chmod 0644 "$prog"
	run "$EWTEST" exec "$prog" noexec @MARK@
	[ "$output" = "execve failed: EACCES" ]
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" get "$MARK" ret)" = -13 ]
	[ "$(jsonq "$OUT" get "$MARK" error)" = '"EACCES"' ]
}

@test "failed execveat reports the syscall and the dirfd" {
	printf 'not a program\n' >"$BATS_TEST_TMPDIR/data"
	chmod 0644 "$BATS_TEST_TMPDIR/data"
	run "$EWTEST" execveat-fd "$BATS_TEST_TMPDIR/data" data @MARK@
	[ "$output" = "execveat failed: EACCES" ]
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" get "$MARK" syscall)" = '"execveat"' ]
	[ "$(jsonq "$OUT" get "$MARK" ret)" = -13 ]
	[[ "$(jsonq "$OUT" get "$MARK" dirfd)" =~ ^[0-9]+$ ]]
}

@test "execveat with AT_EMPTY_PATH on an open file" {
	"$EWTEST" execveat-fd "$NOOP" noop @MARK@
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK")" = 1 ]
	[ "$(jsonq "$OUT" get "$MARK" ret)" = 0 ]
	[[ "$(jsonq "$OUT" get "$MARK" filename)" =~ ^\"/dev/fd/[0-9]+\"$ ]]
}

@test "fexecve of a memfd" {
	"$EWTEST" memfd memfd-@MARK@ "$NOOP" noop-from-memfd @MARK@
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK")" = 1 ]
	[ "$(jsonq "$OUT" get "$MARK" ret)" = 0 ]
	[ "$(jsonq "$OUT" get "$MARK" argv)" = "[\"noop-from-memfd\", \"$MARK\"]" ]
	[[ "$(jsonq "$OUT" get "$MARK" filename)" =~ ^\"/dev/fd/[0-9]+\"$ ]]
}

@test "exec from a non-leader thread: pid is the leader's, tid the thread's" {
	local log="$BATS_TEST_TMPDIR/thread.log"
	"$EWTEST" thread "$NOOP" noop @MARK@ >"$log" &
	local pid=$!
	wait $pid
	settle
	stop_execwatch
	grep -q "leader pid $pid" "$log"
	[ "$(jsonq "$OUT" count "$MARK")" = 1 ]
	[ "$(jsonq "$OUT" get "$MARK" pid)" = "$pid" ]
	[ "$(jsonq "$OUT" get "$MARK" ppid)" = "$$" ]
	local tid
	tid=$(jsonq "$OUT" get "$MARK" tid)
	[ "$tid" != "$pid" ]
	[ "$tid" -gt 0 ]
}

@test "a shell script runs through its interpreter" {
	local script="$BATS_TEST_TMPDIR/script.sh"
	printf '#!/bin/sh\nexit 0\n' >"$script"
	chmod +x "$script"
	"$script" "$MARK"
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK")" = 1 ]
	[ "$(jsonq "$OUT" get "$MARK" filename)" = "\"$script\"" ]
	# The new program's argv is what the kernel built: interpreter, script, args.
	[ "$(jsonq "$OUT" get "$MARK" argv)" = "[\"/bin/sh\", \"$script\", \"$MARK\"]" ]
}

@test "huge argv: truncated at the default 16 KiB, flagged, true length exact" {
	local args=() i
	for i in $(seq 1 300); do
		args+=("$(printf "%0999d" "$i")")
	done
	"$NOOP" "$MARK" "${args[@]}"
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK")" = 1 ]
	[ "$(jsonq "$OUT" get "$MARK" argv_truncated)" = true ]
	[ "$(jsonq "$OUT" get "$MARK" argv_bytes)" = 16384 ]
	# argv0 + marker + 300 * (999 + NUL)
	local true_len=$(( ${#NOOP} + 1 + ${#MARK} + 1 + 300 * 1000 ))
	[ "$(jsonq "$OUT" get "$MARK" argv_true_bytes)" = "$true_len" ]
	[ "$(jsonq "$OUT" get "$MARK" argc)" = 302 ]
	# The kept arguments are whole and exact; the last kept one is cut.
	python3 - "$OUT" "$MARK" <<'PY'
import json, sys
rec = [json.loads(l) for l in open(sys.argv[1]) if sys.argv[2] in l][0]
argv = rec["argv"]
assert argv[1] == sys.argv[2], argv[:2]
full = [a for a in argv[2:-1]]
assert all(a == "%0999d" % (i + 1) for i, a in enumerate(full)), "kept args differ"
assert len(argv[-1]) < 999, len(argv[-1])
PY
}

@test "huge failed-exec argv: truncated and flagged" {
	local args=() i
	for i in $(seq 1 100); do
		args+=("$(printf "%0999d" "$i")")
	done
	run "$EWTEST" exec "$BATS_TEST_TMPDIR/missing" x @MARK@ "${args[@]}"
	[ "$output" = "execve failed: ENOENT" ]
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" get "$MARK" argv_truncated)" = true ]
	[ "$(jsonq "$OUT" get "$MARK" argv_bytes)" = 16384 ]
	[ "$(jsonq "$OUT" get "$MARK" ret)" = -2 ]
}
