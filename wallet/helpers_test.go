package wallet

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

const abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

var cheapKDF = keystore.WithKDF(keystore.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1})

var testPass = []byte("test passphrase")

// newWallet creates a regtest wallet from the abandon mnemonic and opens it for writing.
func newWallet(t testing.TB, typ txbuilder.ScriptType, restored bool) *Wallet {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "regtest", "w")
	_, err := Create(context.Background(), CreateOptions{Dir: dir, Network: "regtest", Type: typ,
		Mnemonic: []byte(abandon), Passphrase: testPass, Restored: restored, Keystore: []keystore.Option{cheapKDF}})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	w, err := Open(dir, "regtest", OpenOptions{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// script returns the script of the wallet's main account at chain/index.
func script(t *testing.T, w *Wallet, chain, index uint32) []byte {
	t.Helper()
	d, err := w.main().keys.Derive(chain, index)
	if err != nil {
		t.Fatal(err)
	}
	return d.PkScript
}

// otherScript returns the script at chain/index of another standard account of the same seed.
func otherScript(t *testing.T, w *Wallet, p keys.Purpose, chain, index uint32) []byte {
	t.Helper()
	a := w.account(uint32(p))
	if a == nil {
		t.Fatalf("no account %d", p)
	}
	d, err := a.keys.Derive(chain, index)
	if err != nil {
		t.Fatal(err)
	}
	return d.PkScript
}

func mustSync(t *testing.T, w *Wallet, c *chaintest.Chain, gap int) SyncResult {
	t.Helper()
	res, err := w.Sync(context.Background(), c, SyncOptions{GapLimit: gap, Now: func() time.Time { return time.Unix(1800000000, 0) }})
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

func mustBalance(t *testing.T, w *Wallet) Balance {
	t.Helper()
	b, err := w.Balance()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func out(v int64, script []byte) *wire.TxOut { return wire.NewTxOut(v, script) }
