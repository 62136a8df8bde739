#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Sinks (issue 8). --output FILE: created 0600 (or 0640), links refused,
# rotation at the size keeping N files with every exec in exactly one of
# them, SIGHUP after a logrotate-style mv (nothing lost, later events in the
# new file), SIGKILL in a storm and a full file system (only whole lines), a
# read-only file system and a read-only file (exit 1, one sentence, nothing
# written).
# --syslog URL against a real rsyslogd the test starts on loopback with a
# private configuration: every event arrives over TCP, UDP and a unix socket;
# an rsyslog restart in a storm loses nothing inside the buffer bound; a
# collector down past the bound costs exactly the messages counted as dropped;
# a collector that accepts and never reads blocks nothing (the main output
# complete, the queue at its bound, sent + dropped = records, exit on SIGINT
# within seconds).
# Each test prints its figures as TAP comments.

load helpers

SYSLOGQ="$BATS_TEST_DIRNAME/syslogq.py"

setup() {
	require_root
	MARK=$(new_marker)
	export EW_MARK="$MARK"
	SINK_PIDS=()
	SINK_MOUNTS=()
	SINK_IMMUTABLE=()
	RS_PID=
}

teardown() {
	local pid mnt
	cleanup_execwatch
	for pid in "${SINK_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	stop_rsyslog
	for mnt in "${SINK_MOUNTS[@]}"; do
		umount "$mnt" 2>/dev/null || true
	done
	# bats cannot remove an immutable file: clear the flag first.
	for f in "${SINK_IMMUTABLE[@]}"; do
		chattr -i "$f" 2>/dev/null || true
	done
}

figure() {
	echo "# $*" >&3
}

# start_records FILE: start records in FILE and its rotated FILE.N.
start_records() {
	cat "$1" "$1".* 2>/dev/null | grep -c '"type":"start"' || true
}

# start_file FILE [ARGS...]: execwatch --json --output FILE in the background,
# attached once one more start record is in FILE (or, rotated already, in a
# FILE.N); pid in FILE_PID.
start_file() {
	local file="$1" i starts
	shift
	starts=$(start_records "$file")
	"$EXECWATCH" --json --output "$file" "$@" >"$BATS_TEST_TMPDIR/stdout" \
		2>"$BATS_TEST_TMPDIR/stderr" &
	FILE_PID=$!
	SINK_PIDS+=("$FILE_PID")
	for i in $(seq 1 200); do
		[ "$(start_records "$file")" -gt "$starts" ] && return 0
		kill -0 "$FILE_PID" 2>/dev/null || {
			cat "$BATS_TEST_TMPDIR/stderr" >&2
			return 1
		}
		sleep 0.05
	done
	return 1
}

# stop_pid PID: SIGINT, and fail unless it exits 0.
stop_pid() {
	local status=0
	kill -INT "$1"
	wait "$1" || status=$?
	[ "$status" -eq 0 ]
}

# paced N RATE: N execs of noop MARK-<i>, RATE per second (spans a restart).
paced() {
	python3 - "$NOOP" "$MARK" "$2" "$1" <<'PY'
import os, sys, time
noop, mark, rate, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
start = time.monotonic()
for i in range(n):
    delay = start + i / rate - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    os.waitpid(os.posix_spawn(noop, [noop, f"{mark}-{i}"], {}), 0)
PY
}

# Every line of FILE is strict JSON and the file ends with a newline.
whole_json_lines() {
	[ ! -s "$1" ] || [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ]
	[ "$(jsonq "$1" validate)" -eq "$(wc -l <"$1")" ]
}

