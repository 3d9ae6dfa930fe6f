#!/usr/bin/env bash
# btcctl.sh: run btcctl against the node that scripts/regtest-node.sh started in DIR.
#
# Usage:
#   scripts/btcctl.sh DIR COMMAND [ARGS...]
#
# Examples:
#   scripts/btcctl.sh /tmp/demo getblockcount
#   scripts/btcctl.sh /tmp/demo generate 101
#   scripts/btcctl.sh /tmp/demo searchrawtransactions bcrt1q...
#
# The login, server and --regtest --notls come from DIR/btcctl.conf, so no password appears
# on a command line.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
dir=$1
shift
[[ -x $dir/bin/btcctl && -f $dir/btcctl.conf ]] ||
    { echo "btcctl.sh: no node set up in $dir (run scripts/regtest-node.sh start $dir)" >&2; exit 1; }
exec "$dir/bin/btcctl" -C "$dir/btcctl.conf" "$@"
