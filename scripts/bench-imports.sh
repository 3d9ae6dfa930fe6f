#!/usr/bin/env bash
# bench-imports.sh: what each of satchel's larger dependencies costs at start-up on its own.
#
# Usage: scripts/bench-imports.sh [RUNS]   (default 21)
#
# For each package below it builds a Go program that imports only that package (a blank import,
# so nothing of it runs but its package initialisation and the runtime's start over a bigger
# binary) and prints one line, with satchel's own go.mod and go.sum, so the versions are the ones
# satchel links. It also builds one program importing all of them at once, the plain Go program
# (the floor) and satchel itself, then runs each once per round, in turn, RUNS rounds, and prints
# the median wall time of each and its cost over the floor. Timing is the same as
# scripts/bench-startup.sh's (Python's time.perf_counter around posix_spawn and wait4).
#
# Why: the absolute start-up goals (--help under 5 ms, balance --offline under 10 ms) sit at or
# below the Go floor plus a few milliseconds on the 2-core VM satchel is developed on; this shows
# how the cost above the floor is spread over the features (BENCHMARKS.md, "Start-up").
set -euo pipefail
export GOTOOLCHAIN=local CGO_ENABLED=0
RUNS=${1:-21}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/satchel-imports.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

PKGS=(
    github.com/spf13/cobra                # the command tree
    github.com/itchyny/gojq               # --jq
    github.com/btcsuite/btcd/peer         # the p2p light client
    github.com/btcsuite/btcd/psbt/v2      # PSBTs (txscript, btcec, wire under it)
    github.com/miekg/dns                  # BIP353 names (DNSSEC)
    net/http                              # the Esplora backend, fiat rates
    go.etcd.io/bbolt                      # the store
    github.com/BurntSushi/toml            # the config file
    github.com/mdp/qrterminal/v3          # QR codes on a terminal
    golang.org/x/crypto/argon2            # the keystore's KDF
)

cp "$ROOT/go.mod" "$ROOT/go.sum" "$WORK/"
sed -i 's#^module .*#module imports#' "$WORK/go.mod"
build() { # name, blank imports...
    local name=$1
    shift
    mkdir -p "$WORK/$name"
    {
        printf 'package main\n\nimport (\n\t"os"\n'
        for p in "$@"; do printf '\t_ "%s"\n' "$p"; done
        printf ')\n\nfunc main() { os.Stdout.WriteString("hi\\n") }\n'
    } >"$WORK/$name/main.go"
    go build -C "$WORK" -o "$WORK/$name/built" "./$name"
    # Installed as make install does (a copy, not the linker's mmap-written file).
    install -m 755 "$WORK/$name/built" "$WORK/$name/bin"
}
build floor
i=0
for p in "${PKGS[@]}"; do
    build "p$i" "$p"
    i=$((i + 1))
done
build all "${PKGS[@]}"
go build -C "$ROOT" -o "$WORK/satchel.built" ./cmd/satchel
install -m 755 "$WORK/satchel.built" "$WORK/satchel"

python3 - "$RUNS" "$WORK" "${PKGS[@]}" <<'PY'
import os, statistics, sys, time
runs, work, pkgs = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
cmds = [("the floor: a Go program that prints one line", [os.path.join(work, "floor", "bin")])]
cmds += [(f"+ {p}", [os.path.join(work, f"p{i}", "bin")]) for i, p in enumerate(pkgs)]
cmds += [("+ all of the above at once", [os.path.join(work, "all", "bin")])]
cmds += [("satchel --help", [os.path.join(work, "satchel"), "--help"])]
devnull = os.open(os.devnull, os.O_WRONLY)
fa = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
times = {name: [] for name, _ in cmds}
for _ in range(runs):
    for name, argv in cmds:
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=fa)
        _, status, _ = os.wait4(pid, 0)
        times[name].append((time.perf_counter() - t0) * 1000)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{name}: exit {os.waitstatus_to_exitcode(status)}")
with open("/proc/loadavg") as f:
    load = f.read().split()[:3]
floor = statistics.median(times[cmds[0][0]])
print(f"{runs} rounds, load average {' '.join(load)}, {os.cpu_count()} CPUs")
print("| program | median wall | over the floor |")
print("|---|---|---|")
for name, _ in cmds:
    m = statistics.median(times[name])
    print(f"| {name} | {m:.1f} ms | {m - floor:+.1f} ms |")
PY
