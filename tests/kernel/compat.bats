#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# execsnoop's flags with execsnoop's meaning (and -l doing what its help says),
# the text output options, --summary, and the man page.

load helpers

setup() {
	setup_marked out.txt
}

# run_traced ARGS...: trace one exec carrying the marker, leave the line in LINE.
run_traced() {
	start_execwatch "$OUT" "$@"
	"$EWTEST" exec "$NOOP" noop @MARK@ "two words" &
	TRACED_PID=$!
	wait $TRACED_PID
	settle
	stop_execwatch
	LINE=$(grep -a -- "$MARK" "$OUT")
}

@test "execsnoop -x and -U are accepted (failed execs and the UID column are always on)" {
	start_execwatch "$OUT" -x -U
	run "$EWTEST" exec "$BATS_TEST_TMPDIR/missing" m @MARK@
	settle
	stop_execwatch
	head -1 "$OUT" | grep -q ' UID '
	grep -a -- "$MARK" "$OUT" | grep -q ' -2 '
}

@test "execsnoop -T: a wall-clock time column" {
	run_traced -T
	[[ "$LINE" =~ ^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\  ]]
}

@test "execsnoop -t: seconds since start" {
	run_traced -t
	[[ "$LINE" =~ ^[0-9]+\.[0-9]{3}\  ]]
	local secs=${LINE%% *}
	python3 -c "import sys; assert 0 <= float(sys.argv[1]) < 30" "$secs"
}

@test "execsnoop -q: arguments quoted (for a shell)" {
	run_traced -q
	[[ "$LINE" == *"noop $MARK 'two words'" ]]
}

@test "execsnoop -u UID and -n NAME" {
	start_execwatch "$OUT" -u 0 -n noo
	"$EWTEST" exec "$NOOP" noop @MARK@-a
	"$EWTEST" exec /bin/true true @MARK@-b
	settle
	stop_execwatch
	grep -q -a -- "$MARK-a" "$OUT"
	! grep -q -a -- "$MARK-b" "$OUT" || false
}

@test "execsnoop -l LINE matches the arguments (not the command name, as execsnoop does)" {
	start_execwatch "$OUT" -l "$MARK-arg"
	"$EWTEST" exec "$NOOP" noop "@MARK@-arg"
	settle
	stop_execwatch
	grep -q -a -- "$MARK-arg" "$OUT"
	# execsnoop's bug would need the comm to contain the text: it does not.
	! grep -a -- "$MARK-arg" "$OUT" | grep -q " $MARK-arg  " || false
}

@test "execsnoop -c CGROUP" {
	CG2=$(cgroup2_root) || skip "no cgroup v2 mounted"
	local cg="$CG2/execwatch-compat-$$"
	mkdir "$cg"
	start_execwatch "$OUT" -c "$cg"
	bash -c 'echo $$ > "$1/cgroup.procs"; exec "$2" exec "$3" noop @MARK@-in' _ "$cg" "$EWTEST" "$NOOP"
	"$EWTEST" exec "$NOOP" noop @MARK@-out
	settle
	stop_execwatch
	rmdir "$cg"
	grep -q -a -- "$MARK-in" "$OUT"
	! grep -q -a -- "$MARK-out" "$OUT" || false
}

@test "execsnoop --max-args N" {
	start_execwatch "$OUT" --max-args 2
	"$EWTEST" exec "$NOOP" noop @MARK@ a b c d
	settle
	stop_execwatch
	grep -a -- "$MARK" "$OUT" | grep -q "noop $MARK \[+4 more args\]\$"
	OUT="$BATS_TEST_TMPDIR/out.json"
	start_execwatch "$OUT" --json --max-args 2
	"$EWTEST" exec "$NOOP" noop @MARK@ a b c d
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" get "$MARK" argv)" = "[\"noop\", \"$MARK\"]" ]
	[ "$(jsonq "$OUT" get "$MARK" argv_omitted)" = 4 ]
	[ "$(jsonq "$OUT" get "$MARK" argc)" = 6 ]
}

@test "--fields chooses and orders the text columns" {
	run_traced --fields pid,comm,pcomm,argv
	head -1 "$OUT" | grep -q '^PID  *COMM  *PCOMM  *ARGV$'
	[[ "$LINE" =~ ^$TRACED_PID\ +noop\ +bash\ +noop\ $MARK\ \"two\ words\"$ ]]
	run "$EXECWATCH" --fields pid,bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *"--fields: unknown field 'bogus'"* ]]
}

@test "--json-fields trims the records" {
	OUT="$BATS_TEST_TMPDIR/out.json"
	start_execwatch "$OUT" --json --json-fields pid,argv
	"$EWTEST" exec "$NOOP" noop @MARK@
	settle
	stop_execwatch
	local keys
	keys=$(grep -a -- "$MARK" "$OUT" | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)))')
	# pid brings its id along.
	[ "$keys" = "type,pid,id,argv" ]
}

