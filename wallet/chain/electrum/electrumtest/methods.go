package electrumtest

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// batch answers requests in order, grouping histories, transactions and headers into one
// backend call each.
func (s *Server) batch(ss *session, reqs []request) []response {
	ctx := context.Background()
	out := make([]response, len(reqs))
	for i, r := range reqs {
		out[i] = response{JSONRPC: "2.0", ID: r.ID}
	}
	fail := func(i int, code int, msg string) { out[i].Error = &rpcErr{code, msg} }
	group := map[string][]int{}
	for i, r := range reqs {
		switch r.Method {
		case "blockchain.scripthash.get_history", "blockchain.transaction.get", "blockchain.block.header",
			"blockchain.transaction.get_merkle", methodScriptSub:
			group[r.Method] = append(group[r.Method], i)
		case methodHeadersSub:
			tip, res, err := s.tipNote(ctx)
			if err != nil {
				fail(i, err.code, err.msg)
				continue
			}
			out[i].Result = res
			s.mu.Lock()
			ss.headers, ss.tip = true, tip
			s.mu.Unlock()
		default:
			res, err := s.single(ctx, r)
			if err != nil {
				fail(i, err.code, err.msg)
			} else {
				out[i].Result = res
			}
		}
	}
	s.histories(ctx, reqs, group["blockchain.scripthash.get_history"], out)
	s.transactions(ctx, reqs, group["blockchain.transaction.get"], out)
	s.headers(ctx, reqs, group["blockchain.block.header"], out)
	s.merkles(ctx, reqs, group["blockchain.transaction.get_merkle"], out)
	s.subscribeScripts(ctx, ss, reqs, group[methodScriptSub], out)
	return out
}

type callErr struct {
	code int
	msg  string
}

func badParams(msg string) *callErr { return &callErr{-32602, msg} }

func stringParam(r request, i int) (string, bool) {
	if len(r.Params) <= i {
		return "", false
	}
	var s string
	return s, json.Unmarshal(r.Params[i], &s) == nil
}

func intParam(r request, i int) (int64, bool) {
	if len(r.Params) <= i {
		return 0, false
	}
	var n int64
	return n, json.Unmarshal(r.Params[i], &n) == nil
}

func (s *Server) single(ctx context.Context, r request) (any, *callErr) {
	switch r.Method {
	case "server.ping":
		return json.RawMessage("null"), nil
	case "server.version":
		return nil, &callErr{1, "server.version already sent"}
	case "blockchain.block.headers":
		return s.headerChunk(ctx, r)
	case "blockchain.transaction.broadcast":
		h, ok := stringParam(r, 0)
		raw, err := hex.DecodeString(h)
		if !ok || err != nil {
			return nil, badParams("raw_tx must be a hex string")
		}
		tx := new(wire.MsgTx)
		if err := tx.Deserialize(strings.NewReader(string(raw))); err != nil {
			return nil, &callErr{1, "the transaction was rejected by network rules.\n\nTX decode failed\n[" + h + "]"}
		}
		id, err := s.be.Broadcast(ctx, tx)
		var be *chain.BroadcastError
		if errors.As(err, &be) {
			return nil, &callErr{1, "the transaction was rejected by network rules.\n\n" + be.Message + "\n[" + h + "]"}
		}
		if err != nil {
			return nil, &callErr{2, err.Error()}
		}
		return id.String(), nil
	case "blockchain.estimatefee":
		n, ok := intParam(r, 0)
		if !ok {
			return nil, badParams("number must be an integer")
		}
		rate, err := s.be.EstimateFee(ctx, int(n))
		if errors.Is(err, chain.ErrNoEstimate) {
			return json.RawMessage("-1"), nil
		}
		if err != nil {
			return nil, &callErr{2, err.Error()}
		}
		return json.RawMessage(netutil.FormatDecimal(int64(rate), 8)), nil
	case "blockchain.relayfee":
		rate, err := s.be.RelayFee(ctx)
		if err != nil {
			return nil, &callErr{2, err.Error()}
		}
		return json.RawMessage(netutil.FormatDecimal(int64(rate), 8)), nil
	}
	return nil, &callErr{-32601, "unknown method " + strconv.Quote(r.Method)}
}

type historyEntry struct {
	TxHash string `json:"tx_hash"`
	Height int32  `json:"height"`
}

