package blindbit

import (
	"context"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
)

var pointHex = func() string {
	_, pub := btcec.PrivKeyFromBytes([]byte("blindbit client test key 0000001"))
	return hex.EncodeToString(pub.SerializeCompressed())
}()

func TestParseTweaks(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		n        int
		bad      bool
	}{
		{"empty list", `[]`, 0, false},
		{"null", `null`, 0, false},
		{"one point", `["` + pointHex + `"]`, 1, false},
		{"two points", `["` + pointHex + `","` + pointHex + `"]`, 2, false},
		{"x-only, not compressed", `["` + pointHex[2:] + `"]`, 0, true},
		{"not on the curve", `["02` + strings.Repeat("ff", 32) + `"]`, 0, true},
		{"bad prefix", `["05` + pointHex[2:] + `"]`, 0, true},
		{"not hex", `["zz"]`, 0, true},
		{"object", `{"tweaks":[]}`, 0, true},
		{"truncated", `["` + pointHex, 0, true},
	} {
		got, err := ParseTweaks([]byte(tc.in))
		if (err != nil) != tc.bad || len(got) != tc.n {
			t.Errorf("%s: %d tweaks, error %v", tc.name, len(got), err)
		}
	}
}

func TestParseHeight(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int32
		bad  bool
	}{
		{`{"block_height": 840000}`, 840000, false},
		{`{"block_height": 0}`, 0, false},
		{`{"block_height": -1}`, 0, true},
		{`{"block_height": 3000000000}`, 0, true},
		{`{"height": 5}`, 0, true},
		{`5`, 0, true},
	} {
		got, err := ParseHeight([]byte(tc.in))
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("%s: %d, %v", tc.in, got, err)
		}
	}
}

// The client asks the documented paths and reads their answers; an HTTP error is the server
// being unreachable, not an empty block.
func TestClientPaths(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/block-height":
			w.Write([]byte(`{"block_height": 7}`))
		case "/api/tweaks/7":
			w.Write([]byte(`["` + pointHex + `"]`))
		default:
			http.Error(w, "no", http.StatusNotFound)
		}
	}))
	defer srv.Close()
	c, err := New(srv.URL+"/api/", Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if h, err := c.TweakHeight(ctx); err != nil || h != 7 {
		t.Fatalf("height %d, %v", h, err)
	}
	if tw, err := c.Tweaks(ctx, 7); err != nil || len(tw) != 1 {
		t.Fatalf("tweaks %d, %v", len(tw), err)
	}
	if _, err := c.Tweaks(ctx, 8); err == nil {
		t.Fatal("a 404 gave no error")
	}
	for _, bad := range []string{"ftp://x", "http://", "btcd://u:p@h:1", "http://h/?q=1"} {
		if _, err := New(bad, Options{}); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func FuzzParseTweaks(f *testing.F) {
	for _, s := range []string{`[]`, `["` + pointHex + `"]`, `null`, `[1]`, `["02"]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tw, err := ParseTweaks(data)
		if err != nil {
			return
		}
		for _, p := range tw {
			if _, err := btcec.ParsePubKey(p[:]); err != nil {
				t.Fatalf("accepted a tweak that is not a point: %x", p)
			}
		}
	})
}

func FuzzParseHeight(f *testing.F) {
	for _, s := range []string{`{"block_height": 1}`, `{}`, `{"block_height": -5}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if h, err := ParseHeight(data); err == nil && h < 0 {
			t.Fatalf("negative height %d accepted", h)
		}
	})
}
