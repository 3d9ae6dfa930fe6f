package main

import (
	"strings"
	"testing"
)

// multisigKeyOut is what export xpub --multisig --json prints.
type multisigKeyOut struct {
	Fingerprint   string `json:"fingerprint"`
	Path          string `json:"path"`
	Xpub          string `json:"xpub"`
	DescriptorKey string `json:"descriptor_key"`
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
		DescriptorKey: "[73c5da0a/48h/1h/0h/2h]" + abandonBIP48Test}
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
