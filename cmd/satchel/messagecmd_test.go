package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func readVectorFile(t *testing.T, name string, v any) {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatal(err)
	}
}

// The BIP322 vectors (with and without the smp prefix) and Bitcoin Core's legacy signmessage
// vector, checked through the command line.
func TestVerifyMessageVectors(t *testing.T) {
	var bip322 struct {
		Simple []struct {
			Message, Address, Type string
			Signatures             []string `json:"bip322_signatures"`
		}
		Error []struct{ Description, Message, Address, Signature string }
	}
	readVectorFile(t, "bip322-vectors.json", &bip322)
	var legacy struct {
		Address string
		Vectors []struct {
			Message    string
			Signatures []string `json:"signatures"`
		}
	}
	readVectorFile(t, "bip322-legacy-vectors.json", &legacy)
	var core struct {
		Network, Address, Message, Signature string
		Malformed                            string `json:"malformed_signature"`
	}
	readVectorFile(t, "signmessage-core-vectors.json", &core)

	c := newCLI(t) // no wallet: verify-message needs none
	valid := 0
	check := func(net, addr, sig, msg string, want int) {
		t.Helper()
		r := c.run("", "verify-message", "--network", net, "--json", addr, sig, msg)
		if r.code != want {
			t.Errorf("%s %q %.20s...: exit %d, want %d (%s)", addr, msg, sig, r.code, want, r.err)
			return
		}
		if want == 0 {
			valid++
			if !strings.Contains(r.out, `"valid": true`) {
				t.Errorf("valid signature printed %s", r.out)
			}
		} else if want == exitError && !strings.Contains(r.out, `"valid": false`) {
			t.Errorf("invalid signature printed %q", r.out)
		}
	}
	for _, s := range bip322.Simple {
		for _, sig := range s.Signatures {
			check("mainnet", s.Address, sig, s.Message, 0)
		}
	}
	var generated struct {
		Full, ProofOfFunds []struct {
			Message, Address, Type string
			Signatures             []string `json:"bip322_signatures"`
		}
	}
	readVectorFile(t, "bip322-generated-vectors.json", &generated)
	for _, s := range generated.Full {
		check("mainnet", s.Address, s.Signatures[0], s.Message, 0)
		check("mainnet", s.Address, s.Signatures[0], s.Message+"?", exitError)
	}
	// The full vectors are time-locked (locktime and sequence 2016): said, not hidden.
	f := generated.Full[1]
	if r := c.mustRun("", "verify-message", "--network", "mainnet", "--json", f.Address, f.Signatures[0], f.Message); !strings.Contains(r.out, `"description": "from block 2,016, 2,016 blocks after the signed coin confirms"`) {
		t.Errorf("time lock not reported: %s", r.out)
	}
	for _, s := range generated.ProofOfFunds {
		check("mainnet", s.Address, s.Signatures[0], s.Message, exitUsage) // refused, not called invalid
	}
	for _, v := range legacy.Vectors {
		for _, sig := range v.Signatures {
			check("mainnet", legacy.Address, sig, v.Message, 0)
		}
	}
	check(core.Network, core.Address, core.Signature, core.Message, 0)
	check(core.Network, core.Address, core.Signature, core.Message+".", exitError)
	check(core.Network, core.Address, core.Malformed, core.Message, exitError)
	for _, e := range bip322.Error {
		r := c.run("", "verify-message", "--network", "mainnet", "--json", e.Address, e.Signature, e.Message)
		if r.code == 0 {
			t.Errorf("%s: accepted", e.Description)
		}
	}
	if valid < 18 {
		t.Fatalf("only %d valid signatures checked", valid)
	}
	// An address of another network is bad input, not an invalid signature.
	if r := c.run("", "verify-message", "--network", "regtest", legacy.Address, "x", "y"); r.code != exitUsage {
		t.Fatalf("mainnet address on regtest: exit %d", r.code)
	}
}

type signOut struct {
	Address, Path, Message, Signature, Format string
}

// A regtest wallet signs with its own addresses (receive, create's first address, change) and
// the signatures verify; a changed message does not.
func TestSignMessageRoundTrip(t *testing.T) {
	for _, typ := range []string{"tr", "wpkh"} {
		t.Run(typ, func(t *testing.T) {
			c := newCLI(t)
			first := decodeJSON[walletJSON](t, c.mustRun("", "create", "--json", "--type", typ).out).FirstAddr
			addr := c.receiveAddr("default")
			second := c.receiveAddr("default")
			for _, a := range []string{first, second, addr} {
				r := c.mustRun("", "sign-message", "--json", a, "tip jar of satchel")
				s := decodeJSON[signOut](t, r.out)
				if s.Format != "bip322-simple" || !strings.HasPrefix(s.Signature, "smp") || s.Address != a || s.Path == "" {
					t.Fatalf("%+v", s)
				}
				c.mustRun("", "verify-message", a, s.Signature, "tip jar of satchel")
				r = c.run("", "verify-message", "--json", a, s.Signature, "tip jar of satchel!")
				if code, _ := jsonError(t, r.err); r.code != exitError || code != "invalid_signature" {
					t.Fatalf("changed message: exit %d %s", r.code, r.err)
				}
			}
			if text := c.mustRun("", "sign-message", addr, "hello").out; !strings.HasPrefix(text, "smp") {
				t.Fatalf("text output %q", text)
			}
			// Signatures are deterministic (RFC6979 for ECDSA, BIP340's nonce for Schnorr).
			r := c.mustRun("", "sign-message", "--json", first, "golden")
			c.golden("sign-message-"+typ+".json", r.out)
			sig := decodeJSON[signOut](t, r.out).Signature
			c.golden("verify-message-"+typ+".json", c.mustRun("", "verify-message", "--json", first, sig, "golden").out)
			c.golden("verify-message-invalid-"+typ+".json", c.run("", "verify-message", "--json", first, sig, "not golden").out)
			// Not our address: refused before any passphrase is asked.
			other := newCLI(t)
			other.mustRun("", "create", "--json", "--type", typ, "--shamir", "2-of-3")
			foreign := other.receiveAddr("default")
			delete(c.env, "SATCHEL_PASSPHRASE")
			r = c.run("", "sign-message", "--json", foreign, "hello")
			if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "not_our_address" {
				t.Fatalf("foreign address: exit %d %s", r.code, r.err)
			}
			c.env["SATCHEL_PASSPHRASE"] = "wrong"
			if r := c.run("", "sign-message", "--json", addr, "hello"); r.code != exitPassphrase || r.out != "" {
				t.Fatalf("wrong passphrase: exit %d %q", r.code, r.out)
			}
		})
	}
}
