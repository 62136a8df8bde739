# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Fuzzing (issue 7): libFuzzer targets for every parser and encoder of
# untrusted bytes, built with clang -fsanitize=fuzzer,address,undefined
# against the pure sources (no libbpf, no kernel needed).
#
#   make fuzz-build     build build/fuzz/fuzz_<target> and the seed corpus
#   make fuzz           run each target for FUZZ_SECONDS (default 60); new
#                       inputs are kept in build/fuzz/corpus/<target>
#   make fuzz-smoke     each target for FUZZ_SMOKE_SECONDS (default 8), from
#                       the seeds only, as TAP lines (make test runs this)
#   make fuzz-corpus    rewrite the committed seeds in fuzz/corpus/
#
# Included by the top-level Makefile; standalone: make -f Makefile -f fuzz/fuzz.mk fuzz-smoke.
# A crash leaves its input in build/fuzz/artifacts/<target>/ and fails the run;
# reproduce it with build/fuzz/fuzz_<target> FILE.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 8
FUZZ_TARGETS := decode escape json cli stats filter summary config policy syslog
FUZZ_DIR := $(or $(BUILD),build)/fuzz
# The pure modules, as the top-level Makefile lists them.
FUZZ_SRCS := $(or $(PURE_SRCS),src/cli.c src/stats.c src/decode.c src/escape.c src/json.c \
	src/outbuf.c src/timefmt.c src/output_text.c src/output_json.c)
FUZZ_OBJS := $(patsubst src/%.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_SRCS))
FUZZ_BINS := $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_TARGETS))
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra $(FUZZ_SAN) -D_GNU_SOURCE \
	-DEXECWATCH_VERSION='"fuzz"' -Isrc -I$(or $(BUILD),build)
FUZZ_HEADERS := $(wildcard src/*.h) fuzz/fuzz_check.h tests/unit/json_check.h
FUZZ_Q := $(if $(filter 1,$(V)),,@)

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-corpus
# Keep the objects: every target links the same ones.
.SECONDARY: $(FUZZ_OBJS) $(patsubst %,$(FUZZ_DIR)/harness/fuzz_%.o,$(FUZZ_TARGETS))

$(FUZZ_DIR)/obj/%.o: src/%.c $(FUZZ_HEADERS)
	@mkdir -p $(@D)
	@$(if $(FUZZ_Q),printf '  %-8s %s\n' FUZZ-CC $@)
	$(FUZZ_Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

# The harness and its checkers get the sanitizers but no coverage feedback:
# coverage (and the cov: figure) is src/'s alone, and uninstrumented checkers
# run several times faster.
$(FUZZ_DIR)/harness/%.o: fuzz/%.c $(FUZZ_HEADERS)
	@mkdir -p $(@D)
	@$(if $(FUZZ_Q),printf '  %-8s %s\n' FUZZ-CC $@)
	$(FUZZ_Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/harness/fuzz_%.o $(FUZZ_OBJS)
	@$(if $(FUZZ_Q),printf '  %-8s %s\n' FUZZ-LD $@)
	$(FUZZ_Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ -o $@ -lm -lyaml

$(FUZZ_DIR)/gen_corpus: fuzz/gen_corpus.c $(FUZZ_HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_Q)$(FUZZ_CC) -std=gnu11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc $< -o $@

# Seeds built from the current src/event.h, next to the committed ones.
$(FUZZ_DIR)/seeds/.stamp: $(FUZZ_DIR)/gen_corpus
	$(FUZZ_Q)rm -rf $(FUZZ_DIR)/seeds && $(FUZZ_DIR)/gen_corpus $(FUZZ_DIR)/seeds
	@touch $@

fuzz-build: $(FUZZ_BINS) $(FUZZ_DIR)/seeds/.stamp

fuzz: fuzz-build
	$(FUZZ_Q)fuzz/run.sh --dir $(FUZZ_DIR) --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	$(FUZZ_Q)fuzz/run.sh --dir $(FUZZ_DIR) --seconds $(FUZZ_SMOKE_SECONDS) --smoke \
		$(FUZZ_TARGETS)

# Rewrites the generated seeds in place; the hand-written ones (config,
# policy, syslog and the regression seeds) live next to them and stay.
fuzz-corpus: $(FUZZ_DIR)/gen_corpus
	$(FUZZ_Q)$(FUZZ_DIR)/gen_corpus fuzz/corpus