@test "--output: created 0600 (0640 on request), the events in it, nothing on stdout" {
	local f="$BATS_TEST_TMPDIR/out.json" g="$BATS_TEST_TMPDIR/group.json"
	umask 022
	start_file "$f"
	"$NOOP" "$MARK-file"
	settle
	stop_pid "$FILE_PID"
	figure "mode $(stat -c %a "$f"), $(wc -l <"$f") lines, stdout $(stat -c %s "$BATS_TEST_TMPDIR/stdout") bytes"
	[ "$(stat -c %a "$f")" = 600 ]
	[ "$(jsonq "$f" count "$MARK-file")" = 1 ]
	[ "$(jsonq "$f" last stats final)" = true ]
	[ ! -s "$BATS_TEST_TMPDIR/stdout" ]
	# Appends: a second run adds to the same file.
	start_file "$f"
	"$NOOP" "$MARK-again"
	settle
	stop_pid "$FILE_PID"
	[ "$(jsonq "$f" count "$MARK-file")" = 1 ]
	[ "$(jsonq "$f" count "$MARK-again")" = 1 ]
	[ "$(grep -c '"type":"start"' "$f")" -eq 2 ]
	umask 077
	start_file "$g" --output-mode 0640
	stop_pid "$FILE_PID"
	[ "$(stat -c %a "$g")" = 640 ]
}

@test "--output refuses a symlink and a hard link, and leaves their targets alone" {
	local target="$BATS_TEST_TMPDIR/target" f="$BATS_TEST_TMPDIR/out.json"
	echo "precious" >"$target"
	ln -s "$target" "$f"
	run "$EXECWATCH" --json --output "$f" --duration 1
	figure "symlink: exit $status: $output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"symbolic link"* ]]
	rm "$f"
	ln "$target" "$f"
	run "$EXECWATCH" --json --output "$f" --duration 1
	figure "hard link: exit $status: $output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"single link"* ]]
	[ "$(cat "$target")" = precious ]
}

@test "rotation: at the size, every file whole, every exec in exactly one file; N files kept" {
	local f="$BATS_TEST_TMPDIR/rot.json" n=3000 size=65536 i files=0 biggest=0 s
	# Keep as many as allowed: other execs on the machine fill files too.
	start_file "$f" --no-exits --rotate-size 64K --rotate-keep 1000
	"$EWTEST" storm "$n" 2 "$NOOP" @MARK@
	settle
	stop_pid "$FILE_PID"
	for i in $(seq 1 1000); do
		[ -e "$f.$i" ] || break
	done
	local last=$((i - 1))
	for s in "$f" $(seq -f "$f.%g" 1 "$last"); do
		files=$((files + 1))
		[ "$(stat -c %s "$s")" -le "$size" ]
		[ "$(stat -c %s "$s")" -gt "$biggest" ] && biggest=$(stat -c %s "$s")
		whole_json_lines "$s"
	done
	# All files, oldest first, as one stream.
	cat $(seq -f "$f.%g" "$last" -1 1) "$f" >"$BATS_TEST_TMPDIR/all.json"
	local found
	found=$(jsonq "$BATS_TEST_TMPDIR/all.json" markers "$MARK-")
	figure "$n execs -> $files files of at most $biggest bytes (limit $size); $found distinct markers, $(grep -c "\"$MARK-" "$BATS_TEST_TMPDIR/all.json") lines with one"
	[ "$files" -gt 10 ]
	[ "$found" -eq "$n" ]
	[ "$(grep -c "\"$MARK-" "$BATS_TEST_TMPDIR/all.json")" -eq "$n" ]
	[ ! -e "$f.$((last + 1))" ]
	# --rotate-keep 3: FILE, FILE.1 .. FILE.3 and nothing more.
	local k="$BATS_TEST_TMPDIR/keep.json"
	start_file "$k" --no-exits --rotate-size 64K --rotate-keep 3
	"$EWTEST" storm 2000 2 "$NOOP" @MARK@
	settle
	stop_pid "$FILE_PID"
	figure "keep 3: $(ls "$BATS_TEST_TMPDIR" | grep -c '^keep.json')"
	[ -e "$k.3" ]
	[ ! -e "$k.4" ]
	[ "$(ls "$BATS_TEST_TMPDIR" | grep -c '^keep.json')" -eq 4 ]
}

