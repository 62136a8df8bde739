#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# BPF run time per exec of the path prototype (root). For each variant of the
# program (no walk, exe walk only, cwd walk only, both; no ring buffer
# output, then the full record) and two exe depths,
# it runs an exec storm and reads run_time_ns / run_cnt from the kernel's BPF
# statistics (sysctl kernel.bpf_stats_enabled, restored at exit). The walk
# costs are the differences from the no-walk variant. A last run has the
# program time each walk itself with bpf_ktime_get_ns() (--time).
#
#	prototype/bench.sh [BUILD_DIR] [EXECS]	(default: build/prototype 10000)

set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "${1:-$here/../build/prototype}" && pwd)
n=${2:-10000}
proto=$out/path_proto
storm=$out/storm

[ "$(id -u)" = 0 ] || { echo "bench.sh: needs root" >&2; exit 2; }

T=$(mktemp -d /tmp/pp-bench.XXXXXX)
old_stats=$(sysctl -n kernel.bpf_stats_enabled)
pp_pid=
cleanup() {
	[ -n "$pp_pid" ] && kill -INT "$pp_pid" 2>/dev/null && wait "$pp_pid" 2>/dev/null
	sysctl -q -w kernel.bpf_stats_enabled="$old_stats"
	rm -rf "$T"
}
trap cleanup EXIT
sysctl -q -w kernel.bpf_stats_enabled=1

# Two programs to exec: a shallow one (/tmp/pp-bench.X/prog, 3 names) and a
# deep one (30 more directories). cwd is $T (2 names) for every run.
cp "$out/static_prog" "$T/prog"
deep=$T
for i in $(seq 30); do deep=$deep/dir$i; done
mkdir -p "$deep"
cp "$out/static_prog" "$deep/prog"

start_proto() { # start_proto ARGS...: sets pp_pid and prog_id
	"$proto" -q "$@" >"$T/pp.out" 2>"$T/pp.err" &
	pp_pid=$!
	for _ in $(seq 200); do
		grep -q '^ready' "$T/pp.out" 2>/dev/null && break
		sleep 0.05
	done
	prog_id=$(sed -n 's/^ready prog_id=\([0-9]*\).*/\1/p' "$T/pp.out")
	[ -n "$prog_id" ] || { cat "$T/pp.err" >&2; exit 1; }
}

stop_proto() {
	kill -INT "$pp_pid"
	wait "$pp_pid" || true
	pp_pid=
}

stats() { # stats ID: "run_time_ns run_cnt"
	bpftool prog show id "$1" --json |
		python3 -c 'import json,sys; p=json.load(sys.stdin); print(p.get("run_time_ns",0), p.get("run_cnt",0))'
}

measure() { # measure LABEL PROG ARGS...: prints ns/exec
	local label=$1 prog=$2
	shift 2
	start_proto "$@"
	(cd "$T" && "$storm" 500 "$prog" >/dev/null) # warm-up
	read -r t0 c0 < <(stats "$prog_id")
	(cd "$T" && "$storm" "$n" "$prog" >"$T/storm.out")
	read -r t1 c1 < <(stats "$prog_id")
	stop_proto
	# kernel.bpf_stats_enabled is global: if something else turned it off
	# during the storm, the counters did not move.
	sysctl -q -w kernel.bpf_stats_enabled=1
	awk -v l="$label" -v t=$((t1 - t0)) -v c=$((c1 - c0)) -v s="$(cat "$T/storm.out")" \
		'BEGIN { if (c == 0) printf "%-34s      n/a  (no runs counted: stats turned off meanwhile?)\n", l;
			else printf "%-34s %8.0f ns/exec  (%d runs; storm: %s)\n", l, t / c, c, s }'
}

echo "kernel $(uname -r), $(nproc) CPUs, $n execs per run"
for which in shallow deep; do
	if [ "$which" = shallow ]; then prog=$T/prog; else prog=$deep/prog; fi
	echo "exe $prog ($(echo "$prog" | tr -cd / | wc -c) names), cwd $T:"
	measure "  task_fs only (no walk, no send)" "$prog" --no-exe --no-cwd --no-send
	measure "  + exe walk" "$prog" --no-cwd --no-send
	measure "  + cwd walk" "$prog" --no-exe --no-send
	measure "  + exe and cwd walks" "$prog" --no-send
	measure "  full record (walks + ring buffer)" "$prog"
done

echo "in-program timing (bpf_ktime_get_ns around each part, includes ~2 ktime calls):"
for prog in "$T/prog" "$deep/prog"; do
	start_proto --time
	(cd "$T" && "$storm" "$n" "$prog" >/dev/null)
	stop_proto
	echo "  exe $(echo "$prog" | tr -cd / | wc -c) names, cwd 2 names:"
	sed 's/^/    /' "$T/pp.err"
done
