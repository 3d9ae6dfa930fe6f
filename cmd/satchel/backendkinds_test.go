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
		name, url, proxy string
		kind, url2, says string
	}{
		{"btcd, password masked", "btcd://u:hunter2@127.0.0.1:18334", "", "btcd",
			"btcd://u:***@127.0.0.1:18334", "your own node"},
		{"esplora", "https://mempool.space/api", "", "esplora",
			"https://mempool.space/api", "every address of this wallet and your IP (use --proxy"},
		{"esplora through a proxy", "https://mempool.space/api", "socks5://127.0.0.1:9050", "esplora",
			"https://mempool.space/api", "the proxy hides your IP"},
		{"electrum", "electrums://h.example:50002", "", "electrum",
			"electrums://h.example:50002", "every address of this wallet and your IP"},
		{"electrum through a proxy", "electrum://h.example:50001", "socks5://127.0.0.1:9050", "electrum",
			"electrum://h.example:50001", "the proxy hides your IP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"info", "--backend", tc.url}
			if tc.proxy != "" {
				args = append(args, "--proxy", tc.proxy)
			}
			var got struct {
				Backend *struct{ URL, Kind, Learns string }
			}
			r := c.mustRun("", append(args, "--json")...)
			if err := json.Unmarshal([]byte(r.out), &got); err != nil || got.Backend == nil {
				t.Fatalf("info --json: %v %s", err, r.out)
			}
			b := got.Backend
			if b.Kind != tc.kind || b.URL != tc.url2 || !strings.Contains(b.Learns, tc.says) {
				t.Fatalf("backend %+v, want kind %s, url %s, learns %q", b, tc.kind, tc.url2, tc.says)
			}
			text := c.mustRun("", args...).out
			if !strings.Contains(text, "backend:      "+tc.kind+" "+tc.url2+"\n") ||
				!strings.Contains(text, "  learns:     "+b.Learns+"\n") || strings.Contains(text+r.out, "hunter2") {
				t.Fatalf("text output:\n%s", text)
			}
		})
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
