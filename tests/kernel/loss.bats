#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Floods: every exec is either delivered or counted as lost, exactly; the
# per-thread stash never leaks, even across 20,000 execs from non-leader
# threads.

load helpers

setup() {
	setup_marked
	ZOMBIE_PARENT=
}

teardown() {
	cleanup_execwatch
	if [ -n "$ZOMBIE_PARENT" ]; then
		kill "$ZOMBIE_PARENT" 2>/dev/null || true
		wait "$ZOMBIE_PARENT" 2>/dev/null || true
	fi
}

# The kernel's own books must balance: every exec it saw was sent or dropped.
assert_books_balance() {
	python3 - "$OUT" <<'PY'
import json, sys
final = [json.loads(l) for l in open(sys.argv[1]) if '"type":"stats"' in l][-1]
k = final["kernel"]
seen = k["exec_seen"] + k["failed_seen"] + k["exit_seen"] + k.get("fork_seen", 0) - k["stash_miss"] - k["scratch_miss"] - k["filtered"]
assert seen == k["events_sent"] + k["ringbuf_full"], k
assert final["received"] == k["events_sent"], (final["received"], k)
PY
}

@test "flood: 4 workers on 2 cores, every exec seen or counted as lost" {
	start_execwatch "$OUT" --json
	local n=5000
	"$EWTEST" storm "$n" 4 "$NOOP" @MARK@
	settle 0.5
	stop_execwatch
	jsonq "$OUT" validate
	local found lost
	found=$(jsonq "$OUT" markers "$MARK-")
	lost=$(jsonq "$OUT" last stats lost)
	echo "found $found of $n, lost $lost"
	[ "$found" -le "$n" ]
	[ $((found + lost)) -ge "$n" ]
	[ "$lost" -gt 0 ] || [ "$found" -eq "$n" ]
	assert_books_balance
}

@test "forced loss: stalled reader, small ring, loss counted exactly and reported" {
	start_execwatch "$OUT" --json --ring-size 64K
	kill -STOP "$EW_PID"
	local n=3000
	"$EWTEST" storm "$n" 2 "$NOOP" @MARK@
	kill -CONT "$EW_PID"
	settle 1.5
	stop_execwatch
	jsonq "$OUT" validate
	local found lost
	found=$(jsonq "$OUT" markers "$MARK-")
	lost=$(jsonq "$OUT" last stats lost)
	echo "found $found of $n, lost $lost"
	[ "$lost" -gt 0 ]
	[ "$found" -lt "$n" ]
	[ $((found + lost)) -ge "$n" ]
	# A "lost" record says so in the stream, not only at exit.
	grep -q '"type":"lost"' "$OUT"
	assert_books_balance
}

@test "forced loss in text mode: reported on stderr as it happens and in the summary" {
	start_execwatch "$BATS_TEST_TMPDIR/out.txt" --ring-size 64K
	kill -STOP "$EW_PID"
	"$EWTEST" storm 3000 2 "$NOOP" @MARK@
	kill -CONT "$EW_PID"
	settle 1.5
	stop_execwatch
	grep -q "^execwatch: LOST [0-9]* event(s), [0-9]* because the ring buffer was full" "$EW_ERR"
	grep -q "events received, [1-9][0-9]* lost" "$EW_ERR"
}

@test "20,000 execs from non-leader threads leak no stash entry" {
	start_execwatch "$OUT" --json
	# 20,000 on a host; fewer in the VM (EXECWATCH_STORM_SCALE, helpers.bash).
	"$EWTEST" thread-flood $((20000 / EW_STORM_SCALE)) "$NOOP"
	# Then one ordinary exec and one failed exec must both be reported.
	"$EWTEST" exec "$NOOP" noop @MARK@-ok
	run "$EWTEST" exec "$BATS_TEST_TMPDIR/missing" missing @MARK@-fail
	settle
	local entries
	entries=$(bpftool map dump id "$(our_map_id exec_stash)" | grep -c '"key"' || true)
	echo "stash entries: $entries"
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK-ok")" = 1 ]
	[ "$(jsonq "$OUT" count "$MARK-fail")" = 1 ]
	[ "$(jsonq "$OUT" get "$MARK-fail" ret)" = -2 ]
	# Only execs in flight right now may hold an entry.
	[ "$entries" -lt 16 ]
	[ "$(jsonq "$OUT" last stats kernel | python3 -c 'import json,sys; print(json.load(sys.stdin)["stash_full"])')" = 0 ]
}

