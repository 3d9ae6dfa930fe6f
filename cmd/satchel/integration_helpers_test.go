package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcjson"
	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora/esploratest"
	"github.com/satchel-wallet/satchel/wallet/descriptor"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// nodeCLI is a CLI wired to a fresh regtest node. SATCHEL_TEST_BACKEND picks how satchel
// reaches it: btcd (default, JSON-RPC), esplora or electrum (a test server speaking that protocol
// in front of the node) or p2p (the node as a peer), so the same suite runs over every backend.
func nodeCLI(t *testing.T, opts ...regtest.Option) (*cli, *regtest.Node) {
	t.Helper()
	n := regtest.Start(t, opts...)
	c := newCLI(t)
	c.env["SATCHEL_BACKEND"] = n.URL()
	kind := os.Getenv("SATCHEL_TEST_BACKEND")
	if kind == "" || kind == "btcd" {
		return c, n
	}
	be, err := btcd.Open(context.Background(), n.URL(), chain.Options{Net: regtest.Net})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { be.Close() })
	switch kind {
	case "esplora":
		srv, url := esploratest.Start(t, be)
		c.env["SATCHEL_BACKEND"], c.watch = url, srv.Watch
	case "electrum":
		srv := electrumtest.Start(t, be)
		c.env["SATCHEL_BACKEND"], c.watch = srv.URL(), srv.Watch
	case "p2p":
		// The node itself, as a peer serving compact block filters; fee estimates from an
		// Esplora test server in front of it, as a user sets fee-source (the peers give none).
		c.env["SATCHEL_BACKEND"] = "p2p://" + n.P2PAddr()
		_, url := esploratest.Start(t, be)
		c.env["SATCHEL_FEE_SOURCE"] = url
	default:
		t.Fatalf("SATCHEL_TEST_BACKEND=%q: use btcd, esplora, electrum or p2p", kind)
	}
	return c, n
}

// registerScripts tells a test server which scripts exist: Esplora and Electrum servers are
// asked by script hash, which cannot be turned back into a script. Every account of every
// wallet in the test's home gets its first 120 receive and change scripts registered, once.
func (c *cli) registerScripts() {
	if c.watch == nil {
		return
	}
	dbs, _ := filepath.Glob(filepath.Join(c.home, "*", "*", store.FileName))
	for _, db := range dbs {
		st, err := store.Open(db, store.Options{ReadOnly: true, Timeout: time.Second})
		if err != nil {
			continue
		}
		var accts []store.Account
		st.View(func(tx *store.Txn) error { accts, _ = tx.Accounts(); return nil })
		st.Close()
		for _, a := range accts {
			if c.watched[a.Xpub+a.Descriptor] {
				continue
			}
			var ka interface {
				Derive(chain, index uint32) (*keys.Derived, error)
			}
			var err error
			if a.Descriptor != "" {
				ka, err = multisigScripts(a.Descriptor)
			} else {
				ka, err = keys.NewAccountFromXpub(a.Xpub, keys.Purpose(a.Purpose), 0, regtest.Net)
			}
			if err != nil {
				c.t.Fatalf("watch %s: %v", a.Xpub, err)
			}
			var scripts [][]byte
			for ch := uint32(0); ch < 2; ch++ {
				for i := uint32(0); i < 120; i++ {
					d, err := ka.Derive(ch, i)
					if err != nil {
						c.t.Fatal(err)
					}
					scripts = append(scripts, d.PkScript)
				}
			}
			c.watch(scripts...)
			if c.watched == nil {
				c.watched = map[string]bool{}
			}
			c.watched[a.Xpub+a.Descriptor] = true
		}
	}
}

func decodeJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return v
}

// receiveAddr hands out the next address of wallet w.
func (c *cli) receiveAddr(w string) string {
	c.t.Helper()
	r := c.mustRun("", "receive", "--json", "--wallet", w, "--offline")
	return decodeJSON[receiveJSON](c.t, r.out).Address
}

func (c *cli) balance(w string) balanceJSON {
	c.t.Helper()
	r := c.mustRun("", "balance", "--json", "--wallet", w)
	return decodeJSON[balanceJSON](c.t, r.out)
}

func (c *cli) history(w string) []historyJSON {
	c.t.Helper()
	r := c.mustRun("", "history", "--json", "--wallet", w)
	return decodeJSON[[]historyJSON](c.t, r.out)
}

// fund pays each amount to a fresh address of wallet w from the faucet, and mines a block.
func (c *cli) fund(n *regtest.Node, w string, amounts ...txbuilder.Amount) {
	c.t.Helper()
	for _, a := range amounts {
		n.Send(c.t, c.receiveAddr(w), a)
	}
	n.Mine(c.t, 1)
}

