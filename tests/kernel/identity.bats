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

@test "comm before and after the exec; a program that renames itself is recognisable" {
	start_execwatch "$OUT" --json
	"$EWTEST" exec "$NOOP" noop @MARK@
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" get "$MARK" comm)" = '"noop"' ]
	[ "$(jsonq "$OUT" get "$MARK" comm_before)" = '"ewtest"' ]
	[ "$(jsonq "$OUT" get "$MARK" parent_comm)" = '"bash"' ]
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
