package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// A regtest address outside every test wallet.
const outsider = "bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h"

func scriptFor(t *testing.T, addr string) []byte {
	t.Helper()
	ad, err := address.Decode(addr, address.Networks()["regtest"])
	if err != nil {
		t.Fatal(err)
	}
	return ad.PkScript
}

// watchPair makes "hot", the abandon seed restored, and "cold", a watch-only wallet of hot's
// account of type typ: from the descriptors hot's info prints (tr, wpkh), or from the account's
// tpub with --type and --fingerprint (sh-wpkh, pkh, whose accounts hot holds beside its main one).
func watchPair(t *testing.T, c *cli, typ string) {
	t.Helper()
	switch typ {
	case "tr", "wpkh":
		c.mustRun(abandon+"\n", "restore", "--wallet", "hot", "--type", typ, "--offline")
		info := decodeJSON[infoJSON](t, c.mustRun("", "info", "--json", "--wallet", "hot").out)
		c.mustRun("", "create", "--watch-only", "--wallet", "cold", "--descriptor", info.Descriptors.Receive,
			"--descriptor", info.Descriptors.Change)
	default:
		c.mustRun(abandon+"\n", "restore", "--wallet", "hot", "--type", "wpkh", "--offline")
		purpose := map[string]keys.Purpose{"sh-wpkh": keys.BIP49, "pkh": keys.BIP44}[typ]
		master, err := keys.Master(keys.SeedFromMnemonic([]byte(abandon), nil), regtest.Net)
		if err != nil {
			t.Fatal(err)
		}
		a, err := keys.DeriveAccount(master, purpose, regtest.Net, 0)
		if err != nil {
			t.Fatal(err)
		}
		c.mustRun("", "create", "--watch-only", "--wallet", "cold", "--xpub", a.Xpub.String(), "--type", typ,
			"--fingerprint", "73c5da0a")
	}
}

// fundCold pays each amount to a fresh address of "cold" and mines them.
func fundCold(t *testing.T, c *cli, fc *chaintest.Chain, amounts ...int64) {
	t.Helper()
	var outs []*wire.TxOut
	for _, v := range amounts {
		outs = append(outs, wire.NewTxOut(v, scriptFor(t, c.receiveAddr("cold"))))
	}
	fc.Mine(1, chaintest.Pay(uint32(len(amounts)), outs...))
}

// fakeKnows says whether the fake chain has a transaction, in a block or its mempool.
func fakeKnows(t *testing.T, fc *chaintest.Chain, txid string) bool {
	t.Helper()
	h, err := chainhash.NewHashFromStr(txid)
	if err != nil {
		t.Fatal(err)
	}
	txs, err := fc.Transactions(context.Background(), []chainhash.Hash{*h})
	return err == nil && len(txs) == 1 && txs[0] != nil
}

func decodePSBTText(t *testing.T, s string) *psbt.Packet {
	t.Helper()
	p, err := txbuilder.DecodePSBT([]byte(s))
	if err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return p
}