func (s *Server) histories(ctx context.Context, reqs []request, idx []int, out []response) {
	var hashes []string
	var ok []int
	for _, i := range idx {
		h, good := stringParam(reqs[i], 0)
		if !good || len(h) != 64 {
			out[i].Error = badParams("scripthash must be 64 hex digits").rpc()
			continue
		}
		hashes = append(hashes, h)
		ok = append(ok, i)
	}
	if len(hashes) == 0 {
		return
	}
	lists, err := s.historyLists(ctx, hashes)
	for n, i := range ok {
		if err != nil {
			out[i].Error = &rpcErr{2, err.Error()}
			continue
		}
		out[i].Result = lists[n]
	}
}

// historyLists answers get_history for script hashes with one ScriptHistories call: blockchain
// order, then the mempool, as the protocol lists them. An unknown script hash has an empty
// history.
func (s *Server) historyLists(ctx context.Context, hashes []string) ([][]historyEntry, error) {
	out := make([][]historyEntry, len(hashes))
	var scripts [][]byte
	var asked []int // positions in hashes whose script is known
	for k, h := range hashes {
		s.mu.Lock()
		sc, known := s.scripts[strings.ToLower(h)]
		s.mu.Unlock()
		out[k] = []historyEntry{}
		if known {
			scripts = append(scripts, sc)
			asked = append(asked, k)
		}
	}
	if len(scripts) == 0 {
		return out, nil
	}
	hists, err := s.be.ScriptHistories(ctx, scripts)
	if err == nil {
		hists, err = s.lieInHistories(ctx, hists)
	}
	if err != nil {
		return nil, err
	}
	for n, k := range asked {
		var conf, mem []historyEntry
		for _, it := range hists[n] {
			e := historyEntry{TxHash: it.TxID.String(), Height: it.Height}
			if it.Height <= 0 {
				e.Height = 0
				mem = append(mem, e)
			} else {
				conf = append(conf, e)
			}
		}
		sortEntries(conf)
		sortEntries(mem)
		out[k] = append(append(out[k], conf...), mem...)
	}
	return out, nil
}

func (e *callErr) rpc() *rpcErr { return &rpcErr{e.code, e.msg} }

func sortEntries(es []historyEntry) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && (es[j].Height < es[j-1].Height ||
			(es[j].Height == es[j-1].Height && es[j].TxHash < es[j-1].TxHash)); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func (s *Server) transactions(ctx context.Context, reqs []request, idx []int, out []response) {
	var ids []chainhash.Hash
	var ok []int
	for _, i := range idx {
		h, good := stringParam(reqs[i], 0)
		id, err := netutil.ParseHash(h)
		if !good || err != nil {
			out[i].Error = badParams("tx_hash must be a txid").rpc()
			continue
		}
		ids = append(ids, id)
		ok = append(ok, i)
	}
	if len(ids) == 0 {
		return
	}
	txs, err := s.be.Transactions(ctx, ids)
	if err != nil {
		// Ask one by one so each missing transaction gets its own error.
		for n, i := range ok {
			one, err := s.be.Transactions(ctx, ids[n:n+1])
			if err != nil {
				out[i].Error = &rpcErr{2, "daemon error: No such mempool or blockchain transaction"}
				continue
			}
			out[i].Result = mustHex(one[0])
		}
		return
	}
	for n, i := range ok {
		out[i].Result = mustHex(txs[n])
	}
}

func mustHex(tx *wire.MsgTx) string {
	h, err := netutil.EncodeTx(tx)
	if err != nil {
		panic(err)
	}
	return h
}

func (s *Server) headers(ctx context.Context, reqs []request, idx []int, out []response) {
	var heights []int32
	var ok []int
	for _, i := range idx {
		h, good := intParam(reqs[i], 0)
		if !good || h < 0 || h > 1<<31-1 {
			out[i].Error = badParams("height must be a non-negative integer").rpc()
			continue
		}
		heights = append(heights, int32(h))
		ok = append(ok, i)
	}
	if len(heights) == 0 {
		return
	}
	hdrs, err := s.headersAt(ctx, heights)
	if err != nil {
		for n, i := range ok {
			one, err := s.headersAt(ctx, heights[n:n+1])
			if err != nil {
				out[i].Error = &rpcErr{1, fmt.Sprintf("height %d out of range", heights[n])}
				continue
			}
			out[i].Result = netutil.EncodeHeader(one[0])
		}
		return
	}
	for n, i := range ok {
		out[i].Result = netutil.EncodeHeader(hdrs[n])
	}
}
