package txbuilder

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

type psbtVector struct {
	Description string `json:"description"`
	Base64      string `json:"base64"`
	Hex         string `json:"hex"`
}

type psbtVectorFile struct {
	BIP174 struct {
		Invalid           []psbtVector `json:"invalid"`
		Valid             []psbtVector `json:"valid"`
		FailsSignerChecks []psbtVector `json:"fails_signer_checks"`
	} `json:"bip174"`
	BIP371 struct {
		Invalid []psbtVector `json:"invalid"`
		Valid   []psbtVector `json:"valid"`
	} `json:"bip371"`
}

func loadPSBTVectors(t testing.TB) psbtVectorFile {
	t.Helper()
	raw, err := os.ReadFile("../testdata/psbt-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v psbtVectorFile
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.BIP174.Invalid) != 20 || len(v.BIP174.Valid) != 10 || len(v.BIP174.FailsSignerChecks) != 4 ||
		len(v.BIP371.Invalid) != 11 || len(v.BIP371.Valid) != 6 {
		t.Fatalf("vector file changed: %d/%d/%d/%d/%d", len(v.BIP174.Invalid), len(v.BIP174.Valid),
			len(v.BIP174.FailsSignerChecks), len(v.BIP371.Invalid), len(v.BIP371.Valid))
	}
	return v
}

// Every valid BIP174/BIP371 vector decodes from base64, hex and binary alike, and serialises
// back to its own bytes.
func TestPSBTValidVectorsDecodeAndRoundTrip(t *testing.T) {
	v := loadPSBTVectors(t)
	valid := append(append(append([]psbtVector(nil), v.BIP174.Valid...), v.BIP371.Valid...), v.BIP174.FailsSignerChecks...)
	for _, tc := range valid {
		t.Run(tc.Description, func(t *testing.T) {
			bin, _ := hex.DecodeString(tc.Hex)
			for name, in := range map[string][]byte{"base64": []byte(tc.Base64 + "\n"), "hex": []byte(tc.Hex), "binary": bin} {
				p, err := DecodePSBT(in)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				out, err := EncodePSBT(p)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out, bin) {
					t.Fatalf("%s: round trip differs:\n got %x\nwant %x", name, out, bin)
				}
			}
		})
	}
}

// Every invalid vector is refused as ErrInvalidPSBT, with a reason, and never panics.
func TestPSBTInvalidVectorsRefused(t *testing.T) {
	v := loadPSBTVectors(t)
	for _, tc := range append(append([]psbtVector(nil), v.BIP174.Invalid...), v.BIP371.Invalid...) {
		t.Run(tc.Description, func(t *testing.T) {
			p, err := DecodePSBT([]byte(tc.Base64))
			if err == nil {
				t.Fatalf("accepted: %d inputs", len(p.Inputs))
			}
			if !errors.Is(err, ErrInvalidPSBT) {
				t.Fatalf("error %v is not ErrInvalidPSBT", err)
			}
			if len(strings.TrimPrefix(err.Error(), ErrInvalidPSBT.Error()+": ")) < 5 {
				t.Fatalf("no reason given: %q", err)
			}
		})
	}
}

// btcd's own refusals ("Invalid key data", "Invalid PSBT serialization format") reach people
// worded for them, naming the map and key type the parser stopped in.
func TestPSBTInvalidVectorsNameTheField(t *testing.T) {
	v := loadPSBTVectors(t)
	want := map[string]string{
		"PSBT with invalid pubkey length for input partial signature typed key":                               "input 1, key type 0x02",
		"PSBT with invalid pubkey in input BIP 32 derivation paths typed key":                                 "input 1, key type 0x06",
		"PSBT with invalid final script witness typed key":                                                    "input 2, key type 0x08",
		"PSBT with invalid output witnessScript typed key":                                                    "output 2, key type 0x01",
		"PSBT With PSBT_IN_TAP_KEY_SIG signature that is too short":                                           "input 1, key type 0x13",
		"PSBT With PSBT_OUT_TAP_INTERNAL_KEY key that is too long (incorrectly serialized as compressed DER)": "output 2, key type 0x05",
	}
	for _, tc := range append(append([]psbtVector(nil), v.BIP174.Invalid...), v.BIP371.Invalid...) {
		_, err := DecodePSBT([]byte(tc.Base64))
		if err == nil {
			continue // TestPSBTInvalidVectorsRefused reports it
		}
		msg := err.Error()
		for _, leak := range []string{"Invalid key data", "Invalid PSBT serialization format", "Invalid Psbt"} {
			if strings.Contains(msg, leak) {
				t.Errorf("%s: btcd's message leaks: %q", tc.Description, msg)
			}
		}
		if sub, ok := want[tc.Description]; ok {
			delete(want, tc.Description)
			if !strings.Contains(msg, sub) || !strings.Contains(msg, "ask its maker for it again") {
				t.Errorf("%s: %q, want it to name %q and say what to do", tc.Description, msg, sub)
			}
		}
	}
	if len(want) > 0 {
		t.Fatalf("vectors not found: %v", want)
	}
}

