#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The service as make install sets it up: PREFIX and DESTDIR, the unit's
# paths filled in, an edited config kept; the unit passes systemd-analyze
# verify and security; and execwatch really works under the unit's
# restrictions. Where systemd runs as PID 1, the real unit is started (with
# the built binary); elsewhere (containers, this test machine) the same
# restrictions are reproduced by hand: the unit's CapabilityBoundingSet read
# from the unit file, no_new_privs, and every mount read-only but a private
# runtime directory, as ProtectSystem=strict does.

load helpers

UNIT_IN="$REPO_ROOT/packaging/execwatch.service.in"

setup() {
	require_root
	MARK=$(new_marker)
}

teardown() {
	cleanup_execwatch
	if [ -n "${PARANOID_SAVED:-}" ]; then
		echo "$PARANOID_SAVED" >/proc/sys/kernel/perf_event_paranoid
	fi
	if [ -n "${STRACE_PID:-}" ]; then
		kill -KILL $(pgrep -P "$STRACE_PID" -x execwatch) 2>/dev/null || true
		kill -KILL "$STRACE_PID" 2>/dev/null || true
	fi
	if [ -n "${TEST_UNIT:-}" ]; then
		systemctl stop "$TEST_UNIT" 2>/dev/null || true
		rm -f "/run/systemd/system/$TEST_UNIT"
		rm -rf "${TEST_BIN_DIR:-/nonexistent}"
		systemctl daemon-reload || true
	fi
}

# The unit's capability set, in setpriv's spelling: "+bpf,+perfmon".
# The unit's LimitMEMLOCK, in ulimit's spelling (KiB or "unlimited").
unit_memlock() {
	local v
	v=$(sed -n 's/^LimitMEMLOCK=//p' "$UNIT_IN")
	case "$v" in
	infinity) echo unlimited ;;
	*) echo $(( v / 1024 )) ;;
	esac
}

unit_caps() {
	sed -n 's/^CapabilityBoundingSet=//p' "$UNIT_IN" | tr ' ' '\n' | grep . |
		sed 's/^CAP_//' | tr '[:upper:]' '[:lower:]' | sed 's/^/+/' | paste -sd, -
}

@test "make install puts binary, man page, unit and config under DESTDIR and PREFIX" {
	local dest="$BATS_TEST_TMPDIR/dest"
	run make -C "$REPO_ROOT" --no-print-directory install DESTDIR="$dest" PREFIX=/usr/local
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(stat -c %a "$dest/usr/local/sbin/execwatch")" = 755 ]
	[ "$(stat -c %a "$dest/usr/local/share/man/man8/execwatch.8")" = 644 ]
	[ "$(stat -c %a "$dest/usr/local/lib/systemd/system/execwatch.service")" = 644 ]
	[ "$(stat -c %a "$dest/etc/execwatch/execwatch.conf")" = 644 ]
	grep -qx 'ExecStart=/usr/local/sbin/execwatch --config /etc/execwatch/execwatch.conf' \
		"$dest/usr/local/lib/systemd/system/execwatch.service"
	# No placeholder left (bats: a negated command would not fail the test).
	[ "$(grep -c "@[A-Z]*@" "$dest/usr/local/lib/systemd/system/execwatch.service")" = 0 ]
	# The shipped config is valid as it is.
	"$dest/usr/local/sbin/execwatch" --config "$dest/etc/execwatch/execwatch.conf" --help >/dev/null
	# An edited config survives a reinstall; uninstall keeps it and removes the rest.
	echo "uid = 0" >>"$dest/etc/execwatch/execwatch.conf"
	make -C "$REPO_ROOT" --no-print-directory install DESTDIR="$dest" PREFIX=/usr/local
	grep -qx "uid = 0" "$dest/etc/execwatch/execwatch.conf"
	make -C "$REPO_ROOT" --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr/local
	[ ! -e "$dest/usr/local/sbin/execwatch" ]
	[ ! -e "$dest/usr/local/lib/systemd/system/execwatch.service" ]
	[ -e "$dest/etc/execwatch/execwatch.conf" ]
}

@test "the unit passes systemd-analyze verify, and security rates it OK" {
	command -v systemd-analyze >/dev/null || skip "no systemd-analyze"
	local prefix="$BATS_TEST_TMPDIR/prefix" unit
	make -C "$REPO_ROOT" --no-print-directory install PREFIX="$prefix" SYSCONFDIR="$prefix/etc"
	unit="$prefix/lib/systemd/system/execwatch.service"
	run systemd-analyze verify --man=no "$unit"
	echo "$output"
	[ "$status" -eq 0 ]
	run systemd-analyze security --offline=true "$unit"
	echo "$output" | tail -n 3
	local score
	score=$(echo "$output" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	echo "# exposure $score (0 = locked down, 10 = unprotected)" >&3
	awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 3.0) }'
	# Least privilege: exactly these capabilities. CAP_SYS_ADMIN is there for
	# Debian's kernels (perf_event_paranoid=3) and dropped once attached
	# (the next tests check the running process).
	[ "$(unit_caps)" = "+bpf,+perfmon,+sys_admin" ]
	# systemctl reload sends SIGHUP (reopen --output, reload --policy).
	grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$unit"
}

