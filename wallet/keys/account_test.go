package keys

import (
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/address/v2/base58"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// parseTestPath reads a BIP32 vector path like "m/0'/1/2'".
func parseTestPath(t *testing.T, p string) []uint32 {
	t.Helper()
	var out []uint32
	for _, step := range strings.Split(p, "/")[1:] {
		hard := strings.HasSuffix(step, "'")
		n, err := strconv.ParseUint(strings.TrimSuffix(step, "'"), 10, 32)
		if err != nil {
			t.Fatalf("path %q: %v", p, err)
		}
		if hard {
			n += uint64(Hardened)
		}
		out = append(out, uint32(n))
	}
	return out
}

func TestBIP32Vectors(t *testing.T) {
	var vectors []struct {
		Vector int    `json:"vector"`
		Seed   string `json:"seed_hex"`
		Chains []struct {
			Path, Xpub, Xprv string
		} `json:"chains"`
	}
	readJSON(t, "bip32-vectors.json", &vectors)
	n := 0
	for _, v := range vectors {
		seed, _ := hex.DecodeString(v.Seed)
		m, err := Master(seed, &chaincfg.MainNetParams)
		if err != nil {
			t.Fatalf("vector %d: %v", v.Vector, err)
		}
		for _, c := range v.Chains {
			k, err := derivePath(m, parseTestPath(t, c.Path))
			if err != nil {
				t.Fatalf("vector %d %s: %v", v.Vector, c.Path, err)
			}
			pub, err := k.Neuter()
			if err != nil {
				t.Fatal(err)
			}
			if k.String() != c.Xprv || pub.String() != c.Xpub {
				t.Errorf("vector %d %s: got %s / %s", v.Vector, c.Path, k, pub)
			}
			// Both serialisations parse back under the strict parser.
			for _, s := range []string{c.Xprv, c.Xpub} {
				if got, err := ParseExtendedKey(s); err != nil || got.String() != s {
					t.Errorf("vector %d %s: ParseExtendedKey(%s) = %v, %v", v.Vector, c.Path, s, got, err)
				}
			}
			n++
		}
	}
	if n != 17 {
		t.Errorf("checked %d chains, want 17", n)
	}
}

func TestBIP32InvalidKeysRefused(t *testing.T) {
	var v struct {
		Invalid []struct{ Key, Reason string } `json:"invalid"`
	}
	readJSON(t, "bip32-invalid.json", &v)
	if len(v.Invalid) != 16 {
		t.Fatalf("want 16 invalid keys, have %d", len(v.Invalid))
	}
	for _, c := range v.Invalid {
		k, err := ParseExtendedKey(c.Key)
		if err == nil {
			t.Errorf("%s (%s) accepted as %v", c.Key, c.Reason, k)
			continue
		}
		if !errors.Is(err, ErrBadExtendedKey) {
			t.Errorf("%s (%s): error %v does not wrap ErrBadExtendedKey", c.Key, c.Reason, err)
		}
	}
}

// withVersion rewrites a serialised extended key's 4 version bytes, as SLIP-132 keys (zpub,
// upub, ...) differ from xpub/tpub only there.
func withVersion(t *testing.T, key string, version [4]byte) string {
	t.Helper()
	raw := base58.Decode(key)
	if len(raw) != 82 {
		t.Fatalf("key %s: length %d", key, len(raw))
	}
	payload := append([]byte{}, raw[:78]...)
	copy(payload, version[:])
	return base58.Encode(append(payload, chainhash.DoubleHashB(payload)[:4]...))
}

func abandonMaster(t testing.TB, net *chaincfg.Params) *hdkeychain.ExtendedKey {
	t.Helper()
	m, err := Master(SeedFromMnemonic([]byte(abandon), nil), net)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

type addrVector struct {
	Path         string `json:"path"`
	WIF          string `json:"privkey_wif"`
	PubKey       string `json:"pubkey"`
	Address      string `json:"address"`
	InternalKey  string `json:"internal_key"`
	OutputKey    string `json:"output_key"`
	ScriptPubKey string `json:"scriptPubKey"`
	Xpub         string `json:"xpub"`
	Xprv         string `json:"xprv"`
	RedeemScript string `json:"redeem_script"`
	ScriptHash   string `json:"script_hash"`
}

// chainIndex reads the last two steps of an address path.
func chainIndex(t *testing.T, path string) (uint32, uint32) {
	p := parseTestPath(t, path)
	return p[len(p)-2], p[len(p)-1]
}

func TestFingerprintAbandon(t *testing.T) {
	m := abandonMaster(t, &chaincfg.MainNetParams)
	if got := FormatFingerprint(Fingerprint(m)); got != "73c5da0a" {
		t.Fatalf("fingerprint %s, want 73c5da0a", got)
	}
	fp, err := ParseFingerprint("73C5DA0A")
	if err != nil || fp != Fingerprint(m) {
		t.Fatalf("ParseFingerprint: %x, %v", fp, err)
	}
	for _, bad := range []string{"73c5da0", "73c5da0a0", "73c5da0g", "+3c5da0a"} {
		if _, err := ParseFingerprint(bad); err == nil {
			t.Errorf("ParseFingerprint(%q) accepted", bad)
		}
	}
}

func TestBIP84Vectors(t *testing.T) {
	var v struct {
		Mnemonic  string
		Root      struct{ Zprv, Zpub string }
		Account   struct{ Path, Zprv, Zpub string }
		Addresses []addrVector
	}
	readJSON(t, "bip84-vectors.json", &v)
	if v.Mnemonic != abandon {
		t.Fatalf("unexpected mnemonic %q", v.Mnemonic)
	}
	net := &chaincfg.MainNetParams
	m := abandonMaster(t, net)
	// zprv/zpub are SLIP-132: the same key material under other version bytes.
	if want := withVersion(t, v.Root.Zprv, net.HDPrivateKeyID); m.String() != want {
		t.Errorf("root %s, want %s", m, want)
	}
	a, err := DeriveAccount(m, BIP84, net, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := withVersion(t, v.Account.Zpub, net.HDPublicKeyID); a.Xpub.String() != want {
		t.Errorf("account xpub %s, want %s", a.Xpub, want)
	}
	if a.OriginPath() != "m/84h/0h/0h" || a.ScriptType() != txbuilder.P2WPKH {
		t.Errorf("origin %s type %s", a.OriginPath(), a.ScriptType())
	}
	for _, av := range v.Addresses {
		chain, index := chainIndex(t, av.Path)
		d, err := a.Derive(chain, index)
		if err != nil {
			t.Fatal(err)
		}
		if d.Address != av.Address || hex.EncodeToString(d.PubKey.SerializeCompressed()) != av.PubKey {
			t.Errorf("%s: %s %x, want %s %s", av.Path, d.Address, d.PubKey.SerializeCompressed(), av.Address, av.PubKey)
		}
		checkPrivKey(t, m, BIP84, net, chain, index, av.WIF)
	}
}

func TestBIP86Vectors(t *testing.T) {
	var v struct {
		Mnemonic  string
		Root      struct{ Xprv, Xpub string }
		Account   struct{ Path, Xprv, Xpub string }
		Addresses []addrVector
	}
	readJSON(t, "bip86-vectors.json", &v)
	net := &chaincfg.MainNetParams
	m := abandonMaster(t, net)
	if m.String() != v.Root.Xprv {
		t.Errorf("root %s, want %s", m, v.Root.Xprv)
	}
	a, err := DeriveAccount(m, BIP86, net, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a.Xpub.String() != v.Account.Xpub {
		t.Errorf("account xpub %s, want %s", a.Xpub, v.Account.Xpub)
	}
	for _, av := range v.Addresses {
		chain, index := chainIndex(t, av.Path)
		d, err := a.Derive(chain, index)
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(schnorr.SerializePubKey(d.PubKey)); got != av.InternalKey {
			t.Errorf("%s internal key %s, want %s", av.Path, got, av.InternalKey)
		}
		if got := hex.EncodeToString(schnorr.SerializePubKey(d.OutputKey)); got != av.OutputKey {
			t.Errorf("%s output key %s, want %s", av.Path, got, av.OutputKey)
		}
		if got := hex.EncodeToString(d.PkScript); got != av.ScriptPubKey {
			t.Errorf("%s script %s, want %s", av.Path, got, av.ScriptPubKey)
		}
		if d.Address != av.Address || d.Type != txbuilder.P2TR {
			t.Errorf("%s address %s (%s), want %s", av.Path, d.Address, d.Type, av.Address)
		}
		if got := a.Path(chain, index); got != strings.ReplaceAll(av.Path, "'", "h") {
			t.Errorf("Path = %s, want %s", got, av.Path)
		}
		full, err := derivePath(m, parseTestPath(t, av.Path))
		if err != nil {
			t.Fatal(err)
		}
		pub, _ := full.Neuter()
		if full.String() != av.Xprv || pub.String() != av.Xpub {
			t.Errorf("%s: %s / %s, want %s / %s", av.Path, full, pub, av.Xprv, av.Xpub)
		}
	}
}

func TestBIP49TestnetVectors(t *testing.T) {
	var v struct {
		Root      struct{ Uprv string }
		Account   struct{ Path, Uprv, Upub string }
		Addresses []addrVector
	}
	readJSON(t, "bip49-vectors.json", &v)
	net := &chaincfg.TestNet3Params
	m := abandonMaster(t, net)
	if want := withVersion(t, v.Root.Uprv, net.HDPrivateKeyID); m.String() != want {
		t.Errorf("root %s, want %s", m, want)
	}
	a, err := DeriveAccount(m, BIP49, net, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := withVersion(t, v.Account.Upub, net.HDPublicKeyID); a.Xpub.String() != want {
		t.Errorf("account tpub %s, want %s", a.Xpub, want)
	}
	if a.OriginPath() != "m/49h/1h/0h" {
		t.Errorf("origin %s", a.OriginPath())
	}
	for _, av := range v.Addresses {
		chain, index := chainIndex(t, av.Path)
		d, err := a.Derive(chain, index)
		if err != nil {
			t.Fatal(err)
		}
		if d.Address != av.Address || hex.EncodeToString(d.RedeemScript) != av.RedeemScript {
			t.Errorf("%s: %s redeem %x, want %s %s", av.Path, d.Address, d.RedeemScript, av.Address, av.RedeemScript)
		}
		if got := hex.EncodeToString(d.PkScript); got != "a914"+av.ScriptHash+"87" {
			t.Errorf("%s script %s", av.Path, got)
		}
		checkPrivKey(t, m, BIP49, net, chain, index, av.WIF)
	}
}

func checkPrivKey(t *testing.T, m *hdkeychain.ExtendedKey, p Purpose, net *chaincfg.Params,
	chain, index uint32, wantWIF string) {
	t.Helper()
	priv, err := PrivKey(m, p, net, 0, chain, index)
	if err != nil {
		t.Fatal(err)
	}
	wif, err := btcutil.NewWIF(priv, net, true)
	if err != nil {
		t.Fatal(err)
	}
	if wif.String() != wantWIF {
		t.Errorf("%s/%d/%d: WIF %s, want %s", p, chain, index, wif, wantWIF)
	}
}

func TestPrivKeyLeavesMasterUsable(t *testing.T) {
	m := abandonMaster(t, &chaincfg.MainNetParams)
	before := m.String()
	if _, err := PrivKey(m, BIP84, &chaincfg.MainNetParams, 0, 0, 0); err != nil {
		t.Fatal(err)
	}
	if m.String() != before {
		t.Fatal("PrivKey changed the master key")
	}
}

func TestEveryPurposeOnEveryNetwork(t *testing.T) {
	nets := []*chaincfg.Params{&chaincfg.MainNetParams, &chaincfg.TestNet3Params,
		&chaincfg.TestNet4Params, &chaincfg.SigNetParams, &chaincfg.RegressionNetParams}
	prefixes := map[txbuilder.ScriptType][]string{
		txbuilder.P2PKH:      {"1", "m", "n"},
		txbuilder.P2SHP2WPKH: {"3", "2"},
		txbuilder.P2WPKH:     {"bc1q", "tb1q", "bcrt1q"},
		txbuilder.P2TR:       {"bc1p", "tb1p", "bcrt1p"},
	}
	for _, net := range nets {
		m := abandonMaster(t, net)
		for _, p := range []Purpose{BIP44, BIP49, BIP84, BIP86} {
			a, err := DeriveAccount(m, p, net, 3)
			if err != nil {
				t.Fatalf("%s %s: %v", net.Name, p, err)
			}
			wantCoin := "1h"
			if net == &chaincfg.MainNetParams {
				wantCoin = "0h"
			}
			if want := "m/" + strconv.Itoa(int(p)) + "h/" + wantCoin + "/3h/1/7"; a.Path(1, 7) != want {
				t.Errorf("%s %s: path %s, want %s", net.Name, p, a.Path(1, 7), want)
			}
			d, err := a.Derive(Internal, 7)
			if err != nil {
				t.Fatal(err)
			}
			ok := false
			for _, pre := range prefixes[p.ScriptType()] {
				ok = ok || strings.HasPrefix(d.Address, pre)
			}
			if !ok || d.Type != p.ScriptType() {
				t.Errorf("%s %s: address %s type %s", net.Name, p, d.Address, d.Type)
			}
			// The private key behind the address matches its public key.
			priv, err := PrivKey(m, p, net, 3, Internal, 7)
			if err != nil || !priv.PubKey().IsEqual(d.PubKey) {
				t.Errorf("%s %s: private key does not match (%v)", net.Name, p, err)
			}
		}
	}
}

func TestWatchOnlyAccountMatches(t *testing.T) {
	net := &chaincfg.MainNetParams
	m := abandonMaster(t, net)
	full, err := DeriveAccount(m, BIP86, net, 2)
	if err != nil {
		t.Fatal(err)
	}
	watch, err := NewAccountFromXpub(full.Xpub.String(), BIP86, full.Fingerprint, net)
	if err != nil {
		t.Fatal(err)
	}
	if watch.Index != 2 || watch.Fingerprint != 0x73c5da0a {
		t.Errorf("index %d fingerprint %x", watch.Index, watch.Fingerprint)
	}
	for i := uint32(0); i < 5; i++ {
		a, _ := full.Derive(External, i)
		b, err := watch.Derive(External, i)
		if err != nil || a.Address != b.Address {
			t.Errorf("index %d: %s vs %v (%v)", i, a.Address, b, err)
		}
	}
}

func TestWatchOnlyAccountRefuses(t *testing.T) {
	net := &chaincfg.MainNetParams
	m := abandonMaster(t, net)
	acct, _ := DeriveAccount(m, BIP84, net, 0)
	tacct, _ := DeriveAccount(abandonMaster(t, &chaincfg.TestNet3Params), BIP84, &chaincfg.TestNet3Params, 0)
	mpub, _ := m.Neuter()
	tests := []struct{ name, key string }{
		{"private key", m.String()},
		{"master xpub (depth 0)", mpub.String()},
		{"tpub on mainnet", tacct.Xpub.String()},
		{"garbage", "xpubnotakey"},
	}
	for _, tt := range tests {
		if _, err := NewAccountFromXpub(tt.key, BIP84, 0, net); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
	if _, err := NewAccountFromXpub(acct.Xpub.String(), Purpose(45), 0, net); err == nil {
		t.Error("purpose 45 accepted")
	}
	// A SLIP-132 zpub names BIP84: refused for a BIP49 account (see slip132_test.go for the rest).
	if _, err := NewAccountFromXpub(withVersion(t, acct.Xpub.String(), [4]byte{0x04, 0xb2, 0x47, 0x46}), BIP49, 0, net); err == nil {
		t.Error("zpub accepted for a BIP49 account")
	}
	// A tpub is good on every test network.
	for _, n := range []*chaincfg.Params{&chaincfg.TestNet4Params, &chaincfg.SigNetParams, &chaincfg.RegressionNetParams} {
		if _, err := NewAccountFromXpub(tacct.Xpub.String(), BIP84, 0, n); err != nil {
			t.Errorf("tpub on %s: %v", n.Name, err)
		}
	}
}

func TestDeriveAccountRefuses(t *testing.T) {
	net := &chaincfg.MainNetParams
	m := abandonMaster(t, net)
	if _, err := DeriveAccount(m, Purpose(48), net, 0); err == nil {
		t.Error("purpose 48 accepted")
	}
	if _, err := DeriveAccount(m, BIP84, net, Hardened); err == nil {
		t.Error("account 2^31 accepted")
	}
	pub, _ := m.Neuter()
	if _, err := DeriveAccount(pub, BIP84, net, 0); err == nil {
		t.Error("public master accepted")
	}
	child, _ := m.Derive(0)
	if _, err := DeriveAccount(child, BIP84, net, 0); err == nil {
		t.Error("non-master key accepted")
	}
	a, _ := DeriveAccount(m, BIP84, net, 0)
	if _, err := a.Derive(0, Hardened); err == nil {
		t.Error("hardened index accepted")
	}
	if _, err := PrivKey(pub, BIP84, net, 0, 0, 0); !errors.Is(err, ErrWatchOnly) {
		t.Errorf("PrivKey from public key: %v", err)
	}
}

func TestDeriveOtherChainWithoutCache(t *testing.T) {
	// Chains beyond 0 and 1 are not cached but still derive correctly.
	m := abandonMaster(t, &chaincfg.MainNetParams)
	a, _ := DeriveAccount(m, BIP84, &chaincfg.MainNetParams, 0)
	d, err := a.Derive(5, 9)
	if err != nil {
		t.Fatal(err)
	}
	k, _ := derivePath(m, []uint32{84 + Hardened, Hardened, Hardened, 5, 9})
	pub, _ := k.ECPubKey()
	if !pub.IsEqual(d.PubKey) {
		t.Fatal("uncached chain derived a different key")
	}
	// An Account built by hand, without the cache, derives the same addresses.
	bare := &Account{Purpose: a.Purpose, Net: a.Net, Xpub: a.Xpub}
	d1, _ := a.Derive(External, 4)
	d2, err := bare.Derive(External, 4)
	if err != nil || d1.Address != d2.Address {
		t.Fatalf("bare account: %v, %v", d2, err)
	}
}

func TestPurposeFor(t *testing.T) {
	for _, p := range []Purpose{BIP44, BIP49, BIP84, BIP86} {
		got, err := PurposeFor(p.ScriptType())
		if err != nil || got != p {
			t.Errorf("PurposeFor(%s) = %v, %v", p.ScriptType(), got, err)
		}
	}
	if _, err := PurposeFor(txbuilder.P2WSH); err == nil {
		t.Error("PurposeFor(wsh) accepted")
	}
	if Purpose(99).ScriptType() != txbuilder.ScriptUnknown {
		t.Error("purpose 99 has a script type")
	}
}

func BenchmarkDerive1000(b *testing.B) {
	m := abandonMaster(b, &chaincfg.MainNetParams)
	for _, p := range []Purpose{BIP84, BIP86} {
		a, err := DeriveAccount(m, p, &chaincfg.MainNetParams, 0)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(p.String(), func(b *testing.B) {
			for b.Loop() {
				for i := uint32(0); i < 1000; i++ {
					if _, err := a.Derive(External, i); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
