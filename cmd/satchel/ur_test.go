package main

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// bigPSBT is an unsigned PSBT of n P2WPKH inputs, each with its witness_utxo and the BIP32
// derivation of its key, as a watch-only send writes them for a hardware signer: several
// kilobytes, far more than one QR code holds.
func bigPSBT(t testing.TB, n int) []byte {
	t.Helper()
	tx := wire.NewMsgTx(2)
	keys := make([]*btcec.PublicKey, n)
	for i := range n {
		_, pub := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{byte(i + 1)}, 32))
		keys[i] = pub
		tx.AddTxIn(wire.NewTxIn(&wire.OutPoint{Hash: chainhash.HashH([]byte{byte(i)}), Index: uint32(i)}, nil, nil))
	}
	tx.AddTxOut(wire.NewTxOut(1_000_000, append([]byte{0, 20}, bytes.Repeat([]byte{7}, 20)...)))
	tx.AddTxOut(wire.NewTxOut(54_321, append([]byte{0, 20}, bytes.Repeat([]byte{8}, 20)...)))
	p, err := psbt.NewFromUnsignedTx(tx)
	if err != nil {
		t.Fatal(err)
	}
	for i, pub := range keys {
		h := chainhash.HashB(pub.SerializeCompressed())[:20]
		p.Inputs[i].WitnessUtxo = wire.NewTxOut(100_000+int64(i), append([]byte{0, 20}, h...))
		p.Inputs[i].Bip32Derivation = []*psbt.Bip32Derivation{{PubKey: pub.SerializeCompressed(),
			MasterKeyFingerprint: 0x73c5da0a, Bip32Path: []uint32{84 | 1<<31, 1 | 1<<31, 1 << 31, 0, uint32(i)}}}
	}
	b, err := txbuilder.EncodePSBT(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// urLines splits printed parts into lines, checking there are some.
func urLines(t *testing.T, out string) []string {
	t.Helper()
	lines := strings.Fields(out)
	if len(lines) == 0 {
		t.Fatal("no UR part printed")
	}
	return lines
}

// TestURShowImport20Inputs: a 20-input PSBT shown as UR parts (fragments then fountain parts)
// comes back whole from psbt import --ur given a random subset of the parts, out of order,
// in upper case, as a camera catches an animation.
func TestURShowImport20Inputs(t *testing.T) {
	c := newCLI(t)
	raw := bigPSBT(t, 20)
	file := filepath.Join(t.TempDir(), "big.psbt")
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	parts := urLines(t, c.mustRun("", "psbt", "show", "--qr", "--parts", "60", "--fragment-size", "100", file).out)
	if len(parts) != 60 || !strings.HasPrefix(parts[0], "ur:crypto-psbt/1-") {
		t.Fatalf("%d parts, first %s", len(parts), parts[0])
	}
	want := base64.StdEncoding.EncodeToString(raw)
	rng := rand.New(rand.NewPCG(18, 5))
	for trial := range 10 {
		subset := append([]string(nil), parts...)
		rng.Shuffle(len(subset), func(i, j int) { subset[i], subset[j] = subset[j], subset[i] })
		subset = subset[:45] // a quarter lost
		in := strings.ToUpper(strings.Join(subset, "\n\n")) + "\n"
		r := c.run(in, "psbt", "import", "--ur")
		if r.code != 0 {
			t.Fatalf("trial %d: exit %d: %s", trial, r.code, r.err)
		}
		if got := strings.TrimSpace(r.out); got != want {
			t.Fatalf("trial %d: imported %s\nwant %s", trial, got, want)
		}
	}
	// Printed without --parts: 1.5 times the fragments.
	def := urLines(t, c.mustRun("", "psbt", "show", "--qr", file).out)
	n := len(raw)/200 + 1
	if len(def) != (n*3+1)/2 {
		t.Fatalf("%d parts by default for %d fragments", len(def), n)
	}
}

// TestURShowJSONAndImportJSON pins the JSON of psbt show --qr and psbt import --ur.
func TestURShowJSONAndImportJSON(t *testing.T) {
	c := newCLI(t)
	file := filepath.Join(t.TempDir(), "two.psbt")
	if err := os.WriteFile(file, bigPSBT(t, 2), 0o600); err != nil {
		t.Fatal(err)
	}
	show := c.mustRun("", "psbt", "show", "--qr", "--json", "--fragment-size", "120", file).out
	c.golden("psbt_show_qr.json", show)
	parts := decodeJSON[urPartsJSON](t, show)
	imp := c.mustRun(strings.Join(parts.Parts, "\n"), "psbt", "import", "--ur", "--json").out
	c.golden("psbt_import_ur.json", imp)
	if got := decodeJSON[psbtImportJSON](t, imp); got.PSBTAgain == "" || got.PSBTAgain != got.PSBT {
		t.Fatalf("import: psbt %q, psbt_base64 %q: want the same base64", got.PSBTAgain, got.PSBT)
	}
	out := filepath.Join(t.TempDir(), "back.psbt")
	r := c.mustRun(strings.Join(parts.Parts, "\n"), "psbt", "import", "--ur", "-", "--out", out, "--json")
	if got := decodeJSON[psbtImportJSON](t, r.out); got.File != out || got.PSBT != "" || got.PSBTAgain != "" || got.PartsRead != parts.SeqLen {
		t.Fatalf("import --out: %+v", got)
	}
	// A single-part UR is read as "1 part", not "1 part(s)".
	small := filepath.Join(t.TempDir(), "one.psbt")
	if err := os.WriteFile(small, bigPSBT(t, 1), 0o600); err != nil {
		t.Fatal(err)
	}
	one := decodeJSON[urPartsJSON](t, c.mustRun("", "psbt", "show", "--qr", "--json", "--fragment-size", "2000", small).out)
	if r := c.mustRun(strings.Join(one.Parts, "\n"), "psbt", "import", "--ur"); len(one.Parts) != 1 || r.err != "read 1 part\n" {
		t.Errorf("%d parts; stderr %q, want %q", len(one.Parts), r.err, "read 1 part\n")
	}
	if b, err := os.ReadFile(out); err != nil || !bytes.Equal(b, bigPSBT(t, 2)) {
		t.Fatalf("file holds %x, %v", b, err)
	}
}

// TestURImportRefuses: each kind of bad input is one line on stderr naming it, exit 2, and
// nothing written.
func TestURImportRefuses(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	fileA, fileB := filepath.Join(dir, "a.psbt"), filepath.Join(dir, "b.psbt")
	os.WriteFile(fileA, bigPSBT(t, 3), 0o600)
	os.WriteFile(fileB, bigPSBT(t, 4), 0o600)
	a := urLines(t, c.mustRun("", "psbt", "show", "--qr", "--parts", "8", "--fragment-size", "60", fileA).out)
	b := urLines(t, c.mustRun("", "psbt", "show", "--qr", "--parts", "8", "--fragment-size", "60", fileB).out)
	damaged := a[1][:len(a[1])-3] + "aey"
	cases := []struct {
		name, in, code, says string
	}{
		{"wrong type", "ur:bytes/hdeymejtswhhylkepmykhhtsytsnoyoyaxaedsuttydmmhhpktpmsrjtgwdpfnsboxgwlbaawzuefywkdplrsrjynbvygabwjldapfcsdwkbrkch\n", "wrong_ur_type", "line 1: wrong UR type"},
		{"bad checksum", a[0] + "\n" + damaged + "\n", "ur_checksum", "line 2: UR checksum does not match"},
		{"two messages", a[0] + "\n\n" + b[1] + "\n", "ur_mismatch", "line 3: UR part of another message"},
		{"not a UR", "cHNidP8BAJoCAAAAAljoeiG1ba8M\n", "bad_ur", "line 1: not a valid UR part"},
		{"incomplete", a[0] + "\n", "ur_incomplete", "1 of"},
		{"empty", "\n\n", "ur_incomplete", "no UR part"},
		{"no --ur", "", "no_format", "--ur (UR parts) or --bbqr"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"psbt", "import", "--ur", "--out", filepath.Join(dir, "out.psbt")}
			if tc.name == "no --ur" {
				args = []string{"psbt", "import"}
			}
			r := c.run(tc.in, args...)
			if r.code != exitUsage || strings.Count(strings.TrimSpace(r.err), "\n") != 0 || !strings.Contains(r.err, tc.says) {
				t.Fatalf("exit %d, stderr %q", r.code, r.err)
			}
			r = c.run(tc.in, append(args, "--json")...)
			if code, _ := jsonError(t, r.err); code != tc.code {
				t.Fatalf("code %s, want %s", code, tc.code)
			}
			if _, err := os.Stat(filepath.Join(dir, "out.psbt")); err == nil {
				t.Fatal("a refused import wrote its --out file")
			}
		})
	}
}