@test "SIGHUP after mv (logrotate): nothing lost, later events in the new file" {
	local f="$BATS_TEST_TMPDIR/hup.json" n=2000
	start_file "$f" --no-exits
	paced "$n" 1000 &
	local storm=$!
	SINK_PIDS+=("$storm")
	# Rotate once the storm's records are arriving (a fixed sleep can come
	# before the first exec on a loaded machine), and before it ends.
	local i
	for i in $(seq 1 200); do
		# [0-9]: the pattern must not match this grep's own exec record.
		grep -q "\"$MARK-[0-9]" "$f" && break
		sleep 0.05
	done
	mv "$f" "$f.1"
	kill -HUP "$FILE_PID"
	wait "$storm"
	settle
	"$NOOP" "$MARK-after-hup"
	settle
	stop_pid "$FILE_PID"
	local old new
	old=$(jsonq "$f.1" markers "$MARK-")
	new=$(jsonq "$f" markers "$MARK-")
	cat "$f.1" "$f" >"$BATS_TEST_TMPDIR/all.json"
	figure "moved file: $old markers, new file: $new markers (of $n + 1)"
	whole_json_lines "$f.1"
	whole_json_lines "$f"
	[ "$old" -gt 0 ]
	[ "$new" -gt 1 ]
	[ "$(jsonq "$BATS_TEST_TMPDIR/all.json" markers "$MARK-")" -eq $((n + 1)) ]
	# Each marker on one line only (the waiting greps' own records do not match).
	[ "$(grep -cE "\"$MARK-([0-9]|after-hup)" "$BATS_TEST_TMPDIR/all.json")" -eq $((n + 1)) ]
	[ "$(jsonq "$f" count "$MARK-after-hup")" = 1 ]
	[ "$(stat -c %a "$f")" = 600 ]
}

@test "SIGKILL in a storm: the file ends with a newline and every line parses" {
	local f="$BATS_TEST_TMPDIR/kill.json" round
	for round in 1 2 3; do
		start_file "$f"
		(for i in $(seq 1 20); do "$EWTEST" storm 500 2 "$NOOP" "@MARK@-$round-$i"; done) &
		local storm=$!
		SINK_PIDS+=("$storm")
		sleep 0.$((3 + round * 2))
		kill -KILL "$FILE_PID"
		wait "$FILE_PID" 2>/dev/null || true
		kill "$storm" 2>/dev/null || true
		wait "$storm" 2>/dev/null || true
		figure "round $round: $(wc -l <"$f") lines, $(stat -c %s "$f") bytes after SIGKILL"
		whole_json_lines "$f"
	done
	[ "$(jsonq "$f" markers "$MARK-")" -gt 0 ]
	# A crash that did stop inside a line (a write cut at a page boundary):
	# the next start cuts the fragment off and says so.
	printf '{"type":"exec","argv":["cut' >>"$f"
	start_file "$f"
	"$NOOP" "$MARK-after-repair"
	settle
	stop_pid "$FILE_PID"
	figure "repair: $(cat "$BATS_TEST_TMPDIR/stderr" | head -1)"
	grep -q "cut off the last 27 bytes" "$BATS_TEST_TMPDIR/stderr"
	whole_json_lines "$f"
	[ "$(jsonq "$f" count "$MARK-after-repair")" = 1 ]
}

@test "--output on a full file system: exit 1, one clear message, only whole lines" {
	local mnt="$BATS_TEST_TMPDIR/full" status=0 i
	mkdir -p "$mnt"
	mount -t tmpfs -o size=64k,mode=0700 execwatch-sink-full "$mnt"
	SINK_MOUNTS+=("$mnt")
	start_file "$mnt/out.json"
	for i in $(seq 1 200); do
		kill -0 "$FILE_PID" 2>/dev/null || break
		"$EWTEST" storm 100 1 "$NOOP" "@MARK@-$i-with-some-padding-to-fill-the-disk-sooner"
	done
	wait "$FILE_PID" || status=$?
	figure "exit $status after $(stat -c %s "$mnt/out.json") bytes; $(grep -v ' events received' "$BATS_TEST_TMPDIR/stderr")"
	[ "$status" -eq 1 ]
	[ "$(grep -c "No space left on device" "$BATS_TEST_TMPDIR/stderr")" -eq 1 ]
	[ "$(stat -c %s "$mnt/out.json")" -gt 32768 ]
	whole_json_lines "$mnt/out.json"
}

