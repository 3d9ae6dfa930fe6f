package esplora_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora/esploratest"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

const abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

func newWallet(t *testing.T) *wallet.Wallet {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "regtest", "w")
	_, err := wallet.Create(context.Background(), wallet.CreateOptions{Dir: dir, Network: "regtest",
		Type: txbuilder.P2WPKH, Mnemonic: []byte(abandon), Passphrase: []byte("pw"),
		Keystore: []keystore.Option{keystore.WithKDF(keystore.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1})}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := wallet.Open(dir, "regtest", wallet.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// walletScripts derives the BIP84 scripts the wallet will ask about.
func walletScripts(t *testing.T, n uint32) [2][][]byte {
	t.Helper()
	master, err := keys.Master(keys.SeedFromMnemonic([]byte(abandon), nil), &chaincfg.RegressionNetParams)
	if err != nil {
		t.Fatal(err)
	}
	acct, err := keys.DeriveAccount(master, keys.BIP84, &chaincfg.RegressionNetParams, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out [2][][]byte
	for c := uint32(0); c < 2; c++ {
		for i := uint32(0); i < n; i++ {
			d, err := acct.Derive(c, i)
			if err != nil {
				t.Fatal(err)
			}
			out[c] = append(out[c], d.PkScript)
		}
	}
	return out
}

func syncWith(t *testing.T, w *wallet.Wallet, be chain.Backend) wallet.Balance {
	t.Helper()
	if _, err := w.Sync(context.Background(), be, wallet.SyncOptions{GapLimit: 20,
		Now: func() time.Time { return time.Unix(1800000000, 0) }}); err != nil {
		t.Fatalf("sync over %s: %v", be.Name(), err)
	}
	b, err := w.Balance()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A wallet synced through the Esplora client (over the test server, over the fake chain) ends
// up where a wallet synced against the fake chain directly does.
func TestWalletSyncOverEsploraMatchesTheChain(t *testing.T) {
	c := chaintest.New()
	c.Mine(2)
	sc := walletScripts(t, 60)
	s, url := esploratest.Start(t, c)
	s.Watch(append(sc[0], sc[1]...)...)
	hdr, _ := c.BlockHeaders(context.Background(), []int32{0})
	params := chaincfg.RegressionNetParams
	g := hdr[0].BlockHash()
	params.GenesisHash = &g
	be, err := esplora.Open(context.Background(), url, chain.Options{Net: &params})
	if err != nil {
		t.Fatal(err)
	}
	defer be.Close()

	c.AddMempool(chaintest.Pay(1, wire.NewTxOut(50_000, sc[0][0])), chaintest.Pay(2, wire.NewTxOut(20_000, sc[0][0])))
	c.Mine(1)
	c.AddMempool(chaintest.Pay(3, wire.NewTxOut(70_000, sc[0][15]))) // past the first gap
	c.Mine(2)
	c.AddMempool(chaintest.Pay(4, wire.NewTxOut(9_000, sc[1][2])), chaintest.Pay(5, wire.NewTxOut(1_000, sc[0][1])))

	direct, over := newWallet(t), newWallet(t)
	for round := 0; round < 2; round++ {
		want := syncWith(t, direct, c)
		got := syncWith(t, over, be)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: balance over Esplora %+v, direct %+v", round, got, want)
		}
		hw, _ := direct.History(0, 100)
		hg, _ := over.History(0, 100)
		if !reflect.DeepEqual(hg, hw) {
			t.Fatalf("round %d: history over Esplora %+v, direct %+v", round, hg, hw)
		}
		if round == 0 && want.Confirmed != 140_000 {
			t.Fatalf("confirmed %d, want 140000", want.Confirmed)
		}
		c.Mine(1)
	}
}