// TestURShowAnimates: on a terminal psbt show --qr draws frames in place on the alternate
// screen, part after part, until Enter, and leaves the terminal as it found it.
func TestURShowAnimates(t *testing.T) {
	c := newCLI(t)
	file := filepath.Join(t.TempDir(), "big.psbt")
	os.WriteFile(file, bigPSBT(t, 20), 0o600)
	fw := &frameWriter{enough: make(chan struct{})}
	r := c.runApp(func(a *App) {
		a.OutTerm, a.OutWidth, a.OutHeight = true, 120, 60
		a.Out, a.In = fw, enterAfter{fw.enough}
	}, "", "psbt", "show", "--qr", "--fps", "30", file)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	r.out = fw.buf.String()
	if !strings.HasPrefix(r.out, "\x1b[?1049h") || !strings.HasSuffix(r.out, "\x1b[?1049l") {
		t.Fatalf("not on the alternate screen: %q...%q", r.out[:20], r.out[len(r.out)-20:])
	}
	if !strings.Contains(r.out, "part 1 of ") || !strings.Contains(r.out, "part 2 of ") || !strings.Contains(r.out, "█") {
		t.Fatalf("no animated parts shown: %q", r.out[:200])
	}
}

// frameWriter is a terminal that counts the frames drawn on it (each starts at the home
// position) and says when three are there.
type frameWriter struct {
	buf    bytes.Buffer
	frames int
	enough chan struct{}
}

