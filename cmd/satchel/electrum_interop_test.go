package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/descriptor"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// These tests check satchel against an independent wallet: Electrum 4.3.4 from Debian, run
// offline in regtest mode (see /work/shared/REGTEST.md). .ci/run installs it; a machine
// without it fails here loudly rather than skipping, so interop is never silently untested.

// electrumCLI runs Electrum's command line offline on regtest, in a folder of its own.
type electrumCLI struct {
	t   *testing.T
	bin string
	dir string
}

func newElectrum(t *testing.T) *electrumCLI {
	t.Helper()
	bin, err := exec.LookPath("electrum")
	if err != nil {
		t.Fatalf("Electrum is not installed (%v): the interop tests need it; run bash scripts/need-electrum.sh "+
			"(make test and .ci/run do), or sudo apt-get install electrum", err)
	}
	return &electrumCLI{t: t, bin: bin, dir: t.TempDir()}
}

// run runs one Electrum command on wallet w ("" for none) and returns its stdout, trimmed.
func (e *electrumCLI) run(w string, args ...string) string {
	e.t.Helper()
	full := []string{"--regtest", "--offline", "-D", e.dir}
	if w != "" {
		full = append(full, "-w", filepath.Join(e.dir, w))
	}
	full = append(full, args...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.bin, full...)
	cmd.Env = append(os.Environ(), "HOME="+e.dir)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		e.t.Fatalf("electrum %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out.String(), errb.String())
	}
	return strings.TrimSpace(out.String())
}

// addresses runs listaddresses with a filter flag and decodes the JSON list.
func (e *electrumCLI) addresses(w, filter string) []string {
	e.t.Helper()
	var out []string
	if err := json.Unmarshal([]byte(e.run(w, "listaddresses", filter)), &out); err != nil {
		e.t.Fatalf("listaddresses %s: %v", filter, err)
	}
	return out
}

