package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// multisigKeyOut is what export xpub --multisig --json prints.
type multisigKeyOut struct {
	Fingerprint   string `json:"fingerprint"`
	Path          string `json:"path"`
	Xpub          string `json:"xpub"`
	DescriptorKey string `json:"descriptor_key"`
	Key           string `json:"key"`
}

// The abandon seed's BIP48 P2WSH keys, as Electrum 4.3.4's BIP32 code derives them
// (BIP32Node.from_rootseed(...).subkey_at_private_derivation("m/48'/COIN'/0'/2'")).
const (
	abandonBIP48Main = "xpub6DkFAXWQ2dHxq2vatrt9qyA3bXYU4ToWQwCHbf5XB2mSTexcHZCeKS1VZYcPoBd5X8yVcbXFHJR9R8UCVpt82VX1VhR28mCyxUFL4r6KFrf"
	abandonBIP48Test = "tpubDFH9dgzveyD8zTbPUFuLrGmCydNvxehyNdUXKJAQN8x4aZ4j6UZqGfnqFrD4NqyaTVGKbvEW54tsvPTK2UoSbCC1PJY8iCNiwTL3RWZEheQ"
)

func TestExportXpubMultisig(t *testing.T) {
	c := newCLI(t)
	c.mustRun(abandon+"\n", "restore", "--offline")
	r := c.mustRun("", "export", "xpub", "--multisig", "--json")
	c.golden("export-xpub-multisig.json", r.out)
	k := decodeJSON[multisigKeyOut](t, r.out)
	want := multisigKeyOut{Fingerprint: "73c5da0a", Path: "m/48h/1h/0h/2h", Xpub: abandonBIP48Test,
		DescriptorKey: "[73c5da0a/48h/1h/0h/2h]" + abandonBIP48Test, Key: "[73c5da0a/48h/1h/0h/2h]" + abandonBIP48Test}
	if k != want {
		t.Fatalf("regtest: %+v, want %+v", k, want)
	}
	if text := c.mustRun("", "export", "xpub", "--multisig").out; text != want.DescriptorKey+"\n" {
		t.Fatalf("text output %q", text)
	}
	c.mustRun(abandon+"\n", "restore", "--offline", "--network", "mainnet")
	if got := c.mustRun("", "export", "xpub", "--multisig", "--network", "mainnet").out; got != "[73c5da0a/48h/0h/0h/2h]"+abandonBIP48Main+"\n" {
		t.Fatalf("mainnet: %q", got)
	}
	if r := c.run("", "export", "xpub", "--multisig", "--slip132"); r.code != exitUsage {
		t.Fatalf("--multisig --slip132: exit %d %s", r.code, r.err)
	}
	// A watch-only wallet has no seed to derive the key from.
	c.mustRun("", "create", "--watch-only", "--xpub", c.mustRun("", "export", "xpub").out[:111], "--type", "tr", "--wallet", "w")
	if r := c.run("", "export", "xpub", "--multisig", "--wallet", "w"); r.code != exitUsage || !strings.Contains(r.err, "watch-only") {
		t.Fatalf("watch-only: exit %d %s", r.code, r.err)
	}
	// A wrong passphrase unlocks nothing.
	c.env["SATCHEL_PASSPHRASE"] = "wrong"
	if r := c.run("", "export", "xpub", "--multisig"); r.code == 0 || strings.Contains(r.out, "tpub") {
		t.Fatalf("wrong passphrase: exit %d %s", r.code, r.out)
	}
}

// Two more BIP39 test seeds (the BIP39 English vectors' "legal winner" and "letter advice"),
// the second and third members of the test 2-of-3 beside the abandon seed.
const (
	seedB = "legal winner thank year wave sausage worth useful legal winner thank yellow"
	seedC = "letter advice cage absurd amount doctor acoustic avoid letter advice cage above"
)

// multisigInfo is the multisig part of info --json.
type multisigInfo struct {
	Fingerprint string
	Type        string
	WatchOnly   bool `json:"watch_only"`
	Descriptors descriptorsJSON
	Multisig    *struct {
		M, N       int
		Descriptor string
		Cosigners  []struct {
			Fingerprint, Path, Xpub string
			Local                   bool
		}
	}
}

