# keepintouch: kitd (daemon) and kitctl (command line) over one SQLite file.
#
#   make            build kitd and kitctl
#   make check      build and run every test (installs packages if missing)
#   make check-layers no #include points from a layer to a higher one
#   make check-format every C file as .clang-format has it (clang-format)
#                   (make check runs both first)
#   make check-asan the same under AddressSanitizer and UBSan
#   make check-valgrind the same under valgrind's memcheck, kitd and kitctl
#                   included: no error, no leak (tests/valgrind.supp)
#   make fuzz       build the libFuzzer targets (fuzz/, clang) into
#                   build-fuzz and run each FUZZ_TIME seconds (60)
#   make fuzz-smoke the same briefly (FUZZ_SMOKE_TIME, 10 s each), failing
#                   on any crash, leak, timeout or sanitizer report (CI)
#   make demo       a demo database and what is due in it
#   make deps       install the Debian 12 packages (needs root or sudo)
#   make install    PREFIX=/usr/local DESTDIR= (make uninstall: the same)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
CONFDIR ?= $(SYSCONFDIR)/keepintouch
# systemd looks under /usr/local/lib too, so these follow PREFIX.
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
BUILD ?= build
VERSION := 0.1.0

CC ?= cc
PKGS := sqlite3 libconfig jansson libcurl libsystemd libcrypto xlsxwriter
CPPFLAGS += -Idaemon -I. -DKIT_VERSION='"$(VERSION)"' -D_GNU_SOURCE
CFLAGS ?= -O2 -g
# override: check-asan sets CFLAGS on the command line, which would
# otherwise drop the warnings and the header dependencies (-MMD).
override CFLAGS += -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -MMD -MP \
          -Wno-format-truncation  # bounded snprintf copies truncate on purpose
LDLIBS += -lev -lcsv

# Debian 12 packages needed to build and test (the last lines: the tests'
# loopback providers and the throwaway CA the smtp test makes; mandoc,
# systemd's systemd-analyze and strace check the man pages and the unit;
# the browser and fonts the report test renders the board paper with:
# chromium only recommends its fonts, and deps installs without them;
# clang and its runtime, whose libFuzzer the fuzz targets link; valgrind
# for make check-valgrind; libxlsxwriter writes the Annex A workbook and
# python3-openpyxl reads it back in its test).
DEB_PACKAGES := build-essential pkg-config libsqlite3-dev libconfig-dev \
                libjansson-dev libcurl4-openssl-dev libev-dev libcsv-dev \
                libcmocka-dev libsystemd-dev libssl-dev sqlite3 tzdata \
                python3 python3-aiosmtpd openssl mandoc systemd strace \
                chromium fonts-liberation clang libclang-rt-14-dev valgrind \
                clang-format libxlsxwriter-dev python3-openpyxl

HAVE_DEPS := $(shell pkg-config --exists $(PKGS) cmocka 2>/dev/null && \
               test -e /usr/include/ev.h -a -e /usr/include/csv.h && echo yes)
ifeq ($(HAVE_DEPS),yes)
override CFLAGS += $(shell pkg-config --cflags $(PKGS))
LDLIBS += $(shell pkg-config --libs $(PKGS))
CMOCKA_LIBS := $(shell pkg-config --libs cmocka)
endif

