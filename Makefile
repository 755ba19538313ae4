# keepintouch: kitd (daemon) and kitctl (command line) over one SQLite file.
#
#   make            build kitd and kitctl
#   make check      build and run every test (installs packages if missing)
#   make check-asan the same under AddressSanitizer and UBSan
#   make demo       a demo database and what is due in it
#   make deps       install the Debian 12 packages (needs root or sudo)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
BUILD ?= build
VERSION := 0.1.0

CC ?= cc
PKGS := sqlite3 libconfig jansson libcurl libsystemd libcrypto
CPPFLAGS += -Idaemon/core -Idaemon/cli -Idaemon/kitd -Iadapters -DKIT_VERSION='"$(VERSION)"' -D_GNU_SOURCE
CFLAGS ?= -O2 -g
# override: check-asan sets CFLAGS on the command line, which would
# otherwise drop the warnings and the header dependencies (-MMD).
override CFLAGS += -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -MMD -MP \
          -Wno-format-truncation  # bounded snprintf copies truncate on purpose
LDLIBS += -lev -lcsv

# Debian 12 packages needed to build and test (the last lines: the tests'
# loopback providers, the throwaway CA the smtp test makes, and the browser
# and fonts the report test renders the board paper with; chromium only
# recommends its fonts, and deps installs without recommends).
DEB_PACKAGES := build-essential pkg-config libsqlite3-dev libconfig-dev \
                libjansson-dev libcurl4-openssl-dev libev-dev libcsv-dev \
                libcmocka-dev libsystemd-dev libssl-dev sqlite3 tzdata \
                python3 python3-aiosmtpd openssl \
                chromium fonts-liberation

HAVE_DEPS := $(shell pkg-config --exists $(PKGS) cmocka 2>/dev/null && \
               test -e /usr/include/ev.h -a -e /usr/include/csv.h && echo yes)
ifeq ($(HAVE_DEPS),yes)
override CFLAGS += $(shell pkg-config --cflags $(PKGS))
LDLIBS += $(shell pkg-config --libs $(PKGS))
CMOCKA_LIBS := $(shell pkg-config --libs cmocka)
endif

CORE_SRC := $(wildcard daemon/core/*.c)
CLI_SRC := $(wildcard daemon/cli/*.c)
KITD_SRC := $(wildcard daemon/kitd/*.c)
ADAPTER_SRC := $(wildcard adapters/*.c)
KITD_OBJ := $(KITD_SRC:%.c=$(BUILD)/%.o)
ADAPTER_OBJ := $(ADAPTER_SRC:%.c=$(BUILD)/%.o)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

all:

.PHONY: all deps check check-asan demo install uninstall clean bench

deps:
	@sh scripts/deps.sh $(DEB_PACKAGES)

# Re-enter make once the libraries are there, so pkg-config flags are read.
ifneq ($(HAVE_DEPS),yes)
all kitd kitctl check check-asan demo bench: deps
	@$(MAKE) --no-print-directory $@
else
all: $(BUILD)/kitd $(BUILD)/kitctl
kitd: $(BUILD)/kitd
kitctl: $(BUILD)/kitctl

$(BUILD)/libkit.a: $(CORE_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libadapters.a: $(ADAPTER_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/kitd: $(KITD_OBJ) $(BUILD)/libadapters.a $(BUILD)/libkit.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/kitctl: $(CLI_OBJ) $(BUILD)/libkit.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/helpers.o \
                  $(BUILD)/tests/unit/peer.o $(BUILD)/tests/unit/kd.o \
                  $(BUILD)/libadapters.a $(BUILD)/libkit.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/unit/%.o: CPPFLAGS += -Itests/unit

# deps first: the tests' peers need packages the build does not.
check: deps $(BUILD)/kitd $(BUILD)/kitctl $(TEST_BIN)
	@KIT_BIN=$(CURDIR)/$(BUILD) KIT_SRC=$(CURDIR) sh tests/run.sh $(TEST_BIN)

check-asan:
	@$(MAKE) --no-print-directory BUILD=build-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" check

demo: $(BUILD)/kitd $(BUILD)/kitctl
	@sh scripts/demo.sh

bench: $(BUILD)/kitctl
	@sh bench/plan-scale
endif

install: $(BUILD)/kitd $(BUILD)/kitctl
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
	  $(DESTDIR)$(SYSCONFDIR)/keepintouch
	install -m 0755 $(BUILD)/kitctl $(DESTDIR)$(BINDIR)/kitctl
	install -m 0755 $(BUILD)/kitd $(DESTDIR)$(SBINDIR)/kitd
	install -m 0644 config/kitd.conf \
	  config/bank-holidays-england-and-wales.txt \
	  $(DESTDIR)$(SYSCONFDIR)/keepintouch/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kitctl $(DESTDIR)$(SBINDIR)/kitd

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
