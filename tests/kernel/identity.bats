#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Who ran it and where: credentials and privilege changes, the comm before
# and after, namespaces and the pid inside them, the terminal.

load helpers

setup() {
	setup_marked
}

@test "a setuid binary: euid changes, privilege_change is set, the caller's ids are kept" {
	# A directory others can traverse, for the unprivileged caller.
	local dir
	dir=$(mktemp -d /tmp/execwatch-suid.XXXXXX)
	chmod 755 "$dir"
	local prog="$dir/suid-noop"
	cp "$NOOP" "$prog"
	chmod 4755 "$prog"
	start_execwatch "$OUT" --json
	setpriv --reuid=65534 --regid=65534 --clear-groups "$EWTEST" exec "$prog" suid @MARK@-suid
	"$EWTEST" exec "$NOOP" noop @MARK@-plain
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" get "$MARK-suid" uid)" = 65534 ]
	[ "$(jsonq "$OUT" get "$MARK-suid" euid)" = 0 ]
	[ "$(jsonq "$OUT" get "$MARK-suid" suid)" = 0 ]
	[ "$(jsonq "$OUT" get "$MARK-suid" fsuid)" = 0 ]
	[ "$(jsonq "$OUT" get "$MARK-suid" privilege_change)" = true ]
	[ "$(jsonq "$OUT" get "$MARK-suid" caller_euid)" = 65534 ]
	[ "$(jsonq "$OUT" get "$MARK-plain" privilege_change)" = false ]
	rm -rf "$dir"
}

@test "comm before and after the exec" {
	start_execwatch "$OUT" --json
	"$EWTEST" exec "$NOOP" noop @MARK@
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" get "$MARK" comm)" = '"noop"' ]
	[ "$(jsonq "$OUT" get "$MARK" comm_before)" = '"ewtest"' ]
	[ "$(jsonq "$OUT" get "$MARK" parent_comm)" = '"bash"' ]
}

@test "a program that renamed itself (prctl PR_SET_NAME) before exec is recognisable" {
	start_execwatch "$OUT" --json
	"$EWTEST" rename-exec "[kworker/0:1]" "$NOOP" noop @MARK@
	settle
	stop_execwatch
	# What it called itself, escaped like any other word, and what it really became.
	[ "$(jsonq "$OUT" get "$MARK" comm_before)" = '"[kworker/0:1]"' ]
	[ "$(jsonq "$OUT" get "$MARK" comm)" = '"noop"' ]
	[ "$(jsonq "$OUT" get "$MARK" exe)" = "\"$NOOP\"" ]
}

@test "a setgid binary and a binary with file capabilities change privileges; egid is reported" {
	local dir
	dir=$(mktemp -d /tmp/execwatch-sgid.XXXXXX)
	chmod 755 "$dir"
	cp "$NOOP" "$dir/sgid-noop"
	chgrp 4 "$dir/sgid-noop"
	chmod 2755 "$dir/sgid-noop"
	cp "$NOOP" "$dir/cap-noop"
	chmod 755 "$dir/cap-noop"
	setcap cap_net_raw+ep "$dir/cap-noop"
	start_execwatch "$OUT" --json
	setpriv --reuid=65534 --regid=65534 --clear-groups "$EWTEST" exec "$dir/sgid-noop" x @MARK@-sgid
	setpriv --reuid=65534 --regid=65534 --clear-groups "$EWTEST" exec "$dir/cap-noop" x @MARK@-cap
	setpriv --reuid=65534 --regid=65534 --clear-groups "$EWTEST" exec "$NOOP" x @MARK@-plain
	settle
	stop_execwatch
	rm -rf "$dir"
	[ "$(jsonq "$OUT" get "$MARK-sgid" gid)" = 65534 ]
	[ "$(jsonq "$OUT" get "$MARK-sgid" egid)" = 4 ]
	[ "$(jsonq "$OUT" get "$MARK-sgid" euid)" = 65534 ]
	[ "$(jsonq "$OUT" get "$MARK-sgid" caller_egid)" = 65534 ]
	[ "$(jsonq "$OUT" get "$MARK-sgid" privilege_change)" = true ]
	# File capabilities: no id changes, but the kernel runs it in secure mode (AT_SECURE).
	[ "$(jsonq "$OUT" get "$MARK-cap" euid)" = 65534 ]
	[ "$(jsonq "$OUT" get "$MARK-cap" egid)" = 65534 ]
	[ "$(jsonq "$OUT" get "$MARK-cap" privilege_change)" = true ]
	[ "$(jsonq "$OUT" get "$MARK-plain" privilege_change)" = false ]
	[ "$(jsonq "$OUT" get "$MARK-plain" egid)" = 65534 ]
}