// realFeeRate asks the node for a transaction's vsize and computes its fee from its inputs, in
// sat/kvB, rounded down: what the network sees.
func realFeeRate(t *testing.T, n *regtest.Node, txid string) (fee int64, vsize int64, rate txbuilder.FeeRate) {
	t.Helper()
	h, err := chainhash.NewHashFromStr(txid)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := n.RPC().RawRequest("getrawtransaction", []json.RawMessage{json.RawMessage(`"` + h.String() + `"`), json.RawMessage("1")})
	if err != nil {
		t.Fatalf("getrawtransaction %s: %v", txid, err)
	}
	var tx btcjson.TxRawResult
	if err := json.Unmarshal(raw, &tx); err != nil {
		t.Fatal(err)
	}
	var in, out int64
	for _, o := range tx.Vout {
		out += btcToSat(t, o.Value)
	}
	for _, vin := range tx.Vin {
		praw, err := n.RPC().RawRequest("getrawtransaction", []json.RawMessage{json.RawMessage(`"` + vin.Txid + `"`), json.RawMessage("1")})
		if err != nil {
			t.Fatal(err)
		}
		var p btcjson.TxRawResult
		if err := json.Unmarshal(praw, &p); err != nil {
			t.Fatal(err)
		}
		in += btcToSat(t, p.Vout[vin.Vout].Value)
	}
	fee = in - out
	vsize = int64(tx.Vsize)
	if vsize == 0 {
		vsize = int64((tx.Weight + 3) / 4)
	}
	return fee, vsize, txbuilder.FeeRate(fee * 1000 / vsize)
}

func btcToSat(t *testing.T, v float64) int64 {
	if v == 0 {
		return 0 // an OP_RETURN output
	}
	// The node's JSON has at most 8 decimals; go through text, not float arithmetic.
	a, err := txbuilder.ParseAmount(strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.8f", v), "0"), ".") + "btc")
	if err != nil {
		t.Fatalf("amount %v: %v", v, err)
	}
	return int64(a)
}

// assertFeeRate checks that a broadcast transaction pays at least rate on the vsize the node counts.
func assertFeeRate(t *testing.T, n *regtest.Node, txid string, rate txbuilder.FeeRate, wantFee int64) {
	t.Helper()
	fee, vsize, real := realFeeRate(t, n, txid)
	if fee != wantFee {
		t.Errorf("tx %s: node sees fee %d, satchel said %d", txid, fee, wantFee)
	}
	if fee < int64(rate.FeeForVSize(vsize)) {
		t.Errorf("tx %s pays %d sat for %d vB (%s sat/vB), below the asked %s sat/vB", txid, fee, vsize, real, rate)
	}
}

func txbuilderAmount(v int64) txbuilder.Amount { return txbuilder.Amount(v) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// silentAddr is wallet w's silent payment address, handed out over the btcd node itself: the
// receiver must be able to scan (Esplora and Electrum test servers cannot), whatever backend
// the test's payer uses.
func (c *cli) silentAddr(n *regtest.Node, w string) string {
	c.t.Helper()
	return decodeJSON[map[string]string](c.t, c.mustRun("", "receive", "--silent", "--json", "--wallet", w, "--backend", n.URL()).out)["address"]
}

// scanningBackend skips a test that scans for silent payments through the backend under test
// when that backend is a test server that serves no blocks: the btcd pass ran it, and the
// tweak-server path has its own test over Esplora and Electrum.
func scanningBackend(t *testing.T) {
	t.Helper()
	if k := os.Getenv("SATCHEL_TEST_BACKEND"); k != "" && k != "btcd" {
		t.Skipf("silent-payment scanning over %s needs a tweak server: covered by TestIntegrationSilentTweakServer", k)
	}
}

// multisigDescriptor derives the scripts of a stored multisig account's descriptor, for
// registerScripts.
type multisigDescriptor struct{ chains []*descriptor.Descriptor }

func multisigScripts(desc string) (*multisigDescriptor, error) {
	d, err := descriptor.Parse(desc)
	if err != nil {
		return nil, err
	}
	return &multisigDescriptor{chains: d.Split()}, nil
}

// Derive gives the script at chain/index (only PkScript is set).
func (m *multisigDescriptor) Derive(chain, index uint32) (*keys.Derived, error) {
	s, err := m.chains[chain].ScriptAt(index)
	if err != nil {
		return nil, err
	}
	return &keys.Derived{PkScript: s}, nil
}
