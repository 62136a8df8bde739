# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The test library inside the VM, sourced by vm/guest/run before each
# vm/tests/*.sh file. The VM has neither bats nor python3, so this is the
# small part of both that the kernel tests need: start and stop the real
# execwatch, make unique markers, and read its JSON Lines with grep and sed
# (execwatch writes one compact object per line, keys in a fixed order, every
# quote inside a string escaped, so a key pattern such as "pid": can only match
# the key itself). Failures print what was expected and what came, then
# return 1: a test function runs under `set -e`, so the first failing check
# ends it, as in bats.

# shellcheck disable=SC2034 # used by the test files
EW_BIN=${EW_BIN:-/ew/bin}
EXECWATCH="$EW_BIN/execwatch"
EWTEST="$EW_BIN/ewtest"
NOOP="$EW_BIN/noop"

# bpftool is in the image when the host had it (dynamic: its libraries come
# along); tests that need it are skipped otherwise.
have_bpftool() {
	command -v bpftool >/dev/null 2>&1
}

# A marker no other exec in the VM carries.
new_marker() {
	echo "ewmark-${EW_TEST_NUMBER:-0}-$BASHPID-$RANDOM$RANDOM"
}

# start_execwatch OUTFILE [ARGS...]: run execwatch in the background and wait
# until it has attached (it prints its header or start record only then).
start_execwatch() {
	local out="$1" _
	shift
	EW_OUT="$out"
	EW_ERR="$out.err"
	# Emptied here too: the redirection runs in the child, after the fork,
	# and the wait below could see a reused file's last output.
	: >"$out"
	"$EXECWATCH" "$@" >"$out" 2>"$EW_ERR" &
	EW_PID=$!
	echo "$EW_PID" >>"$EW_TMP/pids"
	# Loading under software emulation takes a few seconds; allow 60.
	for _ in $(seq 1 600); do
		[ -s "$out" ] && return 0
		if ! kill -0 "$EW_PID" 2>/dev/null; then
			echo "execwatch exited early:"
			cat "$EW_ERR"
			return 1
		fi
		sleep 0.1
	done
	echo "execwatch did not start within 60 s"
	return 1
}

# stop_execwatch: SIGINT, wait, and fail unless it exited 0.
stop_execwatch() {
	[ -n "${EW_PID:-}" ] || return 0
	kill -INT "$EW_PID" 2>/dev/null || true
	local status=0
	wait "$EW_PID" || status=$?
	EW_PID=
	if [ "$status" -ne 0 ]; then
		echo "execwatch exited with $status:"
		cat "$EW_ERR"
		return 1
	fi
}

# After a workload: one poll interval and a counter tick (slower under TCG).
settle() {
	sleep "${1:-0.5}"
}

# --- assertions -------------------------------------------------------------

# expect_eq ACTUAL EXPECTED [WHAT]
expect_eq() {
	if [ "$1" != "$2" ]; then
		echo "${3:-value}: expected [$2], got [$1]"
		return 1
	fi
}

# expect_match ACTUAL ERE [WHAT]
expect_match() {
	if ! [[ "$1" =~ $2 ]]; then
		echo "${3:-value}: [$1] does not match /$2/"
		return 1
	fi
}

# expect_contains HAYSTACK NEEDLE [WHAT]: fixed-string containment.
expect_contains() {
	if [[ "$1" != *"$2"* ]]; then
		echo "${3:-value}: [$1] does not contain [$2]"
		return 1
	fi
}

# expect_fail CMD...: the command must fail (`! cmd` does not trip set -e).
expect_fail() {
	if "$@"; then
		echo "expected to fail: $*"
		return 1
	fi
}

# --- JSON Lines queries -----------------------------------------------------

# Exec records carrying MARKER (in an argv element or the filename).
jrecords() {
	grep -a '^{"type":"exec"' "$1" | grep -a -F -- "$2" || true
}

# jcount FILE MARKER
jcount() {
	jrecords "$1" "$2" | wc -l | tr -d ' '
}

# jone FILE MARKER: the one record with MARKER; fails if there are 0 or 2+.
jone() {
	local n
	n=$(jcount "$1" "$2")
	if [ "$n" != 1 ]; then
		echo "$n records carry $2" >&2
		return 1
	fi
	jrecords "$1" "$2"
}

# jfield FIELD < LINE: FIELD's raw JSON value: a number, true/false, a
# "string" (escapes kept) or an array of strings.
jfield() {
	local s='"([^"\\]|\\.)*"'
	sed -n -E \
		-e "s/.*\"$1\":(\[($s(,$s)*)?\]).*/\1/p;t" \
		-e "s/.*\"$1\":($s).*/\1/p;t" \
		-e "s/.*\"$1\":([-0-9a-z.]+).*/\1/p"
}

# jget FILE MARKER FIELD
jget() {
	local line
	line=$(jone "$1" "$2") || return 1
	jfield "$3" <<<"$line"
}

# jstat FILE FIELD: FIELD of the last stats record (also inside "kernel").
jstat() {
	grep -a '^{"type":"stats"' "$1" | tail -n 1 | jfield "$2"
}

# jmarkers FILE PREFIX: distinct argv elements "PREFIX<digits>" in exec records.
jmarkers() {
	grep -a '^{"type":"exec"' "$1" | grep -a -o -- "\"$2[0-9]*\"" | sort -u | wc -l | tr -d ' '
}

# jvalidate FILE: every line is one terminated JSON object that starts with
# its "type" member, and no raw control byte is present (what the VM can
# check without a JSON parser).
jvalidate() {
	local bad
	[ -s "$1" ] || { echo "$1 is empty"; return 1; }
	[ -z "$(tail -c 1 "$1")" ] || { echo "last line not terminated"; return 1; }
	bad=$(grep -a -v -c -E '^\{"type":"[a-z_]+",.*\}$' "$1" || true)
	expect_eq "$bad" 0 "lines that are not a JSON record"
	no_raw_controls "$1"
}

# no_raw_controls FILE: no byte 0x00-0x1f (but newline) or 0x7f.
no_raw_controls() {
	local n
	n=$(tr -d '\n' <"$1" | tr -d -c '\000-\037\177' | wc -c | tr -d ' ')
	expect_eq "$n" 0 "raw control bytes in $1"
}
