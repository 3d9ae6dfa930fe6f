package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// runApp is c.run with a hook to change the App first (a terminal on stdout, its width).
func (c *cli) runApp(setup func(*App), stdin string, args ...string) result {
	c.t.Helper()
	var out, errb bytes.Buffer
	a := &App{
		In: strings.NewReader(stdin), Out: &out, Err: &errb,
		Getenv:   func(k string) string { return c.env[k] },
		Now:      func() time.Time { return c.now },
		Entropy:  zeroReader{},
		Dial:     c.dial,
		Keystore: []keystore.Option{keystore.WithKDF(keystore.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1})},
	}
	if setup != nil {
		setup(a)
	}
	code := run(a, args)
	return result{out: out.String(), err: errb.String(), code: code}
}

func onTerminal(width int) func(*App) {
	return func(a *App) { a.OutTerm, a.OutWidth = true, width }
}

func regtestScript(t *testing.T, addr string) []byte {
	t.Helper()
	ad, err := address.Decode(addr, address.Networks()["regtest"])
	if err != nil {
		t.Fatal(err)
	}
	return ad.PkScript
}

// shopWallet is a wallet on the fake chain with a labelled confirmed payment, a second one
// partly spent by a pending payment out, a small pending payment in, and a frozen coin.
func shopWallet(t *testing.T) (*cli, *chaintest.Chain) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	a0 := strings.TrimSpace(c.mustRun("", "receive", "--label", "coffee", "--offline", "--jq", ".address").out)
	a1, a2, a3 := c.receiveAddr("default"), c.receiveAddr("default"), c.receiveAddr("default")
	tx1 := chaintest.Pay(1, wire.NewTxOut(21_000, regtestScript(t, a0)))
	tx2 := chaintest.Pay(2, wire.NewTxOut(50_000, regtestScript(t, a1)))
	fc.Mine(1, tx1, tx2)
	fc.Mine(2)
	// Pay 30,000 out of tx2's coin, 19,700 back to the wallet: a fee of 300.
	out := wire.NewMsgTx(2)
	h2 := tx2.TxHash()
	out.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&h2, 0), nil, nil))
	out.AddTxOut(wire.NewTxOut(30_000, regtestScript(t, "bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h")))
	out.AddTxOut(wire.NewTxOut(19_700, regtestScript(t, a2)))
	fc.AddMempool(out, chaintest.Pay(3, wire.NewTxOut(1_500, regtestScript(t, a3))))
	c.mustRun("", "sync")
	h1 := tx1.TxHash()
	c.mustRun("", "freeze", wire.NewOutPoint(&h1, 0).String())
	return c, fc
}

func TestHumanOutputGolden(t *testing.T) {
	c, _ := shopWallet(t)
	c.env["NO_COLOR"] = "1"
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"history.txt", []string{"history", "--utc"}},
		{"history-btc.txt", []string{"history", "--utc", "--unit", "btc", "--offline"}},
		{"utxos.txt", []string{"utxos", "--utc", "--fee-rate", "30"}},
		{"balance.txt", []string{"balance", "--utc"}},
		{"balance-btc.txt", []string{"balance", "--utc", "--unit", "btc"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			// On a terminal, but NO_COLOR is set: no escapes.
			r := c.runApp(onTerminal(200), "", tc.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
			if strings.Contains(r.out, "\033[") {
				t.Fatalf("colour despite NO_COLOR:\n%q", r.out)
			}
			for _, l := range strings.Split(r.out, "\n") {
				if strings.HasSuffix(l, " ") {
					t.Errorf("trailing space in %q", l)
				}
			}
			c.golden(tc.golden, r.out)
		})
	}
}

func TestColourOnlyOnATerminalWithoutNoColor(t *testing.T) {
	c, _ := shopWallet(t)
	green, red := "\033[32m+21,000 sat\033[0m", "\033[31m-30,300 sat\033[0m"
	r := c.runApp(onTerminal(200), "", "history", "--offline")
	if !strings.Contains(r.out, green) || !strings.Contains(r.out, red) {
		t.Fatalf("a terminal without NO_COLOR gets green in and red out:\n%q", r.out)
	}
	if r := c.mustRun("", "history", "--offline"); strings.Contains(r.out, "\033[") {
		t.Fatalf("colour on a pipe:\n%q", r.out)
	}
	for _, env := range []string{"NO_COLOR", "TERM"} {
		c.env[env] = map[string]string{"NO_COLOR": "yes", "TERM": "dumb"}[env]
		if r := c.runApp(onTerminal(200), "", "history", "--offline"); strings.Contains(r.out, "\033[") {
			t.Fatalf("colour with %s set:\n%q", env, r.out)
		}
		delete(c.env, env)
	}
	// --json never changes on a terminal.
	plain := c.mustRun("", "history", "--offline", "--json").out
	if r := c.runApp(onTerminal(200), "", "history", "--offline", "--json", "--unit", "btc"); r.out != plain {
		t.Fatalf("--json changed on a terminal with --unit btc:\n%s\nvs\n%s", r.out, plain)
	}
}

func TestFmtAmounts(t *testing.T) {
	for _, tc := range []struct {
		v        int64
		sat, btc string
	}{
		{0, "0 sat", "0.00000000 BTC"},
		{999, "999 sat", "0.00000999 BTC"},
		{21_000, "21,000 sat", "0.00021000 BTC"},
		{-1_234_567, "-1,234,567 sat", "-0.01234567 BTC"},
		{123_450_000_000, "123,450,000,000 sat", "1,234.50000000 BTC"},
		{2_100_000_000_000_000, "2,100,000,000,000,000 sat", "21,000,000.00000000 BTC"},
	} {
		if got := fmtSat(tc.v); got != tc.sat {
			t.Errorf("fmtSat(%d) = %q, want %q", tc.v, got, tc.sat)
		}
		if got := fmtBTC(tc.v); got != tc.btc {
			t.Errorf("fmtBTC(%d) = %q, want %q", tc.v, got, tc.btc)
		}
	}
}