// The whole watch-only round: a watch-only wallet plans a payment and writes an unsigned PSBT
// (broadcasting nothing), the seed's wallet decodes and signs it, finalize and broadcast send
// it, and the watch-only wallet records it as a send does. Every JSON output has a golden file.
func TestWatchOnlyPSBTRoundTripGolden(t *testing.T) {
	c, fc := fakeCLI(t)
	watchPair(t, c, "wpkh")
	r := c.mustRun("", "info", "--json", "--wallet", "cold")
	c.golden("info-watch-only.json", r.out)
	if _, err := os.Stat(filepath.Join(c.home, "regtest", "cold", "keystore.json")); err == nil {
		t.Fatal("a watch-only wallet has a keystore")
	}
	fundCold(t, c, fc, 50_000)
	// Everything but signing works on a watch-only wallet, with the same guards.
	if u := c.mustRun("", "utxos", "--json", "--wallet", "cold"); !strings.Contains(u.out, `"value_sat": 50000`) {
		t.Fatalf("utxos %s", u.out)
	}
	if b := c.balance("cold"); b.Confirmed != 50_000 {
		t.Fatalf("balance %+v", b)
	}
	if r := c.run("", "send", "--json", "--wallet", "cold", outsider, "293", "--fee-rate", "1"); r.code != exitCannotPay {
		t.Fatalf("dust from a watch-only wallet: exit %d %s", r.code, r.err)
	}
	if r := c.mustRun("", "send", "--json", "--wallet", "cold", outsider, "2100", "--fee-rate", "1", "--dry-run"); strings.Contains(r.out, "psbt") ||
		!strings.Contains(r.out, `"dry_run": true`) {
		t.Fatalf("dry run %s", r.out)
	}
	if r := c.run("", "send", "--json", "--wallet", "hot", "--yes", outsider, "2100", "--fee-rate", "1", "--psbt-out", "x"); r.code != exitUsage || !strings.Contains(r.err, "watch-only") {
		t.Fatalf("--psbt-out on a seed wallet: exit %d %s", r.code, r.err)
	}
	before := fc.Calls["Broadcast"]
	// No --yes, no terminal, no passphrase: a watch-only send asks nothing and sends nothing.
	delete(c.env, "SATCHEL_PASSPHRASE")
	r = c.mustRun("", "send", "--json", "--wallet", "cold", outsider, "all", "--fee-rate", "2")
	c.golden("psbt-watch-only-send.json", r.out)
	if fc.Calls["Broadcast"] != before {
		t.Fatal("a watch-only send broadcast something")
	}
	sent := decodeJSON[struct {
		PSBT string `json:"psbt"`
		Fee  int64  `json:"fee_sat"`
	}](t, r.out)
	p := decodePSBTText(t, sent.PSBT)
	in := p.Inputs[0]
	if in.WitnessUtxo == nil || in.NonWitnessUtxo == nil || len(in.Bip32Derivation) != 1 {
		t.Fatalf("input lacks utxo or derivation: %+v", in)
	}
	d := in.Bip32Derivation[0]
	if got := hex.EncodeToString(psbt.SerializeBIP32Derivation(d.MasterKeyFingerprint, d.Bip32Path)[:4]); got != "73c5da0a" {
		t.Fatalf("fingerprint bytes %s, want 73c5da0a", got)
	}
	if len(d.Bip32Path) != 5 || d.Bip32Path[0] != 84+0x80000000 || d.Bip32Path[3] != 0 {
		t.Fatalf("path %v", d.Bip32Path)
	}

	c.env["SATCHEL_PASSPHRASE"] = "test pass"
	file := filepath.Join(t.TempDir(), "unsigned.psbt")
	if err := os.WriteFile(file, []byte(sent.PSBT), 0o600); err != nil {
		t.Fatal(err)
	}
	c.mustRun("", "sync", "--wallet", "hot")
	r = c.mustRun("", "psbt", "decode", file, "--json", "--wallet", "hot")
	c.golden("psbt-decode-wallet.json", r.out)
	r = c.mustRun("", "psbt", "decode", file)
	c.golden("psbt-decode-wallet.txt", r.out)

	// Signing needs consent: without a terminal, --yes.
	if r := c.run("", "psbt", "sign", file, "--wallet", "hot"); r.code != exitUsage || !strings.Contains(r.err, "--yes") {
		t.Fatalf("sign without --yes: exit %d %s", r.code, r.err)
	}
	signedFile := filepath.Join(t.TempDir(), "signed.psbt")
	r = c.mustRun("", "psbt", "sign", file, "--wallet", "hot", "--yes", "--json", "--out", signedFile)
	c.golden("psbt-sign.json", strings.ReplaceAll(r.out, signedFile, "$SIGNED"))
	raw, _ := os.ReadFile(signedFile)
	if !bytes.HasPrefix(raw, []byte("psbt\xff")) {
		t.Fatal("--out did not write a binary PSBT")
	}
	r = c.mustRun("", "psbt", "finalize", signedFile, "--json")
	c.golden("psbt-finalize.json", r.out)
	fin := decodeJSON[psbtResultJSON](t, r.out)
	// No broadcast without consent: --yes, or a yes at the terminal after seeing the outputs.
	calls := fc.Calls["Broadcast"]
	r = c.run(fin.PSBT, "psbt", "broadcast", "-", "--json", "--wallet", "cold")
	if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "confirmation_needed" {
		t.Fatalf("broadcast without --yes off a terminal: exit %d %s", r.code, r.err)
	}
	asked := ""
	tr := c.term(nil, func(p string) string { asked = p; return "n" }, "psbt", "broadcast", signedFile, "--wallet", "cold")
	if tr.code != exitError || !strings.Contains(asked, "Broadcast?") || !strings.Contains(tr.err, "fee") || !strings.Contains(tr.err, "pays") {
		t.Fatalf("declined at the terminal: exit %d, asked %q, %s", tr.code, asked, tr.err)
	}
	if fc.Calls["Broadcast"] != calls {
		t.Fatal("a broadcast happened without consent")
	}
	r = c.mustRun(fin.PSBT, "psbt", "broadcast", "-", "--yes", "--json", "--wallet", "cold", "--label", "sweep")
	c.golden("psbt-broadcast.json", r.out)
	b := decodeJSON[psbtBroadcastJSON](t, r.out)
	if b.TxID != fin.TxID || *b.Fee != sent.Fee {
		t.Fatalf("broadcast %+v, finalize %s, planned fee %d", b, fin.TxID, sent.Fee)
	}
	h := decodeJSON[[]historyJSON](t, c.mustRun("", "history", "--json", "--wallet", "cold", "--offline").out)
	if h[0].TxID != b.TxID || h[0].Status != "pending" || h[0].Label != "sweep" || h[0].Amount != -50_000 {
		t.Fatalf("history after broadcast %+v", h[0])
	}
	fc.Mine(1)
	if bal := c.balance("cold"); bal.Confirmed != 0 {
		t.Fatalf("cold after sweep %+v", bal)
	}
}

