#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Starting, stopping and failing: --duration, signals, a closed pipe, bad
# flags, and every start-up failure a user can meet (not root, no BTF, no
# tracefs), each with one clear sentence and a non-zero exit.

load helpers

# IDs of loaded BPF programs with this name, sorted.
prog_ids() {
	bpftool prog show | sed -n "s/^\([0-9]*\): .* name $1 .*/\1/p" | sort
}

@test "--help and --version print and exit 0" {
	run "$EXECWATCH" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: execwatch"* ]]
	[[ "$output" == *"--max-argv-bytes"* ]]
	run "$EXECWATCH" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^execwatch\ [^\ ]+$ ]]
}

@test "bad flags: a clear message on stderr and exit 2" {
	run "$EXECWATCH" --no-such-flag
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--no-such-flag'"* ]]
	run "$EXECWATCH" --duration
	[ "$status" -eq 2 ]
	[[ "$output" == *"needs a value"* ]]
	run "$EXECWATCH" --max-argv-bytes 1G
	[ "$status" -eq 2 ]
	[[ "$output" == *"--max-argv-bytes must be"* ]]
	run "$EXECWATCH" --ring-size 3M
	[ "$status" -eq 2 ]
	[[ "$output" == *"power of two"* ]]
	run "$EXECWATCH" stray
	[ "$status" -eq 2 ]
	[[ "$output" == *"unexpected argument 'stray'"* ]]
}

@test "not root: one sentence saying what to do, exit 1" {
	require_root
	run setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$EXECWATCH"
	[ "$status" -eq 1 ]
	[[ "$output" == "execwatch: permission denied: tracing execs needs root"* ]]
	[[ "$output" == *"sudo execwatch"* ]]
}

@test "--duration stops by itself, exit 0, with a summary" {
	require_root
	local start=$SECONDS
	run "$EXECWATCH" --duration 1
	[ "$status" -eq 0 ]
	# Loading takes most of it (seconds under emulation: helpers.bash).
	[ $((SECONDS - start)) -le $((5 * EW_TIME_SCALE)) ]
	[[ "$output" == *"events received, 0 lost"* ]]
}

@test "SIGTERM and SIGINT stop cleanly with the final stats record flushed" {
	require_root
	local sig
	for sig in TERM INT; do
		OUT="$BATS_TEST_TMPDIR/out-$sig.json"
		start_execwatch "$OUT" --json
		kill -s "$sig" "$EW_PID"
		wait "$EW_PID"
		EW_PID=
		jsonq "$OUT" validate
		[ "$(jsonq "$OUT" last stats final)" = true ]
		[ "$(head -1 "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["type"])')" = start ]
	done
}

@test "a closed pipe ends it quietly with exit 0" {
	require_root
	local err="$BATS_TEST_TMPDIR/err"
	# head exits after one line; the execs keep coming until execwatch
	# notices (however long it takes to start: minutes in an emulated VM).
	local stop="$BATS_TEST_TMPDIR/stop"
	( while [ ! -e "$stop" ]; do "$NOOP"; sleep 0.05; done ) &
	local spawner=$!
	set +e
	timeout $((20 * ${EXECWATCH_TIME_SCALE:-1})) "$EXECWATCH" 2>"$err" | head -n 2 >/dev/null
	local codes=("${PIPESTATUS[@]}")
	set -e
	touch "$stop"
	wait $spawner
	[ "${codes[0]}" -eq 0 ]
	! grep -q -i "error\|stopped" "$err" || false
}

@test "programs and maps are named for bpftool, and gone after exit" {
	require_root
	OUT="$BATS_TEST_TMPDIR/out.txt"
	local exec_prog
	exec_prog=$(exec_prog_name)
	BEFORE_IDS=$(prog_ids "$exec_prog")
	start_execwatch "$OUT"
	local progs maps
	progs=$(bpftool prog show)
	maps=$(bpftool map show)
	local name
	for name in "$exec_prog" $(syscall_prog_names); do
		grep -q "name $name " <<<"$progs"
	done
	for name in events exec_stash scratch counters; do
		grep -q "name $name " <<<"$maps"
	done
	# Ours are the exec_success programs that appeared with this instance;
	# they must be gone once it exits.
	local ids
	ids=$(comm -13 <(echo "$BEFORE_IDS") <(prog_ids "$exec_prog"))
	[ -n "$ids" ]
	stop_execwatch
	local id
	# The kernel frees a program after an RCU grace period, so allow it a
	# moment after the last reference is gone.
	for id in $ids; do
		local tries=0
		while bpftool prog show id "$id" >/dev/null 2>&1; do
			tries=$((tries + 1))
			[ "$tries" -lt 50 ]
			sleep 0.1
		done
	done
}

@test "two instances run independently" {
	require_root
	local a="$BATS_TEST_TMPDIR/a.json" b="$BATS_TEST_TMPDIR/b.json"
	start_execwatch "$a" --json
	local pid_a=$EW_PID
	start_execwatch "$b" --json
	local pid_b=$EW_PID
	local mark
	mark=$(new_marker)
	"$NOOP" "$mark"
	settle
	kill -INT "$pid_a" "$pid_b"
	wait "$pid_a"
	wait "$pid_b"
	EW_PID=
	[ "$(jsonq "$a" count "$mark")" = 1 ]
	[ "$(jsonq "$b" count "$mark")" = 1 ]
}