// python runs a script with the interpreter Electrum runs under, where its library lives.
func (e *electrumCLI) python(script string, args ...string) string {
	e.t.Helper()
	f, err := os.Open(e.bin)
	if err != nil {
		e.t.Fatal(err)
	}
	line, _ := bufio.NewReader(f).ReadString('\n')
	f.Close()
	interp := strings.TrimSpace(strings.TrimPrefix(line, "#!"))
	if interp == "" || strings.Contains(interp, " ") {
		e.t.Fatalf("cannot tell Electrum's interpreter from %q", line)
	}
	cmd := exec.Command(interp, append([]string{"-c", script}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+e.dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		e.t.Fatalf("electrum library: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// abandonAccountKeys are the abandon seed's BIP84 regtest account keys in SLIP-132 form, which
// Electrum reads as P2WPKH: vprv and vpub.
func abandonAccountKeys(t *testing.T) (vprv, vpub string) {
	t.Helper()
	master, err := keys.Master(keys.SeedFromMnemonic([]byte(abandon), nil), regtest.Net)
	if err != nil {
		t.Fatal(err)
	}
	k := master
	for _, step := range []uint32{84 + keys.Hardened, 1 + keys.Hardened, keys.Hardened} {
		if k, err = k.Derive(step); err != nil {
			t.Fatal(err)
		}
	}
	if vprv, err = keys.EncodeSLIP132(k, keys.BIP84, regtest.Net); err != nil {
		t.Fatal(err)
	}
	pub, err := k.Neuter()
	if err != nil {
		t.Fatal(err)
	}
	if vpub, err = keys.EncodeSLIP132(pub, keys.BIP84, regtest.Net); err != nil {
		t.Fatal(err)
	}
	return vprv, vpub
}

// satchelAddresses derives n addresses of a descriptor satchel prints, with satchel's code.
func satchelAddresses(t *testing.T, desc string, n int) []string {
	t.Helper()
	d, err := descriptor.Parse(desc)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, n)
	for i := range out {
		script, err := d.ScriptAt(uint32(i))
		if err != nil {
			t.Fatal(err)
		}
		out[i] = addressOf(t, script)
	}
	return out
}

func addressOf(t *testing.T, script []byte) string {
	t.Helper()
	_, addrs, _, err := txscript.ExtractPkScriptAddrs(script, regtest.Net)
	if err != nil || len(addrs) != 1 {
		t.Fatalf("script %x has no address (%v)", script, err)
	}
	return addrs[0].EncodeAddress()
}

// (a) The first 20 receive and change addresses of a P2WPKH wallet are the same in satchel
// and in Electrum restored from the exported vpub (and vprv).
func TestElectrumInteropAddresses(t *testing.T) {
	e := newElectrum(t)
	c := newCLI(t)
	c.mustRun(abandon+"\n", "restore", "--type", "wpkh", "--offline")
	info := decodeJSON[infoJSON](t, c.mustRun("", "info", "--json").out)
	vprv, vpub := abandonAccountKeys(t)
	// satchel reads the vpub as a watch-only P2WPKH wallet with the same descriptors.
	c.mustRun("", "create", "--watch-only", "--xpub", vpub, "--fingerprint", "73c5da0a", "--wallet", "watch")
	winfo := decodeJSON[infoJSON](t, c.mustRun("", "info", "--json", "--wallet", "watch").out)
	if winfo.Descriptors != info.Descriptors {
		t.Fatalf("watch-only from the vpub: %+v, seed wallet: %+v", winfo.Descriptors, info.Descriptors)
	}
	recv := satchelAddresses(t, info.Descriptors.Receive, 20)
	change := satchelAddresses(t, info.Descriptors.Change, 20)
	for i := 0; i < 3; i++ {
		if got := c.receiveAddr("default"); got != recv[i] {
			t.Fatalf("satchel receive #%d = %s, descriptor gives %s", i, got, recv[i])
		}
	}
	for name, key := range map[string]string{"pub": vpub, "prv": vprv} {
		e.run(name, "restore", key)
		if got := e.addresses(name, "--receiving"); !equalPrefix(got, recv, 20) {
			t.Fatalf("Electrum (%s) receive addresses\n%v\nsatchel\n%v", name, got, recv)
		}
		// Offline, Electrum makes only its change gap limit (10) of change addresses.
		got := e.addresses(name, "--change")
		if len(got) < 10 || !equalPrefix(got, change, len(got)) {
			t.Fatalf("Electrum (%s) change addresses\n%v\nsatchel\n%v", name, got, change)
		}
	}
	// The change addresses past Electrum's offline gap, from Electrum's own BIP32 and address code.
	script := `
import sys
from electrum import constants, bitcoin
from electrum.bip32 import BIP32Node
constants.set_regtest()
node = BIP32Node.from_xkey(sys.argv[1])
for i in range(20):
    print(bitcoin.pubkey_to_address('p2wpkh', node.subkey_at_public_derivation([1, i]).eckey.get_public_key_hex()))
`
	lib := strings.Fields(e.python(script, vpub))
	if !equalPrefix(lib, change, 20) {
		t.Fatalf("Electrum library change addresses\n%v\nsatchel\n%v", lib, change)
	}
}

func equalPrefix(got, want []string, n int) bool {
	if len(got) < n || len(want) < n {
		return false
	}
	for i := 0; i < n; i++ {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// (b) A payment planned by a satchel watch-only wallet (made from the vpub) is signed by
// Electrum holding the vprv, and the node accepts the result; satchel then sees it confirmed.
func TestElectrumInteropSignsSatchelPSBT(t *testing.T) {
	e := newElectrum(t)
	c, n := nodeCLI(t)
	vprv, vpub := abandonAccountKeys(t)
	c.mustRun("", "create", "--watch-only", "--xpub", vpub, "--fingerprint", "73c5da0a", "--wallet", "cold")
	c.fund(n, "cold", 70_000, 40_000)
	dest := regtest.NewKey("electrum-dest", txbuilder.P2TR).Address
	r := c.mustRun("", "send", "--json", "--wallet", "cold", dest, "80000", "--fee-rate", "2")
	var plan struct {
		planJSON
		PSBT string `json:"psbt"`
	}
	if err := json.Unmarshal([]byte(r.out), &plan); err != nil || plan.PSBT == "" {
		t.Fatalf("watch-only send: %v %s", err, r.out)
	}
	if len(n.MempoolTxIDs(t)) != 0 {
		t.Fatal("the watch-only send broadcast something")
	}
	e.run("prv", "restore", vprv)
	signed := e.run("prv", "signtransaction", plan.PSBT)
	raw, err := hex.DecodeString(signed)
	if err != nil {
		t.Fatalf("Electrum did not complete the transaction: %.200s", signed)
	}
	var tx wire.MsgTx
	if err := tx.Deserialize(bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
	unsigned := decodePSBTText(t, plan.PSBT).UnsignedTx.TxHash()
	if tx.TxHash() != unsigned {
		t.Fatalf("Electrum signed %s, satchel planned %s", tx.TxHash(), unsigned)
	}
	id := n.Broadcast(t, &tx)
	assertFeeRate(t, n, id.String(), 2000, plan.Fee)
	n.Mine(t, 1)
	h := c.history("cold")
	if h[0].TxID != id.String() || h[0].Status != "confirmed" || h[0].Amount != -(80_000+plan.Fee) {
		t.Fatalf("cold history after Electrum signed %+v", h[0])
	}
	if b := c.balance("cold"); b.Confirmed != 110_000-80_000-plan.Fee {
		t.Fatalf("cold balance %+v", b)
	}
}

// (c) A payment made by Electrum (watch-only from the vpub, told of the funding transaction
// with addtransaction, since offline it cannot look it up) is signed by satchel, broadcast
// with satchel psbt broadcast, and accepted by the node.
func TestElectrumInteropSatchelSignsElectrumPSBT(t *testing.T) {
	e := newElectrum(t)
	c, n := nodeCLI(t)
	_, vpub := abandonAccountKeys(t)
	c.mustRun(abandon+"\n", "restore", "--type", "wpkh", "--wallet", "hot")
	addr := c.receiveAddr("hot")
	fundID := n.Send(t, addr, 90_000)
	n.Mine(t, 1)
	c.mustRun("", "sync", "--wallet", "hot")
	rawFund, err := n.RPC().RawRequest("getrawtransaction", []json.RawMessage{json.RawMessage(`"` + fundID.String() + `"`), json.RawMessage("0")})
	if err != nil {
		t.Fatal(err)
	}
	var fundHex string
	if err := json.Unmarshal(rawFund, &fundHex); err != nil {
		t.Fatal(err)
	}
	e.run("pub", "restore", vpub)
	e.run("pub", "addtransaction", fundHex)
	dest := regtest.NewKey("electrum-made", txbuilder.P2WPKH).Address
	unsigned := e.run("pub", "payto", dest, "0.0003", "--unsigned", "--feerate", "2")
	if !strings.HasPrefix(unsigned, "cHNidP8") {
		t.Fatalf("Electrum payto --unsigned gave %.200s", unsigned)
	}
	dec := decodeJSON[psbtSummaryJSON](t, c.mustRun(unsigned, "psbt", "decode", "-", "--json", "--wallet", "hot").out)
	if len(dec.Inputs) != 1 || !*dec.Inputs[0].Ours || dec.Fee == nil || *dec.Spent != 90_000 {
		t.Fatalf("satchel's view of Electrum's PSBT %+v", dec)
	}
	var change, paid int
	for _, o := range dec.Outputs {
		switch {
		case *o.Change:
			change++
		case o.Address == dest && o.Value == 30_000:
			paid++
		}
	}
	if change != 1 || paid != 1 {
		t.Fatalf("outputs %+v: want the payee and satchel's own change", dec.Outputs)
	}
	r := c.mustRun(unsigned, "psbt", "sign", "-", "--yes", "--json", "--wallet", "hot")
	s := decodeJSON[psbtResultJSON](t, r.out)
	if !s.Complete {
		t.Fatalf("sign %+v", s)
	}
	r = c.mustRun(s.PSBT, "psbt", "broadcast", "-", "--yes", "--json", "--wallet", "hot")
	b := decodeJSON[psbtBroadcastJSON](t, r.out)
	assertFeeRate(t, n, b.TxID, 2000, *dec.Fee)
	n.Mine(t, 1)
	if got := n.TxConfirmations(t, mustHash(t, b.TxID)); got != 1 {
		t.Fatalf("confirmations %d", got)
	}
	if bal := c.balance("hot"); bal.Confirmed != 90_000-30_000-*dec.Fee {
		t.Fatalf("hot balance %+v (fee %d)", bal, *dec.Fee)
	}
}

// electrumMultisigScript builds Electrum 4.3.4's own 2-of-3 Multisig_Wallet in memory: the
// keys are given as argv (M, then for each key either "seed:WORDS" for one whose BIP39 seed
// Electrum holds at m/48'/1'/0'/2', or a tpub), then an action: "sign PSBT" prints what
// Electrum's sign_transaction makes of it (hex when complete, else base64); "pay HEX,HEX ADDR
// SAT" adds the transactions paying the wallet and prints an unsigned PSBT paying ADDR.
const electrumMultisigScript = `
import sys, tempfile
from electrum import constants, keystore, util
from electrum.bip32 import BIP32Node
from electrum.simple_config import SimpleConfig
from electrum.wallet_db import WalletDB
from electrum.wallet import Wallet
from electrum.transaction import tx_from_any, PartialTxOutput, Transaction
constants.set_regtest()
loop, stop, thread = util.create_and_start_event_loop()
m, n = int(sys.argv[1]), int(sys.argv[2])
keys, rest = sys.argv[3:3 + n], sys.argv[3 + n:]
db = WalletDB('', manual_upgrades=False)
db.put('wallet_type', '%dof%d' % (m, n))
for i, k in enumerate(keys):
    if k.startswith('seed:'):
        ks = keystore.from_bip43_rootseed(keystore.bip39_to_seed(k[5:], ''), "m/48'/1'/0'/2'", xtype='p2wsh')
    else:
        ks = keystore.from_xpub(BIP32Node.from_xkey(k)._replace(xtype='p2wsh').to_xpub())
    db.put('x%d/' % (i + 1), ks.dump())
try:
    w = Wallet(db, None, config=SimpleConfig({'electrum_path': tempfile.mkdtemp()}))
    if rest[0] == 'sign':
        tx = tx_from_any(rest[1])
        tx.add_info_from_wallet(w)
        w.sign_transaction(tx, None)
        print(tx.serialize())
    elif rest[0] == 'pay':
        for raw in rest[1].split(','):
            w.adb.add_transaction(Transaction(raw))
        out = PartialTxOutput.from_address_and_value(rest[2], int(rest[3]))
        coins = w.get_spendable_coins(None, nonlocal_only=False)
        tx = w.make_unsigned_transaction(coins=coins, outputs=[out], fee=lambda size: 2 * size)
        tx.add_info_from_wallet(w)
        print(tx.serialize())
finally:
    # The event loop's thread would keep the process alive after an exception.
    loop.call_soon_threadsafe(stop.set_result, 1)
    thread.join(timeout=10)
`

// (d) Multisig both ways: a satchel 2-of-3 payment signed by member A is completed by
// Electrum's 2-of-3 wallet of the same keys holding C's seed, and the node accepts it; a PSBT
// made by Electrum's watch-only 2-of-3 is signed by satchel's members A and B and broadcast.
func TestElectrumInteropMultisig(t *testing.T) {
	e := newElectrum(t)
	c, n := nodeCLI(t)
	ks := c.multisig3()
	var tpubs []string
	for _, k := range ks {
		tpubs = append(tpubs, k[strings.Index(k, "]")+1:])
	}
	c.fund(n, "m1", 60_000, 45_000)
	c.mustRun("", "sync", "--wallet", "m1")
	dest := regtest.NewKey("electrum-multisig", txbuilder.P2WPKH).Address

	// satchel A signs, Electrum (C's seed) completes.
	r := c.mustRun("", "send", "--json", "--yes", "--wallet", "m1", dest, "50000", "--fee-rate", "2")
	var plan struct {
		planJSON
		PSBT string `json:"psbt"`
	}
	if err := json.Unmarshal([]byte(r.out), &plan); err != nil || plan.PSBT == "" {
		t.Fatalf("multisig send: %v %s", err, r.out)
	}
	signed := e.python(electrumMultisigScript, "2", "3", tpubs[0], tpubs[1], "seed:"+seedC, "sign", plan.PSBT)
	raw, err := hex.DecodeString(lastLine(signed))
	if err != nil {
		t.Fatalf("Electrum did not complete the 2-of-3 transaction: %.300s", signed)
	}
	var tx wire.MsgTx
	if err := tx.Deserialize(bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
	if want := decodePSBTText(t, plan.PSBT).UnsignedTx.TxHash(); tx.TxHash() != want {
		t.Fatalf("Electrum signed %s, satchel planned %s", tx.TxHash(), want)
	}
	id := n.Broadcast(t, &tx)
	assertFeeRate(t, n, id.String(), 2000, plan.Fee)
	n.Mine(t, 1)
	c.mustRun("", "sync", "--wallet", "m1")
	if b := c.balance("m1"); b.Confirmed != 105_000-50_000-plan.Fee {
		t.Fatalf("m1 balance after Electrum completed the payment %+v", b)
	}

	// Electrum's watch-only 2-of-3 makes the PSBT; satchel's A and B sign it; it is sent.
	utxos := decodeJSON[[]struct {
		OutPoint string `json:"outpoint"`
	}](t, c.mustRun("", "utxos", "--json", "--wallet", "m1").out)
	var funds []string
	for _, u := range utxos {
		id := strings.Split(u.OutPoint, ":")[0]
		rawTx, err := n.RPC().RawRequest("getrawtransaction", []json.RawMessage{json.RawMessage(`"` + id + `"`), json.RawMessage("0")})
		if err != nil {
			t.Fatal(err)
		}
		var h string
		if err := json.Unmarshal(rawTx, &h); err != nil {
			t.Fatal(err)
		}
		funds = append(funds, h)
	}
	fundHex := strings.Join(funds, ",")
	made := lastLine(e.python(electrumMultisigScript, "2", "3", tpubs[0], tpubs[1], tpubs[2], "pay", fundHex, dest, "20000"))
	if !strings.HasPrefix(made, "cHNidP8") {
		t.Fatalf("Electrum made no PSBT: %.300s", made)
	}
	dec := decodeJSON[decodeMultisig](t, c.mustRun(made, "psbt", "decode", "-", "--json", "--wallet", "m1").out)
	if len(dec.Inputs) != 1 || dec.Inputs[0].Multisig == nil || !*dec.Inputs[0].Ours {
		t.Fatalf("satchel's view of Electrum's multisig PSBT %+v", dec)
	}
	// Electrum's PSBT names the keys it only watches by their own fingerprint and a path from
	// them, not from the member's master key: each member finds its coin in its own synced
	// wallet instead.
	c.mustRun("", "sync", "--wallet", "m2")
	a := decodeJSON[multisigPSBTOut](t, c.mustRun(made, "psbt", "sign", "-", "--yes", "--json", "--wallet", "m1").out)
	ab := decodeJSON[multisigPSBTOut](t, c.mustRun(a.PSBT, "psbt", "sign", "-", "--yes", "--json", "--wallet", "m2").out)
	if !ab.Complete {
		t.Fatalf("two satchel signatures did not complete Electrum's PSBT: %+v", ab)
	}
	c.mustRun(ab.PSBT, "psbt", "broadcast", "-", "--yes", "--wallet", "m1")
	n.Mine(t, 1)
	c.mustRun("", "sync", "--wallet", "m1")
	if h := c.history("m1"); h[0].Status != "confirmed" || h[0].Amount >= -20_000 {
		t.Fatalf("history after the Electrum-made payment %+v", h[0])
	}
}

// lastLine is the last line of s (Electrum's library may log before the result).
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// (g) SLIP-39: shares made with --no-extendable restore in Electrum 4.3.4's own SLIP-39 code to
// the same master secret (the same BIP32 fingerprint) as in satchel; the default, extendable
// shares it refuses (their checksum is keyed differently): the reason for the flag, as the
// README says.
func TestElectrumInteropShamirShares(t *testing.T) {
	e := newElectrum(t)
	script := `
import sys
from electrum import slip39
try:
    print(slip39.recover_ems(sys.argv[1:]).decrypt('').hex())
except slip39.Slip39Error as err:
    print('error:', err)
`
	for _, tc := range []struct {
		name string
		args []string
		same bool
	}{
		{"--no-extendable", []string{"--no-extendable"}, true},
		{"extendable (default)", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			out := decodeJSON[shamirOut](t, c.mustRun("", append([]string{"create", "--shamir", "2-of-3", "--json"}, tc.args...)...).out)
			got := e.python(script, out.Shares[0][2], out.Shares[0][0])
			fp := ""
			if seed, err := hex.DecodeString(got); err == nil {
				master, err := keys.Master(seed, regtest.Net)
				if err != nil {
					t.Fatal(err)
				}
				fp = keys.FormatFingerprint(keys.Fingerprint(master))
			}
			if (fp == out.Fingerprint) != tc.same || (!tc.same && !strings.HasPrefix(got, "error:")) {
				t.Fatalf("Electrum recovered %q (fingerprint %q), satchel's wallet is %s; want same=%v (or else refused)", got, fp, out.Fingerprint, tc.same)
			}
		})
	}
}
