# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The benchmark, included by the top-level Makefile. `make bench` builds the
# exec-storm generator (build/bench/storm), execwatch and the no-op target
# program, then runs bench/run, which measures execwatch against its peers
# and writes build/bench/results.md. QUICK=1 runs the short version (3-4
# minutes); BENCH_ARGS passes more options to bench/run (see
# `bench/run --help`). It installs the peers (libbpf-tools, bpftrace,
# auditd) with apt-get when they are missing; PEERS=0 measures only what is
# installed. CI does not run it: it needs a quiet machine.

BENCH_BUILD := $(BUILD)/bench
PEERS ?= 1

BENCH_RUN_ARGS := $(if $(filter 1,$(QUICK)),--quick) \
	$(if $(filter 1,$(PEERS)),--install-peers) $(BENCH_ARGS)

.PHONY: bench bench-build

$(BENCH_BUILD):
	$(Q)mkdir -p $@

$(BENCH_BUILD)/storm: bench/storm.c | $(BENCH_BUILD)
	$(call msg,CC-BENCH,$@)
	$(Q)$(CC) -std=gnu11 $(WARNINGS) -O2 -g -D_GNU_SOURCE $< -o $@

bench-build: $(BUILD)/execwatch $(BENCH_BUILD)/storm $(BUILD)/progs/noop

bench: bench-build
	$(Q)bench/run $(BENCH_RUN_ARGS)
