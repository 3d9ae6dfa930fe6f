package wallet

import (
	"errors"
	"strings"
	"testing"
)

// A --cosigner that is not a key is shown back cut short, unless it may be a secret: seed
// words, a hex private key or an extended private key cut short must not reach an error (and
// from there a terminal log or a script's JSON).
func TestParseCosignerNeverEchoesASecret(t *testing.T) {
	for _, tc := range []struct {
		text, leak string
	}{
		{"abandon abandon abandon abandon abandon about", "abandon"},
		{"0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d", "0c28fca3"},
		{"[73c5da0a/48h/1h/0h/2h]0C28FCA386C7A227600B2FE50B7CAE11EC86D3BF1FBE471BE89827E19D72AA1D", "0C28FCA3"},
		{"xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkV", "xprv9s21"},
		{"tprv8ZgxMBicQKsPd9TeAdPADNnSyH9SSbUbufPzMWr", "tprv8Zgx"},
	} {
		_, err := parseCosigner(tc.text, 1)
		if err == nil || !errors.Is(err, ErrBadInput) {
			t.Fatalf("%.12s...: %v, want ErrBadInput", tc.text, err)
		}
		if msg := err.Error(); strings.Contains(msg, tc.leak) || !strings.Contains(msg, "--cosigner #1 is not an extended public key (not shown") {
			t.Errorf("%.12s...: %q", tc.text, msg)
		}
	}
	// Text that cannot be a secret is still shown, to be checked.
	if _, err := parseCosigner("nope", 2); err == nil || !strings.Contains(err.Error(), `--cosigner #2: "nope" is not an extended public key`) {
		t.Errorf("nope: %v", err)
	}
}
