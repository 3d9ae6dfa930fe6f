#!/usr/bin/env bash
# demo.sh: satchel's main job on a throwaway regtest node, start to finish (make demo).
#
# Builds satchel and btcd (the version go.mod pins), starts a btcd regtest node on loopback,
# creates two wallets (alice, taproot; bob, native segwit), mines coins to alice, shows bob's
# receive QR code, sends tips from alice to bob (one, then a batch of three in one transaction),
# mines a block, and shows balances and history. Then it stops the node and deletes everything:
# nothing is left running or on disk.
set -euo pipefail
export GOTOOLCHAIN=local

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/satchel-demo.XXXXXX")
NODE=$WORK/node
cleanup() {
    "$ROOT/scripts/regtest-node.sh" stop "$NODE" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "build satchel"
go build -C "$ROOT" -o "$WORK/bin/satchel" ./cmd/satchel
export PATH=$WORK/bin:$PATH

# Throwaway wallets in a throwaway folder; a demo passphrase through the environment.
export SATCHEL_HOME=$WORK/home SATCHEL_NETWORK=regtest SATCHEL_PASSPHRASE=demo-passphrase

step "create two wallets: alice (taproot) and bob (native segwit)"
satchel create --wallet alice --json >"$WORK/alice.json"
satchel create --wallet bob --type wpkh --json >"$WORK/bob.json"
satchel info --wallet alice
ALICE=$(satchel receive --wallet alice --json | sed -n 's/.*"address": "\(.*\)".*/\1/p')

step "start a regtest node (btcd) that mines to alice: $ALICE"
mkdir -p "$NODE"
URL=$("$ROOT/scripts/regtest-node.sh" start "$NODE" "$ALICE")
export SATCHEL_BACKEND=$URL
"$ROOT/scripts/btcctl.sh" "$NODE" generate 101 >/dev/null
echo "mined 101 blocks; the first two coinbases (100 BTC) have the 100 confirmations spending needs"

step "alice's balance"
satchel balance --wallet alice

step "bob shows a QR code to be tipped"
# The address is the first line of receive's output: alice pays that very address (a second
# receive would hand out a new one, not the one in the QR code).
satchel receive --wallet bob --label "tips" --amount 2100sat --qr | tee "$WORK/qr.txt"
BOB1=$(head -n 1 "$WORK/qr.txt")

step "alice tips bob 2,100 sat at 2 sat/vB"
satchel send --wallet alice "$BOB1" 2100 --fee-rate 2 --label "coffee" --yes

step "alice pays three tips in one transaction (one fee for all)"
{
    for amount in 1000 2500 5000; do
        echo "$(satchel receive --wallet bob --json --offline | sed -n 's/.*"address": "\(.*\)".*/\1/p'),$amount,tip"
    done
} >"$WORK/tips.csv"
satchel send --wallet alice --batch "$WORK/tips.csv" --fee-rate 1.5 --yes

step "mine a block"
"$ROOT/scripts/btcctl.sh" "$NODE" generate 1 >/dev/null

step "bob's balance and history"
satchel balance --wallet bob
satchel history --wallet bob

step "alice's history"
satchel history --wallet alice --limit 5

step "done: stopping the node and removing $WORK"
