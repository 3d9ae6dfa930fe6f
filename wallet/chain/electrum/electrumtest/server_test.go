package electrumtest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
)

// talk sends lines on a fresh connection and returns the answers read until the server stops
// answering for a moment or hangs up.
func talk(t *testing.T, addr string, lines ...string) []string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	var out []string
	for _, l := range lines {
		c.Write([]byte(l + "\n"))
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		ans, err := r.ReadString('\n')
		if err != nil {
			out = append(out, "<closed>")
			return out
		}
		out = append(out, strings.TrimSpace(ans))
	}
	return out
}

func TestSessionRules(t *testing.T) {
	s := electrumtest.Start(t, chaintest.New())
	for _, tc := range []struct {
		name  string
		lines []string
		want  []string // substrings of each answer
	}{
		{"version first", []string{`{"id":1,"method":"server.version","params":["x",["1.4","1.4.2"]]}`},
			[]string{`"result":["electrumtest 1.0","1.4.2"]`}},
		{"one version", []string{`{"id":1,"method":"server.version","params":["x","1.4"]}`},
			[]string{`"1.4"]`}},
		{"no common version", []string{`{"id":1,"method":"server.version","params":["x",["1.0","1.2"]]}`, `{"id":2,"method":"server.ping","params":[]}`},
			[]string{`unsupported protocol version`, "<closed>"}},
		{"something else first", []string{`{"id":1,"method":"server.ping","params":[]}`},
			[]string{"<closed>"}},
		{"unknown method", []string{`{"id":1,"method":"server.version","params":["x","1.4"]}`, `{"id":2,"method":"blockchain.nope","params":[]}`},
			[]string{`"1.4"`, `"code":-32601`}},
		{"ping", []string{`{"id":1,"method":"server.version","params":["x","1.4"]}`, `{"id":7,"method":"server.ping","params":[]}`},
			[]string{`"1.4"`, `"result":null,"id":7`}},
		{"batch answered as an array", []string{`{"id":1,"method":"server.version","params":["x","1.4"]}`,
			`[{"id":2,"method":"blockchain.relayfee","params":[]},{"id":3,"method":"blockchain.estimatefee","params":[2]}]`},
			[]string{`"1.4"`, `[{"jsonrpc":"2.0","result":0.00001,"id":2},{"jsonrpc":"2.0","result":-1,"id":3}]`}},
		{"garbage", []string{`{"id":1,"method":"server.version","params":["x","1.4"]}`, `{nope`},
			[]string{`"1.4"`, `"code":-32700`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := talk(t, s.Addr(), tc.lines...)
			if len(got) != len(tc.want) {
				t.Fatalf("answers %q", got)
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("answer %d = %s, want %s", i, got[i], w)
				}
			}
		})
	}
}

func TestDropConnectionsMakesTheClientRedial(t *testing.T) {
	ctx := context.Background()
	c := chaintest.New()
	s := electrumtest.Start(t, c)
	b, err := electrum.Open(ctx, s.URL(), chain.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s.DropConnections()
	time.Sleep(20 * time.Millisecond)
	if _, err := b.Tip(ctx); err == nil {
		t.Fatal("a call on a cut connection succeeded")
	}
	c.Mine(1)
	if tip, err := b.Tip(ctx); err != nil || tip.Height != 1 {
		t.Fatalf("after redial: %+v, %v", tip, err)
	}
}

// blockchain.block.headers and blockchain.transaction.get_merkle answer as the protocol says.
func TestHeadersAndMerkleAnswers(t *testing.T) {
	c := chaintest.New()
	sc := []byte{0x00, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	paid := chaintest.Pay(1, wire.NewTxOut(1000, sc))
	c.AddMempool(chaintest.Pay(2, wire.NewTxOut(1, sc)), paid, chaintest.Pay(3, wire.NewTxOut(1, sc)))
	c.Mine(2)
	hello := `{"id":1,"method":"server.version","params":["x","1.4"]}`
	s := electrumtest.Start(t, c)
	got := talk(t, s.Addr(), hello,
		`{"id":2,"method":"blockchain.block.headers","params":[1,5]}`,
		`{"id":3,"method":"blockchain.block.headers","params":[7,5]}`,
		`{"id":4,"method":"blockchain.transaction.get_merkle","params":["`+paid.TxHash().String()+`",1]}`,
		`{"id":5,"method":"blockchain.transaction.get_merkle","params":["`+paid.TxHash().String()+`",2]}`)
	var chunk struct {
		Result struct {
			Count int
			Hex   string
			Max   int
		}
	}
	if err := json.Unmarshal([]byte(got[1]), &chunk); err != nil || chunk.Result.Count != 2 ||
		len(chunk.Result.Hex) != 2*160 || chunk.Result.Max != 2016 {
		t.Fatalf("headers from 1: %s", got[1])
	}
	if !strings.Contains(got[2], `"count":0,"hex":""`) {
		t.Fatalf("headers above the tip: %s", got[2])
	}
	var proof struct {
		Result struct {
			BlockHeight int32 `json:"block_height"`
			Merkle      []string
			Pos         int
		}
	}
	if err := json.Unmarshal([]byte(got[3]), &proof); err != nil || proof.Result.BlockHeight != 1 ||
		proof.Result.Pos != 1 || len(proof.Result.Merkle) != 2 {
		t.Fatalf("get_merkle: %s", got[3])
	}
	if !strings.Contains(got[4], `"error"`) || !strings.Contains(got[4], "not in block at height 2") {
		t.Fatalf("get_merkle at the wrong height: %s", got[4])
	}
}
