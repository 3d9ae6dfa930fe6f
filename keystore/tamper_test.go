package keystore

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// openBytes writes data as a private file and opens it with the test passphrase.
func openBytes(t *testing.T, dir string, data []byte) error {
	t.Helper()
	p := filepath.Join(dir, "k.json")
	writePrivate(t, p, data)
	s, _, err := Open(p, []byte(testPass))
	if err == nil {
		s.Wipe()
	}
	return err
}

// classOf names the sentinel an error carries, for readable failures and tallies.
func classOf(err error) string {
	for _, c := range []error{ErrCorrupt, ErrUnsupportedVersion, ErrWrongPassphrase, ErrCostTooHigh} {
		if errors.Is(err, c) {
			return c.Error()
		}
	}
	return fmt.Sprintf("unclassified(%v)", err)
}

// TestEveryBitFlipIsRejected flips each bit of every byte of the frozen fixture: none may open,
// and since the checksum covers every byte, each must be reported as damage (or, for
// the version digit, as a version this satchel does not know), never as a wrong
// passphrase.
func TestEveryBitFlipIsRejected(t *testing.T) {
	data := readFile(t, filepath.Join("..", "testdata", "keystore-v1.json"))
	dir := privateDir(t)
	for i := range data {
		for bit := range 8 {
			mut := append([]byte(nil), data...)
			mut[i] ^= 1 << bit
			err := openBytes(t, dir, mut)
			if err == nil {
				t.Fatalf("flip of bit %d at offset %d opened", bit, i)
			}
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupportedVersion) {
				t.Fatalf("flip of bit %d at offset %d: %v, want corrupt", bit, i, err)
			}
			if !strings.Contains(err.Error(), filepath.Join(dir, "k.json")) {
				t.Fatalf("error %q does not name the file", err)
			}
		}
	}
}

// TestEveryBitFlipBehindChecksumIsRejected repeats the flips with the checksum repaired,
// as a deliberate tamperer would, so that the canonical-form check and the AEAD tags are
// what must catch them. Within the payload only ErrCorrupt is right (the passphrase was
// proven by the data key), and edits of header and KDF values must reach the AEAD and
// fail it (ErrWrongPassphrase), which proves the wrapped key binds them.
func TestEveryBitFlipBehindChecksumIsRejected(t *testing.T) {
	data := readFile(t, filepath.Join("..", "testdata", "keystore-v1.json"))
	dir := privateDir(t)
	end := bytes.LastIndex(data, []byte(checksumPrefix))
	payloadAt := bytes.Index(data, []byte(`"payload": "`)) + len(`"payload": "`)
	payloadEnd := payloadAt + bytes.IndexByte(data[payloadAt:], '"')
	tally := map[string]map[string]int{}
	region := func(i int) string {
		switch {
		case i >= payloadAt && i < payloadEnd:
			return "payload"
		case i < bytes.Index(data, []byte(`"kdf"`)):
			return "header"
		case i < bytes.Index(data, []byte(`"wrapped_key"`)):
			return "kdf"
		case i < bytes.Index(data, []byte(`"payload"`)):
			return "wrapped_key"
		}
		return "other"
	}
	for i := range end {
		for bit := range 8 {
			mut := append([]byte(nil), data...)
			mut[i] ^= 1 << bit
			err := openBytes(t, dir, resum(mut))
			if err == nil {
				t.Fatalf("flip of bit %d at offset %d (%s) opened", bit, i, region(i))
			}
			c := classOf(err)
			if strings.HasPrefix(c, "unclassified") || region(i) == "payload" && c != ErrCorrupt.Error() {
				t.Fatalf("flip of bit %d at offset %d (%s): %v", bit, i, region(i), err)
			}
			if tally[region(i)] == nil {
				tally[region(i)] = map[string]int{}
			}
			tally[region(i)][c]++
		}
	}
	for _, r := range []string{"header", "kdf", "wrapped_key"} {
		if tally[r][ErrWrongPassphrase.Error()] == 0 {
			t.Errorf("no edit of %s reached the AEAD: %v", r, tally[r])
		}
	}
	t.Logf("outcomes by region: %v", tally)
}

