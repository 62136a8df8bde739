#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Run the libFuzzer targets one after another and report each as a TAP line:
#   ok - fuzz <target>: N execs, 0 crashes
#   not ok - fuzz <target>: N execs, 1 crash: <artifact>   (with the report as # lines)
# followed by a "# fuzz <target>: cov: ... ft: ... corpus: ..." line with libFuzzer's figures.
#
#   fuzz/run.sh [--dir build/fuzz] [--seconds N] [--smoke] TARGET...
#
# --smoke starts from the seeds alone (committed in fuzz/corpus/<target> and
# generated in DIR/seeds/<target>) in a scratch directory, so make test is
# repeatable; without it, new inputs accumulate in DIR/corpus/<target> and
# every run continues where the last one stopped. Exit status 0 only when no
# target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=build/fuzz
seconds=60
smoke=0
while [ $# -gt 0 ]; do
	case "$1" in
	--dir) dir="$2"; shift 2 ;;
	--seconds) seconds="$2"; shift 2 ;;
	--smoke) smoke=1; shift ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: fuzz/run.sh [--dir DIR] [--seconds N] [--smoke] TARGET..." >&2; exit 2; }

# Per-target libFuzzer options: records need room for a filename and argv.
target_options() {
	case "$1" in
	decode) echo "-max_len=8192" ;;
	cli) echo "-max_len=1024 -dict=fuzz/cli.dict" ;;
	*) echo "-max_len=4096" ;;
	esac
}

# Sanitizer reports with a stack, for the TAP comments and the logs.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

echo "1..$#"
failed=0
for target in "$@"; do
	bin="$dir/fuzz_$target"
	if [ ! -x "$bin" ]; then
		echo "not ok - fuzz $target: $bin is not built (make fuzz-build)"
		failed=1
		continue
	fi
	artifacts="$dir/artifacts/$target"
	log="$dir/logs/$target.log"
	if [ "$smoke" -eq 1 ]; then
		work="$dir/smoke/$target"
		rm -rf "$work"
	else
		work="$dir/corpus/$target"
	fi
	mkdir -p "$work" "$artifacts" "$(dirname "$log")"
	seeds=()
	for d in "fuzz/corpus/$target" "$dir/seeds/$target"; do
		[ -d "$d" ] && seeds+=("$d")
	done
	before=$(find "$artifacts" -type f | wc -l)
	rc=0
	# shellcheck disable=SC2046 # the options are words on purpose
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$artifacts/" $(target_options "$target") \
		"$work" "${seeds[@]}" >"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	figures=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE '(cov|ft|corp): [^ ]+' |
		tr '\n' ' ' || true)
	crashes=$(($(find "$artifacts" -type f | wc -l) - before))
	[ "$rc" -eq 0 ] || [ "$crashes" -gt 0 ] || crashes=1
	if [ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ]; then
		echo "ok - fuzz $target: ${execs:-0} execs, 0 crashes"
	else
		failed=1
		artifact=$(ls -t "$artifacts" 2>/dev/null | head -n 1 || true)
		echo "not ok - fuzz $target: ${execs:-0} execs, $crashes crash(es)${artifact:+: $artifacts/$artifact} (exit $rc)"
		# The sanitizer or FUZZ_CHECK report, as TAP comments.
		{ grep -E 'ERROR|FUZZ_CHECK|SUMMARY|runtime error|^ *#[0-9]+ 0x|Test unit written|deadly signal' \
			"$log" || true; } | head -n 40 | sed 's/^/# /'
	fi
	echo "# fuzz $target: ${seconds}s, ${figures}log $log"
done
exit "$failed"
