package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/slip39"
)

// slip39Vector is one case of the Trezor SLIP-39 vectors: description, shares, master secret
// (hex, "" for invalid cases) and the BIP32 master xprv it gives.
type slip39Vector struct {
	Desc   string
	Shares []string
	Secret string
	Xprv   string
}

func slip39Vectors(t *testing.T) []slip39Vector {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/slip39-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatal(err)
	}
	var out []slip39Vector
	for _, r := range rows {
		var v slip39Vector
		if len(r) < 4 || json.Unmarshal(r[0], &v.Desc) != nil || json.Unmarshal(r[1], &v.Shares) != nil ||
			json.Unmarshal(r[2], &v.Secret) != nil || json.Unmarshal(r[3], &v.Xprv) != nil {
			t.Fatalf("unexpected vector %s", r)
		}
		out = append(out, v)
	}
	if len(out) < 40 {
		t.Fatalf("only %d vectors", len(out))
	}
	return out
}

type infoOut struct {
	Fingerprint string
	Descriptors descriptorsJSON
}

// The Trezor vectors' shares, piped on stdin with the passphrase "TREZOR", restore the wallet
// whose master key is the vector's xprv: same fingerprint, and the BIP86 account derived from
// that xprv is the one in the wallet's descriptor.
func TestRestoreShamirTrezorVectors(t *testing.T) {
	valid := 0
	for _, v := range slip39Vectors(t) {
		if v.Xprv == "" {
			continue
		}
		valid++
		t.Run(v.Desc, func(t *testing.T) {
			c := newCLI(t)
			c.env["SATCHEL_BIP39_PASSPHRASE"] = "TREZOR"
			c.mustRun(strings.Join(v.Shares, "\n")+"\n", "restore", "--shamir", "--json")
			info := decodeJSON[infoOut](t, c.mustRun("", "info", "--json").out)
			master, err := keys.ParseExtendedKey(v.Xprv)
			if err != nil {
				t.Fatal(err)
			}
			if want := keys.FormatFingerprint(keys.Fingerprint(master)); info.Fingerprint != want {
				t.Fatalf("fingerprint %s, want %s", info.Fingerprint, want)
			}
			acct, err := keys.DeriveAccount(master, keys.BIP86, &chaincfg.RegressionNetParams, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(info.Descriptors.Receive, acct.Xpub.String()) {
				t.Fatalf("descriptor %s does not hold %s", info.Descriptors.Receive, acct.Xpub)
			}
		})
	}
	if valid < 10 {
		t.Fatalf("only %d valid vectors", valid)
	}
}

// Every invalid Trezor vector is refused with exit 2 and writes nothing.
func TestRestoreShamirInvalidVectors(t *testing.T) {
	for _, v := range slip39Vectors(t) {
		if v.Xprv != "" {
			continue
		}
		t.Run(v.Desc, func(t *testing.T) {
			c := newCLI(t)
			c.env["SATCHEL_BIP39_PASSPHRASE"] = "TREZOR"
			r := c.run(strings.Join(v.Shares, "\n"), "restore", "--shamir", "--json")
			if r.code != exitUsage {
				t.Fatalf("exit %d, want 2: %s", r.code, r.err)
			}
			jsonError(t, r.err)
			if _, err := os.Stat(filepath.Join(c.home, "regtest", "default")); err == nil {
				t.Fatal("a refused restore wrote a wallet")
			}
		})
	}
}

type shamirOut struct {
	Fingerprint    string
	Descriptors    descriptorsJSON
	Mnemonic       string
	Shares         [][]string
	GroupThreshold int  `json:"group_threshold"`
	Extendable     bool `json:"extendable"`
}

func TestCreateShamirJSONGolden(t *testing.T) {
	c := newCLI(t)
	r := c.mustRun("", "create", "--shamir", "2-of-3", "--json")
	c.golden("create-shamir.json", r.out)
	out := decodeJSON[shamirOut](t, r.out)
	if out.Mnemonic != "" || len(out.Shares) != 1 || len(out.Shares[0]) != 3 || len(strings.Fields(out.Shares[0][0])) != 20 {
		t.Fatalf("shares %v, mnemonic %q", out.Shares, out.Mnemonic)
	}
	r = c.mustRun("", "create", "--shamir", "2-of-3", "--strength", "256", "--json", "--wallet", "big")
	if out := decodeJSON[shamirOut](t, r.out); len(strings.Fields(out.Shares[0][0])) != 33 {
		t.Fatalf("256-bit share has %d words", len(strings.Fields(out.Shares[0][0])))
	}
	r = c.mustRun("", "create", "--shamir", "2-of-3", "--words", "24", "--json", "--wallet", "big24")
	if out := decodeJSON[shamirOut](t, r.out); len(strings.Fields(out.Shares[0][0])) != 33 {
		t.Fatal("--words 24 does not make 256-bit shares")
	}
	// seed show has no words to show for such a wallet, and says what to do instead.
	r = c.run("", "seed", "show", "--json")
	if code, msg := jsonError(t, r.err); r.code != exitUsage || code != "no_seed_words" || !strings.Contains(msg, "seed verify --shamir") {
		t.Fatalf("seed show: exit %d %s %s", r.code, code, msg)
	}
}

// A 2-of-3 backup restores from any two of its shares, and from two of them with the third
// given too; the restored wallet is the same one.
func TestCreateShamirThenRestoreFromTwoShares(t *testing.T) {
	for _, tc := range []struct {
		name   string
		create []string
		pick   func(s [][]string) []string
	}{
		{"shares 1 and 3", []string{"--shamir", "2-of-3"}, func(s [][]string) []string { return []string{s[0][0], s[0][2]} }},
		{"shares 3 and 2", []string{"--shamir", "2-of-3"}, func(s [][]string) []string { return []string{s[0][2], s[0][1]} }},
		{"without the extendable flag", []string{"--shamir", "2-of-3", "--no-extendable"}, func(s [][]string) []string { return []string{s[0][2], s[0][0]} }},
		{"groups, second group alone", []string{"--shamir", "2-of-3,1-of-1", "--group-threshold", "1"},
			func(s [][]string) []string { return []string{s[1][0]} }},
		{"groups, both needed", []string{"--shamir", "2-of-3,2-of-2", "--group-threshold", "2"},
			func(s [][]string) []string { return []string{s[1][1], s[0][1], s[0][0], s[1][0]} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			c.env["SATCHEL_BIP39_PASSPHRASE"] = "my shamir pass"
			created := decodeJSON[shamirOut](t, c.mustRun("", append(append([]string{"create"}, tc.create...), "--json", "--wallet", "orig")...).out)
			r := c.mustRun(strings.Join(tc.pick(created.Shares), "\n"), "restore", "--shamir", "--json", "--wallet", "copy")
			restored := decodeJSON[shamirOut](t, r.out)
			if restored.Fingerprint != created.Fingerprint || restored.Descriptors != created.Descriptors {
				t.Fatalf("restored %+v, created %+v", restored, created)
			}
			if len(restored.Shares) != 0 || strings.Contains(r.out, created.Shares[0][0]) {
				t.Fatal("restore printed shares")
			}
			// seed verify --shamir with the same shares matches.
			if r := c.run(strings.Join(tc.pick(created.Shares), "\n"), "seed", "verify", "--shamir", "--json", "--wallet", "orig"); r.code != 0 || !strings.Contains(r.out, `"match": true`) {
				t.Fatalf("seed verify --shamir: exit %d %s %s", r.code, r.out, r.err)
			}
			// Without the SLIP-39 passphrase the same shares give another wallet, as SLIP-39 intends.
			delete(c.env, "SATCHEL_BIP39_PASSPHRASE")
			other := decodeJSON[shamirOut](t, c.mustRun(strings.Join(tc.pick(created.Shares), "\n"), "restore", "--shamir", "--json", "--wallet", "nopass").out)
			if other.Fingerprint == created.Fingerprint {
				t.Fatal("the passphrase made no difference")
			}
		})
	}
}

func TestRestoreShamirRefusesBadShares(t *testing.T) {
	c := newCLI(t)
	created := decodeJSON[shamirOut](t, c.mustRun("", "create", "--shamir", "3-of-5", "--json", "--wallet", "orig").out)
	s := created.Shares[0]
	other := slip39Vectors(t)[3].Shares[0] // a share of the Trezor vectors: another backup
	words := strings.Fields(s[1])
	words[5] = map[bool]string{true: "academic", false: "acid"}[words[5] != "academic"]
	tampered := strings.Join(words, " ")
	for _, tc := range []struct {
		name, input, code string
		msgHas            []string
	}{
		{"share from another backup", s[0] + "\n" + other + "\n" + s[2], "share_mismatch", []string{"share 2", "another backup", "line 2"}},
		{"tampered share", s[0] + "\n" + tampered + "\n" + s[2], "bad_share", []string{"share 2", "checksum", "line 2"}},
		{"unknown word", s[0] + "\nzzzz " + s[2], "bad_share", []string{"share 2", "word 1", "zzzz"}},
		{"not enough shares", s[0] + "\n\n" + s[3] + "\n", "not_enough_shares", []string{"2 of 3", "1 more needed"}},
		{"no shares", "", "not_enough_shares", []string{"no shares"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.run(tc.input, "restore", "--shamir", "--json", "--wallet", "copy")
			if r.code != exitUsage {
				t.Fatalf("exit %d, want 2: %s", r.code, r.err)
			}
			code, msg := jsonError(t, r.err)
			if code != tc.code {
				t.Errorf("code %s, want %s (%s)", code, tc.code, msg)
			}
			for _, want := range tc.msgHas {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if _, err := os.Stat(filepath.Join(c.home, "regtest", "copy")); err == nil {
				t.Fatal("a refused restore wrote a wallet")
			}
		})
	}
	// A share given twice is used once, and one more than needed is not used: both with a warning.
	r := c.mustRun(s[0]+"\n"+s[0]+"\n"+s[4]+"\n"+s[2]+"\n"+s[3]+"\n", "restore", "--shamir", "--json", "--wallet", "copy")
	if decodeJSON[shamirOut](t, r.out).Fingerprint != created.Fingerprint || !strings.Contains(r.err, "repeated_share") ||
		!strings.Contains(r.err, "unneeded_share") {
		t.Fatalf("restore with a repeated and an extra share: %s %s", r.out, r.err)
	}
}

func TestCreateShamirBadSchemes(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{
		{"--shamir", "1-of-3"},
		{"--shamir", "3-of-2"},
		{"--shamir", "2-of-17"},
		{"--shamir", "two of three"},
		{"--shamir", ""},
		{"--shamir", "2-of-3,2-of-3"},
		{"--shamir", "2-of-3,2-of-3", "--group-threshold", "3"},
		{"--shamir", "2-of-3", "--strength", "192"},
		{"--shamir", "2-of-3", "--strength", "128", "--words", "24"},
		{"--group-threshold", "1"},
	} {
		r := c.run("", append([]string{"create", "--json"}, args...)...)
		if r.code != exitUsage || r.out != "" {
			t.Errorf("%v: exit %d %s", args, r.code, r.err)
			continue
		}
		jsonError(t, r.err)
		if _, err := os.Stat(filepath.Join(c.home, "regtest", "default")); err == nil {
			t.Fatalf("%v wrote a wallet", args)
		}
	}
	c.env["SATCHEL_BIP39_PASSPHRASE"] = "naïve"
	if r := c.run("", "create", "--shamir", "2-of-3", "--json"); r.code != exitUsage || !strings.Contains(r.err, "ASCII") {
		t.Fatalf("non-ASCII SLIP-39 passphrase: exit %d %s", r.code, r.err)
	}
}

func TestSeedVerifyShamir(t *testing.T) {
	c := newCLI(t)
	created := decodeJSON[shamirOut](t, c.mustRun("", "create", "--shamir", "2-of-3", "--json").out)
	s := created.Shares[0]
	if r := c.run(s[1]+"\n"+s[2], "seed", "verify", "--shamir", "--json"); r.code != 0 || !strings.Contains(r.out, `"match": true`) {
		t.Fatalf("matching shares: exit %d %s %s", r.code, r.out, r.err)
	}
	// Shares of another 2-of-3 backup (the Trezor vector, valid on their own) do not match.
	c.env["SATCHEL_BIP39_PASSPHRASE"] = "TREZOR"
	v := slip39Vectors(t)[3]
	r := c.run(strings.Join(v.Shares, "\n"), "seed", "verify", "--shamir", "--json")
	if code, _ := jsonError(t, r.err); r.code != exitError || code != "backup_mismatch" || !strings.Contains(r.out, `"match": false`) {
		t.Fatalf("other shares: exit %d %s %s", r.code, r.out, r.err)
	}
	// Seed words cannot be checked against a Shamir wallet, and shares not against a BIP39 one.
	if r := c.run(abandon, "seed", "verify", "--json"); r.code != exitUsage {
		t.Fatalf("words against a Shamir wallet: exit %d %s", r.code, r.err)
	}
	c.mustRun("", "create", "--wallet", "words")
	r = c.run(s[1]+"\n"+s[2], "seed", "verify", "--shamir", "--json", "--wallet", "words")
	if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "not_shamir" {
		t.Fatalf("shares against a BIP39 wallet: exit %d %s", r.code, r.err)
	}
}

// On a terminal each share is shown alone between screen clears, and nothing is written
// before the last one has been confirmed.
func TestInteractiveCreateShamirShowsOneShareAtATime(t *testing.T) {
	c := newCLI(t)
	same := decodeJSON[shamirOut](t, c.mustRun("", "create", "--shamir", "2-of-3", "--json", "--wallet", "same").out)
	presses := 0
	words := shareAnswer(same.Shares, 0)
	r := c.term(nil, func(p string) string {
		if strings.Contains(p, "word #") {
			return words(p)
		}
		presses++
		return ""
	}, "create", "--shamir", "2-of-3")
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
	if presses != 4 {
		t.Fatalf("%d Enter prompts, want 4 (one before the shares, one per share)", presses)
	}
	created := decodeJSON[shamirOut](t, c.mustRun("", "info", "--json").out)
	screens := strings.Split(r.err, clearScreen)
	shown := 0
	for _, sc := range screens {
		n := strings.Count(sc, " 1. ")
		if n > 1 {
			t.Fatalf("two shares on one screen:\n%s", sc)
		}
		shown += n
	}
	if shown != 3 || strings.Contains(r.out, " 1. ") {
		t.Fatalf("%d shares shown on stderr; stdout %q", shown, r.out)
	}
	if !strings.Contains(r.out, created.Fingerprint) {
		t.Fatalf("stdout lacks the wallet: %q", r.out)
	}
}

// At a prompt a bad share is explained and another asked for, and the prompt says how many
// more are needed.
func TestInteractiveRestoreShamir(t *testing.T) {
	c := newCLI(t)
	created := decodeJSON[shamirOut](t, c.mustRun("", "create", "--shamir", "2-of-3", "--json", "--wallet", "orig").out)
	delete(c.env, "SATCHEL_PASSPHRASE")
	s := created.Shares[0]
	var prompts []string
	secrets := []string{s[0], "not a share at all", s[2], "pw", "pw"}
	r := c.runApp(func(a *App) {
		a.InTerm, a.ErrTerm = true, true
		a.ReadLine = func(string) (string, error) { return "", nil }
		a.ReadSecret = secretsInTurn(&prompts, secrets)
	}, "", "restore", "--shamir", "--wallet", "copy")
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
	if !strings.Contains(r.err, "1 of 2 shares given; 1 more needed") || !strings.Contains(r.err, "That share was not used: share 2:") {
		t.Fatalf("stderr %q", r.err)
	}
	if len(prompts) < 2 || !strings.Contains(prompts[1], "1 more needed") {
		t.Fatalf("prompts %q", prompts)
	}
	if !strings.Contains(r.out, created.Fingerprint) {
		t.Fatalf("stdout %q lacks fingerprint %s", r.out, created.Fingerprint)
	}
}

// At a prompt a share with one mistyped word ("acdi" for "acid") is not typed again whole:
// that word is asked for on its own, with suggestions.
func TestInteractiveRestoreShamirAsksAgainForTheBadWord(t *testing.T) {
	c := newCLI(t)
	created := decodeJSON[shamirOut](t, c.mustRun("", "create", "--shamir", "2-of-3", "--json", "--wallet", "orig").out)
	delete(c.env, "SATCHEL_PASSPHRASE")
	s := created.Shares[0]
	words := strings.Fields(s[0])
	// The shares are random: mistype the first word from the fourth on whose last two letters
	// swapped make no SLIP-39 word ("glass" would stay "glass").
	pos, right := -1, ""
	for i := 3; i < len(words) && pos < 0; i++ {
		b := []byte(words[i])
		b[len(b)-1], b[len(b)-2] = b[len(b)-2], b[len(b)-1]
		if _, isWord := slip39.LookupWord(string(b)); !isWord {
			pos, right, words[i] = i, words[i], string(b)
		}
	}
	if pos < 0 {
		t.Fatalf("no word of %q to mistype", s[0])
	}
	nth := fmt.Sprintf("Word #%d", pos+1)
	var prompts []string
	secrets := []string{strings.Join(words, " "), right, s[2], "long enough pass", "long enough pass"}
	r := c.runApp(func(a *App) {
		a.InTerm, a.ErrTerm = true, true
		a.ReadLine = func(string) (string, error) { return "", nil }
		a.ReadSecret = secretsInTurn(&prompts, secrets)
	}, "", "restore", "--shamir", "--wallet", "copy")
	if r.code != 0 || !strings.Contains(r.out, created.Fingerprint) {
		t.Fatalf("exit %d, out %q, err %q", r.code, r.out, r.err)
	}
	if !strings.Contains(r.err, nth+" of that share is not a SLIP-39 word; did you mean "+right) {
		t.Fatalf("no suggestion for the bad word: %q", r.err)
	}
	if len(prompts) < 2 || !strings.HasPrefix(prompts[1], nth+" (hidden") {
		t.Fatalf("prompts %q", prompts)
	}
}

// secretsInTurn answers a secret prompt with each of secrets in turn, noting each prompt in
// *prompts; a prompt past the last secret is an error.
func secretsInTurn(prompts *[]string, secrets []string) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		*prompts = append(*prompts, p)
		if len(secrets) == 0 {
			return nil, fmt.Errorf("unexpected prompt %q", p)
		}
		v := secrets[0]
		secrets = secrets[1:]
		return []byte(v), nil
	}
}
