package esploratest

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

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
