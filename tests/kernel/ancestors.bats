#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# --ancestors (issue 3): each exec record carries its chain of ancestors up
# to PID 1 from the process table, which learns parent links from fork
# records (a process that forks and never execs is a real ancestor), exec
# records and /proc, and never mistakes a reused pid for the old process.
# parent_exe is on every JSON exec record when the table knows it.

load helpers

setup() {
	setup_marked
}

# check_chain FILE MARKER PYTHON: run PYTHON with `r` the one exec record
# whose argv[1] is MARKER, `recs` all records, `mark` the marker.
check_chain() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
out, marker, code = sys.argv[1], sys.argv[2], sys.argv[3]
recs = [json.loads(l) for l in open(out)]
found = [r for r in recs if r["type"] == "exec" and r["argv"][1:2] == [marker]]
assert len(found) == 1, f"{len(found)} records with argv[1] == {marker}"
r = found[0]
chain = r["ancestors"]
for a in chain:
    print(a["pid"], a["id"], a["exe"], a["argv"][:4])
# Always: the parent first, each link a real parent, PID 1 last.
assert chain and chain[0]["pid"] == r["ppid"] and chain[0]["id"] == r["parent_id"], r
assert r["ancestors_complete"] is True and chain[-1]["pid"] == 1, chain
assert len({a["pid"] for a in chain}) == len(chain), "a pid twice in the chain"
exec(code)
PY
}

@test "sh -> sh -> exec: both shells with their argv, then up to PID 1" {
	start_execwatch "$OUT" --json --ancestors
	sh -c "sh -c '$NOOP $MARK-chain; true'; true"
	settle 0.5
	stop_execwatch
	jsonq "$OUT" validate
	check_chain "$OUT" "$MARK-chain" '
inner, outer = chain[0], chain[1]
assert inner["argv"][:2] == ["sh", "-c"] and inner["argv"][2].endswith(f"{marker}; true"), inner
assert outer["argv"][:2] == ["sh", "-c"] and outer["argv"][2].startswith("sh -c"), outer
assert inner["exe"].endswith("sh") and outer["exe"].endswith("sh"), chain
# The shells exec records agree with the chain: same pid and id.
shells = {x["id"]: x for x in recs if x["type"] == "exec" and x["argv"][:2] == ["sh", "-c"]}
assert inner["id"] in shells and outer["id"] in shells, (inner, outer)
assert shells[inner["id"]]["ppid"] == outer["pid"]
assert r["parent_exe"] == inner["exe"], r
'
}

@test "a process that forks without exec is the parent of its child's exec" {
	start_execwatch "$OUT" --json --ancestors
	# The ( ) subshell is a fork of the outer sh that never execs.
	sh -c "( $NOOP $MARK-fork; true ); true"
	settle 0.5
	stop_execwatch
	check_chain "$OUT" "$MARK-fork" '
sub, outer = chain[0], chain[1]
# The subshell runs the outer shell program, with its argv (inherited at fork).
assert sub["pid"] != outer["pid"], chain
assert sub["argv"] == outer["argv"] and sub["argv"][2].startswith("( "), chain
outer_rec = [x for x in recs if x["type"] == "exec" and x["id"] == outer["id"]]
assert len(outer_rec) == 1, "the outer sh exec record"
# No exec record for the subshell: only the fork record taught its link.
assert not [x for x in recs if x["type"] == "exec" and x["pid"] == sub["pid"]]
# The books still balance with fork records in the ring.
k = [x for x in recs if x["type"] == "stats"][-1]["kernel"]
assert k["fork_seen"] >= 2, k
seen = k["exec_seen"] + k["failed_seen"] + k["exit_seen"] + k["fork_seen"] - k["stash_miss"] - k["scratch_miss"] - k["filtered"]
assert seen == k["events_sent"] + k["ringbuf_full"], k
'
}

@test "pid reuse (clone3 set_tid) never gives a stale ancestor, with or without exits" {
	local dir="$BATS_TEST_TMPDIR"
	printf 'exit 0\n' >"$dir/s-a"
	printf '%s %s; true\n' "$NOOP" "$MARK-reuse" >"$dir/s-b"
	local opts
	for opts in "--json --ancestors" "--json --ancestors --no-exits"; do
		# shellcheck disable=SC2086
		start_execwatch "$OUT" $opts
		local pid
		pid=$("$EWTEST" reuse-pid /bin/sh "$dir/s")
		settle 0.5
		stop_execwatch
		echo "options $opts: pid $pid"
		check_chain "$OUT" "$MARK-reuse" "
first = chain[0]
assert first['pid'] == $pid, first
# The second process with this pid ran s-b; the first (s-a) is gone.
assert first['argv'] == ['/bin/sh', '$dir/s-b'], first
olds = [x for x in recs if x['type'] == 'exec' and x['argv'] == ['/bin/sh', '$dir/s-a']]
assert len(olds) == 1 and olds[0]['pid'] == $pid and olds[0]['id'] != first['id'], olds
"
	done
}

@test "parent_exe on every exec record, without --ancestors too" {
	start_execwatch "$OUT" --json
	sh -c "$NOOP $MARK-pexe; true"
	settle 0.5
	stop_execwatch
	python3 - "$OUT" "$MARK-pexe" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
r = [r for r in recs if r["type"] == "exec" and r["argv"][1:2] == [sys.argv[2]]][0]
assert r["parent_exe"].endswith("sh"), r
assert "ancestors" not in r, r
PY
}

@test "the fork program is loaded only with --ancestors or --pid" {
	start_execwatch "$OUT" --json
	local progs
	progs=$(bpftool prog show | grep -c "name track_fork" || true)
	stop_execwatch
	start_execwatch "$OUT" --json --ancestors
	local with
	with=$(bpftool prog show | grep -c "name track_fork" || true)
	stop_execwatch
	echo "track_fork programs: without $progs, with $with"
	[ "$with" -gt "$progs" ]
}
