package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

func (t *Txn) getJSON(bucket []byte, key []byte, v any) error {
	raw := t.bucket(bucket).Get(key)
	if raw == nil {
		return ErrNotFound
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode %s/%s: %w", bucket, key, err)
	}
	return nil
}

func (t *Txn) putJSON(bucket []byte, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if bytes.Equal(t.bucket(bucket).Get(key), raw) {
		return nil
	}
	return t.put(bucket, key, raw)
}

// Meta returns the wallet's fixed description.
func (t *Txn) Meta() (Meta, error) {
	var m Meta
	err := t.getJSON(bucketMeta, []byte("wallet"), &m)
	return m, err
}

// PutMeta writes the wallet's description.
func (t *Txn) PutMeta(m Meta) error { return t.putJSON(bucketMeta, []byte("wallet"), m) }

// SyncState returns the last sync's state; ErrNotFound before the first sync.
func (t *Txn) SyncState() (SyncState, error) {
	var s SyncState
	err := t.getJSON(bucketMeta, []byte("sync"), &s)
	return s, err
}

// PutSyncState records a finished sync.
func (t *Txn) PutSyncState(s SyncState) error { return t.putJSON(bucketMeta, []byte("sync"), s) }

// Setting returns a per-wallet setting stored in the file ("" when unset).
func (t *Txn) Setting(key string) string {
	return string(t.bucket(bucketMeta).Get([]byte("set:" + key)))
}

// PutSetting stores a per-wallet setting; an empty value removes it.
func (t *Txn) PutSetting(key, value string) error {
	k := []byte("set:" + key)
	if value == "" {
		if t.bucket(bucketMeta).Get(k) == nil {
			return nil
		}
		return t.del(bucketMeta, k)
	}
	if string(t.bucket(bucketMeta).Get(k)) == value {
		return nil
	}
	return t.put(bucketMeta, k, []byte(value))
}

func purposeKey(p uint32) []byte { return addrIdxKey(p, 0, 0)[:4] }

// Accounts lists the wallet's accounts in purpose order.
func (t *Txn) Accounts() ([]Account, error) {
	var out []Account
	err := t.bucket(bucketAccounts).ForEach(func(k, v []byte) error {
		var a Account
		if err := json.Unmarshal(v, &a); err != nil {
			return fmt.Errorf("decode account %x: %w", k, err)
		}
		out = append(out, a)
		return nil
	})
	return out, err
}

// PutAccount writes an account.
func (t *Txn) PutAccount(a Account) error {
	return t.putJSON(bucketAccounts, purposeKey(a.Purpose), a)
}

// Addr looks an address up by its output script.
func (t *Txn) Addr(pkScript []byte) (Addr, bool) {
	v := t.bucket(bucketAddrs).Get(pkScript)
	if v == nil {
		return Addr{}, false
	}
	a, err := decodeAddr(v)
	return a, err == nil
}

// PutAddr records an address and its place in the derivation order.
func (t *Txn) PutAddr(pkScript []byte, a Addr) error {
	enc := a.encode()
	if bytes.Equal(t.bucket(bucketAddrs).Get(pkScript), enc) {
		return nil
	}
	if err := t.put(bucketAddrs, pkScript, enc); err != nil {
		return err
	}
	return t.put(bucketAddrIdx, addrIdxKey(a.Purpose, a.Chain, a.Index), pkScript)
}

// AddrScript returns the script at purpose/chain/index, if derived.
func (t *Txn) AddrScript(purpose, chain, index uint32) ([]byte, bool) {
	v := t.bucket(bucketAddrIdx).Get(addrIdxKey(purpose, chain, index))
	if v == nil {
		return nil, false
	}
	return append([]byte(nil), v...), true
}

// ForEachAddr visits the addresses of one account and chain in index order.
func (t *Txn) ForEachAddr(purpose, chain uint32, fn func(pkScript []byte, a Addr) error) error {
	c := t.bucket(bucketAddrIdx).Cursor()
	prefix := addrIdxKey(purpose, chain, 0)[:8]
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		a, ok := t.Addr(v)
		if !ok {
			return fmt.Errorf("address index %x points to a missing address", k)
		}
		if err := fn(append([]byte(nil), v...), a); err != nil {
			return err
		}
	}
	return nil
}

// Tx returns a wallet transaction record.
func (t *Txn) Tx(txid chainhash.Hash) (*TxRecord, error) {
	v := t.bucket(bucketTxs).Get(txid[:])
	if v == nil {
		return nil, ErrNotFound
	}
	rec, err := decodeTx(v)
	if err != nil {
		return nil, fmt.Errorf("decode tx %s: %w", txid, err)
	}
	return rec, nil
}