# One folder a layer, lowest first; each builds into its own static
# library (build/lib/libNAME.a), and programs link them highest first.
LAYERS := text base adapters store conf plan outbox intake report
text_SRC := $(wildcard daemon/text/*.c)
base_SRC := $(wildcard daemon/base/*.c)
adapters_SRC := $(wildcard adapters/*.c adapters/*/*.c)
store_SRC := $(wildcard daemon/store/*.c)
conf_SRC := $(wildcard daemon/conf/*.c)
plan_SRC := $(wildcard daemon/plan/*.c)
outbox_SRC := $(wildcard daemon/outbox/*.c)
intake_SRC := $(wildcard daemon/intake/*.c)
report_SRC := $(wildcard daemon/report/*.c)
KITD_SRC := $(wildcard daemon/kitd/*.c)
KITCTL_SRC := $(wildcard daemon/kitctl/*.c)
KITD_OBJ := $(KITD_SRC:%.c=$(BUILD)/%.o)
KITCTL_OBJ := $(KITCTL_SRC:%.c=$(BUILD)/%.o)
# Link order: a library before the ones it calls, each searched once, so
# a call from a lower layer into a higher one does not link.
LINK_LIBS = $(filter %.o,$^) $(filter %.a,$^)
KITD_LIBS := $(patsubst %,$(BUILD)/lib/lib%.a,intake outbox plan conf store adapters base text)
KITCTL_LIBS := $(patsubst %,$(BUILD)/lib/lib%.a,report intake outbox plan conf store adapters base text)
ALL_LIBS := $(KITCTL_LIBS)
# Tests: tests/unit (no process started), tests/integration (real kitd,
# kitctl, peers, Chromium), tests/faults; tests/lib their helpers.
TEST_LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/lib/*.c))
TEST_SRC := $(wildcard tests/unit/test_*.c tests/integration/test_*.c)
TEST_BIN := $(TEST_SRC:%.c=$(BUILD)/%)
# Fault injection (tests/faults): kills, failing providers, a full disk.
FAULT_SRC := $(wildcard tests/faults/test_*.c)
FAULT_BIN := $(FAULT_SRC:tests/faults/%.c=$(BUILD)/tests/faults/%)
# Fuzz targets: fuzz/NAME.c, seeds in fuzz/corpus/NAME (fuzz/README.md).
FUZZ_TARGETS := import conf template validate provider reply ssda903
FUZZ_BIN := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%)
FUZZ_TIME ?= 60
FUZZ_SMOKE_TIME ?= 10
FUZZ_CC ?= clang
# clang does not know GCC's -Wno-format-truncation above.
FUZZ_CFLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
               -fno-omit-frame-pointer -fno-sanitize-recover=all \
               -Wno-unknown-warning-option

all:

# Build on every processor unless told otherwise (make -j1): the test
# suite and its sanitizer build each compile the whole tree.
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)
endif

.PHONY: all deps check check-asan check-valgrind demo install uninstall \
        clean bench fuzz fuzz-smoke fuzz-targets check-layers check-format

deps:
	@sh scripts/deps.sh $(DEB_PACKAGES)

# No #include points to a higher layer (scripts/check-layers.sh has the
# order).
check-layers:
	@sh scripts/check-layers.sh

# Every C file is as the repository's .clang-format has it (run
# `clang-format -i FILE` to make it so). deps first: clang-format is one
# of the packages it installs.
FORMAT_SRC = $(shell find daemon adapters tests fuzz bench -name '*.[ch]')
check-format: deps
	@clang-format --dry-run --Werror $(FORMAT_SRC) && \
	  echo "check-format: $(words $(FORMAT_SRC)) files as .clang-format has them"

# Re-enter make once the libraries are there, so pkg-config flags are read.
ifneq ($(HAVE_DEPS),yes)
all kitd kitctl check check-asan check-valgrind demo bench fuzz fuzz-smoke: deps
	@$(MAKE) --no-print-directory $@
else
all: $(BUILD)/kitd $(BUILD)/kitctl
kitd: $(BUILD)/kitd
kitctl: $(BUILD)/kitctl

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# $(BUILD)/lib/libNAME.a from the objects of layer NAME.
define layer_lib
$$(BUILD)/lib/lib$(1).a: $$($(1)_SRC:%.c=$$(BUILD)/%.o)
	@mkdir -p $$(dir $$@)
	rm -f $$@
	$$(AR) rcs $$@ $$^
endef
$(foreach l,$(LAYERS),$(eval $(call layer_lib,$(l))))

$(BUILD)/kitd: $(KITD_OBJ) $(KITD_LIBS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(LINK_LIBS) $(LDLIBS)

$(BUILD)/kitctl: $(KITCTL_OBJ) $(KITCTL_LIBS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(LINK_LIBS) $(LDLIBS)

$(TEST_BIN): $(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_LIB_OBJ) $(ALL_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(LINK_LIBS) $(LDLIBS) $(CMOCKA_LIBS)

$(FAULT_BIN): $(BUILD)/tests/faults/%: $(BUILD)/tests/faults/%.o \
                         $(BUILD)/tests/faults/fault.o $(TEST_LIB_OBJ) \
                         $(ALL_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(LINK_LIBS) $(LDLIBS) $(CMOCKA_LIBS)

# deps first: the tests' peers need packages the build does not.
check: check-layers check-format deps $(BUILD)/kitd $(BUILD)/kitctl $(TEST_BIN) $(FAULT_BIN)
	@KIT_BIN=$(CURDIR)/$(BUILD) KIT_SRC=$(CURDIR) sh tests/run.sh \
	  $(TEST_BIN) $(FAULT_BIN)

# memcheck over each test program and every kitd and kitctl it starts
# (tests/run.sh). -q: a process's log stays empty unless something was
# found. Leaks that fail: definite and indirect, and possible too (only a
# pointer into the middle of the block is left), since the run is clean
# with them and a new one deserves a look; not still-reachable memory,
# which a process may hold until it exits. 99 is no exit status of ours.
# VALGRIND_FLAGS adds options, e.g. --track-origins=yes (slower) to say
# where an uninitialised value came from.
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full \
            --show-leak-kinds=definite,indirect,possible \
            --errors-for-leak-kinds=definite,indirect,possible \
            --num-callers=30 --suppressions=$(CURDIR)/tests/valgrind.supp \
            $(VALGRIND_FLAGS)

check-valgrind: deps $(BUILD)/kitd $(BUILD)/kitctl $(TEST_BIN) $(FAULT_BIN)
	@KIT_BIN=$(CURDIR)/$(BUILD) KIT_SRC=$(CURDIR) \
	  KIT_VALGRIND="$(VALGRIND)" sh tests/run.sh $(TEST_BIN) $(FAULT_BIN)

check-asan:
	@$(MAKE) --no-print-directory BUILD=build-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" check

# deps first: clang is not among what HAVE_DEPS looks for.
fuzz fuzz-smoke: deps
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) \
	  CFLAGS="$(FUZZ_CFLAGS)" LDFLAGS="-fsanitize=fuzzer,address,undefined" \
	  fuzz-targets
	@sh fuzz/run.sh build-fuzz $(FUZZ_RUN) $(FUZZ_TARGETS)

fuzz: FUZZ_RUN = fuzz $(FUZZ_TIME)
fuzz-smoke: FUZZ_RUN = smoke $(FUZZ_SMOKE_TIME)

# libFuzzer brings main(): only the libraries are linked, never kitd's or
# kitctl's.
fuzz-targets: $(FUZZ_BIN)

$(FUZZ_BIN): $(BUILD)/fuzz/%: $(BUILD)/fuzz/%.o $(BUILD)/fuzz/fuzz.o \
                              $(ALL_LIBS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(LINK_LIBS) $(LDLIBS)

$(BUILD)/fuzz/%.o: CPPFLAGS += -DFUZZ_SRC='"$(CURDIR)"'

demo: $(BUILD)/kitd $(BUILD)/kitctl
	@sh scripts/demo.sh

bench: $(BUILD)/kitctl $(BUILD)/kitd
	@sh bench/plan-scale
	@sh bench/import-903
	@sh bench/exports
	@sh bench/retention
endif

# The configuration an administrator may have edited is never overwritten,
# and uninstall removes it only while it is still as shipped.
CONF_FILES := kitd.conf bank-holidays-england-and-wales.txt
MAN_PAGES := man1/kitctl.1 man5/kitd.conf.5 man8/kitd.8

install: $(BUILD)/kitd $(BUILD)/kitctl
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(CONFDIR) \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR) \
	  $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 0755 $(BUILD)/kitctl $(DESTDIR)$(BINDIR)/kitctl
	install -m 0755 $(BUILD)/kitd $(DESTDIR)$(SBINDIR)/kitd
	for m in $(MAN_PAGES); do \
	  install -m 0644 man/$${m#*/} $(DESTDIR)$(MANDIR)/$$m || exit 1; done
	for f in $(CONF_FILES); do \
	  if [ -e $(DESTDIR)$(CONFDIR)/$$f ]; then \
	    echo "install: keeping $(DESTDIR)$(CONFDIR)/$$f"; \
	  else install -m 0644 config/$$f $(DESTDIR)$(CONFDIR)/$$f || exit 1; fi; \
	done
	sed -e 's|/usr/local/sbin/kitd|$(SBINDIR)/kitd|g' \
	    -e 's|/usr/local/bin/kitctl|$(BINDIR)/kitctl|g' \
	    -e 's|/etc/keepintouch|$(CONFDIR)|g' \
	    systemd/kitd.service >$(DESTDIR)$(UNITDIR)/kitd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/kitd.service
	install -m 0644 systemd/keepintouch.sysusers \
	  $(DESTDIR)$(SYSUSERSDIR)/keepintouch.conf
	install -m 0644 systemd/keepintouch.tmpfiles \
	  $(DESTDIR)$(TMPFILESDIR)/keepintouch.conf

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kitctl $(DESTDIR)$(SBINDIR)/kitd \
	  $(DESTDIR)$(UNITDIR)/kitd.service \
	  $(DESTDIR)$(SYSUSERSDIR)/keepintouch.conf \
	  $(DESTDIR)$(TMPFILESDIR)/keepintouch.conf
	for m in $(MAN_PAGES); do rm -f $(DESTDIR)$(MANDIR)/$$m; done
	for f in $(CONF_FILES); do \
	  if cmp -s config/$$f $(DESTDIR)$(CONFDIR)/$$f; then \
	    rm -f $(DESTDIR)$(CONFDIR)/$$f; \
	  elif [ -e $(DESTDIR)$(CONFDIR)/$$f ]; then \
	    echo "uninstall: keeping $(DESTDIR)$(CONFDIR)/$$f (changed)"; fi; \
	done
	rmdir $(DESTDIR)$(CONFDIR) 2>/dev/null || true

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
