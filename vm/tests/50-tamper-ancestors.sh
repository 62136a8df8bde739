# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Tamper evidence and ancestry (issue 3) on each kernel of the matrix: the
# same cases as tests/kernel/tamper.bats and ancestors.bats, reduced to what
# grep and sed can check. They exercise the verifier-sensitive parts (the
# capture slots, the 8-byte comparison, the fork program) on 5.10, 6.1, 6.12.

test_tamper_flagged() {
	OUT="$TEST_TMP/out.json"
	local flagged=0 round
	# A race: under emulation on a loaded host the flipping thread's vCPU
	# may sit still through a whole round, so up to five rounds of 200,
	# each checked whole, until one exec is flagged.
	for round in 1 2 3 4 5; do
		MARK=$(new_marker)
		export EW_MARK="$MARK"
		rm -rf "$TEST_TMP/dumps"
		mkdir -p "$TEST_TMP/dumps"
		start_execwatch "$OUT" --json
		"$EWTEST" tamper 200 "$EWTEST" "$TEST_TMP/dumps" @MARK@
		settle
		stop_execwatch
		jvalidate "$OUT"
		expect_eq "$(jcount "$OUT" "$MARK-")" 200 "execs reported"
		flagged=$(jrecords "$OUT" "$MARK-" | grep -c '"argv_tampered":true' || true)
		echo "round $round: $flagged of 200 flagged"
		[ "$flagged" -ge 1 ] && break
	done
	[ "$flagged" -ge 1 ] || { echo "no exec flagged"; return 1; }
	# Each flagged record: the program's own dump matches argv, caller_argv differs.
	local line i=0 argv dump caller
	# A file, not <(...): the VM has no /dev/fd.
	jrecords "$OUT" "$MARK-" | grep '"argv_tampered":true' >"$TEST_TMP/flagged"
	while IFS= read -r line; do
		argv=$(jfield argv <<<"$line")
		caller=$(jfield caller_argv <<<"$line")
		dump=$(sed -n -E 's/.*"argv":\["[^"]*","argv-dump","([^"]*)".*/\1/p' <<<"$line")
		expect_eq "$(tr '\0' '\n' <"$dump" | sed -n 4p)" \
			"$(sed -E 's/.*,"([^"]*)"\]$/\1/' <<<"$argv")" "the true argv[3]"
		[ "$caller" != "$argv" ] || { echo "caller_argv equals argv: $line"; return 1; }
		i=$((i + 1))
	done <"$TEST_TMP/flagged"
	expect_eq "$i" "$flagged" "flagged records checked"
}

test_tamper_no_false_positive() {
	OUT="$TEST_TMP/out.json"
	MARK=$(new_marker)
	export EW_MARK="$MARK"
	printf '#!/bin/sh\nexit 0\n' >"$TEST_TMP/s.sh"
	chmod +x "$TEST_TMP/s.sh"
	start_execwatch "$OUT" --json
	"$EWTEST" storm 300 2 "$NOOP" @MARK@-storm
	"$TEST_TMP/s.sh" "$MARK-script" x
	"$EWTEST" thread "$NOOP" noop @MARK@-thread
	"$EWTEST" argc0 "$NOOP"
	settle
	stop_execwatch
	expect_eq "$(jrecords "$OUT" "$MARK" | grep -c '"argv_tampered"' || true)" 0 "flagged"
	expect_eq "$(jget "$OUT" "$MARK-script" argv_tamper_check)" "" "script check"
	expect_eq "$(jget "$OUT" "$MARK-thread" argv_tamper_check)" "" "thread check"
}

test_ancestors_chain() {
	OUT="$TEST_TMP/out.json"
	MARK=$(new_marker)
	start_execwatch "$OUT" --json --ancestors
	sh -c "( $NOOP $MARK-anc; true ); true"
	settle
	stop_execwatch
	jvalidate "$OUT"
	local line
	# The noop's record; the shells' argv hold the marker inside a longer string.
	line=$(jone "$OUT" "\"$MARK-anc\"]")
	expect_eq "$(jfield ancestors_complete <<<"$line")" true "ancestors_complete"
	# The forked subshell (no exec) first: its pid is the record's ppid.
	expect_contains "$line" "\"ancestors\":[{\"pid\":$(jfield ppid <<<"$line"),"
	expect_contains "$line" '{"pid":1,'
	# The shell the kernel ran: resolved in the kernel, busybox in the guest.
	expect_match "$(jfield parent_exe <<<"$line")" '(sh|busybox)"$'
}

t "tamper: a thread rewriting argv during execve is flagged, the true argv reported" \
	test_tamper_flagged
t "tamper: storms, a script, a thread, argc 0 are never flagged" test_tamper_no_false_positive
t "--ancestors: a forking subshell and the chain up to PID 1" test_ancestors_chain