// HasTx says whether the wallet knows a transaction.
func (t *Txn) HasTx(txid chainhash.Hash) bool { return t.bucket(bucketTxs).Get(txid[:]) != nil }

// PutTx writes a wallet transaction.
func (t *Txn) PutTx(rec *TxRecord) error {
	enc := rec.encode()
	if bytes.Equal(t.bucket(bucketTxs).Get(rec.TxID[:]), enc) {
		return nil
	}
	return t.put(bucketTxs, rec.TxID[:], enc)
}

// ForEachTx visits every wallet transaction.
func (t *Txn) ForEachTx(fn func(*TxRecord) error) error {
	return t.bucket(bucketTxs).ForEach(func(k, v []byte) error {
		rec, err := decodeTx(v)
		if err != nil {
			return fmt.Errorf("decode tx %x: %w", k, err)
		}
		return fn(rec)
	})
}

// ReplaceDerived swaps the coins and history for freshly computed ones, writing only what
// differs.
func (t *Txn) ReplaceDerived(coins []Coin, rows []HistRow) error {
	want := make(map[string][]byte, len(coins))
	for i := range coins {
		want[string(outPointKey(coins[i].OutPoint))] = coins[i].encode()
	}
	if err := t.sync(bucketCoins, want); err != nil {
		return err
	}
	hist := make(map[string][]byte, len(rows))
	for _, r := range rows {
		hist[string(histKey(r.Height, r.Time, r.TxID))] = r.encode()
	}
	return t.sync(bucketHist, hist)
}

