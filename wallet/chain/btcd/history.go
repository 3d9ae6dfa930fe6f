package btcd

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// defaultPageSize is how many transactions one searchrawtransactions answer carries. Most
// wallet addresses have a handful, so one page usually ends the search; busy ones page on.
const defaultPageSize = 200

// historyAttempts bounds restarts when a block arrives while a busy address is being paged.
const historyAttempts = 3

// searchItem is the part of a verbose searchrawtransactions entry a history needs.
type searchItem struct {
	Txid      string `json:"txid"`
	BlockHash string `json:"blockhash"`
}

// ScriptHistories lists, for each script, the transactions paying to it or spending from it:
// btcd's address index records both. Every script's first page goes in one batch with
// getbestblock; scripts with more history page on in further batches, and if the tip moved
// meanwhile the search starts over so no page mixes two chains. Heights of blocks not seen
// before cost one more batch. Mempool transactions have height 0.
func (b *Backend) ScriptHistories(ctx context.Context, scripts [][]byte) ([][]chain.HistoryItem, error) {
	addrs := make([]string, len(scripts))
	for i, s := range scripts {
		a, err := ScriptAddress(s, b)
		if err != nil {
			return nil, err
		}
		addrs[i] = a
	}
	if len(scripts) == 0 {
		return nil, nil
	}
	for attempt := 0; ; attempt++ {
		found, stable, err := b.searchAll(ctx, addrs)
		if err != nil {
			return nil, err
		}
		if stable {
			return b.withHeights(ctx, found)
		}
		if attempt+1 == historyAttempts {
			return nil, b.inconsistent("searchrawtransactions",
				"the chain tip kept moving during %d attempts", historyAttempts)
		}
	}
}

// scriptAddress is the address btcd indexes a script under.
func ScriptAddress(script []byte, b *Backend) (string, error) {
	_, addrs, _, err := txscript.ExtractPkScriptAddrs(script, b.net)
	if err != nil || len(addrs) != 1 {
		return "", fmt.Errorf("%s: script %s has no single address the node's index could "+
			"look up", b.name, hex.EncodeToString(script))
	}
	return addrs[0].EncodeAddress(), nil
}

// rawItem is one history entry before heights are known.
type rawItem struct {
	txid  chainhash.Hash
	block *chainhash.Hash // nil in the mempool
}

// searchAll pages through every address's history. stable is false when the tip changed
// between pages.
func (b *Backend) searchAll(ctx context.Context, addrs []string) (found [][]rawItem, stable bool, err error) {
	found = make([][]rawItem, len(addrs))
	seen := make([]map[chainhash.Hash]bool, len(addrs))
	skip := make([]int, len(addrs))
	pending := make([]int, len(addrs))
	for i := range addrs {
		pending[i] = i
		seen[i] = make(map[chainhash.Hash]bool)
	}
	var firstTip string
	for len(pending) > 0 {
		var tip bestBlock
		calls := make([]*call, 0, len(pending)+1)
		calls = append(calls, &call{cmd: cmd("getbestblock"), out: &tip})
		pages := make([][]searchItem, len(pending))
		for k, i := range pending {
			// Filtering on the address itself trims each verbose answer to the inputs and
			// outputs of that address: a batch payout's 50 outputs are not repeated for every
			// payee (3.5x faster for 100 addresses in BenchmarkScriptHistories100).
			calls = append(calls, &call{
				cmd: cmd("searchrawtransactions", addrs[i], 1, skip[i], b.pageSize, 0, false,
					[]string{addrs[i]}),
				out: &pages[k],
			})
		}
		if err := b.exchange(ctx, "searchrawtransactions", calls); err != nil {
			return nil, false, err
		}
		if calls[0].err != nil {
			return nil, false, fmt.Errorf("%s: getbestblock: %w", b.name, calls[0].err)
		}
		if firstTip == "" {
			firstTip = tip.Hash
		} else if tip.Hash != firstTip {
			return nil, false, nil
		}
		var next []int
		for k, i := range pending {
			c := calls[k+1]
			if c.err != nil {
				if isNoHistory(c.err) {
					continue
				}
				if isNoIndex(c.err) {
					return nil, false, fmt.Errorf("%s: %w", b.name, ErrNoIndex)
				}
				return nil, false, fmt.Errorf("%s: history of %s: %w", b.name, addrs[i], c.err)
			}
			for _, it := range pages[k] {
				item, err := b.parseItem(it)
				if err != nil {
					return nil, false, err
				}
				if !seen[i][item.txid] {
					seen[i][item.txid] = true
					found[i] = append(found[i], item)
				}
			}
			if len(pages[k]) >= b.pageSize {
				skip[i] += len(pages[k])
				next = append(next, i)
			}
		}
		pending = next
	}
	return found, true, nil
}

func (b *Backend) parseItem(it searchItem) (rawItem, error) {
	txid, err := chainhash.NewHashFromStr(it.Txid)
	if err != nil {
		return rawItem{}, b.inconsistent("searchrawtransactions", "bad txid %q", it.Txid)
	}
	item := rawItem{txid: *txid}
	if it.BlockHash != "" {
		h, err := chainhash.NewHashFromStr(it.BlockHash)
		if err != nil {
			return rawItem{}, b.inconsistent("searchrawtransactions", "bad block hash %q",
				it.BlockHash)
		}
		item.block = h
	}
	return item, nil
}

// withHeights turns block hashes into heights.
func (b *Backend) withHeights(ctx context.Context, found [][]rawItem) ([][]chain.HistoryItem, error) {
	var blocks []chainhash.Hash
	for _, items := range found {
		for _, it := range items {
			if it.block != nil {
				blocks = append(blocks, *it.block)
			}
		}
	}
	heights, err := b.blockHeights(ctx, blocks)
	if err != nil {
		return nil, err
	}
	out := make([][]chain.HistoryItem, len(found))
	for i, items := range found {
		out[i] = make([]chain.HistoryItem, len(items))
		for k, it := range items {
			out[i][k] = chain.HistoryItem{TxID: it.txid}
			if it.block != nil {
				out[i][k].Height = heights[*it.block]
			}
		}
	}
	return out, nil
}
