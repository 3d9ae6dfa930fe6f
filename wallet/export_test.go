package wallet

import (
	"errors"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/descriptor"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/message"
)

func TestExportDescriptorsPublicAndPrivateAgree(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	pub, err := w.ExportDescriptors(ExportDescriptorsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pub) != 2 || pub[0].Desc != w.Descriptors()[0].Receive || pub[1].Desc != w.Descriptors()[0].Change {
		t.Fatalf("public %+v", pub)
	}
	priv, err := w.ExportDescriptors(ExportDescriptorsOptions{Private: true, Passphrase: testPass, Keystore: []keystore.Option{cheapKDF}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range priv {
		d, err := descriptor.Parse(priv[i].Desc)
		if err != nil || !strings.Contains(priv[i].Desc, "tprv") {
			t.Fatalf("%s: %v", priv[i].Desc, err)
		}
		p, _ := descriptor.Parse(pub[i].Desc)
		a, _ := d.ScriptAt(3)
		b, _ := p.ScriptAt(3)
		if string(a) != string(b) || priv[i].Range != pub[i].Range {
			t.Fatalf("private and public descriptors differ at %d", i)
		}
	}
	if _, err := w.ExportDescriptors(ExportDescriptorsOptions{Private: true, Passphrase: []byte("no"), Keystore: []keystore.Option{cheapKDF}}); !errors.Is(err, keystore.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
}

func TestExportAccountKey(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, false)
	k, err := w.ExportAccountKey(0, false)
	if err != nil || !strings.HasPrefix(k.Key, "tpub") || k.Purpose != 86 || !k.Main {
		t.Fatalf("%+v %v", k, err)
	}
	if _, err := w.ExportAccountKey(0, true); !errors.Is(err, keys.ErrNoSLIP132) {
		t.Fatalf("taproot SLIP-132: %v", err)
	}
	if k, err := w.ExportAccountKey(84, true); err != nil || !strings.HasPrefix(k.Key, "vpub") || k.Main {
		t.Fatalf("%+v %v", k, err)
	}
	if _, err := w.ExportAccountKey(48, false); !errors.Is(err, ErrBadInput) {
		t.Fatalf("purpose 48: %v", err)
	}
}

func TestSignMessageOwnAddresses(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, false)
	first, err := w.main().keys.Derive(0, 0) // shown by create, never handed out
	if err != nil {
		t.Fatal(err)
	}
	change, _ := w.main().keys.Derive(1, 4) // within the gap of the change chain
	for _, addr := range []string{first.Address, change.Address} {
		sig, err := w.SignMessage(addr, []byte("hi"), testPass, cheapKDF)
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		if err := message.Verify([]byte("hi"), addr, sig, w.Net()); err != nil {
			t.Fatalf("%s: own signature: %v", addr, err)
		}
	}
	// A BIP49 (nested segwit) address takes a BIP322 full signature.
	sh, _ := w.account(49).keys.Derive(0, 0)
	sig, err := w.SignMessage(sh.Address, []byte("hi"), testPass, cheapKDF)
	if err != nil || !strings.HasPrefix(sig, "ful") {
		t.Fatalf("BIP49 address: %.10s %v", sig, err)
	}
	if err := message.Verify([]byte("hi"), sh.Address, sig, w.Net()); err != nil {
		t.Fatalf("BIP49 address: own signature: %v", err)
	}
	far, _ := w.main().keys.Derive(0, 500)
	if _, err := w.MessageAddress(far.Address); !errors.Is(err, ErrNotOurAddress) {
		t.Fatalf("address far past the gap: %v", err)
	}
}

// A payment that carries the silent-payment placeholder without its address would pay an
// unspendable key: it is refused before any coin is chosen.
func TestPlaceholderWithoutSilentAddressIsRefused(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, false)
	_, err := w.PlanSend(SendRequest{Payments: []Payment{{Address: "sp1...", Script: SilentPlaceholder, Type: txbuilder.P2TR, Amount: 5000}},
		FeeRate: txbuilder.SatPerVB(2)})
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "no silent-payment address") {
		t.Fatalf("PlanSend: %v", err)
	}
	if _, _, err := w.AddTip(TipRequest{Payment: Payment{Address: "sp1...", Script: SilentPlaceholder, Type: txbuilder.P2TR, Amount: 5000}}); !errors.Is(err, ErrBadInput) {
		t.Fatalf("AddTip: %v", err)
	}
}
