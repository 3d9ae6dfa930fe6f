package p2p

import (
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

func testParams() *chaincfg.Params { return &chaincfg.RegressionNetParams }

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"p2p://", "p2p://127.0.0.1:18444,[::1]:1?start=3", "p2p://a", "p2p://a:b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := parseURL(raw, testParams())
		if err == nil && len(got.peers) > maxListedPeers {
			t.Fatalf("%d peers accepted", len(got.peers))
		}
	})
}

func FuzzDecodeFiles(f *testing.F) {
	hs := []wire.BlockHeader{testParams().GenesisBlock.Header}
	f.Add(encodeHeaders(hs))
	f.Add(encodeFilterHeaders(nil, chainhash.Hash{}))
	f.Add(encodeFilterHeaders([]chainhash.Hash{{1}}, chainhash.Hash{2}))
	f.Add([]byte(`{"version":1,"scanned":{},"txs":[{"height":1,"block":"00","raw":"00"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, err := decodeHeaders(data); err == nil {
			if back := encodeHeaders(got); string(back) != string(data) {
				t.Fatal("headers do not encode back")
			}
		}
		if got, tip, err := decodeFilterHeaders(data); err == nil {
			if back := encodeFilterHeaders(got, tip); string(back) != string(data) {
				t.Fatal("filter headers do not encode back")
			}
		}
		if s, err := decodeScan(data); err == nil {
			if _, err := s.encode(); err != nil {
				t.Fatal(err)
			}
		}
		if f, err := parseFilter(data); err == nil {
			_, _ = matchScripts(f, [32]byte{}, [][]byte{{1}})
		}
	})
}
