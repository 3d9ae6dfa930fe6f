package electrum

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"sort"
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
	"github.com/satchel-wallet/satchel/wallet/chain/netutil/socks5test"
)

func sorted(h []chain.HistoryItem) []chain.HistoryItem {
	out := append([]chain.HistoryItem(nil), h...)
	sort.Slice(out, func(i, j int) bool { return out[i].TxID.String() < out[j].TxID.String() })
	return out
}

func kindOf(err error) netutil.Kind {
	var ne *netutil.Error
	if errors.As(err, &ne) {
		return ne.Kind
	}
	return ""
}

func txid(n int) chainhash.Hash { return chainhash.DoubleHashH([]byte(fmt.Sprint("tx", n))) }

// TestClientOverServerMatchesTheChain: the client, over the test server, over the fake chain,
// gives what the fake chain gives directly.
func TestClientOverServerMatchesTheChain(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	c := r.chain
	a, b, unused := script(1), script(2), script(3)
	c.Mine(3)
	pay(c, a, 30, 7, 100)
	pay(c, b, 2, 1, 200)
	hist, _ := c.ScriptHistories(ctx, [][]byte{a})
	spent := hist[0][0].TxID
	spend := wire.NewMsgTx(2)
	spend.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&spent, 0), nil, nil))
	spend.AddTxOut(wire.NewTxOut(500, b))
	c.AddMempool(spend)
	c.Mine(1)
	pay(c, a, 3, 0, 300)
	pay(c, b, 1, 0, 400)
	r.server.Watch(a, b, unused)

	scripts := [][]byte{a, b, unused}
	want, _ := c.ScriptHistories(ctx, scripts)
	got, err := r.client.ScriptHistories(ctx, scripts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range scripts {
		if !reflect.DeepEqual(sorted(got[i]), sorted(want[i])) {
			t.Errorf("script %d: client %v, chain %v", i, sorted(got[i]), sorted(want[i]))
		}
	}
	if len(got[0]) != 34 || len(got[2]) != 0 {
		t.Fatalf("a has %d items, unused %d", len(got[0]), len(got[2]))
	}

	wantTip, _ := c.Tip(ctx)
	if tip, err := r.client.Tip(ctx); err != nil || tip != wantTip {
		t.Fatalf("Tip = %+v, %v; want %+v", tip, err, wantTip)
	}

	var ids []chainhash.Hash
	for _, it := range got[0] {
		ids = append(ids, it.TxID)
	}
	ids = append(ids, ids[0]) // asked twice
	txs, err := r.client.Transactions(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ids {
		if txs[i].TxHash() != ids[i] {
			t.Fatalf("transaction %d: %s, want %s", i, txs[i].TxHash(), ids[i])
		}
	}
	if txs[0] == txs[len(txs)-1] {
		t.Fatal("an id asked twice shares one transaction")
	}

	heights := []int32{0, 5, 6, wantTip.Height, 5}
	hdrs, err := r.client.BlockHeaders(ctx, heights)
	if err != nil {
		t.Fatal(err)
	}
	wantHdrs, _ := c.BlockHeaders(ctx, heights)
	for i := range heights {
		if hdrs[i].BlockHash() != wantHdrs[i].BlockHash() {
			t.Fatalf("header at %d differs", heights[i])
		}
	}

	if _, err := r.client.EstimateFee(ctx, 6); !errors.Is(err, chain.ErrNoEstimate) {
		t.Fatalf("EstimateFee without estimate: %v", err)
	}
	c.Fee, c.Relay = 2501, 100
	if fee, err := r.client.EstimateFee(ctx, 6); err != nil || fee != 2501 {
		t.Fatalf("EstimateFee = %v, %v", fee, err)
	}
	if relay, err := r.client.RelayFee(ctx); err != nil || relay != 100 {
		t.Fatalf("RelayFee = %v, %v", relay, err)
	}

	fresh := chaintest.Pay(999, wire.NewTxOut(1234, b))
	if id, err := r.client.Broadcast(ctx, fresh); err != nil || id != fresh.TxHash() {
		t.Fatalf("Broadcast = %s, %v", id, err)
	}
	var be *chain.BroadcastError
	if _, err := r.client.Broadcast(ctx, fresh); !errors.As(err, &be) || be.Cause != chain.CauseAlreadyInChain {
		t.Fatalf("second Broadcast: %v", err)
	}
	double := wire.NewMsgTx(2)
	double.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&spent, 0), nil, nil))
	double.AddTxOut(wire.NewTxOut(400, a))
	_, err = r.client.Broadcast(ctx, double)
	if !errors.As(err, &be) || be.Cause != chain.CauseConflict ||
		be.Message != "the transaction was rejected by network rules.\n\noutput already spent" {
		t.Fatalf("double spend: %#v", err)
	}
}

