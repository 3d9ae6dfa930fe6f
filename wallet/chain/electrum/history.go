package electrum

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// ScriptHash is the Electrum script hash of an output script: sha256 of the script with its
// bytes reversed, in hex.
func ScriptHash(script []byte) string {
	h := sha256.Sum256(script)
	for i, j := 0, len(h)-1; i < j; i, j = i+1, j-1 {
		h[i], h[j] = h[j], h[i]
	}
	return hex.EncodeToString(h[:])
}

// ScriptHistories asks blockchain.scripthash.get_history for every script in batches (one
// message for up to 250 scripts). With the light-client checks on, every confirmed item is
// proven by a merkle branch to a verified header before it is returned (see the package
// documentation).
func (b *Backend) ScriptHistories(ctx context.Context, scripts [][]byte) ([][]chain.HistoryItem, error) {
	caller := ctx
	ctx, cancel := b.begin(ctx)
	defer cancel()
	const op = "blockchain.scripthash.get_history"
	calls := make([]*call, len(scripts))
	for i, s := range scripts {
		calls[i] = &call{method: op, params: []any{ScriptHash(s)}}
	}
	if err := b.exchange(ctx, op, calls, historyBatch); err != nil {
		return nil, err
	}
	out := make([][]chain.HistoryItem, len(scripts))
	for i, c := range calls {
		if c.err != nil {
			return nil, b.errs.Refused(op, c.err.Error())
		}
		h, err := parseHistory(c.result)
		if err != nil {
			return nil, b.errs.Bad(op, "script hash %s: %v", ScriptHash(scripts[i]), err)
		}
		out[i] = h
	}
	if err := b.checkHeights(ctx, out); err != nil {
		return nil, err
	}
	if err := b.proveHistories(caller, out); err != nil {
		return nil, err
	}
	return out, nil
}

// parseHistory reads get_history's list of {tx_hash, height[, fee]}: height 0 (all inputs
// confirmed) and -1 (some not) are both the mempool, 0 here. It also takes protocol 1.5's
// {from_height, to_height, history} form, refusing one the server cut short.
func parseHistory(raw json.RawMessage) ([]chain.HistoryItem, error) {
	type entry struct {
		TxHash *string `json:"tx_hash"`
		Height *int64  `json:"height"`
	}
	var list []entry
	if err := json.Unmarshal(raw, &list); err != nil {
		var paged struct {
			ToHeight *int64  `json:"to_height"`
			History  []entry `json:"history"`
		}
		if err2 := json.Unmarshal(raw, &paged); err2 != nil || paged.ToHeight == nil || paged.History == nil {
			return nil, fmt.Errorf("the answer is not a list of {tx_hash, height}: %s", clip.Text(string(raw), 80))
		}
		if *paged.ToHeight != -1 {
			return nil, fmt.Errorf("the server cut the history short at height %d", *paged.ToHeight)
		}
		list = paged.History
	}
	out := make([]chain.HistoryItem, 0, len(list))
	at := map[chainhash.Hash]int{}
	for _, e := range list {
		if e.TxHash == nil || e.Height == nil {
			return nil, fmt.Errorf("an entry lacks tx_hash or height")
		}
		id, err := netutil.ParseHash(*e.TxHash)
		if err != nil {
			return nil, fmt.Errorf("tx_hash %v", err)
		}
		h := *e.Height
		if h < -1 || h > math.MaxInt32 {
			return nil, fmt.Errorf("transaction %s at height %d", id, h)
		}
		if h < 0 {
			h = 0
		}
		if i, dup := at[id]; dup {
			if out[i].Height == 0 {
				out[i].Height = int32(h)
			} else if h != 0 && int32(h) != out[i].Height {
				return nil, fmt.Errorf("transaction %s listed at heights %d and %d", id, out[i].Height, h)
			}
			continue
		}
		at[id] = len(out)
		out = append(out, chain.HistoryItem{TxID: id, Height: int32(h)})
	}
	return out, nil
}

// checkHeights refuses histories with a transaction confirmed above the tip this backend
// reported, after asking the tip once more (a block may have come meanwhile).
func (b *Backend) checkHeights(ctx context.Context, hists [][]chain.HistoryItem) error {
	tip, ok := b.tips.Height()
	if !ok {
		return nil
	}
	top, above := netutil.HighestAbove(hists, tip)
	if !above {
		return nil
	}
	t, err := b.tip(ctx)
	if err != nil {
		return err
	}
	if top.Height > t.Height {
		return b.errs.Bad("blockchain.scripthash.get_history", "transaction %s is at height %d, above the tip %d",
			top.TxID, top.Height, t.Height)
	}
	return nil
}