// A watch-only send with change marks the change output with its derivation; for a taproot
// wallet the PSBT carries BIP371 fields (tap_internal_key, tap_bip32_derivation) instead of
// BIP32 ones, for P2SH-P2WPKH the redeem scripts, for P2PKH the previous transactions only; the
// seed's wallet signs each and the transaction verifies.
func TestWatchOnlyPSBTEveryAccountType(t *testing.T) {
	for _, typ := range []string{"tr", "wpkh", "sh-wpkh", "pkh"} {
		t.Run(typ, func(t *testing.T) {
			c, fc := fakeCLI(t)
			watchPair(t, c, typ)
			fundCold(t, c, fc, 30_000, 40_000)
			out := filepath.Join(t.TempDir(), "u.psbt")
			r := c.mustRun("", "send", "--json", "--wallet", "cold", outsider, "50000", "--fee-rate", "3", "--psbt-out", out)
			plan := decodeJSON[planJSON](t, r.out)
			if !strings.Contains(r.out, `"psbt_file"`) || plan.Change <= 0 {
				t.Fatalf("plan %s", r.out)
			}
			raw, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			p, err := txbuilder.DecodePSBT(raw)
			if err != nil {
				t.Fatal(err)
			}
			var change *psbt.POutput
			for i, o := range plan.Outputs {
				if o.Change {
					change = &p.Outputs[i]
				}
			}
			for i, in := range p.Inputs {
				var ok bool
				switch typ {
				case "tr":
					ok = len(in.TaprootInternalKey) == 32 && len(in.TaprootBip32Derivation) == 1 &&
						len(in.TaprootBip32Derivation[0].LeafHashes) == 0 && in.WitnessUtxo != nil && in.NonWitnessUtxo == nil
				case "wpkh":
					ok = len(in.Bip32Derivation) == 1 && in.NonWitnessUtxo != nil && in.WitnessUtxo != nil && in.RedeemScript == nil
				case "sh-wpkh":
					ok = len(in.Bip32Derivation) == 1 && in.NonWitnessUtxo != nil && in.WitnessUtxo != nil && len(in.RedeemScript) == 22
				case "pkh":
					ok = len(in.Bip32Derivation) == 1 && in.NonWitnessUtxo != nil && in.WitnessUtxo == nil
				}
				if !ok {
					t.Fatalf("%s input %d: %+v", typ, i, in)
				}
			}
			if typ == "tr" {
				if len(change.TaprootInternalKey) != 32 || len(change.TaprootBip32Derivation) != 1 || change.TaprootBip32Derivation[0].Bip32Path[3] != 1 {
					t.Fatalf("taproot change %+v", change)
				}
			} else if len(change.Bip32Derivation) != 1 || change.Bip32Derivation[0].Bip32Path[3] != 1 || (typ == "sh-wpkh") != (len(change.RedeemScript) == 22) {
				t.Fatalf("change %+v", change)
			}
			c.mustRun("", "sync", "--wallet", "hot")
			dec := decodeJSON[psbtSummaryJSON](t, c.mustRun("", "psbt", "decode", out, "--json", "--wallet", "hot").out)
			changes := 0
			for _, o := range dec.Outputs {
				if *o.Change {
					changes++
				}
			}
			if changes != 1 || *dec.Spent != 70_000 || dec.Next != "signer" || dec.FeeRate == nil {
				t.Fatalf("decode %+v", dec)
			}
			r = c.mustRun("", "psbt", "sign", out, "--wallet", "hot", "--yes", "--json")
			s := decodeJSON[psbtResultJSON](t, r.out)
			if !s.Complete || len(s.SignedInputs) != 2 {
				t.Fatalf("sign %+v", s)
			}
			r = c.mustRun(s.PSBT, "psbt", "broadcast", "-", "--yes", "--json", "--wallet", "hot")
			b := decodeJSON[psbtBroadcastJSON](t, r.out)
			if b.VSize > plan.VSize {
				t.Fatalf("signed vsize %d above the planned %d", b.VSize, plan.VSize)
			}
			if !fakeKnows(t, fc, b.TxID) {
				t.Fatal("the fake chain did not get the transaction")
			}
		})
	}
}

