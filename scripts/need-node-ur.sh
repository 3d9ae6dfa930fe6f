#!/usr/bin/env bash
# need-node-ur.sh: make sure Keystone's UR implementation (@keystonehq/bc-ur-registry 0.8.0)
# and Coinkite's BBQr (bbqr 1.2.0), with the exact dependency tree of
# cmd/satchel/testdata/ur-interop/package-lock.json, are installed under .cache/npm-ur, for the
# UR and BBQr interop tests (cmd/satchel/ur_interop_test.go),
# which fail rather than skip without them in CI. make test and .ci/run both call this. It needs
# node and npm; on a system with apt-get it installs them (Debian's nodejs and npm) as root or
# with passwordless sudo, as need-electrum.sh does; anywhere else it stops at once and prints
# the one command to run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src=cmd/satchel/testdata/ur-interop
dest=.cache/npm-ur
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    install=(apt-get install -y -qq --no-install-recommends nodejs npm)
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null
    elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n apt-get update -qq >/dev/null
        sudo -n env DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null
    else
        echo "make test needs node and npm for the UR interop tests; install them with:" >&2
        echo "    sudo apt-get install nodejs npm" >&2
        exit 1
    fi
fi
# Installed already from the same lock file: nothing to do.
if [ -f "$dest/node_modules/@keystonehq/bc-ur-registry/package.json" ] && cmp -s "$src/package-lock.json" "$dest/.installed-lock.json"; then
    exit 0
fi
mkdir -p "$dest"
cp "$src/package.json" "$src/package-lock.json" "$dest/"
npm ci --prefix "$dest" --no-audit --no-fund --loglevel=error >/dev/null
cp "$src/package-lock.json" "$dest/.installed-lock.json"
