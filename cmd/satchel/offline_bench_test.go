package main

import (
	"io"
	"os"
	"testing"
	"time"
)

// BenchmarkOfflineCommand times balance, history and utxos in-process (no process start) on a
// wallet left by `SATCHEL_BENCH_KEEP=DIR go test ./wallet -bench CLIOffline`; set
// SATCHEL_BENCH_WALLETS=DIR/100000 (a datadir holding regtest/w).
func BenchmarkOfflineCommand(b *testing.B) {
	dir := os.Getenv("SATCHEL_BENCH_WALLETS")
	if dir == "" {
		b.Skip("set SATCHEL_BENCH_WALLETS to a datadir made by the wallet CLIOffline benchmark")
	}
	for _, cmd := range []string{"balance", "history", "utxos"} {
		b.Run(cmd, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				a := &App{In: os.Stdin, Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }, Now: time.Now}
				if code := run(a, []string{cmd, "--offline", "--json", "--datadir", dir, "--network", "regtest", "--wallet", "w"}); code != 0 {
					b.Fatalf("%s: exit %d", cmd, code)
				}
			}
		})
	}
}