// The fixes over btcd's parser, each named by the invalid vector it guards.
func TestPSBTStrictDecodeReasons(t *testing.T) {
	v := loadPSBTVectors(t)
	want := map[string]string{
		"PSBT with an invalid value data due to its size being not the stated size": "not the stated size",
		"PSBT with unsigned tx serialized with witness serialization format":        "witness data",
		"Network transaction, not PSBT format":                                      "magic",
		"PSBT with duplicate keys in an input":                                      "duplicate key",
		"PSBT missing outputs":                                                      "missing",
	}
	for _, tc := range v.BIP174.Invalid {
		sub, ok := want[tc.Description]
		if !ok {
			continue
		}
		delete(want, tc.Description)
		_, err := DecodePSBT([]byte(tc.Base64))
		if err == nil || !strings.Contains(err.Error(), sub) {
			t.Errorf("%s: error %v, want it to mention %q", tc.Description, err, sub)
		}
	}
	if len(want) > 0 {
		t.Fatalf("vectors not found: %v", want)
	}
}

// The four BIP174 "fails signer checks" PSBTs decode but a signer refuses them.
func TestPSBTSignerChecksRefuse(t *testing.T) {
	v := loadPSBTVectors(t)
	for _, tc := range v.BIP174.FailsSignerChecks {
		t.Run(tc.Description, func(t *testing.T) {
			p, err := DecodePSBT([]byte(tc.Base64))
			if err != nil {
				t.Fatal(err)
			}
			err = CheckPSBTSigner(p)
			if !errors.Is(err, ErrPSBTRefused) {
				t.Fatalf("signer checks passed: %v", err)
			}
		})
	}
	for _, tc := range append(append([]psbtVector(nil), v.BIP174.Valid...), v.BIP371.Valid...) {
		p, err := DecodePSBT([]byte(tc.Base64))
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckPSBTSigner(p); err != nil {
			t.Errorf("%s: valid vector fails signer checks: %v", tc.Description, err)
		}
	}
}

// Edges of the decoder's own rules, beyond the BIP vectors.
func TestPSBTDecodeEdges(t *testing.T) {
	v := loadPSBTVectors(t)
	base, _ := hex.DecodeString(v.BIP174.Valid[0].Hex)
	for _, tc := range []struct {
		name string
		in   []byte
		sub  string
	}{
		{"trailing byte", append(append([]byte(nil), base...), 0x00), "after the last output"},
		{"empty", nil, "empty"},
		{"whitespace only", []byte(" \n\t"), "empty"},
		{"bad base64", []byte("cHNidP8B*"), "base64"},
		{"binary, not a PSBT", []byte("\x89PNG\r\n\x1a\n\x00\x00"), "binary data that does not start with the PSBT magic bytes (psbt\\xff): not a PSBT; is it the right file?"},
		{"text with a UTF-8 letter", []byte("cHNidP8B\u00e9"), "neither a binary PSBT nor base64 (at character 9)"},
		{"base64 of a non-PSBT", []byte(base64.StdEncoding.EncodeToString([]byte("hello world"))), "magic"},
		{"truncated", base[:len(base)-3], "missing"},
		{"version 2", withGlobal(base, []byte{0xfb}, []byte{2, 0, 0, 0}), "version 2 is not supported"},
		{"v2 field in v0", withGlobal(base, []byte{0x04}, []byte{1}), "PSBT_GLOBAL_INPUT_COUNT"},
		{"key type above 0xfc", withGlobal(base, []byte{0xfd, 0x00, 0x01}, []byte{1}), "above 0xfc"},
		{"non-canonical length", withGlobalRaw(base, []byte{0xfd, 0x01, 0x00}), "canonical"},
		{"too large", make([]byte, MaxPSBTSize+1), "MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodePSBT(tc.in)
			if !errors.Is(err, ErrInvalidPSBT) || !strings.Contains(err.Error(), tc.sub) {
				t.Fatalf("error %v, want ErrInvalidPSBT mentioning %q", err, tc.sub)
			}
		})
	}
	// Version 0 stated explicitly is fine.
	if _, err := DecodePSBT(withGlobal(base, []byte{0xfb}, []byte{0, 0, 0, 0})); err != nil {
		t.Fatalf("explicit version 0: %v", err)
	}
}

