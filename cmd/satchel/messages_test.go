package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func TestExitCodesAsTheTableSays(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		exit int
		code string
	}{
		{"wallet exists is a usage error", fmt.Errorf("%w: /x", wallet.ErrExists), exitUsage, "wallet_exists"},
		{"btcd node on another network", fmt.Errorf("dial: %w", btcd.ErrWrongNetwork), exitBackend, "backend_wrong_network"},
		{"esplora or electrum server on another network", fmt.Errorf("x: %w", netutil.ErrWrongNetwork), exitBackend, "backend_wrong_network"},
		{"any backend on another network", fmt.Errorf("x: %w", chain.ErrWrongNetwork), exitBackend, "backend_wrong_network"},
		{"an address for another network is the user's", fmt.Errorf("x: %w", address.ErrWrongNetwork), exitUsage, "wrong_network"},
		{"config key not set", notSet("backend"), exitError, "not_set"},
		{"bad address for a person", addressError("bcrt1qxx", errors.New("invalid separator index 43")), exitUsage, "bad_address"},
		{"already in chain keeps its code", humanError(&chain.BroadcastError{Cause: chain.CauseAlreadyInChain, Message: "Transaction already in block chain"}), exitBackend, "broadcast_rejected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exit, code := classify(tc.err)
			if exit != tc.exit || code != tc.code {
				t.Fatalf("exit %d %s, want %d %s", exit, code, tc.exit, tc.code)
			}
		})
	}
}

func TestDecliningAPromptIsDeclined(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	r := c.term(nil, func(string) string { return "n" }, "seed", "show", "--json")
	if code, _ := jsonError(t, r.err); r.code != exitError || code != "declined" {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
}

func TestMessagesForPeople(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  string
		want string
	}{
		{"one coin", count(1, "coin", "coins"), "1 coin"},
		{"many coins grouped", count(15000, "coin", "coins"), "15,000 coins"},
		{"no coins", count(0, "coin", "coins"), "0 coins"},
		{"bad character", addressError("bcrt1qbbb", errors.New("invalid character not part of charset: 98")).Error(),
			`not a bitcoin address: "bcrt1qbbb": it holds a character addresses never use (such as b, i, o or 1 after bc1); check for a typo`},
		{"bad checksum", addressError("bcrt1qxyz", fmt.Errorf("address x: %w", address.ErrBadChecksum)).Error(),
			`not a bitcoin address: "bcrt1qxyz": a character is wrong or missing (its checksum does not match); check for a typo`},
		{"confirmed already", humanError(&chain.BroadcastError{Cause: chain.CauseAlreadyInChain, Message: "Transaction already in block chain"}).Error(),
			"this transaction is already confirmed in a block: there is nothing to broadcast again (the backend said: Transaction already in block chain)"},
		{"in the mempool already", humanError(&chain.BroadcastError{Cause: chain.CauseAlreadyInChain, Message: "already have transaction 12"}).Error(),
			"the backend already has this transaction (in its mempool or in a block): there is nothing to broadcast again (the backend said: already have transaction 12)"},
		{"dust payee numbered from 1, its address kind in words", (&txbuilder.DustError{Index: 1, Value: 100, Min: 330, Type: txbuilder.P2TR}).Error(),
			"payee 2: 100 sat is below the dust limit of 330 sat for a taproot address (nodes do not relay smaller outputs): send at least 330 sat"},
		{"unset key without a default says how to set it", notSet("backend").Error(), "backend is not set (set it with: satchel config set backend VALUE)"},
		{"unset key with a default names it", notSet("gap-limit").Error(), "gap-limit is not set in the config files (satchel uses the default, 20)"},
		{"percent as a number", string(pctNumber(77, 1000)), "7.7"},
		{"percent rounds to hundredths", string(pctNumber(1, 3)), "33.33"},
		{"whole percent", string(pctNumber(5, 100)), "5"},
		{"deadline hours", untilText(5*3600e9 + 10e9), "in 5h"},
		{"deadline passed", untilText(-1), "overdue"},
		{"one line", lineList([]int{1}), "line 1"},
		{"lines grouped", lineList([]int{1, 2, 12000}), "lines 1, 2 and 12,000"},
		{"many lines cut", lineList([]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}), "lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestSendToAMistypedAddressSaysSo(t *testing.T) {
	c, _ := fakeCLI(t)
	c.mustRun("", "create")
	r := c.run("", "send", "bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdjbh", "1000", "--dry-run", "--fee-rate", "2", "--json")
	code, msg := jsonError(t, r.err)
	if r.code != exitUsage || code != "bad_address" || !strings.Contains(msg, "check for a typo") || strings.Contains(msg, "charset") {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
}

func TestBatchCSVHeaderLineIsSkipped(t *testing.T) {
	net := address.Networks()["regtest"]
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		text  string
		n     int
		fails bool
	}{
		{"header", "address,amount,label\nbcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h,1000,tip\n", 1, false},
		{"header in capitals, no label column", "Address,Amount\nbcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h,1000\n", 1, false},
		{"header after a comment", "# tips\naddress,amount,label\nbcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h,1000,x\n", 1, false},
		{"a header line in the middle is an error", "bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h,1000\naddress,amount\n", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".csv")
			if err := os.WriteFile(f, []byte(tc.text), 0o600); err != nil {
				t.Fatal(err)
			}
			pays, err := readBatch(net, f, nil)
			if tc.fails != (err != nil) || len(pays) != tc.n {
				t.Fatalf("%d payees, err %v", len(pays), err)
			}
		})
	}
}

func TestUnitAnyCase(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	for _, u := range []string{"BTC", "Btc", "SAT"} {
		r := c.run("", "balance", "--offline", "--unit", u)
		if r.code != 0 {
			t.Fatalf("--unit %s: exit %d %s", u, r.code, r.err)
		}
		if want := map[string]string{"BTC": "BTC", "Btc": "BTC", "SAT": " sat"}[u]; !strings.Contains(r.out, want) {
			t.Errorf("--unit %s: %s", u, r.out)
		}
	}
}

func TestJQKeepsTheDocumentKeyOrder(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	var doc json.RawMessage
	full := c.mustRun("", "receive", "--json", "--label", "x").out
	if err := json.Unmarshal([]byte(full), &doc); err != nil {
		t.Fatal(err)
	}
	got := c.mustRun("", "receive", "--label", "y", "--jq", ".").out
	keys := func(s string) []string {
		var out []string
		dec := json.NewDecoder(strings.NewReader(s))
		depth := 0
		for {
			tok, err := dec.Token()
			if err != nil {
				return out
			}
			switch v := tok.(type) {
			case json.Delim:
				if v == '{' || v == '[' {
					depth++
				} else {
					depth--
				}
			case string:
				if depth == 1 && dec.More() {
					out = append(out, v)
					dec.Token() // its value
				}
			}
		}
	}
	if a, b := strings.Join(keys(full), ","), strings.Join(keys(got), ","); a != b {
		t.Fatalf("--jq . key order %s, --json %s", b, a)
	}
	if !strings.HasPrefix(got, `{"address":`) {
		t.Fatalf("--jq output: %s", got)
	}
}