func (w *frameWriter) Write(p []byte) (int, error) {
	if bytes.HasPrefix(p, []byte("\x1b[H")) {
		if w.frames++; w.frames == 3 {
			close(w.enough)
		}
	}
	return w.buf.Write(p)
}

// enterAfter is a keyboard where Enter is pressed once the frames are there.
type enterAfter struct{ ready chan struct{} }

func (e enterAfter) Read(p []byte) (int, error) {
	<-e.ready
	p[0] = '\n'
	return 1, nil
}

// TestURFragmentFitsTerminal: the fragment size chosen for a terminal makes QR codes that fit
// it, larger terminals getting larger fragments, up to the cap.
func TestURFragmentFitsTerminal(t *testing.T) {
	prev := 0
	for _, size := range [][2]int{{80, 24}, {100, 40}, {160, 50}, {300, 120}} {
		a := &App{OutWidth: size[0], OutHeight: size[1]}
		f, ok := a.fitURFragment()
		if !ok || f < prev || f > maxTermURFragment {
			t.Fatalf("%dx%d: fragment %d (fits %v) after %d", size[0], size[1], f, ok, prev)
		}
		cols, rows := qrCells(renderURQR("UR:CRYPTO-PSBT/99999-9999/" + strings.Repeat("A", 2*(f+26))))
		if cols > size[0] || rows > size[1]-2 {
			t.Fatalf("%dx%d: fragment %d draws %dx%d", size[0], size[1], f, cols, rows)
		}
		prev = f
	}
	if _, ok := (&App{OutWidth: 20, OutHeight: 10}).fitURFragment(); ok {
		t.Fatal("a 20x10 terminal fits a QR code")
	}
}

// BenchmarkURFrame draws one animation frame: a 250-byte fragment's part, the largest a
// terminal gets, as a QR code (the animation needs it well under its 250 ms a frame).
func BenchmarkURFrame(b *testing.B) {
	part := "UR:CRYPTO-PSBT/12-14/" + strings.Repeat("LP", 250+26)
	for b.Loop() {
		_ = renderURQR(part)
	}
}