// multisig3 makes the test 2-of-3: three seed wallets "s1".."s3" for the keys, then the
// multisig wallets "m1".."m3", each restored from one seed with the other two as cosigners.
// It returns the three keys as export xpub --multisig prints them.
func (c *cli) multisig3() [3]string {
	c.t.Helper()
	var ks [3]string
	seeds := [3]string{abandon, seedB, seedC}
	for i, s := range seeds {
		w := fmt.Sprintf("s%d", i+1)
		c.mustRun(s+"\n", "restore", "--offline", "--wallet", w)
		ks[i] = strings.TrimSpace(c.mustRun("", "export", "xpub", "--multisig", "--wallet", w).out)
	}
	for i, s := range seeds {
		args := []string{"restore", "--offline", "--wallet", fmt.Sprintf("m%d", i+1), "--multisig", "2"}
		for j, k := range ks {
			if j != i {
				args = append(args, "--cosigner", k)
			}
		}
		c.mustRun(s+"\n", args...)
	}
	return ks
}

// A 2-of-3 from three seeds: every member and a watch-only coordinator made from the
// descriptor show the same descriptor, hand out the same addresses, and those are the
// addresses Electrum 4.3.4's own multisig wallet derives from the three keys (20 receive, 20
// change).
func TestMultisigAddressesMatchElectrum(t *testing.T) {
	e := newElectrum(t)
	c := newCLI(t)
	ks := c.multisig3()
	var infos [3]multisigInfo
	for i := range infos {
		infos[i] = decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", fmt.Sprintf("m%d", i+1)).out)
		ms := infos[i].Multisig
		if ms == nil || ms.M != 2 || ms.N != 3 || infos[i].Type != "wsh-multi-2-of-3" {
			t.Fatalf("m%d info %+v", i+1, infos[i])
		}
		locals := 0
		for _, co := range ms.Cosigners {
			if co.Local {
				locals++
				if !strings.Contains(ks[i], co.Xpub) || co.Path != "m/48h/1h/0h/2h" {
					t.Fatalf("m%d: own key %+v, want %s", i+1, co, ks[i])
				}
			}
		}
		if locals != 1 || infos[i].Descriptors != infos[0].Descriptors || ms.Descriptor != infos[0].Multisig.Descriptor {
			t.Fatalf("m%d: %d own keys, descriptors %+v vs m1 %+v", i+1, locals, infos[i].Descriptors, infos[0].Descriptors)
		}
	}
	desc := infos[0].Multisig.Descriptor
	if !strings.HasPrefix(desc, "wsh(sortedmulti(2,") || !strings.Contains(desc, "/<0;1>/*") {
		t.Fatalf("descriptor %s", desc)
	}
	c.mustRun("", "create", "--watch-only", "--descriptor", desc, "--wallet", "coord")
	co := decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", "coord").out)
	if !co.WatchOnly || co.Descriptors != infos[0].Descriptors || co.Multisig == nil || co.Multisig.Descriptor != desc {
		t.Fatalf("coordinator %+v", co)
	}

	recv := satchelAddresses(t, infos[0].Descriptors.Receive, 20)
	change := satchelAddresses(t, infos[0].Descriptors.Change, 20)
	for i := 0; i < 20; i++ {
		for _, w := range []string{"m1", "m2", "m3", "coord"} {
			if got := c.receiveAddr(w); got != recv[i] {
				t.Fatalf("%s receive #%d = %s, descriptor gives %s", w, i, got, recv[i])
			}
		}
	}
	// Electrum's Multisig_Wallet of the same three keys (as Vpub, its P2WSH form), from its
	// own BIP32, sorting and script code.
	script := `
import sys, tempfile
from electrum import constants, keystore, util
from electrum.bip32 import BIP32Node
from electrum.simple_config import SimpleConfig
from electrum.wallet_db import WalletDB
from electrum.wallet import Wallet
constants.set_regtest()
loop, stop, thread = util.create_and_start_event_loop()
db = WalletDB('', manual_upgrades=False)
db.put('wallet_type', '%dof%d' % (int(sys.argv[1]), len(sys.argv) - 2))
for i, t in enumerate(sys.argv[2:]):
    vpub = BIP32Node.from_xkey(t)._replace(xtype='p2wsh').to_xpub()
    db.put('x%d/' % (i + 1), keystore.from_xpub(vpub).dump())
w = Wallet(db, None, config=SimpleConfig({'electrum_path': tempfile.mkdtemp()}))
for ch in (0, 1):
    for i in range(20):
        print(w.derive_address(ch, i))
loop.call_soon_threadsafe(stop.set_result, 1)
thread.join(timeout=10)
`
	args := []string{"2"}
	for _, k := range ks {
		args = append(args, k[strings.Index(k, "]")+1:])
	}
	lib := strings.Fields(e.python(script, args...))
	if len(lib) != 40 || !equalPrefix(lib[:20], recv, 20) || !equalPrefix(lib[20:], change, 20) {
		t.Fatalf("Electrum 2-of-3 addresses\n%v\nsatchel receive\n%v\nchange\n%v", lib, recv, change)
	}
}

