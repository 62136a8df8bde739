#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# execwatch --check: every feature has its line and its consequence, the exit
# status says whether execwatch can run, and the fentry and BPF LSM verdicts
# are honest: they agree with bpftool loading the same kind of program,
# compiled here (on the test machine both are refused: lockdown). bpftool 7.1
# cannot attach tracing programs, so when it loads one, --check may still
# report a refusal, but only one at attach time.

load helpers

setup() {
	require_root
}

# verdict FEATURE: the second column of FEATURE's line in $output.
verdict() {
	echo "$output" | awk -v f="$1" 'index($0, f " ") == 1 { print substr($0, 18, 9); exit }' |
		tr -d ' '
}

# bpftool_loads SECTION: 0 when bpftool loads a program of that section
# (fentry/..., lsm/...) that reads its first argument and does nothing
# else, 1 when the kernel refuses.
bpftool_loads() {
	# Pinned in a bpffs of our own: /sys/fs/bpf may not be mounted.
	local dir="$BATS_TEST_TMPDIR" fs="$BATS_TEST_TMPDIR/bpffs" pin
	mkdir -p "$fs"
	mountpoint -q "$fs" || mount -t bpf bpf "$fs"
	pin="$fs/ewcheck"
	cat >"$dir/p.bpf.c" <<-EOF
		#include <linux/bpf.h>
		#include <bpf/bpf_helpers.h>
		char LICENSE[] SEC("license") = "GPL";
		SEC("$1") int probe(unsigned long long *ctx) { return ctx[0] == 1; }
	EOF
	clang -g -O2 --target=bpf -I"/usr/include/$(cc -print-multiarch)" -c "$dir/p.bpf.c" \
		-o "$dir/p.bpf.o"
	local rc=1
	if bpftool prog load "$dir/p.bpf.o" "$pin" 2>"$dir/bpftool.err"; then
		rc=0
	fi
	rm -rf "$pin"
	umount "$fs"
	cat "$dir/bpftool.err" >&2
	return $rc
}

@test "--check reports every feature with what execwatch does, exit 0 here" {
	run "$EXECWATCH" --check
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "execwatch --check: Linux $(uname -r) "* ]]
	local f
	for f in privileges BTF "ring buffer" tracefs tp_btf fentry "BPF LSM" bpf_send_signal \
		bpf_loop "path reads" lockdown "bpf stats"; do
		[ -n "$(verdict "$f")" ] || { echo "no line for $f"; return 1; }
	done
	# Every feature line is followed by its consequence.
	[ "$(echo "$output" | grep -c '^ \{27\}-> ')" -eq 12 ]
	# Linux 5.17 brought bpf_loop(), 6.2 bpf_rdonly_cast() (the direct path reads).
	if kernel_at_least 5 17; then
		[ "$(verdict bpf_loop)" = ok ]
	else
		[ "$(verdict bpf_loop)" = absent ]
	fi
	if kernel_at_least 6 2; then
		[ "$(verdict "path reads")" = direct ]
	else
		[ "$(verdict "path reads")" = helper ]
	fi
	[ "$(verdict privileges)" = ok ]
	[ "$(verdict BTF)" = ok ]
	[ "$(verdict "ring buffer")" = ok ]
	[ "$(verdict tp_btf)" = ok ]
	[ "$(verdict bpf_send_signal)" = ok ]
	[ "${lines[-1]}" = "result: execwatch can run here" ]
	# The bpf stats line reads the real sysctl.
	if [ "$(cat /proc/sys/kernel/bpf_stats_enabled)" = 1 ]; then
		[ "$(verdict "bpf stats")" = on ]
	else
		[ "$(verdict "bpf stats")" = off ]
	fi
}

