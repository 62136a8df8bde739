# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Starting, stopping and failing in the VM (tests/kernel/lifecycle.bats):
# --help and --version, bad flags, not root, no BTF, tracefs that cannot be
# mounted, --duration, SIGTERM and SIGINT with the final stats record, a
# closed pipe, two instances at once, and (with bpftool in the image) the
# program and map names, gone after exit.

test_help_version() {
	local out
	out=$("$EXECWATCH" --help)
	expect_contains "$out" "Usage: execwatch" help
	expect_contains "$out" "--max-argv-bytes" help
	out=$("$EXECWATCH" --version)
	expect_match "$out" '^execwatch [^ ]+$' version
}
t "--help and --version print and exit 0" test_help_version

# run_status CMD...: run, keep stdout+stderr in $OUTPUT and the status in $STATUS.
run_status() {
	STATUS=0
	OUTPUT=$("$@" 2>&1) || STATUS=$?
}

test_bad_flags() {
	run_status "$EXECWATCH" --no-such-flag
	expect_eq "$STATUS" 2 status
	expect_contains "$OUTPUT" "unknown option '--no-such-flag'"
	run_status "$EXECWATCH" --duration
	expect_eq "$STATUS" 2 status
	expect_contains "$OUTPUT" "needs a value"
	run_status "$EXECWATCH" --ring-size 3M
	expect_eq "$STATUS" 2 status
	expect_contains "$OUTPUT" "power of two"
	run_status "$EXECWATCH" stray
	expect_eq "$STATUS" 2 status
	expect_contains "$OUTPUT" "unexpected argument 'stray'"
}
t "bad flags: a clear message and exit 2" test_bad_flags

test_not_root() {
	run_status su -s /bin/sh nobody -c "$EXECWATCH"
	expect_eq "$STATUS" 1 status
	expect_contains "$OUTPUT" "execwatch: permission denied: tracing execs needs root"
}
t "not root: one sentence, exit 1" test_not_root

test_no_btf() {
	run_status unshare -m sh -c 'mount -t tmpfs -o size=1M tmpfs /sys/kernel/btf && exec "$1"' _ "$EXECWATCH"
	expect_eq "$STATUS" 1 status
	expect_contains "$OUTPUT" "execwatch: this kernel exposes no BTF type information"
	expect_contains "$OUTPUT" "CONFIG_DEBUG_INFO_BTF=y"
}
t "no BTF: one clear sentence, exit 1" test_no_btf

test_tracefs_unmountable() {
	run_status unshare -m sh -c '
		umount /sys/kernel/tracing 2>/dev/null
		mkdir -p /tmp/btf-keep && mount --bind /sys/kernel/btf /tmp/btf-keep || exit 90
		mount -t tmpfs -o size=1M tmpfs /sys/kernel || exit 91
		mkdir /sys/kernel/btf && mount --bind /tmp/btf-keep /sys/kernel/btf || exit 92
		mount -o remount,ro /sys/kernel || exit 93
		exec "$1" --syscall-hooks tracepoint' _ "$EXECWATCH"
	expect_eq "$STATUS" 1 status
	expect_contains "$OUTPUT" "execwatch: tracefs is not mounted and mounting it at /sys/kernel/tracing failed: "
	expect_contains "$OUTPUT" "mount -t tracefs tracefs /sys/kernel/tracing"
}
t "tracefs cannot be mounted: one clear sentence, exit 1" test_tracefs_unmountable

test_duration() {
	local start=$SECONDS
	run_status "$EXECWATCH" --duration 1
	expect_eq "$STATUS" 0 status
	[ $((SECONDS - start)) -le 30 ] || { echo "took $((SECONDS - start)) s"; return 1; }
	expect_contains "$OUTPUT" "events received, 0 lost"
}
t "--duration stops by itself, exit 0, with a summary" test_duration

test_signals() {
	local sig out
	for sig in TERM INT; do
		out="$TEST_TMP/out-$sig.json"
		start_execwatch "$out" --json
		kill -s "$sig" "$EW_PID"
		wait "$EW_PID"
		EW_PID=
		jvalidate "$out"
		expect_eq "$(jstat "$out" final)" true "final ($sig)"
		expect_match "$(head -n 1 "$out")" '^\{"type":"start",' "first record ($sig)"
	done
}
t "SIGTERM and SIGINT stop cleanly with the final stats record" test_signals

test_closed_pipe() {
	local err="$TEST_TMP/err" codes spawner
	(for i in $(seq 1 50); do "$NOOP"; sleep 0.1; done) &
	spawner=$!
	set +e
	timeout 60 "$EXECWATCH" 2>"$err" | head -n 2 >/dev/null
	codes=("${PIPESTATUS[@]}")
	set -e
	wait $spawner
	expect_eq "${codes[0]}" 0 "execwatch's exit status"
	expect_fail grep -q -i "error\|stopped" "$err"
}
t "a closed pipe ends it quietly with exit 0" test_closed_pipe

test_two_instances() {
	local a="$TEST_TMP/a.json" b="$TEST_TMP/b.json" pid_a pid_b mark
	start_execwatch "$a" --json
	pid_a=$EW_PID
	start_execwatch "$b" --json
	pid_b=$EW_PID
	EW_PID=
	mark=$(new_marker)
	"$NOOP" "$mark"
	settle
	kill -INT "$pid_a" "$pid_b"
	wait "$pid_a"
	wait "$pid_b"
	expect_eq "$(jcount "$a" "$mark")" 1 "first instance"
	expect_eq "$(jcount "$b" "$mark")" 1 "second instance"
}
t "two instances run independently" test_two_instances

# IDs of loaded BPF programs whose name matches the ERE, sorted.
prog_ids() {
	bpftool prog show | sed -n -E "s/^([0-9]*): .* name ($1) .*/\1/p" | sort
}

# The exec program: exec_success, or exec_success_direct on 6.2+ (shown cut to
# 15 bytes where bpftool has no BTF name for it).
EXEC_PROG='exec_success|exec_success_direct|exec_success_di'

test_names_and_cleanup() {
	local before ids id progs maps name
	before=$(prog_ids "$EXEC_PROG")
	start_execwatch "$TEST_TMP/out.txt"
	progs=$(bpftool prog show)
	maps=$(bpftool map show)
	grep -q -E "name ($EXEC_PROG) " <<<"$progs" || { echo "no exec_success program"; return 1; }
	# execve(at)'s entry and exit: fentry/fexit where the kernel takes them.
	local hooks="execve_enter execveat_enter execve_exit execveat_exit"
	if "$EXECWATCH" --check | grep -q '^fentry  *ok '; then
		hooks="execve_fentry execveat_fentry execve_fexit execveat_fexit"
	fi
	for name in $hooks; do
		grep -q "name $name " <<<"$progs" || { echo "no program $name"; return 1; }
	done
	for name in events exec_stash scratch counters; do
		grep -q "name $name " <<<"$maps" || { echo "no map $name"; return 1; }
	done
	ids=$(prog_ids "$EXEC_PROG")
	for id in $before; do
		ids=$(grep -v -x -- "$id" <<<"$ids" || true)
	done
	[ -n "$ids" ] || { echo "no new exec_success program"; return 1; }
	stop_execwatch
	for id in $ids; do
		expect_fail bpftool prog show id "$id"
	done
}
if have_bpftool; then
	t "programs and maps are named for bpftool, and gone after exit" test_names_and_cleanup
else
	skip_test "programs and maps are named for bpftool, and gone after exit" "no bpftool in the image"
fi
