package electrum

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
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

// Tip asks blockchain.headers.subscribe for the tip's height and header; the hash is the
// header's. A tip lower than one reported before is refused (see netutil.TipGuard).
func (b *Backend) Tip(ctx context.Context) (chain.Tip, error) {
	ctx, cancel := b.begin(ctx)
	defer cancel()
	return b.tip(ctx)
}

func (b *Backend) tip(ctx context.Context) (chain.Tip, error) {
	const op = "blockchain.headers.subscribe"
	c := &call{method: op}
	if err := b.exchange(ctx, op, []*call{c}, 1); err != nil {
		return chain.Tip{}, err
	}
	if c.err != nil {
		return chain.Tip{}, b.errs.Refused(op, c.err.Error())
	}
	t, err := parseTip(c.result)
	if err != nil {
		return chain.Tip{}, b.errs.Bad(op, "%v", err)
	}
	if prev, ok := b.tips.Observe(t); !ok {
		return chain.Tip{}, b.errs.Bad(op, "the tip went back from height %d to %d", prev.Height, t.Height)
	}
	return t, nil
}

// parseTip reads headers.subscribe's {"height": N, "hex": "<80-byte header>"}.
func parseTip(raw json.RawMessage) (chain.Tip, error) {
	var r struct {
		Height *int64  `json:"height"`
		Hex    *string `json:"hex"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || r.Height == nil || r.Hex == nil {
		return chain.Tip{}, fmt.Errorf("the answer is not {height, hex}: %s", clip(string(raw)))
	}
	if *r.Height < 0 || *r.Height > math.MaxInt32 {
		return chain.Tip{}, fmt.Errorf("height %d is out of range", *r.Height)
	}
	h, err := netutil.DecodeHeader(*r.Hex)
	if err != nil {
		return chain.Tip{}, err
	}
	return chain.Tip{Height: int32(*r.Height), Hash: h.BlockHash()}, nil
}

// ScriptHistories asks blockchain.scripthash.get_history for every script in batches (one
// message for up to 250 scripts).
func (b *Backend) ScriptHistories(ctx context.Context, scripts [][]byte) ([][]chain.HistoryItem, error) {
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
			return nil, fmt.Errorf("the answer is not a list of {tx_hash, height}: %s", clip(string(raw)))
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
	var top chain.HistoryItem
	for _, h := range hists {
		for _, it := range h {
			if it.Height > top.Height {
				top = it
			}
		}
	}
	if top.Height <= tip {
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

// Transactions asks blockchain.transaction.get (raw hex) for each id, in batches of 50, and
// checks each transaction hashes to its id.
func (b *Backend) Transactions(ctx context.Context, txids []chainhash.Hash) ([]*wire.MsgTx, error) {
	ctx, cancel := b.begin(ctx)
	defer cancel()
	const op = "blockchain.transaction.get"
	index := map[chainhash.Hash]int{}
	var calls []*call
	var ids []chainhash.Hash
	for _, id := range txids {
		if _, ok := index[id]; !ok {
			index[id] = len(calls)
			calls = append(calls, &call{method: op, params: []any{id.String()}})
			ids = append(ids, id)
		}
	}
	if err := b.exchange(ctx, op, calls, txBatch); err != nil {
		return nil, err
	}
	got := make([]*wire.MsgTx, len(calls))
	for i, c := range calls {
		if c.err != nil {
			return nil, b.errs.Refused(op, fmt.Sprintf("%s: %v", ids[i], c.err))
		}
		var s string
		if err := json.Unmarshal(c.result, &s); err != nil {
			return nil, b.errs.Bad(op, "transaction %s: the answer is not a hex string", ids[i])
		}
		tx, err := netutil.DecodeTx(s, ids[i])
		if err != nil {
			return nil, b.errs.Bad(op, "%v", err)
		}
		got[i] = tx
	}
	out := make([]*wire.MsgTx, len(txids))
	given := map[chainhash.Hash]bool{}
	for i, id := range txids {
		out[i] = got[index[id]]
		if given[id] {
			out[i] = out[i].Copy() // an id asked twice gets two transactions, not one shared
		}
		given[id] = true
	}
	return out, nil
}

// BlockHeaders asks blockchain.block.header for each height, in batches of 250. Headers of
// consecutive heights must link.
func (b *Backend) BlockHeaders(ctx context.Context, heights []int32) ([]*wire.BlockHeader, error) {
	for _, h := range heights {
		if h < 0 {
			return nil, fmt.Errorf("%s: block height %d is negative", b.name, h)
		}
	}
	ctx, cancel := b.begin(ctx)
	defer cancel()
	const op = "blockchain.block.header"
	index := map[int32]int{}
	var calls []*call
	var distinct []int32
	for _, h := range heights {
		if _, ok := index[h]; !ok {
			index[h] = len(calls)
			calls = append(calls, &call{method: op, params: []any{h}})
			distinct = append(distinct, h)
		}
	}
	if err := b.exchange(ctx, op, calls, headerBatch); err != nil {
		return nil, err
	}
	got, err := b.headersFrom(calls, distinct)
	if err != nil {
		return nil, err
	}
	out := make([]*wire.BlockHeader, len(heights))
	for i, h := range heights {
		hd := *got[index[h]]
		out[i] = &hd
	}
	return out, nil
}

// headersFrom reads the answers of block.header calls for heights, and checks that headers of
// consecutive heights link.
func (b *Backend) headersFrom(calls []*call, heights []int32) ([]*wire.BlockHeader, error) {
	const op = "blockchain.block.header"
	out := make([]*wire.BlockHeader, len(calls))
	byHeight := map[int32]*wire.BlockHeader{}
	for i, c := range calls {
		if c.err != nil {
			return nil, b.errs.Refused(op, fmt.Sprintf("height %d: %v", heights[i], c.err))
		}
		var s string
		if err := json.Unmarshal(c.result, &s); err != nil {
			return nil, b.errs.Bad(op, "height %d: the answer is not a hex string", heights[i])
		}
		h, err := netutil.DecodeHeader(s)
		if err != nil {
			return nil, b.errs.Bad(op, "height %d: %v", heights[i], err)
		}
		out[i] = h
		byHeight[heights[i]] = h
	}
	for height, h := range byHeight {
		if prev, ok := byHeight[height-1]; ok && h.PrevBlock != prev.BlockHash() {
			return nil, b.errs.Bad(op, "the header at height %d does not follow the one at %d", height, height-1)
		}
	}
	return out, nil
}

// Broadcast sends the transaction with blockchain.transaction.broadcast. The server answers
// the txid, or a JSON-RPC error with the node's reject text, which becomes a
// *chain.BroadcastError.
func (b *Backend) Broadcast(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	hexTx, err := netutil.EncodeTx(tx)
	if err != nil {
		return chainhash.Hash{}, err
	}
	ctx, cancel := b.begin(ctx)
	defer cancel()
	const op = "blockchain.transaction.broadcast"
	c := &call{method: op, params: []any{hexTx}}
	if err := b.exchange(ctx, op, []*call{c}, 1); err != nil {
		return chainhash.Hash{}, err
	}
	if c.err != nil {
		return chainhash.Hash{}, netutil.Refusal(stripRawTx(c.err.Message))
	}
	want := tx.TxHash()
	var s string
	if err := json.Unmarshal(c.result, &s); err != nil {
		return chainhash.Hash{}, b.errs.Bad(op, "the answer is not a txid: %s", clip(string(c.result)))
	}
	got, err := netutil.ParseHash(s)
	if err != nil {
		// Protocol 1.0 put refusals in the result; a server doing so still refused.
		return chainhash.Hash{}, netutil.Refusal(s)
	}
	if got != want {
		return chainhash.Hash{}, b.errs.Bad(op, "sent %s, the server answered id %s", want, got)
	}
	return want, nil
}

// stripRawTx drops the "[<raw transaction hex>]" line ElectrumX appends to a refusal.
func stripRawTx(msg string) string {
	i := strings.LastIndex(msg, "\n[")
	if i < 0 || !strings.HasSuffix(msg, "]") {
		return msg
	}
	if _, err := hex.DecodeString(msg[i+2 : len(msg)-1]); err != nil {
		return msg
	}
	return strings.TrimSpace(msg[:i])
}

// EstimateFee asks blockchain.estimatefee, which answers BTC per 1,000 vbytes, or -1 without
// an estimate (chain.ErrNoEstimate). The number is read as an exact decimal.
func (b *Backend) EstimateFee(ctx context.Context, target int) (txbuilder.FeeRate, error) {
	ctx, cancel := b.begin(ctx)
	defer cancel()
	const op = "blockchain.estimatefee"
	c := &call{method: op, params: []any{target}}
	if err := b.exchange(ctx, op, []*call{c}, 1); err != nil {
		return 0, err
	}
	if c.err != nil {
		return 0, fmt.Errorf("%w: %s: estimatefee %d: %v", chain.ErrNoEstimate, b.name, target, c.err)
	}
	rate, err := parseRate(c.result)
	if err != nil {
		return 0, b.errs.Bad(op, "%v", err)
	}
	if rate <= 0 {
		return 0, fmt.Errorf("%w: %s: estimatefee %d answered %s", chain.ErrNoEstimate, b.name, target, clip(string(c.result)))
	}
	return rate, nil
}

// RelayFee asks blockchain.relayfee (BTC per 1,000 vbytes).
func (b *Backend) RelayFee(ctx context.Context) (txbuilder.FeeRate, error) {
	ctx, cancel := b.begin(ctx)
	defer cancel()
	const op = "blockchain.relayfee"
	c := &call{method: op}
	if err := b.exchange(ctx, op, []*call{c}, 1); err != nil {
		return 0, err
	}
	if c.err != nil {
		return 0, b.errs.Refused(op, c.err.Error())
	}
	rate, err := parseRate(c.result)
	if err != nil {
		return 0, b.errs.Bad(op, "%v", err)
	}
	if rate < 0 {
		return 0, b.errs.Bad(op, "negative relay fee %s", clip(string(c.result)))
	}
	return rate, nil
}

// parseRate reads a JSON number in BTC/kvB as sat/kvB, exactly.
func parseRate(raw json.RawMessage) (txbuilder.FeeRate, error) {
	v, err := netutil.ParseDecimal(strings.TrimSpace(string(raw)), 8)
	if err != nil {
		return 0, err
	}
	if v > int64(txbuilder.MaxMoney) {
		return 0, fmt.Errorf("fee rate %s is out of range", clip(string(raw)))
	}
	return txbuilder.FeeRate(v), nil
}