# Little-endian hex bytes of a u32 / u64, for bpftool.
le32() { printf '%02x %02x %02x %02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
le64() { echo "$(le32 $(($1 & 0xffffffff))) $(le32 $(($1 >> 32)))"; }

# A struct exec_attempt for bpftool: enter_ns, filename 0, argv 0, dirfd
# AT_FDCWD, then zeros up to the map's value size (the struct grows at its
# end; the fields this test sets keep their place).
stash_value() {
	local map="$1" enter_ns="$2" size head
	size=$(bpftool map show id "$map" | sed -n 's/.*value \([0-9]*\)B.*/\1/p')
	head="$(le64 "$enter_ns") 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 9c ff ff ff"
	printf '%s' "$head"
	local i
	for ((i = 28; i < size; i++)); do printf ' 00'; done
	echo
}

@test "stash entries of threads that died inside execve are swept" {
	start_execwatch "$OUT" --json
	# A tid that no longer exists, and one that does (this shell): both
	# entered execve "long ago" (enter_ns 1).
	sh -c 'exit 0' &
	local dead=$!
	wait $dead
	local stash
	stash=$(our_map_id exec_stash)
	# struct exec_attempt: enter_ns 1, filename, argv, dirfd AT_FDCWD, flags,
	# caller_euid, caller_egid, comm[16], cap_slot, reserved2, cap_ticket.
	local value
	value=$(stash_value "$stash" 1)
	bpftool map update id "$stash" key hex $(le32 "$dead") value hex $value
	bpftool map update id "$stash" key hex $(le32 $$) value hex $value
	local i
	for i in $(seq 1 30); do
		bpftool map lookup id "$stash" key hex $(le32 "$dead") >/dev/null 2>&1 || break
		sleep 0.2
	done
	! bpftool map lookup id "$stash" key hex $(le32 "$dead") >/dev/null 2>&1 || false
	# The live thread's entry stays: its exec may still be running.
	bpftool map lookup id "$stash" key hex $(le32 $$) >/dev/null
	bpftool map delete id "$stash" key hex $(le32 $$)
	stop_execwatch
	[ "$(jsonq "$OUT" last stats stash_swept)" = 1 ]
}

@test "a full stash: failed execs still reported (from the registers; before 5.15 counted as lost), then recovery" {
	# Only this shell's subtree: other processes' execs (CI runs work beside)
	# would take and free slots of the full stash (a filtered exec is never
	# stashed), so the failures below might find a free one.
	start_execwatch "$OUT" --json --pid $$
	local stash
	stash=$(our_map_id exec_stash)
	# Fill every slot with attempts of threads that cannot exist (tids above
	# pid_max): what a hostile flood could leave behind. Entered "in the
	# future" (CLOCK_BOOTTIME, as /proc/uptime, plus 10 minutes), so the
	# sweep leaves them alone however long the fill takes on a slow machine.
	local batch="$BATS_TEST_TMPDIR/fill" i now_ns
	# Shell arithmetic: mawk's printf "%d" stops at 2^31 - 1 (about 2 s of uptime in ns).
	local up
	read -r up _ </proc/uptime
	now_ns=$((${up%.*} * 1000000000 + 10#${up#*.} * 10000000))
	# The shell's own children (bpftool) hold a slot while they exec: the
	# batch leaves room and top_up() takes the rest, one slot at a time,
	# right before each exec that must find the stash full.
	local next_key=$((4200000 + 16384 - 256))
	fill_stash() {
		local value
		value=$(stash_value "$stash" "$1")
		# One process writes the commands: a subshell per line takes
		# minutes on a loaded machine.
		python3 - "$stash" "$value" "$next_key" >"$batch" <<'PY'
import sys
stash, value, end = sys.argv[1], sys.argv[2], int(sys.argv[3])
for k in range(4200000, end):
    key = " ".join(f"{b:02x}" for b in k.to_bytes(4, "little"))
    print(f"map update id {stash} key hex {key} value hex {value}")
PY
		bpftool batch file "$batch" >/dev/null
	}
	top_up() {
		local value i
		value=$(stash_value "$stash" "$1")
		# An insert fails only with the map full (E2BIG): then it is full.
		for ((i = 0; i < 1024; i++)); do
			bpftool map update id "$stash" key hex $(le32 "$next_key") \
				value hex $value 2>/dev/null || return 0
			next_key=$((next_key + 1))
		done
		echo "the stash never filled up"
		return 1
	}
	local future=$((now_ns + 600000000000))
	fill_stash "$future"
	top_up "$future"
	run "$EWTEST" exec "$BATS_TEST_TMPDIR/missing" m @MARK@-unseen
	printf 'not a program\n' >"$BATS_TEST_TMPDIR/data"
	top_up "$future"
	run "$EWTEST" execveat-fd "$BATS_TEST_TMPDIR/data" data @MARK@-at-unseen
	[ "$output" = "execveat failed: EACCES" ]
	"$EWTEST" exec "$NOOP" noop @MARK@-ok
	# Now make them old: the sweep frees the slots of the dead threads
	# within a tick or two.
	fill_stash 1
	local n
	for i in $(seq 1 60); do
		n=$(bpftool map dump id "$stash" | grep -c '"key"' || true)
		[ "$n" -lt 16 ] && break
		sleep 0.25
	done
	run "$EWTEST" exec "$BATS_TEST_TMPDIR/missing" m @MARK@-seen
	settle 1.2
	stop_execwatch
	echo "stash entries after the sweep: $n"
	[ "$n" -lt 16 ]
	[ "$(jsonq "$OUT" count "$MARK-ok")" = 1 ]
	[ "$(jsonq "$OUT" count "$MARK-seen")" = 1 ]
	local regs=0
	# bpf_task_pt_regs() is 5.15+; the registers' names are x86-64's.
	if kernel_at_least 5 15 && [ "$(uname -m)" = x86_64 ]; then
		# bpf_task_pt_regs(): the arguments from the caller's saved registers.
		regs=1
		[ "$(jsonq "$OUT" get "$MARK-unseen" argv)" = "[\"m\", \"$MARK-unseen\"]" ]
		[ "$(jsonq "$OUT" get "$MARK-unseen" filename)" = "\"$BATS_TEST_TMPDIR/missing\"" ]
		[ "$(jsonq "$OUT" get "$MARK-unseen" error)" = '"ENOENT"' ]
		[ "$(jsonq "$OUT" get "$MARK-at-unseen" syscall)" = '"execveat"' ]
		[ "$(jsonq "$OUT" get "$MARK-at-unseen" argv)" = "[\"data\", \"$MARK-at-unseen\"]" ]
		[[ "$(jsonq "$OUT" get "$MARK-at-unseen" dirfd)" =~ ^[0-9]+$ ]]
	else
		[ "$(jsonq "$OUT" count "$MARK-unseen")" = 0 ]
		[ "$(jsonq "$OUT" count "$MARK-at-unseen")" = 0 ]
	fi
	# The full stash is not silent: counted, reported in a lost record;
	# before 5.15 the unseen failures are lost, and counted so.
	python3 - "$OUT" "$regs" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
regs = sys.argv[2] == "1"
final = [r for r in recs if r["type"] == "stats"][-1]
k = final["kernel"]
assert k["stash_full"] >= 2, k
assert final["stash_swept"] >= 16384 - 16, final
assert sum(r["stash_full"] for r in recs if r["type"] == "lost") >= 1
if regs:
    assert k["stash_miss"] == 0, k
else:
    assert k["stash_miss"] >= 2, k
    assert sum(r["lost"] for r in recs if r["type"] == "lost") >= 2
PY
}

@test "a full --pid subtree map: forks counted as subtree_full and reported, then recovery" {
	# 16 slots: the test shell, its children and execwatch fill them quickly.
	start_execwatch "$OUT" --json --pid $$ --pid-map-size 16
	local i sleepers=() tracked_map
	tracked_map=$(our_map_id tracked_tgids)
	for i in $(seq 1 40); do
		sleep 30 &
		sleepers+=($!)
	done
	# A tracked process that exits meanwhile (a helper of start_execwatch,
	# slow to go in an emulated VM) frees its slot: more sleepers until one
	# is refused, so the map is full right before the noop.
	for i in $(seq 1 20); do
		sleep 30 &
		sleepers+=($!)
		bpftool map lookup id "$tracked_map" key hex $(le32 $!) >/dev/null 2>&1 || break
	done
	# While full, a new child of the shell cannot be tracked: not reported.
	"$NOOP" "$MARK-during"
	settle 1.2
	kill "${sleepers[@]}"
	wait "${sleepers[@]}" 2>/dev/null || true
	# The exits freed the slots: a new child is tracked and reported again.
	"$NOOP" "$MARK-after"
	settle 1.2
	stop_execwatch
	jsonq "$OUT" validate
	[ "$(jsonq "$OUT" count "$MARK-after")" = 1 ]
	[ "$(jsonq "$OUT" count "$MARK-during")" = 0 ]
	python3 - "$OUT" "${#sleepers[@]}" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
n = int(sys.argv[2])
final = [r for r in recs if r["type"] == "stats"][-1]
full = final["kernel"]["subtree_full"]
print("subtree_full", full)
# 40 sleepers and the noop, minus the free slots: at least 25 not tracked.
assert full >= 25, final
# Reported as it happened, not only at exit.
assert sum(r["subtree_full"] for r in recs if r["type"] == "lost") >= 25, "no lost record"
# Some sleepers were tracked (and reported) before the map filled, not
# all (not "at most 16": see the top-up above). Every fork is one or the
# other: the sleepers and the noop.
tracked = sum(1 for r in recs if r["type"] == "exec" and r["argv"][:1] == ["sleep"])
assert 1 <= tracked < n, f"{tracked} of {n} sleepers reported"
assert tracked + full >= n + 1, f"{tracked} of {n} sleepers reported, {full} forks not tracked"
PY
}

@test "--pid seeding leaves out a child that already exited (a zombie): no stale slot" {
	# The child exits at once and its parent never reaps it: a zombie, in
	# /proc, whose proc_exit has run already.
	python3 -c 'import os, time
if os.fork() == 0:
    os._exit(0)
time.sleep(60)' &
	local parent=$! zombie="" i
	ZOMBIE_PARENT=$parent
	for i in $(seq 1 100); do
		zombie=$(ps -o pid=,stat= --ppid "$parent" | awk '$2 ~ /^Z/ { print $1 }')
		[ -n "$zombie" ] && break
		sleep 0.1
	done
	[ -n "$zombie" ]
	start_execwatch "$OUT" --json --pid "$parent"
	local keys
	keys=$(bpftool -j map dump id "$(our_map_id tracked_tgids)" |
		python3 -c 'import json, sys; print(" ".join(str(e["formatted"]["key"]) for e in json.load(sys.stdin)))')
	echo "parent $parent, zombie $zombie, tracked: $keys"
	stop_execwatch
	[[ " $keys " == *" $parent "* ]]
	[[ " $keys " != *" $zombie "* ]]
}

@test "--pid-map-size: bad values are refused" {
	run "$EXECWATCH" --pid 1 --pid-map-size 0
	[ "$status" -eq 2 ]
	[[ "$output" == *"--pid-map-size needs a number"* ]]
	run "$EXECWATCH" --pid 1 --pid-map-size 99999999
	[ "$status" -eq 2 ]
}
