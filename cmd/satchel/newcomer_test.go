package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// Cancelling what is already cancelled (a tip, a schedule) says so, exits 0 and changes no
// file; under --json already_cancelled tells the first cancel from a repeated one.
func TestCancelTwiceSaysAlreadyCancelled(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	tip := strings.TrimSpace(c.mustRun("", "tip", "add", outsider, "2100").out)
	tipJ := strings.TrimSpace(c.mustRun("", "tip", "add", outsider, "2200").out)
	sched := strings.TrimSpace(strings.SplitN(c.mustRun("", "tip", "schedule", outsider, "2100", "--every", "1w", "--start", "2026-12-01").out, "\n", 2)[0])
	schedJ := strings.TrimSpace(strings.SplitN(c.mustRun("", "tip", "schedule", outsider, "2300", "--every", "1w", "--start", "2026-12-01").out, "\n", 2)[0])
	for _, tc := range []struct {
		args        []string
		first, then string
	}{
		{[]string{"tip", "cancel", tip}, tip + " cancelled\n", tip + " was already cancelled\n"},
		{[]string{"tip", "schedule", "cancel", sched}, sched + " cancelled\n", sched + " was already cancelled\n"},
		{[]string{"tip", "cancel", tipJ, "--json"}, `"already_cancelled": false`, `"already_cancelled": true`},
		{[]string{"tip", "schedule", "cancel", schedJ, "--json"}, `"already_cancelled": false`, `"already_cancelled": true`},
	} {
		r := c.mustRun("", tc.args...)
		if !strings.Contains(r.out, tc.first) {
			t.Errorf("%v: first %q, want %q", tc.args, r.out, tc.first)
		}
		before := snapshot(t, c.home)
		r = c.run("", tc.args...)
		if r.code != 0 || !strings.Contains(r.out, tc.then) || r.err != "" {
			t.Errorf("%v again: exit %d %q %q, want %q", tc.args, r.code, r.out, r.err, tc.then)
		}
		if !reflect.DeepEqual(before, snapshot(t, c.home)) {
			t.Errorf("%v again changed a file", tc.args)
		}
	}
}

// A tip a flush has paid cannot be cancelled: exit 2, naming the transaction that paid it.
func TestCancelOfAPaidTipIsRefused(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	fc.Mine(1, chaintest.Coinbase(regtestScript(t, c.receiveAddr("default")), 5_000_000_000, 1))
	fc.Mine(100)
	id := strings.TrimSpace(c.mustRun("", "tip", "add", outsider, "2100").out)
	txid := strings.TrimSpace(c.mustRun("", "tip", "flush", "--fee-rate", "2", "--yes", "--jq", ".txid").out)
	before := snapshot(t, c.home)
	r := c.run("", "tip", "cancel", id)
	if want := "satchel: tip " + id + " is already paid by " + txid + ": a payment sent cannot be cancelled\n"; r.code != exitUsage || r.err != want || r.out != "" {
		t.Fatalf("exit %d %q %q, want %q", r.code, r.out, r.err, want)
	}
	if !reflect.DeepEqual(before, snapshot(t, c.home)) {
		t.Error("a refused cancel changed a file")
	}
}

