#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Hostile bytes in real execs: newline, ESC sequences, C1 controls, invalid
# UTF-8. Text output must escape them (no forged or hidden line, no raw
# control byte); JSON must stay valid UTF-8 and give back the exact bytes.

load helpers

setup() {
	require_root
	MARK=$(new_marker)
	export EW_MARK="$MARK"
	# newline + a forged line, ESC clear-screen, CSI as C1 (U+009B), DEL,
	# an invalid UTF-8 byte, a lone continuation byte, a quote and a backslash.
	HOSTILE_NL=$'line1\n22:00:00.000 1 1 0 0 forged /bin/forged forged'
	HOSTILE_ESC=$'\e[2J\e]0;title\a'
	HOSTILE_C1=$'\xc2\x9b31m'
	HOSTILE_BYTES=$'bad\xff\x80utf8\x7f"q"\\'
}

@test "text: control bytes, escapes and invalid UTF-8 are escaped, one line per exec" {
	OUT="$BATS_TEST_TMPDIR/out.txt"
	start_execwatch "$OUT"
	"$EWTEST" exec "$NOOP" noop @MARK@ "$HOSTILE_NL" "$HOSTILE_ESC" "$HOSTILE_C1" "$HOSTILE_BYTES" ""
	settle
	stop_execwatch
	# Exactly one line carries the marker, and the forged text is on it, escaped.
	[ "$(grep -c -a -- "$MARK" "$OUT")" = 1 ]
	local line
	line=$(grep -a -- "$MARK" "$OUT")
	[[ "$line" == *'"line1\n22:00:00.000 1 1 0 0 forged /bin/forged forged"'* ]]
	[[ "$line" == *'"\e[2J\e]0;title\x07"'* ]]
	[[ "$line" == *'"\u{009b}31m"'* ]]
	[[ "$line" == *'"bad\xff\x80utf8\x7f\"q\"\\"'* ]]
	[[ "$line" == *' ""' ]]
	# No line anywhere starts with the forged prefix, and no raw control byte
	# (other than the newline ending each line) reaches the output.
	! grep -a -q '^22:00:00.000 1 1 0 0 forged' "$OUT" || false
	! LC_ALL=C grep -a -q -P '[\x00-\x09\x0b-\x1f\x7f]' "$OUT" || false
	! LC_ALL=C grep -a -q -P '\xc2[\x80-\x9f]' "$OUT" || false
	# Every line is valid UTF-8.
	iconv -f UTF-8 -t UTF-8 "$OUT" >/dev/null
}

@test "text: a hostile program name and comm are escaped too" {
	OUT="$BATS_TEST_TMPDIR/out.txt"
	local dir="$BATS_TEST_TMPDIR/d"
	mkdir -p "$dir"
	local name=$'evil\nname\e[31m'
	cp "$NOOP" "$dir/$name"
	start_execwatch "$OUT"
	"$EWTEST" exec "$dir/$name" "$name" @MARK@
	settle
	stop_execwatch
	local line
	line=$(grep -a -- "$MARK" "$OUT")
	[[ "$line" == *'"evil\nname\e[31m"'* ]]
	[ "$(grep -c -a -- "$MARK" "$OUT")" = 1 ]
	! LC_ALL=C grep -a -q -P '[\x00-\x09\x0b-\x1f\x7f]' "$OUT" || false
}

@test "json: always valid UTF-8 JSON, and the exact bytes come back" {
	OUT="$BATS_TEST_TMPDIR/out.json"
	start_execwatch "$OUT" --json
	"$EWTEST" exec "$NOOP" noop @MARK@ "$HOSTILE_NL" "$HOSTILE_ESC" "$HOSTILE_C1" "$HOSTILE_BYTES" ""
	settle
	stop_execwatch
	jsonq "$OUT" validate
	local expected
	expected=$(python3 -c 'import sys; print(repr([a.encode("utf-8", "surrogateescape") for a in sys.argv[1:]]))' \
		noop "$MARK" "$HOSTILE_NL" "$HOSTILE_ESC" "$HOSTILE_C1" "$HOSTILE_BYTES" "")
	[ "$(jsonq "$OUT" argv-bytes "$MARK")" = "$expected" ]
	# The plain argv is readable text: U+FFFD stands for each invalid byte.
	[ "$(jsonq "$OUT" get "$MARK" argv | python3 -c 'import json,sys; print(json.load(sys.stdin)[5])')" \
		= $'bad\ufffd\ufffdutf8\x7f"q"\\' ]
}

@test "json: a filename with invalid UTF-8 gets filename_b64 with the exact bytes" {
	OUT="$BATS_TEST_TMPDIR/out.json"
	local name=$'prog-\xfe\xff-x'
	cp "$NOOP" "$BATS_TEST_TMPDIR/$name"
	start_execwatch "$OUT" --json
	"$EWTEST" exec "$BATS_TEST_TMPDIR/$name" x @MARK@
	settle
	stop_execwatch
	jsonq "$OUT" validate
	local b64
	b64=$(jsonq "$OUT" get "$MARK" filename_b64)
	[ "$(python3 -c 'import base64,json,sys; sys.stdout.buffer.write(base64.b64decode(json.loads(sys.argv[1])))' "$b64")" \
		= "$BATS_TEST_TMPDIR/$name" ]
}

@test "text: default columns and the header" {
	OUT="$BATS_TEST_TMPDIR/out.txt"
	start_execwatch "$OUT"
	"$EWTEST" exec "$NOOP" noop @MARK@ &
	local pid=$!
	wait $pid
	run "$EWTEST" exec "$BATS_TEST_TMPDIR/missing" missing @MARK@-fail
	settle
	stop_execwatch
	head -1 "$OUT" | grep -q '^TIME  *PID  *PPID  *UID  *RET  *COMM  *FILE  *ARGV$'
	local line
	line=$(grep -a -- "$MARK\$" "$OUT")
	[[ "$line" =~ ^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\ +$pid\ +$$\ +0\ +0\ +noop\ +$NOOP\ +noop\ $MARK$ ]]
	line=$(grep -a -- "$MARK-fail" "$OUT")
	[[ "$line" =~ \ -2\ +ewtest\ +$BATS_TEST_TMPDIR/missing\ +missing\ $MARK-fail$ ]]
}

@test "text: truncated argv is marked with captured and true sizes" {
	OUT="$BATS_TEST_TMPDIR/out.txt"
	start_execwatch "$OUT" --max-argv-bytes 100
	"$NOOP" "$MARK" "$(printf 'x%.0s' $(seq 1 200))"
	settle
	stop_execwatch
	local true_len=$(( ${#NOOP} + 1 + ${#MARK} + 1 + 201 ))
	grep -a -- "$MARK" "$OUT" | grep -q " \[argv truncated: 100 of $true_len bytes\]\$"
}