func TestTableAlignsAndColours(t *testing.T) {
	tb := newTable("NAME", "AMOUNT", "NOTE")
	tb.alignRight(1)
	tb.add(txt("a"), txt("1 sat").in(styleIn), txt(""))
	tb.add(txt("longer"), txt("21,000 sat"), txt("x"))
	var b bytes.Buffer
	tb.render(&b, false)
	want := "NAME        AMOUNT  NOTE\na            1 sat\nlonger  21,000 sat  x\n"
	if b.String() != want {
		t.Fatalf("got\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	tb.render(&b, true)
	if !strings.Contains(b.String(), "     \033[32m1 sat\033[0m") {
		t.Fatalf("colour must not count in the width, padding outside it: %q", b.String())
	}
}

func TestJQ(t *testing.T) {
	c, _ := shopWallet(t)
	for _, tc := range []struct {
		name, expr, want string
		args             []string
	}{
		{"string prints raw", ".network", "regtest\n", []string{"info"}},
		{"number", ".confirmed_sat", "71000\n", []string{"balance", "--offline"}},
		{"one line per result", ".[].status", "pending\npending\nconfirmed\nconfirmed\n", []string{"history", "--offline"}},
		{"objects compact", `map(select(.amount_sat < 0))[0] | {status, fee_sat}`, `{"status":"pending","fee_sat":300}` + "\n", []string{"history", "--offline"}},
		{"null", ".[0].height", "null\n", []string{"history", "--offline"}},
		{"no result prints nothing", "empty", "", []string{"balance", "--offline"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.mustRun("", append(tc.args, "--jq", tc.expr)...)
			if r.out != tc.want {
				t.Fatalf("got %q, want %q", r.out, tc.want)
			}
		})
	}
	t.Run("bad expression", func(t *testing.T) {
		r := c.run("", "receive", "--jq", ".[")
		if r.code != exitUsage || r.out != "" {
			t.Fatalf("exit %d, stdout %q", r.code, r.out)
		}
		if code, msg := jsonError(t, r.err); code != "bad_jq" || !strings.Contains(msg, `".["`) {
			t.Fatalf("%s %q must name the expression", code, msg)
		}
		// Nothing ran: the next receive still hands out index 4.
		if got := c.mustRun("", "receive", "--jq", ".index").out; got != "4\n" {
			t.Fatalf("a bad --jq handed out an address: next index %q", got)
		}
	})
	t.Run("failing expression", func(t *testing.T) {
		r := c.run("", "balance", "--offline", "--jq", `.confirmed_sat, (.synced_at | tonumber)`)
		if r.code != exitUsage || r.out != "" {
			t.Fatalf("exit %d, stdout %q", r.code, r.out)
		}
		if code, _ := jsonError(t, r.err); code != "jq_failed" {
			t.Fatalf("code %s", code)
		}
	})
}

// jqApp is an App whose --jq is expr, printing to out.
func jqApp(tb testing.TB, expr string, out io.Writer) *App {
	tb.Helper()
	code, err := compileJQ(expr)
	if err != nil {
		tb.Fatalf("--jq %q: %v", expr, err)
	}
	a := &App{Out: out}
	a.flags.json, a.flags.jq, a.flags.jqCode = true, expr, code
	return a
}

// benchHistory is a history document of n rows as the history command prints it, every
// other row labelled (so two key sequences), for the --jq benchmark.
func benchHistory(n int) []historyJSON {
	rows := make([]historyJSON, n)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := range rows {
		h, fee := int32(800_000+i), int64(141+i)
		t := at.Add(time.Duration(i) * time.Minute)
		rows[i] = historyJSON{TxID: fmt.Sprintf("%064x", i), Height: &h, Confirmations: int32(n - i), Time: &t, Amount: int64(1000 * i), Fee: &fee, Status: "confirmed"}
		if i%2 == 1 {
			rows[i].Label = fmt.Sprintf("label %d", i)
		}
	}
	return rows
}

// BenchmarkJq times --jq over a history of 2,000 rows: the whole document, its rows, a field
// of each row (no object printed) and an object built from each row.
func BenchmarkJq(b *testing.B) {
	doc := benchHistory(2000)
	for _, c := range []struct{ name, expr string }{
		{"doc", "."},
		{"rows", ".[]"},
		{"field", ".[] | .txid"},
		{"build", ".[] | {txid, amount_sat, label}"},
		{"merge", ".[] | . + {note: \"x\"}"},
	} {
		b.Run(c.name, func(b *testing.B) {
			var out bytes.Buffer
			a := jqApp(b, c.expr, &out)
			for i := 0; i < b.N; i++ {
				out.Reset()
				if err := a.printJQ(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// --jq prints each object's keys in the order jq does: an object the expression builds in the
// order it builds it ({b, a} is b then a; jq's + and * keep the left object's keys in place and
// append the right one's new keys; setting a key the object lacks appends it), an object of the
// document in its own order even when another holds the same keys in another order. Each want
// is what jq 1.6 prints (jq -c).
func TestJQKeyOrderAsJQPrints(t *testing.T) {
	const rows = `[{"t":"a","h":1,"f":2,"s":"c"},{"t":"b","h":3,"f":4,"l":"x","s":"c"}]`
	const swapped = `[{"a":1,"b":2},{"b":3,"a":4}]`
	for _, c := range []struct{ doc, expr, want string }{
		// Objects built by the expression.
		{rows, `.[] | {s, t}`, `{"s":"c","t":"a"}` + "\n" + `{"s":"c","t":"b"}`},
		{rows, `{b: .[0].h, a: .[0].t}`, `{"b":1,"a":"a"}`},
		{rows, `.[0] | .t as $v | {"s", "h": .h, $v}`, `{"s":"c","h":1,"v":"a"}`},
		{rows, `.[] | select(.l) | {x: {s, t}}`, `{"x":{"s":"c","t":"b"}}`},
		{rows, `.[0] | {h} + {t}`, `{"h":1,"t":"a"}`},
		{rows, `{c: 1, b: 2} + {a: 3, c: 4}`, `{"c":4,"b":2,"a":3}`},
		{rows, `.[0] | {s} * {h: 5, t: 1}`, `{"s":"c","h":5,"t":1}`},
		// A document object grown by one built: its keys in place, the new ones after.
		{rows, `.[] | {z: 1} + .`, `{"z":1,"t":"a","h":1,"f":2,"s":"c"}` + "\n" + `{"z":1,"t":"b","h":3,"f":4,"l":"x","s":"c"}`},
		{rows, `.[] | . + {l: "new"}`, `{"t":"a","h":1,"f":2,"s":"c","l":"new"}` + "\n" + `{"t":"b","h":3,"f":4,"l":"new","s":"c"}`},
		{rows, `.[] | . * {l: "y"}`, `{"t":"a","h":1,"f":2,"s":"c","l":"y"}` + "\n" + `{"t":"b","h":3,"f":4,"l":"y","s":"c"}`},
		{`[{"z":0,"t":"a"},{"t":"b","h":1}]`, `.[1] + {z: 1}`, `{"t":"b","h":1,"z":1}`},
		// Setting a key appends it to an object without it, as jq does.
		{rows, `.[] | .l = "q"`, `{"t":"a","h":1,"f":2,"s":"c","l":"q"}` + "\n" + `{"t":"b","h":3,"f":4,"l":"q","s":"c"}`},
		// Document objects with the same keys in different orders each keep their own.
		{swapped, `.`, `[{"a":1,"b":2},{"b":3,"a":4}]`},
		{swapped, `.[]`, `{"a":1,"b":2}` + "\n" + `{"b":3,"a":4}`},
		{swapped, `.[] | to_entries | from_entries`, `{"a":1,"b":2}` + "\n" + `{"b":3,"a":4}`},
	} {
		var out bytes.Buffer
		if err := jqApp(t, c.expr, &out).printJQ(json.RawMessage(c.doc)); err != nil {
			t.Fatalf("--jq %q: %v", c.expr, err)
		}
		if got := strings.TrimSuffix(out.String(), "\n"); got != c.want {
			t.Errorf("--jq %q on %s:\n got %s\nwant %s", c.expr, c.doc, got, c.want)
		}
	}
}

func TestReceiveQRFitsTheTerminal(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	uri := "bitcoin:"
	r := c.runApp(onTerminal(30), "", "receive", "--qr", "--amount", "2100")
	if r.code != 0 || !strings.Contains(r.out, uri) || strings.ContainsAny(r.out, "█▀▄") {
		t.Fatalf("narrow terminal: exit %d\n%s", r.code, r.out)
	}
	if !strings.Contains(r.err, "too narrow") || strings.Count(r.out, uri) != 1 {
		t.Fatalf("narrow terminal must say so and print the URI once: %q / %q", r.out, r.err)
	}
	r = c.runApp(onTerminal(120), "", "receive", "--qr", "--amount", "2100")
	if r.code != 0 || !strings.ContainsAny(r.out, "█▀▄") || r.err != "" {
		t.Fatalf("wide terminal: exit %d\n%s\n%s", r.code, r.out, r.err)
	}
	lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
	width := len([]rune(lines[1]))
	if width > 120 || width < 25 {
		t.Fatalf("QR line width %d", width)
	}
	// A code exactly as wide as the terminal fits.
	if r := c.runApp(onTerminal(width), "", "receive", "--qr", "--amount", "2100"); !strings.ContainsAny(r.out, "█▀▄") {
		t.Fatalf("a %d-column code must fit %d columns", width, width)
	}
	// Not a terminal: the code is drawn, whatever the width.
	if r := c.mustRun("", "receive", "--qr"); !strings.ContainsAny(r.out, "█▀▄") {
		t.Fatal("no QR code on a pipe")
	}
}

func TestGenMan(t *testing.T) {
	c := newCLI(t)
	dir := filepath.Join(t.TempDir(), "man")
	c.env["SOURCE_DATE_EPOCH"] = "1764072000" // 2025-11-25
	c.mustRun("", "gen-man", dir)
	for _, page := range []string{"satchel.1", "satchel-send.1", "satchel-wait.1", "satchel-config-set.1", "satchel-completion-bash.1"} {
		b, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if !strings.Contains(s, `.TH "SATCHEL" "1" "Nov 2025"`) || !strings.Contains(s, "EXIT STATUS") {
			t.Errorf("%s: no header or exit status:\n%.400s", page, s)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "satchel-gen-man.1")); err == nil {
		t.Error("the hidden gen-man command got a page")
	}
}

func TestCompletionScripts(t *testing.T) {
	c := newCLI(t)
	r := c.mustRun("", "completion", "bash")
	c.golden("completion.bash", r.out)
	for shell, marker := range map[string]string{"zsh": "#compdef satchel", "fish": "complete -c satchel", "powershell": "Register-ArgumentCompleter"} {
		if r := c.mustRun("", "completion", shell); !strings.Contains(r.out, marker) {
			t.Errorf("%s script lacks %q", shell, marker)
		}
	}
	if r := c.mustRun("", "--help"); !strings.Contains(r.out, "\n  completion ") {
		t.Error("completion is not listed in --help")
	}
}

// complete asks cobra's hidden __complete command, as the shell scripts do, and returns the
// candidates (without descriptions) and the directive line.
func (c *cli) complete(args ...string) ([]string, string) {
	c.t.Helper()
	r := c.mustRun("", append([]string{"__complete"}, args...)...)
	lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
	var out []string
	for _, l := range lines[:len(lines)-1] {
		v, _, _ := strings.Cut(l, "\t")
		out = append(out, v)
	}
	return out, lines[len(lines)-1]
}

func TestDynamicCompletion(t *testing.T) {
	c, _ := shopWallet(t)
	c.mustRun("", "create", "--wallet", "savings")
	os.MkdirAll(filepath.Join(c.home, "regtest", "not-a-wallet"), 0o700)
	c.mustRun("", "create", "--wallet", "main-net", "--network", "signet")

	us := decodeJSON[[]utxoJSON](t, c.mustRun("", "utxos", "--offline", "--json").out)
	var frozen, free []string
	for _, u := range us {
		if u.Frozen {
			frozen = append(frozen, u.OutPoint)
		} else {
			free = append(free, u.OutPoint)
		}
	}
	c.mustRun("", "tip", "schedule", "bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h", "2100", "--every", "1w", "--start", "2027-01-01")
	c.mustRun("", "tip", "schedule", "bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h", "2100", "--every", "1w", "--start", "2027-01-01")
	c.mustRun("", "tip", "schedule", "cancel", "sched-1")
	c.mustRun("", "tip", "add", "bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h", "3000")
	c.mustRun("", "tip", "add", "bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h", "4000", "--label", "thanks")
	c.mustRun("", "tip", "cancel", "tip-1")
	hist := c.history("default")
	pendingOut := ""
	for _, h := range hist {
		if h.Amount < 0 && h.Status == "pending" {
			pendingOut = h.TxID
		}
	}

	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"wallet names", []string{"info", "--wallet", ""}, []string{"default", "savings"}},
		{"wallet names by prefix", []string{"info", "--wallet", "s"}, []string{"savings"}},
		{"wallet names of the network asked", []string{"info", "--network", "signet", "--wallet", ""}, []string{"main-net"}},
		{"networks", []string{"info", "--network", ""}, []string{"mainnet", "testnet", "testnet4", "signet", "regtest"}},
		{"units", []string{"balance", "--unit", ""}, []string{"sat", "btc"}},
		{"freeze: coins not frozen", []string{"freeze", ""}, free},
		{"unfreeze: frozen coins", []string{"unfreeze", ""}, frozen},
		{"send --from: every coin", []string{"send", "--from", ""}, outpoints(us)},
		{"bump-fee: pending payments out", []string{"bump-fee", ""}, []string{pendingOut}},
		{"label: txids", []string{"label", ""}, txids(hist)},
		{"label: only the first argument", []string{"label", pendingOut, ""}, nil},
		{"config keys", []string{"config", "get", ""}, append(settingKeys(), limitKeys...)},
		{"config values", []string{"config", "set", "unit", ""}, []string{"sat", "btc"}},
		{"wait --label", []string{"wait", "--label", ""}, []string{"coffee"}},
		{"tip schedule cancel: schedules not cancelled", []string{"tip", "schedule", "cancel", ""}, []string{"sched-2"}},
		{"tip cancel: tips neither cancelled nor paid", []string{"tip", "cancel", ""}, []string{"tip-2"}},
		{"tip cancel: only the first argument", []string{"tip", "cancel", "tip-2", ""}, nil},
		{"other wallet: empty", []string{"freeze", "--wallet", "savings", ""}, nil},
		{"missing wallet: nothing, quietly", []string{"freeze", "--wallet", "nosuch", ""}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, directive := c.complete(tc.args...)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if directive != ":4" {
				t.Errorf("directive %q, want :4 (no file completion)", directive)
			}
		})
	}
	// A broken global config does not break completion.
	c.env["SATCHEL_CONFIG"] = filepath.Join(t.TempDir(), "bad.toml")
	os.WriteFile(c.env["SATCHEL_CONFIG"], []byte("colour = \"on\"\n"), 0o600)
	if got, _ := c.complete("unfreeze", ""); strings.Join(got, " ") != strings.Join(frozen, " ") {
		t.Errorf("with a bad global config: %q", got)
	}
	if r := c.run("", "balance", "--offline"); r.code != exitUsage || !strings.Contains(r.err, "colour") {
		t.Errorf("a bad global config must stop commands naming the key: exit %d %s", r.code, r.err)
	}
	delete(c.env, "SATCHEL_CONFIG")
	// Descriptions carry the value.
	r := c.mustRun("", "__complete", "unfreeze", "")
	if !strings.Contains(r.out, "\t21,000 sat coffee") {
		t.Errorf("outpoint completion lacks value and label: %q", r.out)
	}
	if r := c.mustRun("", "__complete", "tip", "cancel", ""); !strings.Contains(r.out, "tip-2\t4,000 sat to bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h thanks\n") {
		t.Errorf("tip completion lacks amount, payee and label: %q", r.out)
	}
}

func outpoints(us []utxoJSON) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.OutPoint)
	}
	return out
}

func txids(hs []historyJSON) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.TxID)
	}
	return out
}

