#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The exec policy (issue 6) on real execs: kill by inode, by path prefix, by
# uid, by path through a hard link, a rename and a copy-by-rename; fileless
# (memfd) execs; --dry-run; bad files refused with their line, at start and
# on SIGHUP; reload under an exec storm deciding every exec; deny without BPF
# LSM refused unless --deny-fallback=kill; filename globs and argv substrings
# (kill, no false kills, capture limit, dry run, reload, filtered execs);
# not_uid; a deleted binary as fileless; a container's cgroup; file order
# with text rules before a deny; the kernel's policy action counters; a
# stale LSM denial never reported on a later failed exec.
#
# Other tests and helpers run on this machine at the same time, so every
# rule is narrowed to this test's own files (a private directory) or to a
# uid nobody else uses; a kill rule that matched more would kill their
# programs.

load helpers

# Uids no one else on this machine runs programs as.
UID_A=54321
UID_B=54322

setup() {
	setup_marked
	# Readable and executable by the test uids.
	DIR=$(mktemp -d /tmp/ewpolicy.XXXXXX)
	chmod 755 "$DIR"
	cp "$NOOP" "$DIR/victim"
	cp "$NOOP" "$DIR/bystander"
	cp "$EWTEST" "$DIR/ewtest"
	cp "$BUILD/progs/ewpath" "$DIR/ewpath"
	chmod 755 "$DIR/victim" "$DIR/bystander" "$DIR/ewtest" "$DIR/ewpath"
	POLICY="$DIR/policy.yaml"
}

teardown() {
	cleanup_execwatch
	rm -rf "$DIR"
	if [ -n "${CGROUP_DIR:-}" ]; then
		rmdir "$CGROUP_DIR/child" "$CGROUP_DIR" 2>/dev/null || true
	fi
	if [ -n "${CONTAINER_DIR:-}" ]; then
		rmdir "$CONTAINER_DIR" "$(dirname "$CONTAINER_DIR")" 2>/dev/null || true
	fi
	if [ -n "${HOLD_PID:-}" ]; then
		kill "$HOLD_PID" 2>/dev/null || true
	fi
}

# ident FILE: MAJOR:MINOR:INODE as a policy's inode: key takes it.
ident() {
	stat -c '%Hd:%Ld:%i' "$1"
}

# run_prog CMD...: run a program; sets STATUS (137: SIGKILL).
run_prog() {
	STATUS=0
	"$@" >/dev/null 2>&1 || STATUS=$?
}

# policy_field MARK FIELD [FILENAME]: the policy member FIELD of the one exec
# record with MARK in its argv (and FILENAME as its filename, when given:
# setpriv's own exec carries the marker too); "none" without a decision.
policy_field() {
	python3 - "$OUT" "$1" "$2" "${3:-}" <<-'EOF'
		import json, sys
		path, mark, field, filename = sys.argv[1:]
		found = []
		for line in open(path):
		    r = json.loads(line)
		    if r.get("type") != "exec" or not any(mark in a for a in r.get("argv", [])):
		        continue
		    if filename and r.get("filename") != filename:
		        continue
		    found.append(r)
		if len(found) != 1:
		    sys.exit(f"{len(found)} records carry {mark} {filename}")
		p = found[0].get("policy")
		print("none" if p is None else json.dumps(p.get(field)))
	EOF
}


# Does this kernel have bpf_loop() (Linux 5.17+)? Filename and argv rules need it.
has_bpf_loop() {
	local major minor
	IFS=. read -r major minor _ <<<"$(uname -r)"
	[ "$major" -gt 5 ] || { [ "$major" -eq 5 ] && [ "$minor" -ge 17 ]; }
}

# text_rules_or_skip [ARGS]: before a test of filename or argv rules, where
# the kernel has no bpf_loop(), check that execwatch (with the test's ARGS)
# refuses $POLICY at start with the reason, then skip.
text_rules_or_skip() {
	has_bpf_loop && return 0
	run "$EXECWATCH" --json --policy "$POLICY" --duration 1 "$@"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot be decided on this kernel: the kernel has no bpf_loop() (Linux 5.17 or later is needed)"* ]]
	skip "no bpf_loop() (Linux 5.17+): the policy was refused at start with the reason"
}
@test "kill by inode: a copied binary is killed before it runs, the record says so" {
	cat >"$POLICY" <<-EOF
		rules:
		  - name: by-inode
		    action: kill
		    inode: '$(ident "$DIR/victim")'
	EOF
	start_execwatch "$OUT" --json --policy "$POLICY"
	run_prog "$DIR/victim" "$MARK-victim"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/bystander" "$MARK-bystander"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-victim" rule)" = '"by-inode"' ]
	[ "$(policy_field "$MARK-victim" action)" = '"kill"' ]
	[ "$(policy_field "$MARK-victim" enforced)" = true ]
	[ "$(policy_field "$MARK-victim" dry_run)" = false ]
	[ "$(policy_field "$MARK-bystander" rule)" = none ]
	grep -q "kill: SIGKILL at sched_process_exec" "$EW_ERR"
}