func TestBatchOfManyScriptsIsOneMessage(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	var scripts [][]byte
	for i := 0; i < 600; i++ {
		scripts = append(scripts, script(i))
	}
	r.server.Watch(scripts...)
	pay(r.chain, scripts[7], 3, 2, 1)
	pay(r.chain, scripts[599], 1, 0, 50)
	for _, tc := range []struct{ n, messages int }{{200, 1}, {250, 1}, {600, 3}} {
		r.chain.ResetCalls()
		before, beforeSrv := r.client.RoundTrips(), r.server.Messages()
		got, err := r.client.ScriptHistories(ctx, scripts[:tc.n])
		if err != nil {
			t.Fatal(err)
		}
		if d := r.client.RoundTrips() - before; d != int64(tc.messages) {
			t.Errorf("%d scripts: %d round trips, want %d", tc.n, d, tc.messages)
		}
		if d := r.server.Messages() - beforeSrv; d != int64(tc.messages) {
			t.Errorf("%d scripts: the server read %d messages, want %d", tc.n, d, tc.messages)
		}
		if len(got) != tc.n || len(got[7]) != 3 {
			t.Fatalf("%d scripts: got %d histories, script 7 has %d", tc.n, len(got), len(got[7]))
		}
	}
}

func TestNoBatchSendsOneMessagePerScript(t *testing.T) {
	r := newRig(t, Options{NoBatch: true})
	var scripts [][]byte
	for i := 0; i < 20; i++ {
		scripts = append(scripts, script(i))
	}
	before := r.client.RoundTrips()
	if _, err := r.client.ScriptHistories(context.Background(), scripts); err != nil {
		t.Fatal(err)
	}
	if d := r.client.RoundTrips() - before; d != 20 {
		t.Fatalf("%d round trips, want 20", d)
	}
}

func TestVersionNegotiation(t *testing.T) {
	for _, tc := range []struct {
		name    string
		version string // the server's answer; "" hangs up
		ok      bool
		want    string
	}{
		{"server picks 1.4", `"1.4"`, true, ""},
		{"server picks 1.4.2", `"1.4.2"`, true, ""},
		{"server picks 1.5 anyway", `"1.5"`, false, "outside 1.4 to 1.4.2"},
		{"server picks 1.2", `"1.2"`, false, "outside"},
		{"garbage version", `"one"`, false, "outside"},
		{"no common version: the server hangs up", "", false, "server.version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool { return true })
			s.version = tc.version
			b, err := Dial(context.Background(), s.url(), nil, Options{UserAgent: "satchel-test"})
			if (err == nil) != tc.ok {
				t.Fatalf("Dial: %v", err)
			}
			if err != nil {
				if !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err = %v, want it to say %q", err, tc.want)
				}
				return
			}
			defer b.Close()
			if v := b.Version(); v != strings.Trim(tc.version, `"`) {
				t.Fatalf("Version = %q", v)
			}
			first := s.seen()[0]
			if !strings.Contains(first, `"method":"server.version","params":["satchel-test",["1.4","1.4.2"]]`) {
				t.Fatalf("first message %s", first)
			}
		})
	}
}

func TestVersionRefusedByError(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		bufio.NewReader(c).ReadString('\n')
		fmt.Fprintln(c, rpcErrorLine(1, 1, "unsupported protocol version: 1.4.2"))
	}()
	_, err := Dial(context.Background(), "electrum://"+ln.Addr().String(), nil, Options{})
	if kindOf(err) != netutil.KindRefused || !strings.Contains(err.Error(), "unsupported protocol version") {
		t.Fatalf("err = %v", err)
	}
}

