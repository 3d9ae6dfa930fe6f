package esplora

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// docExamples is testdata/chain-server-doc-examples.json: examples from the protocol docs.
type docExamples struct {
	ScriptHashes []struct {
		Script, SHA256, Electrum string
	} `json:"script_hashes"`
	FeeEstimates struct {
		Body      string         `json:"body"`
		SatPerKvB map[string]int `json:"sat_per_kvb"`
	} `json:"esplora_fee_estimates"`
}

func loadExamples(t testing.TB) docExamples {
	t.Helper()
	raw, err := os.ReadFile("../../../testdata/chain-server-doc-examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var d docExamples
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// Esplora's script hash is sha256 in natural order: the docs' sha256, not Electrum's reversal.
func TestScriptHashIsNaturalOrder(t *testing.T) {
	for _, v := range loadExamples(t).ScriptHashes {
		s, _ := hex.DecodeString(v.Script)
		if got := ScriptHash(s); got != v.SHA256 || got == v.Electrum {
			t.Errorf("ScriptHash(%s) = %s, want %s", v.Script, got, v.SHA256)
		}
	}
}

func TestFeeEstimatesDocExample(t *testing.T) {
	d := loadExamples(t).FeeEstimates
	got, err := parseFeeEstimates([]byte(d.Body))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(d.SatPerKvB) {
		t.Fatalf("%d targets, want %d", len(got), len(d.SatPerKvB))
	}
	for k, want := range d.SatPerKvB {
		n, _ := strconv.Atoi(k)
		if got[n] != txbuilder.FeeRate(want) {
			t.Errorf("target %s: %v, want %d", k, got[n], want)
		}
	}
}
