# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Kernel tests in a VM: `make test-vm KERNEL=6.1` boots a Debian kernel under
# QEMU with a busybox initramfs holding static builds of execwatch and its
# test workloads, runs the VM-side kernel tests (vm/tests/) there, and prints
# their TAP lines and "N passed, N failed". KERNEL is 5.10, 6.1, 6.12, or a
# Debian kernel package name or version (vm/fetch-kernel). `make
# test-vm-lsm KERNEL=...` boots with bpf in the LSM list and probes BPF LSM
# and fentry (issue 6); `make test-vm-matrix` runs every line in turn.
# `make test-vm KERNEL=6.1 VM_SUITE=full` runs the host's whole
# tests/kernel/*.bats suite in the VM instead of the quick busybox subset,
# on the host's root file system shared over virtio-9p, with the host's
# (dynamically linked) build of execwatch and the test programs.
# Why a VM: the host kernel refuses BPF LSM and fentry, and users run older
# kernels than the host's. Included from the top-level Makefile; it uses that
# file's BUILD, CC, CLANG, BPFTOOL, BPF_CFLAGS, USER_CFLAGS, APP_SRCS, HEADERS.
# Documentation: vm/README.md.

KERNEL ?= 6.1
# quick: the busybox ports in vm/tests/ (minutes; CI); full: tests/kernel/*.bats.
VM_SUITE ?= quick
VM_MATRIX ?= 5.10 6.1 6.12
VM_DIR := $(BUILD)/vm
STATIC_DIR := $(BUILD)/static
VM_INITRAMFS := $(VM_DIR)/initramfs.cpio.gz
VM_BINS := $(STATIC_DIR)/execwatch $(STATIC_DIR)/progs/ewtest $(STATIC_DIR)/progs/noop \
	$(VM_DIR)/lsm-probe
VM_GUEST_FILES := vm/guest/init vm/guest/run vm/guest/lib.sh $(wildcard vm/tests/*.sh)
# The build's own libraries, linked statically (each needs its .a: libbpf-dev,
# libelf-dev, zlib1g-dev ship them).
STATIC_LDLIBS = -static $(LDLIBS)

.PHONY: test-vm test-vm-lsm test-vm-matrix vm-deps vm-initramfs vm-kernel vm-static

vm-static: $(STATIC_DIR)/execwatch $(STATIC_DIR)/progs/ewtest $(STATIC_DIR)/progs/noop

# execwatch linked statically (libbpf.a, libelf.a, libz.a from libbpf-dev,
# libelf-dev, zlib1g-dev), so it runs in an initramfs with no libraries.
$(STATIC_DIR)/execwatch: $(APP_SRCS) $(HEADERS) $(SKELS)
	$(call msg,CC-STAT,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) $(CFLAGS) $(APP_SRCS) -o $@ $(STATIC_LDLIBS)

$(STATIC_DIR)/progs/%: tests/progs/%.c
	$(call msg,CC-STAT,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -static $< -o $@ -lpthread

$(STATIC_DIR)/progs/noop: tests/progs/noop.c
	$(call msg,CC-STAT,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -static -nostdlib -fno-stack-protector -o $@ $<

# The BPF LSM / fentry probe (vm/probe/), static too.
$(VM_DIR)/lsm_probe.bpf.o: vm/probe/lsm_probe.bpf.c
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp
	$(Q)rm -f $@.tmp

$(VM_DIR)/lsm_probe.skel.h: $(VM_DIR)/lsm_probe.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name lsm_probe_bpf > $@

$(VM_DIR)/lsm-probe: vm/probe/lsm_probe.c $(VM_DIR)/lsm_probe.skel.h
	$(call msg,CC-STAT,$@)
	$(Q)$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -I$(VM_DIR) $< -o $@ $(STATIC_LDLIBS)

$(VM_INITRAMFS): vm/mkinitramfs $(VM_GUEST_FILES) $(VM_BINS) | vm-deps
	$(call msg,CPIO,$@)
	$(Q)vm/mkinitramfs $@ $(VM_BINS) >/dev/null

vm-initramfs: $(VM_INITRAMFS)

vm-deps:
	$(Q)vm/install-deps

vm-kernel:
	$(Q)vm/fetch-kernel $(KERNEL)

# What the full suite runs on the host's root, built on the host.
VM_FULL_BUILD := $(BUILD)/execwatch $(BUILD)/san/execwatch $(TEST_PROGS)

ifeq ($(VM_SUITE),full)
test-vm: $(VM_INITRAMFS) $(VM_FULL_BUILD) | vm-deps
	$(Q)vm/run-vm --mode full $(KERNEL) $(VM_INITRAMFS)
else ifeq ($(VM_SUITE),quick)
test-vm: $(VM_INITRAMFS) | vm-deps
	$(Q)vm/run-vm --mode tests $(KERNEL) $(VM_INITRAMFS)
else
test-vm:
	$(error VM_SUITE is quick or full, not '$(VM_SUITE)')
endif

test-vm-lsm: $(VM_INITRAMFS) | vm-deps
	$(Q)vm/run-vm --mode lsm $(KERNEL) $(VM_INITRAMFS)

# Every kernel line, both modes (the kernel tests of VM_SUITE, and lsm); goes
# on after a failure, fails at the end.
VM_TESTS_MODE := $(if $(filter full,$(VM_SUITE)),full,tests)
test-vm-matrix: $(VM_INITRAMFS) $(if $(filter full,$(VM_SUITE)),$(VM_FULL_BUILD)) | vm-deps
	$(Q)status=0; for k in $(VM_MATRIX); do \
		vm/run-vm --mode $(VM_TESTS_MODE) $$k $(VM_INITRAMFS) || status=1; \
		vm/run-vm --mode lsm $$k $(VM_INITRAMFS) || status=1; \
	done; vm/run-vm --summary $(VM_MATRIX); exit $$status
