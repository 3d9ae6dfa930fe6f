package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// info names the backend in use, by kind, with its password masked, and says what it learns
// about the user: less through a proxy.
func TestInfoSaysWhatTheBackendLearns(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	for _, tc := range []struct {
		name, url, proxy, feeSource string
		kind, url2, says, fees      string
	}{
		{"btcd, password masked", "btcd://u:hunter2@127.0.0.1:18334", "", "", "btcd",
			"btcd://u:***@127.0.0.1:18334", "your own node", "backend"},
		{"esplora", "https://mempool.space/api", "", "", "esplora",
			"https://mempool.space/api", "every address of this wallet and your IP (use --proxy", "backend"},
		{"esplora through a proxy", "https://mempool.space/api", "socks5://127.0.0.1:9050", "", "esplora",
			"https://mempool.space/api", "the proxy hides your IP", "backend"},
		{"electrum", "electrums://h.example:50002", "", "", "electrum",
			"electrums://h.example:50002", "every address of this wallet and your IP", "backend"},
		{"electrum through a proxy", "electrum://h.example:50001", "socks5://127.0.0.1:9050", "", "electrum",
			"electrum://h.example:50001", "the proxy hides your IP", "backend"},
		{"p2p without a fee source", "p2p://127.0.0.1:18444", "", "", "p2p",
			"p2p://127.0.0.1:18444", "not your addresses", "none"},
		{"p2p with a fee source, password masked", "p2p://127.0.0.1:18444", "", "https://u:hunter2@fees.example/api", "p2p",
			"p2p://127.0.0.1:18444", "not your addresses", "https://u:***@fees.example/api"},
		{"a fee source means nothing to esplora", "https://mempool.space/api", "", "https://fees.example/api", "esplora",
			"https://mempool.space/api", "every address", "backend"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"info", "--backend", tc.url}
			if tc.proxy != "" {
				args = append(args, "--proxy", tc.proxy)
			}
			c.env["SATCHEL_FEE_SOURCE"] = tc.feeSource
			var got struct {
				Backend *struct {
					URL, Kind, Learns string
					FeeEstimates      string `json:"fee_estimates"`
				}
			}
			r := c.mustRun("", append(args, "--json")...)
			if err := json.Unmarshal([]byte(r.out), &got); err != nil || got.Backend == nil {
				t.Fatalf("info --json: %v %s", err, r.out)
			}
			b := got.Backend
			if b.Kind != tc.kind || b.URL != tc.url2 || !strings.Contains(b.Learns, tc.says) || b.FeeEstimates != tc.fees {
				t.Fatalf("backend %+v, want kind %s, url %s, learns %q, fee estimates %q", b, tc.kind, tc.url2, tc.says, tc.fees)
			}
			text := c.mustRun("", args...).out
			if !strings.Contains(text, "backend:      "+tc.kind+" "+tc.url2+"\n") ||
				!strings.Contains(text, "  learns:     "+b.Learns+"\n") || !strings.Contains(text, "  fees from:  ") ||
				strings.Contains(text+r.out, "hunter2") {
				t.Fatalf("text output:\n%s", text)
			}
		})
	}
}

// fee-source takes an Esplora URL only, checked like a backend URL when it is set; a bad one
// in the environment is a usage error naming the variable, before any connection.
func TestFeeSourceSetting(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	for _, tc := range []struct {
		value string
		ok    bool
	}{
		{"https://mempool.space/api", true},
		{"http://127.0.0.1:3000", true},
		{"p2p://127.0.0.1:18444", false},
		{"electrum://h.example:50001", false},
		{"btcd://u:p@127.0.0.1:18334", false},
		{"ftp://x", false},
		{"mempool.space", false},
	} {
		t.Run(tc.value, func(t *testing.T) {
			r := c.run("", "config", "set", "fee-source", tc.value)
			if tc.ok != (r.code == 0) {
				t.Fatalf("config set fee-source %s: exit %d %s", tc.value, r.code, r.err)
			}
			if !tc.ok && (r.code != exitUsage || strings.Count(strings.TrimSpace(r.err), "\n") != 0) {
				t.Fatalf("refusal of %s: exit %d, want %d and one line: %s", tc.value, r.code, exitUsage, r.err)
			}
		})
	}
	c.mustRun("", "config", "unset", "fee-source")
	c.env["SATCHEL_FEE_SOURCE"] = "electrum://h.example:50001"
	r := c.run("", "balance", "--backend", "p2p://127.0.0.1:1", "--json")
	if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "bad_fee_source" || !strings.Contains(r.err, "SATCHEL_FEE_SOURCE") {
		t.Fatalf("bad SATCHEL_FEE_SOURCE: exit %d %s", r.code, r.err)
	}
}

// btcd's RPC client would dial the node itself, around the proxy: chain.Open refuses the
// pair, and the command says so with the usage exit code, before any connection.
func TestBtcdWithAProxyIsRefused(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	r := c.run("", "balance", "--backend", "btcd://u:hunter2@127.0.0.1:1", "--proxy", "socks5://127.0.0.1:9050", "--json")
	if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "bad_proxy" ||
		!strings.Contains(r.err, "around the proxy") || strings.Contains(r.err, "hunter2") {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
}

// A scheme no backend takes is a usage error that lists the URL forms there are.
func TestUnknownBackendSchemeListsTheKinds(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	r := c.run("", "balance", "--backend", "ftp://x", "--json")
	if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "bad_backend" ||
		!strings.Contains(r.err, `scheme \"ftp\" is not supported`) || !strings.Contains(r.err, "electrum(s)://HOST:PORT") {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
}
