# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# execwatch build. `make` builds build/execwatch with the BPF object embedded
# (clang -target bpf -> bpftool gen object -> bpftool gen skeleton -> cc).
# `make run` installs what is missing and starts tracing; `make test` runs
# every test. Quiet by default; V=1 shows the commands.

.DELETE_ON_ERROR:
.SUFFIXES:

BUILD ?= build
CLANG ?= clang
CC ?= cc
BPFTOOL ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
ARCH := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1.0)
PREFIX ?= /usr/local

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

BPF_CFLAGS := -g -O2 --target=bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	-I/usr/include/$(MULTIARCH) -Isrc

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wmissing-prototypes \
	-Wstrict-prototypes -Wundef -Wvla -Wpointer-arith -Wcast-qual
CFLAGS ?= -O2 -g
USER_CFLAGS := -std=gnu11 $(WARNINGS) -fstack-protector-strong -D_FORTIFY_SOURCE=2 \
	-D_GNU_SOURCE -DEXECWATCH_VERSION='"$(VERSION)"' -I$(BUILD) -Isrc
LDLIBS := -lbpf -lelf -lz -lm -lyaml
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# Pure modules: no libbpf, unit-tested on their own.
PURE_SRCS := src/cli.c src/stats.c src/decode.c src/escape.c src/json.c src/outbuf.c src/timefmt.c \
	src/output_text.c src/output_json.c src/output_options.c src/filter.c src/cgroup.c src/summary.c src/proctable.c src/bufpool.c src/procstat.c \
	src/config.c src/metrics.c src/path_view.c src/policy.c src/policy_compile.c \
	src/sink_file.c src/rfc5424.c src/sink_syslog.c src/readfile.c
APP_SRCS := src/main.c src/loader.c src/bpf_object_nokfunc.c src/reader.c src/stash.c src/check.c src/metrics_file.c src/caps.c \
	src/policy_rt.c src/secfs.c $(PURE_SRCS)