# refused_output FILE WHY ARGS...: execwatch --output FILE must exit 1 at
# start with one sentence naming FILE and WHY on stderr, write nothing to
# stdout and leave FILE as it was (or absent).
refused_output() {
	local f="$1" why="$2" before after
	shift 2
	before=$(sha256sum "$f" 2>/dev/null || echo absent)
	"$@" "$EXECWATCH" --json --output "$f" -d 5 >"$BATS_TEST_TMPDIR/stdout" \
		2>"$BATS_TEST_TMPDIR/stderr" && return 1
	local status=$?
	after=$(sha256sum "$f" 2>/dev/null || echo absent)
	figure "exit $status: $(cat "$BATS_TEST_TMPDIR/stderr")"
	[ "$status" -eq 1 ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/stderr")" -eq 1 ]
	grep -qF "execwatch: cannot open --output '$f' for writing: $why" "$BATS_TEST_TMPDIR/stderr"
	[ ! -s "$BATS_TEST_TMPDIR/stdout" ]
	[ "$before" = "$after" ]
}

@test "--output on a read-only file system: exit 1, one sentence, nothing written" {
	local mnt="$BATS_TEST_TMPDIR/ro"
	mkdir -p "$mnt"
	mount -t tmpfs -o size=64k,mode=0700 execwatch-sink-ro "$mnt"
	SINK_MOUNTS+=("$mnt")
	echo '{"type":"old"}' >"$mnt/old.json"
	chmod 0600 "$mnt/old.json"
	mount -o remount,ro "$mnt"
	# A new file (O_CREAT|O_EXCL) and an existing one (opened for appending).
	refused_output "$mnt/new.json" "Read-only file system (the file system is mounted read-only"
	[ ! -e "$mnt/new.json" ]
	refused_output "$mnt/old.json" "Read-only file system (the file system is mounted read-only"
	[ "$(cat "$mnt/old.json")" = '{"type":"old"}' ]
}

# Mode 0444 does not stop root: CAP_DAC_OVERRIDE ignores mode bits, so the
# kernel opens such a file for writing (that is not execwatch's call to
# overrule). What stops root is an immutable file (chattr +i: even root gets
# EPERM, FS_IMMUTABLE_FL is checked in may_open() before any capability), and
# the service, which runs without CAP_DAC_OVERRIDE: for it 0444 means EACCES.
@test "--output to a read-only file: immutable, or 0444 for the service; exit 1, nothing written" {
	command -v chattr >/dev/null || skip "chattr not installed"
	local f="$BATS_TEST_TMPDIR/immutable.json" g="$BATS_TEST_TMPDIR/readonly.json"
	echo '{"type":"old"}' >"$f"
	chmod 0600 "$f"
	chattr +i "$f" 2>/dev/null || skip "chattr +i not supported on $(stat -f -c %T "$f")"
	SINK_IMMUTABLE+=("$f")
	refused_output "$f" "Operation not permitted (an immutable file?"
	[ "$(cat "$f")" = '{"type":"old"}' ]
	# 0444 under the unit's capabilities (CapabilityBoundingSet: no CAP_DAC_OVERRIDE).
	local caps
	caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$REPO_ROOT/packaging/execwatch.service.in" |
		tr ' ' '\n' | grep . | sed 's/^CAP_//' | tr '[:upper:]' '[:lower:]' | sed 's/^/+/' |
		paste -sd, -)
	echo '{"type":"old"}' >"$g"
	chmod 0444 "$g"
	refused_output "$g" "Permission denied (execwatch may not write it" \
		setpriv --inh-caps=-all,"$caps" --ambient-caps=-all,"$caps" \
		--bounding-set=-all,"$caps" --
	[ "$(cat "$g")" = '{"type":"old"}' ]
}

# --- syslog, against a real rsyslogd of our own --------------------------