// Bad multisig setups are refused with one line saying what to fix, and leave no wallet.
func TestMultisigRefusals(t *testing.T) {
	c := newCLI(t)
	ks := c.multisig3()
	mainnetKey := "[73c5da0a/48h/0h/0h/2h]" + abandonBIP48Main
	many := []string{}
	for i := 0; i < 15; i++ {
		many = append(many, "--cosigner", ks[1]) // duplicates, but the count is checked first
	}
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		want        string
	}{
		{"own key as cosigner", abandon, []string{"restore", "--multisig", "2", "--cosigner", ks[0], "--cosigner", ks[1]}, exitUsage, "--cosigner #1 is this wallet's own key"},
		{"duplicate cosigner", abandon, []string{"restore", "--multisig", "2", "--cosigner", ks[1], "--cosigner", ks[1]}, exitUsage, "--cosigner #1 and #2 are the same key"},
		{"threshold above n", abandon, []string{"restore", "--multisig", "4", "--cosigner", ks[1], "--cosigner", ks[2]}, exitUsage, "threshold"},
		{"threshold 0", abandon, []string{"restore", "--multisig", "0", "--cosigner", ks[1]}, exitUsage, "threshold"},
		{"16 keys", abandon, append([]string{"restore", "--multisig", "2"}, many...), exitUsage, "at most 15"},
		{"mainnet key on regtest", abandon, []string{"restore", "--multisig", "2", "--cosigner", ks[1], "--cosigner", mainnetKey}, exitUsage, "mainnet"},
		{"no cosigner", abandon, []string{"restore", "--multisig", "1"}, exitUsage, "--cosigner"},
		{"cosigner alone", abandon, []string{"restore", "--cosigner", ks[1]}, exitUsage, "--multisig"},
		{"with --type", abandon, []string{"restore", "--multisig", "1", "--type", "wpkh", "--cosigner", ks[1]}, exitUsage, "--type"},
		{"private cosigner", abandon, []string{"restore", "--multisig", "1", "--cosigner", "[73c5da0a/48h/1h/0h/2h]tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZWARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK"}, exitUsage, "private"},
		{"create too", "", []string{"create", "--multisig", "3", "--cosigner", ks[1]}, exitUsage, "threshold"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append(tc.args, "--offline", "--wallet", "bad")
			stdin := ""
			if tc.stdin != "" {
				stdin = tc.stdin + "\n"
			}
			r := c.run(stdin, args...)
			lines := strings.Split(strings.TrimSpace(r.err), "\n")
			if r.code != tc.code || !strings.Contains(r.err, tc.want) || len(lines) != 1 {
				t.Fatalf("exit %d, stderr %q; want exit %d naming %q on one line", r.code, r.err, tc.code, tc.want)
			}
			if _, err := os.Stat(filepath.Join(c.home, "regtest", "bad")); !os.IsNotExist(err) {
				t.Fatalf("a wallet folder was left: %v", err)
			}
		})
	}
	// A cosigner key without its origin is taken, with a warning saying what it costs.
	bare := ks[1][strings.Index(ks[1], "]")+1:]
	r := c.run(abandon+"\n", "restore", "--multisig", "2", "--cosigner", bare, "--offline", "--wallet", "bare")
	if r.code != 0 || !strings.Contains(r.err, "warning: --cosigner #1 has no origin [fingerprint/path]: PSBTs cannot name that member's master key") {
		t.Fatalf("bare cosigner: exit %d %q", r.code, r.err)
	}
	if r := c.run(abandon+"\n", "restore", "--multisig", "2", "--cosigner", ks[1], "--offline", "--wallet", "origin"); r.code != 0 || strings.Contains(r.err, "cosigner_no_origin") || strings.Contains(r.err, "has no origin") {
		t.Fatalf("cosigner with origin: exit %d %q", r.code, r.err)
	}
	// A coordinator's descriptor must be sortedmulti of public keys on this network.
	info := decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", "m1").out)
	unsorted := strings.Replace(strings.Split(info.Multisig.Descriptor, "#")[0], "sortedmulti", "multi", 1)
	if r := c.run("", "create", "--watch-only", "--descriptor", unsorted, "--wallet", "bad"); r.code != exitUsage || !strings.Contains(r.err, "sortedmulti") {
		t.Fatalf("multi(): exit %d %s", r.code, r.err)
	}
}

