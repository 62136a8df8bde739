#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Run every test suite (unit tests under ASan+UBSan, kernel tests with the
# real BPF programs, the tutorial example, the format check), stream their
# TAP output, and end with one line: "N passed, N failed, N skipped".
# Exit status is 0 only when nothing failed.
set -u
cd "$(dirname "$0")/.."

BUILD="${BUILD:-build}"
passed=0
failed=0
skipped=0
failures=()

# count_tap NAME: read TAP on stdin, echo it, add to the totals.
count_tap() {
	local suite="$1" line
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case "$line" in
		"not ok "*)
			failed=$((failed + 1))
			failures+=("$suite: ${line#not ok }")
			;;
		"ok "*"# skip"* | "ok "*"# SKIP"*)
			skipped=$((skipped + 1))
			;;
		"ok "*)
			passed=$((passed + 1))
			;;
		esac
	done
}

# run_checked NAME CMD...: run a TAP-producing command; a crash with no
# "not ok" (a sanitizer abort, a missing binary) still counts as a failure.
run_checked() {
	local name="$1" out rc
	shift
	out=$(mktemp)
	local started=$SECONDS
	"$@" >"$out" 2>&1
	rc=$?
	# How long each part took: the whole run must stay well under CI's limit.
	echo "# --- $name ($((SECONDS - started)) s)"
	local fails_before=$failed
	count_tap "$name" <"$out"
	if [ "$rc" -ne 0 ] && [ "$failed" -eq "$fails_before" ]; then
		failed=$((failed + 1))
		failures+=("$name: exited with status $rc without a failing test")
	fi
	rm -f "$out"
}

for test in "$BUILD"/unit/test_*; do
	[ -x "$test" ] || continue
	run_checked "unit/$(basename "$test")" env CMOCKA_MESSAGE_OUTPUT=TAP \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$test"
done

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
		run_checked "kernel-asan/$(basename "$suite")" \
			env EXECWATCH="$PWD/$BUILD/san/execwatch" EXECWATCH_SANITIZED=1 \
			bats --tap "$suite"
	done
fi

# The libFuzzer targets, a few seconds each (make fuzz runs them longer).
if [ -f fuzz/fuzz.mk ] && command -v clang >/dev/null; then
	run_checked "fuzz/smoke" make --no-print-directory fuzz-smoke
fi

# The kernel tests again, inside QEMU on one of Debian's own kernels (older
# verifier than the host's). On in CI; EXECWATCH_VM=1 turns it on by hand.
if [ "${CI:-}" = true ] || [ -n "${EXECWATCH_VM:-}" ]; then
	run_checked "vm/linux-${EXECWATCH_VM_KERNEL:-6.1}" \
		make --no-print-directory test-vm KERNEL="${EXECWATCH_VM_KERNEL:-6.1}"
	# The policy's deny (EPERM from BPF LSM) can only be tested where BPF
	# LSM loads: not on the host (lockdown), in the guest it does (~1 min).
	run_checked "vm-lsm/linux-${EXECWATCH_VM_KERNEL:-6.1}" \
		make --no-print-directory test-vm-lsm KERNEL="${EXECWATCH_VM_KERNEL:-6.1}"
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

if [ "${#failures[@]}" -gt 0 ]; then
	echo "# Failures:"
	printf '#   %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
