# satchel: make demo runs the main job on a throwaway regtest node; make test runs every test.
export GOTOOLCHAIN := local
GO ?= go
BIN := bin
# make install puts satchel in $(PREFIX)/bin, its man pages in $(PREFIX)/share/man/man1 and its
# shell completions where bash-completion, zsh and fish look under $(PREFIX)/share.
PREFIX ?= $(HOME)/.local
MANDIR ?= $(PREFIX)/share/man/man1

.PHONY: all build test need demo install man completions vet fmt bench clean

all: build

# A static binary (CGO_ENABLED=0): satchel needs no C library, and a process that skips the
# dynamic loader starts faster (BENCHMARKS.md, Start-up). -buildvcs=auto overrides a
# GOFLAGS=-buildvcs=false in the environment (go env), so satchel --version names the commit
# whenever the source is a git checkout.
build:
	CGO_ENABLED=0 $(GO) build -buildvcs=auto -o $(BIN)/satchel ./cmd/satchel

# vet, then every test (unit, vectors, integration against a real btcd regtest node built from
# the version pinned in go.mod) under the race detector; then the integration suite again
# (without the race detector, which has already run over the same code, to keep CI under 20
# minutes) over
# Esplora and Electrum (test servers speaking each protocol in front of the same node) and over
# the peer-to-peer network (the p2p light client with the node as its peer); then
# each fuzz target briefly. The need-* scripts install what the interop tests check satchel
# against: Electrum (Debian) and Keystone's UR library (npm, under .cache/npm-ur). They run
# first, so a machine that lacks them stops at once with the command to run, not after vet.
test: need vet
	$(GO) test -race -count=1 -timeout 20m ./...
	SATCHEL_TEST_BACKEND=esplora $(GO) test -count=1 -timeout 10m -run 'Integration|Crash|Process' ./cmd/satchel
	SATCHEL_TEST_BACKEND=electrum $(GO) test -count=1 -timeout 10m -run 'Integration|Crash|Process' ./cmd/satchel
	SATCHEL_TEST_BACKEND=p2p $(GO) test -count=1 -timeout 10m -run 'Integration|Crash|Process' ./cmd/satchel
	bash scripts/fuzz-briefly.sh

need:
	bash scripts/need-electrum.sh
	bash scripts/need-node-ur.sh

vet:
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }

demo:
	bash scripts/demo.sh

# One page per command, generated from the same text as --help (satchel gen-man).
man: build
	rm -rf $(BIN)/man
	$(BIN)/satchel gen-man $(BIN)/man

completions: build
	mkdir -p $(BIN)/completions
	$(BIN)/satchel completion bash > $(BIN)/completions/satchel
	$(BIN)/satchel completion zsh > $(BIN)/completions/_satchel
	$(BIN)/satchel completion fish > $(BIN)/completions/satchel.fish

install: man completions
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)
	install -m 755 $(BIN)/satchel $(DESTDIR)$(PREFIX)/bin/satchel
	install -m 644 $(BIN)/man/*.1 $(DESTDIR)$(MANDIR)/
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 644 $(BIN)/completions/satchel $(DESTDIR)$(PREFIX)/share/bash-completion/completions/satchel
	install -m 644 $(BIN)/completions/_satchel $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_satchel
	install -m 644 $(BIN)/completions/satchel.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/satchel.fish

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./txbuilder/ ./wallet/...

clean:
	rm -rf $(BIN)