// Answers come in any order, split over lines, with notifications between.
func TestOutOfOrderAnswersAreMatchedByID(t *testing.T) {
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool {
		// A notification first, as after headers.subscribe.
		fmt.Fprintln(w, `{"jsonrpc":"2.0","method":"blockchain.headers.subscribe","params":[{"height":1,"hex":"00"}]}`)
		var lines []string
		for i := len(reqs) - 1; i >= 0; i-- { // reversed
			var sh string
			json.Unmarshal(reqs[i].Params[0], &sh)
			n := int(sh[0]) // a history that depends on the script hash asked
			lines = append(lines, result(reqs[i].ID, fmt.Sprintf(`[{"tx_hash":"%s","height":%d}]`, txid(n), n)))
		}
		half := len(lines) / 2
		fmt.Fprintf(w, "[%s]\n", strings.Join(lines[:half], ","))
		for _, l := range lines[half:] { // the rest one per line
			fmt.Fprintln(w, l)
		}
		return true
	})
	b := dialScripted(t, s, Options{})
	var scripts [][]byte
	for i := 0; i < 40; i++ {
		scripts = append(scripts, script(i))
	}
	got, err := b.ScriptHistories(context.Background(), scripts)
	if err != nil {
		t.Fatal(err)
	}
	for i, sc := range scripts {
		n := int(ScriptHash(sc)[0])
		if len(got[i]) != 1 || got[i][0].TxID != txid(n) || got[i][0].Height != int32(n) {
			t.Fatalf("script %d got %v, want %s at %d", i, got[i], txid(n), n)
		}
	}
	if len(s.seen()) != 2 {
		t.Fatalf("messages sent: %v", s.seen())
	}
}

func TestMempoolHeightsMapToZero(t *testing.T) {
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool {
		fmt.Fprintln(w, result(reqs[0].ID, fmt.Sprintf(`[{"tx_hash":"%s","height":5},{"tx_hash":"%s","height":0,"fee":200},{"tx_hash":"%s","height":-1,"fee":100}]`,
			txid(1), txid(2), txid(3))))
		return true
	})
	b := dialScripted(t, s, Options{})
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
	b := dialScripted(t, s, Options{})
	_, err := b.ScriptHistories(context.Background(), [][]byte{script(1), script(2), script(3)})
	if kindOf(err) != netutil.KindRefused || !strings.Contains(err.Error(), "code 1: history too large") ||
		!strings.Contains(err.Error(), s.url()) {
		t.Fatalf("err = %v", err)
	}
}

func TestDroppedConnectionMidBatch(t *testing.T) {
	drop := true
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool {
		var lines []string
		for _, r := range reqs {
			lines = append(lines, result(r.ID, "[]"))
		}
		full := "[" + strings.Join(lines, ",") + "]\n"
		if drop {
			drop = false
			w.WriteString(full[:len(full)/2]) // half an answer, then hang up
			return false
		}
		w.WriteString(full)
		return true
	})
	b := dialScripted(t, s, Options{})
	scripts := [][]byte{script(1), script(2), script(3), script(4)}
	_, err := b.ScriptHistories(context.Background(), scripts)
	if kindOf(err) != netutil.KindDropped || !errors.Is(err, chain.ErrUnreachable) ||
		!strings.Contains(err.Error(), "the connection dropped") {
		t.Fatalf("err = %v", err)
	}
	// The next call dials again and works.
	got, err := b.ScriptHistories(context.Background(), scripts)
	if err != nil || len(got) != 4 {
		t.Fatalf("after redial: %v, %v", got, err)
	}
	if n := s.conns.Load(); n != 2 {
		t.Fatalf("%d connections, want 2", n)
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
			b := dialScripted(t, s, Options{})
			err := tc.call(b)
			if !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), tc.want) ||
				!strings.Contains(err.Error(), s.url()) {
				t.Fatalf("err = %v, want an unreachable error naming the server and saying %q", err, tc.want)
			}
		})
	}
}

func TestSilentServerTimesOut(t *testing.T) {
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool { return true })
	b := dialScripted(t, s, Options{Timeout: 200 * time.Millisecond})
	start := time.Now()
	_, err := b.Tip(context.Background())
	if kindOf(err) != netutil.KindSlow || !errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "no answer within 200ms") {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("took %v", time.Since(start))
	}
}

func TestDeadServerIsUnreachable(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	_, err := Dial(context.Background(), "electrum://"+addr, nil, Options{})
	if kindOf(err) != netutil.KindUnreachable || !strings.Contains(err.Error(), "cannot reach the server") {
		t.Fatalf("err = %v", err)
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
		b := dialScripted(t, s, Options{})
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
	r := newRig(t, Options{})
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
	b := dialScripted(t, s, Options{})
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
	_, err := Dial(context.Background(), s.URL(), &chaincfg.MainNetParams, Options{})
	if !errors.Is(err, ErrWrongNetwork) || !errors.Is(err, chain.ErrUnreachable) {
		t.Fatalf("err = %v", err)
	}
}

// selfSigned makes a certificate for 127.0.0.1 and writes it, PEM, to a file.
func selfSigned(t *testing.T, name string) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name+".pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, path
}

