package netutil_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func sampleTx() *wire.MsgTx {
	tx := wire.NewMsgTx(2)
	prev := chainhash.DoubleHashH([]byte("prev"))
	in := wire.NewTxIn(wire.NewOutPoint(&prev, 1), nil, wire.TxWitness{{1, 2, 3}, {4}})
	tx.AddTxIn(in)
	tx.AddTxOut(wire.NewTxOut(5000, []byte{0x00, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}))
	return tx
}

func TestParseHashRefusesShortHashes(t *testing.T) {
	h := chainhash.DoubleHashH([]byte("x"))
	if got, err := netutil.ParseHash(h.String()); err != nil || got != h {
		t.Fatalf("ParseHash(%s) = %s, %v", h, got, err)
	}
	for _, s := range []string{"", "abcd", h.String() + "00", strings.Repeat("z", 64)} {
		if _, err := netutil.ParseHash(s); err == nil {
			t.Errorf("ParseHash(%q) accepted", s)
		}
	}
}

func TestDecodeTx(t *testing.T) {
	tx := sampleTx()
	hexTx, err := netutil.EncodeTx(tx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := netutil.DecodeTx(hexTx, tx.TxHash())
	if err != nil || got.TxHash() != tx.TxHash() {
		t.Fatalf("round trip: %v", err)
	}
	// The witness is not committed by the txid a server is checked against: it is dropped.
	if got.HasWitness() {
		t.Fatalf("DecodeTx kept a witness the txid does not vouch for: %v", got.TxIn[0].Witness)
	}
	other := chainhash.DoubleHashH([]byte("other"))
	for name, tc := range map[string]struct {
		hex  string
		want chainhash.Hash
		msg  string
	}{
		"wrong id":    {hexTx, other, "asked for transaction"},
		"stray bytes": {hexTx + "00", tx.TxHash(), "stray bytes"},
		"not hex":     {"zz", tx.TxHash(), "not hex"},
		"truncated":   {hexTx[:20], tx.TxHash(), "does not decode"},
	} {
		if _, err := netutil.DecodeTx(tc.hex, tc.want); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.msg)
		}
	}
}

func TestDecodeHeader(t *testing.T) {
	h := wire.BlockHeader{Version: 4, Timestamp: time.Unix(1700000000, 0), Bits: 0x207fffff, Nonce: 7}
	h.MerkleRoot = chainhash.DoubleHashH([]byte("m"))
	got, err := netutil.DecodeHeader(netutil.EncodeHeader(&h))
	if err != nil || got.BlockHash() != h.BlockHash() {
		t.Fatalf("round trip: %v", err)
	}
	for _, s := range []string{"", "zz", netutil.EncodeHeader(&h)[:158], netutil.EncodeHeader(&h) + "00"} {
		if _, err := netutil.DecodeHeader(s); err == nil {
			t.Errorf("DecodeHeader(%q) accepted", s)
		}
	}
}

// FuzzDecodeHeader: any accepted header encodes back to the same text (lower-cased).
func FuzzDecodeHeader(f *testing.F) {
	h := wire.BlockHeader{Version: 4, Timestamp: time.Unix(1700000000, 0), Bits: 0x207fffff}
	f.Add(netutil.EncodeHeader(&h))
	f.Add("00")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := netutil.DecodeHeader(s)
		if err != nil {
			return
		}
		if enc := netutil.EncodeHeader(got); enc != strings.ToLower(s) {
			t.Fatalf("%q decodes and encodes to %q", s, enc)
		}
	})
}

// FuzzDecodeTx: whatever the text, DecodeTx never panics, and an accepted transaction has the
// asked id, no witness, and encodes to a text that decodes to itself.
func FuzzDecodeTx(f *testing.F) {
	tx := sampleTx()
	s, _ := netutil.EncodeTx(tx)
	f.Add(s)
	f.Add("0100000000")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := netutil.DecodeTx(s, tx.TxHash())
		if err != nil {
			return
		}
		if got.HasWitness() || got.TxHash() != tx.TxHash() {
			t.Fatalf("accepted %q as %v", s, got)
		}
		enc, _ := netutil.EncodeTx(got)
		again, err := netutil.DecodeTx(enc, tx.TxHash())
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("accepted %q, which encodes to %q, which decodes to %v, %v", s, enc, again, err)
		}
	})
}