// TestConfigPrecedence checks every layer of every key: flag > env > wallet config > global
// config > default.
func TestConfigPrecedence(t *testing.T) {
	type layers struct{ flag, env, wallet, global string }
	for _, tc := range []struct {
		key  string
		l    layers
		want string
		src  string
	}{
		{"backend", layers{}, "", "default"},
		{"backend", layers{global: "btcd://g:p@localhost:1"}, "btcd://g:p@localhost:1", "global"},
		{"backend", layers{wallet: "btcd://w:p@localhost:2", global: "btcd://g:p@localhost:1"}, "btcd://w:p@localhost:2", "wallet"},
		{"backend", layers{env: "btcd://e:p@localhost:3", wallet: "btcd://w:p@localhost:2", global: "btcd://g:p@localhost:1"}, "btcd://e:p@localhost:3", "env"},
		{"backend", layers{flag: "btcd://f:p@localhost:4", env: "btcd://e:p@localhost:3", wallet: "btcd://w:p@localhost:2"}, "btcd://f:p@localhost:4", "flag"},
		{"gap-limit", layers{}, "20", "default"},
		{"gap-limit", layers{global: "30"}, "30", "global"},
		{"gap-limit", layers{wallet: "40", global: "30"}, "40", "wallet"},
		{"gap-limit", layers{env: "50", wallet: "40"}, "50", "env"},
		{"gap-limit", layers{flag: "60", env: "50", wallet: "40", global: "30"}, "60", "flag"},
		{"unit", layers{}, "sat", "default"},
		{"unit", layers{global: "btc"}, "btc", "global"},
		{"unit", layers{wallet: "sat", global: "btc"}, "sat", "wallet"},
		{"unit", layers{env: "btc", wallet: "sat"}, "btc", "env"},
		{"unit", layers{flag: "sat", env: "btc", wallet: "btc", global: "btc"}, "sat", "flag"},
		{"fee-target", layers{}, "6", "default"},
		{"fee-target", layers{global: "144"}, "144", "global"},
		{"fee-target", layers{wallet: "2", global: "144"}, "2", "wallet"},
		{"fee-target", layers{env: "3", wallet: "2"}, "3", "env"},
		{"proxy", layers{}, "", "default"},
		{"proxy", layers{global: "socks5://127.0.0.1:9050"}, "socks5://127.0.0.1:9050", "global"},
		{"proxy", layers{wallet: "socks5h://10.0.0.1:1080", global: "socks5://127.0.0.1:9050"}, "socks5h://10.0.0.1:1080", "wallet"},
		{"proxy", layers{env: "socks5://[::1]:9050", wallet: "socks5h://10.0.0.1:1080"}, "socks5://[::1]:9050", "env"},
		{"proxy", layers{flag: "socks5://127.0.0.1:1", env: "socks5://[::1]:9050", wallet: "socks5h://10.0.0.1:1080"}, "socks5://127.0.0.1:1", "flag"},
		{"network", layers{}, "mainnet", "default"},
		{"network", layers{global: "signet"}, "signet", "global"},
		{"network", layers{env: "regtest", global: "signet"}, "regtest", "env"},
		{"network", layers{flag: "testnet4", env: "regtest", global: "signet"}, "testnet4", "flag"},
		{"wallet", layers{}, "default", "default"},
		{"wallet", layers{global: "shop"}, "shop", "global"},
		{"wallet", layers{env: "tips", global: "shop"}, "tips", "env"},
		{"wallet", layers{flag: "cafe", env: "tips", global: "shop"}, "cafe", "flag"},
	} {
		t.Run(tc.key+" from "+tc.src, func(t *testing.T) {
			tmp := t.TempDir()
			wdir := filepath.Join(tmp, "wallet")
			gpath := filepath.Join(tmp, "xdg", "satchel", "config.toml")
			env := map[string]string{"XDG_CONFIG_HOME": filepath.Join(tmp, "xdg")}
			d, _ := settingByKey(tc.key)
			if tc.l.env != "" {
				env[d.env] = tc.l.env
			}
			if tc.l.wallet != "" {
				if err := writeConfigFile(filepath.Join(wdir, configFile), configValues{tc.key: tc.l.wallet}); err != nil {
					t.Fatal(err)
				}
			}
			if tc.l.global != "" {
				if err := writeConfigFile(gpath, configValues{tc.key: tc.l.global}); err != nil {
					t.Fatal(err)
				}
			}
			a := &App{Getenv: func(k string) string { return env[k] }}
			if tc.l.flag != "" {
				switch tc.key {
				case "backend":
					a.flags.backend = tc.l.flag
				case "gap-limit":
					a.flags.gapLimit = 60
				case "unit":
					a.flags.unit = tc.l.flag
				case "proxy":
					a.flags.proxy = tc.l.flag
				case "network":
					a.flags.network = tc.l.flag
				case "wallet":
					a.flags.wallet = tc.l.flag
				}
			}
			got, src, err := a.lookupSetting(wdir, tc.key)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want || src != tc.src {
				t.Fatalf("got %q from %s, want %q from %s", got, src, tc.want, tc.src)
			}
		})
	}
}