@test "kill by path prefix: below the prefix killed, beside it not" {
	mkdir -m 755 "$DIR/pfx"
	cp "$NOOP" "$DIR/pfx/inside"
	cat >"$POLICY" <<-EOF
		rules:
		  - name: by-prefix
		    action: kill
		    path_prefix: $DIR/pfx/
	EOF
	start_execwatch "$OUT" --json --policy "$POLICY"
	# Created after the start: matched by its path, not by a scanned identity.
	cp "$NOOP" "$DIR/pfx/later"
	run_prog "$DIR/pfx/inside" "$MARK-inside"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/pfx/later" "$MARK-later"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/bystander" "$MARK-beside"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-inside" rule)" = '"by-prefix"' ]
	[ "$(policy_field "$MARK-later" rule)" = '"by-prefix"' ]
	[ "$(policy_field "$MARK-beside" rule)" = none ]
}

@test "kill by uid: the same binary is killed for one uid, runs for others" {
	cat >"$POLICY" <<-EOF
		rules:
		  - name: by-uid
		    action: kill
		    uid: $UID_B
	EOF
	start_execwatch "$OUT" --json --policy "$POLICY"
	run_prog setpriv --reuid=$UID_B --regid=$UID_B --clear-groups "$DIR/victim" "$MARK-b"
	[ "$STATUS" = 137 ]
	run_prog setpriv --reuid=$UID_A --regid=$UID_A --clear-groups "$DIR/victim" "$MARK-a"
	[ "$STATUS" = 0 ]
	run_prog "$DIR/victim" "$MARK-root"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-b" rule "$DIR/victim")" = '"by-uid"' ]
	[ "$(policy_field "$MARK-a" rule "$DIR/victim")" = none ]
	[ "$(policy_field "$MARK-root" rule)" = none ]
}

@test "a path rule still kills through a hard link, a rename and a copy-by-rename" {
	mkdir -m 755 "$DIR/elsewhere"
	cat >"$POLICY" <<-EOF
		rules:
		  - name: by-path
		    action: kill
		    path: $DIR/victim
	EOF
	start_execwatch "$OUT" --json --policy "$POLICY"
	ln "$DIR/victim" "$DIR/elsewhere/hardlink"
	run_prog "$DIR/elsewhere/hardlink" "$MARK-link"
	[ "$STATUS" = 137 ]
	mv "$DIR/victim" "$DIR/elsewhere/renamed"
	run_prog "$DIR/elsewhere/renamed" "$MARK-renamed"
	[ "$STATUS" = 137 ]
	# A new file (new inode) put in place by rename: matched by the path.
	cp "$NOOP" "$DIR/tmpcopy"
	mv "$DIR/tmpcopy" "$DIR/victim"
	run_prog "$DIR/victim" "$MARK-replaced"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/bystander" "$MARK-bystander"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-link" rule)" = '"by-path"' ]
	[ "$(policy_field "$MARK-renamed" rule)" = '"by-path"' ]
	[ "$(policy_field "$MARK-replaced" rule)" = '"by-path"' ]
	[ "$(policy_field "$MARK-bystander" rule)" = none ]
}

@test "fileless: a memfd exec is killed, the same program from a file is not" {
	cat >"$POLICY" <<-EOF
		rules:
		  - name: no-fileless
		    action: kill
		    fileless: true
		    uid: $UID_A
	EOF
	start_execwatch "$OUT" --json --policy "$POLICY"
	run_prog setpriv --reuid=$UID_A --regid=$UID_A --clear-groups \
		"$DIR/ewtest" memfd ewpol "$DIR/victim" noop "@MARK@-memfd"
	[ "$STATUS" = 137 ]
	run_prog setpriv --reuid=$UID_A --regid=$UID_A --clear-groups "$DIR/victim" "$MARK-file"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-memfd" rule)" = '"no-fileless"' ]
	[ "$(policy_field "$MARK-memfd" enforced)" = true ]
	[ "$(policy_field "$MARK-file" rule "$DIR/victim")" = none ]
}

@test "--dry-run: the program runs to completion; the record says it would be killed" {
	cat >"$POLICY" <<-EOF
		rules:
		  - name: would-kill
		    action: kill
		    path: $DIR/victim
	EOF
	start_execwatch "$OUT" --json --policy "$POLICY" --dry-run
	run_prog "$DIR/victim" "$MARK-victim"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-victim" rule)" = '"would-kill"' ]
	[ "$(policy_field "$MARK-victim" action)" = '"kill"' ]
	[ "$(policy_field "$MARK-victim" dry_run)" = true ]
	[ "$(policy_field "$MARK-victim" enforced)" = false ]
	grep -q "DRY RUN" "$EW_ERR"
}