HEADERS := $(wildcard src/*.h)

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
TEST_PROGS := $(patsubst tests/progs/%.c,$(BUILD)/progs/%,$(wildcard tests/progs/*.c))

.PHONY: all run test deps test-deps clean uninstall format check-format vmlinux install \
	first-program deb deps-deb
all: $(BUILD)/execwatch

# One order-only prerequisite per directory: a build/ that exists already
# (made by hand, or by another tool) must not leave its subdirectories out.
BUILD_DIRS := $(BUILD) $(BUILD)/unit $(BUILD)/progs $(BUILD)/san
$(BUILD_DIRS):
	$(Q)mkdir -p $@

$(BUILD)/execwatch.tmp.bpf.o: src/bpf/execwatch.bpf.c $(wildcard src/bpf/*.h) src/event.h \
		src/policy_abi.h | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/execwatch.bpf.o: $(BUILD)/execwatch.tmp.bpf.o
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(BUILD)/execwatch.skel.h: $(BUILD)/execwatch.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name execwatch_bpf > $@

# The same programs for kernels without bpf_rdonly_cast() (before 6.2): no
# kfunc extern, which libbpf 1.1 cannot resolve there without CAP_SYS_ADMIN
# (src/bpf/path.h). The loader opens execwatch_bpf's skeleton with this
# object's ELF bytes, so the build stops if the two skeletons' structs differ.
$(BUILD)/execwatch_nokfunc.tmp.bpf.o: src/bpf/execwatch.bpf.c $(wildcard src/bpf/*.h) src/event.h \
		src/policy_abi.h | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -DEW_NO_KFUNC -c $< -o $@

$(BUILD)/execwatch_nokfunc.bpf.o: $(BUILD)/execwatch_nokfunc.tmp.bpf.o
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(BUILD)/execwatch_nokfunc.skel.h: $(BUILD)/execwatch_nokfunc.bpf.o $(BUILD)/execwatch.skel.h \
		scripts/skel-same-layout.sh
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name execwatch_nokfunc_bpf > $@.tmp
	$(Q)scripts/skel-same-layout.sh $(BUILD)/execwatch.skel.h execwatch_bpf $@.tmp \
		execwatch_nokfunc_bpf
	$(Q)mv $@.tmp $@

SKELS := $(BUILD)/execwatch.skel.h $(BUILD)/execwatch_nokfunc.skel.h

$(BUILD)/execwatch: $(APP_SRCS) $(HEADERS) $(SKELS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(CFLAGS) $(APP_SRCS) -o $@ $(LDLIBS)

# The same program with ASan and UBSan, for the tests.
$(BUILD)/san/execwatch: $(APP_SRCS) $(HEADERS) $(SKELS) | $(BUILD)/san
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -U_FORTIFY_SOURCE $(APP_SRCS) -o $@ $(LDLIBS)

$(BUILD)/unit/%: tests/unit/%.c $(PURE_SRCS) $(HEADERS) | $(BUILD)/unit
	$(call msg,CC-TEST,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -U_FORTIFY_SOURCE -Wno-missing-prototypes $< \
		$(PURE_SRCS) -o $@ -lcmocka -lm -lyaml

$(BUILD)/progs/%: tests/progs/%.c | $(BUILD)/progs
	$(call msg,CC-PROG,$@)
	$(Q)$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE $< -o $@ -lpthread

# A static no-op program: the cheapest thing to exec in storms.
$(BUILD)/progs/noop: tests/progs/noop.c | $(BUILD)/progs
	$(call msg,CC-PROG,$@)
	$(Q)$(CC) -O2 -static -nostdlib -fno-stack-protector -o $@ $<

deps:
	$(Q)scripts/install-deps.sh build

test-deps:
	$(Q)scripts/install-deps.sh test

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(BUILD)/execwatch $(ARGS)

# Built in parallel (-j: the CPUs), the fuzz targets too, before any test runs.
test: test-deps
	$(Q)$(MAKE) --no-print-directory -j$(shell nproc) all $(BUILD)/san/execwatch $(UNIT_TESTS) \
		$(TEST_PROGS) first-program $(if $(wildcard fuzz/fuzz.mk),fuzz-build)
	$(Q)tests/run.sh

first-program:
	$(Q)$(MAKE) --no-print-directory -C examples/first-program build

vmlinux: | $(BUILD)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $(BUILD)/vmlinux.h

# PREFIX and DESTDIR as the GNU conventions say; the man page is execwatch(8).
# The systemd unit goes where systemd looks for PREFIX (/usr/local/lib/systemd/
# system also is searched); the config lives in /etc whatever the PREFIX, and
# an existing (edited) one is kept.
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
CONF := $(DESTDIR)$(SYSCONFDIR)/execwatch/execwatch.conf
install: $(BUILD)/execwatch
	install -D -m 0755 $(BUILD)/execwatch $(DESTDIR)$(SBINDIR)/execwatch
	install -D -m 0644 docs/execwatch.8 $(DESTDIR)$(MANDIR)/man8/execwatch.8
	install -d -m 0755 $(DESTDIR)$(SYSTEMDUNITDIR)
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		packaging/execwatch.service.in > $(DESTDIR)$(SYSTEMDUNITDIR)/execwatch.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/execwatch.service
	@if [ -e $(CONF) ]; then echo "  keeping $(CONF)"; \
	else install -D -m 0644 packaging/execwatch.conf $(CONF); fi

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/execwatch $(DESTDIR)$(MANDIR)/man8/execwatch.8 \
		$(DESTDIR)$(SYSTEMDUNITDIR)/execwatch.service
	@if cmp -s packaging/execwatch.conf $(CONF); then rm -f $(CONF); \
		rmdir $(DESTDIR)$(SYSCONFDIR)/execwatch 2>/dev/null || true; \
	elif [ -e $(CONF) ]; then echo "  keeping the edited $(CONF)"; fi

# The Debian package, built with dpkg-buildpackage from a copy of the tree in
# $(BUILD)/deb/src (so debian/rules' clean never touches this build/); the
# .deb lands in $(BUILD)/deb/. `make deps-deb` installs what it needs. The
# inner build must not inherit our variables (BUILD=... would be its clean's).
DEB_DIR := $(BUILD)/deb
deb: | $(BUILD)
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src
	$(Q)tar -C . --exclude=./build --exclude=./$(BUILD) --exclude=./.git --exclude='*.o' \
		--exclude=./examples/first-program/build -cf - . | tar -C $(DEB_DIR)/src -xf -
	$(call msg,DEB,$(DEB_DIR))
	$(Q)cd $(DEB_DIR)/src && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD \
		dpkg-buildpackage -us -uc -b $(if $(V),,>../build.log 2>&1) || \
		{ tail -n 40 ../build.log 2>/dev/null; exit 1; }
	$(Q)ls $(DEB_DIR)/*.deb

deps-deb:
	$(Q)scripts/install-deps.sh deb

FORMAT_FILES := $(wildcard src/*.c src/*.h src/bpf/*.c src/bpf/*.h tests/unit/*.c tests/unit/*.h \
	tests/progs/*.c examples/first-program/*.c examples/first-program/*.h fuzz/*.c fuzz/*.h \
	vm/probe/*.c)
format:
	clang-format -i $(FORMAT_FILES)

check-format:
	clang-format --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD)
	$(MAKE) -C examples/first-program clean

# The benchmark (make bench), the fuzzers (make fuzz) and the kernel matrix
# in QEMU (make test-vm KERNEL=...) live in their own files.
-include bench/bench.mk
-include fuzz/fuzz.mk
-include vm/vm.mk
