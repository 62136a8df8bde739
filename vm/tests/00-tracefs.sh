# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Runs first, while the VM has no tracefs: /init mounts proc, sys and
# devtmpfs only, so execwatch has to mount tracefs itself before it can
# attach to the syscalls tracepoints (--syscall-hooks=tracepoint: by default
# it hooks execve with fentry where the kernel allows, and needs no tracefs). The second test loads execwatch with
# --verbose; when loading fails on a kernel (an old one lacking a helper or a
# program type) its libbpf and verifier log goes to the console log whole and
# its tail into the TAP output, so the report names the exact reason.

# Where the kernel takes fentry (Debian's 5.10, 6.1 and 6.12 do; the host's
# lockdown does not), execve's entry and exit are hooked with fentry/fexit
# (--syscall-hooks=fentry fails to start otherwise): no syscalls/ tracepoint,
# so no tracefs is mounted, and successful and failed execs are both
# reported. Runs while the VM has no tracefs, before the test below.
test_fentry_hooks_need_no_tracefs() {
	local mark out="$TEST_TMP/out.json" output
	mark=$(new_marker)
	export EW_MARK="$mark" # ewtest puts it where @MARK@ is: not in its own argv
	start_execwatch "$out" --json --syscall-hooks fentry
	"$NOOP" "$mark"
	output=$("$EWTEST" exec "$TEST_TMP/missing" argv0 @MARK@ x)
	expect_eq "$output" "execve failed: ENOENT" "ewtest says"
	settle
	stop_execwatch
	if grep -q ' tracefs ' /proc/mounts; then
		echo "execwatch mounted tracefs, which fentry hooks do not need"
		return 1
	fi
	expect_eq "$(jcount "$out" "$mark")" 2 "records carrying the marker"
	expect_eq "$(grep -F "$mark" "$out" | grep -c '"ret":-2')" 1 "the failed exec, ret -2"
	expect_eq "$(grep -F "$mark" "$out" | grep -c '"argv":\["argv0","'"$mark"'","x"\]')" 1 \
		"the failed exec's argv"
}
if "$EXECWATCH" --check | grep -q '^fentry  *ok '; then
	t "fentry hooks on execve: no tracefs needed, successes and failures reported" \
		test_fentry_hooks_need_no_tracefs
else
	skip_test "fentry hooks on execve" "this kernel refuses fentry (execwatch --check)"
fi

test_tracefs_mounted_by_execwatch() {
	if grep -q ' tracefs ' /proc/mounts || [ -e /sys/kernel/tracing/events ]; then
		echo "tracefs is already mounted: this test needs a fresh VM"
		return 1
	fi
	local mark out="$TEST_TMP/out.json"
	mark=$(new_marker)
	start_execwatch "$out" --json --syscall-hooks tracepoint
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
