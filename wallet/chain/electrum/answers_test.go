package electrum

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func TestMempoolHeightsMapToZero(t *testing.T) {
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool {
		fmt.Fprintln(w, result(reqs[0].ID, fmt.Sprintf(`[{"tx_hash":"%s","height":5},{"tx_hash":"%s","height":0,"fee":200},{"tx_hash":"%s","height":-1,"fee":100}]`,
			txid(1), txid(2), txid(3))))
		return true
	})
	b := dialScripted(t, s, options{})
	got, err := b.ScriptHistories(context.Background(), [][]byte{script(1)})
	if err != nil {
		t.Fatal(err)
	}
	want := []chain.HistoryItem{{TxID: txid(1), Height: 5}, {TxID: txid(2)}, {TxID: txid(3)}}
	if !reflect.DeepEqual(got[0], want) {
		t.Fatalf("got %v", got[0])
	}
}

func TestJSONRPCErrorIsRefused(t *testing.T) {
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool {
		var lines []string
		for i, r := range reqs {
			if i == 1 {
				lines = append(lines, rpcErrorLine(r.ID, 1, "history too large"))
			} else {
				lines = append(lines, result(r.ID, "[]"))
			}
		}
		fmt.Fprintf(w, "[%s]\n", strings.Join(lines, ","))
		return true
	})
	b := dialScripted(t, s, options{})
	_, err := b.ScriptHistories(context.Background(), [][]byte{script(1), script(2), script(3)})
	if kindOf(err) != netutil.KindRefused || !strings.Contains(err.Error(), "code 1: history too large") ||
		!strings.Contains(err.Error(), s.url()) {
		t.Fatalf("err = %v", err)
	}
}

func TestBadAnswersAreErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reply func(reqs []rawReq) string
		call  func(b *Backend) error
		want  string
	}{
		{"malformed JSON", func([]rawReq) string { return `{"jsonrpc":"2.0","id":` }, func(b *Backend) error {
			_, err := b.Tip(context.Background())
			return err
		}, "not a JSON-RPC message"},
		{"answer to an id not asked", func(reqs []rawReq) string { return result(reqs[0].ID+100, "1") }, func(b *Backend) error {
			_, err := b.RelayFee(context.Background())
			return err
		}, "which was not asked"},
		{"neither result nor error", func(reqs []rawReq) string { return fmt.Sprintf(`{"id":%d}`, reqs[0].ID) }, func(b *Backend) error {
			_, err := b.RelayFee(context.Background())
			return err
		}, "neither result nor error"},
		{"tip without hex", func(reqs []rawReq) string { return result(reqs[0].ID, `{"height":5}`) }, func(b *Backend) error {
			_, err := b.Tip(context.Background())
			return err
		}, "not {height, hex}"},
		{"history not a list", func(reqs []rawReq) string { return result(reqs[0].ID, `"nope"`) }, func(b *Backend) error {
			_, err := b.ScriptHistories(context.Background(), [][]byte{script(1)})
			return err
		}, "not a list"},
		{"history height -2", func(reqs []rawReq) string {
			return result(reqs[0].ID, fmt.Sprintf(`[{"tx_hash":"%s","height":-2}]`, txid(1)))
		}, func(b *Backend) error {
			_, err := b.ScriptHistories(context.Background(), [][]byte{script(1)})
			return err
		}, "at height -2"},
		{"history cut short (1.5 form)", func(reqs []rawReq) string {
			return result(reqs[0].ID, `{"from_height":0,"to_height":100,"history":[]}`)
		}, func(b *Backend) error {
			_, err := b.ScriptHistories(context.Background(), [][]byte{script(1)})
			return err
		}, "cut the history short"},
		{"transaction of another id", func(reqs []rawReq) string {
			h, _ := netutil.EncodeTx(chaintest.Pay(5, wire.NewTxOut(1, script(1))))
			return result(reqs[0].ID, `"`+h+`"`)
		}, func(b *Backend) error {
			_, err := b.Transactions(context.Background(), []chainhash.Hash{txid(1)})
			return err
		}, "asked for transaction"},
		{"headers that do not link", func(reqs []rawReq) string {
			var lines []string
			for i, r := range reqs {
				h := wire.BlockHeader{Version: 4, Nonce: uint32(i), Timestamp: time.Unix(1700000000, 0)}
				lines = append(lines, result(r.ID, `"`+netutil.EncodeHeader(&h)+`"`))
			}
			return "[" + strings.Join(lines, ",") + "]"
		}, func(b *Backend) error {
			_, err := b.BlockHeaders(context.Background(), []int32{7, 8})
			return err
		}, "does not follow"},
		{"short header", func(reqs []rawReq) string { return result(reqs[0].ID, `"0100"`) }, func(b *Backend) error {
			_, err := b.BlockHeaders(context.Background(), []int32{7})
			return err
		}, "not 80"},
		{"fee not a number", func(reqs []rawReq) string { return result(reqs[0].ID, `"0.0001"`) }, func(b *Backend) error {
			_, err := b.EstimateFee(context.Background(), 2)
			return err
		}, "not a usable number"},
		{"broadcast answers another id", func(reqs []rawReq) string { return result(reqs[0].ID, `"`+txid(9).String()+`"`) }, func(b *Backend) error {
			_, err := b.Broadcast(context.Background(), chaintest.Pay(5, wire.NewTxOut(1, script(1))))
			return err
		}, "the server answered id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool {
				fmt.Fprintln(w, tc.reply(reqs))
				return true
			})
			b := dialScripted(t, s, options{})
			err := tc.call(b)
			if !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), tc.want) ||
				!strings.Contains(err.Error(), s.url()) {
				t.Fatalf("err = %v, want an unreachable error naming the server and saying %q", err, tc.want)
			}
		})
	}
}