func TestConfigCommands(t *testing.T) {
	c := newCLI(t)
	c.env["XDG_CONFIG_HOME"] = filepath.Join(t.TempDir(), "xdg")
	gpath := filepath.Join(c.env["XDG_CONFIG_HOME"], "satchel", "config.toml")
	c.mustRun("", "create")
	wpath := filepath.Join(c.home, "regtest", "default", "config.toml")
	balance := func(args ...string) string {
		return c.mustRun("", append([]string{"balance", "--offline"}, args...)...).out
	}
	if !strings.Contains(balance(), "0 sat") {
		t.Fatal("default unit is sat")
	}
	c.mustRun("", "config", "set", "--global", "unit", "btc")
	if !strings.Contains(balance(), "0.00000000 BTC") {
		t.Fatalf("global unit btc not used:\n%s", balance())
	}
	c.mustRun("", "config", "set", "unit", "sat")
	if !strings.Contains(balance(), "0 sat") {
		t.Fatal("the wallet's unit does not beat the global one")
	}
	c.env["SATCHEL_UNIT"] = "btc"
	if !strings.Contains(balance(), "BTC") {
		t.Fatal("SATCHEL_UNIT does not beat the wallet config")
	}
	if !strings.Contains(balance("--unit", "sat"), " sat") {
		t.Fatal("--unit does not beat SATCHEL_UNIT")
	}
	delete(c.env, "SATCHEL_UNIT")

	for path, want := range map[string]os.FileMode{gpath: 0o600, wpath: 0o600, filepath.Dir(gpath): 0o700} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != want {
			t.Fatalf("%s: %v mode %o, want %o", path, err, fi.Mode().Perm(), want)
		}
	}
	if got := c.mustRun("", "config", "get", "unit").out; got != "sat\n" {
		t.Fatalf("config get unit = %q", got)
	}
	if got := c.mustRun("", "config", "get", "--global", "unit").out; got != "btc\n" {
		t.Fatalf("config get --global unit = %q", got)
	}
	c.mustRun("", "config", "set", "gap-limit", "50")
	if got := c.mustRun("", "config", "list").out; !strings.Contains(got, "\ngap-limit = 50  (wallet)\n") || !strings.Contains(got, "\nunit = sat  (wallet)\n") {
		t.Fatalf("config list:\n%s", got)
	}
	// --json keeps numbers as numbers and says where each value comes from.
	if got := c.mustRun("", "config", "list", "--json").out; !strings.Contains(got, "  \"gap-limit\": {\n    \"value\": 50,\n    \"source\": \"wallet\"\n  },\n") ||
		!strings.Contains(got, "  \"unit\": {\n    \"value\": \"sat\",\n    \"source\": \"wallet\"\n  }") {
		t.Fatalf("config list --json:\n%s", got)
	}
	if got := c.mustRun("", "config", "get", "gap-limit", "--json").out; got != "{\n  \"key\": \"gap-limit\",\n  \"value\": 50\n}\n" {
		t.Fatalf("config get --json:\n%s", got)
	}
	// Spending caps show in list, from wallet.db.
	c.mustRun("", "config", "set", "limit.daily", "100000")
	if got := c.mustRun("", "config", "list").out; !strings.Contains(got, "limit.daily = 100000  (wallet.db)\n") {
		t.Fatalf("config list without the caps:\n%s", got)
	}
	if got := c.mustRun("", "config", "list", "--json").out; !strings.Contains(got, "\"limit.daily\": {\n    \"value\": 100000,\n    \"source\": \"wallet.db\"") {
		t.Fatalf("config list --json without the caps:\n%s", got)
	}
	c.mustRun("", "config", "unset", "limit.daily")
	// A password in a URL is masked in the list (pasted into bug reports), as info masks it;
	// config get, asked for that value, prints it whole.
	c.mustRun("", "config", "set", "backend", "btcd://rpc:s3cret@127.0.0.1:1")
	c.mustRun("", "config", "set", "proxy", "socks5://me:hunter2@127.0.0.1:9050")
	for _, flags := range [][]string{nil, {"--json"}} {
		got := c.mustRun("", append([]string{"config", "list"}, flags...)...).out
		if strings.Contains(got, "s3cret") || strings.Contains(got, "hunter2") || !strings.Contains(got, "btcd://rpc:***@127.0.0.1:1") || !strings.Contains(got, "socks5://me:***@127.0.0.1:9050") {
			t.Fatalf("config list %v shows a password:\n%s", flags, got)
		}
	}
	if got := c.mustRun("", "config", "get", "backend").out; got != "btcd://rpc:s3cret@127.0.0.1:1\n" {
		t.Fatalf("config get backend = %q", got)
	}
	c.mustRun("", "config", "unset", "backend")
	c.mustRun("", "config", "unset", "proxy")
	// A key no file sets: exit 1, not_set, and nothing on stdout.
	for _, key := range []string{"backend", "proxy", "limit.per-payment"} {
		r := c.run("", "config", "get", key, "--json")
		if code, _ := jsonError(t, r.err); r.code != exitError || code != "not_set" || r.out != "" {
			t.Errorf("config get %s unset: exit %d %s %q", key, r.code, r.err, r.out)
		}
	}
	if r := c.run("", "config", "get", "fee-target"); r.code != exitError || !strings.Contains(r.err, "default, 6") {
		t.Errorf("config get fee-target unset: exit %d %s", r.code, r.err)
	}

	// Refusals name the key, exit 2 and leave both files alone.
	wBefore, _ := os.ReadFile(wpath)
	gBefore, _ := os.ReadFile(gpath)
	for _, tc := range []struct {
		args     []string
		code, in string
	}{
		{[]string{"config", "set", "colour", "on"}, "unknown_config_key", "colour"},
		{[]string{"config", "set", "--global", "colour", "on"}, "unknown_config_key", "colour"},
		{[]string{"config", "get", "colour"}, "unknown_config_key", "colour"},
		{[]string{"config", "unset", "colour"}, "unknown_config_key", "colour"},
		{[]string{"config", "set", "unit", "eur"}, "bad_config_value", "unit"},
		{[]string{"config", "set", "gap-limit", "0"}, "bad_config_value", "gap-limit"},
		{[]string{"config", "set", "gap-limit", "many"}, "bad_config_value", "gap-limit"},
		{[]string{"config", "set", "fee-target", "2000"}, "bad_config_value", "fee-target"},
		{[]string{"config", "set", "backend", "localhost"}, "bad_config_value", "backend"},
		{[]string{"config", "set", "proxy", "http://127.0.0.1:8080"}, "bad_config_value", "proxy"},
		{[]string{"config", "set", "--global", "network", "moonnet"}, "bad_config_value", "network"},
		{[]string{"config", "set", "--global", "wallet", "../x"}, "bad_config_value", "wallet"},
		{[]string{"config", "set", "network", "signet"}, "global_config_key", "network"},
		{[]string{"config", "set", "wallet", "shop"}, "global_config_key", "wallet"},
	} {
		r := c.run("", append(tc.args, "--json")...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, want 2 (%s)", tc.args, r.code, r.err)
			continue
		}
		if code, msg := jsonError(t, r.err); code != tc.code || !strings.Contains(msg, tc.in) {
			t.Errorf("%v: %s %q, want %s naming %s", tc.args, code, msg, tc.code, tc.in)
		}
	}
	wAfter, _ := os.ReadFile(wpath)
	gAfter, _ := os.ReadFile(gpath)
	if !bytes.Equal(wBefore, wAfter) || !bytes.Equal(gBefore, gAfter) {
		t.Fatal("a refused config command changed a file")
	}

	// The global config picks the default network and wallet.
	c.mustRun("", "create", "--wallet", "shop")
	c.mustRun("", "config", "set", "--global", "wallet", "shop")
	c.mustRun("", "config", "set", "--global", "network", "regtest")
	delete(c.env, "SATCHEL_NETWORK")
	if got := c.mustRun("", "info", "--jq", ".wallet + \" \" + .network").out; got != "shop regtest\n" {
		t.Fatalf("global wallet and network: %q", got)
	}
	c.env["SATCHEL_WALLET"] = "default"
	if got := c.mustRun("", "info", "--jq", ".wallet").out; got != "default\n" {
		t.Fatalf("SATCHEL_WALLET does not beat the global wallet: %q", got)
	}
	c.env["SATCHEL_NETWORK"] = "regtest"

	// SATCHEL_CONFIG names the global file outright.
	other := filepath.Join(t.TempDir(), "other.toml")
	c.env["SATCHEL_CONFIG"] = other
	c.mustRun("", "config", "set", "--global", "unit", "btc")
	if got := c.mustRun("", "config", "path", "--global").out; got != other+"\n" {
		t.Fatalf("config path --global = %q", got)
	}
	if b, _ := os.ReadFile(other); string(b) != "unit = \"btc\"\n" {
		t.Fatalf("SATCHEL_CONFIG file: %q", b)
	}

	// A hand-edited bad value stops commands with exit 2 naming it; config unset repairs it.
	os.WriteFile(wpath, []byte("unit = \"eur\"\n"), 0o600)
	r := c.run("", "balance", "--offline", "--json")
	if code, msg := jsonError(t, r.err); r.code != exitUsage || code != "bad_config" || !strings.Contains(msg, "unit") {
		t.Fatalf("bad file value: exit %d %s %q", r.code, code, msg)
	}
	c.mustRun("", "config", "unset", "unit")
	c.mustRun("", "balance", "--offline")
	// A number may be written bare or quoted.
	os.WriteFile(wpath, []byte("gap-limit = 30\nfee-target = \"12\"\n"), 0o600)
	if got := c.mustRun("", "config", "get", "gap-limit").out; got != "30\n" {
		t.Fatalf("bare number: %q", got)
	}
	c.mustRun("", "balance", "--offline")
}