// withGlobal inserts one key-value pair right after the global unsigned transaction.
func withGlobal(psbtBin, key, value []byte) []byte {
	kv := append([]byte{byte(len(key))}, key...)
	kv = append(kv, byte(len(value)))
	kv = append(kv, value...)
	return withGlobalRaw(psbtBin, kv)
}

func withGlobalRaw(psbtBin, raw []byte) []byte {
	// magic 5 | key len 1 | key 0x00 | value len (compact size, < 0xfd here) | tx
	txLen := int(psbtBin[7])
	at := 8 + txLen
	out := append([]byte(nil), psbtBin[:at]...)
	out = append(out, raw...)
	return append(out, psbtBin[at:]...)
}

// FuzzDecodePSBT: the decoder never panics, and whatever it accepts serialises to bytes it
// accepts again and serialises identically.
func FuzzDecodePSBT(f *testing.F) {
	v := loadPSBTVectors(f)
	for _, list := range [][]psbtVector{v.BIP174.Valid, v.BIP174.Invalid, v.BIP174.FailsSignerChecks, v.BIP371.Valid, v.BIP371.Invalid} {
		for _, tc := range list {
			b, _ := hex.DecodeString(tc.Hex)
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodePSBT(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidPSBT) {
				t.Fatalf("error without ErrInvalidPSBT: %v", err)
			}
			return
		}
		s1, err := EncodePSBT(p)
		if err != nil {
			return // btcd refuses to write some field combinations it reads; nothing to compare
		}
		p2, err := DecodePSBT(s1)
		if err != nil {
			t.Fatalf("re-decode of own serialisation failed: %v\n%x", err, s1)
		}
		s2, err := EncodePSBT(p2)
		if err != nil || !bytes.Equal(s1, s2) {
			t.Fatalf("round trip not stable (%v):\n%x\n%x", err, s1, s2)
		}
		// Signer checks, fee and finalising must not panic on anything decodable.
		_ = CheckPSBTSigner(p2)
		PSBTFee(p2)
		_, _ = FinalizePSBT(p2)
	})
}

// BIP174's role workflow: finalising the combined PSBT (a P2SH 2-of-2 and a P2SH-P2WSH 2-of-2
// input, each signature run through the script engine) gives the BIP's finalizer output, and
// extracting gives its network transaction.
func TestPSBTRoleWorkflowFinalizeAndExtract(t *testing.T) {
	raw, err := os.ReadFile("../testdata/psbt-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		BIP174 struct {
			RoleWorkflow struct {
				Steps []struct {
					Role   string `json:"role"`
					Base64 string `json:"base64"`
					TxHex  string `json:"tx_hex"`
				} `json:"steps"`
			} `json:"role_workflow"`
		} `json:"bip174"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	step := map[string]string{}
	for _, s := range v.BIP174.RoleWorkflow.Steps {
		step[s.Role] = s.Base64 + s.TxHex
	}
	p, err := DecodePSBT([]byte(step["combiner"]))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPSBTSigner(p); err != nil {
		t.Fatal(err)
	}
	pending, err := FinalizePSBT(p)
	if err != nil || len(pending) != 0 {
		t.Fatalf("finalise: pending %v, %v", pending, err)
	}
	got, err := EncodePSBTBase64(p)
	if err != nil {
		t.Fatal(err)
	}
	if got != step["finalizer"] {
		t.Fatalf("finalised PSBT differs from the BIP's:\n got %s\nwant %s", got, step["finalizer"])
	}
	tx, err := ExtractPSBT(p)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	tx.Serialize(&b)
	if hex.EncodeToString(b.Bytes()) != step["extractor"] {
		t.Fatalf("extracted transaction differs:\n got %x\nwant %s", b.Bytes(), step["extractor"])
	}
	// The unsigned PSBTs of the earlier steps still need signatures.
	for _, role := range []string{"creator", "updater", "updater_sighash"} {
		p, err := DecodePSBT([]byte(step[role]))
		if err != nil {
			t.Fatal(err)
		}
		if pending, err := FinalizePSBT(p); err != nil || len(pending) != 2 {
			t.Fatalf("%s: pending %v, %v", role, pending, err)
		}
	}
}
