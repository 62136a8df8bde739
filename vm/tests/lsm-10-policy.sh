# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The exec policy's deny (issue 6) for real, `make test-vm-lsm`: the kernel
# is booted with bpf in its lsm= list, so execwatch's start-up probe finds
# BPF LSM and loads lsm/bprm_check_security. A denied exec fails with EPERM
# (the program never starts), the failed-exec record names the rule; a hard
# link of the denied file is denied too (identity); --dry-run denies nothing
# and reports "would deny"; kill rules still kill in the same run.

policy_setup() {
	OUT="$TEST_TMP/out.json"
	MARK=$(new_marker)
	export EW_MARK="$MARK"
	cp "$NOOP" "$TEST_TMP/victim"
	cp "$NOOP" "$TEST_TMP/bystander"
	cp "$NOOP" "$TEST_TMP/killme"
	POLICY="$TEST_TMP/policy.yaml"
	cat >"$POLICY" <<-YAML
		rules:
		  - name: no-victim
		    action: deny
		    path: $TEST_TMP/victim
		  - name: kill-it
		    action: kill
		    path: $TEST_TMP/killme
	YAML
}

# policy_of FILE MARKER: the "policy" member of the one record with MARKER.
policy_of() {
	jone "$1" "$2" | sed -n -E 's/.*"policy":(\{[^}]*\}).*/\1/p'
}

test_deny_eperm() {
	policy_setup
	start_execwatch "$OUT" --json --policy "$POLICY"
	expect_contains "$(cat "$EW_ERR")" "deny: EPERM from BPF LSM bprm_check_security" "mode line"
	local output
	output=$("$EWTEST" exec "$TEST_TMP/victim" victim "@MARK@-victim")
	expect_eq "$output" "execve failed: EPERM" "ewtest says"
	ln "$TEST_TMP/victim" "$TEST_TMP/hardlink"
	output=$("$EWTEST" exec "$TEST_TMP/hardlink" hardlink "@MARK@-link")
	expect_eq "$output" "execve failed: EPERM" "hard link"
	output=$("$EWTEST" exec "$TEST_TMP/bystander" bystander "@MARK@-bystander")
	expect_eq "$output" "" "bystander runs"
	local status=0
	"$TEST_TMP/killme" "$MARK-kill" || status=$?
	expect_eq "$status" 137 "kill rule in the same run"
	settle
	stop_execwatch
	expect_eq "$(jget "$OUT" "$MARK-victim" ret)" -1 "denied exec's ret"
	expect_eq "$(policy_of "$OUT" "$MARK-victim")" \
		'{"rule":"no-victim","action":"deny","dry_run":false,"enforced":true,"generation":1}' \
		"denied record"
	expect_contains "$(policy_of "$OUT" "$MARK-link")" '"rule":"no-victim"' "hard link record"
	expect_eq "$(policy_of "$OUT" "$MARK-bystander")" "" "bystander record"
	expect_contains "$(policy_of "$OUT" "$MARK-kill")" '"action":"kill"' "kill record"
}
t "policy deny: EPERM from BPF LSM, also through a hard link; the record names the rule" test_deny_eperm

test_deny_dry_run() {
	policy_setup
	start_execwatch "$OUT" --json --policy "$POLICY" --dry-run
	local output
	output=$("$EWTEST" exec "$TEST_TMP/victim" victim "@MARK@-victim")
	expect_eq "$output" "" "the program ran"
	settle
	stop_execwatch
	expect_eq "$(jget "$OUT" "$MARK-victim" ret)" 0 "ret"
	expect_eq "$(policy_of "$OUT" "$MARK-victim")" \
		'{"rule":"no-victim","action":"deny","dry_run":true,"enforced":false,"generation":1}' \
		"would-deny record"
}
t "policy deny --dry-run: the exec succeeds, the record says it would be denied" test_deny_dry_run