// A multisig wallet's backup restores it (same descriptor, next address), its descriptors
// export public (the private export is refused: it would mix one private key among public
// ones), and export xpub --multisig of a member gives the key it holds in the multisig.
func TestMultisigBackupAndExport(t *testing.T) {
	c := newCLI(t)
	ks := c.multisig3()
	c.mustRun("", "receive", "--wallet", "m1", "--offline")
	bak := filepath.Join(t.TempDir(), "m1.backup")
	c.mustRun("", "backup", "export", bak, "--wallet", "m1")
	c.mustRun("", "restore", "--from-backup", bak, "--wallet", "m1b")
	a := decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", "m1").out)
	b := decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", "m1b").out)
	if a.Multisig == nil || b.Multisig == nil || a.Multisig.Descriptor != b.Multisig.Descriptor {
		t.Fatalf("restored multisig %+v, want %+v", b.Multisig, a.Multisig)
	}
	if x, y := c.receiveAddr("m1"), c.receiveAddr("m1b"); x != y {
		t.Fatalf("next address %s after the restore, %s before", y, x)
	}
	ds := decodeJSON[[]descImport](t, c.mustRun("", "export", "descriptors", "--wallet", "m1").out)
	if len(ds) != 2 || ds[0].Desc != a.Descriptors.Receive || ds[1].Desc != a.Descriptors.Change || !ds[1].Internal {
		t.Fatalf("exported %+v, info %+v", ds, a.Descriptors)
	}
	if r := c.run("", "export", "descriptors", "--private", "--wallet", "m1"); r.code != exitUsage || strings.Contains(r.out, "tprv") {
		t.Fatalf("private export of a multisig: exit %d %s", r.code, r.out)
	}
	if got := strings.TrimSpace(c.mustRun("", "export", "xpub", "--multisig", "--wallet", "m2").out); got != ks[1] {
		t.Fatalf("m2's multisig key %s, want %s", got, ks[1])
	}
	if r := c.run("", "export", "xpub", "--wallet", "m1"); r.code != exitUsage || !strings.Contains(r.err, "--multisig") {
		t.Fatalf("export xpub of a multisig wallet: exit %d %s", r.code, r.err)
	}
	addr := c.receiveAddr("m1")
	if r := c.run("", "sign-message", addr, "hello", "--wallet", "m1"); r.code != exitUsage || !strings.Contains(r.err, "wsh-multi-2-of-3 address") {
		t.Fatalf("sign-message from a multisig address: exit %d %s", r.code, r.err)
	}
	c.golden("info-multisig.json", c.mustRun("", "info", "--json", "--wallet", "m1").out)
	c.golden("info-multisig.txt", c.mustRun("", "info", "--wallet", "m1").out)

	// create --multisig: a new seed whose BIP48 key joins the two others.
	r := c.mustRun("", "create", "--multisig", "2", "--cosigner", ks[1], "--cosigner", ks[2], "--wallet", "mc", "--json")
	created := decodeJSON[walletJSON](t, r.out)
	if created.Type != "wsh-multi-2-of-3" || created.Mnemonic == "" || !strings.HasPrefix(created.Descriptors.Receive, "wsh(sortedmulti(2,") {
		t.Fatalf("create --multisig: %s", r.out)
	}
	mc := decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", "mc").out)
	own := strings.TrimSpace(c.mustRun("", "export", "xpub", "--multisig", "--wallet", "mc").out)
	// Tests draw entropy of zeros: the new seed is the abandon seed, whose key is ks[0].
	if own != ks[0] || mc.Multisig.Descriptor != a.Multisig.Descriptor {
		t.Fatalf("new seed's key %s, want %s; descriptor %s", own, ks[0], mc.Multisig.Descriptor)
	}
	for _, co := range mc.Multisig.Cosigners {
		if co.Local != strings.Contains(own, co.Xpub) {
			t.Fatalf("cosigner %+v, own key %s", co, own)
		}
	}
}
