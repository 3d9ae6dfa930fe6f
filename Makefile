# satchel: make demo runs the main job on a throwaway regtest node; make test runs every test.
export GOTOOLCHAIN := local
GO ?= go
BIN := bin

.PHONY: all build test test-short demo install vet fmt bench clean

all: build

build:
	$(GO) build -o $(BIN)/satchel ./cmd/satchel

# vet, then every test (unit, vectors, integration against a real btcd regtest node built from
# the version pinned in go.mod) under the race detector, then each fuzz target briefly.
test: vet
	$(GO) test -race -count=1 -timeout 20m ./...

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }

demo:
	bash scripts/demo.sh

install:
	$(GO) install ./cmd/satchel

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./txbuilder/ ./wallet/...

clean:
	rm -rf $(BIN)