// tip flush --dry-run with no backend: an empty queue is nothing to do, said alone (no warning
// that it answers from local state); queued tips are planned from local state as send
// --dry-run plans, and without --fee-rate both ask for one the same way.
func TestTipFlushDryRunWithoutBackend(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	fc.Mine(1, chaintest.Coinbase(regtestScript(t, c.receiveAddr("default")), 5_000_000_000, 1))
	fc.Mine(100)
	c.mustRun("", "sync")
	delete(c.env, "SATCHEL_BACKEND")
	for _, tc := range []struct {
		args []string
		out  string
	}{
		{[]string{"tip", "flush", "--dry-run"}, "Nothing to do: no tip to pay: the queue is empty\n"},
		{[]string{"tip", "flush", "--dry-run", "--fee-rate", "2"}, "Nothing to do: no tip to pay: the queue is empty\n"},
		{[]string{"tip", "flush", "--dry-run", "--json"}, "{\n  \"done\": false,\n  \"reason\": \"no tip to pay: the queue is empty\"\n}\n"},
		{[]string{"tip", "flush", "--dry-run", "--offline"}, "Nothing to do: no tip to pay: the queue is empty\n"},
	} {
		if r := c.run("", tc.args...); r.code != 0 || r.out != tc.out || r.err != "" {
			t.Errorf("%v: exit %d %q %q, want %q and nothing on stderr", tc.args, r.code, r.out, r.err, tc.out)
		}
	}
	c.mustRun("", "tip", "add", outsider, "2100")
	r := c.mustRun("", "tip", "flush", "--dry-run", "--fee-rate", "2", "--json")
	if p := decodeJSON[tipFlushJSON](t, r.out); len(p.Tips) != 1 || p.Amount != 2100 || !strings.Contains(r.err, `"no_backend"`) {
		t.Errorf("a dry run of a queued tip: %+v, stderr %q", p, r.err)
	}
	flush, send := c.run("", "tip", "flush", "--dry-run", "--json"), c.run("", "send", outsider, "2100", "--dry-run", "--json")
	fcode, fmsg := jsonError(t, flush.err)
	scode, smsg := jsonError(t, send.err)
	if flush.code != exitUsage || flush.code != send.code || fcode != scode || fmsg != smsg || !strings.Contains(fmsg, "--fee-rate") {
		t.Errorf("without --fee-rate: tip flush exit %d %s %q, send exit %d %s %q", flush.code, fcode, fmsg, send.code, scode, smsg)
	}
}

// Every "nothing here" line has one style: a capital first, no period at the end, and each
// says what is missing (golden file empty-states.txt).
func TestEmptyStatesShareOneStyle(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	style := regexp.MustCompile(`^[A-Z][^\n]*[^.\n]\n$`)
	var golden strings.Builder
	for _, args := range [][]string{
		{"history", "--offline"},
		{"history", "--offline", "--offset", "5"},
		{"utxos", "--offline"},
		{"tip", "list"},
		{"tip", "schedule", "list"},
		{"tip", "flush", "--offline", "--dry-run"},
		{"consolidate", "--offline", "--dry-run", "--fee-rate", "1", "--max-fee-rate", "0.5"},
	} {
		r := c.mustRun("", args...)
		if !style.MatchString(r.out) {
			t.Errorf("%v: %q is not one line starting with a capital and ending without a period", args, r.out)
		}
		fmt.Fprintf(&golden, "satchel %s\n  %s", strings.Join(args, " "), r.out)
	}
	// fees with a backend that has no estimates (regtest): its last line says so alike.
	f, _ := fakeCLI(t)
	f.mustRun("", "create")
	r := f.mustRun("", "fees")
	last := r.out[strings.LastIndex(strings.TrimSuffix(r.out, "\n"), "\n")+1:]
	if !style.MatchString(last) || !strings.HasPrefix(last, "No estimates") {
		t.Errorf("fees without estimates ends with %q", last)
	}
	fmt.Fprintf(&golden, "satchel fees (no estimates)\n  %s", last)
	c.golden("empty-states.txt", golden.String())
}

// A variable with a bad value is refused by every command as config set refuses the value
// (the same words, naming the variable; exit 2), before any network access; config list
// still runs and says it is refused.
func TestBadSettingFromTheEnvironmentIsRefused(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.dial = func(context.Context, string) (chain.Backend, error) {
		t.Error("a backend was dialled")
		return nil, errors.New("no network in this test")
	}
	for _, tc := range []struct{ env, key, value string }{
		{"SATCHEL_FIAT", "fiat", "XYZ"},
		{"SATCHEL_FIAT", "fiat", "US"},
		{"SATCHEL_DNS_RESOLVER", "dns-resolver", "127.0.0.1:70000"},
		{"SATCHEL_FEE_TARGET", "fee-target", "0"},
		{"SATCHEL_PRICE_SOURCE", "price-source", "ftp://prices.example"},
	} {
		set := c.run("", "config", "set", tc.key, tc.value)
		_, why, _ := strings.Cut(set.err, fmt.Sprintf("config %s %q: ", tc.key, tc.value))
		if set.code != exitUsage || why == "" {
			t.Fatalf("config set %s %s: exit %d %q", tc.key, tc.value, set.code, set.err)
		}
		c.env[tc.env] = tc.value
		for _, args := range [][]string{{"balance", "--offline"}, {"tip", "list"}, {"history", "--offline"}, {"receive"}} {
			r := c.run("", args...)
			if want := fmt.Sprintf("satchel: %s %q: %s", tc.env, tc.value, why); r.code != exitUsage || r.err != want || r.out != "" {
				t.Errorf("%s=%s satchel %v: exit %d %q %q, want %q", tc.env, tc.value, args, r.code, r.out, r.err, want)
			}
		}
		if code, _ := jsonError(t, c.run("", "tip", "list", "--json").err); code != "bad_"+strings.ReplaceAll(tc.key, "-", "_") {
			t.Errorf("%s=%s --json: code %q", tc.env, tc.value, code)
		}
		if r := c.mustRun("", "config", "list"); !strings.Contains(r.out, fmt.Sprintf("%s=%s is refused: ", tc.env, tc.value)) {
			t.Errorf("config list with %s=%s:\n%s", tc.env, tc.value, r.out)
		}
		delete(c.env, tc.env)
	}
}