// What a signer refuses, each with exit 2 and nothing written.
func TestPSBTSignRefusals(t *testing.T) {
	c, fc := fakeCLI(t)
	watchPair(t, c, "wpkh")
	fundCold(t, c, fc, 30_000, 40_000)
	c.mustRun("", "sync", "--wallet", "hot")
	r := c.mustRun("", "send", "--json", "--wallet", "cold", outsider, "50000", "--fee-rate", "3")
	plan := decodeJSON[struct {
		PSBT    string           `json:"psbt"`
		Outputs []planOutputJSON `json:"outputs"`
	}](t, r.out)
	payee, change := 0, 1
	if plan.Outputs[0].Change {
		payee, change = 1, 0
	}
	edit := func(f func(p *psbt.Packet)) string {
		p := decodePSBTText(t, plan.PSBT)
		f(p)
		s, err := txbuilder.EncodePSBTBase64(p)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, tc := range []struct {
		name, psbt, errCode, msgHas string
		wallet                      string
	}{
		{"watch-only wallet cannot sign", plan.PSBT, "watch_only", "no seed", "cold"},
		{"witness amount lie beside the previous transaction", edit(func(p *psbt.Packet) { p.Inputs[0].WitnessUtxo.Value += 10_000 }),
			"psbt_refused", "witness_utxo", "hot"},
		{"amount lie without the previous transaction", edit(func(p *psbt.Packet) {
			p.Inputs[0].NonWitnessUtxo = nil
			p.Inputs[0].WitnessUtxo.Value += 10_000
		}), "psbt_refused", "wallet's record", "hot"},
		{"payee passed off as change", edit(func(p *psbt.Packet) {
			p.Outputs[payee].Bip32Derivation = p.Outputs[change].Bip32Derivation
		}), "change_not_ours", "does not pay", "hot"},
		{"sighash none", edit(func(p *psbt.Packet) { p.Inputs[0].SighashType = 2 }), "psbt_refused", "SIGHASH_ALL", "hot"},
		{"nothing of ours", edit(func(p *psbt.Packet) {
			for i := range p.Inputs {
				p.Inputs[i].WitnessUtxo.PkScript = scriptFor(t, outsider)
				p.Inputs[i].NonWitnessUtxo = nil
				p.Inputs[i].Bip32Derivation = nil
			}
		}), "nothing_to_sign", "no unsigned input", "hot"},
		{"not a PSBT", "aGVsbG8=", "bad_psbt", "magic", "hot"},
		{"a foreign input whose amount is not stated", edit(func(p *psbt.Packet) {
			foreign := wire.NewTxIn(wire.NewOutPoint(&chainhash.Hash{7}, 3), nil, nil)
			p.UnsignedTx.AddTxIn(foreign)
			p.Inputs = append(p.Inputs, psbt.PInput{})
		}), "psbt_refused", "fee cannot be known", "hot"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.run(tc.psbt, "psbt", "sign", "-", "--json", "--yes", "--wallet", tc.wallet)
			if r.code != exitUsage || r.out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %s", r.code, r.out, r.err)
			}
			code, msg := jsonError(t, r.err)
			if code != tc.errCode || !strings.Contains(msg, tc.msgHas) {
				t.Fatalf("%s %q, want %s mentioning %q", code, msg, tc.errCode, tc.msgHas)
			}
		})
	}
	// The fee guard and the caps judge what psbt sign signs, as they judge a send: a PSBT
	// that gives 15,000 sat of its change to the fee (about 30% of the 50,000 sat paid) is
	// refused under a 0.2 guard, signed with a warning under the default 0.5.
	burn := edit(func(p *psbt.Packet) { p.UnsignedTx.TxOut[change].Value -= 15_000 })
	if r := c.run(burn, "psbt", "sign", "-", "--json", "--yes", "--max-fee-ratio", "0.2", "--wallet", "hot"); r.code != exitCannotPay || !strings.Contains(r.err, "fee_guard") {
		t.Fatalf("fee over the guard: exit %d %s", r.code, r.err)
	}
	if r := c.run(burn, "psbt", "sign", "-", "--json", "--yes", "--wallet", "hot"); r.code != 0 || !strings.Contains(r.err, "more than 10%") {
		t.Fatalf("fee under the default guard: exit %d %s", r.code, r.err)
	}
	if r := c.run(plan.PSBT, "psbt", "sign", "-", "--json", "--yes", "--max-fee", "100", "--wallet", "hot"); r.code != exitCannotPay || !strings.Contains(r.err, "fee_guard") {
		t.Fatalf("fee over --max-fee: exit %d %s", r.code, r.err)
	}
	c.mustRun("", "config", "set", "limit.per-payment", "40000", "--wallet", "hot")
	if r := c.run(plan.PSBT, "psbt", "sign", "-", "--json", "--yes", "--wallet", "hot"); r.code != exitCannotPay || !strings.Contains(r.err, "limit") {
		t.Fatalf("payment over the cap: exit %d %s", r.code, r.err)
	}
	// An unsigned PSBT is neither finalized nor broadcast.
	if r := c.run(plan.PSBT, "psbt", "finalize", "-", "--json"); r.code != exitUsage || !strings.Contains(r.err, "psbt_incomplete") {
		t.Fatalf("finalize unsigned: exit %d %s", r.code, r.err)
	}
	before := fc.Calls["Broadcast"]
	if r := c.run(plan.PSBT, "psbt", "broadcast", "-", "--json", "--wallet", "cold"); r.code != exitUsage || fc.Calls["Broadcast"] != before {
		t.Fatalf("broadcast unsigned: exit %d %s", r.code, r.err)
	}
}

type psbtVectors struct {
	BIP174 struct {
		Invalid           []struct{ Description, Base64, Hex string } `json:"invalid"`
		Valid             []struct{ Description, Base64, Hex string } `json:"valid"`
		FailsSignerChecks []struct{ Description, Base64, Hex string } `json:"fails_signer_checks"`
	} `json:"bip174"`
	BIP371 struct {
		Invalid []struct{ Description, Base64, Hex string } `json:"invalid"`
		Valid   []struct{ Description, Base64, Hex string } `json:"valid"`
	} `json:"bip371"`
}

