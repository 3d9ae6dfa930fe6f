package wallet

import (
	"context"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
)

// fakeMatcher answers MatchBlock with txs whatever it is asked, and records what it was asked.
type fakeMatcher struct {
	txs    []*wire.MsgTx
	err    error
	asked  [][]byte
	height int32
	hash   chainhash.Hash
}

func (f *fakeMatcher) MatchBlock(_ context.Context, height int32, hash chainhash.Hash, scripts [][]byte) ([]*wire.MsgTx, error) {
	f.asked, f.height, f.hash = scripts, height, hash
	return f.txs, f.err
}

func TestMatchCandidates(t *testing.T) {
	var out [3][32]byte
	for i := range out {
		out[i][0] = byte(i + 1)
	}
	cands := []tweakCandidate{{tweak: 0, cand: silentpay.Candidate{Output: out[0]}},
		{tweak: 1, cand: silentpay.Candidate{Output: out[1], Label: 3, Labelled: true}},
		{tweak: 2, cand: silentpay.Candidate{Output: out[2]}}}
	scripts := make([][]byte, len(cands))
	for i, c := range cands {
		scripts[i] = keys.P2TRScript(c.cand.Output[:])
	}
	pays := func(lock uint32, ss ...[]byte) *wire.MsgTx {
		tx := wire.NewMsgTx(2)
		tx.LockTime = lock // distinct ids
		tx.AddTxOut(wire.NewTxOut(1000, []byte{0x00, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}))
		for _, s := range ss {
			tx.AddTxOut(wire.NewTxOut(5000, s))
		}
		return tx
	}
	hash := chainhash.Hash{7}
	tests := []struct {
		name     string
		txs      []*wire.MsgTx
		seen     [][]byte
		err      error
		wantHits map[int]uint32 // tweak -> vout
		wantTx   map[int]int    // tweak -> index in txs
		asked    int
	}{
		{name: "nothing in the block", asked: 3},
		{name: "one paid, output 1", txs: []*wire.MsgTx{pays(1, scripts[1])}, wantHits: map[int]uint32{1: 1}, wantTx: map[int]int{1: 0}, asked: 3},
		{name: "two paid, in two transactions", txs: []*wire.MsgTx{pays(1, scripts[2]), pays(2, scripts[1], scripts[0])},
			wantHits: map[int]uint32{0: 2, 1: 1, 2: 1}, wantTx: map[int]int{0: 1, 1: 1, 2: 0}, asked: 3},
		{name: "a script paid twice counts once, first transaction", txs: []*wire.MsgTx{pays(1, scripts[0]), pays(2, scripts[0])},
			wantHits: map[int]uint32{0: 1}, wantTx: map[int]int{0: 0}, asked: 3},
		{name: "a transaction paying none of them is ignored", txs: []*wire.MsgTx{pays(1)}, asked: 3},
		{name: "found before: not asked, not counted", txs: []*wire.MsgTx{pays(1, scripts[0])}, seen: [][]byte{scripts[0]}, asked: 2},
		{name: "all found before: nothing asked", seen: scripts, asked: -1},
		{name: "backend error", err: chain.ErrUnreachable, asked: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &fakeMatcher{txs: tc.txs, err: tc.err}
			seen := map[string]bool{}
			for _, s := range tc.seen {
				seen[string(s)] = true
			}
			hits, err := matchCandidates(context.Background(), m, 9, hash, cands, scripts, seen)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("error %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.asked < 0 {
				if m.asked != nil {
					t.Fatalf("asked about %d scripts, want no call", len(m.asked))
				}
			} else if len(m.asked) != tc.asked || m.height != 9 || m.hash != hash {
				t.Fatalf("asked about %d scripts at %d %s, want %d at 9 %s", len(m.asked), m.height, m.hash, tc.asked, hash)
			}
			if len(hits) != len(tc.wantHits) {
				t.Fatalf("%d hits, want %d: %+v", len(hits), len(tc.wantHits), hits)
			}
			for _, h := range hits {
				vout, ok := tc.wantHits[h.tweak]
				if !ok || h.hit.vout != vout || h.hit.height != 9 || h.hit.txid != tc.txs[tc.wantTx[h.tweak]].TxHash() ||
					string(h.hit.script) != string(scripts[h.tweak]) || h.hit.found.Output != cands[h.tweak].cand.Output ||
					h.hit.found.Labelled != cands[h.tweak].cand.Labelled || !seen[string(h.hit.script)] {
					t.Fatalf("hit %+v does not match tweak %d's candidate at vout %d", h, h.tweak, vout)
				}
			}
		})
	}
}