// A config file with a bad value stops every other command with exit 2, naming the file, the
// key and the satchel command that repairs it; config list and get still show it (warning),
// and config set and unset of that key repair it, leaving the rest of the file as it was.
func TestBadConfigFileIsRepairedWithSatchel(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.env["SATCHEL_CONFIG"] = filepath.Join(t.TempDir(), "global.toml")
	walletFile := filepath.Join(c.home, "regtest", "default", "config.toml")
	for _, tc := range []struct {
		name, line, key string
		global          bool
		good            string // a value config set repairs it with ("" when set cannot)
		fix             string
	}{
		{"port above 65,535", `dns-resolver = "127.0.0.1:70000"`, "dns-resolver", false, "127.0.0.1:53", "satchel config unset dns-resolver"},
		{"in the global file", `dns-resolver = "127.0.0.1:70000"`, "dns-resolver", true, "127.0.0.1:53", "satchel config unset --global dns-resolver"},
		{"a fraction", `gap-limit = 1.5`, "gap-limit", false, "30", "satchel config unset gap-limit"},
		{"a boolean", `gap-limit = true`, "gap-limit", false, "30", "satchel config unset gap-limit"},
		{"an unknown currency", `fiat = "XYZ"`, "fiat", false, "USD", "satchel config unset fiat"},
		{"a backend with a password", `backend = "ftp://u:hunter2@h.example"`, "backend", false, "https://esplora.invalid/api", "satchel config unset backend"},
		{"an unknown key", `colour = "red"`, "colour", false, "", "remove it with: satchel config unset colour"},
		{"a global key in a wallet file", `network = "regtest"`, "network", false, "", "move it with satchel config unset network, then satchel config set --global network regtest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file, flags := walletFile, []string{}
			if tc.global {
				file, flags = c.env["SATCHEL_CONFIG"], []string{"--global"}
			}
			write := func() {
				if err := os.WriteFile(file, []byte("unit = \"btc\"\n"+tc.line+"\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			write()
			defer os.Remove(file)
			r := c.run("", "tip", "list", "--json")
			code, msg := jsonError(t, r.err)
			if r.code != exitUsage || code != "bad_config" || !strings.Contains(msg, file) || !strings.Contains(msg, tc.key) ||
				!strings.Contains(msg, tc.fix) || strings.Contains(msg, "hunter2") {
				t.Fatalf("tip list: exit %d %s %q", r.code, code, msg)
			}
			if r := c.mustRun("", append([]string{"config", "list"}, flags...)...); !strings.Contains(r.err, "warning: "+msg+"\n") {
				t.Errorf("config list: %q, want the warning %q", r.err, msg)
			}
			if tc.key != "colour" {
				c.mustRun("", append([]string{"config", "get", tc.key}, flags...)...)
			}
			repaired := func(how string) {
				t.Helper()
				c.mustRun("", "tip", "list")
				if b, _ := os.ReadFile(file); !strings.Contains(string(b), `unit = "btc"`) || strings.Contains(string(b), tc.line) {
					t.Errorf("after %s the file holds:\n%s", how, b)
				}
			}
			if tc.good != "" {
				c.mustRun("", append([]string{"config", "set", tc.key, tc.good}, flags...)...)
				repaired("config set")
				write()
			}
			c.mustRun("", append([]string{"config", "unset", tc.key}, flags...)...)
			repaired("config unset")
		})
	}
	// Another key is not written while a value of another type remains (written back, it
	// would quietly become a string): the refusal says which key to repair.
	if err := os.WriteFile(walletFile, []byte("gap-limit = 1.5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := c.run("", "config", "set", "unit", "btc"); r.code != exitUsage || !strings.Contains(r.err, "satchel config unset gap-limit") {
		t.Errorf("set of another key: exit %d %q", r.code, r.err)
	}
	if b, _ := os.ReadFile(walletFile); string(b) != "gap-limit = 1.5\n" {
		t.Errorf("the file changed: %q", b)
	}
	os.Remove(walletFile)
	// config unset of an unknown key no file holds is still refused.
	if r := c.run("", "config", "unset", "colour"); r.code != exitUsage || !strings.Contains(r.err, `unknown config key "colour"`) {
		t.Errorf("unset of an unknown key: exit %d %q", r.code, r.err)
	}
}

// tip add --id of an id used before names the tip's state now: a retry does not read
// "queued" about a tip cancelled or paid since.
func TestTipAddSameIDSaysItsStateNow(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	fc.Mine(1, chaintest.Coinbase(regtestScript(t, c.receiveAddr("default")), 5_000_000_000, 1))
	fc.Mine(100)
	add := func(id string) string { return c.mustRun("", "tip", "add", outsider, "2100", "--id", id).out }
	if got := add("order-1"); got != "order-1\n" {
		t.Fatalf("first add: %q", got)
	}
	if got := add("order-1"); got != "order-1 (already queued)\n" {
		t.Errorf("again: %q", got)
	}
	c.mustRun("", "tip", "cancel", "order-1")
	if got, want := add("order-1"), "order-1 (already queued, and cancelled since: give another --id to queue it again)\n"; got != want {
		t.Errorf("after cancel: %q, want %q", got, want)
	}
	add("order-2")
	txid := strings.TrimSpace(c.mustRun("", "tip", "flush", "--fee-rate", "2", "--yes", "--jq", ".txid").out)
	if got, want := add("order-2"), "order-2 (already queued, and paid since by "+txid+")\n"; got != want {
		t.Errorf("after flush: %q, want %q", got, want)
	}
	if r := c.mustRun("", "tip", "add", outsider, "2100", "--id", "order-3", "--json"); !strings.Contains(r.out, `"already_queued": false`) {
		t.Errorf("--json of a new tip: %s", r.out)
	}
	if r := c.mustRun("", "tip", "add", outsider, "2100", "--id", "order-2", "--json"); !strings.Contains(r.out, `"status": "paid"`) || !strings.Contains(r.out, `"already_queued": true`) {
		t.Errorf("--json after flush: %s", r.out)
	}
}

// tip add 2usd --id X again, once the price has moved, is the tip already queued (it keeps
// its satoshis), not a conflict; another currency amount under that id is one.
func TestTipAddInACurrencyRetriedWithTheSameID(t *testing.T) {
	c := newCLI(t)
	ps := newPriceServer(t)
	c.env["SATCHEL_PRICE_SOURCE"] = ps.url()
	c.mustRun("", "create")
	ps.set(c.now.Add(-12*time.Second), "100000")
	first := decodeJSON[tipJSON](t, c.mustRun("", "tip", "add", outsider, "2usd", "--id", "order-1", "--json").out)
	if first.Amount != 2000 || first.Fiat != "2.00 USD" {
		t.Fatalf("first: %+v", first)
	}
	ps.set(c.now.Add(-5*time.Second), "125000")
	if r := c.mustRun("", "tip", "add", outsider, "2USD", "--id", "order-1"); r.out != "order-1 (already queued)\n" {
		t.Errorf("retry at another price: %q %q", r.out, r.err)
	}
	ps.Close() // a retry asks for no price
	if r := c.mustRun("", "tip", "add", outsider, "2usd", "--id", "order-1"); r.out != "order-1 (already queued)\n" {
		t.Errorf("retry without a price: %q %q", r.out, r.err)
	}
	if got := decodeJSON[[]tipJSON](t, c.mustRun("", "tip", "list", "--json").out); len(got) != 1 || got[0].Amount != 2000 {
		t.Errorf("queue: %+v", got)
	}
	if r := c.mustRun("", "tip", "list"); !strings.Contains(r.out, "  2,000 sat (2.00 USD)  ") {
		t.Errorf("tip list does not show the amount as typed:\n%s", r.out)
	}
	ps2 := newPriceServer(t)
	c.env["SATCHEL_PRICE_SOURCE"] = ps2.url()
	ps2.set(c.now.Add(-5*time.Second), "125000")
	if r := c.run("", "tip", "add", outsider, "3usd", "--id", "order-1", "--json"); r.code != exitUsage {
		t.Errorf("another amount under the id: exit %d %q", r.code, r.err)
	} else if code, _ := jsonError(t, r.err); code != "tip_id_conflict" {
		t.Errorf("another amount under the id: code %s", code)
	}
}

// config set and unset say when what they changed does not decide the value in use: a
// variable beats the files, a wallet's file beats the global one, and a key unset from a
// wallet's file may still come from the global one; each warning says how to change that.
func TestConfigSetSaysWhatStillDecides(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.env["SATCHEL_CONFIG"] = filepath.Join(t.TempDir(), "global.toml")
	for _, tc := range []struct {
		name string
		env  string // SATCHEL_FIAT for this step
		args []string
		warn string // "" for none
	}{
		{"global, nothing beats it", "", []string{"config", "set", "--global", "fiat", "USD"}, ""},
		{"unset where it is not set", "", []string{"config", "unset", "fiat"},
			"warning: fiat is not set in the config of wallet default; the global config sets fiat = USD for every wallet: satchel config unset --global fiat\n"},
		{"the wallet's own", "", []string{"config", "set", "fiat", "EUR"}, ""},
		{"global under a wallet's", "", []string{"config", "set", "--global", "fiat", "GBP"},
			"warning: the config of wallet default sets fiat = EUR, which beats the global one there: satchel config unset fiat --wallet default\n"},
		{"under a variable", "JPY", []string{"config", "set", "fiat", "CHF"},
			"warning: SATCHEL_FIAT=JPY is set in the environment and beats the config files (unset it for them to apply)\n"},
		{"a variable that says the same", "CHF", []string{"config", "set", "fiat", "CHF"}, ""},
		{"unset under a variable", "JPY", []string{"config", "unset", "fiat"},
			"warning: SATCHEL_FIAT=JPY is set in the environment and beats the config files (unset it for them to apply)\n"},
		{"unset from the wallet's file, now global", "", []string{"config", "unset", "fiat"},
			"warning: fiat is not set in the config of wallet default; the global config sets fiat = GBP for every wallet: satchel config unset --global fiat\n"},
	} {
		c.env["SATCHEL_FIAT"] = tc.env
		if r := c.mustRun("", tc.args...); r.err != tc.warn {
			t.Errorf("%s: satchel %v: stderr %q, want %q", tc.name, tc.args, r.err, tc.warn)
		}
	}
}

// config set --json prints what config get --json prints afterwards (numbers as numbers, the
// allowed destinations as a list), and config unset --json one object too, its value null.
func TestConfigSetAndUnsetJSONMatchGet(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	for _, tc := range [][2]string{{"gap-limit", "30"}, {"fiat", "USD"}, {"limit.daily", "5000"}, {"limit.allow", outsider}} {
		set := c.mustRun("", "config", "set", tc[0], tc[1], "--json")
		if get := c.mustRun("", "config", "get", tc[0], "--json"); set.out != get.out {
			t.Errorf("config set %s --json printed %s, config get %s", tc[0], set.out, get.out)
		}
		if r := c.mustRun("", "config", "unset", tc[0], "--json"); r.out != "{\n  \"key\": \""+tc[0]+"\",\n  \"value\": null\n}\n" {
			t.Errorf("config unset %s --json: %q", tc[0], r.out)
		}
	}
	// Unset again (nothing to remove): the same object.
	if r := c.mustRun("", "config", "unset", "fiat", "--json"); r.out != "{\n  \"key\": \"fiat\",\n  \"value\": null\n}\n" {
		t.Errorf("config unset of a key not set --json: %q", r.out)
	}
}

// config get names a variable that beats the files: beside the file's value (a warning), or
// instead of "not set" (still exit 1, not_set).
func TestConfigGetNamesTheVariableInUse(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.env["SATCHEL_FIAT"] = "JPY"
	r := c.run("", "config", "get", "fiat")
	if want := "satchel: fiat is not set in the config files; SATCHEL_FIAT=JPY from the environment is used\n"; r.code != exitError || r.err != want {
		t.Errorf("not set: exit %d %q, want %q", r.code, r.err, want)
	}
	if code, _ := jsonError(t, c.run("", "config", "get", "fiat", "--json").err); code != "not_set" {
		t.Errorf("not set --json: code %s", code)
	}
	c.env["SATCHEL_FIAT"] = ""
	c.mustRun("", "config", "set", "fiat", "USD")
	c.env["SATCHEL_FIAT"] = "JPY"
	r = c.mustRun("", "config", "get", "fiat")
	if r.out != "USD\n" || r.err != "warning: SATCHEL_FIAT=JPY is set in the environment and is used instead\n" {
		t.Errorf("set in the file: %q %q", r.out, r.err)
	}
	c.env["SATCHEL_FIAT"] = "USD"
	if r := c.mustRun("", "config", "get", "fiat"); r.out != "USD\n" || r.err != "" {
		t.Errorf("the same in both: %q %q", r.out, r.err)
	}
}

// tip schedule list is a table as tip list is: a header row, amounts right-aligned, no
// trailing spaces (golden tip-schedule-list.txt).
func TestTipScheduleListIsATable(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.mustRun("", "tip", "schedule", outsider, "2100", "--every", "1w", "--start", "2026-12-01", "--label", "podcast")
	c.mustRun("", "tip", "schedule", outsider, "10000", "--every", "1mo", "--start", "2026-12-31")
	c.mustRun("", "tip", "schedule", "cancel", "sched-1")
	r := c.mustRun("", "tip", "schedule", "list")
	if !strings.HasPrefix(r.out, "ID ") || strings.Contains(r.out, " \n") {
		t.Errorf("not a table:\n%s", r.out)
	}
	c.golden("tip-schedule-list.txt", r.out)
}

// The DUE column of tip list picks its unit after rounding: never "in 60m", "in 48h" or
// "in 0m".
func TestUntilTextRoundsBeforeItPicksTheUnit(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "overdue"},
		{0, "overdue"},
		{20 * time.Second, "in 1m"},
		{5 * time.Minute, "in 5m"},
		{59*time.Minute + 50*time.Second, "in 1h"},
		{90 * time.Minute, "in 2h"},
		{47 * time.Hour, "in 47h"},
		{47*time.Hour + 50*time.Minute, "in 2d"},
		{48 * time.Hour, "in 2d"},
		{10 * 24 * time.Hour, "in 10d"},
	} {
		if got := untilText(tc.d); got != tc.want {
			t.Errorf("untilText(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// config set, get, unset and path before the first create say that --global works now; once
// a wallet exists, a --wallet name that is none is said as a typo only.
func TestConfigBeforeTheFirstWalletPointsToGlobal(t *testing.T) {
	c := newCLI(t)
	c.env["SATCHEL_CONFIG"] = filepath.Join(t.TempDir(), "global.toml")
	for _, args := range [][]string{{"config", "set", "unit", "btc"}, {"config", "get", "unit"}, {"config", "unset", "unit"}, {"config", "path"}} {
		r := c.run("", args...)
		if r.code != exitError || !strings.Contains(r.err, "satchel create") || !strings.Contains(r.err, "add --global") {
			t.Errorf("%v with no wallet: exit %d %q", args, r.code, r.err)
		}
	}
	c.mustRun("", "config", "set", "--global", "unit", "btc")
	c.mustRun("", "create")
	if r := c.run("", "config", "set", "unit", "btc", "--wallet", "typo"); r.code != exitError || strings.Contains(r.err, "--global") {
		t.Errorf("a wallet name that is none: exit %d %q", r.code, r.err)
	}
}

// config fiat takes any case, as amounts do (5usd): usd is written and used as USD.
func TestConfigFiatInAnyCase(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.mustRun("", "config", "set", "fiat", "usd")
	if r := c.mustRun("", "config", "get", "fiat"); r.out != "USD\n" {
		t.Errorf("config get fiat after set usd: %q", r.out)
	}
	c.env["SATCHEL_FIAT"] = "eur"
	c.mustRun("", "balance", "--offline")
	a := &App{Getenv: func(k string) string { return c.env[k] }}
	if got := a.displayCurrency(nil); got != "EUR" {
		t.Errorf("SATCHEL_FIAT=eur is shown as %q", got)
	}
	if r := c.run("", "config", "set", "fiat", "us1"); r.code != exitUsage || !strings.Contains(r.err, "ISO 4217 code of three letters") {
		t.Errorf("us1: exit %d %q", r.code, r.err)
	}
}

// A plan under --offline without --fee-rate says --offline is why no estimate was asked (a
// backend is set), not that there is no backend.
func TestOfflinePlanAsksForFeeRateNamingOffline(t *testing.T) {
	c, _ := fakeCLI(t)
	c.mustRun("", "create")
	c.mustRun("", "tip", "add", outsider, "2100")
	for _, args := range [][]string{
		{"send", outsider, "1000", "--dry-run", "--offline"},
		{"tip", "flush", "--dry-run", "--offline"},
		{"consolidate", "--dry-run", "--offline"},
	} {
		r := c.run("", args...)
		if want := "satchel: --offline asks no backend for a fee estimate: give --fee-rate SAT_PER_VB (or drop --offline)\n"; r.code != exitUsage || r.err != want {
			t.Errorf("%v: exit %d %q, want %q", args, r.code, r.err, want)
		}
	}
	delete(c.env, "SATCHEL_BACKEND")
	if r := c.run("", "send", outsider, "1000", "--dry-run"); !strings.HasSuffix(r.err, "satchel: no backend to estimate the fee: give --fee-rate SAT_PER_VB\n") {
		t.Errorf("no backend: %q", r.err)
	}
}

// version, help and completion scripts read no setting: a bad variable or config file does not
// stop them (they are what one reaches for when something is wrong), while other commands stop.
func TestBadSettingsDoNotStopHelpAndVersion(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	global := filepath.Join(t.TempDir(), "global.toml")
	if err := os.WriteFile(global, []byte("dns-resolver = \"127.0.0.1:70000\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []map[string]string{{"SATCHEL_FIAT": "XYZ"}, {"SATCHEL_CONFIG": global}} {
		for k, v := range bad {
			c.env[k] = v
		}
		for _, args := range [][]string{{"version"}, {"help", "tip"}, {"completion", "bash"}, {"tip", "--help"}} {
			if r := c.run("", args...); r.code != 0 || r.out == "" {
				t.Errorf("%v with %v: exit %d %q", args, bad, r.code, r.err)
			}
		}
		if r := c.run("", "tip", "list"); r.code != exitUsage {
			t.Errorf("tip list with %v: exit %d", bad, r.code)
		}
		for k := range bad {
			delete(c.env, k)
		}
	}
}

// tip schedule cancel given a queued tip's ID says how to take that one out, as tip cancel
// given a schedule's does.
func TestScheduleCancelOfATipSaysHowToCancelIt(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	id := strings.TrimSpace(c.mustRun("", "tip", "add", outsider, "2100").out)
	r := c.run("", "tip", "schedule", "cancel", id)
	if want := "satchel: " + id + " is a queued tip, not a recurring one: take it out with satchel tip cancel " + id + "\n"; r.code != exitUsage || r.err != want {
		t.Fatalf("exit %d %q, want %q", r.code, r.err, want)
	}
	// One occurrence of a schedule: both ways are named.
	c.mustRun("", "tip", "schedule", outsider, "2100", "--every", "1w", "--start", "2026-11-25")
	r = c.run("", "tip", "schedule", "cancel", "sched-1@2026-11-25")
	if want := "satchel: sched-1@2026-11-25 is one occurrence of sched-1: stop the schedule with satchel tip schedule cancel sched-1, or take out this occurrence alone with satchel tip cancel sched-1@2026-11-25\n"; r.code != exitUsage || r.err != want {
		t.Fatalf("an occurrence: exit %d %q, want %q", r.code, r.err, want)
	}
}
