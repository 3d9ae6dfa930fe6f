package chain_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// The registry is process-wide: this test registers a scheme of its own, "fake", and the
// cases use only it and schemes no driver takes.
func TestOpenFindsTheDriverByScheme(t *testing.T) {
	var gotURL string
	var gotOpts chain.Options
	chain.Register(chain.Driver{Kind: "fake", Schemes: []string{"fake"}, Usage: "fake://NAME",
		Open: func(_ context.Context, raw string, o chain.Options) (chain.Backend, error) {
			gotURL, gotOpts = raw, o
			return chaintest.New(), nil
		},
		Check: func(raw string) error {
			if strings.Contains(raw, "bad") {
				return errors.New("bad fake")
			}
			return nil
		}})
	for _, tc := range []struct {
		name, url string
		ok        bool
		want      string // in the error
	}{
		{"registered scheme", "fake://x", true, ""},
		{"scheme in capitals", "FAKE://x", true, ""},
		{"unknown scheme", "ftp://x", false, `backend scheme "ftp" is not supported: use`},
		{"no scheme", "/just/a/path", false, "not a URL"},
		{"not a URL, password kept out", "fake://u:hunter2%@x", false, "not a URL"},
		{"empty", "", false, "not a URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			be, err := chain.Open(context.Background(), tc.url, chain.Options{Timeout: 7})
			if (err == nil) != tc.ok {
				t.Fatalf("Open(%q): %v, want ok=%v", tc.url, err, tc.ok)
			}
			if err != nil {
				if !errors.Is(err, chain.ErrBadURL) || !strings.Contains(err.Error(), tc.want) ||
					strings.Contains(err.Error(), "hunter2") {
					t.Fatalf("Open(%q): %v, want ErrBadURL saying %q", tc.url, err, tc.want)
				}
				if !strings.Contains(err.Error(), "fake://NAME") {
					t.Fatalf("Open(%q): %v does not list the registered URL forms", tc.url, err)
				}
				return
			}
			be.Close()
			if gotURL != tc.url || gotOpts.Timeout != 7 {
				t.Fatalf("the driver got %q %+v", gotURL, gotOpts)
			}
		})
	}
	if err := chain.CheckURL("fake://bad"); err == nil || err.Error() != "bad fake" {
		t.Fatalf("CheckURL did not ask the driver: %v", err)
	}
	if err := chain.CheckURL("fake://good"); err != nil {
		t.Fatalf("CheckURL(good): %v", err)
	}
	found := false
	for _, d := range chain.Drivers() {
		found = found || d.Kind == "fake"
	}
	if !found {
		t.Fatal("Drivers does not list the registered driver")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("registering a scheme twice did not panic")
		}
	}()
	chain.Register(chain.Driver{Kind: "again", Schemes: []string{"fake"}})
}