# start_rsyslog: rsyslogd with a private configuration (no system inputs, no
# /dev/log): TCP and UDP on 127.0.0.1:RS_PORT and a unix datagram socket
# RS_SOCK, every raw message one line in RS_LOG. Waits until it listens.
start_rsyslog() {
	RS_DIR="$BATS_TEST_TMPDIR/rsyslog"
	mkdir -p "$RS_DIR"
	RS_LOG="$RS_DIR/raw.log"
	RS_SOCK="$RS_DIR/log.sock"
	if [ -z "${RS_PORT:-}" ]; then
		RS_PORT=$((20000 + RANDOM % 30000))
		while ss -Htuln "sport = :$RS_PORT" | grep -q .; do
			RS_PORT=$((20000 + RANDOM % 30000))
		done
	fi
	cat >"$RS_DIR/rsyslog.conf" <<EOF
global(workDirectory="$RS_DIR" maxMessageSize="64k")
module(load="imtcp")
module(load="imudp")
module(load="imuxsock" SysSock.Use="off")
template(name="raw" type="string" string="%rawmsg%\n")
ruleset(name="execwatch") {
	action(type="omfile" file="$RS_LOG" template="raw")
}
input(type="imtcp" address="127.0.0.1" port="$RS_PORT" ruleset="execwatch")
input(type="imudp" address="127.0.0.1" port="$RS_PORT" ruleset="execwatch")
input(type="imuxsock" socket="$RS_SOCK" ruleset="execwatch" useSpecialParser="off"
      rateLimit.interval="0")
EOF
	rsyslogd -n -f "$RS_DIR/rsyslog.conf" -i "$RS_DIR/rsyslogd.pid" >>"$RS_DIR/rsyslogd.out" 2>&1 &
	RS_PID=$!
	local i
	for i in $(seq 1 100); do
		if ss -Htln "sport = :$RS_PORT" | grep -q . && [ -S "$RS_SOCK" ]; then
			return 0
		fi
		sleep 0.05
	done
	cat "$RS_DIR/rsyslogd.out" >&2
	return 1
}

# stop_rsyslog: SIGTERM and wait until it is gone (it flushes RS_LOG first).
stop_rsyslog() {
	[ -n "${RS_PID:-}" ] || return 0
	kill -TERM "$RS_PID" 2>/dev/null || true
	wait "$RS_PID" 2>/dev/null || true
	RS_PID=
}