@test "text output marks the decision: [kill: rule], [log: rule], [would kill: rule], [would log: rule]" {
	cat >"$POLICY" <<-EOF
		rules:
		  - name: tag-it
		    action: log
		    path: $DIR/bystander
		  - name: kill-it
		    action: kill
		    path: $DIR/victim
	EOF
	# Enforced: the victim is killed, the line says so.
	start_execwatch "$OUT" --policy "$POLICY"
	run_prog "$DIR/victim" "$MARK-victim"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/bystander" "$MARK-bystander"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	grep -- "$MARK-victim" "$OUT" | grep -q '\[kill: kill-it\]$'
	grep -- "$MARK-bystander" "$OUT" | grep -q '\[log: tag-it\]$'
	[ "$(grep -- "$MARK" "$OUT" | grep -c would)" = 0 ]
	# Dry run: nothing killed, "would".
	start_execwatch "$OUT.dry" --policy "$POLICY" --dry-run
	run_prog "$DIR/victim" "$MARK-dryvictim"
	[ "$STATUS" = 0 ]
	run_prog "$DIR/bystander" "$MARK-drybystander"
	settle
	stop_execwatch
	grep -- "$MARK-dryvictim" "$OUT.dry" | grep -q '\[would kill: kill-it\]$'
	grep -- "$MARK-drybystander" "$OUT.dry" | grep -q '\[would log: tag-it\]$'
}

@test "a bad policy file is refused at start with its line, column and reason" {
	printf 'rules:\n  - name: x\n    action: kill\n    pth: /tmp/x\n' >"$POLICY"
	run "$EXECWATCH" --policy "$POLICY"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$POLICY:4:5: unknown key 'pth'"* ]]
	printf 'rules:\n  - name: x\n    action: zap\n    comm: x\n' >"$POLICY"
	run "$EXECWATCH" --policy "$POLICY"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$POLICY:3:13: 'action' is log, kill or deny, not 'zap'"* ]]
	run "$EXECWATCH" --policy "$DIR/missing.yaml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"missing.yaml: No such file"* ]]
}

@test "SIGHUP with a bad file: rejected with its line, the running policy stays" {
	cat >"$POLICY" <<-EOF
		rules:
		  - name: first
		    action: kill
		    path: $DIR/victim
	EOF
	start_execwatch "$OUT" --json --policy "$POLICY"
	printf 'rules:\n  - name: x\n    action: kill\n    uid: minus-one\n' >"$POLICY"
	kill -HUP "$EW_PID"
	local i
	for i in $(seq 1 100); do
		grep -q "stays" "$EW_ERR" && break
		sleep 0.05
	done
	grep -q "$POLICY:4:10: 'uid': 'minus-one' is not a numeric uid; the running policy (generation 1) stays" "$EW_ERR"
	run_prog "$DIR/victim" "$MARK-victim"
	[ "$STATUS" = 137 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-victim" rule)" = '"first"' ]
	[ "$(policy_field "$MARK-victim" generation)" = 1 ]
}

@test "SIGHUP reload under an exec storm: every exec decided by one whole generation" {
	local n=10000 rounds=0
	cp "$NOOP" "$DIR/storm"
	# Two policies that decide the storm differently: A (odd generations) by
	# its second rule, which logs; B (even generations) by its first rule,
	# which kills. A decision mixing the two (A's rule index with B's action,
	# or B's rule read under A's number) shows up as a mismatch below.
	cat >"$DIR/a.yaml" <<-EOF
		rules:
		  - {name: A-never, action: kill, path: $DIR/storm, uid: $UID_A}
		  - {name: A, action: log, path: $DIR/storm}
	EOF
	printf 'rules:\n  - {name: B, action: kill, path: %s}\n' "$DIR/storm" >"$DIR/b.yaml"
	cp "$DIR/a.yaml" "$POLICY"
	start_execwatch "$OUT" --json --policy "$POLICY"
	"$EWTEST" storm "$n" 2 "$DIR/storm" "$MARK" &
	local storm=$!
	# Reload while the storm runs, alternating the files, each reload done
	# before the file changes again: generation g loaded a.yaml when g is
	# odd, b.yaml when it is even.
	while kill -0 "$storm" 2>/dev/null; do
		if [ $((rounds % 2)) = 0 ]; then cp "$DIR/b.yaml" "$POLICY"; else cp "$DIR/a.yaml" "$POLICY"; fi
		rounds=$((rounds + 1))
		hup_wait "$rounds"
		sleep 0.02
	done
	wait "$storm"
	settle 1
	stop_execwatch
	echo "reloads: $rounds" >&3
	[ "$rounds" -ge 3 ]
	python3 - "$OUT" "$MARK" "$n" <<-'EOF'
		import json, sys
		path, mark, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
		want = {1: ("A", 2, "log", False), 0: ("B", 1, "kill", True)}
		rules, gens, undecided, seen, bad = {}, set(), 0, 0, []
		for line in open(path):
		    r = json.loads(line)
		    if r.get("type") != "exec" or not any(a.startswith(mark + "-") for a in r["argv"]):
		        continue
		    seen += 1
		    p = r.get("policy")
		    if p is None:
		        undecided += 1
		        continue
		    g = p["generation"]
		    name, index, action, enforced = want[g % 2]
		    # A generation whose names were dropped already shows "#GEN.RULE".
		    ok_name = p["rule"] in (name, f"#{g}.{index}")
		    if not ok_name or p["action"] != action or p["enforced"] != enforced:
		        bad.append(p)
		    rules[name] = rules.get(name, 0) + 1
		    gens.add(g)
		print(f"execs {seen}, undecided {undecided}, by rule {rules}, generations {len(gens)}")
		assert seen == n, f"{seen} of {n} execs reported"
		assert undecided == 0, f"{undecided} execs decided by no policy"
		assert not bad, f"{len(bad)} mixed decisions, e.g. {bad[:3]}"
		assert set(rules) == {"A", "B"}, rules
		assert len(gens) >= 3, gens
	EOF
}

