package esploratest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora/esploratest"
)

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

type statusJSON struct {
	Confirmed   bool   `json:"confirmed"`
	BlockHeight *int32 `json:"block_height"`
	BlockHash   string `json:"block_hash"`
}

// The endpoints the client does not use still answer as the API documents them.
func TestEndpointsAnswerAsDocumented(t *testing.T) {
	ctx := context.Background()
	c := chaintest.New()
	sc := []byte{0x00, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	conf := chaintest.Pay(1, wire.NewTxOut(1000, sc))
	c.AddMempool(conf)
	c.Mine(2)
	mem := chaintest.Pay(2, wire.NewTxOut(2000, sc))
	c.AddMempool(mem)
	s, url := esploratest.Start(t, c)
	s.Watch(sc)
	tip, _ := c.Tip(ctx)

	if code, body := fetch(t, url+"/blocks/tip/hash"); code != 200 || body != tip.Hash.String() {
		t.Errorf("/blocks/tip/hash = %d %q", code, body)
	}
	if code, body := fetch(t, url+"/blocks/tip/height"); code != 200 || body != "2" {
		t.Errorf("/blocks/tip/height = %d %q", code, body)
	}
	if code, _ := fetch(t, url+"/block-height/3"); code != 404 {
		t.Errorf("/block-height past the tip = %d", code)
	}
	for _, tc := range []struct {
		id        string
		confirmed bool
		height    int32
	}{{conf.TxHash().String(), true, 1}, {mem.TxHash().String(), false, 0}} {
		code, body := fetch(t, url+"/tx/"+tc.id+"/status")
		var st statusJSON
		if code != 200 || json.Unmarshal([]byte(body), &st) != nil || st.Confirmed != tc.confirmed {
			t.Fatalf("/tx/%s/status = %d %s", tc.id, code, body)
		}
		if tc.confirmed && (st.BlockHeight == nil || *st.BlockHeight != tc.height || len(st.BlockHash) != 64) {
			t.Errorf("/tx/%s/status = %s", tc.id, body)
		}
	}
	if code, body := fetch(t, url+"/tx/"+strings.Repeat("ab", 32)+"/status"); code != 200 || !strings.Contains(body, `"confirmed":false`) {
		t.Errorf("status of an unknown tx = %d %s", code, body)
	}
	hash := "" // natural-order sha256 of sc
	for _, p := range []string{"/txs/mempool", "/txs/chain", "/txs"} {
		if hash == "" {
			hash = scriptHash(sc)
		}
		code, body := fetch(t, url+"/scripthash/"+hash+p)
		var items []struct {
			TxID string `json:"txid"`
			Vout []struct {
				Value int64 `json:"value"`
			} `json:"vout"`
		}
		if code != 200 || json.Unmarshal([]byte(body), &items) != nil {
			t.Fatalf("%s = %d %s", p, code, body)
		}
		want := map[string]int{"/txs/mempool": 1, "/txs/chain": 1, "/txs": 2}[p]
		if len(items) != want {
			t.Errorf("%s has %d items, want %d", p, len(items), want)
		}
	}
	if code, _ := fetch(t, url+"/scripthash/xyz/txs"); code != 400 {
		t.Errorf("bad script hash = %d", code)
	}
	if code, _ := fetch(t, url+"/nothing/here"); code != 404 {
		t.Errorf("unknown path = %d", code)
	}
	c.Fee = 1500
	if code, body := fetch(t, url+"/fee-estimates"); code != 200 || !strings.Contains(body, `"1":1.5`) || !strings.Contains(body, `"1008":1.5`) {
		t.Errorf("/fee-estimates = %d %s", code, body)
	}
	if s.Requests() == 0 {
		t.Error("no requests counted")
	}
}
