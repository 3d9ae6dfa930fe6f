package wallet

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/psbt/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/descriptor"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// watchOf makes a watch-only wallet of w's main account from its descriptors.
func watchOf(t *testing.T, w *Wallet) *Wallet {
	t.Helper()
	d := w.Descriptors()[0]
	dir := filepath.Join(t.TempDir(), "regtest", "cold")
	if _, err := CreateWatchOnly(context.Background(), WatchOnlyOptions{Dir: dir, Network: "regtest",
		Descriptors: []string{d.Receive, d.Change}}); err != nil {
		t.Fatal(err)
	}
	cold, err := Open(dir, "regtest", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cold.Close() })
	return cold
}

// planPSBT funds the watch-only wallet with two coins and plans a payment with change from it.
func planPSBT(t *testing.T, typ txbuilder.ScriptType) (hot, cold *Wallet, fc *chaintest.Chain, p *psbt.Packet) {
	t.Helper()
	hot = newWallet(t, typ, false)
	cold = watchOf(t, hot)
	fc = chaintest.New()
	fc.Mine(1, chaintest.Pay(1, out(30_000, script(t, hot, 0, 0)), out(40_000, script(t, hot, 0, 1))))
	mustSync(t, hot, fc, 5)
	mustSync(t, cold, fc, 5)
	payee, _ := address.Decode("bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h", address.Networks()["regtest"])
	plan, err := cold.PlanSend(SendRequest{Payments: []Payment{{Address: "x", Script: payee.PkScript, Type: txbuilder.P2WPKH, Amount: 50_000}},
		FeeRate: txbuilder.SatPerVB(2), Rand: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		t.Fatal(err)
	}
	if p, err = cold.PSBT(plan); err != nil {
		t.Fatal(err)
	}
	return hot, cold, fc, p
}

// The seed's wallet signs what its watch-only twin planned; the watch-only wallet cannot sign,
// and the transaction broadcast from it is recorded as pending.
func TestPSBTWatchOnlyToSeedAndBack(t *testing.T) {
	for _, typ := range []txbuilder.ScriptType{txbuilder.P2TR, txbuilder.P2WPKH} {
		t.Run(typ.String(), func(t *testing.T) {
			hot, cold, fc, p := planPSBT(t, typ)
			if _, err := cold.PlanPSBTSigning(p); !errors.Is(err, keys.ErrWatchOnly) {
				t.Fatalf("watch-only wallet planned signing: %v", err)
			}
			s, err := cold.AnalyzePSBT(p)
			if err != nil {
				t.Fatal(err)
			}
			changes := 0
			for _, o := range s.Outputs {
				if o.Change {
					changes++
				}
			}
			if s.Spent != 70_000 || changes != 1 || s.Next != PSBTNextSigner || s.Complete || !s.FeeKnown {
				t.Fatalf("summary %+v", s)
			}
			sp, err := hot.PlanPSBTSigning(p)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := hot.SignPSBT(p, sp, []byte("wrong"), cheapKDF); err == nil {
				t.Fatal("signed with a wrong passphrase")
			}
			res, err := hot.SignPSBT(p, sp, testPass, cheapKDF)
			if err != nil || !res.Complete || len(res.Signed) != 2 {
				t.Fatalf("sign %+v %v", res, err)
			}
			if s := AnalyzePSBT(p, cold.Net()); s.Next != PSBTNextFinalizer || s.Inputs[0].Status != InputSigned {
				t.Fatalf("after signing: next %s, input %s", s.Next, s.Inputs[0].Status)
			}
			tx, id, err := cold.BroadcastPSBT(context.Background(), fc, p, "rent", cold.meta.Created)
			if err != nil || tx.TxHash() != id {
				t.Fatal(err)
			}
			if ok, _ := cold.KnowsTx(id); !ok {
				t.Fatal("broadcast from the watch-only wallet was not recorded")
			}
			if after := AnalyzePSBT(p, cold.Net()); !after.Complete || !after.VSizeExact || after.Next != PSBTNextExtractor {
				t.Fatalf("after broadcast %+v", after)
			}
		})
	}
}

// A PSBT whose output claims the wallet's change path but pays someone else is refused
// before the passphrase is asked.
func TestPSBTChangeClaimRefused(t *testing.T) {
	hot, _, _, p := planPSBT(t, txbuilder.P2WPKH)
	var change, payee int
	for i, o := range p.Outputs {
		if len(o.Bip32Derivation) > 0 {
			change = i
		} else {
			payee = i
		}
	}
	p.Outputs[payee].Bip32Derivation = p.Outputs[change].Bip32Derivation
	_, err := hot.PlanPSBTSigning(p)
	if !errors.Is(err, ErrChangeNotOurs) || !errors.Is(err, txbuilder.ErrPSBTRefused) {
		t.Fatalf("claim not refused: %v", err)
	}
}

// Watch-only descriptions satchel refuses, each for its reason.
func TestWatchAccountRefusals(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	d := w.Descriptors()[0]
	multi := descriptor.ForAccountMultipath(w.main().keys)
	xpub := w.main().keys.Xpub.String()
	for _, tc := range []struct {
		name string
		o    WatchOnlyOptions
		is   error
		sub  string
	}{
		{"nothing", WatchOnlyOptions{}, ErrBadInput, "needs descriptors"},
		{"both", WatchOnlyOptions{Descriptors: []string{multi}, Xpub: xpub}, ErrBadInput, "not both"},
		{"fingerprint with descriptors", WatchOnlyOptions{Descriptors: []string{multi}, Fingerprint: "73c5da0a"}, ErrBadInput, "origin"},
		{"receive twice", WatchOnlyOptions{Descriptors: []string{d.Receive, d.Receive}}, ErrBadInput, "two descriptors"},
		{"change only", WatchOnlyOptions{Descriptors: []string{d.Change}}, ErrBadInput, "receive"},
		{"plain tpub without type", WatchOnlyOptions{Xpub: xpub}, ErrBadInput, "type"},
		{"bad fingerprint", WatchOnlyOptions{Xpub: xpub, Type: txbuilder.P2WPKH, Fingerprint: "xyz"}, ErrBadInput, "fingerprint"},
		{"private descriptor", WatchOnlyOptions{Descriptors: []string{"wpkh(tprv8ZgxMBicQKsPd9TeAdPADNnSyH9SSUUbTVeFszDE23Ki6TBB5nCefAdHkK8Fm3qMQR6sHwA56zqRmKmxnHk37JkiFzvncDqoKmPWubu7hDF/84h/1h/0h/<0;1>/*)"}},
			descriptor.ErrUnsupported, "private key"},
		{"single key", WatchOnlyOptions{Descriptors: []string{"wpkh(02e7ab2537b5d49e970309aae06e9e49f36ce1c9febbd44ec8e0d1cca0b4f9c319)"}},
			descriptor.ErrUnsupported, "extended public key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.o.Network = "regtest"
			_, err := WatchAccount(tc.o)
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.sub) {
				t.Fatalf("error %v, want %v mentioning %q", err, tc.is, tc.sub)
			}
		})
	}
	// And what it accepts gives the same account as the seed wallet's.
	for _, o := range []WatchOnlyOptions{{Descriptors: []string{multi}}, {Descriptors: []string{d.Change, d.Receive}},
		{Xpub: xpub, Type: txbuilder.P2WPKH, Fingerprint: "73c5da0a"}} {
		o.Network = "regtest"
		a, err := WatchAccount(o)
		if err != nil {
			t.Fatal(err)
		}
		if a.Xpub.String() != xpub || keys.FormatFingerprint(a.Fingerprint) != "73c5da0a" || a.Purpose != keys.BIP84 {
			t.Fatalf("account %s %08x %d", a.Xpub, a.Fingerprint, a.Purpose)
		}
	}
}

