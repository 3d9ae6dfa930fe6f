package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora/esploratest"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
)

// tweakServer is a BlindBit Oracle stand-in. tweaks answers for a height; nil means the
// honest answer, computed from the node's block the way an index does.
func tweakServer(t *testing.T, be *btcd.Backend, lie func(h int32, honest []string) []string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.Background()
		switch {
		case r.URL.Path == "/block-height":
			tip, err := be.Tip(ctx)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			json.NewEncoder(w).Encode(map[string]int32{"block_height": tip.Height})
		case strings.HasPrefix(r.URL.Path, "/tweaks/"):
			h, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/tweaks/"))
			if err != nil {
				http.Error(w, "bad height", 400)
				return
			}
			honest := honestTweaks(t, be, int32(h))
			if lie != nil {
				honest = lie(int32(h), honest)
			}
			json.NewEncoder(w).Encode(honest)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func honestTweaks(t *testing.T, be *btcd.Backend, h int32) []string {
	blocks, err := be.ScanBlocks(context.Background(), []int32{h})
	if err != nil {
		t.Errorf("scan block %d: %v", h, err)
		return nil
	}
	out := []string{}
	for _, st := range blocks[0].Txs {
		var ins []silentpay.TxInput
		for i, in := range st.Tx.TxIn {
			ins = append(ins, silentpay.TxInput{OutPoint: in.PreviousOutPoint, ScriptSig: in.SignatureScript,
				Witness: in.Witness, PrevScript: st.PrevScripts[i]})
		}
		if tw, err := silentpay.TweakData(ins); err == nil {
			out = append(out, hex.EncodeToString(tw.SerializeCompressed()))
		}
	}
	return out
}

// TestIntegrationSilentTweakServer: over Esplora and over Electrum, with a tweak server, a
// silent payment is found and spent; a server that lies (made-up tweaks, the real tweak served
// for the wrong block) makes no coin appear.
func TestIntegrationSilentTweakServer(t *testing.T) {
	for _, kind := range []string{"esplora", "electrum", "p2p"} {
		t.Run(kind, func(t *testing.T) { testSilentTweakServer(t, kind) })
	}
}

func testSilentTweakServer(t *testing.T, kind string) {
	n := regtest.Start(t)
	opened, err := btcd.Open(context.Background(), n.URL(), chain.Options{Net: regtest.Net})
	if err != nil {
		t.Fatal(err)
	}
	be := opened.(*btcd.Backend)
	t.Cleanup(func() { be.Close() })
	c := newCLI(t)
	var watch func(...[]byte)
	switch kind {
	case "p2p":
		// The node as a peer: candidate outputs are matched against the blocks' filters.
		c.env["SATCHEL_BACKEND"], watch = "p2p://"+n.P2PAddr(), func(...[]byte) {}
	case "esplora":
		esp, url := esploratest.Start(t, be)
		c.env["SATCHEL_BACKEND"], watch = url, esp.Watch
	default:
		el := electrumtest.Start(t, be)
		c.env["SATCHEL_BACKEND"], watch = el.URL(), el.Watch
	}
	c.watch = watch

	// Without a tweak server, Esplora cannot scan.
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 60_000)
	c.mustRun(legal, "restore", "--wallet", "b")
	if r := c.run("", "receive", "--silent", "--json", "--wallet", "b"); r.code != 2 || !strings.Contains(r.err, "sp-server") {
		t.Fatalf("receive --silent over %s without a tweak server: exit %d %s", kind, r.code, r.err)
	}
	honest := tweakServer(t, be, nil)
	c.env["SATCHEL_SP_SERVER"] = honest.URL
	birthday := n.Height(t)
	sp := decodeJSON[silentJSON](t, c.mustRun("", "receive", "--silent", "--json", "--wallet", "b").out).Address

	p, r := c.send("a", sp, "5000", "--fee-rate", "2")
	if r.code != 0 {
		t.Fatalf("send: %s", r.err)
	}
	paid := getTx(t, n, p.TxID)
	found := scanFor(t, n, paid)
	if len(found) != 1 {
		t.Fatalf("reference scan finds %d", len(found))
	}
	script := silentpay.OutputScript(mustXOnly(t, found[0].Output[:]))
	// The test servers answer only for scripts they were told of; a real one indexes all.
	watch(script)
	n.Mine(t, 1)
	payHeight := n.Height(t)

	if b := c.balance("b"); b.Confirmed != 5000 {
		t.Fatalf("over %s with a tweak server: balance %+v, want 5000", kind, b)
	}
	if kind == "p2p" {
		// A restored wallet follows 4 account types x 2 chains x a gap of 20 addresses, and
		// the found output: 161 scripts. When the candidates were kept (before
		// chain.BlockMatcher) the file held 226.
		checkScanFileHoldsNoCandidates(t, c.home, "b", 4*2*20+1)
	}

	// A lying server: made-up tweaks everywhere, and the real payment's tweak served for the
	// blocks around its own, never for it.
	realTweaks := honestTweaks(t, be, payHeight)
	liar := tweakServer(t, be, func(h int32, honestList []string) []string {
		out := []string{}
		for i := 0; i < 3; i++ {
			_, pub := btcec.PrivKeyFromBytes([]byte("made-up tweak " + strconv.Itoa(int(h)) + strconv.Itoa(i) + "xxxxxxxxxxxx"))
			out = append(out, hex.EncodeToString(pub.SerializeCompressed()))
		}
		if h == payHeight-1 || h == payHeight+1 {
			out = append(out, realTweaks...)
		}
		return out
	})
	n.Mine(t, 1)
	c.env["SATCHEL_SP_SERVER"] = liar.URL
	c.mustRun(legal, "restore", "--wallet", "c", "--birthday", strconv.Itoa(int(birthday)))
	if b := c.balance("c"); b.Confirmed != 0 || b.Unconfirmed != 0 {
		t.Fatalf("a lying tweak server made coins appear: %+v", b)
	}
	if u := silentUtxos(t, c, "c"); len(u) != 0 {
		t.Fatalf("a lying tweak server made coins appear: %+v", u)
	}

	// The honest server's wallet spends the coin: the node accepts it.
	c.env["SATCHEL_SP_SERVER"] = honest.URL
	dest := c.receiveAddr("a")
	sp2, r := c.send("b", dest, "3000", "--fee-rate", "2")
	if r.code != 0 {
		t.Fatalf("spend over %s: %s", kind, r.err)
	}
	n.Mine(t, 1)
	if got := n.TxConfirmations(t, mustHash(t, sp2.TxID)); got != 1 {
		t.Fatalf("spend confirmations %d", got)
	}
	// The found output is followed like any address: its spend is seen, only the change is left.
	if b := c.balance("b"); b.Confirmed <= 0 || b.Confirmed >= 2000 || b.Unconfirmed != 0 {
		t.Fatalf("over %s after spending the silent coin: balance %+v, want the change (under 2000) confirmed", kind, b)
	}
}

// checkScanFileHoldsNoCandidates: over p2p the light client matches the tweak server's
// candidates against one block's filter each (chain.BlockMatcher); it must not keep them among
// the scripts it watches, only the wallet's addresses and the outputs found.
func checkScanFileHoldsNoCandidates(t *testing.T, home, wallet string, want int) {
	t.Helper()
	var paths []string
	filepath.WalkDir(home, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "p2p-scan.json" && strings.Contains(p, string(filepath.Separator)+wallet+string(filepath.Separator)) {
			paths = append(paths, p)
		}
		return nil
	})
	if len(paths) != 1 {
		t.Fatalf("found %d p2p scan files for wallet %s: %v", len(paths), wallet, paths)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Scanned map[string]int32 `json:"scanned"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	t.Logf("p2p scan file after the tweak-server scan: %d bytes, %d scripts", len(data), len(f.Scanned))
	if len(f.Scanned) != want {
		t.Fatalf("the p2p scan file watches %d scripts, want the wallet's %d: were the tweak server's candidates kept?", len(f.Scanned), want)
	}
}

func mustXOnly(t *testing.T, b []byte) *btcec.PublicKey {
	t.Helper()
	k, err := btcec.ParsePubKey(append([]byte{0x02}, b...))
	if err != nil {
		t.Fatal(err)
	}
	return k
}
