package wallet

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
)

// receivingVector is the part of a BIP352 vector case that a receiver sees.
type receivingVector struct {
	Comment   string `json:"comment"`
	Receiving []struct {
		Given struct {
			Vin []struct {
				Txid      string `json:"txid"`
				Vout      uint32 `json:"vout"`
				ScriptSig string `json:"scriptSig"`
				Witness   string `json:"txinwitness"`
				Prevout   struct {
					ScriptPubKey struct {
						Hex string `json:"hex"`
					} `json:"scriptPubKey"`
				} `json:"prevout"`
			} `json:"vin"`
			Outputs     []string `json:"outputs"`
			Labels      []uint32 `json:"labels"`
			KeyMaterial struct {
				ScanPrivKey  string `json:"scan_priv_key"`
				SpendPrivKey string `json:"spend_priv_key"`
			} `json:"key_material"`
		} `json:"given"`
		Expected struct {
			Outputs []struct {
				PrivKeyTweak string `json:"priv_key_tweak"`
				PubKey       string `json:"pub_key"`
			} `json:"outputs"`
			NOutputs *int `json:"n_outputs"`
		} `json:"expected"`
	} `json:"receiving"`
}

func hexOf(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("hex %q: %v", s, err)
	}
	return b
}

func witnessOf(t *testing.T, s string) wire.TxWitness {
	t.Helper()
	if s == "" {
		return nil
	}
	r := bytes.NewReader(hexOf(t, s))
	n, err := wire.ReadVarInt(r, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := make(wire.TxWitness, n)
	for i := range w {
		if w[i], err = wire.ReadVarBytes(r, 0, 1<<20, "witness"); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// Every receiving case of the BIP352 vectors goes through the code sync runs on a block's
// transactions (scanSilentTxs: the transaction as the node serves it, with the scripts its
// inputs spend, spread over the workers), and each found output's key is the one that signs
// for it when it is spent (spend key + tweak, inputPrivKey's formula).
func TestSilentScanFindsBIP352Vectors(t *testing.T) {
	raw, err := os.ReadFile("../testdata/bip352-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []receivingVector
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cases {
		for j, r := range c.Receiving {
			n++
			tx := wire.NewMsgTx(2)
			var prev [][]byte
			for _, v := range r.Given.Vin {
				h, err := chainhash.NewHashFromStr(v.Txid)
				if err != nil {
					t.Fatal(err)
				}
				in := wire.NewTxIn(&wire.OutPoint{Hash: *h, Index: v.Vout}, hexOf(t, v.ScriptSig), witnessOf(t, v.Witness))
				tx.AddTxIn(in)
				prev = append(prev, hexOf(t, v.Prevout.ScriptPubKey.Hex))
			}
			// A non-taproot output first, so output positions differ from taproot key positions.
			tx.AddTxOut(wire.NewTxOut(1000, append([]byte{0x00, 0x14}, make([]byte, 20)...)))
			for _, o := range r.Given.Outputs {
				tx.AddTxOut(wire.NewTxOut(1000, append([]byte{0x51, 0x20}, hexOf(t, o)...)))
			}
			scanPriv, _ := btcec.PrivKeyFromBytes(hexOf(t, r.Given.KeyMaterial.ScanPrivKey))
			spendPriv, _ := btcec.PrivKeyFromBytes(hexOf(t, r.Given.KeyMaterial.SpendPrivKey))
			sc, err := silentpay.NewScanner(scanPriv, spendPriv.PubKey(), r.Given.Labels...)
			if err != nil {
				t.Fatal(err)
			}
			// Other transactions around it, so the workers share a block.
			block := []chain.ScanTx{{Tx: wire.NewMsgTx(2)}, {Tx: tx, PrevScripts: prev}, {Tx: wire.NewMsgTx(2)}}
			hits, err := scanSilentTxs(context.Background(), sc, 7, block)
			if err != nil {
				t.Fatalf("%s, receiving %d: %v", c.Comment, j, err)
			}
			if r.Expected.NOutputs != nil {
				if len(hits) != *r.Expected.NOutputs {
					t.Errorf("%s, receiving %d: %d outputs found, want %d", c.Comment, j, len(hits), *r.Expected.NOutputs)
				}
				continue
			}
			want := map[string]string{}
			for _, o := range r.Expected.Outputs {
				want[o.PubKey] = o.PrivKeyTweak
			}
			if len(hits) != len(want) {
				t.Errorf("%s, receiving %d: %d outputs found, want %d", c.Comment, j, len(hits), len(want))
			}
			for _, h := range hits {
				key := hex.EncodeToString(h.script[2:])
				tw := h.found.Tweak.Bytes()
				if want[key] != hex.EncodeToString(tw[:]) {
					t.Errorf("%s, receiving %d: found %s with tweak %x, want tweak %q", c.Comment, j, key, tw, want[key])
				}
				if h.height != 7 || h.txid != tx.TxHash() || !bytes.Equal(tx.TxOut[h.vout].PkScript, h.script) {
					t.Errorf("%s, receiving %d: hit placed at height %d, %s:%d", c.Comment, j, h.height, h.txid, h.vout)
				}
				d, err := silentpay.SpendPrivKey(spendPriv, &h.found.Tweak)
				if err != nil || !bytes.Equal(schnorr.SerializePubKey(d.PubKey()), h.script[2:]) {
					t.Errorf("%s, receiving %d: the spend key does not give output %s (%v)", c.Comment, j, key, err)
				}
			}
		}
	}
	if n < 25 {
		t.Fatalf("only %d receiving cases read", n)
	}
}
