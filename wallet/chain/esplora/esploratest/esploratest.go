package esploratest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// Paging limits, as electrs has them.
const (
	chainPage   = 25
	mempoolMost = 50
)

// feeTargets are the confirmation targets /fee-estimates answers for (the API's list, plus 1).
var feeTargets = []int{1, 2, 3, 4, 5, 6, 10, 20, 25, 144, 504, 1008}

// Server answers the Esplora API from a chain.Backend. It is an http.Handler serving at the
// root: a client's base URL is the server's URL with no path.
type Server struct {
	be chain.Backend

	mu      sync.Mutex
	scripts map[string][]byte // natural-order sha256 hex -> script

	requests atomic.Int64
}

// New makes a server answering from be.
func New(be chain.Backend) *Server {
	return &Server{be: be, scripts: map[string][]byte{}}
}

// Start runs a server for be on loopback until the test ends and returns it with its base URL.
func Start(t testing.TB, be chain.Backend) (*Server, string) {
	t.Helper()
	s := New(be)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs.URL
}

// Watch makes the server answer for these scripts' hashes.
func (s *Server) Watch(scripts ...[]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sc := range scripts {
		h := sha256.Sum256(sc) // natural byte order, as Esplora takes it
		s.scripts[hex.EncodeToString(h[:])] = append([]byte(nil), sc...)
	}
}

// Requests counts the requests served.
func (s *Server) Requests() int64 { return s.requests.Load() }

// ServeHTTP routes one request of the Esplora API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	ctx := r.Context()
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	get := r.Method == http.MethodGet
	var err error
	switch {
	case get && match(parts, "blocks", "tip", "height"):
		err = s.tipHeight(ctx, w)
	case get && match(parts, "blocks", "tip", "hash"):
		err = s.tipHash(ctx, w)
	case get && match(parts, "block-height", "*"):
		err = s.blockAtHeight(ctx, w, parts[1])
	case get && match(parts, "block", "*", "header"):
		err = s.header(ctx, w, parts[1])
	case get && match(parts, "scripthash", "*", "txs"):
		err = s.history(ctx, w, parts[1], "first", "")
	case get && match(parts, "scripthash", "*", "txs", "mempool"):
		err = s.history(ctx, w, parts[1], "mempool", "")
	case get && match(parts, "scripthash", "*", "txs", "chain"):
		err = s.history(ctx, w, parts[1], "chain", "")
	case get && match(parts, "scripthash", "*", "txs", "chain", "*"):
		err = s.history(ctx, w, parts[1], "chain", parts[4])
	case get && match(parts, "tx", "*", "hex"):
		err = s.txHex(ctx, w, parts[1])
	case get && match(parts, "tx", "*", "status"):
		err = s.txStatus(ctx, w, parts[1])
	case r.Method == http.MethodPost && match(parts, "tx"):
		err = s.broadcast(ctx, w, r)
	case get && match(parts, "fee-estimates"):
		err = s.feeEstimates(ctx, w)
	default:
		http.Error(w, "Not found", http.StatusNotFound)
		return
	}
	if err != nil {
		var he httpError
		if errors.As(err, &he) {
			http.Error(w, he.msg, he.status)
			return
		}
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
	}
}

// httpError is an answer other than 200 that the API defines.
type httpError struct {
	status int
	msg    string
}

func (e httpError) Error() string { return e.msg }

func badRequest(msg string) error { return httpError{http.StatusBadRequest, msg} }
func notFound(msg string) error   { return httpError{http.StatusNotFound, msg} }

func match(parts []string, pattern ...string) bool {
	if len(parts) != len(pattern) {
		return false
	}
	for i, p := range pattern {
		if p != "*" && p != parts[i] {
			return false
		}
	}
	return true
}

func text(w http.ResponseWriter, s string) error {
	w.Header().Set("Content-Type", "text/plain")
	_, err := io.WriteString(w, s)
	return err
}

func jsonOut(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(v)
}

func (s *Server) tipHeight(ctx context.Context, w http.ResponseWriter) error {
	t, err := s.be.Tip(ctx)
	if err != nil {
		return err
	}
	return text(w, strconv.Itoa(int(t.Height)))
}

func (s *Server) tipHash(ctx context.Context, w http.ResponseWriter) error {
	t, err := s.be.Tip(ctx)
	if err != nil {
		return err
	}
	return text(w, t.Hash.String())
}

func (s *Server) blockAtHeight(ctx context.Context, w http.ResponseWriter, arg string) error {
	h, err := strconv.ParseInt(arg, 10, 32)
	if err != nil || h < 0 {
		return badRequest("Invalid number")
	}
	t, err := s.be.Tip(ctx)
	if err != nil {
		return err
	}
	if int32(h) > t.Height {
		return notFound("Block not found")
	}
	hdrs, err := s.be.BlockHeaders(ctx, []int32{int32(h)})
	if err != nil {
		return err
	}
	return text(w, hdrs[0].BlockHash().String())
}

