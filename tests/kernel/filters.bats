#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Filters on real execs. The kernel-side ones (uid, process subtree, cgroup,
# self) are checked against the kernel's own counters: a filtered-out exec
# must not reach user space at all. The user-space ones (name, executable,
# arguments, result, container) against the output.

load helpers

setup() {
	setup_marked
}

teardown() {
	cleanup_execwatch
	if [ -n "${CGROUP_DIR:-}" ] && [ -d "$CGROUP_DIR" ]; then
		rmdir "$CGROUP_DIR" 2>/dev/null || true
	fi
}

kernel_counter() {
	jsonq "$OUT" last stats kernel | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"
}

@test "--uid: other users' execs are dropped in the kernel, never delivered" {
	start_execwatch "$OUT" --json --uid nobody
	"$EWTEST" exec "$NOOP" noop @MARK@-root
	setpriv --reuid=65534 --regid=65534 --clear-groups "$EWTEST" exec "$NOOP" noop @MARK@-nobody
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK-nobody")" = 1 ]
	[ "$(jsonq "$OUT" count "$MARK-root")" = 0 ]
	# Delivered = sent by the kernel: the root execs were filtered there.
	[ "$(kernel_counter filtered)" -ge 2 ]
	[ "$(jsonq "$OUT" last stats received)" = "$(kernel_counter events_sent)" ]
	local uid
	for uid in $(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("type") == "exec": print(r["uid"])' "$OUT"); do
		[ "$uid" = 65534 ]
	done
}

@test "--uid takes names and numbers, several at once" {
	start_execwatch "$OUT" --json -u 0,nobody
	"$EWTEST" exec "$NOOP" noop @MARK@-root
	setpriv --reuid=65534 --regid=65534 --clear-groups "$EWTEST" exec "$NOOP" noop @MARK@-nobody
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK-root")" = 1 ]
	[ "$(jsonq "$OUT" count "$MARK-nobody")" = 1 ]
}

@test "--pid: the process and every descendant, also ones started later, nothing else" {
	# A parent that waits for a go file, then forks a child that forks a grandchild.
	local go="$BATS_TEST_TMPDIR/go"
	bash -c 'while [ ! -e "$1" ]; do sleep 0.05; done
		"$2" exec "$3" noop @MARK@-parent
		' _ "$go" "$EWTEST" "$NOOP" &
	local parent=$!
	bash -c 'while [ ! -e "$1" ]; do sleep 0.05; done
		bash -c "\"\$1\" exec \"\$2\" noop @MARK@-outsider" _ "$2" "$3"
		' _ "$go" "$EWTEST" "$NOOP" &
	local outsider=$!
	start_execwatch "$OUT" --json --pid "$parent"
	(bash -c '"$1" exec "$2" noop @MARK@-sub' _ "$EWTEST" "$NOOP") &
	touch "$go"
	wait "$parent" "$outsider"
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK-parent")" = 1 ]
	[ "$(jsonq "$OUT" count "$MARK-outsider")" = 0 ]
	[ "$(jsonq "$OUT" count "$MARK-sub")" = 0 ]
	[ "$(kernel_counter filtered)" -ge 2 ]
}

@test "--pid: a descendant forked after start, two levels down, is reported" {
	local go="$BATS_TEST_TMPDIR/go"
	bash -c 'while [ ! -e "$1" ]; do sleep 0.05; done
		bash -c "bash -c \"\\\"\$2\\\" exec \\\"\$3\\\" noop @MARK@-deep\" _ \"\$1\" \"\$2\" \"\$3\"" _ x "$2" "$3"
		' _ "$go" "$EWTEST" "$NOOP" &
	local root=$!
	start_execwatch "$OUT" --json --pid "$root"
	"$EWTEST" exec "$NOOP" noop @MARK@-outside
	touch "$go"
	wait "$root"
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK-deep")" = 1 ]
	[ "$(jsonq "$OUT" count "$MARK-outside")" = 0 ]
}

@test "--pid of a process that does not exist: clear error, exit 1" {
	run "$EXECWATCH" --pid 999999999
	[ "$status" -ne 0 ]
	run "$EXECWATCH" --pid 4194000
	[ "$status" -eq 1 ]
	[[ "$output" == *"--pid: there is no process 4194000"* ]]
}