// TestHeaderFieldsAreBound changes each clear-text value to another valid one (checksum
// repaired): every change must break the wrapped key's tag.
func TestHeaderFieldsAreBound(t *testing.T) {
	data := readFile(t, newKeystore(t, bip39Meta, bip39Secret()))
	f := mustParse(t, data)
	created := f.created.Format(createdLayout)
	salt := b64(f.salt)
	otherSalt := "A" + salt[1:]
	if otherSalt == salt {
		otherSalt = "B" + salt[1:]
	}
	edits := []struct{ name, from, to string }{
		{"network", `"network":"mainnet"`, `"network":"regtest"`},
		{"fingerprint", `"fingerprint":"1ddb040f"`, `"fingerprint":"1ddb0400"`},
		{"created", created, "1999" + created[4:]},
		{"time", `"time":1,`, `"time":2,`},
		{"memory", `"memory_kib":64,`, `"memory_kib":128,`},
		{"threads", `"threads":1,"salt"`, `"threads":2,"salt"`},
		{"salt", salt, otherSalt},
	}
	dir := privateDir(t)
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			if !bytes.Contains(data, []byte(e.from)) {
				t.Fatalf("%q not in file", e.from)
			}
			mut := resum(bytes.Replace(data, []byte(e.from), []byte(e.to), 1))
			wantErr(t, openBytes(t, dir, mut), ErrWrongPassphrase, "or the keystore file")
		})
	}
}

// TestPayloadIsBoundToHeader rewraps the data key honestly for an edited header (as
// someone who knows the passphrase could) while keeping the old payload: the payload's
// own tag must still refuse it.
func TestPayloadIsBoundToHeader(t *testing.T) {
	p := newKeystore(t, bip39Meta, bip39Secret())
	f := mustParse(t, readFile(t, p))
	cfg := newConfig(nil)
	dk, err := unwrap(p, f, []byte(testPass), cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.network = "testnet"
	if f.wrappedKey, err = wrap(f, []byte(testPass), dk, cfg); err != nil {
		t.Fatal(err)
	}
	err = openBytes(t, privateDir(t), f.seal())
	wantErr(t, err, ErrCorrupt, "modified")
}

func TestTruncationAtEveryLengthIsRejected(t *testing.T) {
	data := readFile(t, newKeystore(t, bip39Meta, bip39Secret()))
	dir := privateDir(t)
	for n := range len(data) {
		err := openBytes(t, dir, data[:n])
		wantErr(t, err, ErrCorrupt, "k.json")
		if _, err := ReadInfo(filepath.Join(dir, "k.json")); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("ReadInfo of %d bytes: %v", n, err)
		}
	}
}

// TestHarmlessLookingEditsAreRejected makes edits that keep the JSON meaning (and
// repairs the checksum): only the canonical-form check stands between them and a file
// whose bytes no longer match what was authenticated.
func TestHarmlessLookingEditsAreRejected(t *testing.T) {
	data := readFile(t, newKeystore(t, bip39Meta, bip39Secret()))
	f := mustParse(t, data)
	salt := b64(f.salt)
	const canon = "canonical"
	edits := []struct {
		name string
		why  string // the check that must catch it
		edit func([]byte) []byte
	}{
		{"trailing newline", canon, func(b []byte) []byte { return append(b, '\n') }},
		{"no final newline", canon, func(b []byte) []byte { return b[:len(b)-1] }},
		{"CRLF", canon, func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) }},
		{"tab indent", canon, func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n  "), []byte("\n\t")) }},
		{"space after colon in header", canon, func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"network":"`), []byte(`"network": "`), 1)
		}},
		{"escaped letter", canon, func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"mainnet"`), []byte(`"m\u0061innet"`), 1)
		}},
		{"escaped slash in base64", canon, func(b []byte) []byte { return bytes.Replace(b, []byte("/"), []byte(`\/`), 1) }},
		{"key order", canon, func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"format":"satchel-keystore","version":1`), []byte(`"version":1,"format":"satchel-keystore"`), 1)
		}},
		{"key case", canon, func(b []byte) []byte { return bytes.Replace(b, []byte(`"network"`), []byte(`"Network"`), 1) }},
		{"duplicate key", canon, func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"network":"mainnet"`), []byte(`"network":"regtest","network":"mainnet"`), 1)
		}},
		{"leading zero", "not valid JSON", func(b []byte) []byte { return bytes.Replace(b, []byte(`"time":1,`), []byte(`"time":01,`), 1) }},
		{"exponent", `"kdf.time" should be a whole number, not 1e0`, func(b []byte) []byte { return bytes.Replace(b, []byte(`"time":1,`), []byte(`"time":1e0,`), 1) }},
		{"unpadded base64", "not base64", func(b []byte) []byte {
			return bytes.Replace(b, []byte(salt), []byte(strings.TrimRight(salt, "=")), 1)
		}},
		{"base64 with newline escape", canon, func(b []byte) []byte {
			return bytes.Replace(b, []byte(salt), []byte(salt[:4]+`\n`+salt[4:]), 1)
		}},
		{"nonzero pad bits", "not base64", func(b []byte) []byte {
			// The salt's last data character carries 4 pad bits; set one.
			s := []byte(salt)
			s[21] = base64Next(s[21])
			return bytes.Replace(b, []byte(salt), s, 1)
		}},
		{"offset time zone", "bad created time", func(b []byte) []byte {
			c := f.created.Format(createdLayout)
			return bytes.Replace(b, []byte(c), []byte(c[:len(c)-1]+"+00:00"), 1)
		}},
		{"unknown member", "unknown field", func(b []byte) []byte {
			return bytes.Replace(b, []byte("{\n"), []byte("{\n  \"comment\": \"hi\",\n"), 1)
		}},
		{"second object", "not valid JSON (at character", func(b []byte) []byte { return append(b, []byte("{}\n")...) }},
	}
	dir := privateDir(t)
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			mut := e.edit(append([]byte(nil), data...))
			if bytes.Equal(mut, data) {
				t.Fatal("edit changed nothing")
			}
			wantErr(t, openBytes(t, dir, resum(mut)), ErrCorrupt, e.why)
		})
	}
}

