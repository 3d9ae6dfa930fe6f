package esplora

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// pageItem is what satchel reads of one transaction in a history page.
type pageItem struct {
	txid      chainhash.Hash
	confirmed bool
	height    int32 // 0 when unconfirmed
}

// parseHistoryPage reads the JSON array /scripthash/:hash/txs[/chain/:last] answers: of each
// transaction only txid and status (confirmed, block_height) matter.
func parseHistoryPage(body []byte) ([]pageItem, error) {
	var raw []struct {
		TxID   *string `json:"txid"`
		Status *struct {
			Confirmed   *bool  `json:"confirmed"`
			BlockHeight *int64 `json:"block_height"`
		} `json:"status"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("history page is not a JSON array of transactions: %v", err)
	}
	out := make([]pageItem, len(raw))
	for i, r := range raw {
		if r.TxID == nil {
			return nil, fmt.Errorf("transaction %d of the page has no txid", i)
		}
		id, err := netutil.ParseHash(*r.TxID)
		if err != nil {
			return nil, fmt.Errorf("transaction %d of the page: txid %v", i, err)
		}
		if r.Status == nil || r.Status.Confirmed == nil {
			return nil, fmt.Errorf("transaction %s has no status", id)
		}
		it := pageItem{txid: id, confirmed: *r.Status.Confirmed}
		if it.confirmed {
			h := r.Status.BlockHeight
			if h == nil || *h < 1 || *h > math.MaxInt32 {
				return nil, fmt.Errorf("confirmed transaction %s has no usable block_height", id)
			}
			it.height = int32(*h)
		}
		out[i] = it
	}
	return out, nil
}

// parseHeight reads a block height written as plain text (/blocks/tip/height).
func parseHeight(body []byte) (int32, error) {
	s := strings.TrimSpace(string(body))
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n < 0 || s != strconv.FormatInt(n, 10) {
		return 0, fmt.Errorf("%q is not a block height", clip.Text(s, 80))
	}
	return int32(n), nil
}

// parseHashText reads a block hash or txid written as plain text.
func parseHashText(body []byte) (chainhash.Hash, error) {
	return netutil.ParseHash(strings.TrimSpace(string(body)))
}

// parseFeeEstimates reads /fee-estimates: an object from confirmation target (blocks, as a
// string key) to sat/vB (a JSON number). The numbers are read as exact decimals, so 0.5 sat/vB
// is 500 sat/kvB. Targets without a positive rate are left out.
func parseFeeEstimates(body []byte) (map[int]txbuilder.FeeRate, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var raw map[string]json.Number
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("fee estimates are not a JSON object of numbers: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("fee estimates are followed by more data")
	}
	if raw == nil {
		return nil, fmt.Errorf("fee estimates are null")
	}
	out := make(map[int]txbuilder.FeeRate, len(raw))
	for k, v := range raw {
		target, err := strconv.Atoi(k)
		if err != nil || target < 1 || k != strconv.Itoa(target) {
			return nil, fmt.Errorf("fee estimate target %q is not a number of blocks", clip.Text(k, 80))
		}
		rate, err := netutil.ParseDecimal(string(v), 3)
		if err != nil {
			return nil, fmt.Errorf("fee estimate for %d blocks: %v", target, err)
		}
		if rate < 0 || rate > int64(txbuilder.MaxMoney) {
			return nil, fmt.Errorf("fee estimate for %d blocks is %s sat/vB", target, v)
		}
		if rate > 0 {
			out[target] = txbuilder.FeeRate(rate)
		}
	}
	return out, nil
}