func TestWaitOnFakeChain(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	a0 := c.mustRun("", "receive", "--label", "tip", "--jq", ".address").out
	a0 = strings.TrimSpace(a0)
	tx := chaintest.Pay(7, wire.NewTxOut(2_100, regtestScript(t, a0)))
	fc.AddMempool(tx)

	// Already there: returns at once, with 0 confirmations.
	r := c.mustRun("", "wait", "--address", a0, "--json")
	got := decodeJSON[waitJSON](t, r.out)
	if got.TxID != tx.TxHash().String() || got.Amount != 2_100 || got.Address != a0 || got.Confirmations != 0 || got.Height != nil {
		t.Fatalf("wait = %+v", got)
	}
	var raw map[string]any
	json.Unmarshal([]byte(r.out), &raw)
	for _, k := range []string{"txid", "address", "amount_sat", "confirmations", "height"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("wait output lacks %s: %s", k, r.out)
		}
	}
	if r := c.mustRun("", "wait", "--label", "tip", "--jq", ".amount_sat"); r.out != "2100\n" {
		t.Fatalf("wait --label: %q", r.out)
	}
	fc.Mine(2)
	r = c.mustRun("", "wait", "--txid", tx.TxHash().String(), "--confirmations", "2")
	if !strings.Contains(r.out, "2 confirmations") {
		t.Fatalf("wait --txid: %q", r.out)
	}

	for _, tc := range []struct {
		args []string
		code string
	}{
		{[]string{"wait"}, "wait_target"},
		{[]string{"wait", "--address", a0, "--label", "tip"}, "wait_target"},
		{[]string{"wait", "--address", "bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h"}, "not_our_address"},
		{[]string{"wait", "--address", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}, "bad_address"},
		{[]string{"wait", "--label", "nobody"}, "unknown_label"},
		{[]string{"wait", "--txid", "abc"}, "bad_txid"},
		{[]string{"wait", "--address", a0, "--offline"}, "offline"},
		{[]string{"wait", "--address", a0, "--confirmations", "-1"}, "bad_confirmations"},
	} {
		r := c.run("", append(tc.args, "--json")...)
		if code, _ := jsonError(t, r.err); r.code != exitUsage || code != tc.code {
			t.Errorf("%v: exit %d code %s, want 2 %s", tc.args, r.code, code, tc.code)
		}
	}

	// Timeout: exit 1, code timeout, about when asked.
	start := time.Now()
	r = c.run("", "wait", "--address", a0, "--confirmations", "10", "--timeout", "1500ms", "--json")
	if code, _ := jsonError(t, r.err); r.code != exitError || code != "timeout" || r.out != "" {
		t.Fatalf("timeout: exit %d %s %q", r.code, r.err, r.out)
	}
	if d := time.Since(start); d < 1400*time.Millisecond || d > 10*time.Second {
		t.Fatalf("timeout took %s", d)
	}
}