func TestEstimateFeeAnswers(t *testing.T) {
	for _, tc := range []struct {
		answer string
		want   txbuilder.FeeRate // -1: ErrNoEstimate
	}{
		{"0.00101079", 101079},
		{"1e-05", 1000},
		{"0.000005", 500},
		{"-1", -1},
		{"0", -1},
	} {
		s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool {
			fmt.Fprintln(w, result(reqs[0].ID, tc.answer))
			return true
		})
		b := dialScripted(t, s, options{})
		got, err := b.EstimateFee(context.Background(), 3)
		if tc.want < 0 {
			if !errors.Is(err, chain.ErrNoEstimate) {
				t.Errorf("%s: %v, %v; want ErrNoEstimate", tc.answer, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: %v, %v; want %v", tc.answer, got, err, tc.want)
		}
	}
}

func TestTipGoingBackwardsAndHeightsAboveIt(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, options{})
	r.chain.Mine(5)
	if _, err := r.client.Tip(ctx); err != nil {
		t.Fatal(err)
	}
	r.chain.Disconnect(1)
	if _, err := r.client.Tip(ctx); !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), "went back from height 5 to 4") {
		t.Fatalf("err = %v", err)
	}
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool {
		switch reqs[0].Method {
		case "blockchain.headers.subscribe":
			h := wire.BlockHeader{Version: 4}
			fmt.Fprintln(w, result(reqs[0].ID, fmt.Sprintf(`{"height":3,"hex":"%s"}`, netutil.EncodeHeader(&h))))
		default:
			fmt.Fprintln(w, result(reqs[0].ID, fmt.Sprintf(`[{"tx_hash":"%s","height":4}]`, txid(1))))
		}
		return true
	})
	b := dialScripted(t, s, options{})
	if _, err := b.Tip(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ScriptHistories(ctx, [][]byte{script(1)}); !strings.Contains(fmt.Sprint(err), "above the tip 3") {
		t.Fatalf("err = %v", err)
	}
}

func TestWrongNetworkIsRefused(t *testing.T) {
	c := chaintest.New()
	s := electrumtest.Start(t, c)
	_, err := dial(context.Background(), s.URL(), &chaincfg.MainNetParams, options{})
	if !errors.Is(err, ErrWrongNetwork) || !errors.Is(err, chain.ErrUnreachable) {
		t.Fatalf("err = %v", err)
	}
}
