package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/descriptor"
)

type descImport struct {
	Desc      string    `json:"desc"`
	Timestamp int64     `json:"timestamp"`
	Active    bool      `json:"active"`
	Internal  bool      `json:"internal"`
	Range     [2]uint32 `json:"range"`
	Next      uint32    `json:"next"`
	NextIndex uint32    `json:"next_index"`
}

func TestExportDescriptorsGolden(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.mustRun("", "receive")
	c.mustRun("", "receive")
	r := c.mustRun("", "export", "descriptors")
	c.golden("export-descriptors.json", r.out)
	if r.out != c.mustRun("", "export", "descriptors", "--json").out {
		t.Fatal("--json changes the output")
	}
	pub := decodeJSON[[]descImport](t, r.out)
	info := decodeJSON[infoOut](t, c.mustRun("", "info", "--json").out)
	if len(pub) != 2 || pub[0].Desc != info.Descriptors.Receive || pub[1].Desc != info.Descriptors.Change {
		t.Fatalf("descriptors %+v differ from info %+v", pub, info.Descriptors)
	}
	if pub[0].Next != 2 || pub[0].NextIndex != 2 || pub[0].Range != [2]uint32{0, 21} || pub[1].Internal != true || pub[1].Next != 0 {
		t.Fatalf("ranges %+v", pub)
	}
	if strings.Contains(r.out, "prv") {
		t.Fatal("public export holds a private key")
	}

	r = c.mustRun("", "export", "descriptors", "--private")
	c.golden("export-descriptors-private.json", r.out)
	priv := decodeJSON[[]descImport](t, r.out)
	for i := range priv {
		// The private descriptor's checksum is right and it gives the public one's scripts.
		d, err := descriptor.Parse(priv[i].Desc)
		if err != nil || !strings.Contains(priv[i].Desc, "tprv") {
			t.Fatalf("%s: %v", priv[i].Desc, err)
		}
		p, _ := descriptor.Parse(pub[i].Desc)
		for _, idx := range []uint32{0, 7} {
			s1, err1 := d.ScriptAt(idx)
			s2, err2 := p.ScriptAt(idx)
			if err1 != nil || err2 != nil || string(s1) != string(s2) {
				t.Fatalf("index %d: %x %x (%v %v)", idx, s1, s2, err1, err2)
			}
		}
	}
	c.env["SATCHEL_PASSPHRASE"] = "wrong"
	if r := c.run("", "export", "descriptors", "--private", "--json"); r.code != exitPassphrase || strings.Contains(r.out, "prv") {
		t.Fatalf("wrong passphrase: exit %d %q", r.code, r.out)
	}
}

// The BIP86 vector's account xprv is what --private exports for the abandon seed on mainnet.
func TestExportDescriptorsPrivateMatchesBIP86(t *testing.T) {
	var v struct {
		Account struct{ Xprv, Xpub string }
	}
	raw, err := os.ReadFile("../../testdata/bip86-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	c := newCLI(t)
	c.mustRun(abandon, "restore", "--network", "mainnet")
	priv := decodeJSON[[]descImport](t, c.mustRun("", "export", "descriptors", "--private", "--network", "mainnet").out)
	want := "tr([73c5da0a/86h/0h/0h]" + v.Account.Xprv + "/0/*)"
	if !strings.HasPrefix(priv[0].Desc, want+"#") || priv[0].Timestamp != 0 {
		t.Fatalf("got %+v, want %s#... with timestamp 0 (restored)", priv[0], want)
	}
	pub := decodeJSON[[]descImport](t, c.mustRun("", "export", "descriptors", "--network", "mainnet").out)
	if !strings.HasPrefix(pub[0].Desc, "tr([73c5da0a/86h/0h/0h]"+v.Account.Xpub+"/0/*)#") {
		t.Fatalf("public %s", pub[0].Desc)
	}
}

type xpubOut struct {
	Xpub, Format, Type, Path, Origin, Fingerprint string
	Purpose                                       uint32
	Main                                          bool
}

func TestExportXpub(t *testing.T) {
	var v struct {
		Accounts []struct {
			Purpose uint32
			Xpub    string
		}
	}
	raw, _ := os.ReadFile("../../testdata/slip132-vectors.json")
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	c := newCLI(t)
	c.mustRun("", "create")
	r := c.mustRun("", "export", "xpub", "--json")
	c.golden("export-xpub.json", r.out)
	out := decodeJSON[xpubOut](t, r.out)
	info := decodeJSON[infoOut](t, c.mustRun("", "info", "--json").out)
	if out.Format != "tpub" || !strings.Contains(info.Descriptors.Receive, out.Origin+out.Xpub+"/0/*") {
		t.Fatalf("xpub %+v not in %s", out, info.Descriptors.Receive)
	}
	if text := c.mustRun("", "export", "xpub").out; text != out.Xpub+"\n" {
		t.Fatalf("text output %q", text)
	}
	r = c.run("", "export", "xpub", "--slip132", "--json")
	if code, msg := jsonError(t, r.err); r.code != exitUsage || code != "no_slip132" || !strings.Contains(msg, "BIP86") {
		t.Fatalf("taproot --slip132: exit %d %s %s", r.code, code, msg)
	}
	if out := decodeJSON[xpubOut](t, c.mustRun("", "export", "xpub", "--slip132", "--purpose", "84", "--json").out); out.Format != "vpub" || out.Main {
		t.Fatalf("BIP84 on regtest: %+v", out)
	}
	if out := decodeJSON[xpubOut](t, c.mustRun("", "export", "xpub", "--slip132", "--purpose", "49", "--json").out); out.Format != "upub" {
		t.Fatalf("BIP49 on regtest: %+v", out)
	}
	if r := c.run("", "export", "xpub", "--purpose", "45", "--json"); r.code != exitUsage {
		t.Fatalf("--purpose 45: exit %d", r.code)
	}
	// On mainnet the SLIP-132 vectors of the abandon seed come out.
	c.mustRun(abandon, "restore", "--network", "mainnet", "--type", "wpkh")
	for _, a := range v.Accounts {
		args := []string{"export", "xpub", "--network", "mainnet", "--json", "--purpose", map[uint32]string{44: "44", 49: "49", 84: "84"}[a.Purpose]}
		if a.Purpose != 44 {
			args = append(args, "--slip132")
		}
		if got := decodeJSON[xpubOut](t, c.mustRun("", args...).out); got.Xpub != a.Xpub {
			t.Errorf("BIP%d: %s, want %s", a.Purpose, got.Xpub, a.Xpub)
		}
	}
	if got := decodeJSON[xpubOut](t, c.mustRun("", "export", "xpub", "--network", "mainnet", "--slip132", "--json").out); got.Format != "zpub" || !got.Main {
		t.Fatalf("main wpkh account: %+v", got)
	}
}
