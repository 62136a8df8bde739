# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Shared set-up for the kernel tests: start the real execwatch, wait until its
# programs are attached, run a workload carrying a unique marker, stop it and
# look at what it printed.

REPO_ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
BUILD="${BUILD:-$REPO_ROOT/build}"
EXECWATCH="${EXECWATCH:-$BUILD/execwatch}"
EWTEST="$BUILD/progs/ewtest"
NOOP="$BUILD/progs/noop"
JSONQ="$BATS_TEST_DIRNAME/jsonq.py"
# In the QEMU guest of `make test-vm VM_SUITE=full` (vm/guest/run-bats sets
# these): EXECWATCH_IN_VM=1, and EXECWATCH_TIME_SCALE multiplies the waits
# below (loading the BPF programs takes seconds under software emulation).
EW_TIME_SCALE="${EXECWATCH_TIME_SCALE:-1}"
# EXECWATCH_STORM_SCALE divides the longest storm (loss.bats's thread
# flood); the guest sets 4: 5000 thread execs take minutes under emulation.
EW_STORM_SCALE="${EXECWATCH_STORM_SCALE:-1}"

# The tests' Python is the distribution's (scripts/install-deps.sh installs
# it), not whatever PATH finds first: a version manager's shim (pyenv's, on
# CI's machines) is a script that costs 0.3 s a call there against 0.03 s,
# and the tests make hundreds of calls. They use the standard library only.
# A directory in front of PATH, not a function: a function would run python
# in a subshell, and `python3 ... &` then gives $! of the subshell, which a
# test's kill would not stop.
if [ -x /usr/bin/python3 ]; then
	EW_PYTHON_DIR="${BATS_RUN_TMPDIR:-${TMPDIR:-/tmp}}/ew-python"
	case ":$PATH:" in
	*":$EW_PYTHON_DIR:"*) ;;
	*)
		mkdir -p "$EW_PYTHON_DIR" && ln -sfn /usr/bin/python3 "$EW_PYTHON_DIR/python3" &&
			PATH="$EW_PYTHON_DIR:$PATH"
		;;
	esac
fi

# skip_in_vm REASON: this test cannot run in the VM (vm/README.md); it says
# why instead of passing.
skip_in_vm() {
	[ -z "${EXECWATCH_IN_VM:-}" ] || skip "in the VM: $1"
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to load BPF programs"
}

# A marker no other exec on the machine carries.
new_marker() {
	echo "ewmark-${BATS_TEST_NUMBER}-$$-${RANDOM}${RANDOM}"
}

# setup_marked [NAME]: the usual start of a test: root, OUT (where execwatch
# writes: NAME, default out.json, in the test's own directory) and a marker
# no other exec carries, exported as EW_MARK for ewtest and ewpath to put
# into the exec under test.
setup_marked() {
	require_root
	OUT="$BATS_TEST_TMPDIR/${1:-out.json}"
	MARK=$(new_marker)
	export EW_MARK="$MARK"
}

# The default teardown (a file that defines its own must call
# cleanup_execwatch too): never leave an execwatch running after a test.
teardown() {
	cleanup_execwatch
}

# start_execwatch OUTFILE [ARGS...]: run execwatch in the background and wait
# until it has attached (it prints its header or start record only then).
start_execwatch() {
	local out="$1"
	shift
	EW_OUT="$out"
	EW_ERR="$out.err"
	EW_MAPS_BEFORE=$(bpftool map show 2>/dev/null | sed -n 's/^\([0-9]*\): .*/\1/p' | sort)
	# Emptied here, not only by the redirection below: that runs in the
	# child, after the fork, and the wait below could see the last run's
	# output in a reused file and start the workload before the attach.
	: >"$out"
	"$EXECWATCH" "$@" >"$out" 2>"$EW_ERR" &
	EW_PID=$!
	local i
	for i in $(seq 1 $((200 * EW_TIME_SCALE))); do
		if [ -s "$out" ]; then
			return 0
		fi
		if ! kill -0 "$EW_PID" 2>/dev/null; then
			echo "execwatch exited early:" >&2
			cat "$EW_ERR" >&2
			return 1
		fi
		sleep 0.05
	done
	echo "execwatch did not start within $((10 * EW_TIME_SCALE)) s" >&2
	return 1
}

# wait_for_output FILE: wait (10 s at most) until an execwatch started by
# other means has written its header or start record to FILE: it does so
# only once its programs are attached. Loading takes a second or more on
# a busy machine, so a fixed sleep is not enough.
wait_for_output() {
	local i
	for i in $(seq 1 $((200 * EW_TIME_SCALE))); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	echo "no output in $1 within $((10 * EW_TIME_SCALE)) s" >&2
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
		echo "execwatch exited with $status:" >&2
		cat "$EW_ERR" >&2
		return 1
	fi
}

# Run after a workload: give the reader one poll interval and a tick.
settle() {
	sleep "${1:-0.3}"
	[ -z "${EXECWATCH_IN_VM:-}" ] || sleep 0.5
}

cleanup_execwatch() {
	if [ -n "${EW_PID:-}" ]; then
		kill -KILL "$EW_PID" 2>/dev/null || true
		wait "$EW_PID" 2>/dev/null || true
		EW_PID=
	fi
}

# Is the running kernel MAJOR.MINOR or newer?
kernel_at_least() {
	local major minor
	IFS=. read -r major minor _ <<<"$(uname -r)"
	((major > $1 || (major == $1 && ${minor%%[!0-9]*} >= $2)))
}

# The program that reports successful execs: exec_success_direct where the
# kernel has bpf_rdonly_cast() (6.2+), exec_success before (loader.c).
exec_prog_name() {
	if kernel_at_least 6 2; then
		echo exec_success_direct
	else
		echo exec_success
	fi
}

# The four programs on execve(at)'s entry and exit: fentry/fexit where the
# kernel takes them (as execwatch --check finds), else the syscalls/ tracepoints.
syscall_prog_names() {
	if "$EXECWATCH" --check | grep -q '^fentry  *ok '; then
		echo execve_fentry execveat_fentry execve_fexit execveat_fexit
	else
		echo execve_enter execveat_enter execve_exit execveat_exit
	fi
}

# jq-like queries over execwatch's JSON Lines; also validates every line.
jsonq() {
	python3 "$JSONQ" "$@"
}

# Where cgroup v2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on
# hybrid systems); fails when there is none.
cgroup2_root() {
	findmnt -n -t cgroup2 -o TARGET | head -n 1 | grep .
}

# our_map_id NAME: the id of map NAME of the execwatch started last (other
# instances, ours or not, may have maps with the same name).
our_map_id() {
	bpftool map show | sed -n "s/^\([0-9]*\): .* name $1 .*/\1/p" | sort |
		comm -13 <(echo "$EW_MAPS_BEFORE") - | head -n 1 | grep .
}