// tip schedule list is a table as tip list is: a header, aligned columns whatever the unit, the
// --until date, no trailing spaces.
func TestTipScheduleListUnitsAndUntil(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.env["NO_COLOR"] = "1"
	c.mustRun("", "tip", "schedule", outsider, "15000", "--every", "1mo", "--start", "2027-01-31", "--until", "2027-12-31", "--label", "podcast")
	c.mustRun("", "tip", "schedule", outsider, "2.5usd", "--every", "1w", "--start", "2027-01-01")
	r := c.mustRun("", "tip", "schedule", "list", "--unit", "btc")
	c.golden("tip-schedule-list-units.txt", r.out)
	lines := strings.Split(strings.TrimSuffix(r.out, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID ") || !strings.Contains(r.out, "2027-12-31") {
		t.Fatalf("tip schedule list:\n%s", r.out)
	}
	// The amounts end in the same column, and no line ends in a space.
	end := strings.Index(lines[1], "BTC") + 3
	if strings.Index(lines[2], "USD")+3 != end || strings.Index(lines[0], "AMOUNT")+6 != end {
		t.Errorf("amount column not aligned:\n%s", r.out)
	}
	for _, l := range lines {
		if strings.HasSuffix(l, " ") {
			t.Errorf("trailing space: %q", l)
		}
	}
}

func TestTipListHasAHeaderAndDeadlines(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.env["NO_COLOR"] = "1"
	c.mustRun("", "tip", "add", "bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h", "2100", "--label", "coffee", "--by", "6h", "--id", "t1")
	c.mustRun("", "tip", "add", "bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h", "15000", "--id", "t2")
	r := c.mustRun("", "tip", "list", "--utc")
	c.golden("tip-list.txt", r.out)
	if !strings.HasPrefix(r.out, "ID ") || !strings.Contains(r.out, "(in 6h)") || !strings.Contains(r.out, "15,000 sat") {
		t.Fatalf("tip list:\n%s", r.out)
	}
	// JSON leaves label out of a tip without one, as history and utxos do.
	var tips []map[string]any
	json.Unmarshal([]byte(c.mustRun("", "tip", "list", "--json").out), &tips)
	if _, ok := tips[1]["label"]; len(tips) != 2 || ok {
		t.Fatalf("tips: %v", tips)
	}
}

func TestWaitShowsAOneLineStatusOnATerminal(t *testing.T) {
	c, _ := fakeCLI(t)
	c.mustRun("", "create")
	addr := c.receiveAddr("default")
	r := c.term(nil, func(string) string { return "" }, "wait", "--address", addr, "--timeout", "1s")
	if r.code != exitError || !strings.Contains(r.err, "\r\033[Kwaiting for a payment to "+addr+": 1 check") {
		t.Fatalf("exit %d %q", r.code, r.err)
	}
	if strings.Count(r.err, "\n") != 1 {
		t.Fatalf("the status is not one line rewritten in place: %q", r.err)
	}
	// Giving up says what to do next.
	if !strings.HasSuffix(r.err, "satchel: timed out after 1s waiting for a payment to "+addr+": run wait again, or give a longer --timeout (0 waits for ever)\n") {
		t.Errorf("timeout: %q", r.err)
	}
}

func TestWrongInputsSayWhatToDo(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	for _, tc := range []struct {
		args      []string
		stdin     string
		exit      int
		has, lack string
	}{
		{[]string{"utxos", "--offline", "--fee-rate", "2sat"}, "", exitUsage, "a fee rate is in sat/vB", "sats"},
		{[]string{"tip", "cancel", "nope"}, "", exitUsage, `no tip "nope"`, "bad input"},
		{[]string{"sign-message", "nope", "hello"}, "", exitUsage, `not a bitcoin address: "nope"; check for a typo`, "is not a bitcoin address"},
		{[]string{"tip", "add", outsider, "100"}, "", exitCannotPay, "100 sat is below the dust limit of 294 sat for a native segwit address", "wpkh"},
		{[]string{"seed", "verify"}, "", exitUsage, "no seed words on stdin", "this one has 0"},
		{[]string{"labels", "import", "/nonexistent/labels.jsonl"}, "", exitUsage, "cannot read /nonexistent/labels.jsonl: there is no such file (check the path)", "open /nonexistent"},
	} {
		r := c.run(tc.stdin, tc.args...)
		if r.code != tc.exit || !strings.Contains(r.err, tc.has) || strings.Contains(r.err, tc.lack) {
			t.Errorf("%v: exit %d %q", tc.args, r.code, r.err)
		}
	}
	if r := c.run("", "utxos", "--offline", "--fee-rate", "2sat/vB"); r.code != 0 {
		t.Errorf("2sat/vB: exit %d %s", r.code, r.err)
	}
}

// The walk of issue #15: every subcommand given a wrong input answers with one line that says
// what to do, in a person's words, with the documented exit code and JSON code, never echoes a
// control character, and leaves every file of the data folder as it was. The text of each
// message is kept in testdata/golden/walk-errors.txt.
func TestWalkWrongInputs(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cut := write("cut.jsonl", `{"address":"`+outsider+`","amount":`+"\n")
	cutLabels := write("labels.jsonl", `{"type":"addr","ref":"x"`+"\n")
	notJSON := write("not.json", "nope")
	emptyPSBT := write("empty.psbt", "")
	cutPSBT := write("cut.psbt", "70736274ff0100")
	txid := strings.Repeat("00", 32)
	// Data folders whose wallet config does not read: each for one case.
	badConfig := func(name, text string) string {
		home := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Join(home, "regtest", "default"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home, "regtest", "default", "config.toml"), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return home
	}
	noValue := badConfig("novalue", "gap-limit = \n")
	twice := badConfig("twice", "unit = \"sat\"\nunit = \"btc\"\n")
	badValue := badConfig("badvalue", "gap-limit = \"0\"\n")
	labelsFile := write("labels2.jsonl", `{"type":"tx","ref":"`+txid+`","label":"a"}`+"\n"+`{"type":"tx","ref":"`+txid+`","label":"b"}`+"\n")
	longLine := write("long.jsonl", `{"type":"tx","ref":"`+txid+`","label":"`+strings.Repeat("x", 70_000)+`"}`+"\n")
	emptyFile := write("empty", "")
	shareWords := "academic acid acne acquire acrobat activity actress adapt adequate adjust admit adorn adult advance advocate afraid again agency agree "
	shortShare := write("short-share.txt", "academic acid\n")
	typoShare := write("typo-share.txt", shareWords+"aidw\n")
	unknownShare := write("unknown-share.txt", shareWords+"zzzz\n")
	swappedShare := write("swapped-share.txt", shareWords+"aide\n")
	shortSeed := write("short-seed.txt", "abandon ability\n")
	bigBatch := write("big.csv", strings.Repeat(outsider+",1000\n", 2001))
	mainnetLabel := write("mainnet.jsonl", `{"type":"addr","ref":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq","label":"a"}`+"\n")
	shortLabel := write("short.jsonl", `{"type":"addr","ref":"bcrt1qxx","label":"a"}`+"\n")
	charLabel := write("char.jsonl", `{"type":"addr","ref":"bcrt1qbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","label":"a"}`+"\n")
	joined := filepath.Join(dir, "joined.json")
	c.mustRun("", "backup", "export", joined)
	if b, err := os.ReadFile(joined); err != nil || os.WriteFile(joined, append(b, b...), 0o600) != nil {
		t.Fatal("cannot double the backup", err)
	}
	lookalike := outsider[:len(outsider)-1] + "г" // Cyrillic
	ours := c.receiveAddr("default")
	sig := strings.TrimSpace(c.mustRun("", "sign-message", ours, "hello").out)
	c.mustRun(seedB+"\n", "restore", "--offline", "--wallet", "b")
	keyB := strings.TrimSpace(c.mustRun("", "export", "xpub", "--multisig", "--wallet", "b").out)
	own := "[73c5da0a/48h/1h/0h/2h]" + abandonBIP48Test // the default wallet's seed is abandon's
	tpubLookalike := strings.Replace(keyB, "tpub", "tpubЕ", 1)
	info := decodeJSON[infoJSON](t, c.mustRun("", "info", "--json").out)
	descLookalike := strings.Replace(info.Descriptors.Receive, "tpub", "tpubЕ", 1)
	plainTpub := info.Descriptors.Receive[strings.Index(info.Descriptors.Receive, "]")+1 : strings.Index(info.Descriptors.Receive, "/0/*")]
	// A backend with no fee estimate (as regtest's), for the cases that name it with --backend.
	fc := chaintest.New()
	fake := "http://127.0.0.1:1/fake-chain" // never dialled: c.dial answers
	c.dial = func(context.Context, string) (chain.Backend, error) { return fc, nil }
	c.mustRun("", "sync", "--backend", fake) // the first sync writes; a case's must not
	var golden strings.Builder
	for _, tc := range []struct {
		args []string
		exit int
		code string
		has  string
	}{
		// A negative number where an amount goes is not a cluster of short flags.
		{[]string{"send", outsider, "-5", "--fee-rate", "2", "--dry-run"}, exitUsage, "bad_amount", "amounts are positive"},
		{[]string{"send", outsider, "-5sat", "--fee-rate", "2", "--dry-run"}, exitUsage, "bad_amount", "amounts are positive"},
		{[]string{"send", "--fee-rate", "2", "--dry-run", "--", outsider, "-5"}, exitUsage, "bad_amount", "negative"},
		{[]string{"tip", "add", outsider, "-0.1btc"}, exitUsage, "bad_amount", "amounts are positive"},
		{[]string{"tip", "schedule", outsider, "-5", "--every", "1d"}, exitUsage, "bad_amount", "amounts are positive"},
		{[]string{"config", "set", "limit.daily", "-5"}, exitUsage, "bad_config_value", "never negative"},
		{[]string{"freeze", "-1"}, exitUsage, "usage", "negative number"},
		// Flag values that do not read: no strconv, no time package.
		{[]string{"send", outsider, "1000", "--fee-rate", "2", "--target", "abc", "--dry-run"}, exitUsage, "bad_flag", `--target "abc": give a whole number`},
		{[]string{"history", "--offline", "--limit", "abc"}, exitUsage, "bad_flag", "give a whole number"},
		{[]string{"history", "--offline", "--offset", "99999999999999999999"}, exitUsage, "bad_flag", "too large"},
		{[]string{"export", "xpub", "--purpose", "-1"}, exitUsage, "bad_flag", "must not be negative"},
		{[]string{"wait", "--txid", txid, "--timeout", "abc"}, exitUsage, "bad_flag", "give a duration"},
		{[]string{"balance", "--offline", "--yes=maybe"}, exitUsage, "bad_flag", "true or false"},
		{[]string{"create", "--wallet", "c1", "--words", "abc"}, exitUsage, "bad_flag", "give a whole number"},
		// An empty value is not the default.
		{[]string{"send", outsider, "1000", "--fee-rate", "", "--dry-run"}, exitUsage, "bad_flag", "--fee-rate was given an empty value"},
		{[]string{"receive", "--amount", ""}, exitUsage, "bad_flag", "--amount was given an empty value"},
		{[]string{"send", "--to", "", "--fee-rate", "2", "--dry-run"}, exitUsage, "bad_flag", "--to was given an empty value"},
		{[]string{"tip", "add", outsider, "2100", "--id", " "}, exitUsage, "bad_flag", "--id was given an empty value"},
		{[]string{"tip", "add", outsider, "2100", "--by", "2016-11-25T12:00:00Z"}, exitUsage, "bad_by", "already past"},
		{[]string{"tip", "add", "bitcoin:" + outsider + "?amount=abc"}, exitUsage, "bad_amount", "not a valid bitcoin: URI: amount=abc: not a decimal BTC amount (write it like 0.00002100)"},
		{[]string{"tip", "add", "bitcoin:" + outsider + "?amount=0"}, exitUsage, "bad_amount", "amount=0: the amount must be more than zero"},
		{[]string{"tip", "schedule", outsider, "2100", "--every", "1d", "--start", "9999-12-31"}, exitUsage, "bad_input", "--start 9999-12-31 is more than ten years ahead: check the year"},
		{[]string{"tip", "add", outsider, "2100", "--by", "99999d"}, exitUsage, "bad_by", "give from 1d to 3,650d (ten years)"},
		{[]string{"tip", "add", outsider, "2100", "--by", "-1h"}, exitUsage, "bad_by", "a deadline is ahead: give a duration from now"},
		// Files: none named, a folder, missing, cut short, a missing output folder.
		{[]string{"send", "--batch", dir, "--fee-rate", "2", "--dry-run"}, exitUsage, "bad_batch", "is a folder"},
		{[]string{"send", "--batch", filepath.Join(dir, "missing.csv"), "--fee-rate", "2", "--dry-run"}, exitUsage, "bad_batch", "cannot read --batch"},
		{[]string{"send", "--batch", cut, "--fee-rate", "2", "--dry-run"}, exitUsage, "bad_batch", "ends too early"},
		{[]string{"labels", "import", ""}, exitUsage, "bad_file", "gives no file name"},
		{[]string{"labels", "import", dir}, exitUsage, "bad_file", "is a folder"},
		{[]string{"labels", "import", filepath.Join(dir, "missing.jsonl")}, exitUsage, "bad_file", "there is no such file (check the path)"},
		{[]string{"labels", "import", cutLabels}, exitUsage, "bad_labels", "ends too early"},
		{[]string{"labels", "import", mainnetLabel}, exitUsage, "bad_labels", "invalid BIP329 record: address bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq is for mainnet"},
		{[]string{"labels", "import", shortLabel}, exitUsage, "bad_labels", "address bcrt1qxx is too short or too long"},
		{[]string{"labels", "import", charLabel}, exitUsage, "bad_labels", "holds a character addresses never use"},
		{[]string{"restore", "--wallet", "r", "--mnemonic-file", dir}, exitUsage, "bad_mnemonic_file", "is a folder"},
		{[]string{"restore", "--wallet", "r", "--from-backup", dir}, exitUsage, "bad_backup", "is a folder"},
		{[]string{"restore", "--wallet", "r", "--from-backup", notJSON}, exitUsage, "bad_backup", "not valid JSON"},
		{[]string{"seed", "verify", "--shamir", "--mnemonic-file", dir}, exitUsage, "bad_shares_file", "is a folder"},
		// Seed words and shares that do not read say what to do.
		{[]string{"restore", "--wallet", "r", "--offline", "--mnemonic-file", emptyFile}, exitUsage, "bad_mnemonic", "/empty is empty: write the seed words in it, in order, separated by spaces"},
		{[]string{"restore", "--wallet", "r", "--offline"}, exitUsage, "bad_mnemonic", "no seed words on stdin: give --mnemonic-file FILE, pipe the words"},
		{[]string{"restore", "--wallet", "r", "--offline", "--mnemonic-file", shortSeed}, exitUsage, "bad_mnemonic", "this one has 2: give every word, in order, separated by spaces"},
		{[]string{"seed", "verify", "--shamir", "--mnemonic-file", shortShare}, exitUsage, "bad_share", "this one has 2 (line 1): give each share whole, one share a line"},
		{[]string{"seed", "verify", "--shamir", "--mnemonic-file", typoShare}, exitUsage, "bad_share", `word 20 "aidw" is not a SLIP-39 word (line 1): did you mean aide?`},
		{[]string{"seed", "verify", "--shamir", "--mnemonic-file", unknownShare}, exitUsage, "bad_share", "(line 1): check its spelling on the written share"},
		{[]string{"seed", "verify", "--shamir", "--mnemonic-file", swappedShare}, exitUsage, "bad_share", "(line 1): compare each word, in order, with the written share"},
		{[]string{"passphrase", "change", "--new-passphrase-file", dir}, exitUsage, "bad_passphrase_file", "is a folder"},
		{[]string{"seed", "show", "--passphrase-file", emptyFile}, exitUsage, "empty_passphrase", "is empty: write it on the file's first line"},
		{[]string{"balance", "--offline", "--passphrase-file", filepath.Join(dir, "missing")}, exitUsage, "bad_passphrase_file", "cannot read --passphrase-file"},
		{[]string{"backup", "export", filepath.Join(dir, "missing", "b.json")}, exitUsage, "bad_file", "does not exist (create it first)"},
		{[]string{"backup", "export", ""}, exitUsage, "bad_file", "gives no file name"},
		{[]string{"backup", "export", filepath.Join(dir, "new") + "/"}, exitUsage, "bad_file", "new/ ends with a slash, as a folder does: add the file's name after it"},
		{[]string{"labels", "export", filepath.Join(dir, "new2") + "/"}, exitUsage, "bad_file", "ends with a slash, as a folder does"},
		{[]string{"labels", "import", "/dev/zero"}, exitUsage, "bad_labels", "more than any labels file: give a BIP329 file (JSON lines)"},
		{[]string{"labels", "export", filepath.Join(cut, "x.jsonl")}, exitUsage, "bad_file", "is not a folder"},
		{[]string{"psbt", "decode", ""}, exitUsage, "bad_file", "gives no file name"},
		{[]string{"psbt", "decode", dir}, exitUsage, "bad_file", "is a folder"},
		{[]string{"psbt", "decode", emptyPSBT}, exitUsage, "bad_psbt", "it is empty: give a PSBT as base64, hex or binary"},
		{[]string{"psbt", "finalize", cutPSBT}, exitUsage, "bad_psbt", "ends in the middle of a field (cut short?): check that it was copied whole"},
		{[]string{"psbt", "sign", "cHNidP8BAH", "--yes"}, exitUsage, "bad_psbt", "check that it was copied whole"},
		{[]string{"balance", "--offline", "--datadir", cut}, exitUsage, "bad_config", "part of that path is a file"},
		// The wallet's "bad input:" never follows a flag's name; each part is named once.
		{[]string{"send", outsider, "1000", "--fee-rate", "2", "--max-fee-ratio", "-1", "--dry-run"}, exitUsage, "bad_max_fee_ratio", "must not be negative"},
		{[]string{"tip", "schedule", outsider, "2100", "--every", "0d"}, exitUsage, "bad_every", "give a count"},
		{[]string{"tip", "schedule", outsider, "100", "--every", "1w"}, exitCannotPay, "below_dust", "100 sat is below the dust limit of 294 sat for a native segwit address (nodes do not relay smaller outputs): give at least 294 sat"},
		{[]string{"tip", "schedule", outsider, "2100", "--every", "1w", "--start", "2020-01-01"}, exitUsage, "bad_input", "--start 2020-01-01 is more than a year ago (each missed occurrence would be paid): give a start within the last year, or leave --start out to begin today"},
		{[]string{"tip", "schedule", outsider, "2100", "--every", "99999d"}, exitUsage, "bad_every", `--every "99999d": give a count from 1 to 366 (a longer period is surely a typo)`},
		{[]string{"tip", "schedule", outsider, "2100", "--every", "1w", "--until", "2020-01-01"}, exitUsage, "bad_input", "--until 2020-01-01 is before --start 2026-11-25: give an --until on or after the start"},
		{[]string{"tip", "schedule", outsider, "2100", "--every", "1d", "--start", "2026-13-45"}, exitUsage, "bad_date", "YYYY-MM-DD"},
		{[]string{"create", "--wallet", "c1", "--shamir", "5-of-3"}, exitUsage, "bad_shamir", `--shamir "5-of-3": the threshold`},
		{[]string{"freeze", txid + ":-1"}, exitUsage, "bad_outpoint", "whole number from 0"},
		// Addresses for a person, on every command that reads one.
		{[]string{"verify-message", "nope", "sig", "msg"}, exitUsage, "bad_address", "check for a typo"},
		// A signature that does not read is said in plain words, not with the parser's detail.
		{[]string{"verify-message", outsider, "AUE=", "msg"}, exitError, "malformed_signature", "the signature is not a valid BIP322 signature: check that it was copied whole"},
		{[]string{"verify-message", outsider, "fulAAAA", "msg"}, exitError, "malformed_signature", "the signature is not a valid BIP322 full signature: check that it was copied whole"},
		{[]string{"verify-message", "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", "AAAA", "msg"}, exitError, "malformed_signature", "the signature is not a valid legacy signature (it is 3 bytes, not 65): check that it was copied whole"},
		// A well-formed signature of another message says what to check, not the script engine's words.
		{[]string{"verify-message", ours, sig, "hellO"}, exitError, "invalid_signature", "invalid signature: it does not match this address and message: check that the message is exactly the signed text"},
		{[]string{"label", "nothex", "x"}, exitUsage, "bad_label_target", `"nothex" is not a txid (64 hex characters), an outpoint (TXID:VOUT) or an address: check for a typo`},
		{[]string{"sign-message", "nope", "msg"}, exitUsage, "bad_address", `not a bitcoin address: "nope"; check for a typo`},
		{[]string{"send", lookalike, "1000", "--fee-rate", "2", "--dry-run"}, exitUsage, "bad_address", "check for a typo"},
		{[]string{"send", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "1000", "--fee-rate", "2", "--dry-run"}, exitUsage, "wrong_network", "is for mainnet"},
		{[]string{"tip", "add", strings.Repeat("x", 10_000), "2100"}, exitUsage, "bad_address", "too short or too long"},
		{[]string{"send", "sp1qqgste7k9hx0qftg6qmwlkqtwuy6cycyavzmzj85c6qdfhjdpdjtdgqjuexzk6murw56suy3e0rd2cgqvycxttddwsvgxe2usfpxumr70xc9pkqwv", "1000", "--fee-rate", "2", "--dry-run"}, exitUsage, "wrong_network", "silent payment address sp1qqgste7... is for mainnet, but this wallet is on regtest"},
		{[]string{"send", "sp1qq", "1000", "--fee-rate", "2", "--dry-run"}, exitUsage, "bad_address", `not a silent payment address: "sp1qq": it is too short or too long; check for a typo`},
		{[]string{"send", "tsp1qqqqqqqqqqqqqqq", "1000", "--fee-rate", "2", "--dry-run"}, exitUsage, "bad_address", "its checksum does not match"},
		// BIP353 names that do not read: shown cut short, the fault in words.
		{[]string{"send", "alice@example..com", "2100", "--fee-rate", "2", "--dry-run", "--offline"}, exitUsage, "bad_name", `"alice@example..com": a part of it is empty (two dots in a row?): check for a typo`},
		{[]string{"tip", "add", strings.Repeat("a", 5000) + "@example.com", "2100"}, exitUsage, "bad_name", `"` + strings.Repeat("a", 40) + `...": "` + strings.Repeat("a", 40) + `..." is longer than a DNS label's 63 characters`},
		// A currency amount needs the price of the moment: with --offline it is a usage mistake, and
		// a currency sign says to write its code.
		{[]string{"send", outsider, "5usd", "--fee-rate", "2", "--dry-run", "--offline"}, exitUsage, "offline", "a currency amount is converted at the price of the moment, which --offline does not ask for: drop --offline"},
		{[]string{"tip", "add", outsider, "2eur", "--offline"}, exitUsage, "offline", "drop --offline, or give the amount in sat or btc"},
		{[]string{"tip", "schedule", outsider, "5usd", "--every", "1w", "--offline"}, exitUsage, "offline", "drop --offline, or give the amount in sat or btc"},
		{[]string{"receive", "--amount", "5usd", "--offline"}, exitUsage, "offline", "drop --offline"},
		{[]string{"send", outsider, "$5", "--fee-rate", "2", "--dry-run", "--offline"}, exitUsage, "bad_amount", `bad amount "$5": write a currency by its code after the number, like 5usd or 2.50eur`},
		{[]string{"tip", "add", outsider, "5€"}, exitUsage, "bad_amount", `bad amount "5€": write a currency by its code`},
		// receive --silent says which flag does not go with it, and why.
		{[]string{"receive", "--silent", "--qr"}, exitUsage, "bad_flag", "--qr does not go with --silent: satchel shows no QR code of a silent payment address; leave --qr out"},
		{[]string{"receive", "--silent", "--amount", "5000"}, exitUsage, "bad_flag", "--amount does not go with --silent: a silent payment address carries no amount (the payer chooses it); leave --amount out"},
		// wait: the address once, a huge txid cut short, numbers grouped.
		{[]string{"wait", "--address", "nope"}, exitUsage, "bad_address", `--address: not a bitcoin address: "nope"; check for a typo`},
		{[]string{"wait", "--txid", strings.Repeat("x", 3000)}, exitUsage, "bad_txid", `..." is not a txid (64 hex characters): check that it was copied whole`},
		{[]string{"wait", "--txid", txid, "--confirmations", "99999"}, exitUsage, "bad_confirmations", "--confirmations must be from 0 to 10,000"},
		// An amount where the address goes, or no address at all.
		{[]string{"send", "1000", "--fee-rate", "2", "--dry-run", "--offline"}, exitUsage, "bad_address", `"1000" is an amount, not an address: give the address first, then the amount`},
		{[]string{"tip", "add", "5usd"}, exitUsage, "bad_address", `"5usd" is an amount, not an address`},
		{[]string{"send", "", "1000", "--fee-rate", "2", "--dry-run", "--offline"}, exitUsage, "bad_address", "the address is empty: give a bitcoin address"},
		{[]string{"sign-message", " ", "hello"}, exitUsage, "bad_address", "the address is empty: give a bitcoin address"},
		// Hostile text is shown escaped.
		{[]string{"send", "\x1b[31mred", "1000", "--fee-rate", "2", "--dry-run"}, exitUsage, "bad_address", `\x1b[31mred`},
		{[]string{"send", outsider, "1000\x1b[31m", "--fee-rate", "2", "--dry-run"}, exitUsage, "bad_amount", `\x1b`},
		{[]string{"tip", "cancel", "\x1b[31mx\ny"}, exitUsage, "bad_input", `\x1b[31mx\ny`},
		{[]string{"tip", "cancel", ""}, exitUsage, "bad_input", "the tip's ID is empty: give one that satchel tip list shows"},
		{[]string{"tip", "schedule", "cancel", " "}, exitUsage, "bad_input", "the schedule's ID is empty: give one that satchel tip schedule list shows"},
		{[]string{"tip", "schedule", outsider, "5xyz", "--every", "1d"}, exitUsage, "bad_amount", `"xyz" is not a unit: use sat or btc, or a currency code such as usd`},
		{[]string{"send", "--batch", bigBatch, "--fee-rate", "2", "--dry-run"}, exitUsage, "too_many_payees", "more than 2,000 payees: split the file"},
		{[]string{"send", outsider, "２１００", "--fee-rate", "2", "--dry-run"}, exitUsage, "bad_amount", "only digits"},
		// What is wrong comes alone, before any warning about what would have been answered.
		{[]string{"history", "--offline", "--fiat-at", "x"}, exitUsage, "bad_fiat_at", "the only value is now"},
		{[]string{"tip", "flush", "--fee-rate", "2", "--target", "0", "--dry-run"}, exitUsage, "bad_target", "between 1 and 1008"},
		{[]string{"tip", "flush", "--max-fee-rate", "-1", "--dry-run"}, exitUsage, "bad_fee_rate", "a fee rate is never negative: give sat/vB, like 2 or 0.5"},
		{[]string{"bump-fee", txid, "--fee-rate", "5", "--yes"}, exitUsage, "no_backend", "sending needs a backend"},
		{[]string{"cpfp", txid, "--fee-rate", "5", "--yes"}, exitUsage, "no_backend", "sending needs a backend"},
		{[]string{"abandon", txid, "--yes"}, exitUsage, "no_backend", "sending needs a backend"},
		{[]string{"dust", "dispose", txid + ":0", "--yes"}, exitUsage, "no_backend", "sending needs a backend"},
		// The input is looked at before a fee rate is asked for.
		{[]string{"abandon", txid, "--yes", "--backend", fake}, exitUsage, "bad_input", "is not a transaction of this wallet: check the txid"},
		{[]string{"bump-fee", txid, "--fee-rate", "5", "--yes", "--backend", fake}, exitUsage, "bad_input", "is not a transaction of this wallet: check the txid"},
		// Without --yes (and no terminal) too: the txid is wrong whatever the consent.
		{[]string{"abandon", txid, "--backend", fake}, exitUsage, "bad_input", "is not a transaction of this wallet: check the txid"},
		{[]string{"bump-fee", txid, "--fee-rate", "5", "--backend", fake}, exitUsage, "bad_input", "is not a transaction of this wallet: check the txid"},
		// Settings: numbers grouped, a port that is no port.
		{[]string{"config", "set", "gap-limit", "99999"}, exitUsage, "bad_config_value", "from 1 to 10,000"},
		{[]string{"config", "set", "backend", "p2p://[::1"}, exitUsage, "bad_config_value", `peer 1, "[::1": the ] that closes an IPv6 address is missing: write [ADDR]:PORT`},
		{[]string{"balance", "--backend", "p2p://127.0.0.1:1,[::1"}, exitUsage, "bad_backend", `peer 2, "[::1": the ] that closes`},
		{[]string{"config", "set", "fiat", "XYZ"}, exitUsage, "bad_config_value", "is not a currency code (ISO 4217): use one such as USD, EUR"},
		{[]string{"config", "set", "dns-resolver", "1.1.1.1:99999"}, exitUsage, "bad_config_value", `must be HOST:PORT with a port from 1 to 65,535 (not "99999")`},
		// A config file that does not read says which line and how to fix it.
		{[]string{"balance", "--offline", "--datadir", noValue}, exitUsage, "bad_config", `line 1 (at gap-limit) does not read: write each setting as key = "value"`},
		{[]string{"balance", "--offline", "--datadir", twice}, exitUsage, "bad_config", "line 2 sets unit again: keep one of the two lines"},
		{[]string{"balance", "--offline", "--datadir", badValue}, exitUsage, "bad_config", "fix it with: satchel config set gap-limit VALUE (or satchel config unset gap-limit)"},
		// Folders, other kinds of files, huge values.
		{[]string{"setup", "convert", dir, "--to", "descriptor"}, exitUsage, "bad_file", "is a folder"},
		{[]string{"export", "setup", "--name", "a\nb"}, exitUsage, "bad_setup", `--name: invalid multisig setup: the wallet name holds a control character (U+000A): remove it`},
		{[]string{"export", "setup", "--name", strings.Repeat("n", 70)}, exitUsage, "bad_setup", "--name: invalid multisig setup: the wallet name is longer than 64 characters: shorten it"},
		{[]string{"setup", "convert", write("vault.json", `{"name":"x","quorum":{"requiredSigners":"two"}}`), "--to", "descriptor"}, exitUsage, "bad_setup", "field quorum.requiredSigners should be a whole number"},
		{[]string{"setup", "convert", write("cut-vault.json", `{"name":"x",`), "--to", "descriptor"}, exitUsage, "bad_setup", "the JSON ends too early (cut short?): check that the file was copied whole"},
		{[]string{"gen-man", cut}, exitUsage, "bad_file", "cut.jsonl is a file, or part of that path is: give a folder for the man pages"},
		{[]string{"setup", "convert", emptyFile, "--to", "descriptor"}, exitUsage, "bad_setup", "the file is empty: give a descriptor, BSMS record, Caravan JSON or Coldcard/Sparrow multisig file"},
		{[]string{"create", "--wallet", "w", "--watch-only", "--setup", dir}, exitUsage, "bad_file", "is a folder"},
		{[]string{"setup", "convert", write("photo.jpg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00Name: x\n"), "--to", "caravan"}, exitUsage, "bad_setup", "photo.jpg: invalid multisig setup: the file is not text (a binary file?): give a descriptor"},
		{[]string{"psbt", "import", "--ur", dir}, exitUsage, "bad_file", "is a folder"},
		{[]string{"restore", "--wallet", "r", "--shamir", "--mnemonic-file", write("seed-words.txt", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about\n")}, exitUsage, "bad_share", "share 1: these are BIP39 seed words, not a SLIP-39 share (line 1): leave out --shamir"},
		// The damage is said once, not as "(damaged or mistyped text): the text was damaged".
		{[]string{"psbt", "import", "--ur", write("damaged.ur", "ur:crypto-psbt/"+strings.Repeat("ae", 10)+"\n")}, exitUsage, "ur_checksum", "line 1: UR checksum does not match: the Bytewords checksum is wrong: the text was damaged: scan or copy it again"},
		{[]string{"restore", "--wallet", "r", "--from-backup", labelsFile}, exitUsage, "bad_backup", "it is another kind of file"},
		{[]string{"restore", "--wallet", "r", "--from-backup", joined}, exitUsage, "bad_backup", "more follows the JSON object (two files joined?)"},
		{[]string{"restore", "--wallet", "r", "--from-backup", emptyFile}, exitUsage, "bad_backup", "the file is empty: give the file satchel backup export wrote"},
		{[]string{"restore", "--wallet", "r", "--from-backup", write("array.json", "[]")}, exitUsage, "bad_backup", "it is another kind of file (a JSON array where an object belongs)"},
		{[]string{"restore", "--wallet", "r", "--from-backup", write("object.json", "{}")}, exitUsage, "bad_backup", `it is another kind of file (it has no "format": "satchel-backup")`},
		{[]string{"restore", "--wallet", "r", "--from-backup", mainnetLabel}, exitUsage, "bad_backup", `it is another kind of file (unknown field "type")`},
		{[]string{"backup", "import", joined}, exitUsage, "usage", `backup has no command "import": to bring a backup back, use satchel restore --from-backup FILE`},
		{[]string{"export", "labels"}, exitUsage, "usage", `export has no command "labels": labels are exported by satchel labels export [FILE] (BIP329)`},
		{[]string{"export", "backup", "x.backup"}, exitUsage, "usage", `export has no command "backup": a backup is written by satchel backup export FILE`},
		{[]string{"export", "seed"}, exitUsage, "usage", `export has no command "seed": seed words are shown by satchel seed show`},
		{[]string{"labels", "import", longLine}, exitUsage, "bad_labels", "longer than 64 KiB"},
		{[]string{"label", txid, strings.Repeat("x", 5000)}, exitUsage, "bad_label", "at most 1,000 bytes (this one is 5,000)"},
		{[]string{"send", outsider, "1000", "--fee-rate", "99999999", "--dry-run"}, exitUsage, "bad_fee_rate", "more than 100,000 sat/vB"},
		{[]string{"bump-fee", txid, "--fee-rate", "5", "--dry-run", "--offline"}, exitUsage, "bad_input", "check the txid (satchel history lists them)"},
		{[]string{"cpfp", txid, "--fee-rate", "5", "--dry-run", "--offline"}, exitUsage, "no_backend", "--dry-run too: leave out --offline"},
		{[]string{"send", "--to", outsider + "=21000000btc", "--to", "bcrt1pvnlk0hvxsy4x4awtscxmlm6h9t9m89x78w7x3u72fmqc2ctsv6ks55cckt=1btc", "--fee-rate", "2", "--dry-run", "--offline"}, exitUsage, "bad_amount", "the payees total more than 21 million BTC: check the amounts"},
		{[]string{"send", outsider, "100", "--fee-rate", "2", "--dry-run", "--offline"}, exitCannotPay, "below_dust", "payee 1: 100 sat is below the dust limit of 294 sat for a native segwit address (nodes do not relay smaller outputs): send at least 294 sat"},
		// Without a backend (and without --offline) the dust error comes alone, before the warning
		// that the plan answers from local state.
		{[]string{"send", outsider, "100", "--dry-run"}, exitCannotPay, "below_dust", "payee 1: 100 sat is below the dust limit of 294 sat"},
		// A currency amount with no price to be had says so alone too, with or without --fee-rate.
		{[]string{"send", outsider, "5usd", "--dry-run"}, exitUsage, "no_price_source", "a fiat amount needs a price: satchel config set price-source URL"},
		{[]string{"send", outsider, "5usd", "--fee-rate", "2", "--dry-run"}, exitUsage, "no_price_source", "a fiat amount needs a price"},
		{[]string{"send", "--to", outsider + "=1000", "--to", "bcrt1pvnlk0hvxsy4x4awtscxmlm6h9t9m89x78w7x3u72fmqc2ctsv6ks55cckt=100", "--fee-rate", "2", "--dry-run"}, exitCannotPay, "below_dust", "payee 2: 100 sat is below the dust limit of 330 sat for a taproot address"},
		// Multisig cosigners are named by their place on the command line, not a sorted index.
		{[]string{"create", "--wallet", "m", "--multisig", "2", "--cosigner", keyB, "--cosigner", keyB}, exitUsage, "bad_input", "--cosigner #1 and #2 are the same key: give each member's key once"},
		{[]string{"create", "--wallet", "m", "--multisig", "2", "--cosigner", own}, exitUsage, "bad_input", "--cosigner #1 is this wallet's own key"},
		{[]string{"create", "--wallet", "m", "--multisig", "2", "--cosigner", keyB, "--cosigner", "[73c5da0a/48h/0h/0h/2h]" + abandonBIP48Main}, exitUsage, "bad_input", "--cosigner #2 is a key for mainnet (an xpub), but this wallet is on regtest"},
		{[]string{"create", "--wallet", "m", "--multisig", "20", "--cosigner", keyB}, exitUsage, "bad_threshold", "the threshold must be 1 to 2 (the seed's key and 1 cosigner)"},
		{[]string{"create", "--wallet", "m", "--multisig", "2", "--cosigner", tpubLookalike}, exitUsage, "bad_descriptor", "--cosigner #1: character 28, 'Е' (U+0415), is not a plain letter"},
		{[]string{"create", "--wallet", "m", "--multisig", "2", "--cosigner", strings.Replace(keyB, "tpub", "xpub", 1)}, exitUsage, "bad_descriptor", "--cosigner #1: invalid extended key: checksum does not match (a character is wrong)"},
		{append([]string{"create", "--wallet", "m", "--multisig", "2"}, slices.Repeat([]string{"--cosigner", keyB}, 15)...), exitUsage, "bad_input", "16 keys (the seed's and 15 cosigners); at most 15: give at most 14 --cosigner keys"},
		{[]string{"create", "--wallet", "m", "--multisig", "2", "--cosigner", "nope"}, exitUsage, "bad_descriptor", `--cosigner #1: "nope" is not an extended public key: give the member's key as satchel export xpub --multisig prints it`},
		{[]string{"create", "--wallet", "m", "--multisig", "2", "--cosigner", "02" + strings.Repeat("1", 64)}, exitUsage, "bad_descriptor", `"021111111111111111111111..." is not an extended public key`},
		{[]string{"restore", "--wallet", "m", "--multisig", "2", "--cosigner", "[73c5da0a/48h/1h/0h/2h]"}, exitUsage, "bad_descriptor", `"[73c5da0a/48h/1h/0h/2h]" is not an extended public key`},
		{[]string{"create", "--wallet", "w", "--watch-only", "--descriptor", info.Descriptors.Receive, "--descriptor", info.Descriptors.Receive}, exitUsage, "bad_input", "two descriptors for chain /0/*: give one receive (/0/*) and one change (/1/*) descriptor"},
		{[]string{"create", "--wallet", "w", "--watch-only", "--xpub", "nope"}, exitUsage, "bad_key", "--xpub: invalid extended key: wrong length or not base58: check that it was copied whole"},
		{[]string{"create", "--wallet", "w", "--watch-only", "--xpub", plainTpub}, exitUsage, "bad_input", "an xpub or tpub does not say which addresses it makes: give --type tr, wpkh, sh-wpkh or pkh"},
		{[]string{"create", "--wallet", "w", "--watch-only", "--xpub", plainTpub, "--type", "tr", "--fingerprint", "xyz"}, exitUsage, "bad_input", `--fingerprint "xyz": give the master key's fingerprint, 8 hex digits (like 73c5da0a)`},
		{[]string{"create", "--wallet", "w", "--watch-only", "--xpub", plainTpub, "--descriptor", info.Descriptors.Receive}, exitUsage, "watch_only_key", "give only one of --descriptor, --xpub and --setup: each describes the whole wallet"},
		{[]string{"create", "--wallet", "w", "--watch-only", "--descriptor", descLookalike}, exitUsage, "bad_descriptor", "character 28, 'Е' (U+0415), is not a plain letter, digit or sign: a look-alike from another alphabet? retype it"},
		// Too few or too many arguments, and unknown commands: in words, with what to type.
		{[]string{"label"}, exitUsage, "usage", "satchel: label needs 2 arguments (TXID|ADDRESS|OUTPOINT TEXT), and none was given: see satchel label --help"},
		{[]string{"freeze", "a", "b"}, exitUsage, "usage", "needs 1 argument (OUTPOINT), and 2 were given"},
		{[]string{"psbt", "combine", "x"}, exitUsage, "usage", "needs at least 2 arguments"},
		{[]string{"receive", "extra"}, exitUsage, "usage", `satchel: receive takes no arguments, and "extra" was given`},
		// A flag that took the next flag as its value is the mistake to name, not the argument left over.
		{[]string{"create", "--wallet", "s", "--shamir", "--passphrase-file", "pp"}, exitUsage, "usage", "--shamir needs a value, and took the flag --passphrase-file as it: give --shamir its value (see satchel create --help)"},
		{[]string{"utxos", "--fee-rate", "--offline", "x"}, exitUsage, "usage", "--fee-rate needs a value, and took the flag --offline as it"},
		{[]string{"export", "nope"}, exitUsage, "usage", `satchel: export has no command "nope": use one of descriptors, setup, xpub`},
		{[]string{"sned"}, exitUsage, "usage", `there is no command "sned": did you mean`},
		{[]string{"wallets"}, exitUsage, "usage", `there is no command "wallets": each wallet is a folder of DATADIR/NETWORK (satchel info shows its folder); pick one with --wallet NAME`},
		{[]string{"list"}, exitUsage, "usage", `there is no command "list": payments are listed by satchel history, coins by satchel utxos`},
		{[]string{"message", "sign"}, exitUsage, "usage", `there is no command "message": use satchel sign-message or satchel verify-message`},
		{[]string{"help", "nope"}, exitUsage, "usage", `there is no help topic "nope": see satchel --help for the commands`},
		{[]string{"balance", "--ofline"}, exitUsage, "usage", "balance has no flag --ofline: did you mean --offline? (see satchel balance --help)"},
		{[]string{"balance", "--offline", "-x"}, exitUsage, "usage", "balance has no flag -x (long flags start with --"},
		{[]string{"balance", "---offline"}, exitUsage, "usage", `"---offline" is not a flag: write --name or --name=value`},
		// A taken name says to choose another, never to remove the folder (that loses the wallet).
		{[]string{"create"}, exitUsage, "wallet_exists", "regtest/default: choose another --wallet name (that wallet is left as it is)"},
		{[]string{"restore", "--wallet", "b", "--offline", "--mnemonic-file", shortSeed}, exitUsage, "wallet_exists", "regtest/b: choose another --wallet name (that wallet is left as it is)"},
		{[]string{"create", "--wallet", "b", "--watch-only", "--xpub", plainTpub, "--type", "tr"}, exitUsage, "wallet_exists", "choose another --wallet name (that wallet is left as it is)"},
		// A --wallet that names no wallet lists those there are (a typo is the usual cause).
		{[]string{"info", "--wallet", "nosuch"}, exitError, "no_wallet", `no such wallet: "nosuch" is not one of the wallets on regtest (b, default): check --wallet, or make it with: satchel create --wallet nosuch`},
	} {
		before := snapshot(t, c.home)
		r := c.run("", tc.args...)
		asJSON := append([]string{}, tc.args...)
		if i := slices.Index(asJSON, "--"); i >= 0 {
			asJSON = slices.Insert(asJSON, i, "--json")
		} else {
			asJSON = append(asJSON, "--json")
		}
		rj := c.run("", asJSON...)
		code, msg := jsonError(t, rj.err)
		name := fmt.Sprintf("%q", tc.args)
		if r.code != tc.exit || rj.code != tc.exit || code != tc.code || !strings.Contains(r.err, tc.has) {
			t.Errorf("%s: exit %d / %d %s, want %d %s with %q: %q", name, r.code, rj.code, code, tc.exit, tc.code, tc.has, r.err)
		}
		if !strings.HasPrefix(r.err, "satchel: ") || strings.Count(r.err, "\n") != 1 || strings.Count(rj.err, "\n") != 1 {
			t.Errorf("%s: not one line: %q %q", name, r.err, rj.err)
		}
		if "satchel: "+msg+"\n" != r.err {
			t.Errorf("%s: the JSON message %q is not the text one %q", name, msg, r.err)
		}
		for _, internal := range []string{"strconv", `parsing "`, "invalid character", "unexpected end", "EOF", "bad input", " json: ",
			"open ", "unknown shorthand", "time: ", "\x1b", ".new-", "arg(s)", "unknown command", "invalid separator index", "unexpected",
			"(satchel):", "Go value", "[0", "dial tcp", "witness", "ReadVarBytes", "malformed", "input 0", "output 0", "payee 0", "bech32", "separator", "…\"", "flag needs an argument", "unknown flag", "bad flag syntax"} {
			if strings.Contains(r.err, internal) {
				t.Errorf("%s: %q in %q", name, internal, r.err)
			}
		}
		if after := snapshot(t, c.home); !reflect.DeepEqual(before, after) {
			t.Errorf("%s: the data folder changed", name)
		}
		shown := make([]string, len(tc.args))
		for i, a := range tc.args {
			shown[i] = strconv.Quote(clipArg(strings.ReplaceAll(a, dir, "$DIR")))
		}
		fmt.Fprintf(&golden, "satchel %s\n  exit %d %s: %s", strings.Join(shown, " "), r.code, code, strings.ReplaceAll(r.err, dir, "$DIR"))
	}
	c.golden("walk-errors.txt", golden.String())
	// An empty tip queue is nothing to do, said before any fee rate is asked for.
	if r := c.run("", "tip", "flush", "--yes", "--backend", fake); r.code != 0 || r.out != "Nothing to do: no tip to pay: the queue is empty\n" {
		t.Errorf("tip flush of an empty queue: exit %d %q %q", r.code, r.out, r.err)
	}
	// No wallet on the network asked for, but some on another: the --network was left out.
	if r := c.run("", "info", "--network", "signet"); r.code != exitError || !strings.Contains(r.err, "there is no wallet on signet in "+c.home+", but there is on regtest: add --network regtest") {
		t.Errorf("info --network signet: exit %d %q", r.code, r.err)
	}
	// A cosigner key that does not read is refused before the passphrase is looked at (here a
	// short one, which warns) and before any seed words are shown.
	c.env["SATCHEL_PASSPHRASE"] = "pw"
	if r := c.run("", "create", "--wallet", "m", "--multisig", "2", "--cosigner", keyB, "--cosigner", keyB); r.code != exitUsage || r.out != "" ||
		r.err != "satchel: --cosigner #1 and #2 are the same key: give each member's key once\n" {
		t.Errorf("create with a cosigner twice and a short passphrase: exit %d %q %q", r.code, r.out, r.err)
	}
	c.env["SATCHEL_PASSPHRASE"] = "test pass"
	// A flag given no value at the end of the line says it needs one.
	if r := c.run("", "history", "--offline", "--limit"); r.code != exitUsage || r.err != "satchel: --limit needs a value (see satchel history --help)\n" {
		t.Errorf("--limit without a value: exit %d %q", r.code, r.err)
	}
	// A group of commands under --json prints no help on stdout: it names its subcommands.
	if r := c.run("", "config", "--json"); r.code != exitUsage || r.out != "" || !strings.Contains(r.err, "get, list, path, set, unset") {
		t.Errorf("config --json: exit %d %q %q", r.code, r.out, r.err)
	}
	// --jq implies --json: its own error is JSON, in words too.
	r := c.run("", "balance", "--offline", "--jq", ".[")
	if code, msg := jsonError(t, r.err); r.code != exitUsage || code != "bad_jq" || !strings.Contains(msg, "ends too early") {
		t.Errorf("--jq .[: exit %d %q", r.code, r.err)
	}
}

// A damaged keystore or wallet.db says so in words and how to get the wallet back.
func TestDamagedFilesSayHowToGetTheWalletBack(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.mustRun("", "create", "--wallet", "b")
	dir := filepath.Join(c.home, "regtest")
	if err := os.WriteFile(filepath.Join(dir, "a", "wallet.db"), bytes.Repeat([]byte{0x5a}, 8192), 0o600); err != nil {
		t.Fatal(err)
	}
	ks := filepath.Join(dir, "b", "keystore.json")
	b, err := os.ReadFile(ks)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ks, append(b, "garbage\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args       []string
		code, word string
	}{
		{[]string{"balance", "--offline", "--wallet", "a", "--json"}, "wallet_damaged", "damaged"},
		{[]string{"seed", "show", "--wallet", "b", "--json"}, "keystore_damaged", "not valid JSON"},
	} {
		r := c.run("", tc.args...)
		code, msg := jsonError(t, r.err)
		if r.code != exitError || code != tc.code || !strings.Contains(msg, tc.word) || !strings.Contains(msg, "satchel restore") ||
			strings.Contains(msg, "invalid character") || strings.Contains(msg, "invalid database") {
			t.Errorf("%v: exit %d %s", tc.args, r.code, r.err)
		}
	}
}

// The seed words of create's text output are four to a line in aligned columns, with no
// trailing spaces for a copy to carry along.
func TestSeedWordsHaveNoTrailingSpaces(t *testing.T) {
	c := newCLI(t)
	for _, words := range []string{"12", "24"} {
		out := c.mustRun("", "create", "--wallet", "w"+words, "--words", words).out
		rows := 0
		for _, l := range strings.Split(out, "\n") {
			if strings.HasSuffix(l, " ") {
				t.Errorf("%s words: trailing space in %q", words, l)
			}
			if strings.HasPrefix(l, "   1. ") || strings.HasPrefix(l, "  13. ") {
				rows++
			}
		}
		if want := map[string]int{"12": 1, "24": 2}[words]; rows != want {
			t.Errorf("%s words: %d rows starting with word 1 or 13, want %d:\n%s", words, rows, want, out)
		}
	}
}

// Counts in text output agree with their nouns: "1 account", "1 record".
func TestPluralsInTextOutput(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	dir := t.TempDir()
	if r := c.mustRun("", "backup", "export", filepath.Join(dir, "b.json")); !strings.Contains(r.out, "(4 accounts, 0 labels, 0 frozen coins)") {
		t.Errorf("backup export: %q", r.out)
	}
	c.mustRun("", "label", c.receiveAddr("default"), "coffee")
	if r := c.mustRun("", "labels", "export", filepath.Join(dir, "l.jsonl")); !strings.HasPrefix(r.out, "1 record written to ") {
		t.Errorf("labels export: %q", r.out)
	}
	if r := c.mustRun("", "backup", "export", filepath.Join(dir, "b2.json")); !strings.Contains(r.out, ", 1 label, 0 frozen coins)") {
		t.Errorf("backup export with a label: %q", r.out)
	}
	// A schedule due today has queued one tip: cancelling it says "1 queued tip".
	c.mustRun("", "tip", "schedule", outsider, "2100", "--every", "1w")
	if r := c.mustRun("", "tip", "schedule", "cancel", "sched-1"); r.out != "sched-1 cancelled, with its 1 queued tip\n" {
		t.Errorf("tip schedule cancel: %q", r.out)
	}
}

// A backend that is not listening is named with its HOST:PORT and the reason in words, with
// what to check, for every kind of backend (p2p: its first peer), and exits 5.
func TestUnreachableBackendInWords(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now: a refused connection
	c := newCLI(t)
	c.mustRun("", "create")
	want := "satchel: cannot reach the backend at " + addr + " (connection refused): is it running and listening there? check --backend (or satchel config set backend)\n"
	for _, url := range []string{"electrum://" + addr, "http://" + addr, "btcd://u:p@" + addr, "p2p://" + addr} {
		r := c.run("", "balance", "--backend", url)
		if r.code != exitBackend || r.err != want {
			t.Errorf("%s: exit %d %q, want %d %q", url, r.code, r.err, exitBackend, want)
		}
		r = c.run("", "sync", "--backend", url, "--json")
		if code, msg := jsonError(t, r.err); r.code != exitBackend || code != "backend_unreachable" || "satchel: "+msg+"\n" != want {
			t.Errorf("%s --json: exit %d %q", url, r.code, r.err)
		}
		// receive answers from local state, and its warning says why in the same words.
		r = c.run("", "receive", "--backend", url)
		if r.code != 0 || !strings.Contains(r.err, "could not sync (cannot reach the backend at "+addr+" (connection refused)): answering from local state") {
			t.Errorf("%s receive: exit %d %q", url, r.code, r.err)
		}
	}
}

// A DNS resolver that is not listening is named with its HOST:PORT and the reason in words, with
// what to check, as a backend is; exit 5, nothing sent or queued.
func TestUnreachableResolverInWords(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now (over TCP nor, most likely, UDP): refused
	c := newCLI(t)
	c.mustRun("", "create")
	c.mustRun("", "config", "set", "dns-resolver", addr)
	want := "satchel: ₿alice@example.com: cannot reach the DNS resolver at " + addr + " (connection refused): is it running there? check satchel config set dns-resolver HOST:PORT, or give the address instead of the name; nothing was sent\n"
	for _, args := range [][]string{{"send", "alice@example.com", "2100", "--fee-rate", "2", "--dry-run"}, {"tip", "add", "alice@example.com", "2100"}} {
		before := snapshot(t, c.home)
		if r := c.run("", args...); r.code != exitBackend || r.err != want {
			t.Errorf("%v: exit %d %q, want %q", args, r.code, r.err, want)
		}
		r := c.run("", append(args, "--json")...)
		if code, msg := jsonError(t, r.err); r.code != exitBackend || code != "name_unresolved" || "satchel: "+msg+"\n" != want {
			t.Errorf("%v --json: exit %d %q", args, r.code, r.err)
		}
		if !reflect.DeepEqual(before, snapshot(t, c.home)) {
			t.Errorf("%v: the data folder changed", args)
		}
	}
}

// A price source that is not listening is named with its HOST:PORT and the reason in words, and
// what to do; exit 5 for a payment in a currency, a warning for values shown.
func TestUnreachablePriceSourceInWords(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := newCLI(t)
	c.mustRun("", "create")
	c.mustRun("", "config", "set", "price-source", "http://"+addr+"/api/v1/prices")
	c.mustRun("", "config", "set", "fiat", "USD")
	want := "satchel: cannot reach the price source at " + addr + " (connection refused): is it up? check satchel config set price-source URL, or give the amount in sat or btc\n"
	if r := c.run("", "send", outsider, "5usd", "--fee-rate", "2", "--dry-run"); r.code != exitBackend || !strings.HasSuffix(r.err, want) || strings.Contains(r.err, "dial tcp") {
		t.Errorf("send 5usd: exit %d %q", r.code, r.err)
	}
	if r := c.run("", "history", "--offline", "--fiat-at", "now"); !strings.Contains(r.err, "warning: price unavailable: --offline asks for no price\n") {
		t.Errorf("history --fiat-at now --offline: %q", r.err)
	}
}

// objectKeySeqs lists the key sequence of every object of a JSON text (several documents, one a
// line, allowed), in the order the objects close.
func objectKeySeqs(t *testing.T, text string) []string {
	t.Helper()
	var out []string
	dec := json.NewDecoder(strings.NewReader(text))
	type frame struct {
		object, key bool
		keys        []string
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%v in %s", err, text)
		}
		top := len(stack) - 1
		isKey := top >= 0 && stack[top].object && stack[top].key
		if top >= 0 && stack[top].object {
			stack[top].key = !stack[top].key
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, frame{object: true, key: true})
			case '[':
				stack = append(stack, frame{})
			default:
				if f := stack[top]; f.object {
					out = append(out, strings.Join(f.keys, ","))
				}
				stack = stack[:top]
				if top > 0 && stack[top-1].object {
					stack[top-1].key = true
				}
			}
		case string:
			if isKey {
				stack[top].keys = append(stack[top].keys, v)
			}
		}
	}
}

// --jq keeps each object's keys in the document's order even when a key is missing from the
// first row and first shows in a later one (label is only on labelled rows): jq would print
// the later row's label in its place, not after every key of the first row.
func TestJQKeepsKeyOrderOfLaterRows(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	a := scriptFor(t, c.receiveAddr("default"))
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(30_000, a)))
	fc.Mine(1, chaintest.Pay(2, wire.NewTxOut(40_000, a)))
	h := decodeJSON[[]historyJSON](t, c.mustRun("", "history", "--json").out)
	if len(h) != 2 {
		t.Fatalf("history %+v", h)
	}
	c.mustRun("", "label", h[1].TxID, "older")
	full := c.mustRun("", "history", "--json", "--offline").out
	want := objectKeySeqs(t, full)
	if want[0] == want[1] || !strings.Contains(want[1], "label") {
		t.Fatalf("the rows should differ by their label: %v", want)
	}
	if got := objectKeySeqs(t, c.mustRun("", "history", "--jq", ".", "--offline").out); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("--jq . key order\n%v\nwant\n%v", got, want)
	}
	if got := objectKeySeqs(t, c.mustRun("", "history", "--jq", ".[]", "--offline").out); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("--jq .[] key order\n%v\nwant\n%v", got, want)
	}
	// A row cut down keeps the order its keys have in the row.
	got := objectKeySeqs(t, c.mustRun("", "history", "--jq", ".[1] | del(.fee_sat)", "--offline").out)
	if w := strings.Replace(want[1], "fee_sat,", "", 1); len(got) != 1 || got[0] != w {
		t.Fatalf("cut row %v, want %s", got, w)
	}
}

