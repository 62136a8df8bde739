# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Hostile bytes in real execs, in the VM (tests/kernel/output.bats): a
# newline with a forged line, ESC sequences, a C1 control, invalid UTF-8.
# Text output must escape them (one line per exec, no raw control byte);
# JSON must escape them and give the exact bytes back in *_b64 members. Also
# the text columns and the truncation marker.

HOSTILE_NL=$'line1\n22:00:00.000 1 1 0 0 forged /bin/forged forged'
HOSTILE_ESC=$'\e[2J\e]0;title\a'
HOSTILE_C1=$'\xc2\x9b31m'
HOSTILE_BYTES=$'bad\xff\x80utf8\x7f"q"\\'

test_text_escaping() {
	OUT="$TEST_TMP/out.txt"
	MARK=$(new_marker)
	export EW_MARK="$MARK"
	start_execwatch "$OUT"
	"$EWTEST" exec "$NOOP" noop @MARK@ "$HOSTILE_NL" "$HOSTILE_ESC" "$HOSTILE_C1" "$HOSTILE_BYTES" ""
	settle
	stop_execwatch
	expect_eq "$(grep -c -a -F -- "$MARK" "$OUT")" 1 "lines carrying the marker"
	local line
	line=$(grep -a -F -- "$MARK" "$OUT")
	expect_contains "$line" '"line1\n22:00:00.000 1 1 0 0 forged /bin/forged forged"' newline
	expect_contains "$line" '"\e[2J\e]0;title\x07"' ESC
	expect_contains "$line" '"\u{009b}31m"' C1
	expect_contains "$line" '"bad\xff\x80utf8\x7f\"q\"\\"' "invalid UTF-8"
	[[ "$line" == *' ""' ]] || { echo "no trailing empty argument: $line"; return 1; }
	expect_fail grep -a -q '^22:00:00.000 1 1 0 0 forged' "$OUT"
	no_raw_controls "$OUT"
	expect_fail env LC_ALL=C grep -a -q $'\xc2[\x80-\x9f]' "$OUT"
}
t "text: newline, ESC, C1 and invalid UTF-8 are escaped, one line per exec" test_text_escaping

test_text_hostile_name() {
	OUT="$TEST_TMP/out.txt"
	MARK=$(new_marker)
	export EW_MARK="$MARK"
	local dir="$TEST_TMP/d" name=$'evil\nname\e[31m'
	mkdir -p "$dir"
	cp "$NOOP" "$dir/$name"
	start_execwatch "$OUT"
	"$EWTEST" exec "$dir/$name" "$name" @MARK@
	settle
	stop_execwatch
	expect_eq "$(grep -c -a -F -- "$MARK" "$OUT")" 1 "lines carrying the marker"
	expect_contains "$(grep -a -F -- "$MARK" "$OUT")" '"evil\nname\e[31m"' "program name"
	no_raw_controls "$OUT"
}
t "text: a hostile program name is escaped too" test_text_hostile_name

test_json_escaping() {
	OUT="$TEST_TMP/out.json"
	MARK=$(new_marker)
	export EW_MARK="$MARK"
	start_execwatch "$OUT" --json
	"$EWTEST" exec "$NOOP" noop @MARK@ "$HOSTILE_NL" "$HOSTILE_ESC" "$HOSTILE_C1" "$HOSTILE_BYTES" ""
	settle
	stop_execwatch
	jvalidate "$OUT"
	local line b64 expected a
	line=$(jone "$OUT" "$MARK")
	expect_contains "$line" '"line1\n22:00:00.000 1 1 0 0 forged /bin/forged forged"' newline
	expect_contains "$line" '"\u001b[2J\u001b]0;title\u0007"' ESC
	expect_contains "$line" '"\u009b31m"' C1
	expect_contains "$line" $'"bad\xef\xbf\xbd\xef\xbf\xbdutf8\\u007f\\"q\\"\\\\"' "U+FFFD for invalid bytes"
	# argv_b64 gives every argument's exact bytes back.
	expected=
	for a in noop "$MARK" "$HOSTILE_NL" "$HOSTILE_ESC" "$HOSTILE_C1" "$HOSTILE_BYTES" ""; do
		expected="$expected${expected:+,}\"$(printf '%s' "$a" | base64 | tr -d '\n')\""
	done
	b64=$(jfield argv_b64 <<<"$line")
	expect_eq "$b64" "[$expected]" argv_b64
}
t "json: escaped, valid, and argv_b64 holds the exact bytes" test_json_escaping

test_json_filename_b64() {
	OUT="$TEST_TMP/out.json"
	MARK=$(new_marker)
	export EW_MARK="$MARK"
	local name=$'prog-\xfe\xff-x'
	cp "$NOOP" "$TEST_TMP/$name"
	start_execwatch "$OUT" --json
	"$EWTEST" exec "$TEST_TMP/$name" x @MARK@
	settle
	stop_execwatch
	jvalidate "$OUT"
	expect_eq "$(jget "$OUT" "$MARK" filename_b64)" \
		"\"$(printf '%s' "$TEST_TMP/$name" | base64 | tr -d '\n')\"" filename_b64
}
t "json: a filename with invalid UTF-8 gets filename_b64" test_json_filename_b64

test_text_columns() {
	OUT="$TEST_TMP/out.txt"
	MARK=$(new_marker)
	export EW_MARK="$MARK"
	start_execwatch "$OUT"
	"$EWTEST" exec "$NOOP" noop @MARK@ &
	local pid=$! line
	wait $pid
	"$EWTEST" exec "$TEST_TMP/missing" missing @MARK@-fail >/dev/null
	settle
	stop_execwatch
	expect_match "$(head -n 1 "$OUT")" '^TIME +PID +PPID +UID +RET +COMM +FILE +ARGV$' header
	line=$(grep -a -- "$MARK\$" "$OUT")
	expect_match "$line" "^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} +$pid +$BASHPID +0 +0 +noop +$NOOP +noop $MARK\$" "exec line"
	line=$(grep -a -- "$MARK-fail" "$OUT")
	expect_match "$line" " -2 +ewtest +$TEST_TMP/missing +missing $MARK-fail\$" "failed exec line"
}
t "text: default columns and the header" test_text_columns

test_text_truncation() {
	OUT="$TEST_TMP/out.txt"
	MARK=$(new_marker)
	start_execwatch "$OUT" --max-argv-bytes 100
	"$NOOP" "$MARK" "$(printf 'x%.0s' $(seq 1 200))"
	settle
	stop_execwatch
	local true_len=$((${#NOOP} + 1 + ${#MARK} + 1 + 201))
	expect_match "$(grep -a -- "$MARK" "$OUT")" " \[argv truncated: 100 of $true_len bytes\]\$" "truncation marker"
}
t "text: truncated argv is marked with captured and true sizes" test_text_truncation
