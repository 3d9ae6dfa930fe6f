#!/usr/bin/env bash
# need-electrum.sh: make sure Debian's Electrum (4.3.4 on bookworm) is installed, for the
# Electrum interop tests (cmd/satchel/electrum_interop_test.go), which fail rather than skip
# without it. make test and .ci/run both call this. It installs the package where it can (as
# root, or with passwordless sudo, on a system with apt-get); anywhere else it stops at once
# and prints the one command to run.
set -euo pipefail
if command -v electrum >/dev/null 2>&1; then
    exit 0
fi
install=(apt-get install -y -qq --no-install-recommends electrum)
if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null
        exit 0
    fi
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n apt-get update -qq >/dev/null
        sudo -n env DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null
        exit 0
    fi
    echo "make test needs Debian's electrum for the interop tests; install it with:" >&2
    echo "    sudo apt-get install electrum" >&2
else
    echo "make test needs Electrum 4.3.4 (Debian's electrum package) for the interop tests;" >&2
    echo "it is packaged for Debian and Ubuntu: sudo apt-get install electrum" >&2
fi
exit 1
