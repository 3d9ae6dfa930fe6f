package p2p

import (
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// The headers and the filter headers are two files, written one after the other: a run that
// stops between the two after a reorg leaves filter headers of the old chain beside the headers
// of the new one. Loaded as they are, they would not match the filters of the new blocks, and
// every peer would be dropped for it at every run.
func TestFilterHeadersOfAnotherChainAreNotLoaded(t *testing.T) {
	tests := []struct {
		name    string
		crashed bool // only the headers of the new chain reached the disk
		wantMax int  // most filter headers that may be loaded
		wantMin int
	}{
		{"both files written", false, 6, 6},
		{"headers rewritten after a reorg, filter headers not", true, 3, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			b := openForTest(t, dir)
			old := newHeaderChain(testParams())
			br := &branch{base: old, fork: 0}
			for _, h := range chainOf(old, 0, 5, 1) {
				if err := br.add(h, now); err != nil {
					t.Fatal(err)
				}
			}
			br.adopt()
			b.chain = old
			b.fh = make([]chainhash.Hash, 6)
			for i := range b.fh {
				b.fh[i] = chainhash.Hash{byte(i + 1)}
			}
			if err := b.save(); err != nil {
				t.Fatal(err)
			}
			if tc.crashed {
				// A reorg at height 2 to a longer chain; its headers reach the disk alone.
				reorged := newHeaderChain(testParams())
				rb := &branch{base: reorged, fork: 0}
				for _, h := range old.headers[1:3] {
					if err := rb.add(h, now); err != nil {
						t.Fatal(err)
					}
				}
				for _, h := range chainOf(old, 2, 4, 2) {
					if err := rb.add(h, now); err != nil {
						t.Fatal(err)
					}
				}
				rb.adopt()
				if err := writeFile(dir, headersFile, encodeHeaders(reorged.headers)); err != nil {
					t.Fatal(err)
				}
			}
			b2 := openForTest(t, dir)
			if err := b2.load(); err != nil {
				t.Fatal(err)
			}
			if n := len(b2.fh); n > tc.wantMax || n < tc.wantMin {
				t.Fatalf("%d filter headers loaded, want %d to %d", n, tc.wantMin, tc.wantMax)
			}
		})
	}
}

// openForTest is a backend on dir that never connects, with the tests' clock.
func openForTest(t *testing.T, dir string) *Backend {
	t.Helper()
	b, err := New("p2p://127.0.0.1:1", chain.Options{Net: testParams(), DataDir: dir, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	b.now = func() time.Time { return now }
	return b
}