func TestTLSWithAPinnedSelfSignedCertificate(t *testing.T) {
	ctx := context.Background()
	c := chaintest.New()
	c.Mine(2)
	cert, certPath := selfSigned(t, "electrum-test")
	_, otherPath := selfSigned(t, "someone-else")
	s := electrumtest.Start(t, c, electrumtest.WithTLS(cert))
	params := paramsFor(t, c)

	b, err := Dial(ctx, s.URL()+"?cert="+certPath, params, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if tip, err := b.Tip(ctx); err != nil || tip.Height != 2 {
		t.Fatalf("Tip over TLS = %+v, %v", tip, err)
	}

	_, err = Dial(ctx, s.URL(), params, Options{})
	if kindOf(err) != netutil.KindUnreachable || !strings.Contains(err.Error(), "?cert=PATH") {
		t.Fatalf("without the pin: %v", err)
	}
	_, err = Dial(ctx, s.URL()+"?cert="+otherPath, params, Options{})
	if !errors.Is(err, ErrCertMismatch) {
		t.Fatalf("with another pin: %v", err)
	}
	_, err = Dial(ctx, s.URL()+"?cert="+filepath.Join(t.TempDir(), "missing.pem"), params, Options{})
	if err == nil || !strings.Contains(err.Error(), "read the server's certificate") {
		t.Fatalf("with a missing file: %v", err)
	}
}

func TestThroughSOCKS5ToAnOnion(t *testing.T) {
	ctx := context.Background()
	c := chaintest.New()
	c.Mine(3)
	s := electrumtest.Start(t, c)
	p := socks5test.Start(t, func(string, uint16) string { return s.Addr() })
	onion := strings.Repeat("d", 56) + ".onion"
	b, err := Dial(ctx, "electrum://"+onion+":50001", paramsFor(t, c), Options{Proxy: p.URL()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if tip, err := b.Tip(ctx); err != nil || tip.Height != 3 {
		t.Fatalf("Tip through the proxy = %+v, %v", tip, err)
	}
	reqs := p.Requests()
	if len(reqs) != 1 || reqs[0].AddrType != 3 || reqs[0].Host != onion || reqs[0].Port != 50001 {
		t.Fatalf("proxy saw %+v", reqs)
	}
}

func TestURLRules(t *testing.T) {
	for _, tc := range []struct {
		url, proxy string
		want       string // "" when it parses
	}{
		{"electrums://electrum.example:50002", "", ""},
		{"electrum://127.0.0.1:50001", "", ""},
		{"electrums://[::1]:50002?cert=/tmp/c.pem", "", ""},
		{"electrum://" + strings.Repeat("e", 56) + ".onion:50001", "socks5://127.0.0.1:9050", ""},
		{"electrum://" + strings.Repeat("e", 56) + ".onion:50001", "", "through Tor"},
		{"electrum://electrum.example", "", "missing port"},
		{"electrum://electrum.example:0", "", "port out of range"},
		{"tcp://electrum.example:50001", "", "electrums://HOST:PORT"},
		{"electrum://user:pw@electrum.example:50001", "", "no login"},
		{"electrum://electrum.example:50001/path", "", "no path"},
		{"electrum://electrum.example:50001?cert=/x.pem", "", "only used with electrums"},
		{"electrums://electrum.example:50002?cert=", "", "needs a file path"},
		{"electrums://electrum.example:50002?tls=1", "", "unknown option"},
		{"electrums://electrum.example:50002?cert=a&cert=b", "", "more than once"},
		{"electrums://:50002", "", "missing host"},
	} {
		_, err := parseURL(tc.url)
		if err == nil && tc.proxy == "" && strings.Contains(tc.url, ".onion") {
			_, err = Dial(context.Background(), tc.url, nil, Options{})
		}
		if tc.want == "" {
			if err != nil {
				t.Errorf("%q: %v", tc.url, err)
			}
			continue
		}
		if !errors.Is(err, ErrBadURL) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want ErrBadURL saying %q", tc.url, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), ":pw@") {
			t.Errorf("%q: the error shows the password", tc.url)
		}
	}
}

func TestCloseCutsACallShortAndLaterCallsFail(t *testing.T) {
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool { return true })
	b := dialScripted(t, s, Options{})
	done := make(chan error, 1)
	go func() { _, err := b.Tip(context.Background()); done <- err }()
	time.Sleep(50 * time.Millisecond)
	b.Close()
	select {
	case err := <-done:
		if !errors.Is(err, chain.ErrUnreachable) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not cut the call short")
	}
	if _, err := b.RelayFee(context.Background()); !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("after Close: %v", err)
	}
}