# filename globs and argv substrings: decided by exec_success_t where the
# kernel has bpf_loop() (5.17+), refused with the reason where it has not.
# A deny rule with argv is carried out as kill (bprm_check cannot read argv).
test_text_rules() {
	policy_setup
	cp "$NOOP" "$TEST_TMP/ewkill-glob"
	cat >"$POLICY" <<-YAML
		rules:
		  - {name: glob, action: kill, filename: '$TEST_TMP/ewkill-*'}
		  - {name: arg, action: deny, argv: $MARK-needle}
	YAML
	local major minor
	major=$(uname -r | cut -d. -f1)
	minor=$(uname -r | cut -d. -f2)
	if [ "$major" -lt 5 ] || { [ "$major" -eq 5 ] && [ "$minor" -lt 17 ]; }; then
		local out status=0
		out=$("$EXECWATCH" --json --policy "$POLICY" 2>&1 >/dev/null) || status=$?
		expect_eq "$status" 1 "refused without bpf_loop"
		expect_contains "$out" "'filename' cannot be decided on this kernel" "reason"
		return 0
	fi
	start_execwatch "$OUT" --json --policy "$POLICY"
	local status=0
	"$TEST_TMP/ewkill-glob" "$MARK-glob" || status=$?
	expect_eq "$status" 137 "glob kill"
	status=0
	"$TEST_TMP/bystander" "$MARK-arg" "xx$MARK-needle" || status=$?
	expect_eq "$status" 137 "argv deny as kill"
	status=0
	"$TEST_TMP/bystander" "$MARK-free" || status=$?
	expect_eq "$status" 0 "bystander runs"
	settle
	stop_execwatch
	expect_contains "$(policy_of "$OUT" "$MARK-glob")" '"rule":"glob"' "glob record"
	expect_contains "$(policy_of "$OUT" "$MARK-arg")" '"as_kill":true' "argv record"
	expect_eq "$(policy_of "$OUT" "$MARK-free")" "" "bystander record"
}
t "policy filename glob and argv substring (bpf_loop kernels), refused before 5.17" test_text_rules

# File order at the LSM hook (issue 6): a rule with a filename glob that
# comes before a deny and could match keeps its place. bprm_check_security
# decides nothing then; sched_process_exec does, in file order: the glob's
# exec is logged and runs, another exec under the deny's prefix is killed
# (deny as kill), not refused with EPERM by the later rule.
test_text_before_deny() {
	policy_setup
	mkdir "$TEST_TMP/ord"
	cp "$NOOP" "$TEST_TMP/ord/ewtag-x"
	cp "$NOOP" "$TEST_TMP/ord/other"
	cat >"$POLICY" <<-YAML
		rules:
		  - {name: tag, action: log, filename: '$TEST_TMP/ord/ewtag-*'}
		  - {name: no-ord, action: deny, path_prefix: $TEST_TMP/ord/}
	YAML
	local major minor
	major=$(uname -r | cut -d. -f1)
	minor=$(uname -r | cut -d. -f2)
	if [ "$major" -lt 5 ] || { [ "$major" -eq 5 ] && [ "$minor" -lt 17 ]; }; then
		return 0 # filename rules are refused there (test_text_rules)
	fi
	start_execwatch "$OUT" --json --policy "$POLICY"
	local output status=0
	output=$("$EWTEST" exec "$TEST_TMP/ord/ewtag-x" ewtag-x "@MARK@-tag")
	expect_eq "$output" "" "the glob's exec runs"
	"$TEST_TMP/ord/other" "$MARK-other" || status=$?
	expect_eq "$status" 137 "the deny after it kills"
	settle
	stop_execwatch
	expect_contains "$(policy_of "$OUT" "$MARK-tag")" '"rule":"tag"' "logged by the first rule"
	expect_contains "$(policy_of "$OUT" "$MARK-other")" '"as_kill":true' "deny carried out as kill"
	expect_eq "$(jget "$OUT" "$MARK-other" ret)" 0 "not refused at the hook"
}
t "policy file order: a filename rule before a deny is decided at sched_process_exec" test_text_before_deny