@test "the unit's ExecReload (systemctl reload) makes execwatch reopen --output" {
	local reload f="$BATS_TEST_TMPDIR/reload.json" i
	reload=$(sed -n 's/^ExecReload=//p' "$UNIT_IN")
	[ -n "$reload" ]
	EW_ERR="$BATS_TEST_TMPDIR/stderr"
	"$EXECWATCH" --json --no-exits --output "$f" 2>"$EW_ERR" &
	EW_PID=$!
	wait_for_output "$f"
	/bin/echo "$MARK-before" >/dev/null
	settle
	mv "$f" "$f.1"
	# The command as systemd runs it, with $MAINPID filled in.
	${reload//\$MAINPID/$EW_PID}
	for i in $(seq 1 100); do
		[ -e "$f" ] && break
		sleep 0.05
	done
	/bin/echo "$MARK-after" >/dev/null
	settle
	stop_execwatch
	[ "$(jsonq "$f.1" count "$MARK-before")" = 1 ]
	[ "$(jsonq "$f" count "$MARK-after")" = 1 ]
	[ "$(jsonq "$f.1" count "$MARK-after")" = 0 ]
}

# expand_filter SET...: every syscall the unit's SystemCallFilter allows.
expand_filter() {
	local x
	for x in "$@"; do
		case "$x" in
		@*)
			systemd-analyze syscall-filter "$x" | tail -n +2 | sed 's/^ *//' |
				grep -v -e '^#' -e '^$' | while read -r y; do expand_filter "$y"; done
			;;
		*) echo "$x" ;;
		esac
	done
}

