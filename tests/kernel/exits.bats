#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# How processes end: exit records with the status wait(2) sees, the
# terminating signal and core dump, the lifetime, the program, and a process
# id that survives pid reuse.

load helpers

setup() {
	setup_marked
}

# exit_field PID FIELD: FIELD of the exit record of PID.
exit_field() {
	python3 - "$OUT" "$1" "$2" <<'PY'
import json, sys
found = [r for r in map(json.loads, open(sys.argv[1]))
         if r.get("type") == "exit" and r["pid"] == int(sys.argv[2])]
assert len(found) == 1, f"{len(found)} exit records for pid {sys.argv[2]}"
print(json.dumps(found[0][sys.argv[3]]))
PY
}

@test "exit records are on by default in JSON: code, lifetime, program, id" {
	start_execwatch "$OUT" --json
	local prog="$BATS_TEST_TMPDIR/sleeper"
	printf '#!/bin/sh\nsleep 0.3\nexit 3\n' >"$prog"
	chmod +x "$prog"
	"$prog" "$MARK" &
	local pid=$!
	wait $pid || true
	settle
	stop_execwatch
	[ "$(exit_field "$pid" exit_code)" = 3 ]
	[ "$(exit_field "$pid" signal)" = null ]
	# The program that ended: the file the kernel ran, as the exec said
	# (for a script, its interpreter; the exec record names the script).
	[ "$(exit_field "$pid" exe)" = "$(jsonq "$OUT" get "$MARK" exe)" ]
	[ "$(jsonq "$OUT" get "$MARK" filename)" = "\"$prog\"" ]
	local lifetime
	lifetime=$(exit_field "$pid" lifetime_ns)
	[ "$lifetime" -ge 300000000 ] && [ "$lifetime" -lt 5000000000 ]
	# The exit's id is the exec's id: same pid, same start time.
	[ "$(exit_field "$pid" id)" = "$(jsonq "$OUT" get "$MARK" id)" ]
	[[ "$(exit_field "$pid" id)" =~ ^\"$pid:[0-9]+\"$ ]]
}

@test "the leader exits first, a worker calls _exit(7): the process's status is 7" {
	start_execwatch "$OUT" --json
	"$EWTEST" leader-exit 7 &
	local pid=$!
	local status=0
	wait $pid || status=$?
	[ "$status" -eq 7 ]
	settle
	stop_execwatch
	[ "$(exit_field "$pid" exit_code)" = 7 ]
	# Reported once, when the last thread (not the leader) exited.
	[ "$(exit_field "$pid" tid)" != "$pid" ]
}

@test "killed by a signal, and a core dump" {
	start_execwatch "$OUT" --json
	sleep 30 &
	local killed=$!
	sleep 0.2
	kill -KILL $killed
	wait $killed || true
	local dir="$BATS_TEST_TMPDIR/core"
	mkdir -p "$dir"
	(cd "$dir" && ulimit -c unlimited && exec bash -c 'kill -ABRT $$') &
	local aborted=$!
	wait $aborted || true
	settle
	stop_execwatch
	[ "$(exit_field "$killed" signal)" = '"SIGKILL"' ]
	[ "$(exit_field "$killed" exit_code)" = null ]
	[ "$(exit_field "$killed" core_dumped)" = false ]
	[ "$(exit_field "$aborted" signal)" = '"SIGABRT"' ]
	# A core is written when core_pattern allows it; the flag must agree.
	local pattern
	pattern=$(cat /proc/sys/kernel/core_pattern)
	if [ "$pattern" = core ] || [ "$pattern" = "core.%p" ]; then
		[ "$(exit_field "$aborted" core_dumped)" = true ]
	fi
}

@test "pid reuse (clone3 set_tid): two processes, one pid, two ids" {
	start_execwatch "$OUT" --json
	local pid
	pid=$("$EWTEST" reuse-pid "$NOOP" @MARK@)
	settle
	stop_execwatch
	local a b
	a=$(jsonq "$OUT" get "$MARK-a" id)
	b=$(jsonq "$OUT" get "$MARK-b" id)
	[ "$(jsonq "$OUT" get "$MARK-a" pid)" = "$pid" ]
	[ "$(jsonq "$OUT" get "$MARK-b" pid)" = "$pid" ]
	[[ "$a" =~ ^\"$pid: ]] && [[ "$b" =~ ^\"$pid: ]]
	[ "$a" != "$b" ]
	# Both exits, each with its own id and program.
	python3 - "$OUT" "$pid" "$a" "$b" <<'PY'
import json, sys
exits = [r for r in map(json.loads, open(sys.argv[1])) if r.get("type") == "exit" and r["pid"] == int(sys.argv[2])]
ids = sorted(json.dumps(r["id"]) for r in exits)
assert ids == sorted([sys.argv[3], sys.argv[4]]), (ids, sys.argv[3:])
PY
}

@test "text: exits only with --exits, one escaped line each" {
	OUT="$BATS_TEST_TMPDIR/out.txt"
	start_execwatch "$OUT"
	bash -c 'exit 4' "$MARK" || true
	settle
	stop_execwatch
	! grep -q '\[exit 4 after' "$OUT" || false
	start_execwatch "$OUT" --exits
	"$EWTEST" leader-exit 5 &
	local pid=$!
	wait $pid || true
	settle
	stop_execwatch
	grep -E "^[0-9:.]+ +$pid +$$ +0 +exit +ewtest +$EWTEST +\[exit 5 after [0-9]+\.[0-9]{3} s\]$" "$OUT"
}

@test "--no-exits turns them off in JSON" {
	start_execwatch "$OUT" --json --no-exits
	bash -c 'exit 0'
	settle
	stop_execwatch
	! grep -q '"type":"exit"' "$OUT" || false
}

@test "threads exiting together: one exit record per process, with its status" {
	start_execwatch "$OUT" --json
	local i
	# Each run: 8 threads and the leader call exit_group(3) at the same moment.
	for i in $(seq 1 40); do
		"$EWTEST" group-exit 8 3 "$MARK-$i" || [ $? -eq 3 ]
	done
	settle
	stop_execwatch
	python3 - "$OUT" "$MARK" <<'PY'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1])]
ids = {r["id"] for r in records
       if r.get("type") == "exec" and any(a.startswith(sys.argv[2] + "-") for a in r["argv"])}
assert len(ids) == 40, f"{len(ids)} marked execs"
exits = [r for r in records if r.get("type") == "exit" and r["id"] in ids]
per_id = {}
for r in exits:
    per_id[r["id"]] = per_id.get(r["id"], 0) + 1
    assert r["exit_code"] == 3, r
    assert r["exe"].endswith("/ewtest"), r
twice = [i for i, n in per_id.items() if n != 1]
assert len(per_id) == 40 and not twice, f"{len(per_id)} processes with exits, repeated: {twice}"
PY
}

@test "--ancestors: a child that forks and never execs exits with its parent's program" {
	start_execwatch "$OUT" --json --ancestors
	# The subshell is a fork of bash that exits with 5 without exec'ing.
	bash -c '( echo $BASHPID > "$1"; exit 5 ); true' bash "$BATS_TEST_TMPDIR/pid" "$MARK"
	settle
	stop_execwatch
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	[ "$(exit_field "$pid" exit_code)" = 5 ]
	[ "$(exit_field "$pid" exe)" = "\"$(readlink -f /bin/bash)\"" ]
}
