package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
	bolt "go.etcd.io/bbolt"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestRecordsRoundTrip(t *testing.T) {
	a := Addr{Purpose: 86, Chain: 1, Index: 7, Used: true, Status: [32]byte{1, 2, 3}}
	if got, err := decodeAddr(a.encode()); err != nil || got != a {
		t.Fatalf("addr %+v %v", got, err)
	}
	tx := &TxRecord{TxID: chainhash.Hash{9}, Raw: []byte{1, 2, 3}, Height: 101, BlockHash: chainhash.Hash{7}, BlockTime: 1700000000,
		FirstSeen: 1699999999, Status: StatusReplaced, Fee: -1, Net: -2100, Sent: true}
	got, err := decodeTx(tx.encode())
	if err != nil || got.TxID != tx.TxID || !bytes.Equal(got.Raw, tx.Raw) || got.Height != 101 || got.Status != StatusReplaced ||
		got.Fee != -1 || got.Net != -2100 || !got.Sent || got.BlockTime != tx.BlockTime {
		t.Fatalf("tx %+v %v", got, err)
	}
	c := Coin{OutPoint: wire.OutPoint{Hash: chainhash.Hash{5}, Index: 3}, Value: 2100, PkScript: []byte{0x51, 0x20, 1},
		Purpose: 84, Chain: 0, Index: 4, Height: 0, Coinbase: true, Own: true, Address: "bcrt1qexample"}
	gc, err := decodeCoin(outPointKey(c.OutPoint), c.encode())
	if err != nil || gc.OutPoint != c.OutPoint || gc.Value != c.Value || !bytes.Equal(gc.PkScript, c.PkScript) ||
		gc.Address != c.Address || !gc.Coinbase || !gc.Own || gc.Index != 4 {
		t.Fatalf("coin %+v %v", gc, err)
	}
	h := HistRow{TxID: chainhash.Hash{4}, Height: 5, Time: 6, Net: -7, Fee: 8, Status: StatusConflicted, Address: "tb1qx"}
	if gh, err := decodeHist(h.encode()); err != nil || gh != h {
		t.Fatalf("hist %+v %v", gh, err)
	}
	for _, short := range [][]byte{nil, {1}, make([]byte, 44)} {
		if _, err := decodeAddr(short); err == nil {
			t.Fatalf("short addr record %x accepted", short)
		}
		if _, err := decodeTx(short); err == nil {
			t.Fatalf("short tx record %x accepted", short)
		}
	}
}

func TestHistoryOrderNewestFirstPendingOnTop(t *testing.T) {
	s, _ := openTemp(t)
	rows := []HistRow{
		{TxID: chainhash.Hash{1}, Height: 100, Time: 1000},
		{TxID: chainhash.Hash{2}, Height: 0, Time: 500}, // pending
		{TxID: chainhash.Hash{3}, Height: 200, Time: 2000},
		{TxID: chainhash.Hash{4}, Height: 200, Time: 2001},
	}
	if err := s.Update(func(tx *Txn) error { return tx.ReplaceDerived(nil, rows) }); err != nil {
		t.Fatal(err)
	}
	var got []HistRow
	s.View(func(tx *Txn) error { var err error; got, err = tx.History(0, 0); return err })
	want := []byte{2, 4, 3, 1}
	for i, r := range got {
		if r.TxID[0] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
	s.View(func(tx *Txn) error { var err error; got, err = tx.History(1, 2); return err })
	if len(got) != 2 || got[0].TxID[0] != 4 || got[1].TxID[0] != 3 {
		t.Fatalf("offset 1 limit 2: %+v", got)
	}
}

func TestNoOpUpdateLeavesFileUntouched(t *testing.T) {
	s, path := openTemp(t)
	if err := s.Update(func(tx *Txn) error { return tx.PutMeta(Meta{Network: "regtest"}) }); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	// Writing the same values again, and a failing update, change nothing.
	if err := s.Update(func(tx *Txn) error { return tx.PutMeta(Meta{Network: "regtest"}) }); err != nil {
		t.Fatal(err)
	}
	s.Update(func(tx *Txn) error {
		tx.SetLabel("tx:x", "label")
		return errors.New("refused")
	})
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("a no-op or failed update changed wallet.db")
	}
}

func TestWriterTimesOutBusy(t *testing.T) {
	_, path := openTemp(t)
	start := time.Now()
	_, err := Open(path, Options{Timeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("second writer: %v, want ErrBusy", err)
	}
	if time.Since(start) < 100*time.Millisecond { // bbolt gives up one 50 ms retry early
		t.Fatal("did not wait for the lock")
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s, path := openTemp(t)
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put([]byte("schema"), []byte{0, 0, 0, 99}) })
	db.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("writer: %v", err)
	}
	if _, err := Open(path, Options{ReadOnly: true}); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("reader: %v", err)
	}
}

func TestMissingFileIsNotCreatedWithoutCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if _, err := Open(path, Options{}); err == nil {
		t.Fatal("opened a missing file")
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("created the file")
	}
}

func TestMigrateSchema1To2AddsTheTipQueue(t *testing.T) {
	s, path := openTemp(t)
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		tx.DeleteBucket(bucketTips)
		return tx.Bucket(bucketMeta).Put([]byte("schema"), []byte{0, 0, 0, 1})
	})
	db.Close()
	if _, err := Open(path, Options{ReadOnly: true}); err == nil {
		t.Fatal("a reader opened a schema-1 file without migrating")
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Update(func(tx *Txn) error {
		return tx.PutTip(Tip{ID: "t1", Amount: 2100})
	})
	if err != nil {
		t.Fatalf("after migration: %v", err)
	}
}
