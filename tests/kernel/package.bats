#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The Debian package on this machine: make deb builds it, dpkg -i installs
# the binary, man page, systemd unit and config with the right modes, the
# installed /usr/sbin/execwatch traces a marker exec with the installed
# config, and dpkg --purge leaves nothing behind. It installs into the real
# system, so teardown_file purges whatever happens, and the file refuses to
# run when an execwatch package is already installed (not ours to remove).
#
# EXECWATCH_DEB=path/to/execwatch_*.deb tests that package instead of
# building one.

load helpers

setup_file() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to install a package"
	command -v dpkg-buildpackage >/dev/null || skip "dpkg-dev missing: scripts/install-deps.sh deb"
	if dpkg-query -W -f='${Status}' execwatch 2>/dev/null | grep -q ' installed$'; then
		skip "an execwatch package is already installed here; not touching it"
	fi
	export DEB_BUILD="$BATS_FILE_TMPDIR/build"
}

teardown_file() {
	# Only purge what this file installed (setup_file skipped otherwise).
	if [ -n "${DEB_BUILD:-}" ]; then
		dpkg --purge execwatch >/dev/null 2>&1 || true
	fi
}

deb_file() {
	if [ -n "${EXECWATCH_DEB:-}" ]; then
		echo "$EXECWATCH_DEB"
	else
		ls "$DEB_BUILD"/deb/execwatch_*.deb 2>/dev/null | head -n 1 | grep .
	fi
}

@test "make deb builds a package with the binary, unit, config and man page" {
	if [ -z "${EXECWATCH_DEB:-}" ]; then
		local start=$SECONDS
		run make -C "$REPO_ROOT" --no-print-directory deb BUILD="$DEB_BUILD"
		echo "$output"
		[ "$status" -eq 0 ]
		echo "# make deb took $((SECONDS - start)) s" >&3
	fi
	local deb
	deb=$(deb_file)
	[ -f "$deb" ]
	run dpkg-deb -c "$deb"
	[ "$status" -eq 0 ]
	[[ "$output" == *"-rwxr-xr-x root/root"*" ./usr/sbin/execwatch"* ]]
	[[ "$output" == *"-rw-r--r-- root/root"*" ./lib/systemd/system/execwatch.service"* ]]
	[[ "$output" == *"-rw-r--r-- root/root"*" ./etc/execwatch/execwatch.conf"* ]]
	[[ "$output" == *" ./usr/share/man/man8/execwatch.8.gz"* ]]
	[ "$(dpkg-deb -f "$deb" Package)" = execwatch ]
	[[ "$(dpkg-deb -f "$deb" Depends)" == *libbpf1* ]]
	# The config is a conffile: an admin's edits survive upgrades.
	dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles | grep -qx /etc/execwatch/execwatch.conf
}

@test "dpkg -i installs it: files, modes, an enabled unit that verifies" {
	local deb
	deb=$(deb_file)
	run dpkg -i "$deb"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(dpkg-query -W -f='${Status}' execwatch)" = "install ok installed" ]
	[ "$(stat -c '%a %U %G' /usr/sbin/execwatch)" = "755 root root" ]
	[ "$(stat -c '%a %U' /lib/systemd/system/execwatch.service)" = "644 root" ]
	[ "$(stat -c '%a %U' /etc/execwatch/execwatch.conf)" = "644 root" ]
	[ -f /usr/share/man/man8/execwatch.8.gz ]
	grep -qx 'ExecStart=/usr/sbin/execwatch --config /etc/execwatch/execwatch.conf' \
		/lib/systemd/system/execwatch.service
	# debhelper's postinst enabled the service.
	[ -L /etc/systemd/system/multi-user.target.wants/execwatch.service ]
	# Every file as packaged, and a unit systemd accepts.
	run dpkg --verify execwatch
	[ "$status" -eq 0 ] && [ -z "$output" ]
	run systemd-analyze verify /lib/systemd/system/execwatch.service
	echo "$output"
	[ "$status" -eq 0 ]
	/usr/sbin/execwatch --version | grep -q '^execwatch '
	man -w execwatch | grep -q execwatch.8
}

@test "the installed execwatch, with the installed config, traces a marker exec" {
	local mark out
	mark=$(new_marker)
	out="$BATS_TEST_TMPDIR/out.jsonl"
	# The config says JSON and metrics in /run/execwatch (made by systemd):
	# the command line moves the metrics, and wins.
	EXECWATCH=/usr/sbin/execwatch start_execwatch "$out" \
		--config /etc/execwatch/execwatch.conf --metrics-file "$BATS_TEST_TMPDIR/m.prom"
	/bin/echo "$mark" >/dev/null
	settle
	stop_execwatch
	[ "$(jsonq "$out" count "$mark")" = 1 ]
	[ "$(jsonq "$out" get "$mark" filename)" = '"/bin/echo"' ]
}

@test "dpkg --purge removes every file, the config and the enable link" {
	run dpkg --purge execwatch
	echo "$output"
	[ "$status" -eq 0 ]
	# (bats: a negated command does not fail a test, so test the output)
	run dpkg-query -W -f='${Status}' execwatch
	[[ "$output" != *" installed"* ]]
	[ ! -e /usr/sbin/execwatch ]
	[ ! -e /lib/systemd/system/execwatch.service ]
	[ ! -e /etc/execwatch ]
	[ ! -e /usr/share/man/man8/execwatch.8.gz ]
	[ ! -e /usr/share/doc/execwatch ]
	[ ! -e /etc/systemd/system/multi-user.target.wants/execwatch.service ]
	[ -z "$(find /var/lib/systemd/deb-systemd-helper-enabled/ -name '*execwatch*' 2>/dev/null)" ]
}
