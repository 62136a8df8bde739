# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# BPF LSM and fentry in the VM (issue 6), `make test-vm-lsm`: the kernel is
# booted with "bpf" in its lsm= list. /ew/bin/lsm-probe (vm/probe/) loads a
# BPF LSM program on bprm_check_security that denies one file by device and
# inode, and an fentry program on security_bprm_check; it execs the file and
# another one. Each finding becomes a TAP line, so the matrix shows which
# kernels can run the exec policy's `deny` and which need `kill`.

PROBE_OUT="$EW_TMP/lsm-probe.out"
probe_run() {
	[ -e "$PROBE_OUT" ] && return 0
	cp "$NOOP" "$EW_TMP/denied"
	cp "$NOOP" "$EW_TMP/allowed"
	/ew/bin/lsm-probe "$EW_TMP/denied" "$EW_TMP/allowed" >"$PROBE_OUT" 2>&1 || true
	{
		echo "=== lsm-probe on $(uname -r), lsm=$(cat /sys/kernel/security/lsm 2>/dev/null)"
		cat "$PROBE_OUT"
		echo "=== end"
	} >/dev/ttyS0
}

# probe_expect KEY VALUE: the probe's "KEY: VALUE..." line starts with VALUE.
probe_expect() {
	probe_run
	local got
	got=$(sed -n "s/^$1: //p" "$PROBE_OUT")
	if [[ "$got" != "$2"* ]]; then
		echo "$1: expected $2, got ${got:-nothing}"
		grep -v "^[a-z_]*: " "$PROBE_OUT" | tail -n 30
		return 1
	fi
}

test_lsm_active() {
	local lsm
	lsm=$(cat /sys/kernel/security/lsm)
	echo "active LSMs: $lsm"
	expect_contains ",$lsm," ",bpf," "bpf among the active LSMs"
	if [ -r /sys/kernel/security/lockdown ]; then
		echo "lockdown: $(cat /sys/kernel/security/lockdown)"
	fi
}
t "bpf is an active LSM (lsm= on the command line)" test_lsm_active

test_lsm_load() { probe_expect lsm_load ok && probe_expect lsm_attach ok; }
t "BPF LSM program (bprm_check_security) loads and attaches" test_lsm_load

test_lsm_runs() { probe_expect lsm_runs yes; }
t "BPF LSM program is called on exec" test_lsm_runs

test_lsm_deny() {
	probe_expect lsm_deny EPERM
	probe_expect lsm_allow ok
	probe_expect lsm_after_detach ok
}
t "BPF LSM deny: the named inode fails with EPERM, others run, detach restores" test_lsm_deny

test_fentry() {
	probe_expect fentry_load ok
	probe_expect fentry_attach ok
	probe_expect fentry_runs yes
}
t "fentry program (security_bprm_check) loads, attaches and runs" test_fentry
