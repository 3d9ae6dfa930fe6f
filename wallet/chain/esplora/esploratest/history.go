package esploratest

import (
	"context"
	"encoding/hex"
	"net/http"
	"sort"
	"strings"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// txJSON is the API's transaction format, without the fields that need the spent outputs
// (fee, prevout).
type txJSON struct {
	TxID     string    `json:"txid"`
	Version  int32     `json:"version"`
	Locktime uint32    `json:"locktime"`
	Vin      []vinJSON `json:"vin"`
	Vout     []vout    `json:"vout"`
	Size     int       `json:"size"`
	Weight   int       `json:"weight"`
	Status   status    `json:"status"`
}

type vinJSON struct {
	TxID       string   `json:"txid"`
	Vout       uint32   `json:"vout"`
	IsCoinbase bool     `json:"is_coinbase"`
	ScriptSig  string   `json:"scriptsig"`
	Witness    []string `json:"witness,omitempty"`
	Sequence   uint32   `json:"sequence"`
}

type vout struct {
	ScriptPubKey string `json:"scriptpubkey"`
	Value        int64  `json:"value"`
}

type status struct {
	Confirmed   bool   `json:"confirmed"`
	BlockHeight *int32 `json:"block_height,omitempty"`
	BlockHash   string `json:"block_hash,omitempty"`
	BlockTime   int64  `json:"block_time,omitempty"`
}

func describe(tx *wire.MsgTx, st status) txJSON {
	out := txJSON{TxID: tx.TxHash().String(), Version: tx.Version, Locktime: tx.LockTime,
		Size: tx.SerializeSize(), Weight: 3*tx.SerializeSizeStripped() + tx.SerializeSize(), Status: st}
	for _, in := range tx.TxIn {
		v := vinJSON{TxID: in.PreviousOutPoint.Hash.String(), Vout: in.PreviousOutPoint.Index,
			ScriptSig: hex.EncodeToString(in.SignatureScript), Sequence: in.Sequence,
			IsCoinbase: in.PreviousOutPoint.Index == wire.MaxPrevOutIndex && in.PreviousOutPoint.Hash == chainhash.Hash{}}
		for _, wi := range in.Witness {
			v.Witness = append(v.Witness, hex.EncodeToString(wi))
		}
		out.Vin = append(out.Vin, v)
	}
	for _, o := range tx.TxOut {
		out.Vout = append(out.Vout, vout{ScriptPubKey: hex.EncodeToString(o.PkScript), Value: o.Value})
	}
	return out
}

// statuses builds the status object of each history item, fetching the headers of their
// blocks in one call.
func (s *Server) statuses(ctx context.Context, items []chain.HistoryItem) ([]status, error) {
	var heights []int32
	for _, it := range items {
		if it.Height > 0 {
			heights = append(heights, it.Height)
		}
	}
	hdrs := map[int32]*wire.BlockHeader{}
	if len(heights) > 0 {
		got, err := s.be.BlockHeaders(ctx, heights)
		if err != nil {
			return nil, err
		}
		for i, h := range heights {
			hdrs[h] = got[i]
		}
	}
	out := make([]status, len(items))
	for i, it := range items {
		if it.Height <= 0 {
			continue
		}
		h := it.Height
		hd := hdrs[h]
		out[i] = status{Confirmed: true, BlockHeight: &h, BlockHash: hd.BlockHash().String(), BlockTime: hd.Timestamp.Unix()}
	}
	return out, nil
}

// history answers /scripthash/:hash/txs ("first": up to 50 mempool then 25 confirmed),
// .../txs/mempool and .../txs/chain[/:last_seen], newest first.
func (s *Server) history(ctx context.Context, w http.ResponseWriter, arg, kind, lastSeen string) error {
	if len(arg) != 64 {
		return badRequest("Invalid scripthash")
	}
	if _, err := hex.DecodeString(arg); err != nil {
		return badRequest("Invalid scripthash")
	}
	s.mu.Lock()
	script, known := s.scripts[strings.ToLower(arg)]
	s.mu.Unlock()
	var all []chain.HistoryItem
	if known {
		hists, err := s.be.ScriptHistories(ctx, [][]byte{script})
		if err != nil {
			return err
		}
		all = hists[0]
	}
	var mempool, confirmed []chain.HistoryItem
	for _, it := range all {
		if it.Height <= 0 {
			mempool = append(mempool, chain.HistoryItem{TxID: it.TxID})
		} else {
			confirmed = append(confirmed, it)
		}
	}
	sort.Slice(mempool, func(i, j int) bool { return mempool[i].TxID.String() < mempool[j].TxID.String() })
	sort.Slice(confirmed, func(i, j int) bool {
		if confirmed[i].Height != confirmed[j].Height {
			return confirmed[i].Height > confirmed[j].Height
		}
		return confirmed[i].TxID.String() < confirmed[j].TxID.String()
	})
	mempool = mempool[:min(len(mempool), mempoolMost)]
	var page []chain.HistoryItem
	switch kind {
	case "first":
		page = append(mempool, confirmed[:min(len(confirmed), chainPage)]...)
	case "mempool":
		page = mempool
	case "chain":
		start := 0
		if lastSeen != "" {
			last, err := netutil.ParseHash(lastSeen)
			if err != nil {
				return badRequest("Invalid hash string")
			}
			start = len(confirmed)
			for i, it := range confirmed {
				if it.TxID == last {
					start = i + 1
				}
			}
		}
		page = confirmed[start:min(len(confirmed), start+chainPage)]
	}
	ids := make([]chainhash.Hash, len(page))
	for i, it := range page {
		ids[i] = it.TxID
	}
	txs := []*wire.MsgTx{}
	if len(ids) > 0 {
		var err error
		if txs, err = s.be.Transactions(ctx, ids); err != nil {
			return err
		}
	}
	sts, err := s.statuses(ctx, page)
	if err != nil {
		return err
	}
	out := make([]txJSON, len(page))
	for i := range page {
		out[i] = describe(txs[i], sts[i])
	}
	return jsonOut(w, out)
}