@test "deny without BPF LSM is refused; --deny-fallback=kill kills instead" {
	cat >"$POLICY" <<-EOF
		rules:
		  - name: no-victim
		    action: deny
		    path: $DIR/victim
	EOF
	if grep -qw bpf /sys/kernel/security/lsm 2>/dev/null; then
		skip "BPF LSM is active here: deny works (tested in the VM on hosts without it)"
	fi
	run "$EXECWATCH" --policy "$POLICY"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot deny an exec"* ]]
	[[ "$output" == *"--deny-fallback=kill"* ]]
	start_execwatch "$OUT" --json --policy "$POLICY" --deny-fallback=kill
	run_prog "$DIR/victim" "$MARK-victim"
	[ "$STATUS" = 137 ]
	settle
	stop_execwatch
	grep -q "deny: carried out as kill" "$EW_ERR"
	[ "$(policy_field "$MARK-victim" action)" = '"deny"' ]
	[ "$(policy_field "$MARK-victim" as_kill)" = true ]
	[ "$(policy_field "$MARK-victim" enforced)" = true ]
}

@test "no BPF program stays attached and the LSM program is not loaded without deny" {
	printf 'rules:\n  - {name: l, action: log, path: %s}\n' "$DIR/victim" >"$POLICY"
	start_execwatch "$OUT" --json --policy "$POLICY"
	local id
	id=$(our_map_id pol_active)
	[ -n "$id" ]
	! bpftool prog show | grep -q "name pol_bprm_check" || grep -qw bpf /sys/kernel/security/lsm
	stop_execwatch
	# Maps are freed after their last reference, asynchronously.
	local i
	for i in $(seq 1 40); do
		bpftool map show id "$id" >/dev/null 2>&1 || return 0
		sleep 0.05
	done
	return 1
}

@test "cgroup: an exec in the cgroup or below it is killed, outside it not" {
	local root
	root=$(cgroup2_root) || skip "no cgroup v2 here"
	CGROUP_DIR="$root/ewpolicy-$$-$RANDOM"
	mkdir "$CGROUP_DIR"
	mkdir "$CGROUP_DIR/child"
	cat >"$POLICY" <<-EOF
		rules:
		  - name: in-cgroup
		    action: kill
		    cgroup: ${CGROUP_DIR#"$root"}
	EOF
	start_execwatch "$OUT" --json --policy "$POLICY"
	# A shell moves itself into the cgroup, then execs the program.
	run_prog sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" "$3"' sh "$CGROUP_DIR" "$DIR/victim" "$MARK-top"
	[ "$STATUS" = 137 ]
	run_prog sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" "$3"' sh "$CGROUP_DIR/child" "$DIR/victim" "$MARK-child"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/victim" "$MARK-outside"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-top" rule "$DIR/victim")" = '"in-cgroup"' ]
	[ "$(policy_field "$MARK-child" rule "$DIR/victim")" = '"in-cgroup"' ]
	[ "$(policy_field "$MARK-outside" rule "$DIR/victim")" = none ]
}

@test "parent and comm: killed only when both match" {
	cp "$NOOP" "$DIR/ewpolcomm"
	cat >"$POLICY" <<-EOF
		rules:
		  - name: comm-under-ewtest
		    action: kill
		    comm: ewpolcomm
		    parent: $DIR/ewtest
	EOF
	start_execwatch "$OUT" --json --policy "$POLICY"
	# ewtest storm posix_spawns the program: ewtest is its parent.
	"$DIR/ewtest" storm 1 1 "$DIR/ewpolcomm" "$MARK-spawned"
	# The same program with bash as its parent runs.
	run_prog "$DIR/ewpolcomm" "$MARK-bash"
	[ "$STATUS" = 0 ]
	# Another name under ewtest runs.
	"$DIR/ewtest" storm 1 1 "$DIR/bystander" "$MARK-other"
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-spawned-0" rule)" = '"comm-under-ewtest"' ]
	[ "$(policy_field "$MARK-spawned-0" enforced)" = true ]
	[ "$(policy_field "$MARK-bash" rule)" = none ]
	[ "$(policy_field "$MARK-other-0" rule)" = none ]
}