// TestBBQrShowImport: psbt show --qr --bbqr prints BBQr parts (JSON pinned), psbt import
// --bbqr reads them back in any order, and bad input is one line, exit 2, nothing written.
func TestBBQrShowImport(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "big.psbt")
	raw := bigPSBT(t, 20)
	os.WriteFile(file, raw, 0o600)
	parts := urLines(t, c.mustRun("", "psbt", "show", "--qr", "--bbqr", file).out)
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "B$2P0300") || len(parts[0]) > bbqrPrintChars {
		t.Fatalf("%d parts, first %.12s (%d chars)", len(parts), parts[0], len(parts[0]))
	}
	in := parts[2] + "\n\n" + strings.ToLower(parts[0]) + "\n" + parts[0] + "\n" + parts[1] + "\n"
	if got := strings.TrimSpace(c.mustRun(in, "psbt", "import", "--bbqr").out); got != base64.StdEncoding.EncodeToString(raw) {
		t.Fatalf("imported %s", got)
	}
	small := filepath.Join(dir, "small.psbt")
	os.WriteFile(small, bigPSBT(t, 2), 0o600)
	c.golden("psbt_show_bbqr.json", c.mustRun("", "psbt", "show", "--qr", "--bbqr", "--json", small).out)

	txn := "B$2T0100" + strings.Repeat("A", 16)
	other := urLines(t, c.mustRun("", "psbt", "show", "--qr", "--bbqr", small).out)[0]
	cases := []struct {
		name, in, code, says string
		args                 []string
	}{
		{"missing part", parts[0] + "\n" + parts[2] + "\n", "bbqr_incomplete", "2 of 3 parts", nil},
		{"two files", parts[0] + "\n" + other + "\n", "bbqr_mismatch", "line 2: BBQr part of another file", nil},
		{"a transaction", txn + "\n", "wrong_bbqr_type", "a signed transaction, not a PSBT", nil},
		{"not BBQr", "ur:crypto-psbt/aeae\n", "bad_bbqr", "line 1: not a valid BBQr part", nil},
		{"both formats", "", "no_format", "--ur (UR parts) or --bbqr", []string{"psbt", "import", "--ur", "--bbqr"}},
		{"parts with bbqr", "", "bad_flags", "--parts and --fragment-size are for UR", []string{"psbt", "show", "--qr", "--bbqr", "--parts", "3", file}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if args == nil {
				args = []string{"psbt", "import", "--bbqr", "--out", filepath.Join(dir, "out.psbt")}
			}
			r := c.run(tc.in, args...)
			if r.code != exitUsage || strings.Count(strings.TrimSpace(r.err), "\n") != 0 || !strings.Contains(r.err, tc.says) {
				t.Fatalf("exit %d, stderr %q", r.code, r.err)
			}
			r = c.run(tc.in, append(args, "--json")...)
			if code, _ := jsonError(t, r.err); code != tc.code {
				t.Fatalf("code %s, want %s", code, tc.code)
			}
			if _, err := os.Stat(filepath.Join(dir, "out.psbt")); err == nil {
				t.Fatal("a refused import wrote its --out file")
			}
		})
	}
}

// TestBBQrShowOneFrame: on a large terminal a PSBT that fits one QR code is one still frame.
func TestBBQrShowOneFrame(t *testing.T) {
	c := newCLI(t)
	file := filepath.Join(t.TempDir(), "small.psbt")
	os.WriteFile(file, bigPSBT(t, 3), 0o600)
	fw := &frameWriter{enough: make(chan struct{})}
	r := c.runApp(func(a *App) {
		a.OutTerm, a.OutWidth, a.OutHeight = true, 200, 100
		a.Out, a.In = fw, enterAfter{fw.enough}
	}, "", "psbt", "show", "--qr", "--bbqr", "--fps", "30", file)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if out := fw.buf.String(); !strings.Contains(out, "the whole PSBT in one QR code (BBQr)") || strings.Contains(out, "BBQr part") {
		t.Fatalf("not one frame: %q", out[len(out)-200:])
	}
}
