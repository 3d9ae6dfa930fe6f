#!/usr/bin/env bash
# bench-offline.sh: how long satchel's offline reads take on big wallets, text and JSON, as a
# script calls them: `satchel balance|history|utxos --offline [--json]`, output to /dev/null.
#
# Usage: scripts/bench-offline.sh [RUNS]   (default 9)
#        SATCHEL_BIN=path/to/satchel scripts/bench-offline.sh   (time that binary instead)
#        SATCHEL_BENCH_WALLETS=DIR   (DIR/5000 and DIR/100000 already made; else made here)
#
# Wallets are made by the wallet package's benchmark populate (go test ./wallet -bench
# CLIOffline, leaving them behind): a tip wallet's life, 5,000 and 100,000 transactions. Each
# command runs once per round, in turn; the script prints the median and min wall time (posix_spawn
# to waitpid) and the median peak RSS (wait4's ru_maxrss) of each.
set -euo pipefail
export GOTOOLCHAIN=local
RUNS=${1:-9}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/satchel-bench-offline.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
if [[ -n ${SATCHEL_BIN:-} ]]; then
    install -m 755 "$SATCHEL_BIN" "$WORK/satchel"
else
    CGO_ENABLED=0 go build -C "$ROOT" -o "$WORK/satchel.built" ./cmd/satchel
    install -m 755 "$WORK/satchel.built" "$WORK/satchel"
fi
WALLETS=${SATCHEL_BENCH_WALLETS:-}
if [[ -z $WALLETS ]]; then
    echo "making 5,000- and 100,000-transaction wallets (a minute or two)..." >&2
    (cd "$ROOT" && SATCHEL_BENCH_KEEP="$WORK/w" go test ./wallet -run '^$' -bench 'CLIOffline' -benchtime 1x >/dev/null)
    WALLETS=$WORK/w
fi
python3 - "$RUNS" "$WORK/satchel" "$WALLETS" <<'PY'
import os, statistics, sys, time
runs, sat, wallets = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cmds = []
for n in ("5000", "100000"):
    for c in ("balance", "history", "utxos"):
        for j in ([], ["--json"]):
            name = f"{c}{' --json' if j else ''} ({int(n):,} tx)"
            cmds.append((name, [sat, c, "--offline", *j, "--datadir", os.path.join(wallets, n), "--network", "regtest", "--wallet", "w"]))
devnull = os.open(os.devnull, os.O_WRONLY)
fa = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
wall = {n: [] for n, _ in cmds}
rss = {n: [] for n, _ in cmds}
for _ in range(runs):
    for name, argv in cmds:
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=fa)
        _, status, ru = os.wait4(pid, 0)
        wall[name].append((time.perf_counter() - t0) * 1000)
        rss[name].append(ru.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{name}: exit {os.waitstatus_to_exitcode(status)}")
with open("/proc/loadavg") as f:
    load = f.read().split()[:3]
print(f"{runs} rounds, load average {' '.join(load)}, {os.cpu_count()} CPUs")
print("| command | median wall | min wall | median peak RSS |")
print("|---|---|---|---|")
for name, _ in cmds:
    print(f"| `{name}` | {statistics.median(wall[name]):.0f} ms | {min(wall[name]):.0f} ms | {statistics.median(rss[name]):.1f} MiB |")
PY