// heightOf finds a block of the best chain by hash, looking at every height: fine for test
// chains of a few hundred blocks.
func (s *Server) heightOf(ctx context.Context, hash chainhash.Hash) (*wire.BlockHeader, error) {
	t, err := s.be.Tip(ctx)
	if err != nil {
		return nil, err
	}
	heights := make([]int32, t.Height+1)
	for i := range heights {
		heights[i] = int32(i)
	}
	hdrs, err := s.be.BlockHeaders(ctx, heights)
	if err != nil {
		return nil, err
	}
	for _, h := range hdrs {
		if h.BlockHash() == hash {
			return h, nil
		}
	}
	return nil, notFound("Block not found")
}

func (s *Server) header(ctx context.Context, w http.ResponseWriter, arg string) error {
	hash, err := netutil.ParseHash(arg)
	if err != nil {
		return badRequest("Invalid hash string")
	}
	h, err := s.heightOf(ctx, hash)
	if err != nil {
		return err
	}
	return text(w, netutil.EncodeHeader(h))
}

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

func (s *Server) txByID(ctx context.Context, arg string) (*wire.MsgTx, error) {
	id, err := netutil.ParseHash(arg)
	if err != nil {
		return nil, badRequest("Invalid hash string")
	}
	txs, err := s.be.Transactions(ctx, []chainhash.Hash{id})
	if err != nil || len(txs) != 1 || txs[0] == nil {
		// chain.Backend has no "not found": an error for one id means the backend lacks it.
		return nil, notFound("Transaction not found")
	}
	return txs[0], nil
}

func (s *Server) txHex(ctx context.Context, w http.ResponseWriter, arg string) error {
	tx, err := s.txByID(ctx, arg)
	if err != nil {
		return err
	}
	h, err := netutil.EncodeTx(tx)
	if err != nil {
		return err
	}
	return text(w, h)
}

// txStatus finds the transaction's height through the history of its first output's script:
// every transaction is in the history of the scripts it pays.
func (s *Server) txStatus(ctx context.Context, w http.ResponseWriter, arg string) error {
	tx, err := s.txByID(ctx, arg)
	if err != nil {
		if he, ok := err.(httpError); ok && he.status == http.StatusNotFound {
			return jsonOut(w, status{})
		}
		return err
	}
	id := tx.TxHash()
	item := chain.HistoryItem{TxID: id}
	if len(tx.TxOut) > 0 {
		hists, err := s.be.ScriptHistories(ctx, [][]byte{tx.TxOut[0].PkScript})
		if err != nil {
			return err
		}
		for _, it := range hists[0] {
			if it.TxID == id {
				item = it
			}
		}
	}
	sts, err := s.statuses(ctx, []chain.HistoryItem{item})
	if err != nil {
		return err
	}
	return jsonOut(w, sts[0])
}

// broadcast answers POST /tx: the txid, or HTTP 400 with the reject text in the form electrs
// relays bitcoind's errors.
func (s *Server) broadcast(ctx context.Context, w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return badRequest(err.Error())
	}
	raw, err := hex.DecodeString(strings.TrimSpace(string(body)))
	if err != nil {
		return badRequest("Invalid hex string")
	}
	tx := new(wire.MsgTx)
	if err := tx.Deserialize(strings.NewReader(string(raw))); err != nil {
		return badRequest(fmt.Sprintf("sendrawtransaction RPC error: {\"code\":-22,\"message\":%q}", "TX decode failed"))
	}
	id, err := s.be.Broadcast(ctx, tx)
	var be *chain.BroadcastError
	if errors.As(err, &be) {
		msg, _ := json.Marshal(be.Message)
		return badRequest(fmt.Sprintf("sendrawtransaction RPC error: {\"code\":-26,\"message\":%s}", msg))
	}
	if err != nil {
		return err
	}
	return text(w, id.String())
}

// feeEstimates answers the backend's estimate for each target that has one, in sat/vB.
func (s *Server) feeEstimates(ctx context.Context, w http.ResponseWriter) error {
	var b strings.Builder
	b.WriteString("{")
	first := true
	for _, t := range feeTargets {
		r, err := s.be.EstimateFee(ctx, t)
		if errors.Is(err, chain.ErrNoEstimate) {
			continue
		}
		if err != nil {
			return err
		}
		if !first {
			b.WriteString(",")
		}
		first = false
		// FeeRate.String is sat/vB with up to three decimals: a JSON number.
		fmt.Fprintf(&b, "%q:%s", strconv.Itoa(t), r.String())
	}
	b.WriteString("}")
	w.Header().Set("Content-Type", "application/json")
	_, err := io.WriteString(w, b.String())
	return err
}
