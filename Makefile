# Keel — everything a new user needs: `make demo` and `make test`.
SWIFT ?= swift
APT_PACKAGES := libgit2-dev zlib1g-dev libcmark-gfm-dev libcmark-gfm-extensions-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
KEEL := .build/debug/keel
EXAMPLE := examples/product-ops

.PHONY: deps test-deps build release demo test embed format lint bench fuzz-build fuzz fuzz-corpus clean \
  install install-files uninstall

## Install the system libraries keel links against (Debian/Ubuntu), if missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## Install the release binary, the man page (keel manual) and bash, zsh and fish completions under
## $(DESTDIR)$(PREFIX); `make install-files INSTALL_BIN=…` installs an already built binary.
PREFIX ?= /usr/local
INSTALL_BIN ?= .build/release/keel
BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

install: release install-files

install-files:
	install -d "$(BINDIR)" "$(MANDIR)" "$(BASHDIR)" "$(ZSHDIR)" "$(FISHDIR)"
	install -m 755 "$(INSTALL_BIN)" "$(BINDIR)/keel"
	"$(INSTALL_BIN)" manual > "$(MANDIR)/keel.1"
	"$(INSTALL_BIN)" --generate-completion-script bash > "$(BASHDIR)/keel"
	"$(INSTALL_BIN)" --generate-completion-script zsh > "$(ZSHDIR)/_keel"
	"$(INSTALL_BIN)" --generate-completion-script fish > "$(FISHDIR)/keel.fish"

uninstall:
	rm -f "$(BINDIR)/keel" "$(MANDIR)/keel.1" "$(BASHDIR)/keel" "$(ZSHDIR)/_keel" "$(FISHDIR)/keel.fish"

## Run keel on the bundled example repository (it has deliberate mistakes, so keel exits 1).
demo: build
	@echo "\$$ keel check -C $(EXAMPLE)"
	@$(KEEL) check -C $(EXAMPLE); status=$$?; \
	echo; echo "keel exited with $$status (0: clean, 1: findings at error severity, 2: usage or configuration error)"; \
	[ $$status -le 1 ]
	@echo; echo "\$$ keel export raci -C $(EXAMPLE) --format markdown"
	@$(KEEL) export raci -C $(EXAMPLE) --format markdown 2>/dev/null || echo "(export not available in this build)"
	@echo; echo "\$$ keel rank -C $(EXAMPLE)   # the PRD backlog by RICE"
	@$(KEEL) rank -C $(EXAMPLE)
	@echo; echo "\$$ keel graph -C $(EXAMPLE) --format mermaid"
	@$(KEEL) graph -C $(EXAMPLE) --format mermaid

## Optional tools some tests use; each test says clearly when it skips for lack of one.
test-deps: deps
	@dpkg -s chromium >/dev/null 2>&1 || { echo "Installing chromium (browser tests of HTML/SVG exports)"; \
	  { $(SUDO) apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null 2>&1; } || \
	  echo "chromium could not be installed: the browser tests will be skipped"; }

## Build everything and run every test (unit, conformance suite, end-to-end).
test: test-deps
	$(SWIFT) build
	$(SWIFT) test

## Regenerate the Swift sources that embed schemas/, workflows/, templates/, scaffold/ and the meta-schemas.
embed:
	python3 scripts/embed.py

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

## The formatter's lint, then the module layering (scripts/check-layering.sh: what each module may import).
lint:
	$(SWIFT) format lint --recursive Sources Tests Package.swift
	scripts/check-layering.sh

bench: release
	bench/run.sh

## libFuzzer targets (Tests/Fuzz, a package of its own: `swift build`/`swift test` never build them).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= FuzzDocument FuzzMarkdown FuzzJSON FuzzSchema FuzzHistoryCache FuzzPack FuzzBaseline FuzzHeaderList FuzzFormula
FUZZ_FLAGS ?= -timeout=10 -rss_limit_mb=2048 -print_final_stats=1

fuzz-build: deps
	$(SWIFT) build --package-path Tests/Fuzz --scratch-path .build-fuzz -c debug \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library

## Runs each target for FUZZ_SECONDS from the committed corpus; new inputs go to .build-fuzz/corpus,
## a crash stops the run with its input in .build-fuzz/crashes/.
fuzz: fuzz-build
	@mkdir -p .build-fuzz/crashes
	@for target in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz/corpus/$$target; \
	  echo "== $$target: $(FUZZ_SECONDS) s"; \
	  SWIFT_BACKTRACE=enable=no .build-fuzz/debug/$$target -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) \
	    -artifact_prefix=.build-fuzz/crashes/$$target- .build-fuzz/corpus/$$target Tests/Fuzz/corpus/$$target \
	    || exit 1; \
	done

## Adds to the committed corpus the inputs of .build-fuzz/corpus that reach new code (libFuzzer -merge).
fuzz-corpus: fuzz-build
	@for target in $(FUZZ_TARGETS); do \
	  SWIFT_BACKTRACE=enable=no .build-fuzz/debug/$$target -merge=1 $(FUZZ_FLAGS) Tests/Fuzz/corpus/$$target .build-fuzz/corpus/$$target \
	    || exit 1; \
	done

clean:
	rm -rf .build .build-fuzz