// Not enough money is said in the unit the person chose, digits grouped; JSON keeps satoshis.
func TestNotEnoughMoneyInTheChosenUnit(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(3_000_000_000, scriptFor(t, c.receiveAddr("default")))))
	send := []string{"send", outsider, "3000000000", "--fee-rate", "2", "--yes"}
	r := c.run("", append(send, "--unit", "BTC")...)
	if r.code != exitCannotPay || r.err != "satchel: not enough money: 29.99999884 BTC spendable after the fee of spending each coin, 30.00000084 BTC needed with the fee\n" {
		t.Fatalf("--unit BTC: exit %d %q", r.code, r.err)
	}
	c.env["SATCHEL_UNIT"] = "btc"
	if r := c.run("", append(send, "--dry-run")...); r.code != exitCannotPay || !strings.Contains(r.err, "29.99999884 BTC spendable") {
		t.Fatalf("SATCHEL_UNIT=btc: exit %d %q", r.code, r.err)
	}
	r = c.run("", append(send, "--json")...)
	if code, msg := jsonError(t, r.err); code != "insufficient_funds" || !strings.Contains(msg, "2,999,999,884 sat spendable") || !strings.Contains(msg, "3,000,000,084 sat needed") {
		t.Fatalf("--json: %s %q", code, msg)
	}
	delete(c.env, "SATCHEL_UNIT")
	if r := c.run("", send...); !strings.Contains(r.err, "not enough money: 2,999,999,884 sat spendable after the fee of spending each coin, 3,000,000,084 sat needed") {
		t.Fatalf("sat: %q", r.err)
	}
}