@test "every system call execwatch makes is allowed by the unit's SystemCallFilter" {
	command -v strace >/dev/null || skip "strace not installed"
	command -v systemd-analyze >/dev/null || skip "no systemd-analyze"
	local filter allowed used
	filter=$(sed -n 's/^SystemCallFilter=//p' "$UNIT_IN")
	[ -n "$filter" ]
	# shellcheck disable=SC2086 # the filter is a list of words
	allowed=$(expand_filter $filter | sort -u)
	[ "$(echo "$allowed" | wc -l)" -gt 100 ]
	# A run as the service does it: the shipped config, metrics, a tick or two,
	# a marker exec, SIGTERM at the end (systemd's stop).
	# (LeakSanitizer cannot run under ptrace: off for the ASan build.)
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o "$BATS_TEST_TMPDIR/trace" "$EXECWATCH" \
		--config "$REPO_ROOT/packaging/execwatch.conf" \
		--metrics-file "$BATS_TEST_TMPDIR/m.prom" --metrics-interval 1 \
		>"$BATS_TEST_TMPDIR/out" 2>&1 &
	STRACE_PID=$!
	local _
	for _ in $(seq 1 200); do
		grep -q '"type":"start"' "$BATS_TEST_TMPDIR/out" && break
		sleep 0.05
	done
	/bin/echo "$MARK" >/dev/null
	sleep 1.5
	kill -TERM "$(pgrep -P "$STRACE_PID" -x execwatch)"
	wait "$STRACE_PID"
	STRACE_PID=
	grep -q "$MARK" "$BATS_TEST_TMPDIR/out" || { cat "$BATS_TEST_TMPDIR/out"; return 1; }
	used=$(sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' "$BATS_TEST_TMPDIR/trace" | sort -u)
	echo "# $(echo "$used" | wc -l) distinct system calls" >&3
	local missing
	missing=$(comm -23 <(echo "$used") <(echo "$allowed"))
	[ -z "$missing" ] || { echo "not allowed by the unit: $missing"; return 1; }
}

@test "execwatch works under the unit's restrictions" {
	local out="$BATS_TEST_TMPDIR/out.jsonl"
	if [ "$(ps -p 1 -o comm=)" = systemd ] && [ -d /run/systemd/system ]; then
		# The real thing: the unit file, pointed at the built binary.
		# The binary goes to /run: ProtectHome hides a checkout under /root or /home.
		TEST_UNIT="execwatch-test-$$.service"
		TEST_BIN_DIR="/run/execwatch-test-$$"
		mkdir -p "$TEST_BIN_DIR"
		cp "$EXECWATCH" "$TEST_BIN_DIR/execwatch"
		sed -e "s|@SBINDIR@/execwatch --config @SYSCONFDIR@/execwatch/execwatch.conf|$TEST_BIN_DIR/execwatch --json|" \
			"$UNIT_IN" >"/run/systemd/system/$TEST_UNIT"
		systemctl daemon-reload
		systemctl start "$TEST_UNIT"
		sleep 2
		/bin/echo "$MARK" >/dev/null
		sleep 1
		systemctl is-active "$TEST_UNIT"
		journalctl -u "$TEST_UNIT" -o cat --no-pager >"$out"
		grep -q "$MARK" "$out"
		return
	fi
	echo "# systemd is not PID 1 here: reproducing the unit's restrictions by hand" >&3
	local caps runtime sandbox
	caps=$(unit_caps)
	runtime="$BATS_TEST_TMPDIR/runtime"
	mkdir -p "$runtime"
	sandbox="$BATS_TEST_TMPDIR/sandbox.sh"
	# In a private mount namespace: every mount read-only except the kernel's
	# own (/proc, /sys, /dev), a private writable runtime directory, then
	# drop to the unit's capabilities with no_new_privs and exec execwatch
	# (same pid all along, so SIGINT reaches it).
	cat >"$sandbox" <<-EOS
		set -e
		mount --make-rprivate /
		findmnt -rn -o TARGET | grep -v -e '^/proc' -e '^/sys' -e '^/dev' |
			while read -r m; do mount -o remount,bind,ro "\$m" 2>/dev/null || true; done
		mount -t tmpfs -o mode=0755 tmpfs "$runtime"
		# LimitMEMLOCK: where root may raise it (not where CAP_SYS_RESOURCE
		# is withheld, as on the development machine, all 5.11+ kernels
		# that charge the memory cgroup instead).
		ulimit -l $(unit_memlock) 2>/dev/null || [ "\$(ulimit -l)" = unlimited ] || uname -r | grep -qv '^5\.\([0-9]\|10\)\.'
		exec setpriv --no-new-privs --inh-caps=-all,$caps --ambient-caps=-all,$caps \
			--bounding-set=-all,$caps -- "$EXECWATCH" "\$@"
	EOS
	EXECWATCH="unshare" start_execwatch "$out" --mount -- sh "$sandbox" --json
	local status_file="/proc/$EW_PID/status"
	# The process is execwatch, holding exactly CAP_BPF (39) and CAP_PERFMON
	# (38): CAP_SYS_ADMIN (21), in the unit's bounding set, was dropped once
	# the programs were attached, before the first record was written.
	[ "$(cat /proc/$EW_PID/comm)" = execwatch ]
	grep '^Cap' "$status_file" | sed 's/^/# /' >&3
	grep -q '^CapEff:[[:space:]]*000000c000000000$' "$status_file"
	grep -q '^CapPrm:[[:space:]]*000000c000000000$' "$status_file"
	grep -q '^CapBnd:[[:space:]]*000000c000200000$' "$status_file"
	grep -q '^NoNewPrivs:[[:space:]]*1$' "$status_file"
	# The root file system is read-only for it.
	grep -q ' / / ro,' "/proc/$EW_PID/mountinfo"
	/bin/echo "$MARK" >/dev/null
	settle
	stop_execwatch
	[ "$(jsonq "$out" count "$MARK")" = 1 ]
}

# perf_event_open(2) of a dummy software counter on ourselves, the errno
# name or "ok": level 2 allows it to anyone, so EACCES means the kernel
# keeps perf events to CAP_SYS_ADMIN (Debian's perf_event_paranoid=3).
perf_open_verdict() {
	python3 - <<-'EOP'
		import ctypes, errno, os, struct
		libc = ctypes.CDLL(None, use_errno=True)
		# struct perf_event_attr (PERF_ATTR_SIZE_VER0 = 64 bytes): type 1
		# (software), size, config 9 (PERF_COUNT_SW_DUMMY), then the flags
		# word: disabled (bit 0), exclude_kernel (5), exclude_hv (6).
		attr = struct.pack("IIQQQQQIIQ", 1, 64, 9, 0, 0, 0, 1 | 1 << 5 | 1 << 6, 0, 0, 0)
		fd = libc.syscall(298, ctypes.c_char_p(attr), 0, -1, -1, 8)
		if fd >= 0:
		    os.close(fd)
		    print("ok")
		else:
		    print(errno.errorcode[ctypes.get_errno()])
	EOP
}

# One round of the test below at the current kernel.perf_event_paranoid.
caps_only_round() {
	local out="$BATS_TEST_TMPDIR/out.jsonl" verdict level
	level=$(cat /proc/sys/kernel/perf_event_paranoid)
	# LimitMEMLOCK=infinity as in the unit, which kernels before 5.11 need,
	# where root may raise it (the development machine withholds
	# CAP_SYS_RESOURCE; its kernel does not need it).
	local memlock=()
	if prlimit --memlock=unlimited:unlimited true 2>/dev/null; then
		memlock=(--memlock=unlimited:unlimited)
	fi
	local drop=(prlimit "${memlock[@]}" -- setpriv --inh-caps=-all,+bpf,+perfmon
		--ambient-caps=-all,+bpf,+perfmon --bounding-set=-all,+bpf,+perfmon --)
	verdict=$("${drop[@]}" bash -c "$(declare -f perf_open_verdict); perf_open_verdict")
	echo "# perf_event_paranoid $level, a dummy perf event without CAP_SYS_ADMIN: $verdict" >&3
	if [ "$verdict" = ok ]; then
		EXECWATCH="prlimit" start_execwatch "$out" "${drop[@]:1}" "$EXECWATCH" --json
		/bin/echo "$MARK-$level" >/dev/null
		settle
		stop_execwatch
		[ "$(jsonq "$out" count "$MARK-$level")" = 1 ]
		run "${drop[@]}" "$EXECWATCH" --check
		[[ "$output" == *"privileges       ok "* ]]
		return
	fi
	[ "$verdict" = EACCES ]
	run "${drop[@]}" "$EXECWATCH" --json --duration 1
	echo "$output"
	[ "$status" -eq 1 ]
	# Refused at the attach, with the reason: everything before it (the load
	# above all) worked with these capabilities.
	[[ "$output" == *"kernel.perf_event_paranoid is $level"* ]]
	[[ "$output" == *"Grant CAP_SYS_ADMIN (execwatch drops it once attached)"* ]]
	run "${drop[@]}" "$EXECWATCH" --check
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"privileges       missing   CAP_BPF yes, CAP_PERFMON yes, CAP_SYS_ADMIN no; perf_event_paranoid"* ]]
}