@test "--check: fentry and BPF LSM verdicts agree with bpftool loading the same programs" {
	run "$EXECWATCH" --check
	local fentry lsm
	fentry=$(verdict fentry)
	lsm=$(verdict "BPF LSM")
	echo "# fentry: $fentry, BPF LSM: $lsm" >&3
	# The method works: a tp_btf program (which --check found ok) loads.
	bpftool_loads tp_btf/sched_process_exec
	# As execwatch probes fentry: on execve and execveat, reading the argument.
	if bpftool_loads fentry/__x64_sys_execve && bpftool_loads fentry/__x64_sys_execveat; then
		[ "$fentry" = ok ] || [[ "$output" == *"fentry           refused   refused at attach"* ]]
	else
		[ "$fentry" = refused ]
		[[ "$output" =~ "fentry           refused   refused at "(load|BTF) ]]
	fi
	if bpftool_loads lsm/bprm_check_security; then
		[ "$lsm" = ok ] || [ "$lsm" = inactive ] ||
			[[ "$output" == *"BPF LSM          refused   refused at attach"* ]]
	else
		[ "$lsm" = refused ]
		[[ "$output" == *"no in-kernel deny: enforcement would kill"* ]]
	fi
}

@test "--check without capabilities: says what is missing and exits 1" {
	run setpriv --bounding-set=-all --inh-caps=-all -- "$EXECWATCH" --check
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(verdict privileges)" = missing ]
	[[ "$output" == *"CAP_BPF no, CAP_PERFMON no, CAP_SYS_ADMIN no"* ]]
	[ "$(verdict "ring buffer")" = unknown ]
	[ "$(verdict tp_btf)" = refused ]
	[ "$(verdict bpf_send_signal)" = refused ]
	[ "${lines[-1]}" = "result: execwatch cannot run here (see above)" ]
}

@test "--check with only the service's capabilities: can run" {
	# The unit's bounding set (packaging/execwatch.service.in).
	run setpriv --bounding-set=-all,+bpf,+perfmon,+sys_admin --inh-caps=-all -- "$EXECWATCH" --check
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"CAP_BPF yes, CAP_PERFMON yes, CAP_SYS_ADMIN yes"* ]]
	# The kill fallback needs no capability beyond these (the unit grants no more).
	[ "$(verdict bpf_send_signal)" = ok ]
	[ "$(verdict tp_btf)" = ok ]
}

# Does a process with only CAP_BPF and CAP_PERFMON get a perf event? Debian's
# and Ubuntu's kernels at perf_event_paranoid 3 say no (CAP_SYS_ADMIN only).
perf_open_without_sys_admin() {
	setpriv --bounding-set=-all,+bpf,+perfmon --inh-caps=-all -- python3 -c '
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
# struct perf_event_attr, PERF_ATTR_SIZE_VER0: a software dummy event on ourselves.
attr = struct.pack("=IIQQQQQ", 1, 64, 9, 0, 0, 0, 1 | 1 << 5) + bytes(16)
# perf_event_open: 298 on x86-64, 241 on arm64 (the architectures the Makefile builds for).
nr = {"x86_64": 298, "aarch64": 241}[os.uname().machine]
fd = libc.syscall(nr, ctypes.c_char_p(attr), 0, -1, -1, 0)
sys.exit(0 if fd >= 0 else 1)'
}

@test "--check with CAP_BPF and CAP_PERFMON only: can run unless the kernel restricts perf events" {
	run setpriv --bounding-set=-all,+bpf,+perfmon --inh-caps=-all -- "$EXECWATCH" --check
	echo "$output"
	[[ "$output" == *"CAP_BPF yes, CAP_PERFMON yes, CAP_SYS_ADMIN no"* ]]
	if perf_open_without_sys_admin; then
		[ "$status" -eq 0 ]
		[ "$(verdict privileges)" = ok ]
		[ "$(verdict tp_btf)" = ok ]
	else
		# The verdict names the sysctl and the way out.
		[ "$status" -eq 1 ]
		[ "$(verdict privileges)" = missing ]
		[[ "$output" == *"perf_event_paranoid"* ]]
	fi
}