@test "reloads do not pile up map entries: only the running and the previous generation stay" {
	printf 'rules:\n  - {name: a, action: log, inode: ["1:2:3", "1:2:4", "1:2:5"], uid: [%s]}\n' "$UID_A" >"$POLICY"
	start_execwatch "$OUT" --json --policy "$POLICY"
	local id i
	id=$(our_map_id pol_keys)
	# One at a time: SIGHUPs sent faster than the reader loop turns coalesce.
	local j
	for i in $(seq 1 10); do
		kill -HUP "$EW_PID"
		for j in $(seq 1 100); do
			[ "$(grep -c "reloaded" "$EW_ERR")" -ge "$i" ] && break
			sleep 0.05
		done
	done
	local n
	n=$(bpftool -j map dump id "$id" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
	stop_execwatch
	grep -q "reloaded: 1 rules, generation 11" "$EW_ERR"
	echo "pol_keys entries after 10 reloads: $n" >&3
	# 4 keys per generation (3 identities, 1 uid), two generations at most.
	[ "$n" -ge 4 ] && [ "$n" -le 8 ]
}

@test "the policy applies to execs the display filters drop" {
	cat >"$POLICY" <<-EOF
		rules:
		  - name: by-path
		    action: kill
		    path: $DIR/victim
	EOF
	# --uid nobody: root's execs are filtered out in the kernel, not reported.
	start_execwatch "$OUT" --json --uid nobody --policy "$POLICY"
	run_prog "$DIR/victim" "$MARK-victim"
	[ "$STATUS" = 137 ]
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK-victim")" = 0 ]
}

# Filename globs and argv substrings (exec_success_t, bpf_loop()): this kernel has it.

@test "kill by filename glob: '*' crosses '/', classes work, the requested name counts" {
	mkdir -p -m 755 "$DIR/sub/deeper"
	cp "$NOOP" "$DIR/sub/deeper/ewkill-a"
	cp "$NOOP" "$DIR/sub/ewkill-b"
	cp "$NOOP" "$DIR/ewkill-7x"
	cp "$NOOP" "$DIR/ewkill-ax"
	cat >"$POLICY" <<-EOF
		rules:
		  - name: glob-dir
		    action: kill
		    filename: '$DIR/*/ewkill-*'
		  - name: glob-class
		    action: kill
		    filename: ['$DIR/ewkill-[0-9]?', '$DIR/nothing-*']
	EOF
	text_rules_or_skip
	start_execwatch "$OUT" --json --policy "$POLICY"
	run_prog "$DIR/sub/deeper/ewkill-a" "$MARK-deep"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/ewkill-7x" "$MARK-class"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/ewkill-ax" "$MARK-noclass"
	[ "$STATUS" = 0 ]
	run_prog "$DIR/bystander" "$MARK-bystander"
	[ "$STATUS" = 0 ]
	# The glob is on the filename as requested: "./ewkill-b" does not start with $DIR.
	STATUS=0
	(cd "$DIR/sub" && ./ewkill-b "$MARK-relative") >/dev/null 2>&1 || STATUS=$?
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-deep" rule)" = '"glob-dir"' ]
	[ "$(policy_field "$MARK-deep" enforced)" = true ]
	[ "$(policy_field "$MARK-class" rule)" = '"glob-class"' ]
	[ "$(policy_field "$MARK-noclass" rule)" = none ]
	[ "$(policy_field "$MARK-bystander" rule)" = none ]
	[ "$(policy_field "$MARK-relative" rule)" = none ]
}

@test "kill by argv substring: in the middle of a long argument, in a later argument" {
	local pad
	pad=$(head -c 3000 /dev/zero | tr '\0' a)
	cat >"$POLICY" <<-EOF
		rules:
		  - name: by-argv
		    action: kill
		    argv: [$MARK-needle, $MARK-other]
	EOF
	text_rules_or_skip
	start_execwatch "$OUT" --json --policy "$POLICY"
	run_prog "$DIR/bystander" "$MARK-middle" "${pad}$MARK-needle${pad}"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/bystander" "$MARK-later" one two three four "x$MARK-otherx"
	[ "$STATUS" = 137 ]
	# Split across two arguments: the NUL between them is never part of a match.
	run_prog "$DIR/bystander" "$MARK-split" "${pad}$MARK-nee" "dle"
	[ "$STATUS" = 0 ]
	run_prog "$DIR/bystander" "$MARK-almost" "$MARK-needl"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-middle" rule)" = '"by-argv"' ]
	[ "$(policy_field "$MARK-middle" enforced)" = true ]
	[ "$(policy_field "$MARK-later" rule)" = '"by-argv"' ]
	[ "$(policy_field "$MARK-split" rule)" = none ]
	[ "$(policy_field "$MARK-almost" rule)" = none ]
}

@test "argv past --max-argv-bytes is not searched: the record says argv_partial" {
	local pad
	pad=$(head -c 2000 /dev/zero | tr '\0' a)
	cat >"$POLICY" <<-EOF
		rules:
		  - name: by-argv
		    action: kill
		    argv: $MARK-needle
		  - name: tag
		    action: log
		    path: $DIR/bystander
	EOF
	text_rules_or_skip
	start_execwatch "$OUT" --json --max-argv-bytes 1024 --policy "$POLICY"
	run_prog "$DIR/bystander" "$MARK-beyond" "${pad}$MARK-needle"
	[ "$STATUS" = 0 ]
	run_prog "$DIR/victim" "$MARK-within" "$MARK-needle"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/victim" "$MARK-untagged" "${pad}$MARK-needle"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-beyond" rule)" = '"tag"' ]
	[ "$(policy_field "$MARK-beyond" argv_partial)" = true ]
	# No rule matched, yet the record says the search was partial.
	[ "$(policy_field "$MARK-untagged" rule)" = null ]
	[ "$(policy_field "$MARK-untagged" action)" = '"none"' ]
	[ "$(policy_field "$MARK-untagged" argv_partial)" = true ]
	[ "$(policy_field "$MARK-within" rule)" = '"by-argv"' ]
}