// A plan's fee share is a plain JSON number, written as fees writes its shares: 20, not 20.00.
func TestPlanFeeSharePctIsAPlainNumber(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(100_000, scriptFor(t, c.receiveAddr("default")))))
	for _, tc := range []struct{ amount, want string }{{"2840", "10"}, {"2130", "13.33"}, {"4000", "7.1"}} {
		r := c.mustRun("", "send", outsider, tc.amount, "--fee-rate", "2", "--dry-run", "--json")
		p := decodeJSON[map[string]any](t, r.out)
		if p["fee_sat"] != float64(284) {
			t.Fatalf("the fee is not 284 sat, the test needs another amount: %s", r.out)
		}
		if !strings.Contains(r.out, `"fee_share_pct": `+tc.want+",") {
			t.Fatalf("%s sat: want fee_share_pct %s in\n%s", tc.amount, tc.want, r.out)
		}
	}
}

// A wrong number of arguments says which command takes how many, with its usage line, in
// words (not cobra's "arg(s)"); send says where several payees go.
func TestArgumentCountsInWords(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"send", outsider, "1000", outsider, "2000"}, "send takes at most 2 arguments ([ADDRESS|URI] [AMOUNT|all]), and 4 were given: see satchel send --help; to pay several payees, give --to ADDRESS=AMOUNT for each, or --batch FILE"},
		{[]string{"label", "x"}, "label needs 2 arguments (TXID|ADDRESS|OUTPOINT TEXT), and 1 was given: see satchel label --help"},
		{[]string{"psbt", "broadcast"}, "psbt broadcast needs 1 argument (FILE|-), and none was given: see satchel psbt broadcast --help"},
		{[]string{"history", "10"}, `history takes no arguments, and "10" was given: see satchel history --help`},
		{[]string{"tip", "lis"}, `tip has no command "lis": did you mean list? (see satchel tip --help)`},
		// tip schedule takes a payee too: a short word close to a subcommand is a typo of it.
		{[]string{"tip", "schedule", "lst"}, `tip schedule has no command "lst": did you mean list? (see satchel tip schedule --help)`},
		{[]string{"tip", "schedule", "cancle"}, `tip schedule has no command "cancle": did you mean cancel? (see satchel tip schedule --help)`},
		{[]string{"histroy"}, `there is no command "histroy": did you mean history? (see satchel --help)`},
	} {
		r := c.run("", tc.args...)
		if code, msg := jsonError(t, c.run("", append(tc.args, "--json")...).err); r.code != exitUsage || r.err != "satchel: "+tc.want+"\n" || code != "usage" || msg != tc.want {
			t.Errorf("%v: exit %d %q (JSON %s %q)", tc.args, r.code, r.err, code, msg)
		}
	}
	// Seed words typed as arguments of the commands that read them are not echoed back (the
	// error would carry the first into a log or a JSON error), and are told where they go.
	words := strings.Fields("legal winner thank year wave sausage worth useful legal winner thank yellow")
	for _, cmd := range [][]string{{"restore"}, {"seed", "verify"}, {"restore", "--shamir"}} {
		for _, json := range []bool{false, true} {
			args := append(append([]string{}, cmd...), words...)
			if json {
				args = append(args, "--json")
			}
			r := c.run("", args...)
			if r.code != exitUsage || strings.Contains(r.err, "legal") || !strings.Contains(r.err, "typed at its prompt or piped on stdin") {
				t.Errorf("%v with seed words: exit %d %q", cmd, r.code, r.err)
			}
		}
	}
}