// config list with nothing set lists every key it knows, the spending caps too, each with its
// default or "not set"; --json says where each value comes from (null when nothing sets it).
func TestConfigListWithNothingSetAndTheKeysItKnows(t *testing.T) {
	c := newCLI(t)
	c.env["XDG_CONFIG_HOME"] = filepath.Join(t.TempDir(), "xdg")
	c.mustRun("", "create")
	got := c.mustRun("", "config", "list").out
	c.golden("config-list-nothing-set.txt", got)
	for _, k := range append(settingKeys(), limitKeys...) {
		if !strings.Contains("\n"+got, "\n"+k+" ") {
			t.Errorf("config list lacks %s:\n%s", k, got)
		}
	}
	if !strings.Contains(got, "\ngap-limit = 20  (default)\n") || !strings.Contains(got, "\nlimit.daily  (not set)\n") {
		t.Fatalf("config list:\n%s", got)
	}
	r := c.mustRun("", "config", "list", "--json")
	c.golden("config-list-nothing-set.json", r.out)
	all := decodeJSON[map[string]configListEntry](t, r.out)
	if len(all) != len(settings)+len(limitKeys) {
		t.Fatalf("%d keys, want %d: %s", len(all), len(settings)+len(limitKeys), r.out)
	}
	if e := all["fee-target"]; e.Source != "default" || e.Value != float64(6) {
		t.Fatalf("fee-target %+v", e)
	}
	if e := all["backend"]; e.Source != "not_set" || e.Value != nil {
		t.Fatalf("backend %+v", e)
	}
	// Set, a key says which file holds it; the global list leaves out the wallet's caps.
	c.mustRun("", "config", "set", "limit.per-payment", "5000")
	c.mustRun("", "config", "set", "--global", "unit", "btc")
	all = decodeJSON[map[string]configListEntry](t, c.mustRun("", "config", "list", "--json").out)
	if e := all["limit.per-payment"]; e.Source != "wallet.db" || e.Value != float64(5000) {
		t.Fatalf("limit.per-payment %+v", e)
	}
	if e := all["unit"]; e.Source != "global" || e.Value != "btc" {
		t.Fatalf("unit %+v", e)
	}
	if g := c.mustRun("", "config", "list", "--global").out; strings.Contains(g, "limit.") || !strings.Contains(g, "\nunit = btc  (global)\n") {
		t.Fatalf("config list --global:\n%s", g)
	}
	// A flag or variable that beats the files is named beside what the files say.
	if g := c.mustRun("", "config", "list", "--unit", "SAT").out; !strings.Contains(g, "\nunit = btc  (global; --unit sat is used)\n") ||
		!strings.Contains(g, "\nnetwork = mainnet  (default; SATCHEL_NETWORK=regtest is used)\n") {
		t.Fatalf("config list --unit SAT:\n%s", g)
	}
	if e := decodeJSON[map[string]configListEntry](t, c.mustRun("", "config", "list", "--json").out)["network"]; e.OverriddenBy != "SATCHEL_NETWORK" || e.InUse != "regtest" {
		t.Fatalf("network %+v", e)
	}
}

