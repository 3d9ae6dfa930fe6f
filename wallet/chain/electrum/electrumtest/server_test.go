package electrumtest_test

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
	"time"

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
	b, err := electrum.Dial(ctx, s.URL(), nil, electrum.Options{})
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