@test "--dry-run with filename and argv rules: nothing killed, the records say would-kill" {
	cp "$NOOP" "$DIR/ewkill-dry"
	cat >"$POLICY" <<-EOF
		rules:
		  - name: glob
		    action: kill
		    filename: '$DIR/ewkill-*'
		  - name: arg
		    action: kill
		    argv: $MARK-needle
	EOF
	text_rules_or_skip
	start_execwatch "$OUT" --json --policy "$POLICY" --dry-run
	run_prog "$DIR/ewkill-dry" "$MARK-glob"
	[ "$STATUS" = 0 ]
	run_prog "$DIR/bystander" "$MARK-arg" "x$MARK-needle"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-glob" rule)" = '"glob"' ]
	[ "$(policy_field "$MARK-glob" dry_run)" = true ]
	[ "$(policy_field "$MARK-glob" enforced)" = false ]
	[ "$(policy_field "$MARK-arg" rule)" = '"arg"' ]
	[ "$(policy_field "$MARK-arg" dry_run)" = true ]
}

# hup_wait N: send SIGHUP and wait for the Nth "reloaded" line.
hup_wait() {
	local j
	kill -HUP "$EW_PID"
	for j in $(seq 1 200); do
		[ "$(grep -c "reloaded" "$EW_ERR")" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

@test "reload adds and removes filename and argv rules" {
	has_bpf_loop || skip "no bpf_loop() (Linux 5.17+): filename and argv rules are refused at start, as the other tests check"
	cp "$NOOP" "$DIR/ewkill-r"
	printf 'rules:\n  - {name: plain, action: log, uid: %s}\n' "$UID_A" >"$POLICY"
	start_execwatch "$OUT" --json --policy "$POLICY"
	run_prog "$DIR/ewkill-r" "$MARK-before"
	[ "$STATUS" = 0 ]
	cat >"$POLICY" <<-EOF
		rules:
		  - {name: glob, action: kill, filename: '$DIR/ewkill-*'}
		  - {name: arg, action: kill, argv: $MARK-needle}
	EOF
	hup_wait 1
	run_prog "$DIR/ewkill-r" "$MARK-addglob"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/bystander" "$MARK-addarg" "$MARK-needle"
	[ "$STATUS" = 137 ]
	printf 'rules:\n  - {name: plain, action: log, uid: %s}\n' "$UID_A" >"$POLICY"
	hup_wait 2
	run_prog "$DIR/ewkill-r" "$MARK-remglob"
	[ "$STATUS" = 0 ]
	run_prog "$DIR/bystander" "$MARK-remarg" "$MARK-needle"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-addglob" rule)" = '"glob"' ]
	[ "$(policy_field "$MARK-addglob" generation)" = 2 ]
	[ "$(policy_field "$MARK-addarg" rule)" = '"arg"' ]
	[ "$(policy_field "$MARK-remglob" rule)" = none ]
	[ "$(policy_field "$MARK-remarg" rule)" = none ]
}

@test "argv and filename rules also kill execs the display filters drop" {
	cp "$NOOP" "$DIR/ewkill-f"
	cat >"$POLICY" <<-EOF
		rules:
		  - {name: glob, action: kill, filename: '$DIR/ewkill-*'}
		  - {name: arg, action: kill, argv: $MARK-needle}
	EOF
	text_rules_or_skip
	start_execwatch "$OUT" --json --uid nobody --policy "$POLICY"
	run_prog "$DIR/ewkill-f" "$MARK-glob"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/bystander" "$MARK-arg" "$MARK-needle"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/bystander" "$MARK-free"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK-arg")" = 0 ]
}

@test "not_uid: killed for every uid but the excluded one" {
	cat >"$POLICY" <<-EOF
		rules:
		  - name: all-but-a
		    action: kill
		    path: $DIR/victim
		    not_uid: $UID_A
	EOF
	start_execwatch "$OUT" --json --policy "$POLICY"
	run_prog setpriv --reuid=$UID_A --regid=$UID_A --clear-groups "$DIR/victim" "$MARK-a"
	[ "$STATUS" = 0 ]
	run_prog setpriv --reuid=$UID_B --regid=$UID_B --clear-groups "$DIR/victim" "$MARK-b"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/victim" "$MARK-root"
	[ "$STATUS" = 137 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-a" rule "$DIR/victim")" = none ]
	[ "$(policy_field "$MARK-b" rule "$DIR/victim")" = '"all-but-a"' ]
	[ "$(policy_field "$MARK-b" enforced "$DIR/victim")" = true ]
	[ "$(policy_field "$MARK-root" rule)" = '"all-but-a"' ]
}