// base64Next returns the base64 character after c, so one pad bit is set when c's low
// bits were zero.
func base64Next(c byte) byte {
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	return alpha[(strings.IndexByte(alpha, c)+1)%64]
}

func TestVersionsAndForeignFiles(t *testing.T) {
	data := readFile(t, newKeystore(t, bip39Meta, bip39Secret()))
	dir := privateDir(t)
	tests := []struct {
		name  string
		data  []byte
		class error
		frag  string
	}{
		{"empty file", nil, ErrCorrupt, ""},
		{"empty object", []byte("{}\n"), ErrCorrupt, "not a satchel keystore"},
		{"other JSON", []byte(`{"crypto":{"cipher":"aes-128-ctr"},"version":3}`), ErrCorrupt, "not a satchel keystore"},
		{"array", []byte(`[1,2]`), ErrCorrupt, ""},
		{"version 2 with v1 body", resum(bytes.Replace(data, []byte(`"version":1`), []byte(`"version":2`), 1)), ErrUnsupportedVersion, "version 2"},
		{"version 2 different layout", []byte(`{"header":{"format":"satchel-keystore","version":2},"slots":[]}`), ErrUnsupportedVersion, "newer satchel"},
		{"version 0", []byte(`{"header":{"format":"satchel-keystore","version":0}}`), ErrCorrupt, "bad version"},
		{"version -1", []byte(`{"header":{"format":"satchel-keystore","version":-1}}`), ErrCorrupt, "bad version"},
		{"version 1.5", []byte(`{"header":{"format":"satchel-keystore","version":1.5}}`), ErrCorrupt, "bad version"},
		{"no version", []byte(`{"header":{"format":"satchel-keystore"}}`), ErrCorrupt, "no version"},
		{"v1 missing fields", []byte(`{"header":{"format":"satchel-keystore","version":1}}`), ErrCorrupt, "missing"},
		{"oversized", append(bytes.Repeat([]byte(" "), maxFileSize), data...), ErrCorrupt, "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErr(t, openBytes(t, dir, tt.data), tt.class, tt.frag)
		})
	}
}

// TestUnknownSecretKindNeedsNewerSatchel seals a payload with a kind byte this version
// does not know, as a future writer would: reading it is a version problem, not damage.
func TestUnknownSecretKindNeedsNewerSatchel(t *testing.T) {
	p := newKeystore(t, seedMeta, seedSecret())
	f := mustParse(t, readFile(t, p))
	dk, err := unwrap(p, f, []byte(testPass), newConfig(nil))
	if err != nil {
		t.Fatal(err)
	}
	pt := encodePayload(seedSecret())
	pt[0] = 0x03
	if f.payload, err = sealX(dk, pt, f.headerJSON()); err != nil {
		t.Fatal(err)
	}
	wantErr(t, openBytes(t, privateDir(t), f.seal()), ErrUnsupportedVersion, "kind 0x03")
}