# wait_for_lines FILE N: until FILE has N lines (at most ~15 s: a backoff).
wait_for_lines() {
	local i
	for i in $(seq 1 150); do
		[ -e "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 0
}

@test "syslog over TCP, UDP and a unix socket: every event arrives once, RFC 5424 around the JSON" {
	start_rsyslog
	local url n out
	for url in "tcp://127.0.0.1:$RS_PORT:2000" "udp://127.0.0.1:$RS_PORT:200" \
		"unix://$RS_SOCK:500"; do
		n=${url##*:}
		url=${url%:*}
		out="$BATS_TEST_TMPDIR/ref.json"
		touch "$RS_LOG"
		local before
		before=$(wc -l <"$RS_LOG")
		MARK=$(new_marker)
		export EW_MARK="$MARK"
		if [[ "$url" == udp://* ]]; then
			# UDP has no flow control: a burst of other helpers' execs can
			# overflow rsyslog's socket buffer. Only our paced execs here.
			start_execwatch "$out" --json --no-exits --arg "$MARK" --syslog "$url"
			paced "$n" 500
		else
			start_execwatch "$out" --json --no-exits --syslog "$url"
			"$EWTEST" storm "$n" 1 "$NOOP" @MARK@
		fi
		settle
		stop_execwatch
		wait_for_lines "$RS_LOG" $((before + $(grep -c '"type":"exec"' "$out")))
		tail -n +$((before + 1)) "$RS_LOG" >"$BATS_TEST_TMPDIR/part.log"
		run python3 "$SYSLOGQ" "$BATS_TEST_TMPDIR/part.log" "$out" "$MARK" "$n"
		figure "$url: $output"
		[ "$status" -eq 0 ]
	done
}

@test "syslog: an rsyslog restart in a storm loses nothing inside the buffer bound" {
	start_rsyslog
	local out="$BATS_TEST_TMPDIR/ref.json" n=3000
	start_execwatch "$out" --json --no-exits --syslog "tcp://127.0.0.1:$RS_PORT"
	paced "$n" 1000 &
	local storm=$!
	SINK_PIDS+=("$storm")
	sleep 1
	stop_rsyslog
	local down=$EPOCHREALTIME
	sleep 0.5
	start_rsyslog
	figure "rsyslog down for $(python3 -c "print(round($EPOCHREALTIME - $down, 2))") s in the middle of a $n-exec storm at 1000/s"
	wait "$storm"
	settle 1
	stop_execwatch
	wait_for_lines "$RS_LOG" "$(grep -c '"type":"exec"' "$out")"
	run python3 "$SYSLOGQ" "$RS_LOG" "$out" "$MARK" "$n"
	figure "$output"
	[ "$status" -eq 0 ]
}

@test "syslog: a collector down past the bound costs exactly the messages counted as dropped" {
	start_rsyslog
	local out="$BATS_TEST_TMPDIR/ref.json" n=1000
	stop_rsyslog
	start_execwatch "$out" --json --no-exits --syslog "tcp://127.0.0.1:$RS_PORT" \
		--syslog-buffer 64K
	"$EWTEST" storm "$n" 2 "$NOOP" @MARK@
	settle
	start_rsyslog
	# The backoff has grown while it was down: the queue goes out on the next
	# try; then an exec is delivered as usual.
	wait_for_lines "$RS_LOG" 60
	"$NOOP" "$MARK-after"
	settle 1
	stop_execwatch
	run python3 "$SYSLOGQ" "$RS_LOG" "$out" "$MARK" "$n" --drops
	figure "64 KiB bound, collector down during $n execs: $output"
	[ "$status" -eq 0 ]
	grep -q "\"$MARK-after\"" "$RS_LOG"
	grep -q "syslog message(s) dropped" "$EW_ERR"
	# Said while it happened, with the cause.
	figure "stderr: $(grep -m1 'execwatch: syslog:' "$EW_ERR")"
	grep -q "execwatch: syslog: .* dropped .*unreachable" "$EW_ERR"
}

# stuck_collector: a TCP collector on 127.0.0.1 that accepts every
# connection and never reads (a tiny receive buffer, so execwatch's socket
# fills at once). Port in STUCK_PORT. On SIGTERM it reads what its sockets
# hold to the end and writes the number of complete RFC 6587 frames to
# STUCK_FRAMES (a frame cut by execwatch's exit does not count).
start_stuck_collector() {
	STUCK_DIR="$BATS_TEST_TMPDIR/stuck"
	mkdir -p "$STUCK_DIR"
	python3 - "$STUCK_DIR" >"$STUCK_DIR/log" 2>&1 <<'PY' &
import os, select, signal, socket, sys, time
out = sys.argv[1]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # inherited by accepted sockets
srv.bind(("127.0.0.1", 0))
srv.listen(16)
conns = []
stop = False
def on_term(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
with open(out + "/port.tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
os.rename(out + "/port.tmp", out + "/port")
while not stop:
    try:
        r, _, _ = select.select([srv], [], [], 0.1)
    except InterruptedError:
        continue
    if r:
        conns.append(srv.accept()[0])
# Drain: until every connection is at EOF (execwatch has exited), 20 s at most.
frames = 0
deadline = time.monotonic() + 20
for c in conns:
    data = b""
    # A big window now, or the backlog trickles through 2 KiB at a time.
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    c.settimeout(1)
    while time.monotonic() < deadline:
        try:
            chunk = c.recv(1 << 20)
        except socket.timeout:
            continue
        if not chunk:
            break
        data += chunk
    pos = 0
    while True:
        sp = data.find(b" ", pos)
        if sp < 0 or not data[pos:sp].isdigit():
            break
        end = sp + 1 + int(data[pos:sp])
        if end > len(data):
            break
        frames += 1
        pos = end
with open(out + "/frames", "w") as f:
    f.write(f"{frames} {len(conns)}\n")
PY
	STUCK_PID=$!
	SINK_PIDS+=("$STUCK_PID")
	local i
	for i in $(seq 1 100); do
		[ -s "$STUCK_DIR/port" ] && break
		sleep 0.05
	done
	STUCK_PORT=$(cat "$STUCK_DIR/port")
}

@test "syslog: a collector that never reads blocks nothing; the queue bound holds, drops counted exactly, SIGINT exits promptly" {
	local out="$BATS_TEST_TMPDIR/ref.json" prom="$BATS_TEST_TMPDIR/m.prom" n=4000
	local bound=65536
	start_stuck_collector
	start_execwatch "$out" --json --no-exits --syslog "tcp://127.0.0.1:$STUCK_PORT" \
		--syslog-buffer 64K --metrics-file "$prom" --metrics-interval 1
	"$EWTEST" storm "$n" 2 "$NOOP" @MARK@
	settle 1.5
	# While it runs: the queue filled to its bound (less than one message
	# short) and never past it, and the overflow is counted as queue_full. The
	# peak, not the current fill: the kernel's socket buffers may take more of
	# the backlog after the storm (a zero-window probe, a grown send buffer).
	local queued peak limit full
	queued=$(python3 "$BATS_TEST_DIRNAME/promcheck.py" "$prom" get execwatch_syslog_queue_bytes)
	peak=$(python3 "$BATS_TEST_DIRNAME/promcheck.py" "$prom" get execwatch_syslog_queue_peak_bytes)
	limit=$(python3 "$BATS_TEST_DIRNAME/promcheck.py" "$prom" get execwatch_syslog_queue_limit_bytes)
	full=$(python3 "$BATS_TEST_DIRNAME/promcheck.py" "$prom" get \
		'execwatch_syslog_dropped_total{cause="queue_full"}')
	figure "queue $queued of $limit bytes (peak $peak), $full dropped as queue_full during the storm"
	[ "$limit" -eq "$bound" ]
	[ "$peak" -gt $((bound - 4096)) ]
	[ "$peak" -le "$bound" ]
	[ "$queued" -le "$peak" ]
	[ "$full" -gt 0 ]
	# The socket took the storm's backlog meanwhile: fill the queue again,
	# so that SIGINT finds messages queued (dropped at_exit, below).
	# Unmarked: the marker count below is the storm's.
	"$EWTEST" storm 500 2 "$NOOP" late-"$MARK"
	settle 0.5
	# SIGINT: out within the 2 s the collector is given, plus the final drain and
	# the teardown of the BPF objects (a few seconds on a busy machine, under ASan).
	local t0=$EPOCHREALTIME elapsed
	stop_execwatch
	elapsed=$(python3 -c "print(round($EPOCHREALTIME - $t0, 2))")
	figure "SIGINT to exit 0 in $elapsed s"
	python3 -c "import sys; sys.exit(not float(sys.argv[1]) < 6)" "$elapsed"
	# The main output lost nothing: every marker exec, and the kernel lost none.
	[ "$(jsonq "$out" markers "$MARK-")" -eq "$n" ]
	[ "$(jsonq "$out" last stats lost)" = 0 ]
	# Exact accounting: every record was either sent whole or dropped, by cause.
	local records sent dropped at_exit stats_dropped
	records=$(grep -c '"type":"exec"' "$out")
	sent=$(python3 "$BATS_TEST_DIRNAME/promcheck.py" "$prom" get execwatch_syslog_sent_total)
	dropped=0
	for cause in queue_full too_large at_exit no_memory; do
		dropped=$((dropped + $(python3 "$BATS_TEST_DIRNAME/promcheck.py" "$prom" get \
			"execwatch_syslog_dropped_total{cause=\"$cause\"}")))
	done
	at_exit=$(python3 "$BATS_TEST_DIRNAME/promcheck.py" "$prom" get \
		'execwatch_syslog_dropped_total{cause="at_exit"}')
	stats_dropped=$(jsonq "$out" last stats syslog_dropped)
	figure "$records records: $sent sent, $dropped dropped ($at_exit at exit); stats say $stats_dropped"
	[ "$stats_dropped" -eq "$dropped" ]
	[ $((sent + dropped)) -eq "$records" ]
	[ "$at_exit" -gt 0 ]
	# What execwatch counted as sent is what the collector finds once it reads.
	kill -TERM "$STUCK_PID"
	wait "$STUCK_PID"
	local frames conns
	read -r frames conns <"$STUCK_DIR/frames"
	figure "the collector read $frames complete frames over $conns connection(s)"
	[ "$frames" -eq "$sent" ]
}