// Every BIP174 and BIP371 vector through the command line: valid ones decode (base64 on stdin,
// binary from a file), invalid ones exit 2 with the reason, and psbt sign refuses the four
// that fail BIP174's signer checks.
func TestPSBTVectorsThroughCLI(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/psbt-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v psbtVectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	c := newCLI(t)
	valid := append(append(v.BIP174.Valid, v.BIP371.Valid...), v.BIP174.FailsSignerChecks...)
	for _, tc := range valid {
		r := c.run(tc.Base64, "psbt", "decode", "-", "--json", "--network", "testnet")
		if r.code != 0 {
			t.Errorf("%s: exit %d %s", tc.Description, r.code, r.err)
			continue
		}
		s := decodeJSON[psbtSummaryJSON](t, r.out)
		if s.Wallet != "" || (len(s.Inputs) > 0 && s.Inputs[0].Ours != nil) {
			t.Errorf("%s: ownership claimed without a wallet", tc.Description)
		}
		bin, _ := hex.DecodeString(tc.Hex)
		f := filepath.Join(t.TempDir(), "v.psbt")
		os.WriteFile(f, bin, 0o600)
		if r := c.run("", "psbt", "decode", f); r.code != 0 || !strings.Contains(r.out, "inputs (") {
			t.Errorf("%s: binary file: exit %d %s", tc.Description, r.code, r.err)
		}
	}
	for _, tc := range append(v.BIP174.Invalid, v.BIP371.Invalid...) {
		r := c.run(tc.Base64, "psbt", "decode", "-", "--json")
		if r.code != exitUsage || r.out != "" {
			t.Errorf("%s: exit %d, stdout %q", tc.Description, r.code, r.out)
			continue
		}
		code, msg := jsonError(t, r.err)
		if code != "bad_psbt" || len(msg) < len("invalid PSBT: x") {
			t.Errorf("%s: %s %q", tc.Description, code, msg)
		}
	}
	c.mustRun("", "create")
	for _, tc := range v.BIP174.FailsSignerChecks {
		r := c.run(tc.Base64, "psbt", "sign", "-", "--json", "--yes", "--network", "regtest")
		if r.code != exitUsage {
			t.Errorf("%s: sign exit %d %s", tc.Description, r.code, r.err)
			continue
		}
		if code, _ := jsonError(t, r.err); code != "psbt_refused" {
			t.Errorf("%s: code %s", tc.Description, code)
		}
	}
	// A decodable vector, in text, looked at by a testnet wallet that owns none of it.
	c.mustRun("", "create", "--network", "testnet")
	r := c.mustRun(v.BIP174.Valid[3].Base64, "psbt", "decode", "-", "--network", "testnet", "--wallet", "default")
	c.golden("psbt-decode-vector.txt", r.out)
}

// Watch-only wallets are made from descriptors or account keys of satchel's single-key forms;
// anything else is refused with the reason, and nothing is written.
func TestCreateWatchOnlyInputs(t *testing.T) {
	const tpub84 = "tpubDC8msFGeGuwnKG9Upg7DM2b4DaRqg3CUZa5g8v2SRQ6K4NSkxUgd7HsL2XVWbVm39yBA4LAxysQAm397zwQSQoQgewGiYZqrA9DsP4zbQ1M"
	const vpub84 = "vpub5Y6cjg78GGuNLsaPhmYsiw4gYX3HoQiRBiSwDaBXKUafCt9bNwWQiitDk5VZ5BVxYnQdwoTyXSs2JHRPAgjAvtbBrf8ZhDYe2jWAqvZVnsc"
	const first84 = "bcrt1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk"
	origin := "[73c5da0a/84h/1h/0h]"
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		errCode string
		first   string
	}{
		{"multipath descriptor", []string{"--descriptor", "wpkh(" + origin + tpub84 + "/<0;1>/*)"}, 0, "", first84},
		{"receive and change, any order", []string{"--descriptor", "wpkh(" + origin + tpub84 + "/1/*)", "--descriptor", "wpkh(" + origin + tpub84 + "/0/*)"}, 0, "", first84},
		{"descriptor without origin", []string{"--descriptor", "wpkh(" + tpub84 + "/<0;1>/*)"}, 0, "", first84},
		{"vpub says wpkh", []string{"--xpub", vpub84, "--fingerprint", "73c5da0a"}, 0, "", first84},
		{"tpub with --type", []string{"--xpub", tpub84, "--type", "wpkh"}, 0, "", first84},
		{"tpub without --type", []string{"--xpub", tpub84}, exitUsage, "bad_input", ""},
		{"vpub with another --type", []string{"--xpub", vpub84, "--type", "tr"}, exitUsage, "bad_input", ""},
		{"only the receive descriptor", []string{"--descriptor", "wpkh(" + origin + tpub84 + "/0/*)"}, exitUsage, "bad_input", ""},
		{"hardened wildcard", []string{"--descriptor", "wpkh(" + origin + tpub84 + "/<0;1>/*h)"}, exitUsage, "bad_descriptor", ""},
		{"address-level path", []string{"--descriptor", "wpkh(" + origin + tpub84 + "/<0;1>/0/*)"}, exitUsage, "bad_descriptor", ""},
		{"origin for another purpose", []string{"--descriptor", "wpkh([73c5da0a/86h/1h/0h]" + tpub84 + "/<0;1>/*)"}, exitUsage, "bad_descriptor", ""},
		{"origin with mainnet coin type", []string{"--descriptor", "wpkh([73c5da0a/84h/0h/0h]" + tpub84 + "/<0;1>/*)"}, exitUsage, "bad_descriptor", ""},
		{"multisig", []string{"--descriptor", "wsh(multi(1," + tpub84 + "/0/*))"}, exitUsage, "bad_descriptor", ""},
		{"mixed types", []string{"--descriptor", "wpkh(" + tpub84 + "/0/*)", "--descriptor", "tr(" + tpub84 + "/1/*)"}, exitUsage, "bad_input", ""},
		{"both forms", []string{"--descriptor", "wpkh(" + tpub84 + "/<0;1>/*)", "--xpub", vpub84}, exitUsage, "watch_only_key", ""},
		{"neither form", nil, exitUsage, "watch_only_key", ""},
		{"--words on a watch-only wallet", []string{"--xpub", vpub84, "--words", "24"}, exitUsage, "bad_flag", ""},
		{"mainnet key on regtest", []string{"--xpub", "xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5", "--type", "wpkh"}, exitUsage, "bad_input", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			delete(c.env, "SATCHEL_PASSPHRASE") // a watch-only wallet never asks for one
			r := c.run("", append([]string{"create", "--watch-only", "--json"}, tc.args...)...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.code, r.err)
			}
			if tc.code != 0 {
				if code, msg := jsonError(t, r.err); code != tc.errCode {
					t.Fatalf("code %s (%s), want %s", code, msg, tc.errCode)
				}
				if _, err := os.Stat(filepath.Join(c.home, "regtest", "default")); err == nil {
					t.Fatal("a refused create wrote a wallet")
				}
				return
			}
			out := decodeJSON[watchOnlyJSON](t, r.out)
			if !out.WatchOnly || out.FirstAddr != tc.first {
				t.Fatalf("%+v", out)
			}
			if got := c.receiveAddr("default"); got != tc.first {
				t.Fatalf("receive %s, want %s", got, tc.first)
			}
		})
	}
	c := newCLI(t)
	if r := c.run("", "create", "--xpub", vpub84); r.code != exitUsage || !strings.Contains(r.err, "--watch-only") {
		t.Fatalf("--xpub without --watch-only: exit %d %s", r.code, r.err)
	}
}