// Not enough money while the wallet holds more than send may choose says what was left out and
// why, in the unit chosen: frozen coins, immature mining rewards, unconfirmed payments from
// others. A sweep of nothing says there is no coin rather than "0 sat needed".
func TestNotEnoughMoneySaysWhatWasNotCounted(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	script := scriptFor(t, c.receiveAddr("default"))
	fc.Mine(1, chaintest.Coinbase(script, 5_000_000_000, 1))
	mature := fc.Height() + 99
	fc.Mine(9)
	r := c.run("", "send", outsider, "all", "--fee-rate", "2", "--dry-run", "--unit", "btc")
	if want := fmt.Sprintf("satchel: not enough money: no coin to spend; not counted: 50.00000000 BTC of mining rewards immature until height %d\n", mature); r.code != exitCannotPay || r.err != want {
		t.Fatalf("sweep: exit %d %q, want %q", r.code, r.err, want)
	}
	frozen := chaintest.Pay(1, wire.NewTxOut(100_000, script))
	fc.Mine(1, frozen)
	c.mustRun("", "sync")
	c.mustRun("", "freeze", frozen.TxHash().String()+":0")
	fc.AddMempool(chaintest.Pay(2, wire.NewTxOut(7_000, script)))
	r = c.run("", "send", outsider, "1000", "--fee-rate", "2", "--dry-run", "--json")
	code, msg := jsonError(t, r.err)
	want := fmt.Sprintf("not enough money: 0 sat spendable after the fee of spending each coin, 1,084 sat needed with the fee; "+
		"not counted: 100,000 sat frozen or reserved (satchel unfreeze, or --from TXID:VOUT), 5,000,000,000 sat of mining rewards immature until height %d, "+
		"7,000 sat unconfirmed from others (wait for a confirmation)", mature)
	if r.code != exitCannotPay || code != "insufficient_funds" || msg != want {
		t.Fatalf("exit %d %s %q, want %q", r.code, code, msg, want)
	}
	if r := c.run("", "send", outsider, "1000", "--fee-rate", "2", "--dry-run", "--unit", "btc"); !strings.Contains(r.err, "not counted: 0.00100000 BTC frozen") {
		t.Fatalf("--unit btc: %q", r.err)
	}
	// Coins named with --from leave nothing out.
	if r := c.run("", "send", outsider, "200000", "--fee-rate", "2", "--dry-run", "--from", frozen.TxHash().String()+":0"); r.code != exitCannotPay || strings.Contains(r.err, "not counted") {
		t.Fatalf("--from: exit %d %q", r.code, r.err)
	}
}

