package wallet

import (
	"context"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// silentPayer is a sender outside the wallet with one P2WPKH coin on the fake chain.
type silentPayer struct {
	priv *btcec.PrivateKey
	coin wire.OutPoint
}

func newSilentPayer(t *testing.T, c *chaintest.Chain, tag uint32) silentPayer {
	t.Helper()
	priv, pub := btcec.PrivKeyFromBytes([]byte{byte(tag), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31})
	wpkh := append([]byte{0x00, 0x14}, make([]byte, 20)...)
	copy(wpkh[2:], chainhash.HashB(pub.SerializeCompressed())[:20])
	fund := chaintest.Pay(tag, wire.NewTxOut(50_000, wpkh))
	c.Mine(1, fund)
	return silentPayer{priv: priv, coin: wire.OutPoint{Hash: fund.TxHash(), Index: 0}}
}

// pay builds (does not mine) a transaction spending the payer's coin to addr.
func (p silentPayer) pay(t *testing.T, addr string, amount int64) *wire.MsgTx {
	t.Helper()
	a, err := silentpay.ParseAddress(addr, regtestNet(t))
	if err != nil {
		t.Fatal(err)
	}
	outs, err := silentpay.CreateOutputs([]silentpay.InputKey{{OutPoint: p.coin, Priv: p.priv}}, []*silentpay.Address{a})
	if err != nil {
		t.Fatal(err)
	}
	tx := wire.NewMsgTx(2)
	// The scanner reads the key from the witness; the fake chain checks no signatures.
	tx.AddTxIn(wire.NewTxIn(&p.coin, nil, wire.TxWitness{make([]byte, 71), p.priv.PubKey().SerializeCompressed()}))
	tx.AddTxOut(wire.NewTxOut(amount, silentpay.OutputScript(outs[a.String()][0])))
	return tx
}

func regtestNet(t *testing.T) *chaincfg.Params {
	t.Helper()
	n, err := NetworkParams("regtest")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func silentSync(t *testing.T, w *Wallet, c *chaintest.Chain) *SilentScanResult {
	t.Helper()
	res, err := w.Sync(context.Background(), c, SyncOptions{Now: func() time.Time { return time.Unix(1800000000, 0) }})
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res.Silent
}

// The scan's life on a chain that moves: found in the mempool (pending), then in a block;
// a later sync resumes without rescanning; a reorg that drops the block forgets the coin;
// the payment mined again is found again, at its new height.
func TestSilentScanFollowsTheChain(t *testing.T) {
	c := chaintest.New()
	c.Mine(3)
	w := newWallet(t, txbuilder.P2TR, false)
	info, err := w.SilentAddress(SilentRequest{Passphrase: func() ([]byte, error) { return append([]byte(nil), testPass...), nil },
		Keystore: []keystore.Option{cheapKDF}, Birthday: c.Height()})
	if err != nil {
		t.Fatal(err)
	}
	payer := newSilentPayer(t, c, 7)
	tx := payer.pay(t, info.Address, 12_000)

	c.AddMempool(tx)
	if r := silentSync(t, w, c); r == nil || r.Found != 1 || r.Blocks != 2 { // the birthday block and the payer's funding
		t.Fatalf("mempool sync: %+v", r)
	}
	if b := mustBalance(t, w); b.Unconfirmed != 12_000 || b.Confirmed != 0 {
		t.Fatalf("pending: %+v", b)
	}

	c.Mine(1)
	if r := silentSync(t, w, c); r.Found != 1 || r.Blocks != 1 || r.Height != c.Height() {
		t.Fatalf("block sync: %+v", r)
	}
	if b := mustBalance(t, w); b.Confirmed != 12_000 {
		t.Fatalf("confirmed: %+v", b)
	}
	if r := silentSync(t, w, c); r.Blocks != 0 || r.Found != 0 {
		t.Fatalf("a sync with nothing new rescanned: %+v", r)
	}

	// The block leaves the chain and the payment with it.
	c.Disconnect(1)
	c.RemoveMempool(tx.TxHash())
	c.Mine(2)
	if r := silentSync(t, w, c); r.Dropped != 1 || r.Found != 0 || r.Blocks != 2 {
		t.Fatalf("reorg sync: %+v", r)
	}
	if b := mustBalance(t, w); b.Confirmed != 0 || b.Unconfirmed != 0 {
		t.Fatalf("after the reorg: %+v", b)
	}
	var outs map[string]store.SilentOut
	w.st.View(func(st *store.Txn) error { outs, _ = st.SilentOuts(); return nil })
	if len(outs) != 0 {
		t.Fatalf("forgotten outputs still stored: %+v", outs)
	}

	// Mined again, in a new block: found again at its new height.
	c.Mine(1, tx)
	if r := silentSync(t, w, c); r.Found != 1 {
		t.Fatalf("re-mined: %+v", r)
	}
	if b := mustBalance(t, w); b.Confirmed != 12_000 {
		t.Fatalf("re-mined: %+v", b)
	}
	w.st.View(func(st *store.Txn) error { outs, _ = st.SilentOuts(); return nil })
	for _, o := range outs {
		if o.Height != c.Height() {
			t.Fatalf("found at %d, mined at %d", o.Height, c.Height())
		}
	}
}

// A birthday given as a date becomes, at the next sync, the first block at most a day older
// than it (block times are not in order, a day's margin misses nothing).
func TestSilentBirthdayDateResolvesToHeight(t *testing.T) {
	c := chaintest.New()
	c.Mine(400) // fake blocks are 600 s apart from 1700000000
	w := newWallet(t, txbuilder.P2TR, false)
	date := time.Unix(1700000000+300*600, 0) // block 300's time
	err := w.SetSilentBirthday(SilentRequest{Passphrase: func() ([]byte, error) { return append([]byte(nil), testPass...), nil },
		Keystore: []keystore.Option{cheapKDF}}, date)
	if err != nil {
		t.Fatal(err)
	}
	r := silentSync(t, w, c)
	var birthday int32
	w.st.View(func(tx *store.Txn) error { birthday, _, _ = tx.SilentHeights(); return nil })
	if want := int32(300 - 144); birthday != want || r.Blocks != int(c.Height()-want+1) {
		t.Fatalf("birthday %d (want %d), %d blocks scanned", birthday, want, r.Blocks)
	}
}

// A wallet whose silent-payment address an older satchel handed out (without scanning) scans
// from its creation date, not from today's tip: payments may already be waiting.
func TestSilentBirthdayOfAnAddressHandedOutBefore(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, false)
	if err := w.st.Update(func(tx *store.Txn) error { return tx.PutSetting("sp-address", "tsp1q...") }); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SilentAddress(SilentRequest{Passphrase: func() ([]byte, error) { return append([]byte(nil), testPass...), nil },
		Keystore: []keystore.Option{cheapKDF}, Birthday: 5000}); err != nil {
		t.Fatal(err)
	}
	var when int64
	var ok bool
	w.st.View(func(tx *store.Txn) error { when = tx.SilentBirthdayTime(); _, _, ok = tx.SilentHeights(); return nil })
	if ok || when != w.Meta().Created.Unix() {
		t.Fatalf("birthday height set %v, date %d, want the creation date %d", ok, when, w.Meta().Created.Unix())
	}
}
