# Portboard: two commands set everything up on a fresh Debian 12 machine.
#
#   make run    install what is missing, build, start Portboard on a demo database
#   make test   install what is missing, build, run every test headless
#   make bench  build and run the benchmarks
#   make fuzz   build the fuzzing harnesses (clang) and run each for FUZZ_SECONDS

BUILDDIR ?= build
DATA_HOME := $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
DEMO_DB ?= $(DATA_HOME)/portboard/demo.sqlite
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian 12 packages needed to build, run and test.
PACKAGES := build-essential pkg-config meson ninja-build gettext \
	libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsqlite3-dev sqlite3 \
	libjson-glib-dev libsoup-3.0-dev glib-networking libgnutls28-dev libshumate-dev libsecret-1-dev \
	desktop-file-utils appstream xvfb xauth dbus python3 \
	librsvg2-common adwaita-icon-theme poppler-utils

# And for the fuzzing build (tests/fuzz/: libFuzzer and the sanitizers come with clang).
FUZZ_PACKAGES := clang llvm
FUZZDIR ?= build-fuzz
FUZZ_SECONDS ?= 600

.PHONY: all deps build fuzz-build run test bench asan fuzz clean

all: build

deps:
	@missing=$$(for p in $(PACKAGES) $(FUZZ_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing:" $$missing; \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR) $(MESON_ARGS)

build: deps $(BUILDDIR)/build.ninja
	ninja -C $(BUILDDIR)

# The core, the hub's library and the harnesses alone, with clang, libFuzzer, ASan and UBSan.
$(FUZZDIR)/build.ninja:
	CC=clang meson setup $(FUZZDIR) -Dfuzzing=true $(FUZZ_MESON_ARGS)

fuzz-build: deps $(FUZZDIR)/build.ninja
	ninja -C $(FUZZDIR)

run: build
	@mkdir -p "$(dir $(DEMO_DB))"
	@[ -f "$(DEMO_DB)" ] || $(BUILDDIR)/src/cli/portboard-cli demo --db "$(DEMO_DB)"
	GSETTINGS_SCHEMA_DIR=$(BUILDDIR)/data PORTBOARD_LOCALEDIR=$(BUILDDIR)/po \
	  $(BUILDDIR)/src/app/portboard --database "$(DEMO_DB)" $(RUN_ARGS)

# Every test, then each fuzzing harness for a few seconds (the fuzz suite of build-fuzz).
test: build fuzz-build
	@rm -f $(BUILDDIR)/meson-logs/testlog.json $(FUZZDIR)/meson-logs/testlog.json
	-xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
	  meson test -C $(BUILDDIR) --print-errorlogs --no-rebuild $(TEST_ARGS)
	-meson test -C $(FUZZDIR) --print-errorlogs --no-rebuild --suite fuzz
	@python3 tools/test-summary.py $(BUILDDIR)/meson-logs/testlog.json $(FUZZDIR)/meson-logs/testlog.json

bench: build
	$(BUILDDIR)/tests/pb-bench $(BENCH_ARGS)
	PORTBOARD_HUB=$(BUILDDIR)/src/hub/portboard-hub $(BUILDDIR)/tests/pb-bench-sync

# Every test again, built with AddressSanitizer and UndefinedBehaviorSanitizer; leaks fail
# the run (tests/lsan.supp lists what GLib, fontconfig and Mesa keep on purpose).
asan: deps
	[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined -Dbuildtype=debug
	ninja -C build-asan
	@rm -f build-asan/meson-logs/testlog.json
	-ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 PB_TEST_WAIT_SCALE=8 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
	  meson test -C build-asan --print-errorlogs --no-rebuild --timeout-multiplier 8
	@python3 tools/test-summary.py build-asan/meson-logs/testlog.json

# Each harness for FUZZ_SECONDS, one after the other on one core, growing its corpus in
# $(FUZZDIR)/corpus/; an input that fails is written to tests/fuzz/crashes/ (then move it
# into tests/fuzz/corpus/NAME/, where the normal build replays it as a test, and fix).
fuzz: fuzz-build
	PB_FUZZ_SECONDS=$(FUZZ_SECONDS) PB_FUZZ_CORPUS=$(CURDIR)/$(FUZZDIR)/corpus \
	  meson test -C $(FUZZDIR) --no-rebuild --suite fuzz --num-processes 1 --verbose \
	  --timeout-multiplier $$(( $(FUZZ_SECONDS) / 8 + 1 ))

clean:
	rm -rf $(BUILDDIR) build-asan $(FUZZDIR)