// Sizes in text group their digits as amounts do: a plan of many coins is "1,234 vB".
func TestPlanSizeGrouped(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	script := scriptFor(t, c.receiveAddr("default"))
	var outs []*wire.TxOut
	for range 20 {
		outs = append(outs, wire.NewTxOut(10_000, script))
	}
	fc.Mine(1, chaintest.Pay(1, outs...))
	r := c.mustRun("", "send", outsider, "all", "--fee-rate", "1", "--dry-run")
	p := decodeJSON[planJSON](t, c.mustRun("", "send", outsider, "all", "--fee-rate", "1", "--dry-run", "--json").out)
	if p.VSize < 1000 {
		t.Fatalf("the plan is %d vB: the test needs one of 1,000 or more", p.VSize)
	}
	if want := groupDigits(p.VSize) + " vB)"; !strings.Contains(r.out, want) || !strings.Contains(want, ",") {
		t.Fatalf("want %q in\n%s", want, r.out)
	}
}

// A multisig threshold above the members says how many there are, in the singular for one.
func TestMultisigThresholdCountsCosigners(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create", "--wallet", "other")
	k := strings.TrimSpace(c.mustRun("", "export", "xpub", "--multisig", "--wallet", "other").out)
	r := c.run("", "create", "--wallet", "m", "--multisig", "3", "--cosigner", k, "--json")
	code, msg := jsonError(t, r.err)
	if r.code != exitUsage || code != "bad_threshold" || msg != "--multisig 3: the threshold must be 1 to 2 (the seed's key and 1 cosigner)" {
		t.Fatalf("exit %d %s %q", r.code, code, msg)
	}
}

