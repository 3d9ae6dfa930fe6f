package store

import (
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FileName is the store's file name inside a wallet folder.
const FileName = "wallet.db"

// ErrBusy means another process holds the wallet's write lock.
var ErrBusy = errors.New("wallet busy")

// ErrNotFound means the store has no such record.
var ErrNotFound = errors.New("not found")

// ErrNewerSchema means the file was written by a newer satchel.
var ErrNewerSchema = errors.New("wallet.db was written by a newer satchel")

// ErrDamaged means the file is not a bbolt database, or one whose pages fail their checks:
// damaged, or another file put in its place.
var ErrDamaged = errors.New("the file is damaged or is not a satchel wallet database")

var (
	bucketMeta     = []byte("meta")
	bucketAccounts = []byte("accounts")
	bucketAddrs    = []byte("addrs")
	bucketAddrIdx  = []byte("addridx")
	bucketTxs      = []byte("txs")
	bucketHist     = []byte("hist")
	bucketCoins    = []byte("coins")
	bucketFrozen   = []byte("frozen")
	bucketLabels   = []byte("labels")
	bucketTips     = []byte("tips")
)

var allBuckets = [][]byte{bucketMeta, bucketAccounts, bucketAddrs, bucketAddrIdx, bucketTxs,
	bucketHist, bucketCoins, bucketFrozen, bucketLabels}

// Store is an open wallet.db.
type Store struct {
	db   *bolt.DB
	path string
}

// Options say how to open a store.
type Options struct {
	// ReadOnly opens with a shared lock; writes fail.
	ReadOnly bool
	// Timeout bounds the wait for the file lock; zero means 2 seconds.
	Timeout time.Duration
	// Create allows making a new file; without it a missing file is an error.
	Create bool
}

// Open opens (or with Create, makes) the store at path.
func Open(path string, o Options) (*Store, error) {
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Second
	}
	if !o.Create {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		ReadOnly:     o.ReadOnly,
		Timeout:      o.Timeout,
		FreelistType: bolt.FreelistMapType,
	})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("open %s: %w", path, ErrBusy)
		}
		if errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrVersionMismatch) || errors.Is(err, berrors.ErrChecksum) {
			return nil, fmt.Errorf("open %s: %w", path, ErrDamaged)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	if !o.ReadOnly {
		if err := s.migrate(); err != nil {
			db.Close()
			return nil, err
		}
	} else if err := s.checkSchema(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Path is the file's path.
func (s *Store) Path() string { return s.path }

// Close releases the file and its lock.
func (s *Store) Close() error { return s.db.Close() }

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Txn) error) error {
	return s.db.View(func(btx *bolt.Tx) error { return fn(&Txn{btx: btx}) })
}

// Update runs fn in a write transaction. Nothing is committed when fn changed nothing, so a
// command that turns out to have nothing to do leaves the file's bytes as they were.
func (s *Store) Update(fn func(*Txn) error) error {
	btx, err := s.db.Begin(true)
	if err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	tx := &Txn{btx: btx, writable: true}
	if err := fn(tx); err != nil {
		_ = btx.Rollback()
		return err
	}
	if !tx.dirty {
		return btx.Rollback()
	}
	if err := btx.Commit(); err != nil {
		return fmt.Errorf("store %s: commit: %w", s.path, err)
	}
	return nil
}

// Txn is a transaction on the store, read-only or writable.
type Txn struct {
	btx      *bolt.Tx
	writable bool
	dirty    bool
}

func (t *Txn) bucket(name []byte) *bolt.Bucket { return t.btx.Bucket(name) }

func (t *Txn) put(name, k, v []byte) error {
	t.dirty = true
	return t.btx.Bucket(name).Put(k, v)
}

func (t *Txn) del(name, k []byte) error {
	t.dirty = true
	return t.btx.Bucket(name).Delete(k)
}
