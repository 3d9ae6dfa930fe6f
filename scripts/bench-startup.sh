#!/usr/bin/env bash
# bench-startup.sh: how long satchel takes to start and answer offline, side by side with
# Electrum 4.3.4's CLI (Debian's electrum; scripts/need-electrum.sh installs it).
#
# Usage: scripts/bench-startup.sh [RUNS]   (default 21)
#        SATCHEL_BIN=path/to/satchel scripts/bench-startup.sh   (time that binary instead)
#
# It builds satchel, makes a 5,000-transaction regtest wallet with the wallet package's
# benchmark populate (go test ./wallet -bench CLIOffline, leaving the wallet behind) unless
# $SATCHEL_BENCH_WALLETS already holds one (a datadir with regtest/w), makes an empty Electrum
# regtest wallet, then runs each command once per round, in turn, RUNS rounds, and prints the
# median, min and max wall time of each (process start to exit, output to /dev/null), and
# Electrum's median over satchel's, and satchel's over the floors. Timing is done by Python's
# time.perf_counter around posix_spawn and waitpid, the same for every command.
#
# Two floors are timed with them: a Go program that prints one line (what any Go binary costs to
# start here: the runtime's own start) and, when a C compiler is installed, an empty static C
# program (what starting any process costs, spawn and wait included).
#
# The binary timed is a copy of the one go build writes, made as `make install` makes it (the Go
# linker writes its file through mmap, which leaves it in the page cache differently): here the
# two started up to 4 ms apart in some runs of 2026-12-03, the linker's file the slower, and
# level in others, so the script times what an installed satchel is.
set -euo pipefail
export GOTOOLCHAIN=local
RUNS=${1:-21}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/satchel-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# As make build does: a static binary (no dynamic loader at start).
if [[ -n ${SATCHEL_BIN:-} ]]; then
    install -m 755 "$SATCHEL_BIN" "$WORK/satchel"
else
    CGO_ENABLED=0 go build -C "$ROOT" -o "$WORK/satchel.built" ./cmd/satchel
    install -m 755 "$WORK/satchel.built" "$WORK/satchel"
fi
# The floor: a Go program that prints one line, built the same way.
mkdir -p "$WORK/hello"
printf 'package main\n\nimport "os"\n\nfunc main() { os.Stdout.WriteString("hi\\n") }\n' >"$WORK/hello/main.go"
printf 'module hello\n\ngo 1.26\n' >"$WORK/hello/go.mod"
CGO_ENABLED=0 go build -C "$WORK/hello" -o "$WORK/hello/hello.built" .
install -m 755 "$WORK/hello/hello.built" "$WORK/hello/hello"
# The process floor: an empty static C program (skipped without a C compiler).
if command -v cc >/dev/null && printf 'int main(void) { return 0; }\n' >"$WORK/nothing.c" &&
    cc -O2 -static -o "$WORK/nothing" "$WORK/nothing.c" 2>/dev/null; then
    :
else
    rm -f "$WORK/nothing"
fi
WALLETS=${SATCHEL_BENCH_WALLETS:-}
if [[ -z $WALLETS ]]; then
    echo "making a 5,000-transaction wallet (and the 100,000 one the benchmark also makes; a minute or two)..." >&2
    (cd "$ROOT" && SATCHEL_BENCH_KEEP="$WORK/w" go test ./wallet -run '^$' -bench 'CLIOffline/balance/5000tx' -benchtime 1x >/dev/null)
    WALLETS=$WORK/w/5000
fi
mkdir -p "$WORK/empty" "$WORK/electrum"
SATCHEL_PASSPHRASE=bench-passphrase "$WORK/satchel" create --datadir "$WORK/empty" --network regtest --json >/dev/null
electrum --regtest --offline -D "$WORK/electrum" create --seed_type segwit >/dev/null 2>&1

python3 - "$RUNS" "$WORK" "$WALLETS" <<'PY'
import os, statistics, sys, time
runs, work, wallets = int(sys.argv[1]), sys.argv[2], sys.argv[3]
sat = os.path.join(work, "satchel")
cmds = [
    ("nothing (a static C program that returns at once)", [os.path.join(work, "nothing")]),
    ("hello (a Go program that prints one line)", [os.path.join(work, "hello", "hello")]),
    ("satchel --help", [sat, "--help"]),
    ("satchel balance --offline (empty wallet)", [sat, "balance", "--offline", "--datadir", os.path.join(work, "empty"), "--network", "regtest"]),
    ("satchel balance --offline (5,000 tx)", [sat, "balance", "--offline", "--datadir", wallets, "--network", "regtest", "--wallet", "w"]),
    ("satchel balance --offline --json (5,000 tx)", [sat, "balance", "--offline", "--json", "--datadir", wallets, "--network", "regtest", "--wallet", "w"]),
    ("electrum --offline getbalance (empty wallet)", ["electrum", "--regtest", "--offline", "-D", os.path.join(work, "electrum"), "getbalance"]),
]
cmds = [(name, argv) for name, argv in cmds if os.path.isabs(argv[0]) is False or os.path.exists(argv[0])]
devnull = os.open(os.devnull, os.O_WRONLY)
fa = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
times = {name: [] for name, _ in cmds}
cpu = {name: [] for name, _ in cmds}
for _ in range(runs):
    for name, argv in cmds:
        exe = argv[0] if os.path.isabs(argv[0]) else next(os.path.join(p, argv[0]) for p in os.environ["PATH"].split(":") if os.path.exists(os.path.join(p, argv[0])))
        t0 = time.perf_counter()
        pid = os.posix_spawn(exe, argv, os.environ, file_actions=fa)
        _, status, ru = os.wait4(pid, 0)
        dt = (time.perf_counter() - t0) * 1000
        cpu[name].append((ru.ru_utime + ru.ru_stime) * 1000)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{name}: exit {os.waitstatus_to_exitcode(status)}")
        times[name].append(dt)
with open("/proc/loadavg") as f:
    load = f.read().split()[:3]
print(f"{runs} rounds, load average {' '.join(load)}, {os.cpu_count()} CPUs")
print(f"| command | median wall | min wall | median CPU (user+sys) |")
print(f"|---|---|---|---|")
for name, _ in cmds:
    t = times[name]
    print(f"| `{name}` | {statistics.median(t):.1f} ms | {min(t):.1f} ms | {statistics.median(cpu[name]):.1f} ms |")
e = statistics.median(times["electrum --offline getbalance (empty wallet)"])
for name in ("satchel balance --offline (5,000 tx)", "satchel balance --offline (empty wallet)"):
    print(f"Electrum's median / {name}: {e / statistics.median(times[name]):.0f}x")
hello = statistics.median(times["hello (a Go program that prints one line)"])
for name in ("satchel --help", "satchel balance --offline (5,000 tx)"):
    m = statistics.median(times[name])
    print(f"{name}: {m / hello:.1f}x the Go floor's median ({m - hello:+.1f} ms)")
PY
