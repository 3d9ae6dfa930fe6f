package electrumtest_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
)

// rawSession is a hand-driven client connection.
type rawSession struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func openRaw(t *testing.T, addr string) *rawSession {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s := &rawSession{t: t, c: c, r: bufio.NewReader(c)}
	s.send(`{"id":0,"method":"server.version","params":["x","1.4"]}`)
	s.read()
	return s
}

func (s *rawSession) send(line string) {
	s.t.Helper()
	if _, err := s.c.Write([]byte(line + "\n")); err != nil {
		s.t.Fatal(err)
	}
}

// read returns the next message, decoded.
func (s *rawSession) read() map[string]json.RawMessage {
	s.t.Helper()
	s.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := s.r.ReadBytes('\n')
	if err != nil {
		s.t.Fatalf("read: %v", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		s.t.Fatalf("%q: %v", line, err)
	}
	return m
}

// wantStatus is the protocol's status, computed here from the history text.
func wantStatus(history string) string {
	sum := sha256.Sum256([]byte(history))
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

func TestScriptHashSubscribe(t *testing.T) {
	fc := chaintest.New()
	srv := electrumtest.Start(t, fc)
	sc := []byte{0x00, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	srv.Watch(sc)
	sh := electrum.ScriptHash(sc)
	s := openRaw(t, srv.Addr())

	// No history yet: status null.
	s.send(fmt.Sprintf(`{"id":1,"method":"blockchain.scripthash.subscribe","params":["%s"]}`, sh))
	if m := s.read(); string(m["result"]) != "null" || string(m["id"]) != "1" {
		t.Fatalf("status of an unused script: %v", m)
	}
	s.send(`{"id":2,"method":"blockchain.headers.subscribe","params":[]}`)
	if m := s.read(); string(m["id"]) != "2" {
		t.Fatalf("headers.subscribe: %v", m)
	}

	// A mempool payment: a notification with the new status, "txid:0:".
	tx := chaintest.Pay(1, wire.NewTxOut(1_000, sc))
	fc.AddMempool(tx)
	srv.Notify()
	m := s.read()
	var params []json.RawMessage
	json.Unmarshal(m["params"], &params)
	if string(m["method"]) != `"blockchain.scripthash.subscribe"` || m["id"] != nil || len(params) != 2 ||
		string(params[0]) != `"`+sh+`"` || string(params[1]) != wantStatus(tx.TxHash().String()+":0:") {
		t.Fatalf("notification %v, want status of %s:0:", m, tx.TxHash())
	}

	// Mined: a new tip (headers notification) and a new status, in either order.
	fc.Mine(1)
	srv.Notify()
	got := map[string]string{}
	for range 2 {
		m := s.read()
		var p []json.RawMessage
		json.Unmarshal(m["params"], &p)
		got[string(m["method"])] = string(p[len(p)-1])
	}
	if got[`"blockchain.scripthash.subscribe"`] != wantStatus(tx.TxHash().String()+":1:") {
		t.Fatalf("status after mining: %v", got)
	}
	var tip struct{ Height int32 }
	if err := json.Unmarshal([]byte(got[`"blockchain.headers.subscribe"`]), &tip); err != nil || tip.Height != 1 {
		t.Fatalf("headers notification %v", got)
	}

	// Nothing changed: nothing sent. The next message is the answer to a ping.
	srv.Notify()
	s.send(`{"id":3,"method":"server.ping","params":[]}`)
	if m := s.read(); string(m["id"]) != "3" {
		t.Fatalf("a notification without a change: %v", m)
	}

	// A bad script hash is refused.
	s.send(`{"id":4,"method":"blockchain.scripthash.subscribe","params":["xyz"]}`)
	if m := s.read(); m["error"] == nil {
		t.Fatalf("bad script hash: %v", m)
	}
}