// psbt decode reads base64 with line breaks, hex, and binary alike.
func TestPSBTDecodeInputForms(t *testing.T) {
	raw, _ := os.ReadFile("../../testdata/psbt-vectors.json")
	var v psbtVectors
	json.Unmarshal(raw, &v)
	vec := v.BIP371.Valid[0]
	bin, _ := hex.DecodeString(vec.Hex)
	b64 := base64.StdEncoding.EncodeToString(bin)
	wrapped := b64[:40] + "\n" + b64[40:] + "\n"
	c := newCLI(t)
	var first string
	for _, in := range []string{wrapped, vec.Hex, string(bin)} {
		r := c.mustRun(in, "psbt", "decode", "-", "--json")
		if first == "" {
			first = r.out
		} else if r.out != first {
			t.Fatalf("input forms decode differently:\n%s\n%s", first, r.out)
		}
	}
	if r := c.run("", "psbt", "decode", filepath.Join(t.TempDir(), "missing")); r.code != exitUsage {
		t.Fatalf("missing file: exit %d", r.code)
	}
}

// On a terminal psbt sign shows what the PSBT pays before asking y/N, and only then the
// passphrase; "no" signs nothing.
func TestPSBTSignAsksOnATerminal(t *testing.T) {
	c, fc := fakeCLI(t)
	watchPair(t, c, "tr")
	fundCold(t, c, fc, 30_000)
	c.mustRun("", "sync", "--wallet", "hot")
	r := c.mustRun("", "send", "--wallet", "cold", outsider, "10000", "--fee-rate", "2")
	file := filepath.Join(t.TempDir(), "u.b64")
	os.WriteFile(file, []byte(r.out), 0o600)
	delete(c.env, "SATCHEL_PASSPHRASE")
	var asked []string
	no := c.term(nil, func(p string) string { asked = append(asked, p); return "n" }, "psbt", "sign", file, "--wallet", "hot")
	if no.code != exitError || no.out != "" || !strings.Contains(no.err, outsider) || !strings.Contains(no.err, "10,000 sat") {
		t.Fatalf("answer no: exit %d\nstdout %q\nstderr %s", no.code, no.out, no.err)
	}
	if len(asked) != 1 || !strings.Contains(asked[0], "Sign?") {
		t.Fatalf("prompts %q", asked)
	}
	yes := c.term([]string{"test pass"}, func(string) string { return "y" }, "psbt", "sign", file, "--wallet", "hot")
	if yes.code != 0 {
		t.Fatalf("answer yes: exit %d %s", yes.code, yes.err)
	}
	p := decodePSBTText(t, yes.out)
	if len(p.Inputs[0].TaprootKeySpendSig) != 64 {
		t.Fatalf("no key-path signature: %+v", p.Inputs[0])
	}
}

