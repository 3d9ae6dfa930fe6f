package bip329

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The export fragment of BIP329's "Test Vectors" section, copied verbatim from
// bitcoin/bips bip-0329.mediawiki into ../../testdata/bip329-vectors.jsonl.
func readVectors(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/bip329-vectors.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseBIP329Vectors(t *testing.T) {
	recs, err := Parse(bytes.NewReader(readVectors(t)))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ typ, label, origin string }{
		{"tx", "Transaction", "wpkh([d34db33f/84'/0'/0'])"},
		{"addr", "Address", ""},
		{"pubkey", "Public Key", ""},
		{"input", "Input", ""},
		{"output", "Output", ""},
		{"xpub", "Extended Public Key", ""},
		{"spscan", "Silent Payments Scan Key Expression", ""},
		{"tx", "Account #1 Transaction", "wpkh([d34db33f/84'/0'/1'])"},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for i, w := range want {
		r := recs[i]
		if r.Type != w.typ || r.Text() != w.label || r.Origin != w.origin || r.Line != i+1 {
			t.Errorf("record %d: %+v", i+1, r)
		}
		if (r.Spendable != nil) != (r.Type == TypeOutput) {
			t.Errorf("record %d: spendable %v", i+1, r.Spendable)
		}
	}
	if *recs[4].Spendable {
		t.Error("the output vector is spendable: false")
	}
}

// Each refused line is named by its number; the edge each case guards is in its name.
func TestParseRefusesBadLines(t *testing.T) {
	const txid = "f91d0a8a78462bc59398f2c5d7a84fcff491c26ba54c4833478b202796c8aafd"
	good := `{"type":"tx","ref":"` + txid + `","label":"ok"}` + "\n"
	for _, tc := range []struct{ name, line, msg string }{
		{"not JSON", `{"type":"tx",`, "not a JSON object"},
		{"an array", `["tx"]`, "not a JSON object"},
		{"null", `null`, "not a JSON object"},
		{"trailing garbage", `{"type":"tx","ref":"` + txid + `"} x`, "not a JSON object"},
		{"no type", `{"ref":"` + txid + `"}`, `no "type"`},
		{"no ref", `{"type":"tx"}`, `no "ref"`},
		{"empty ref", `{"type":"tx","ref":""}`, `"ref" is empty`},
		{"numeric type", `{"type":1,"ref":"x"}`, "must be a string"},
		{"numeric label", `{"type":"tx","ref":"` + txid + `","label":5}`, "must be a string"},
		{"spendable as a string", `{"type":"output","ref":"` + txid + `:1","spendable":"false"}`, "true or false"},
		{"short txid", `{"type":"tx","ref":"abcd"}`, "64-digit"},
		{"output without index", `{"type":"output","ref":"` + txid + `"}`, "TXID:INDEX"},
		{"output index with sign", `{"type":"output","ref":"` + txid + `:+1"}`, "whole number"},
		{"output index too big", `{"type":"output","ref":"` + txid + `:4294967296"}`, "out of range"},
		{"input index leading zero", `{"type":"input","ref":"` + txid + `:01"}`, "whole number"},
		{"pubkey of 20 bytes", `{"type":"pubkey","ref":"0011223344556677889900112233445566778899"}`, "hex key"},
		{"address with a space", `{"type":"addr","ref":"bc1q a"}`, "single word"},
		{"multi-line label", `{"type":"tx","ref":"` + txid + `","label":"a\nb"}`, "several lines"},
		{"invalid UTF-8", "{\"type\":\"tx\",\"ref\":\"" + txid + "\",\"label\":\"\xff\"}", "UTF-8"},
		{"huge line", `{"type":"tx","ref":"` + txid + `","label":"` + strings.Repeat("a", MaxLineBytes) + `"}`, "longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := good + "\n" + tc.line + "\n" + good
			_, err := Parse(strings.NewReader(in))
			var le *LineError
			if !errors.As(err, &le) || le.Line != 3 {
				t.Fatalf("error %v, want one on line 3", err)
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

func TestParseTolerates(t *testing.T) {
	const txid = "F91D0A8A78462BC59398F2C5D7A84FCFF491C26BA54C4833478B202796C8AAFD"
	for _, tc := range []struct{ name, in string }{
		{"byte order mark and CRLF", "\xef\xbb\xbf{\"type\":\"tx\",\"ref\":\"" + txid + "\"}\r\n"},
		{"no final newline and blank lines", "\n  \n{\"type\":\"tx\",\"ref\":\"" + txid + "\",\"label\":null}"},
		{"unknown type and fields", "{\"type\":\"tx\",\"ref\":\"" + txid + "\",\"height\":\"soon\"}\n{\"type\":\"future\",\"ref\":\"any thing\"}\n"},
		{"spendable on a tx is ignored", "{\"type\":\"tx\",\"ref\":\"" + txid + "\",\"spendable\":false}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := Parse(strings.NewReader(tc.in))
			if err != nil || len(recs) == 0 {
				t.Fatalf("%v %v", recs, err)
			}
			if recs[0].Label != nil || recs[0].Spendable != nil {
				t.Errorf("label or spendable set: %+v", recs[0])
			}
		})
	}
	if recs, err := Parse(strings.NewReader("")); err != nil || len(recs) != 0 {
		t.Errorf("empty file: %v %v", recs, err)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	recs, err := Parse(bytes.NewReader(readVectors(t)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, recs); err != nil {
		t.Fatal(err)
	}
	back, err := Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, recs) {
		t.Fatalf("round trip differs:\n%+v\n%+v", back, recs)
	}
}

func TestEncodeWritesExtrasAndRefusesInvalid(t *testing.T) {
	const txid = "f91d0a8a78462bc59398f2c5d7a84fcff491c26ba54c4833478b202796c8aafd"
	label, fee, value := "coffee & <cake>", int64(141), int64(-2100)
	at := time.Date(2025, 1, 23, 11, 40, 35, 0, time.UTC)
	var buf bytes.Buffer
	err := Encode(&buf, []Record{{Type: TypeTx, Ref: txid, Label: &label, Extra: Extra{Height: 800000, Time: &at, Fee: &fee, Value: &value}}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"tx","ref":"` + txid + `","label":"coffee & <cake>","height":800000,"time":"2025-01-23T11:40:35Z","fee":141,"value":-2100}` + "\n"
	if buf.String() != want {
		t.Fatalf("got  %s\nwant %s", buf.String(), want)
	}
	bad := "two\nlines"
	if err := Encode(&buf, []Record{{Type: TypeTx, Ref: txid, Label: &bad}}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("multi-line label written: %v", err)
	}
}

// A big labels file is read without a second JSON decode per plain string value (what made
// a 500,000-line import take seconds): past decoding the line's object, a line costs only its
// strings and label pointer; and a line with escapes still reads the same.
func TestParsePlainStringsDecodedOnce(t *testing.T) {
	ref := strings.Repeat("ab", 32)
	plain := `{"type":"tx","ref":"` + ref + `","label":"rent","origin":"wpkh([d34db33f/84'/0'/0'])"}` + "\n"
	escaped := `{"type":"t\u0078","ref":"` + ref + `","label":"r\u0065nt","origin":"wpkh([d34db33f\/84'/0'/0'])"}` + "\n"
	for _, in := range []string{plain, escaped} {
		recs, err := Parse(strings.NewReader(in))
		if err != nil || len(recs) != 1 {
			t.Fatalf("%s: %v %v", in, recs, err)
		}
		r := recs[0]
		if r.Type != "tx" || r.Ref != ref || r.Text() != "rent" || r.Origin != "wpkh([d34db33f/84'/0'/0'])" {
			t.Fatalf("%s: read %+v", in, r)
		}
	}
	// The same line with the origin under an unknown name: the object decodes alike, and
	// reading the origin string costs two allocations (its bytes and, as measured, one more); a
	// second json.Unmarshal of it cost a third.
	unknown := strings.Replace(plain, `"origin"`, `"zorigi"`, 1)
	perLine := func(line string) float64 {
		three := testing.AllocsPerRun(20, func() { _, _ = Parse(strings.NewReader(strings.Repeat(line, 3))) })
		two := testing.AllocsPerRun(20, func() { _, _ = Parse(strings.NewReader(strings.Repeat(line, 2))) })
		return three - two
	}
	if withOrigin, without := perLine(plain), perLine(unknown); withOrigin-without > 2 {
		t.Fatalf("reading one more string field costs %v allocations (%v against %v): it is decoded twice", withOrigin-without, withOrigin, without)
	}
}