// A broadcast that got no answer is said in the unreachable backend's words, and still says the
// transaction may have gone out (those words alone, "is it running?", invite sending the
// payment again as a new transaction).
func TestBroadcastWithoutAnswerKeepsItsNote(t *testing.T) {
	id := chainhash.Hash{1}
	slow := &netutil.Error{Server: "tcp://127.0.0.1:50001", Op: "blockchain.transaction.broadcast", Kind: netutil.KindSlow,
		Timeout: 30 * time.Second, Err: context.DeadlineExceeded}
	err := humanError(fmt.Errorf("send: %w", &wallet.BroadcastUnsureError{TxID: id, Err: slow}))
	msg := err.Error()
	if !strings.Contains(msg, "cannot reach the backend at 127.0.0.1:50001 (no answer within 30s)") ||
		!strings.Contains(msg, id.String()+" may have gone out") {
		t.Errorf("message %q", msg)
	}
	if exit, code := classify(err); exit != exitBackend || code != "backend_unreachable" {
		t.Errorf("exit %d %s, want %d backend_unreachable", exit, code, exitBackend)
	}
}

// A payment that needs more coins than one transaction nodes relay can hold is a payment the
// wallet cannot make as asked (exit 4, too_large), said in vB as plans are, with what to do.
func TestTooLargeTransactionSaysWhatToDo(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	script := scriptFor(t, c.receiveAddr("default"))
	var outs []*wire.TxOut
	for range 2000 {
		outs = append(outs, wire.NewTxOut(1_000, script))
	}
	fc.Mine(1, chaintest.Pay(1, outs...))
	r := c.run("", "send", outsider, "1800000", "--fee-rate", "1", "--dry-run")
	code, msg := jsonError(t, c.run("", "send", outsider, "1800000", "--fee-rate", "1", "--dry-run", "--json").err)
	if r.code != exitCannotPay || code != "too_large" || !strings.Contains(r.err, "satchel consolidate") || !strings.Contains(r.err, "100,000 vB") ||
		strings.Contains(r.err, "WU") || strings.Contains(r.err, "standard weight") || "satchel: "+msg+"\n" != r.err {
		t.Fatalf("exit %d %s %q", r.code, code, r.err)
	}
}