// FuzzAnalyzePSBT: describing any decodable PSBT, with no wallet, never panics, and what it
// says holds together.
func FuzzAnalyzePSBT(f *testing.F) {
	raw, err := os.ReadFile("../testdata/psbt-vectors.json")
	if err != nil {
		f.Fatal(err)
	}
	var v map[string]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &v); err != nil {
		f.Fatal(err)
	}
	for _, top := range []string{"bip174", "bip371"} {
		for _, k := range []string{"valid", "invalid", "fails_signer_checks"} {
			var list []struct{ Hex string }
			json.Unmarshal(v[top][k], &list)
			for _, e := range list {
				b, _ := hex.DecodeString(e.Hex)
				f.Add(b)
			}
		}
	}
	net, _ := NetworkParams("testnet")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := txbuilder.DecodePSBT(data)
		if err != nil {
			return
		}
		s := AnalyzePSBT(p, net)
		if len(s.Inputs) != len(p.Inputs) || len(s.Outputs) != len(p.Outputs) {
			t.Fatalf("%d/%d inputs, %d/%d outputs", len(s.Inputs), len(p.Inputs), len(s.Outputs), len(p.Outputs))
		}
		if s.Complete != (s.Next == PSBTNextExtractor) {
			t.Fatalf("complete %v with next %s", s.Complete, s.Next)
		}
		s.FeeRate()
	})
}