@test "fileless: a deleted binary run through its fd is killed, a linked one is not" {
	# A directory the test uid may unlink in.
	mkdir -m 755 "$DIR/own"
	chown "$UID_A:$UID_A" "$DIR/own"
	local f
	for f in at proc linked; do
		cp "$NOOP" "$DIR/own/$f"
		chown "$UID_A:$UID_A" "$DIR/own/$f"
	done
	cat >"$POLICY" <<-EOF
		rules:
		  - name: no-fileless
		    action: kill
		    fileless: true
		    uid: $UID_A
	EOF
	start_execwatch "$OUT" --json --policy "$POLICY"
	# open, unlink, execveat(fd, "", AT_EMPTY_PATH)
	run_prog setpriv --reuid=$UID_A --regid=$UID_A --clear-groups \
		"$DIR/ewpath" deleted-at "$DIR/own/at" noop "@MARK@-at"
	[ "$STATUS" = 137 ]
	[ ! -e "$DIR/own/at" ]
	# open, unlink, execve("/proc/self/fd/N")
	run_prog setpriv --reuid=$UID_A --regid=$UID_A --clear-groups \
		"$DIR/ewpath" deleted "$DIR/own/proc" noop "@MARK@-proc"
	[ "$STATUS" = 137 ]
	# The same fd exec of a file that still has its link runs.
	run_prog setpriv --reuid=$UID_A --regid=$UID_A --clear-groups \
		"$DIR/ewpath" fexecve "$DIR/own/linked" noop "@MARK@-linked"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-at" rule)" = '"no-fileless"' ]
	[ "$(policy_field "$MARK-at" enforced)" = true ]
	[ "$(policy_field "$MARK-proc" rule)" = '"no-fileless"' ]
	[ "$(policy_field "$MARK-linked" rule)" = none ]
	# The record agrees: the executed file had no link left.
	[ "$(jsonq "$OUT" get "$MARK-at" exe_deleted)" = true ]
}

@test "container: an exec in a container's cgroup (docker-ID.scope) is killed, outside not" {
	local root id parent
	root=$(cgroup2_root) || skip "no cgroup v2 here"
	# No docker here: a cgroup laid out as docker makes one (system.slice/docker-ID.scope)
	# is all the policy looks at. Below a private parent, not system.slice, so
	# systemd never sees it.
	id=$(printf '%s' "$MARK" | sha256sum | cut -c1-64)
	parent="$root/ewpolicy-$$-$RANDOM"
	mkdir "$parent"
	CONTAINER_DIR="$parent/docker-$id.scope"
	mkdir "$CONTAINER_DIR"
	cat >"$POLICY" <<-EOF
		rules:
		  - name: in-container
		    action: kill
		    container: '${id:0:12}'
		    path: $DIR/victim
	EOF
	start_execwatch "$OUT" --json --policy "$POLICY"
	run_prog sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" "$3"' sh "$CONTAINER_DIR" "$DIR/victim" "$MARK-in"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/victim" "$MARK-out"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-in" rule "$DIR/victim")" = '"in-container"' ]
	[ "$(policy_field "$MARK-out" rule "$DIR/victim")" = none ]
	# The record names the container (sh's own exec carries the marker too).
	python3 - "$OUT" "$MARK-in" "$DIR/victim" "$id" <<-'EOF'
		import json, sys
		path, mark, victim, cid = sys.argv[1:]
		recs = [json.loads(l) for l in open(path)]
		r = [r for r in recs if r.get("type") == "exec" and r.get("filename") == victim
		     and mark in r.get("argv", [])]
		assert len(r) == 1 and r[0].get("container_id") == cid, r
	EOF
}

@test "file order: a text rule before a deny keeps its place; the deny then kills" {
	cp "$NOOP" "$DIR/ewtag-x"
	cat >"$POLICY" <<-EOF
		rules:
		  - name: tag
		    action: log
		    filename: '$DIR/ewtag-*'
		  - name: no-dir
		    action: deny
		    path_prefix: $DIR/
	EOF
	# Without BPF LSM, deny runs as kill; with it, the LSM hook must leave
	# both execs to sched_process_exec (the glob rule comes first and could
	# match), so the outcome is the same.
	text_rules_or_skip --deny-fallback=kill
	start_execwatch "$OUT" --json --policy "$POLICY" --deny-fallback=kill
	run_prog "$DIR/ewtag-x" "$MARK-tagged"
	[ "$STATUS" = 0 ]
	run_prog "$DIR/victim" "$MARK-victim"
	[ "$STATUS" = 137 ]
	settle
	stop_execwatch
	[ "$(policy_field "$MARK-tagged" rule)" = '"tag"' ]
	[ "$(policy_field "$MARK-tagged" action)" = '"log"' ]
	[ "$(policy_field "$MARK-victim" rule)" = '"no-dir"' ]
	[ "$(policy_field "$MARK-victim" as_kill)" = true ]
}

