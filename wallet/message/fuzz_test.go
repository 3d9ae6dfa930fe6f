package message

import (
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
)

// FuzzVerify: Verify never panics, whatever the message, address and signature.
func FuzzVerify(f *testing.F) {
	b := loadBasic(f)
	g := loadGenerated(f)
	for _, c := range append(b.Simple, g.Simple...) {
		for _, s := range c.Signatures {
			f.Add([]byte(c.Message), c.Address, s)
		}
	}
	for _, c := range append(b.Error, g.Error...) {
		f.Add([]byte(c.Message), c.Address, c.Signature)
	}
	for _, c := range g.Full {
		f.Add([]byte(c.Message), c.Address, c.Signatures[0])
	}
	for _, c := range g.ProofOfFunds {
		f.Add([]byte(c.Message), c.Address, c.Signatures[0])
	}
	f.Add([]byte("This is just a test message"), "13vU5PUSuArDXJdCWZvUFEbgJ2wcmtSJWn",
		"INbVnW4e6PeRmsv2Qgu8NuopvrVjkcxob+sX8OcZG0SALhWybUjzMLPdAsXI46YZGb0KQTRii+wWIQzRpG/U+S0=")
	f.Add([]byte{}, "", "")
	f.Fuzz(func(t *testing.T, msg []byte, addr, sig string) {
		_ = Verify(msg, addr, sig, &chaincfg.MainNetParams)
	})
}