@test "CAP_BPF and CAP_PERFMON alone: it runs, or says that this kernel wants CAP_SYS_ADMIN" {
	# Both ways where the level can be set: at 2 the whole load and attach run
	# without CAP_SYS_ADMIN (Debian's 3 stops them at the attach, and would
	# hide a load that needs CAP_SYS_ADMIN, as 5.11-6.1 once did).
	PARANOID_SAVED=$(cat /proc/sys/kernel/perf_event_paranoid)
	local level
	for level in 2 3; do
		if ! echo "$level" >/proc/sys/kernel/perf_event_paranoid 2>/dev/null; then
			echo "# cannot set perf_event_paranoid: this level only" >&3
			caps_only_round
			return
		fi
		caps_only_round
	done
}

@test "run as full root, execwatch drops CAP_SYS_ADMIN once attached and keeps the rest" {
	local out="$BATS_TEST_TMPDIR/out.jsonl"
	start_execwatch "$out" --json
	local eff
	eff=$(sed -n 's/^CapEff:[[:space:]]*//p' "/proc/$EW_PID/status")
	echo "# CapEff $eff" >&3
	# Bit 21 (CAP_SYS_ADMIN) is clear; CAP_BPF (39) and CAP_PERFMON (38) are set.
	(( (0x$eff >> 21 & 1) == 0 ))
	(( (0x$eff >> 38 & 3) == 3 ))
	(( (0x$(sed -n 's/^CapPrm:[[:space:]]*//p' "/proc/$EW_PID/status") >> 21 & 1) == 0 ))
	/bin/echo "$MARK" >/dev/null
	settle
	stop_execwatch
	[ "$(jsonq "$out" count "$MARK")" = 1 ]
}

@test "kernels before 5.11, a low RLIMIT_MEMLOCK and no CAP_SYS_RESOURCE: the message says so" {
	local caps=+bpf,+perfmon,+sys_admin
	run prlimit --memlock=65536:65536 -- setpriv --inh-caps=-all,$caps --ambient-caps=-all,$caps \
		--bounding-set=-all,$caps -- "$EXECWATCH" --json --duration 1
	echo "$output"
	local major minor
	IFS=. read -r major minor _ <<<"$(uname -r)"
	if [ "$major" -lt 5 ] || { [ "$major" -eq 5 ] && [ "$minor" -lt 11 ]; }; then
		# BPF memory counts against RLIMIT_MEMLOCK, which libbpf cannot raise.
		[ "$status" -eq 1 ]
		[[ "$output" == *"charges BPF memory to RLIMIT_MEMLOCK, which is 64 KiB here"* ]]
		[[ "$output" == *"ulimit -l unlimited; LimitMEMLOCK=infinity"* ]]
	else
		# 5.11+ charges the memory cgroup instead: the limit does not matter.
		[ "$status" -eq 0 ]
	fi
}