@test "the login uid and session id (auid, sessionid) set by a login" {
	[ -w /proc/self/loginuid ] || skip "no /proc/self/loginuid (kernel without CONFIG_AUDIT)"
	start_execwatch "$OUT" --json
	# What pam_loginuid does at a login: write the user's uid to loginuid.
	# The marker goes through the environment: only the exec under test carries it.
	LOGIN_MARK="$MARK-login" bash -c 'echo 4242 > /proc/self/loginuid &&
		cat /proc/self/sessionid > "$1" && exec "$2" noop "$LOGIN_MARK"' \
		bash "$BATS_TEST_TMPDIR/session" "$NOOP"
	"$EWTEST" exec "$NOOP" noop @MARK@-unset
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" get "$MARK-login" auid)" = 4242 ]
	[ "$(jsonq "$OUT" get "$MARK-login" sessionid)" = "$(cat "$BATS_TEST_TMPDIR/session")" ]
	# Ours: as this test runs (unset: null, or a login's values when run from one).
	local mine
	mine=$(cat /proc/self/loginuid)
	if [ "$mine" = 4294967295 ]; then
		[ "$(jsonq "$OUT" get "$MARK-unset" auid)" = null ]
	else
		[ "$(jsonq "$OUT" get "$MARK-unset" auid)" = "$mine" ]
	fi
}

@test "a new pid namespace: the pid inside it, and the namespace inodes" {
	start_execwatch "$OUT" --json
	unshare --pid --fork --mount-proc "$EWTEST" exec "$NOOP" noop @MARK@-ns
	"$EWTEST" exec "$NOOP" noop @MARK@-host
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" get "$MARK-ns" ns_pid)" = 1 ]
	[ "$(jsonq "$OUT" get "$MARK-ns" pid)" != 1 ]
	[ "$(jsonq "$OUT" get "$MARK-ns" pid_ns)" != "$(jsonq "$OUT" get "$MARK-host" pid_ns)" ]
	[ "$(jsonq "$OUT" get "$MARK-host" pid_ns)" = "$(stat -L -c %i /proc/self/ns/pid)" ]
	[ "$(jsonq "$OUT" get "$MARK-host" mnt_ns)" = "$(stat -L -c %i /proc/self/ns/mnt)" ]
	[ "$(jsonq "$OUT" get "$MARK-host" net_ns)" = "$(stat -L -c %i /proc/self/ns/net)" ]
	[ "$(jsonq "$OUT" get "$MARK-host" user_ns)" = "$(stat -L -c %i /proc/self/ns/user)" ]
	[ "$(jsonq "$OUT" get "$MARK-host" ns_pid)" = "$(jsonq "$OUT" get "$MARK-host" pid)" ]
}

@test "a new mount and network namespace show up as different inodes" {
	start_execwatch "$OUT" --json
	unshare --mount --net "$EWTEST" exec "$NOOP" noop @MARK@-ns
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" get "$MARK-ns" mnt_ns)" != "$(stat -L -c %i /proc/self/ns/mnt)" ]
	[ "$(jsonq "$OUT" get "$MARK-ns" net_ns)" != "$(stat -L -c %i /proc/self/ns/net)" ]
}

@test "the controlling terminal, or null" {
	command -v script >/dev/null || skip "no script(1) for a terminal"
	start_execwatch "$OUT" --json
	script -q -c "$EWTEST exec $NOOP noop @MARK@-tty" /dev/null >/dev/null
	setsid "$EWTEST" exec "$NOOP" noop @MARK@-notty </dev/null
	settle
	stop_execwatch
	local tty
	tty=$(jsonq "$OUT" get "$MARK-tty" tty)
	echo "tty: $tty"
	[[ "$tty" =~ ^\"pts/[0-9]+\"$ ]]
	[ "$(jsonq "$OUT" get "$MARK-notty" tty)" = null ]
}
