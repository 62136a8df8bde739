#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Run every test suite (kernel tests with the real BPF programs, release and
# ASan+UBSan builds, unit tests under ASan+UBSan, fuzz smoke, the VM in CI,
# the format check), stream their TAP output, and end with one line:
# "N passed, N failed, N skipped".
# Exit status is 0 only when nothing failed.
set -u
cd "$(dirname "$0")/.."

BUILD="${BUILD:-build}"
passed=0
failed=0
skipped=0
failures=()

# count_tap NAME: read TAP on stdin, echo it, add to the totals. A VM
# whose guest locked up is booted again once (vm/run-vm): the lines of the
# abandoned boot were already shown, and only the second boot's count.
count_tap() {
	local suite="$1" line p=0 f=0 s=0
	local -a fails=()
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case "$line" in
		"# the guest's kernel reported a soft lockup"*"booting again, once")
			p=0 f=0 s=0
			fails=()
			;;
		"not ok "*)
			f=$((f + 1))
			fails+=("$suite: ${line#not ok }")
			;;
		"ok "*"# skip"* | "ok "*"# SKIP"*)
			s=$((s + 1))
			;;
		"ok "*)
			p=$((p + 1))
			;;
		esac
	done
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	failures+=("${fails[@]}")
}

# report NAME RC SECONDS OUT: count a finished part's TAP output; a crash
# with no "not ok" (a sanitizer abort, a missing binary) still counts as a
# failure.
report() {
	local name="$1" rc="$2" took="$3" out="$4"
	# How long each part took: the whole run must stay well under CI's limit.
	echo "# --- $name ($took s)"
	local fails_before=$failed
	count_tap "$name" <"$out"
	if [ "$rc" -ne 0 ] && [ "$failed" -eq "$fails_before" ]; then
		failed=$((failed + 1))
		failures+=("$name: exited with status $rc without a failing test")
	fi
	rm -f "$out"
}

# run_checked NAME CMD...: run a TAP-producing command and report it.
run_checked() {
	local name="$1" out rc started=$SECONDS
	shift
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	report "$name" "$rc" $((SECONDS - started)) "$out"
}

# in_background NAME CMD...: start a part now, report it at finish_background.
# For parts that share nothing with what runs meanwhile (a VM's own kernel).
bg_names=()
bg_pids=()
bg_outs=()
bg_started=()
in_background() {
	local name="$1" out
	shift
	out=$(mktemp)
	bg_started+=("$SECONDS")
	# The exit status and when it ended (SECONDS goes on in the subshell).
	("$@" >"$out" 2>&1; echo "$? $SECONDS" >"$out.rc") &
	bg_pids+=("$!")
	bg_names+=("$name")
	bg_outs+=("$out")
}

finish_background() {
	local i rc ended
	for i in "${!bg_pids[@]}"; do
		wait "${bg_pids[$i]}"
		read -r rc ended <"${bg_outs[$i]}.rc" || { rc=1; ended=$SECONDS; }
		rm -f "${bg_outs[$i]}.rc"
		report "${bg_names[$i]}" "$rc" $((ended - bg_started[$i])) "${bg_outs[$i]}"
	done
}

# The parts that share nothing with the kernel tests run beside them, at a
# lower priority, so the whole run stays well under CI's limit: the unit
# tests and fuzzers (pure code), and in CI the kernel tests inside QEMU on
# one of Debian's own kernels (an older verifier than the host's; the guest
# has its own kernel, so nothing it does touches what the host tests). The
# host's kernel tests have passed beside two such VMs at a load of 6.
unit_tests() {
	local test rc=0
	for test in "$BUILD"/unit/test_*; do
		[ -x "$test" ] || continue
		echo "# --- unit/$(basename "$test")"
		env CMOCKA_MESSAGE_OUTPUT=TAP ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
			UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$test" || rc=1
	done
	return $rc
}
in_background "unit" nice -n 10 bash -c "BUILD=$BUILD; $(declare -f unit_tests); unit_tests"

# The libFuzzer targets, a few seconds each (make fuzz runs them longer).
if [ -f fuzz/fuzz.mk ] && command -v clang >/dev/null; then
	in_background "fuzz/smoke" nice -n 10 make --no-print-directory fuzz-smoke
fi

# On in CI; EXECWATCH_VM=1 turns it on by hand. Its floods are smaller than
# the host's (they cost a minute under emulation; the host runs them whole).
if [ "${CI:-}" = true ] || [ -n "${EXECWATCH_VM:-}" ]; then
	vm_kernel="${EXECWATCH_VM_KERNEL:-6.1}"
	# The policy's deny (EPERM from BPF LSM) can only be tested where BPF
	# LSM loads: not on the host (lockdown), in the guest it does (~1 min).
	in_background "vm/linux-$vm_kernel" nice -n 10 sh -c "make --no-print-directory test-vm \
		KERNEL=$vm_kernel VM_APPEND='EW_THREAD_FLOOD_N=1000 EW_FLOOD_N=2000'; quick=\$?;
		make --no-print-directory test-vm-lsm KERNEL=$vm_kernel; lsm=\$?;
		[ \$quick -eq 0 ] && [ \$lsm -eq 0 ]"
fi

for suite in tests/kernel/*.bats; do
	run_checked "kernel/$(basename "$suite")" bats --tap "$suite"
done

# The same kernel tests against the ASan+UBSan build of execwatch: a leak,
# an overflow or undefined behaviour on a real exec path fails the test
# (ASan exits non-zero). The tutorial's example does not run execwatch, and
# the package tests run the binary the .deb installs, built by the package.
if [ -x "$BUILD/san/execwatch" ]; then
	for suite in tests/kernel/*.bats; do
		case "$(basename "$suite")" in
		first_program.bats | package.bats) continue ;;
		esac
		# Memory safety on every path, not scale: the longest storm
		# (20,000 thread execs) and the soak are shorter here; the
		# release pass above runs them whole.
		run_checked "kernel-asan/$(basename "$suite")" \
			env EXECWATCH="$PWD/$BUILD/san/execwatch" EXECWATCH_SANITIZED=1 \
			EXECWATCH_STORM_SCALE=4 SOAK_SECONDS=20 bats --tap "$suite"
	done
fi

# The tree is formatted as .clang-format says.
if command -v clang-format >/dev/null; then
	if make --no-print-directory -s check-format >/tmp/execwatch-format.$$ 2>&1; then
		echo "ok - clang-format: the tree is formatted"
		passed=$((passed + 1))
	else
		cat /tmp/execwatch-format.$$
		echo "not ok - clang-format: run 'make format'"
		failed=$((failed + 1))
		failures+=("format: run 'make format'")
	fi
	rm -f /tmp/execwatch-format.$$
fi

finish_background

if [ "${#failures[@]}" -gt 0 ]; then
	echo "# Failures:"
	printf '#   %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
