#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# --metrics-file: the file is a valid Prometheus text exposition (checked by
# promcheck.py, strictly), replaced by rename (never rewritten in place, no
# temporary files left), mode 0644; the counters move with marker execs;
# --bpf-stats gives a BPF run time for every loaded program and the kernel
# setting is back as it was afterwards; a path that cannot be written fails at start.

load helpers

PROMCHECK="$BATS_TEST_DIRNAME/promcheck.py"

setup() {
	require_root
	MARK=$(new_marker)
	MDIR="$BATS_TEST_TMPDIR/metrics"
	mkdir -p "$MDIR"
	PROM="$MDIR/execwatch.prom"
}

prom() {
	python3 "$PROMCHECK" "$PROM" get "$1"
}

# wait_for SERIES MIN: until SERIES >= MIN (10 s at most).
wait_for() {
	local i
	for i in $(seq 1 100); do
		if [ "$(prom "$1")" -ge "$2" ] 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "$1 stayed below $2: $(prom "$1")" >&2
	return 1
}

@test "metrics: a valid exposition from the start, counters move with marker execs" {
	local out="$BATS_TEST_TMPDIR/out.jsonl"
	start_execwatch "$out" --json --metrics-file "$PROM" --metrics-interval 0.5 --ring-size 1M
	# Written once before tracing starts, so a bad path fails early.
	[ -f "$PROM" ]
	python3 "$PROMCHECK" "$PROM" validate
	[ "$(stat -c %a "$PROM")" = 644 ]
	[ "$(prom execwatch_ringbuf_size_bytes)" = 1048576 ]
	local version
	version=$("$EXECWATCH" --version | cut -d' ' -f2)
	[ "$(prom "execwatch_build_info{version=\"$version\"}")" = 1 ]
	wait_for 'execwatch_records_received_total' 0
	local execs received inode
	execs=$(prom 'execwatch_events_total{type="exec"}')
	received=$(prom execwatch_records_received_total)
	inode=$(stat -c %i "$PROM")
	local i
	for i in 1 2 3 4 5; do
		/bin/true "$MARK" "$i"
	done
	wait_for 'execwatch_events_total{type="exec"}' $((execs + 5))
	wait_for execwatch_records_received_total $((received + 5))
	python3 "$PROMCHECK" "$PROM" validate
	# Every kernel counter is exported under its JSON name, agreeing with the family.
	[ "$(prom 'execwatch_kernel_counter_total{counter="exec_seen"}')" -ge $((execs + 5)) ]
	[ "$(prom 'execwatch_kernel_counter_total{counter="ringbuf_full"}')" = \
		"$(prom 'execwatch_drops_total{cause="ringbuf_full"}')" ]
	# Replaced by rename, not rewritten: a new inode, and no temporary left.
	[ "$(stat -c %i "$PROM")" != "$inode" ]
	[ "$(ls -A "$MDIR")" = execwatch.prom ]
	local used rss
	used=$(prom execwatch_ringbuf_used_bytes)
	[ "$used" -ge 0 ] && [ "$used" -le 1048576 ]
	rss=$(prom execwatch_resident_memory_bytes)
	[ "$rss" -gt 1000000 ]
	stop_execwatch
	[ "$(jsonq "$out" count "$MARK")" = 5 ]
	# The last write happens at exit and agrees with the final stats record.
	[ "$(prom execwatch_records_received_total)" = "$(jsonq "$out" last stats received)" ]
	[ "$(ls -A "$MDIR")" = execwatch.prom ]
}

# run_seconds_positive PROGRAM: its run time in the file is above 0.
run_seconds_positive() {
	python3 -c "import sys; sys.exit(not float(sys.argv[1]) > 0)" \
		"$(prom "execwatch_bpf_prog_run_seconds_total{program=\"$1\"}")"
}

@test "metrics: --bpf-stats gives BPF run times for every loaded program, and the kernel setting is restored" {
	local before out="$BATS_TEST_TMPDIR/out.json" progs p i
	before=$(cat /proc/sys/kernel/bpf_stats_enabled)
	# --exits and --ancestors load proc_exit and track_fork too.
	start_execwatch "$out" --json --exits --ancestors --metrics-file "$PROM" \
		--metrics-interval 0.5 --bpf-stats
	progs=$(python3 "$PROMCHECK" "$PROM" label execwatch_bpf_prog_runs_total program | sort)
	echo "# programs: $(echo $progs)" >&3
	# Every program such a run loads is in the file (none left out).
	for p in "$(exec_prog_name)" $(syscall_prog_names) proc_exit track_fork; do
		echo "$progs" | grep -qx "$p" || { echo "$p missing from: $progs"; return 1; }
	done
	# Each hook fires: execve and execveat, each succeeding and failing, forks and exits.
	# The statistics are on through a BPF_ENABLE_STATS descriptor, which
	# does not show in the sysctl: the run counts and times below prove them.
	/bin/true "$MARK"
	"$EWTEST" exec /nonexistent/"$MARK" x >/dev/null
	"$EWTEST" execveat-fd /bin/true true "$MARK" >/dev/null
	"$EWTEST" execveat-fd /etc/hostname x "$MARK" >/dev/null
	for p in $progs; do
		wait_for "execwatch_bpf_prog_runs_total{program=\"$p\"}" 1
		# Run time can trail the count by a write: a few more tries.
		for i in $(seq 1 20); do
			run_seconds_positive "$p" && break
			sleep 0.1
		done
		run_seconds_positive "$p" || { echo "$p: no run time"; return 1; }
	done
	[ "$(prom execwatch_bpf_stats_enabled)" = 1 ]
	stop_execwatch
	# The descriptor dies with the process; the sysctl was never written.
	[ "$(cat /proc/sys/kernel/bpf_stats_enabled)" = "$before" ]
}

@test "metrics: a path that cannot be written fails at start, with the reason" {
	run "$EXECWATCH" --metrics-file "$BATS_TEST_TMPDIR/no/such/dir/x.prom" -d 1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"--metrics-file: cannot write '$BATS_TEST_TMPDIR/no/such/dir/x.prom': No such file or directory"* ]]
}
