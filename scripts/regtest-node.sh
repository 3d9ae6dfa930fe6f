#!/usr/bin/env bash
# regtest-node.sh: a throwaway btcd regtest node on loopback, for `make demo` and manual tries.
#
# Usage:
#   scripts/regtest-node.sh start DIR [MINING_ADDR]
#   scripts/regtest-node.sh stop DIR
#
# start  builds btcd and btcctl (the versions go.mod pins) into DIR/bin, starts a regtest
#        node with its data in DIR, waits until it answers RPC, and prints its backend URL
#        (btcd://USER:PASS@127.0.0.1:PORT) on stdout. It writes:
#          DIR/pid          the node's process id
#          DIR/url          the backend URL for `satchel --backend`
#          DIR/rpcport      the RPC port
#          DIR/btcd.conf    the node's config (RPC user and random password, mode 600)
#          DIR/btcctl.conf  the same login for btcctl (use scripts/btcctl.sh DIR ...)
#          DIR/btcd.out     the node's output
#        Blocks mined with `generate` pay MINING_ADDR (a regtest address), by default the
#        test harness faucet, bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h
#        (internal/regtest.FaucetAddress). Nothing is mined at start.
# stop   stops the node started in DIR (SIGTERM, then SIGKILL after 10 s) and removes DIR/pid.
#        The chain is gone: btcd wipes its regtest database on every start.
#
# Policy is mainnet-like (--rejectnonstd --norelaypriority --limitfreerelay=0) and the
# indexes satchel's btcd backend needs are on (--txindex --addrindex), as in internal/regtest.
set -euo pipefail

FAUCET=bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() { echo "regtest-node.sh: $*" >&2; exit 1; }

usage() { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# running DIR: true when DIR/pid names a live btcd started from DIR.
running() {
    local pid
    [[ -f $1/pid ]] || return 1
    pid=$(cat "$1/pid")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    ps -p "$pid" -o args= 2>/dev/null | grep -qF -- "$1/bin/btcd"
}

# free_port: a loopback port nothing answers on.
free_port() {
    local p
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    die "no free port found"
}

start() {
    local dir=$1 addr=${2:-$FAUCET}
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    running "$dir" && die "a node is already running in $dir (pid $(cat "$dir/pid"))"

    mkdir -p "$dir/bin"
    (cd "$ROOT" && GOTOOLCHAIN=local go build -o "$dir/bin/btcd" github.com/btcsuite/btcd &&
        GOTOOLCHAIN=local go build -o "$dir/bin/btcctl" github.com/btcsuite/btcd/cmd/btcctl) ||
        die "go build failed"

    local rpcport p2pport user=satchel pass
    rpcport=$(free_port)
    p2pport=$(free_port)
    [[ $rpcport != "$p2pport" ]] || p2pport=$(free_port)
    pass=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')

    # The login goes in config files, not on command lines where ps shows it.
    (
        umask 077
        printf '[Application Options]\nrpcuser=%s\nrpcpass=%s\n' "$user" "$pass" >"$dir/btcd.conf"
        printf '[Application Options]\nrpcuser=%s\nrpcpass=%s\nrpcserver=127.0.0.1:%s\nnotls=1\nregtest=1\n' \
            "$user" "$pass" "$rpcport" >"$dir/btcctl.conf"
        echo "btcd://$user:$pass@127.0.0.1:$rpcport" >"$dir/url"
    )
    echo "$rpcport" >"$dir/rpcport"

    nohup "$dir/bin/btcd" --regtest -C "$dir/btcd.conf" \
        --datadir="$dir/data" --logdir="$dir/logs" \
        --rpclisten="127.0.0.1:$rpcport" --listen="127.0.0.1:$p2pport" --notls \
        --txindex --addrindex --miningaddr="$addr" \
        --rejectnonstd --norelaypriority --limitfreerelay=0 --utxocachemaxsize=16 \
        >"$dir/btcd.out" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" >"$dir/pid"

    for _ in $(seq 1 300); do
        if "$dir/bin/btcctl" -C "$dir/btcctl.conf" getblockcount >/dev/null 2>&1; then
            cat "$dir/url"
            return
        fi
        # kill -0, not running(): right after the fork the process may not show btcd's
        # command line yet.
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 20 "$dir/btcd.out" >&2
            rm -f "$dir/pid"
            die "btcd exited during start-up"
        fi
        sleep 0.1
    done
    stop "$dir"
    die "btcd did not answer within 30 s"
}

stop() {
    local dir=$1 pid
    [[ -d $dir ]] || die "no directory $dir"
    dir=$(cd "$dir" && pwd)
    if ! running "$dir"; then
        rm -f "$dir/pid"
        echo "no node running in $dir" >&2
        return 0
    fi
    pid=$(cat "$dir/pid")
    kill -TERM "$pid"
    for _ in $(seq 1 100); do
        running "$dir" || break
        sleep 0.1
    done
    if running "$dir"; then
        kill -KILL "$pid"
        sleep 0.2
    fi
    rm -f "$dir/pid"
}

[[ $# -ge 2 ]] || usage
case $1 in
start) [[ $# -le 3 ]] || usage; start "$2" "${3:-}" ;;
stop) [[ $# -eq 2 ]] || usage; stop "$2" ;;
*) usage ;;
esac
