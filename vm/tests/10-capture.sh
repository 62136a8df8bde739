# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# What execwatch captures for each kind of exec, in the VM: the same cases as
# tests/kernel/capture.bats (plain exec, another user, empty arguments,
# argc 0, failed execs, execveat, a memfd, a non-leader thread, a script, a
# huge argv), asserted on the real JSON output with grep and sed.

# Start execwatch in JSON mode and make this test's marker.
json_setup() {
	OUT="$TEST_TMP/out.json"
	MARK=$(new_marker)
	export EW_MARK="$MARK"
	start_execwatch "$OUT" --json
}

test_plain_exec() {
	json_setup
	"$EWTEST" exec "$NOOP" noop-argv0 @MARK@ second "third arg" &
	local pid=$!
	wait $pid
	settle
	stop_execwatch
	expect_eq "$(jcount "$OUT" "$MARK")" 1 count
	expect_eq "$(jget "$OUT" "$MARK" argv)" "[\"noop-argv0\",\"$MARK\",\"second\",\"third arg\"]" argv
	expect_eq "$(jget "$OUT" "$MARK" argc)" 4 argc
	expect_eq "$(jget "$OUT" "$MARK" filename)" "\"$NOOP\"" filename
	expect_eq "$(jget "$OUT" "$MARK" pid)" "$pid" pid
	expect_eq "$(jget "$OUT" "$MARK" tid)" "$pid" tid
	expect_eq "$(jget "$OUT" "$MARK" ppid)" "$BASHPID" ppid
	expect_eq "$(jget "$OUT" "$MARK" uid)" 0 uid
	expect_eq "$(jget "$OUT" "$MARK" euid)" 0 euid
	expect_eq "$(jget "$OUT" "$MARK" gid)" 0 gid
	expect_eq "$(jget "$OUT" "$MARK" ret)" 0 ret
	expect_eq "$(jget "$OUT" "$MARK" comm)" '"noop"' comm
	expect_eq "$(jget "$OUT" "$MARK" argv_truncated)" false argv_truncated
	local expected=$((${#MARK} + 1 + 11 + 7 + 10))
	expect_eq "$(jget "$OUT" "$MARK" argv_bytes)" "$expected" argv_bytes
	expect_eq "$(jget "$OUT" "$MARK" argv_true_bytes)" "$expected" argv_true_bytes
	# RFC 3339 UTC with nanoseconds, within a minute of the VM's clock.
	local t when now
	t=$(jget "$OUT" "$MARK" time)
	expect_match "$t" '^"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z"$' time
	when=$(date -u -d "$(echo "$t" | sed -E 's/^"([0-9-]+)T([0-9:]+)\..*/\1 \2/')" +%s)
	now=$(date -u +%s)
	[ $((now - when)) -ge 0 ] && [ $((now - when)) -lt 60 ] || { echo "time $t is $((now - when)) s old"; return 1; }
}
t "plain exec: identity, filename and every argument" test_plain_exec

test_non_root() {
	json_setup
	# The marker reaches only the last exec (su and sh get "@MARK@").
	EWTEST="$EWTEST" NOOP="$NOOP" su -p -s /bin/sh nobody -c 'exec "$EWTEST" exec "$NOOP" noop @MARK@'
	settle
	stop_execwatch
	expect_eq "$(jcount "$OUT" "$MARK")" 1 count
	expect_eq "$(jget "$OUT" "$MARK" uid)" 65534 uid
	expect_eq "$(jget "$OUT" "$MARK" euid)" 65534 euid
	expect_eq "$(jget "$OUT" "$MARK" gid)" 65534 gid
}
t "non-root caller: uid, euid and gid are the caller's" test_non_root

# Kernels before the strncpy_from_user_nofault() fix read "" as length 0
# (5.10, 6.1, 6.12): neither a fault nor the end of the tamper capture.
test_empty_args() {
	local output
	json_setup
	"$EWTEST" exec "$NOOP" "" @MARK@-ok "" "" last
	# ewtest reports a failed exec on stdout and exits 0.
	output=$("$EWTEST" exec "$TEST_TMP/missing" "" @MARK@-failed "" "")
	expect_eq "$output" "execve failed: ENOENT" "ewtest says"
	settle
	stop_execwatch
	expect_eq "$(jget "$OUT" "$MARK-ok" argv)" "[\"\",\"$MARK-ok\",\"\",\"\",\"last\"]" argv
	expect_eq "$(jget "$OUT" "$MARK-ok" argc)" 5 argc
	expect_eq "$(jget "$OUT" "$MARK-ok" argv_tamper_check)" "" argv_tamper_check
	expect_eq "$(jget "$OUT" "$MARK-failed" argv)" "[\"\",\"$MARK-failed\",\"\",\"\"]" "failed argv"
	expect_eq "$(jget "$OUT" "$MARK-failed" argc)" 4 "failed argc"
	expect_eq "$(jget "$OUT" "$MARK-failed" argv_fault)" "" "failed argv_fault"
}
t "empty arguments are kept in place, in successful and failed execs, and compared" test_empty_args

test_argc0() {
	MARK=$(new_marker)
	export EW_MARK="$MARK"
	# The marker is in the file name: there is no argv to carry it.
	cp "$NOOP" "$TEST_TMP/$MARK"
	OUT="$TEST_TMP/out.json"
	start_execwatch "$OUT" --json
	"$EWTEST" argc0 "$TEST_TMP/@MARK@"
	settle
	stop_execwatch
	expect_eq "$(jcount "$OUT" "$MARK")" 1 count
	expect_eq "$(jget "$OUT" "$MARK" argc)" 0 argc
	expect_eq "$(jget "$OUT" "$MARK" argv)" "[]" argv
	expect_eq "$(jget "$OUT" "$MARK" argv_empty_at_call)" true argv_empty_at_call
	expect_eq "$(jget "$OUT" "$MARK" ret)" 0 ret
}
t "argc 0 is reported as argc 0" test_argc0

test_enoent() {
	json_setup
	local missing="$TEST_TMP/missing-file" output
	output=$("$EWTEST" exec "$missing" argv0 @MARK@ x)
	expect_eq "$output" "execve failed: ENOENT" "ewtest says"
	settle
	stop_execwatch
	expect_eq "$(jcount "$OUT" "$MARK")" 1 count
	expect_eq "$(jget "$OUT" "$MARK" ret)" -2 ret
	expect_eq "$(jget "$OUT" "$MARK" error)" '"ENOENT"' error
	expect_eq "$(jget "$OUT" "$MARK" syscall)" '"execve"' syscall
	expect_eq "$(jget "$OUT" "$MARK" filename)" "\"$missing\"" filename
	expect_eq "$(jget "$OUT" "$MARK" argv)" "[\"argv0\",\"$MARK\",\"x\"]" argv
	expect_eq "$(jget "$OUT" "$MARK" argc)" 3 argc
	expect_eq "$(jget "$OUT" "$MARK" comm)" '"ewtest"' comm
}
t "failed exec, ENOENT: ret -2, error, filename and argv as passed" test_enoent

test_eacces() {
	json_setup
	local prog="$TEST_TMP/noexec" output
	cp "$NOOP" "$prog"
	chmod 0644 "$prog"
	output=$("$EWTEST" exec "$prog" noexec @MARK@)
	expect_eq "$output" "execve failed: EACCES" "ewtest says"
	settle
	stop_execwatch
	expect_eq "$(jget "$OUT" "$MARK" ret)" -13 ret
	expect_eq "$(jget "$OUT" "$MARK" error)" '"EACCES"' error
}
t "failed exec, EACCES: a file without execute permission" test_eacces

# An ELF the kernel rejects past the point of no return, after mapping a
# page with a forged argv and filename at the caller's addresses: the
# record keeps the caller's argv and shows none of the forgery.
test_past_point_of_no_return() {
	json_setup
	local output
	output=$("$EWTEST" ponr "$TEST_TMP/ponr.elf" @MARK@-ponr)
	expect_eq "$output" "signal 11" "ewtest says"
	settle
	stop_execwatch
	expect_eq "$(grep -a -c forged "$OUT" || true)" 0 "records with the forgery"
	expect_eq "$(jget "$OUT" "$MARK-ponr" argv)" "[\"$MARK-ponr\"]" argv
	expect_eq "$(jget "$OUT" "$MARK-ponr" after_point_of_no_return)" true flag
	expect_eq "$(jget "$OUT" "$MARK-ponr" argc)" 1 argc
	# A failed exec (a successful one that crashed would have ret 0).
	expect_eq "$(jget "$OUT" "$MARK-ponr" ret | cut -c 1)" - "ret negative"
	expect_eq "$(jget "$OUT" "$MARK-ponr" filename_fault)" true filename_fault
	expect_eq "$(jget "$OUT" "$MARK-ponr" comm_before)" '"ewtest"' comm_before
	expect_eq "$(jget "$OUT" "$MARK-ponr" exe)" "\"$TEST_TMP/ponr.elf\"" "exe (the new mm's)"
}
t "failed exec past the point of no return: the caller's argv, not the binary's forgery" test_past_point_of_no_return

# The same from a second thread, which de_thread() gives the leader's pid
# before the failure: the record must still find the thread's stash entry
# (before 5.15 there was no record at all, after it one without argv).
test_past_point_of_no_return_thread() {
	json_setup
	local output
	output=$("$EWTEST" ponr "$TEST_TMP/ponr.elf" @MARK@-ponr thread)
	expect_eq "$output" "signal 11" "ewtest says"
	settle
	stop_execwatch
	expect_eq "$(grep -a -c forged "$OUT" || true)" 0 "records with the forgery"
	expect_eq "$(jcount "$OUT" "$MARK-ponr")" 1 count
	expect_eq "$(jget "$OUT" "$MARK-ponr" argv)" "[\"$MARK-ponr\"]" argv
	expect_eq "$(jget "$OUT" "$MARK-ponr" after_point_of_no_return)" true flag
	expect_eq "$(jget "$OUT" "$MARK-ponr" comm_before)" '"ewtest"' comm_before
	local pid tid
	pid=$(jget "$OUT" "$MARK-ponr" pid)
	tid=$(jget "$OUT" "$MARK-ponr" tid)
	expect_eq "$([ "$tid" != "$pid" ] && echo thread || echo leader)" thread "tid is the caller's"
}
t "failed exec past the point of no return from a second thread: its argv, its tid" test_past_point_of_no_return_thread

test_execveat_failed() {
	json_setup
	local output
	printf 'not a program\n' >"$TEST_TMP/data"
	chmod 0644 "$TEST_TMP/data"
	output=$("$EWTEST" execveat-fd "$TEST_TMP/data" data @MARK@)
	expect_eq "$output" "execveat failed: EACCES" "ewtest says"
	settle
	stop_execwatch
	expect_eq "$(jget "$OUT" "$MARK" syscall)" '"execveat"' syscall
	expect_eq "$(jget "$OUT" "$MARK" ret)" -13 ret
	expect_match "$(jget "$OUT" "$MARK" dirfd)" '^[0-9]+$' dirfd
}
t "failed execveat reports the syscall and the dirfd" test_execveat_failed

test_execveat_empty_path() {
	json_setup
	"$EWTEST" execveat-fd "$NOOP" noop @MARK@
	settle
	stop_execwatch
	expect_eq "$(jcount "$OUT" "$MARK")" 1 count
	expect_eq "$(jget "$OUT" "$MARK" ret)" 0 ret
	expect_match "$(jget "$OUT" "$MARK" filename)" '^"/dev/fd/[0-9]+"$' filename
}
t "execveat with AT_EMPTY_PATH on an open file" test_execveat_empty_path

test_memfd() {
	json_setup
	"$EWTEST" memfd memfd-@MARK@ "$NOOP" noop-from-memfd @MARK@
	settle
	stop_execwatch
	expect_eq "$(jcount "$OUT" "$MARK")" 1 count
	expect_eq "$(jget "$OUT" "$MARK" ret)" 0 ret
	expect_eq "$(jget "$OUT" "$MARK" argv)" "[\"noop-from-memfd\",\"$MARK\"]" argv
	expect_match "$(jget "$OUT" "$MARK" filename)" '^"/dev/fd/[0-9]+"$' filename
}
t "fexecve of a memfd" test_memfd

test_thread() {
	json_setup
	local log="$TEST_TMP/thread.log" pid tid
	"$EWTEST" thread "$NOOP" noop @MARK@ >"$log" &
	pid=$!
	wait $pid
	settle
	stop_execwatch
	grep -q "leader pid $pid" "$log"
	expect_eq "$(jcount "$OUT" "$MARK")" 1 count
	expect_eq "$(jget "$OUT" "$MARK" pid)" "$pid" "pid (the leader's)"
	expect_eq "$(jget "$OUT" "$MARK" ppid)" "$BASHPID" ppid
	tid=$(jget "$OUT" "$MARK" tid)
	expect_match "$tid" '^[1-9][0-9]*$' tid
	[ "$tid" != "$pid" ] || { echo "tid $tid is the leader's pid"; return 1; }
}
t "exec from a non-leader thread: pid is the leader's, tid the thread's" test_thread

test_script() {
	json_setup
	local script="$TEST_TMP/script.sh"
	printf '#!/bin/sh\nexit 0\n' >"$script"
	chmod +x "$script"
	"$script" "$MARK"
	settle
	stop_execwatch
	expect_eq "$(jcount "$OUT" "$MARK")" 1 count
	expect_eq "$(jget "$OUT" "$MARK" filename)" "\"$script\"" filename
	expect_eq "$(jget "$OUT" "$MARK" argv)" "[\"/bin/sh\",\"$script\",\"$MARK\"]" argv
}
t "a shell script runs through its interpreter" test_script

test_huge_argv() {
	json_setup
	local args=() i line last
	for i in $(seq 1 300); do
		args+=("$(printf "%0999d" "$i")")
	done
	"$NOOP" "$MARK" "${args[@]}"
	settle
	stop_execwatch
	expect_eq "$(jcount "$OUT" "$MARK")" 1 count
	expect_eq "$(jget "$OUT" "$MARK" argv_truncated)" true argv_truncated
	expect_eq "$(jget "$OUT" "$MARK" argv_bytes)" 16384 argv_bytes
	local true_len=$((${#NOOP} + 1 + ${#MARK} + 1 + 300 * 1000))
	expect_eq "$(jget "$OUT" "$MARK" argv_true_bytes)" "$true_len" argv_true_bytes
	expect_eq "$(jget "$OUT" "$MARK" argc)" 302 argc
	# The kept arguments are whole and exact; the last kept one is cut.
	line=$(jone "$OUT" "$MARK")
	expect_contains "$line" "\"$NOOP\",\"$MARK\",\"${args[0]}\",\"${args[1]}\"," "first arguments"
	last=$(jfield argv <<<"$line" | sed -E 's/.*,"([0-9]*)"\]$/\1/')
	[ "${#last}" -lt 999 ] || { echo "last kept argument is ${#last} bytes"; return 1; }
	expect_contains "$line" "\"${args[14]}\"" "the 15th argument, whole"
}
t "huge argv: truncated at 16 KiB, flagged, true length exact" test_huge_argv

test_huge_failed_argv() {
	json_setup
	local args=() i output
	for i in $(seq 1 100); do
		args+=("$(printf "%0999d" "$i")")
	done
	output=$("$EWTEST" exec "$TEST_TMP/missing" x @MARK@ "${args[@]}")
	expect_eq "$output" "execve failed: ENOENT" "ewtest says"
	settle
	stop_execwatch
	expect_eq "$(jget "$OUT" "$MARK" argv_truncated)" true argv_truncated
	expect_eq "$(jget "$OUT" "$MARK" argv_bytes)" 16384 argv_bytes
	expect_eq "$(jget "$OUT" "$MARK" ret)" -2 ret
}
t "huge failed-exec argv: truncated and flagged" test_huge_failed_argv
