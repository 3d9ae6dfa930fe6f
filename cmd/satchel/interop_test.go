package main

import (
	"testing"

	"github.com/satchel-wallet/satchel/wallet/slip39"
)

// Shares are extendable by default (SLIP-39 as Trezor makes them today); --no-extendable makes
// the older kind that Electrum 4.3.4 and embit 0.8 read.
func TestCreateShamirExtendableFlag(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want bool
	}{
		{"default", nil, true},
		{"--no-extendable", []string{"--no-extendable"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			out := decodeJSON[shamirOut](t, c.mustRun("", append([]string{"create", "--shamir", "2-of-3", "--json"}, tc.args...)...).out)
			if out.Extendable != tc.want {
				t.Errorf("--json says extendable %v, want %v", out.Extendable, tc.want)
			}
			for _, g := range out.Shares {
				for _, m := range g {
					sh, err := slip39.ParseShare(m)
					if err != nil {
						t.Fatal(err)
					}
					if sh.Extendable != tc.want {
						t.Fatalf("extendable %v, want %v", sh.Extendable, tc.want)
					}
				}
			}
		})
	}
	c := newCLI(t)
	if r := c.run("", "create", "--no-extendable"); r.code != exitUsage {
		t.Fatalf("--no-extendable without --shamir: exit %d %s", r.code, r.err)
	}
}
