#!/usr/bin/env bash
# fuzz-briefly.sh: run every fuzz target in the module for a few seconds each (CI), or longer:
#   FUZZTIME=10m scripts/fuzz-briefly.sh     # the documented long run (BENCHMARKS.md)
# A crasher is written by go test under the package's testdata/fuzz/ and fails the run.
set -euo pipefail
export GOTOOLCHAIN=local
cd "$(dirname "${BASH_SOURCE[0]}")/.."
FUZZTIME=${FUZZTIME:-3s}
n=0
for pkg in $(go list ./...); do
    dir=$(go list -f '{{.Dir}}' "$pkg")
    for fuzz in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
        go test -run '^$' -fuzz "^${fuzz}\$" -fuzztime "$FUZZTIME" "$pkg" >/tmp/fuzz-$$.log 2>&1 || { cat /tmp/fuzz-$$.log; exit 1; }
        n=$((n + 1))
    done
done
echo "fuzz: $n targets ran for $FUZZTIME each, no crashers"