// A PSBT pasted where its FILE goes is read as the PSBT when no such file exists: base64 (long
// enough to be no file name, with slashes in it) or hex, on every psbt command that reads one.
// A file of that name still wins, and pasted text that does not decode is a bad PSBT, not a
// missing file.
func TestPSBTPastedAsArgument(t *testing.T) {
	raw, _ := os.ReadFile("../../testdata/psbt-vectors.json")
	var v psbtVectors
	json.Unmarshal(raw, &v)
	vec := v.BIP371.Valid[0]
	bin, _ := hex.DecodeString(vec.Hex)
	b64 := base64.StdEncoding.EncodeToString(bin)
	c := newCLI(t)
	want := c.mustRun(b64, "psbt", "decode", "-", "--json").out
	for _, in := range []string{b64, vec.Hex} {
		if r := c.mustRun("", "psbt", "decode", in, "--json"); r.out != want {
			t.Errorf("pasted %.12s...: %s, want %s", in, r.out, want)
		}
	}
	if r := c.run("", "psbt", "finalize", b64); r.code != exitUsage || strings.Contains(r.err, "cannot read") {
		t.Errorf("finalize of pasted base64: exit %d %q", r.code, r.err)
	}
	if r := c.run("", "psbt", "combine", b64, vec.Hex, "--json"); strings.Contains(r.err, "cannot read") {
		t.Errorf("combine of pasted PSBTs: exit %d %q", r.code, r.err)
	}
	r := c.run("", "psbt", "decode", "cHNidP8BAHECAAAAAQ==", "--json")
	if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "bad_psbt" {
		t.Errorf("pasted broken PSBT: exit %d %q", r.code, r.err)
	}
	// A file whose name starts like a PSBT is read as the file.
	dir := t.TempDir()
	named := filepath.Join(dir, "cHNidP-notes")
	if err := os.WriteFile(named, []byte("not a psbt"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := c.run("", "psbt", "decode", named, "--json"); r.code != exitUsage || !strings.Contains(r.err, "bad_psbt") {
		t.Errorf("file named like a PSBT: exit %d %q", r.code, r.err)
	}
	// A name like "cHNidP" that is neither a file nor a PSBT says the file is missing.
	if r := c.run("", "psbt", "decode", filepath.Join(dir, "cHNidP.psbt")); r.code != exitUsage || !strings.Contains(r.err, "cannot read") {
		t.Errorf("missing file: exit %d %q", r.code, r.err)
	}
	// The same with names relative to the working folder, the way people type them (a path
	// starting with / never looks pasted): a missing cHNidP.psbt or 70736274ff-tx.psbt is a
	// missing file, not a PSBT "copied in part"; a file whose whole name could be base64 is
	// read as the file, and only when absent is the name taken as the PSBT.
	t.Chdir(dir)
	for _, name := range []string{"cHNidP.psbt", "70736274ff-tx.psbt"} {
		if r := c.run("", "psbt", "decode", name); r.code != exitUsage || !strings.Contains(r.err, "no such file") {
			t.Errorf("missing relative file %s: exit %d %q", name, r.code, r.err)
		}
	}
	const b64Name = "cHNidP8BAHECAAAAAQ"
	if err := os.WriteFile(b64Name, []byte(b64), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := c.run("", "psbt", "decode", b64Name, "--json"); r.code != 0 || r.out != want {
		t.Errorf("file named like base64 lost to its name: exit %d %q", r.code, r.err)
	}
	os.Remove(b64Name)
	if r := c.run("", "psbt", "decode", b64Name, "--json"); r.code != exitUsage || strings.Contains(r.err, "no such file") {
		t.Errorf("pasted cut PSBT with no such file: exit %d %q", r.code, r.err)
	}
}

// Inputs are numbered from 1 wherever people read them: finalize of a PSBT two inputs of
// which lack signatures names "inputs 1 and 2", decode's text lists them from 1, and sign
// says which it signs the same way (--json keeps BIP174's index from 0).
func TestPSBTInputsNumberedFromOne(t *testing.T) {
	c, fc := fakeCLI(t)
	watchPair(t, c, "wpkh")
	fundCold(t, c, fc, 30_000, 30_000)
	delete(c.env, "SATCHEL_PASSPHRASE")
	r := c.mustRun("", "send", "--json", "--wallet", "cold", outsider, "all", "--fee-rate", "2")
	c.env["SATCHEL_PASSPHRASE"] = "test pass"
	sent := decodeJSON[struct {
		PSBT string `json:"psbt"`
	}](t, r.out)
	r = c.run("", "psbt", "finalize", sent.PSBT)
	if code, _ := jsonError(t, c.run("", "psbt", "finalize", sent.PSBT, "--json").err); r.code != exitUsage || code != "psbt_incomplete" ||
		!strings.Contains(r.err, "inputs 1 and 2 still need signatures") {
		t.Errorf("finalize of an unsigned PSBT: exit %d %q", r.code, r.err)
	}
	text := c.mustRun("", "psbt", "decode", sent.PSBT).out
	if !strings.Contains(text, "inputs (2):\n  1  ") || !strings.Contains(text, "\n  2  ") || strings.Contains(text, "\n  0  ") {
		t.Errorf("decode numbers inputs from 0:\n%s", text)
	}
	js := decodeJSON[psbtSummaryJSON](t, c.mustRun("", "psbt", "decode", sent.PSBT, "--json").out)
	if js.Inputs[0].Index != 0 || js.Inputs[1].Index != 1 {
		t.Errorf("JSON indices %d %d, want BIP174's 0 and 1", js.Inputs[0].Index, js.Inputs[1].Index)
	}
	c.mustRun("", "sync", "--wallet", "hot")
	r = c.mustRun("", "psbt", "sign", sent.PSBT, "--wallet", "hot", "--yes")
	if !strings.Contains(r.err, "signing inputs 1 and 2 of wallet hot") {
		t.Errorf("sign says %q", r.err)
	}
}

// Broadcasting a payment again once it is in a block is refused with where it is (exit 5,
// broadcast_rejected), both for one the wallet records and for one it does not touch; while it
// is only in the mempool, broadcasting it again is harmless and answers as the first time.
func TestRebroadcastOfAConfirmedPaymentSaysSo(t *testing.T) {
	c, fc, signed := signedColdPayment(t)
	first := decodeJSON[psbtBroadcastJSON](t, c.mustRun("", "psbt", "broadcast", signed, "--yes", "--json", "--wallet", "cold").out)
	again := decodeJSON[psbtBroadcastJSON](t, c.mustRun("", "psbt", "broadcast", signed, "--yes", "--json", "--wallet", "cold").out)
	if again.TxID != first.TxID {
		t.Fatalf("mempool rebroadcast %s, first %s", again.TxID, first.TxID)
	}
	// From a wallet it does not touch too.
	c.mustRun("", "create", "--wallet", "outside")
	if again := decodeJSON[psbtBroadcastJSON](t, c.mustRun("", "psbt", "broadcast", signed, "--yes", "--json", "--wallet", "outside").out); again.TxID != first.TxID {
		t.Fatalf("mempool rebroadcast from another wallet %s, first %s", again.TxID, first.TxID)
	}
	fc.Mine(1)
	height := fc.Height()
	fc.Mine(2)
	want := fmt.Sprintf("already confirmed (block %d, 3 confirmations)", height)
	for _, wallet := range []string{"cold", "outside"} {
		r := c.run("", "psbt", "broadcast", signed, "--yes", "--json", "--wallet", wallet)
		code, msg := jsonError(t, r.err)
		if r.code != exitBackend || code != "broadcast_rejected" || !strings.Contains(msg, want) {
			t.Fatalf("%s: exit %d %s %q, want %q", wallet, r.code, code, msg, want)
		}
		r = c.run("", "psbt", "broadcast", signed, "--yes", "--wallet", wallet)
		if r.code != exitBackend || !strings.Contains(r.err, want) || r.out != "" {
			t.Fatalf("%s text: exit %d %q %q", wallet, r.code, r.out, r.err)
		}
	}
	fc.Mine(1)
	r := c.run("", "psbt", "broadcast", signed, "--yes", "--wallet", "cold")
	if !strings.Contains(r.err, fmt.Sprintf("(block %d, 4 confirmations)", height)) {
		t.Fatalf("a block later: %q", r.err)
	}
	// Bitcoin Core refuses a confirmed transaction whose outputs are all spent as one whose
	// inputs are missing or spent: that too is found in its block.
	c.dial = func(ctx context.Context, url string) (chain.Backend, error) { return spentRefusingChain{fc}, nil }
	r = c.run("", "psbt", "broadcast", signed, "--yes", "--wallet", "cold")
	if r.code != exitBackend || !strings.Contains(r.err, fmt.Sprintf("already confirmed (block %d, 4 confirmations)", height)) {
		t.Fatalf("missingorspent: exit %d %q", r.code, r.err)
	}
}

// spentRefusingChain refuses every broadcast as Bitcoin Core refuses a transaction whose
// inputs are spent.
type spentRefusingChain struct{ *chaintest.Chain }

func (spentRefusingChain) Broadcast(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	return chainhash.Hash{}, chain.Refusal("bad-txns-inputs-missingorspent")
}

// ctxCheckingChain refuses a broadcast whose context has already ended, as a real backend's
// call would fail.
type ctxCheckingChain struct{ *chaintest.Chain }

func (c ctxCheckingChain) Broadcast(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	if err := ctx.Err(); err != nil {
		return chainhash.Hash{}, fmt.Errorf("fake: %w", err)
	}
	return c.Chain.Broadcast(ctx, tx)
}

// psbt broadcast's time limit on reaching the backend does not run on while the person reads
// the transaction at "Broadcast?": a yes after it sends (it failed as "no answer in time",
// nothing sent). The limit is made to have passed by the time of the broadcast.
func TestPSBTBroadcastNotBoundByTheDialLimit(t *testing.T) {
	c, fc, signed := signedColdPayment(t)
	defer func(d time.Duration) { psbtDialLimit = d }(psbtDialLimit)
	psbtDialLimit = time.Nanosecond // over before the broadcast, as after a long read
	c.dial = func(ctx context.Context, url string) (chain.Backend, error) { return ctxCheckingChain{fc}, nil }
	r := c.run("", "psbt", "broadcast", signed, "--yes", "--json", "--wallet", "cold")
	if r.code != 0 || decodeJSON[psbtBroadcastJSON](t, r.out).TxID == "" {
		t.Fatalf("exit %d %q", r.code, r.err)
	}
}

// signedColdPayment is a watch-only wallet "cold" holding 50,000 sat and the file of its
// payment of 20,000 sat to an outsider, signed by its seed wallet "hot" and not yet broadcast.
func signedColdPayment(t *testing.T) (*cli, *chaintest.Chain, string) {
	t.Helper()
	c, fc := fakeCLI(t)
	watchPair(t, c, "wpkh")
	fundCold(t, c, fc, 50_000)
	out := filepath.Join(t.TempDir(), "u.psbt")
	c.mustRun("", "send", "--json", "--wallet", "cold", outsider, "20000", "--fee-rate", "2", "--psbt-out", out)
	signed := filepath.Join(t.TempDir(), "s.psbt")
	c.mustRun("", "psbt", "sign", out, "--wallet", "hot", "--yes", "--out", signed)
	return c, fc, signed
}