@test "colour: only on a terminal or with --color=always, and NO_COLOR wins over auto" {
	run_traced
	! grep -q $'\e' "$OUT" || false
	start_execwatch "$OUT" --color=always
	run "$EWTEST" exec "$BATS_TEST_TMPDIR/missing" m @MARK@-fail
	settle
	stop_execwatch
	grep -a -- "$MARK-fail" "$OUT" | grep -q $'^\e\\[31m.*\e\\[0m$'
	# On a terminal (script gives one), auto colours; NO_COLOR turns it off.
	command -v script >/dev/null || skip "no script(1) for a terminal"
	# Long enough to load and see one exec (longer in the VM: helpers.bash);
	# the ASan build beside other work took over 4 s to load.
	local tty_out="$BATS_TEST_TMPDIR/tty.txt" limit=$((12 * EW_TIME_SCALE))
	# Until the exec's line is there (or the limit), then stop execwatch
	# without waiting for the timeout.
	await_tty() {
		local i pid
		for i in $(seq 1 $((limit * 10))); do
			grep -q -a -- "$1" "$tty_out" && break
			sleep 0.1
		done
		pid=$(pgrep -f "^$EXECWATCH --failed\$" || true)
		[ -z "$pid" ] || kill -INT $pid 2>/dev/null || true
	}
	script -q -c "timeout $limit $EXECWATCH --failed" /dev/null >"$tty_out" &
	local sp=$!
	wait_for_output "$tty_out"
	"$EWTEST" exec "$BATS_TEST_TMPDIR/missing" m @MARK@-tty >/dev/null
	await_tty "$MARK-tty"
	wait $sp || true
	grep -a -- "$MARK-tty" "$tty_out" | grep -q $'\e\\[31m'
	# Emptied first: wait_for_output must not take the last run's output.
	: >"$tty_out"
	NO_COLOR=1 script -q -c "timeout $limit $EXECWATCH --failed" /dev/null >"$tty_out" &
	sp=$!
	wait_for_output "$tty_out"
	"$EWTEST" exec "$BATS_TEST_TMPDIR/missing" m @MARK@-nocolor >/dev/null
	await_tty "$MARK-nocolor"
	wait $sp || true
	grep -q -a -- "$MARK-nocolor" "$tty_out"
	! grep -a -- "$MARK-nocolor" "$tty_out" | grep -q $'\e\\[' || false
}

@test "--summary: a periodic table of the busiest programs and their parents, and a final one" {
	local prog="$BATS_TEST_TMPDIR/$MARK-prog"
	cp "$NOOP" "$prog"
	# Only this test's programs: the table shows the top 15, and a busy
	# machine's own execs must not push ours out of it.
	start_execwatch "$OUT" --summary 1 --exe "$BATS_TEST_TMPDIR/$MARK-*"
	local i
	for i in $(seq 1 30); do "$prog"; done
	for i in $(seq 1 20); do
		"$EWTEST" exec "$BATS_TEST_TMPDIR/$MARK-missing" x >/dev/null
	done
	sleep 1.5
	stop_execwatch
	# An interval table appeared before the final one.
	grep -q '^--- execwatch summary, [0-9]' "$OUT"
	grep -q '^--- execwatch summary, whole run' "$OUT"
	# The final table counts exactly 30 runs of the program, started by bash.
	awk '/whole run/ {final=1} final' "$OUT" | grep -- "$prog" | grep -Eq '^ +30 +0  .* bash\(30\)$'
	awk '/whole run/ {final=1} final' "$OUT" | grep -- "$MARK-missing" | grep -Eq '^ +20 +20  '
	# No per-exec lines in summary mode.
	! grep -q '^TIME' "$OUT" || false
}

@test "--summary --json: summary records" {
	OUT="$BATS_TEST_TMPDIR/out.json"
	local prog="$BATS_TEST_TMPDIR/$MARK-prog"
	cp "$NOOP" "$prog"
	start_execwatch "$OUT" --json --summary 1 --exe "$BATS_TEST_TMPDIR/$MARK-*"
	local i
	for i in $(seq 1 12); do "$prog"; done
	settle
	stop_execwatch
	jsonq "$OUT" validate
	python3 - "$OUT" "$prog" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
final = [r for r in recs if r["type"] == "summary" and r["final"]][-1]
prog = [p for p in final["programs"] if p["filename"] == sys.argv[2]][0]
assert prog["count"] == 12 and prog["failed"] == 0, prog
assert prog["parents"][0] == {"comm": "bash", "count": 12}, prog
assert not [r for r in recs if r["type"] == "exec"]
PY
}

@test "the man page renders, with an example for each common question" {
	local page="$REPO_ROOT/docs/execwatch.8"
	[ -f "$page" ]
	command -v man >/dev/null || skip "man not installed"
	local text
	text=$(MANWIDTH=100 man -l "$page" 2>"$BATS_TEST_TMPDIR/man.err")
	[ ! -s "$BATS_TEST_TMPDIR/man.err" ] || { cat "$BATS_TEST_TMPDIR/man.err"; false; }
	[[ "$text" == *"execwatch - trace every program execution"* ]]
	[[ "$text" == *"--summary"* ]]
	[[ "$text" == *"EXAMPLES"* ]]
	[[ "$text" == *"execsnoop"* ]]
	# groff finds no problem in it.
	run groff -man -ww -z "$page"
	[ -z "$output" ]
}

@test "make install puts the binary and the man page under DESTDIR/PREFIX" {
	local dest="$BATS_TEST_TMPDIR/dest"
	run make -C "$REPO_ROOT" --no-print-directory install DESTDIR="$dest" PREFIX=/opt/ew
	echo "$output"
	[ "$status" -eq 0 ]
	[ -x "$dest/opt/ew/sbin/execwatch" ]
	[ -f "$dest/opt/ew/share/man/man8/execwatch.8" ]
	"$dest/opt/ew/sbin/execwatch" --version
	run make -C "$REPO_ROOT" --no-print-directory uninstall DESTDIR="$dest" PREFIX=/opt/ew
	[ ! -e "$dest/opt/ew/sbin/execwatch" ]
}