@test "--cgroup: only execs in that cgroup (and below) are delivered" {
	CG2=$(cgroup2_root) || skip "no cgroup v2 mounted"
	CGROUP_DIR="$CG2/execwatch-test-$$"
	mkdir "$CGROUP_DIR"
	start_execwatch "$OUT" --json --cgroup "$CGROUP_DIR"
	bash -c 'echo $$ > "$1/cgroup.procs"; exec "$2" exec "$3" noop @MARK@-inside' _ "$CGROUP_DIR" "$EWTEST" "$NOOP"
	"$EWTEST" exec "$NOOP" noop @MARK@-outside
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK-inside")" = 1 ]
	[ "$(jsonq "$OUT" count "$MARK-outside")" = 0 ]
	[ "$(kernel_counter filtered)" -ge 1 ]
	# The record names its cgroup.
	[ "$(jsonq "$OUT" get "$MARK-inside" cgroup)" = "\"/execwatch-test-$$\"" ]
	[ "$(jsonq "$OUT" get "$MARK-inside" cgroup_id)" = "$(stat -c %i "$CGROUP_DIR")" ]
}

@test "--cgroup that is not a cgroup: clear error, exit 1" {
	run "$EXECWATCH" --cgroup /nonexistent-cgroup
	[ "$status" -eq 1 ]
	[[ "$output" == *"--cgroup: cannot open the cgroup directory '/nonexistent-cgroup'"* ]]
}

@test "--container: a container's cgroup layout is recognised" {
	CG2=$(cgroup2_root) || skip "no cgroup v2 mounted"
	local id
	id=$(printf '%s' "$MARK" | sha256sum | cut -c1-64)
	CGROUP_DIR="$CG2/docker-$id.scope"
	mkdir "$CGROUP_DIR"
	start_execwatch "$OUT" --json --container "${id:0:12}"
	bash -c 'echo $$ > "$1/cgroup.procs"; exec "$2" exec "$3" noop @MARK@-in' _ "$CGROUP_DIR" "$EWTEST" "$NOOP"
	"$EWTEST" exec "$NOOP" noop @MARK@-out
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK-in")" = 1 ]
	[ "$(jsonq "$OUT" count "$MARK-out")" = 0 ]
	[ "$(jsonq "$OUT" get "$MARK-in" container_id)" = "\"$id\"" ]
}

@test "-n/--name, --exe, -l/--arg, --arg-regex, --failed, --succeeded" {
	local prog="$BATS_TEST_TMPDIR/bin/special-prog"
	mkdir -p "$(dirname "$prog")"
	cp "$NOOP" "$prog"
	local flags
	for flags in "--name special" "--exe $prog" "--exe $BATS_TEST_TMPDIR/bin/" "--exe $BATS_TEST_TMPDIR/*/special-*" \
		"--arg needle" "-l needle" "--arg-regex ^ne+dle[0-9]\$"; do
		OUT="$BATS_TEST_TMPDIR/out-$RANDOM.json"
		start_execwatch "$OUT" --json $flags
		"$EWTEST" exec "$prog" special-prog @MARK@-hit needle7
		"$EWTEST" exec "$NOOP" noop @MARK@-miss other
		settle
		stop_execwatch
		echo "$flags" >&2
		[ "$(jsonq "$OUT" count "$MARK-hit")" = 1 ]
		[ "$(jsonq "$OUT" count "$MARK-miss")" = 0 ]
	done
	OUT="$BATS_TEST_TMPDIR/out-failed.json"
	start_execwatch "$OUT" --json --failed
	run "$EWTEST" exec "$BATS_TEST_TMPDIR/missing" m @MARK@-fail
	"$EWTEST" exec "$NOOP" noop @MARK@-ok
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK-fail")" = 1 ]
	[ "$(jsonq "$OUT" count "$MARK-ok")" = 0 ]
	OUT="$BATS_TEST_TMPDIR/out-ok.json"
	start_execwatch "$OUT" --json --succeeded
	run "$EWTEST" exec "$BATS_TEST_TMPDIR/missing" m @MARK@-fail
	"$EWTEST" exec "$NOOP" noop @MARK@-ok
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK-fail")" = 0 ]
	[ "$(jsonq "$OUT" count "$MARK-ok")" = 1 ]
}

@test "a bad --arg-regex is a usage error before anything loads" {
	run "$EXECWATCH" --arg-regex '(unclosed'
	[ "$status" -eq 2 ]
	[[ "$output" == *"--arg-regex '(unclosed' is not a valid regular expression"* ]]
}
