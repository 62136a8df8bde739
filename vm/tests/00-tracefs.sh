# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Runs first, while the VM has no tracefs: /init mounts proc, sys and
# devtmpfs only, so execwatch has to mount tracefs itself before it can
# attach to the syscalls tracepoints. The second test loads execwatch with
# --verbose; when loading fails on a kernel (an old one lacking a helper or a
# program type) its libbpf and verifier log goes to the console log whole and
# its tail into the TAP output, so the report names the exact reason.

test_tracefs_mounted_by_execwatch() {
	if grep -q ' tracefs ' /proc/mounts || [ -e /sys/kernel/tracing/events ]; then
		echo "tracefs is already mounted: this test needs a fresh VM"
		return 1
	fi
	local mark out="$TEST_TMP/out.json"
	mark=$(new_marker)
	start_execwatch "$out" --json
	"$NOOP" "$mark"
	settle
	stop_execwatch
	grep ' tracefs ' /proc/mounts
	test -e /sys/kernel/tracing/events/syscalls/sys_enter_execve
	expect_eq "$(jcount "$out" "$mark")" 1 "records carrying the marker"
}
t "tracefs not mounted: execwatch mounts it and traces" test_tracefs_mounted_by_execwatch

test_loads_verbose() {
	local status=0
	"$EXECWATCH" --verbose --duration 1 >"$TEST_TMP/out" 2>"$TEST_TMP/err" || status=$?
	if [ "$status" -ne 0 ]; then
		{
			echo "=== execwatch --verbose failed with $status on $(uname -r); its stderr:"
			cat "$TEST_TMP/err"
			echo "=== end"
		} >/dev/ttyS0
		grep -v '^libbpf: prog .*: -- \(BEGIN\|END\)' "$TEST_TMP/err" | tail -n 60
		return 1
	fi
	grep -q 'events received' "$TEST_TMP/err"
}
t "execwatch loads, attaches and stops (libbpf log on failure)" test_loads_verbose
