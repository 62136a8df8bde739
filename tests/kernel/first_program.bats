#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The first-program tutorial (examples/first-program), step by step, for real:
# every make target runs against the kernel and the assertions read what it
# printed. Needs root; about 6 s.

setup_file() {
	export REPO="$BATS_TEST_DIRNAME/../.."
	export EX="$REPO/examples/first-program"
	export PIN=/sys/fs/bpf/first_program
	export BPFTOOL="${BPFTOOL:-$(command -v bpftool || echo /usr/sbin/bpftool)}"
}

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root: loads BPF programs and mounts bpffs/tracefs"
	BG_PID=
	MARKER="/tmp/first-prog-marker-$$-$RANDOM"
	# A name with a newline, an ESC and a backslash: the loader must escape it.
	WEIRD="$MARKER-$(printf 'x\ny\033z\\w')"
}

teardown() {
	if [ -n "$BG_PID" ]; then
		pkill -TERM -P "$BG_PID" 2>/dev/null || true
		kill -TERM "$BG_PID" 2>/dev/null || true
		wait "$BG_PID" 2>/dev/null || true
	fi
	rm -f "$MARKER" "$WEIRD"
	rm -rf "$PIN"
}

teardown_file() {
	rm -rf /sys/fs/bpf/first_program
}

# Waits up to $2 tenths of a second for file $1 to contain $3.
wait_for() {
	local i
	for ((i = 0; i < $2; i++)); do
		grep -q -- "$3" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "timed out waiting for '$3' in $1:" >&2
	cat "$1" >&2
	return 1
}

@test "build: compiles the BPF object with clang -target bpf, and the loader" {
	run make -C "$EX" -B build
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"clang -g -O2 -target bpf -D__TARGET_ARCH_x86"* ]]
	[[ "$output" == *"-lbpf -lelf -lz"* ]]
	run readelf -W -h -S "$EX/build/first.bpf.o"
	[[ "$output" == *"Linux BPF"* ]]
	[[ "$output" == *"tracepoint/syscalls/sys_enter_execve"* ]]
	[[ "$output" == *".BTF"* ]]
	[ -x "$EX/build/first" ]
}

@test "load pins the program; prog-show shows it by name" {
	run make -C "$EX" load
	echo "$output"
	[ "$status" -eq 0 ]
	[ -e "$PIN/prog" ]
	[ -e "$PIN/first_events" ]
	# The id bpftool reports for the pin must be in prog-show's output.
	id=$("$BPFTOOL" prog show pinned "$PIN/prog" | sed -n 's/^\([0-9]*\): .*/\1/p')
	[ -n "$id" ]
	run make -s -C "$EX" prog-show
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ (^|$'\n')"$id: tracepoint  name first_execve " ]]
}

@test "map-show shows the ring buffer map" {
	make -C "$EX" load >/dev/null
	id=$("$BPFTOOL" map show pinned "$PIN/first_events" | sed -n 's/^\([0-9]*\): .*/\1/p')
	[ -n "$id" ]
	run make -s -C "$EX" map-show
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ (^|$'\n')"$id: ringbuf  name first_events " ]]
	[[ "$output" == *"max_entries 262144"* ]]
}

@test "attach: the loader prints pid, uid, ts and the exact filename of an exec" {
	cp /bin/true "$MARKER"
	cp /bin/true "$WEIRD"
	out="$BATS_TEST_TMPDIR/out" err="$BATS_TEST_TMPDIR/err"
	make -s -C "$EX" attach DURATION=2 >"$out" 2>"$err" 3>&- &
	BG_PID=$!
	wait_for "$err" 30 "attached"
	"$MARKER" &
	marker_pid=$!
	wait "$marker_pid"
	"$WEIRD"
	wait "$BG_PID"
	status=$?
	BG_PID=
	cat "$out"
	[ "$status" -eq 0 ]
	grep -Eq "^$marker_pid 0 [0-9]+ $MARKER\$" "$out"
	grep -Fqx -- "$MARKER-x\\x0ay\\x1bz\\x5cw" <(cut -d' ' -f4- "$out")
	# Every line has the four fields; nothing unescaped broke a line.
	run grep -Ev '^[0-9]+ [0-9]+ [0-9]+ ' "$out"
	[ "$status" -eq 1 ]
}

@test "the loader exits cleanly, with status 0, on SIGINT and SIGTERM" {
	for sig in INT TERM; do
		err="$BATS_TEST_TMPDIR/err-$sig"
		"$EX/build/first" >/dev/null 2>"$err" 3>&- &
		BG_PID=$!
		wait_for "$err" 30 "attached"
		kill -"$sig" "$BG_PID"
		wait "$BG_PID"
		status=$?
		BG_PID=
		[ "$status" -eq 0 ]
	done
}

@test "trace-pipe shows the program's bpf_printk line for an exec" {
	cp /bin/true "$MARKER"
	run make -s -C "$EX" trace-pipe TRACE_EXEC="$MARKER" TRACE_SECONDS=3
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "bpf_trace_printk: first_execve pid="[0-9]+" file=$MARKER"($'\n'|$) ]]
}

@test "unload removes the pins, and the program goes away" {
	make -C "$EX" load >/dev/null
	id=$("$BPFTOOL" prog show pinned "$PIN/prog" | sed -n 's/^\([0-9]*\): .*/\1/p')
	[ -n "$id" ]
	run make -C "$EX" unload
	[ "$status" -eq 0 ]
	[ ! -e "$PIN" ]
	# The kernel frees the program once the last reference (the pin) is gone.
	for ((i = 0; i < 30; i++)); do
		"$BPFTOOL" prog show id "$id" >/dev/null 2>&1 || break
		sleep 0.1
	done
	run "$BPFTOOL" prog show id "$id"
	[ "$status" -ne 0 ]
}
