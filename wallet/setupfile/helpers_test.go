package setupfile

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"testing"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/address/v2/base58"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files in ../../testdata/setupfile")

const goldenDir = "../../testdata/setupfile"

// golden compares got with the named file, or writes it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs:\n got: %s\nwant: %s", name, got, want)
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testKey derives the BIP48 P2WSH account key m/48'/coin'/0'/2' of a seed made of one
// repeated byte: deterministic cosigners for the tests.
func testKey(t testing.TB, seedByte byte, net *chaincfg.Params) Key {
	t.Helper()
	master, err := hdkeychain.NewMaster(bytes.Repeat([]byte{seedByte}, 32), net)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := master.ECPubKey()
	if err != nil {
		t.Fatal(err)
	}
	coin := uint32(1)
	if net.Name == chaincfg.MainNetParams.Name {
		coin = 0
	}
	k := master
	for _, step := range []uint32{48, coin, 0, 2} {
		if k, err = k.Derive(hdkeychain.HardenedKeyStart + step); err != nil {
			t.Fatal(err)
		}
	}
	neut, err := k.Neuter()
	if err != nil {
		t.Fatal(err)
	}
	return Key{
		Fingerprint: fmt.Sprintf("%x", address.Hash160(pub.SerializeCompressed())[:4]),
		Path:        fmt.Sprintf("m/48'/%d'/0'/2'", coin),
		Xpub:        neut.String(),
	}
}

// testSetup is a 2-of-3 on regtest from seeds 1, 2 and 3.
func testSetup(t testing.TB) *Setup {
	return &Setup{
		Name:      "tips vault",
		Threshold: 2,
		Keys: []Key{
			testKey(t, 1, &chaincfg.RegressionNetParams),
			testKey(t, 2, &chaincfg.RegressionNetParams),
			testKey(t, 3, &chaincfg.RegressionNetParams),
		},
		ScriptType: ScriptP2WSH,
		Network:    Regtest,
	}
}

var (
	reThreshold = regexp.MustCompile(`^wsh\(sortedmulti\((\d+),`)
	reRecvKey   = regexp.MustCompile(`([xt]pub[1-9A-HJ-NP-Za-km-z]+)/0/\*`)
)

// testDerive is an AddressFunc written apart from the package (regular expressions over the
// descriptor, btcd for the rest): the first address of wsh(sortedmulti(M, keys/0/*)) is
// P2WSH of "OP_M <BIP67-sorted child keys at 0/0> OP_N OP_CHECKMULTISIG".
func testDerive(desc, network string) (string, error) {
	m := reThreshold.FindStringSubmatch(desc)
	if m == nil {
		return "", fmt.Errorf("test derive: not wsh(sortedmulti(...)): %s", desc)
	}
	threshold, _ := strconv.Atoi(m[1])
	params := map[string]*chaincfg.Params{Mainnet: &chaincfg.MainNetParams, Testnet: &chaincfg.TestNet3Params,
		Signet: &chaincfg.SigNetParams, Regtest: &chaincfg.RegressionNetParams}[network]
	if params == nil {
		return "", fmt.Errorf("test derive: network %q", network)
	}
	var pubs [][]byte
	for _, km := range reRecvKey.FindAllStringSubmatch(desc, -1) {
		k, err := hdkeychain.NewKeyFromString(km[1])
		if err != nil {
			return "", err
		}
		if k, err = k.Derive(0); err == nil {
			k, err = k.Derive(0)
		}
		if err != nil {
			return "", err
		}
		pk, err := k.ECPubKey()
		if err != nil {
			return "", err
		}
		pubs = append(pubs, pk.SerializeCompressed())
	}
	sort.Slice(pubs, func(i, j int) bool { return bytes.Compare(pubs[i], pubs[j]) < 0 })
	var apks []*address.AddressPubKey
	for _, p := range pubs {
		a, err := address.NewAddressPubKey(p, params)
		if err != nil {
			return "", err
		}
		apks = append(apks, a)
	}
	script, err := txscript.MultiSigScript(apks, threshold)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(script)
	a, err := address.NewAddressWitnessScriptHash(h[:], params)
	if err != nil {
		return "", err
	}
	return a.EncodeAddress(), nil
}

// toVpubForTest rewrites a tpub with the SLIP-132 Vpub version, as old Coldcard files carry.
func toVpubForTest(t testing.TB, tpub string) string {
	t.Helper()
	raw := base58.Decode(tpub)
	copy(raw[:4], versionVpub[:])
	copy(raw[78:], chainhash.DoubleHashB(raw[:78])[:4])
	return base58.Encode(raw)
}