@test "tracefs not mounted: execwatch mounts it and traces" {
	require_root
	local mark
	mark=$(new_marker)
	run unshare --mount --propagation private bash -c '
		umount /sys/kernel/tracing 2>/dev/null
		umount /sys/kernel/debug 2>/dev/null
		test ! -e /sys/kernel/tracing/events || exit 90
		"$1" --json --syscall-hooks tracepoint >"$2" &
		ew=$!
		# The start record is written once the programs are attached.
		for i in $(seq 1 400); do [ -s "$2" ] && break; sleep 0.05; done
		"$3" "$4"
		sleep 0.5
		kill -INT $ew
		wait $ew || exit 91
		test -e /sys/kernel/tracing/events/syscalls || exit 92
	' _ "$EXECWATCH" "$BATS_TEST_TMPDIR/out.json" "$NOOP" "$mark"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jsonq "$BATS_TEST_TMPDIR/out.json" count "$mark")" = 1 ]
}

@test "tracefs cannot be mounted: one clear sentence, exit 1" {
	require_root
	# Hide /sys/kernel behind a read-only tmpfs that keeps only BTF, so there
	# is no tracing directory and none can be made.
	run unshare --mount --propagation private bash -c '
		umount /sys/kernel/tracing 2>/dev/null
		umount /sys/kernel/debug 2>/dev/null
		mkdir -p /run/ew-btf-$$ && mount --bind /sys/kernel/btf /run/ew-btf-$$ || exit 90
		mount -t tmpfs -o size=1M tmpfs /sys/kernel || exit 91
		mkdir /sys/kernel/btf && mount --bind /run/ew-btf-$$ /sys/kernel/btf || exit 92
		mount -o remount,ro /sys/kernel || exit 93
		"$1" --syscall-hooks tracepoint
	' _ "$EXECWATCH"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == "execwatch: tracefs is not mounted and mounting it at /sys/kernel/tracing failed: "* ]]
	[[ "$output" == *"mount -t tracefs tracefs /sys/kernel/tracing"* ]]
}

# execve's entry and exit: fentry/fexit where the kernel takes them (the
# syscalls/ tracepoints slow every syscall on the machine), else the
# tracepoints, said with --verbose; --syscall-hooks=fentry refuses to start
# without fentry; =tracepoint always takes the tracepoints. The host's
# lockdown refuses fentry; Debian's kernels in the VMs take it.
@test "--syscall-hooks: fentry where --check says ok, else the tracepoints; each as asked" {
	setup_marked
	local err="$BATS_TEST_TMPDIR/err" loaded
	if "$EXECWATCH" --check | grep -q '^fentry  *ok '; then
		start_execwatch "$OUT" --json --syscall-hooks fentry
		loaded=$(bpftool prog show | grep -c ' name \(execve\|execveat\)_\(fentry\|fexit\) ')
		[ "$loaded" -eq 4 ]
		[ -z "$(prog_ids execve_enter)" ]
	else
		run "$EXECWATCH" --syscall-hooks fentry --duration 1
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == "execwatch: --syscall-hooks=fentry: this kernel does not take an fentry program on execve ("*"). Use --syscall-hooks=auto or tracepoint." ]]
		"$EXECWATCH" --verbose --duration 1 >/dev/null 2>"$err"
		grep -q '^execwatch: no fentry on execve here (.* refused it: .*): the syscalls/ tracepoints instead' "$err"
		start_execwatch "$OUT" --json
		[ -n "$(prog_ids execve_enter)" ]
		[ -z "$(prog_ids execve_fentry)" ]
	fi
	"$NOOP" "$MARK"
	"$EWTEST" exec "$BATS_TEST_TMPDIR/missing" argv0 @MARK@ || true
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK")" = 2 ]
	# Forced tracepoints take them whatever the kernel allows.
	start_execwatch "$OUT" --json --syscall-hooks tracepoint
	[ -n "$(prog_ids execve_enter)" ]
	[ -z "$(prog_ids execve_fentry)" ]
	stop_execwatch
}

@test "no BTF: one clear sentence, exit 1" {
	require_root
	run unshare --mount --propagation private bash -c '
		mount -t tmpfs -o size=1M tmpfs /sys/kernel/btf || exit 90
		"$1"
	' _ "$EXECWATCH"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == "execwatch: this kernel exposes no BTF type information"* ]]
	[[ "$output" == *"CONFIG_DEBUG_INFO_BTF=y"* ]]
}

@test "the ASan+UBSan build traces an exec cleanly" {
	require_root
	[ -x "$BUILD/san/execwatch" ] || skip "sanitizer build missing (make build/san/execwatch)"
	EXECWATCH="$BUILD/san/execwatch"
	OUT="$BATS_TEST_TMPDIR/out.json"
	start_execwatch "$OUT" --json
	local mark
	mark=$(new_marker)
	"$NOOP" "$mark" $'\xff\n'
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$mark")" = 1 ]
	! grep -q "runtime error\|AddressSanitizer" "$EW_ERR" || false
}

@test "closed stdout: one clear sentence, exit 1, nothing written into a BPF fd" {
	require_root
	run bash -c '"$1" --json --duration 1 >&-' _ "$EXECWATCH"
	[ "$status" -eq 1 ]
	[[ "$output" == "execwatch: standard output is closed"* ]]
}