// psbt decode shows its amounts in the unit chosen, as balance and plans do; JSON stays sat.
func TestPSBTDecodeInTheChosenUnit(t *testing.T) {
	c, fc := fakeCLI(t)
	watchPair(t, c, "wpkh")
	fundCold(t, c, fc, 50_000)
	file := filepath.Join(t.TempDir(), "tx.psbt")
	c.mustRun("", "send", "--json", "--wallet", "cold", outsider, "5000", "--fee-rate", "2", "--psbt-out", file)
	r := c.mustRun("", "psbt", "decode", file, "--unit", "btc")
	if !strings.Contains(r.out, "0.00005000 BTC") || !strings.Contains(r.out, "0.00050000 BTC") || strings.Contains(r.out, " sat ") || strings.Contains(r.out, " sat\n") {
		t.Fatalf("--unit btc:\n%s", r.out)
	}
	if r := c.mustRun("", "psbt", "decode", file, "--unit", "btc", "--json"); !strings.Contains(r.out, `"value_sat": 5000`) {
		t.Fatalf("--json:\n%s", r.out)
	}
}

// tip cancel given a recurring tip's ID says how to stop that one.
func TestTipCancelOfAScheduleSaysHowToStopIt(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	id := strings.TrimSpace(strings.SplitN(c.mustRun("", "tip", "schedule", outsider, "2100", "--every", "1w", "--start", "2026-12-01").out, "\n", 2)[0])
	r := c.run("", "tip", "cancel", id)
	if want := "satchel: " + id + " is a recurring tip, not a queued one: stop it with satchel tip schedule cancel " + id + "\n"; r.code != exitUsage || r.err != want {
		t.Fatalf("exit %d %q, want %q", r.code, r.err, want)
	}
}

// tip schedule takes a bitcoin: URI alone, as tip add does: its amount and label make the
// schedule; a URI without an amount still asks for one, and a second amount must agree.
func TestTipScheduleTakesAURIAlone(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	uri := "bitcoin:" + outsider + "?amount=0.00002100&label=podcast"
	s := decodeJSON[scheduleJSON](t, c.mustRun("", "tip", "schedule", uri, "--every", "1w", "--start", "2026-12-01", "--json").out)
	if s.Amount == nil || *s.Amount != 2100 || s.Label != "podcast" || s.Address != outsider || s.Every != "1w" {
		t.Fatalf("schedule from a URI: %+v", s)
	}
	if r := c.run("", "tip", "schedule", "bitcoin:"+outsider, "--every", "1w"); r.code != exitUsage || !strings.Contains(r.err, "no amount for "+outsider) {
		t.Fatalf("URI without an amount: exit %d %q", r.code, r.err)
	}
	if r := c.run("", "tip", "schedule", uri, "3000", "--every", "1w"); r.code != exitUsage || !strings.Contains(r.err, "the URI asks for 2,100 sat") {
		t.Fatalf("URI and another amount: exit %d %q", r.code, r.err)
	}
}

// A folder redirected into standard input (satchel psbt decode - < dir) is said in words, exit
// 2, by every command that reads stdin whole: Go's "read /dev/stdin: is a directory" was
// printed, and psbt import --ur exited 1.
func TestStdinAFolder(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	for _, args := range [][]string{
		{"psbt", "decode", "-"},
		{"psbt", "import", "--ur"},
		{"psbt", "import", "--bbqr"},
		{"labels", "import", "-"},
		{"restore", "--wallet", "r"},
		{"restore", "--wallet", "r", "--shamir"},
		{"seed", "verify"},
		{"setup", "convert", "-", "--to", "descriptor"},
	} {
		dir, err := os.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		r := c.runIn(dir, args...)
		dir.Close()
		if r.code != exitUsage || !strings.Contains(r.err, "standard input is a folder: redirect a file into it") {
			t.Errorf("satchel %v < folder: exit %d, %q", args, r.code, r.err)
		}
		// A closed standard input (<&-) reads as Go's "read /dev/stdin: bad file descriptor".
		r = c.runIn(closedStdin{}, args...)
		if r.code != exitUsage || !strings.Contains(r.err, "standard input is closed: redirect a file into it") {
			t.Errorf("satchel %v <&-: exit %d, %q", args, r.code, r.err)
		}
	}
}

// closedStdin reads as os.Stdin does when file descriptor 0 is closed.
type closedStdin struct{}

func (closedStdin) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: "/dev/stdin", Err: syscall.EBADF}
}

// tip cancel 1 when the list shows tip-1 (and tip schedule cancel 1 for sched-1) names the ID meant, changes nothing, and an ID that
// matches no tip either way keeps the plain answer.
func TestTipCancelNumberNamesTheID(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.mustRun("", "tip", "add", outsider, "1000")
	c.mustRun("", "tip", "schedule", outsider, "500", "--every", "1w")
	before := snapshot(t, c.home)
	for _, tc := range []struct{ cmd, id, has string }{
		{"cancel", "1", `no tip "1": did you mean tip-1?`},
		{"cancel", "7", `no tip "7" (see: satchel tip list)`},
		{"schedule cancel", "1", `no schedule "1": did you mean sched-1?`},
		{"schedule cancel", "7", `no schedule "7" (see: satchel tip schedule list)`},
	} {
		r := c.run("", append(append([]string{"tip"}, strings.Fields(tc.cmd)...), tc.id)...)
		if r.code != exitUsage || !strings.Contains(r.err, tc.has) || strings.Count(r.err, "\n") != 1 {
			t.Errorf("tip %s %s: exit %d %q", tc.cmd, tc.id, r.code, r.err)
		}
	}
	if after := snapshot(t, c.home); !reflect.DeepEqual(before, after) {
		t.Fatal("a refused cancel changed files")
	}
}

// bump-fee at a rate not above the transaction's own names a rate to give instead.
func TestBumpFeeTooLowNamesARate(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create", "--wallet", "w")
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(100_000, scriptFor(t, c.receiveAddr("w")))))
	c.mustRun("", "sync", "--wallet", "w")
	r := c.mustRun("", "send", outsider, "10000", "--fee-rate", "2", "--wallet", "w", "--yes", "--json")
	var sent struct {
		TxID string `json:"txid"`
	}
	if err := json.Unmarshal([]byte(r.out), &sent); err != nil || sent.TxID == "" {
		t.Fatalf("send: %v %s", err, r.out)
	}
	for _, rate := range []string{"1", "2"} {
		r := c.run("", "bump-fee", sent.TxID, "--fee-rate", rate, "--wallet", "w", "--dry-run")
		if r.code != exitUsage || !strings.Contains(r.err, "above the current 2 sat/vB: give a higher one, such as --fee-rate 3") {
			t.Errorf("--fee-rate %s: exit %d %q", rate, r.code, r.err)
		}
	}
}