// sync makes bucket hold exactly want.
func (t *Txn) sync(bucket []byte, want map[string][]byte) error {
	b := t.bucket(bucket)
	var stale [][]byte
	err := b.ForEach(func(k, v []byte) error {
		if w, ok := want[string(k)]; !ok {
			stale = append(stale, append([]byte(nil), k...))
		} else if bytes.Equal(w, v) {
			delete(want, string(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range stale {
		if err := t.del(bucket, k); err != nil {
			return err
		}
	}
	// Sorted inserts append to bbolt's pages instead of shifting them: linear, not quadratic.
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := t.put(bucket, []byte(k), want[k]); err != nil {
			return err
		}
	}
	return nil
}

// Coins lists the wallet's unspent outputs in outpoint order.
func (t *Txn) Coins() ([]Coin, error) {
	b := t.bucket(bucketCoins)
	// Sized at once: doubling a slice of 25,000 coins writes every one of them again, to fresh
	// pages. Counting reads only the pages' headers, which the loop reads next anyway.
	out := make([]Coin, 0, b.Stats().KeyN)
	err := b.ForEach(func(k, v []byte) error {
		c, err := decodeCoin(k, v)
		if err != nil {
			return fmt.Errorf("decode coin %x: %w", k, err)
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// History returns up to limit rows (all when limit <= 0), newest first, after skipping offset.
func (t *Txn) History(offset, limit int) ([]HistRow, error) {
	var out []HistRow
	err := t.EachHistory(offset, limit, func(h HistRow) error { out = append(out, h); return nil })
	return out, err
}

// EachHistory visits up to limit rows (all when limit <= 0), newest first, after skipping
// offset, without holding them all.
func (t *Txn) EachHistory(offset, limit int, fn func(HistRow) error) error {
	c := t.bucket(bucketHist).Cursor()
	i, n := 0, 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if i < offset {
			i++
			continue
		}
		h, err := decodeHist(v)
		if err != nil {
			return fmt.Errorf("decode history %x: %w", k, err)
		}
		if err := fn(h); err != nil {
			return err
		}
		if n++; limit > 0 && n >= limit {
			break
		}
	}
	return nil
}

// Frozen says whether a coin is frozen.
func (t *Txn) Frozen(op wire.OutPoint) bool {
	return t.bucket(bucketFrozen).Get(outPointKey(op)) != nil
}

// SetFrozen freezes or unfreezes a coin.
func (t *Txn) SetFrozen(op wire.OutPoint, frozen bool) error {
	k := outPointKey(op)
	if t.Frozen(op) == frozen {
		return nil
	}
	if frozen {
		return t.put(bucketFrozen, k, []byte{})
	}
	return t.del(bucketFrozen, k)
}

// Label returns the label stored under key ("" when none).
func (t *Txn) Label(key string) string { return string(t.bucket(bucketLabels).Get([]byte(key))) }

// SetLabel stores a label; an empty text removes it.
func (t *Txn) SetLabel(key, text string) error {
	if t.Label(key) == text {
		return nil
	}
	if text == "" {
		return t.del(bucketLabels, []byte(key))
	}
	return t.put(bucketLabels, []byte(key), []byte(text))
}

// Labels returns every label.
func (t *Txn) Labels() (map[string]string, error) {
	out := map[string]string{}
	err := t.bucket(bucketLabels).ForEach(func(k, v []byte) error {
		out[string(k)] = string(v)
		return nil
	})
	return out, err
}

// IsNotFound reports whether err means a missing record.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// CoinSummary is the part of a coin balances need, read without copying scripts or addresses.
type CoinSummary struct {
	OutPoint wire.OutPoint
	Value    int64
	Height   int32
	Coinbase bool
	Own      bool
	Frozen   bool
}

// ForEachCoinSummary visits every coin cheaply, with its frozen flag.
func (t *Txn) ForEachCoinSummary(fn func(CoinSummary)) error {
	frozen := t.bucket(bucketFrozen)
	return t.bucket(bucketCoins).ForEach(func(k, v []byte) error {
		if len(v) < 26 || len(k) != 36 {
			return fmt.Errorf("decode coin %x: %w", k, errShort)
		}
		fn(CoinSummary{
			OutPoint: decodeOutPointKey(k),
			Value:    int64(binary.BigEndian.Uint64(v[0:])),
			Height:   int32(binary.BigEndian.Uint32(v[20:])),
			Coinbase: v[24]&1 != 0,
			Own:      v[24]&2 != 0,
			Frozen:   frozen.Get(k) != nil,
		})
		return nil
	})
}

// ForEachFrozenCoin visits every frozen coin still unspent (a frozen mark can outlive its coin),
// reading the coins bucket only for those: a balance reads a few records, not every coin.
func (t *Txn) ForEachFrozenCoin(fn func(CoinSummary)) error {
	coins := t.bucket(bucketCoins)
	return t.bucket(bucketFrozen).ForEach(func(k, _ []byte) error {
		v := coins.Get(k)
		if v == nil {
			return nil
		}
		if len(v) < 26 || len(k) != 36 {
			return fmt.Errorf("decode coin %x: %w", k, errShort)
		}
		fn(CoinSummary{
			OutPoint: decodeOutPointKey(k),
			Value:    int64(binary.BigEndian.Uint64(v[0:])),
			Height:   int32(binary.BigEndian.Uint32(v[20:])),
			Coinbase: v[24]&1 != 0,
			Own:      v[24]&2 != 0,
			Frozen:   true,
		})
		return nil
	})
}

// FrozenSet returns every frozen outpoint.
func (t *Txn) FrozenSet() map[wire.OutPoint]bool {
	out := map[wire.OutPoint]bool{}
	_ = t.bucket(bucketFrozen).ForEach(func(k, _ []byte) error {
		if len(k) == 36 {
			out[decodeOutPointKey(k)] = true
		}
		return nil
	})
	return out
}

// Tip is a payment waiting in the queue.
type Tip struct {
	ID      string `json:"id"`
	Address string `json:"address"`
	Script  []byte `json:"script"`
	Type    int    `json:"type"` // txbuilder.ScriptType
	Amount  int64  `json:"amount"`
	// Fiat is the amount as typed in a currency ("2.00 EUR"), converted to Amount when queued:
	// a retry with the same id is the same tip when it names the same Fiat, whatever the
	// price has become.
	Fiat    string    `json:"fiat,omitempty"`
	Label   string    `json:"label,omitempty"`
	By      time.Time `json:"by,omitempty"` // pay even when fees are high once this passes
	Created time.Time `json:"created"`
	// Cancelled tips are never paid; PaidBy is the transaction of ours that pays this tip.
	Cancelled bool           `json:"cancelled,omitempty"`
	PaidBy    chainhash.Hash `json:"paid_by,omitempty"`
}

// Paid says whether a transaction of ours pays the tip.
func (t Tip) Paid() bool { return t.PaidBy != chainhash.Hash{} }

// Tips lists the queue in id order.
func (t *Txn) Tips() ([]Tip, error) {
	var out []Tip
	err := t.bucket(bucketTips).ForEach(func(k, v []byte) error {
		var tip Tip
		if err := json.Unmarshal(v, &tip); err != nil {
			return fmt.Errorf("decode tip %s: %w", k, err)
		}
		out = append(out, tip)
		return nil
	})
	return out, err
}

// Tip returns one tip.
func (t *Txn) Tip(id string) (Tip, error) {
	var tip Tip
	err := t.getJSON(bucketTips, []byte(id), &tip)
	return tip, err
}

// PutTip writes a tip.
func (t *Txn) PutTip(tip Tip) error { return t.putJSON(bucketTips, []byte(tip.ID), tip) }

// NextSeq returns and advances a named counter.
func (t *Txn) NextSeq(name string) (uint64, error) {
	k := []byte("seq:" + name)
	var n uint64
	if v := t.bucket(bucketMeta).Get(k); len(v) == 8 {
		n = binary.BigEndian.Uint64(v)
	}
	n++
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return n, t.put(bucketMeta, k, b[:])
}