// Before the first create, config list shows the global settings and defaults, and says why
// the wallet's own (and its spending caps) are missing.
func TestConfigListBeforeAnyWallet(t *testing.T) {
	c := newCLI(t)
	c.env["XDG_CONFIG_HOME"] = filepath.Join(t.TempDir(), "xdg")
	r := c.mustRun("", "config", "list")
	if !strings.Contains(r.out, "\ngap-limit = 20  (default)\n") || strings.Contains(r.out, "limit.") || !strings.Contains(r.err, "no wallet yet") {
		t.Fatalf("out:\n%s\nerr: %s", r.out, r.err)
	}
	if all := decodeJSON[map[string]configListEntry](t, c.mustRun("", "config", "list", "--json").out); len(all) != len(settings) {
		t.Fatalf("%d keys, want %d", len(all), len(settings))
	}
	// A command that needs the wallet still says there is none.
	if r := c.run("", "config", "get", "gap-limit"); r.code != exitError || !strings.Contains(r.err, "no such wallet") {
		t.Fatalf("config get: exit %d %s", r.code, r.err)
	}
	// Once a wallet exists, a --wallet name that is none is a typo: no such wallet, exit 1,
	// not the global settings with "no wallet yet" and exit 0.
	c.mustRun("", "create")
	if r := c.run("", "config", "list", "--wallet", "typo"); r.code != exitError || !strings.Contains(r.err, "no such wallet") || r.out != "" {
		t.Fatalf("config list --wallet typo: exit %d out %q err %s", r.code, r.out, r.err)
	}
}
