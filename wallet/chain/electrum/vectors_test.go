package electrum

import (
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// docExamples is testdata/chain-server-doc-examples.json: examples from the protocol docs.
type docExamples struct {
	ScriptHashes []struct {
		Script, SHA256, Electrum string
	} `json:"script_hashes"`
	Results struct {
		HeadersSubscribe json.RawMessage `json:"headers_subscribe"`
		BlockHeader5     string          `json:"block_header_5"`
		EstimateFee      struct {
			Result    string `json:"result"`
			SatPerKvB int64  `json:"sat_per_kvb"`
		} `json:"estimatefee"`
		RelayFee []struct {
			Result    string `json:"result"`
			SatPerKvB int64  `json:"sat_per_kvb"`
		} `json:"relayfee"`
		GetMempool json.RawMessage `json:"get_mempool"`
		Broadcast  string          `json:"broadcast"`
	} `json:"electrum_results"`
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

// The docs' script hashes: sha256 of the script, sent reversed.
func TestScriptHashIsReversed(t *testing.T) {
	for _, v := range loadExamples(t).ScriptHashes {
		s, _ := hex.DecodeString(v.Script)
		if got := ScriptHash(s); got != v.Electrum {
			t.Errorf("ScriptHash(%s) = %s, want %s", v.Script, got, v.Electrum)
		}
	}
}

// meetsTarget checks a header's proof of work against its own bits: a header that parsed
// wrong would not.
func meetsTarget(h *wire.BlockHeader) bool {
	bits := h.Bits
	exp := uint(bits >> 24)
	target := new(big.Int).SetUint64(uint64(bits & 0x007fffff))
	if exp <= 3 {
		target.Rsh(target, 8*(3-exp))
	} else {
		target.Lsh(target, 8*(exp-3))
	}
	hash := h.BlockHash()
	for i, j := 0, len(hash)-1; i < j; i, j = i+1, j-1 {
		hash[i], hash[j] = hash[j], hash[i]
	}
	return new(big.Int).SetBytes(hash[:]).Cmp(target) <= 0
}

func TestDocResults(t *testing.T) {
	d := loadExamples(t).Results
	tip, _, err := parseTip(d.HeadersSubscribe)
	if err != nil || tip.Height != 520481 {
		t.Fatalf("parseTip(doc example) = %+v, %v", tip, err)
	}
	var sub struct{ Hex string }
	json.Unmarshal(d.HeadersSubscribe, &sub)
	hdr, _ := netutil.DecodeHeader(sub.Hex)
	if !meetsTarget(hdr) || hdr.BlockHash() != tip.Hash {
		t.Fatalf("the doc's tip header %s does not meet its target", tip.Hash)
	}
	h5, err := netutil.DecodeHeader(d.BlockHeader5)
	if err != nil || !meetsTarget(h5) {
		t.Fatalf("the doc's header 5: %v", err)
	}
	if r, err := parseRate(json.RawMessage(d.EstimateFee.Result)); err != nil || r != txbuilder.FeeRate(d.EstimateFee.SatPerKvB) {
		t.Fatalf("estimatefee %s = %v, %v", d.EstimateFee.Result, r, err)
	}
	for _, rf := range d.RelayFee {
		if r, err := parseRate(json.RawMessage(rf.Result)); err != nil || r != txbuilder.FeeRate(rf.SatPerKvB) {
			t.Fatalf("relayfee %s = %v, %v", rf.Result, r, err)
		}
	}
	hist, err := parseHistory(d.GetMempool)
	if err != nil || len(hist) != 1 || hist[0].Height != 0 ||
		hist[0].TxID.String() != "45381031132c57b2ff1cbe8d8d3920cf9ed25efd9a0beb764bdb2f24c7d1c7e3" {
		t.Fatalf("get_mempool example: %v, %v", hist, err)
	}
	if _, err := netutil.ParseHash(d.Broadcast); err != nil {
		t.Fatalf("broadcast example: %v", err)
	}
}