# final_counter FILE NAME: a kernel counter in the last stats record.
final_counter() {
	python3 -c 'import json,sys
recs = [json.loads(l) for l in open(sys.argv[1]) if "\"type\":\"stats\"" in l]
print(recs[-1]["kernel"][sys.argv[2]])' "$1" "$2"
}

@test "kills leave a trace: policy_killed counts them, also those the display filters drop" {
	cat >"$POLICY" <<-EOF
		rules:
		  - name: by-path
		    action: kill
		    path: $DIR/victim
	EOF
	# --uid nobody: root's execs are filtered out in the kernel, no record.
	start_execwatch "$OUT" --json --uid nobody --policy "$POLICY"
	run_prog "$DIR/victim" "$MARK-one"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/victim" "$MARK-two"
	[ "$STATUS" = 137 ]
	run_prog "$DIR/bystander" "$MARK-free"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(jsonq "$OUT" count "$MARK")" = 0 ]
	[ "$(final_counter "$OUT" policy_killed)" = 2 ]
	[ "$(final_counter "$OUT" policy_denied)" = 0 ]
	[ "$(final_counter "$OUT" policy_kill_failed)" = 0 ]
	# Text mode: the exit summary names them.
	start_execwatch "$OUT.txt" --uid nobody --policy "$POLICY"
	run_prog "$DIR/victim" "$MARK-three"
	[ "$STATUS" = 137 ]
	settle
	stop_execwatch
	grep -q "policy_killed=1 " "$EW_ERR"
	# --dry-run kills nothing and counts nothing.
	start_execwatch "$OUT.dry" --json --uid nobody --policy "$POLICY" --dry-run
	run_prog "$DIR/victim" "$MARK-dry"
	[ "$STATUS" = 0 ]
	settle
	stop_execwatch
	[ "$(final_counter "$OUT.dry" policy_killed)" = 0 ]
}

# hold_then_fail MARK: a shell that waits for a line on a FIFO, then execs a
# path that does not exist (a failed execve from a known tid: its pid).
hold_then_fail() {
	mkfifo "$DIR/go"
	sh -c 'read x <"$1"; exec "$2"' sh "$DIR/go" "$DIR/missing-$1" 2>/dev/null &
	HOLD_PID=$!
}

# plant_denial TID: what pol_bprm_check writes when it denies (rule 1,
# generation 1, deny, enforced), for an attempt stashed at time 1 ns: no
# exec of this run. struct pol_denial: ew_exec_policy (16 bytes), enter_ns.
plant_denial() {
	local id tid=$1 key
	id=$(our_map_id pol_denied)
	key=$(printf '%02x %02x %02x %02x' $((tid & 255)) $((tid >> 8 & 255)) $((tid >> 16 & 255)) $((tid >> 24 & 255)))
	# shellcheck disable=SC2086
	bpftool map update id "$id" key hex $key value hex \
		01 00 00 00 01 00 00 00 03 02 00 00 00 00 00 00 01 00 00 00 00 00 00 00
	# shellcheck disable=SC2086
	bpftool map lookup id "$id" key hex $key >/dev/null
	DENIED_ID=$id DENIED_KEY=$key
}

@test "a denial left in pol_denied is never reported on another failed exec, and is taken" {
	# BPF LSM cannot load here, so the entry its hook would leave behind (a
	# denied exec that reports no failure) is planted by hand; the failed
	# exec that follows on the same tid must not be reported as denied.
	printf 'rules:\n  - {name: l, action: log, path: %s}\n' "$DIR/victim" >"$POLICY"
	start_execwatch "$OUT" --json --policy "$POLICY"
	hold_then_fail "$MARK"
	plant_denial "$HOLD_PID"
	echo go >"$DIR/go"
	wait "$HOLD_PID" || true
	HOLD_PID=
	settle
	# shellcheck disable=SC2086
	run bpftool map lookup id "$DENIED_ID" key hex $DENIED_KEY
	[ "$status" -ne 0 ]
	stop_execwatch
	python3 - "$OUT" "$DIR/missing-$MARK" <<-'EOF'
		import json, sys
		recs = [json.loads(l) for l in open(sys.argv[1])]
		failed = [r for r in recs if r.get("type") == "exec" and r.get("filename") == sys.argv[2]]
		assert len(failed) == 1, failed
		assert failed[0]["ret"] < 0 and failed[0].get("error") == "ENOENT", failed[0]
		assert "policy" not in failed[0], failed[0]
	EOF
}

@test "a failed exec the display filters drop still takes its thread's pol_denied entry" {
	printf 'rules:\n  - {name: l, action: log, path: %s}\n' "$DIR/victim" >"$POLICY"
	start_execwatch "$OUT" --json --uid nobody --policy "$POLICY"
	hold_then_fail "$MARK"
	plant_denial "$HOLD_PID"
	echo go >"$DIR/go"
	wait "$HOLD_PID" || true
	HOLD_PID=
	settle
	# shellcheck disable=SC2086
	run bpftool map lookup id "$DENIED_ID" key hex $DENIED_KEY
	[ "$status" -ne 0 ]
	stop_execwatch
}
