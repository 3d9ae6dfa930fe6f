package btcd

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestEncodeBatch checks the request btcd's docs/json_rpc_api.md describes: a JSON array of
// JSON-RPC 2.0 commands with positional parameters, ids counting from 1.
func TestEncodeBatch(t *testing.T) {
	for _, tc := range []struct {
		name  string
		calls []*call
		want  string
	}{
		{"no params", []*call{{cmd: cmd("getbestblock")}},
			`[{"jsonrpc":"2.0","method":"getbestblock","params":[],"id":1}]`},
		{"search with filter", []*call{
			{cmd: cmd("getbestblock")},
			{cmd: cmd("searchrawtransactions", "bcrt1q", 1, 200, 200, 0, false, []string{"bcrt1q"})},
		}, `[{"jsonrpc":"2.0","method":"getbestblock","params":[],"id":1},` +
			`{"jsonrpc":"2.0","method":"searchrawtransactions","params":["bcrt1q",1,200,200,0,false,["bcrt1q"]],"id":2}]`},
		{"bool param", []*call{{cmd: cmd("getblockheader", "00ff", true)}},
			`[{"jsonrpc":"2.0","method":"getblockheader","params":["00ff",true],"id":1}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := encodeBatch(tc.calls)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestDecodeBatch(t *testing.T) {
	type result struct {
		outs []string
		errs []string
	}
	for _, tc := range []struct {
		name    string
		n       int
		answer  string
		want    result
		wantErr string
	}{
		{"in order", 2, `[{"result":"a","error":null,"id":1},{"result":"b","error":null,"id":2}]`,
			result{outs: []string{"a", "b"}, errs: []string{"", ""}}, ""},
		{"out of order", 2, `[{"result":"b","id":2},{"result":"a","id":1}]`,
			result{outs: []string{"a", "b"}, errs: []string{"", ""}}, ""},
		{"one error", 2, `[{"result":null,"error":{"code":-5,"message":"No information available about address"},"id":1},{"result":"b","id":2}]`,
			result{outs: []string{"", "b"}, errs: []string{"-5: No information available about address", ""}}, ""},
		{"missing answer", 2, `[{"result":"a","id":1}]`, result{}, "no answer to getrawtransaction"},
		{"repeated id", 1, `[{"result":"a","id":1},{"result":"a","id":1}]`, result{}, "unknown or repeated id"},
		{"unknown id", 1, `[{"result":"a","id":7}]`, result{}, "unknown or repeated id"},
		{"no id", 1, `[{"result":"a"}]`, result{}, "unknown or repeated id"},
		{"not an array", 1, `{"result":null,"error":{"code":-32700,"message":"Parse error"},"id":null}`, result{}, "malformed batch answer"},
		{"wrong result type", 1, `[{"result":5,"id":1}]`, result{}, "malformed answer to getrawtransaction"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outs := make([]string, tc.n)
			calls := make([]*call, tc.n)
			for i := range calls {
				calls[i] = &call{cmd: cmd("getrawtransaction", "00", 0), out: &outs[i]}
			}
			err := decodeBatch([]byte(tc.answer), calls)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range calls {
				msg := ""
				if c.err != nil {
					var rerr *RPCError
					if !errors.As(c.err, &rerr) {
						t.Fatalf("call %d: error %T is not an *RPCError", i, c.err)
					}
					msg = c.err.Error()
				}
				if outs[i] != tc.want.outs[i] || msg != tc.want.errs[i] {
					t.Fatalf("call %d: out %q err %q, want %q %q", i, outs[i], msg,
						tc.want.outs[i], tc.want.errs[i])
				}
			}
		})
	}
}

// FuzzDecodeBatch feeds decodeBatch arbitrary answers: it must never panic, and when it
// accepts one, every call has an answer (a result or an error).
func FuzzDecodeBatch(f *testing.F) {
	f.Add([]byte(`[{"result":"a","id":1},{"result":{"hash":"00","height":3},"id":2}]`), 2)
	f.Add([]byte(`[{"result":null,"error":{"code":-5,"message":"x"},"id":1}]`), 1)
	f.Add([]byte(`{}`), 1)
	f.Fuzz(func(t *testing.T, answer []byte, n int) {
		if n < 1 || n > 8 {
			return
		}
		calls := make([]*call, n)
		for i := range calls {
			var out json.RawMessage
			calls[i] = &call{cmd: cmd("getbestblock"), out: &out}
		}
		if err := decodeBatch(answer, calls); err != nil {
			return
		}
		var resps []wireResponse
		if err := json.Unmarshal(answer, &resps); err != nil || len(resps) != n {
			t.Fatalf("accepted %q for %d calls", answer, n)
		}
	})
}
