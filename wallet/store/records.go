package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

var errShort = errors.New("record too short")

// Meta is what a wallet is: fixed when it is created.
type Meta struct {
	Network     string    `json:"network"`
	Type        string    `json:"type"` // "tr" or "wpkh": the type of the main account
	Fingerprint string    `json:"fingerprint"`
	Created     time.Time `json:"created"`
	WatchOnly   bool      `json:"watch_only,omitempty"`
	// Restored wallets look for funds on every standard path of the seed at their first sync.
	Restored bool `json:"restored,omitempty"`
}

// SyncState is what the last successful sync saw.
type SyncState struct {
	Height   int32          `json:"height"`
	Hash     chainhash.Hash `json:"hash"`
	At       time.Time      `json:"at"`
	GapLimit int            `json:"gap_limit"`
}

// Account is one BIP44-style account of the wallet's seed.
type Account struct {
	Purpose uint32 `json:"purpose"`
	// Xpub is the account-level extended public key (m/purpose'/coin'/0').
	Xpub string `json:"xpub"`
	// Main is the account new addresses come from.
	Main bool `json:"main,omitempty"`
	// Active accounts are synced; an account of another standard path becomes active when the
	// first sync of a restored wallet finds history on it.
	Active bool `json:"active"`
	// Probe marks a non-main account still to be looked at by the next sync.
	Probe bool `json:"probe,omitempty"`
	// NextReceive is the first receive index not yet handed out.
	NextReceive uint32 `json:"next_receive"`
	// NextChange is the first change index not yet used by a transaction of ours.
	NextChange uint32 `json:"next_change"`
	// Descriptor is set for a multisig account (purpose 48): its public
	// wsh(sortedmulti(M,KEY/<0;1>/*,...)) descriptor. Xpub is then the wallet's own key.
	Descriptor string `json:"descriptor,omitempty"`
}

// Addr is an address the wallet derived and watches.
type Addr struct {
	Purpose, Chain, Index uint32
	Used                  bool
	// Status is a hash of the script's history as last seen: equal means nothing new.
	Status [32]byte
}

func (a Addr) encode() []byte {
	b := make([]byte, 13+32)
	binary.BigEndian.PutUint32(b[0:], a.Purpose)
	binary.BigEndian.PutUint32(b[4:], a.Chain)
	binary.BigEndian.PutUint32(b[8:], a.Index)
	if a.Used {
		b[12] = 1
	}
	copy(b[13:], a.Status[:])
	return b
}

func decodeAddr(b []byte) (Addr, error) {
	if len(b) < 45 {
		return Addr{}, errShort
	}
	a := Addr{
		Purpose: binary.BigEndian.Uint32(b[0:]),
		Chain:   binary.BigEndian.Uint32(b[4:]),
		Index:   binary.BigEndian.Uint32(b[8:]),
		Used:    b[12] == 1,
	}
	copy(a.Status[:], b[13:45])
	return a, nil
}

func addrIdxKey(purpose, chain, index uint32) []byte {
	k := make([]byte, 12)
	binary.BigEndian.PutUint32(k[0:], purpose)
	binary.BigEndian.PutUint32(k[4:], chain)
	binary.BigEndian.PutUint32(k[8:], index)
	return k
}

// Status of a wallet transaction.
type Status uint8

// Transaction statuses, as history prints them.
const (
	StatusPending Status = iota
	StatusConfirmed
	StatusReplaced   // a transaction of ours replaced it (fee bump)
	StatusConflicted // someone else's transaction spent the same coin
)

func (s Status) String() string {
	switch s {
	case StatusConfirmed:
		return "confirmed"
	case StatusReplaced:
		return "replaced"
	case StatusConflicted:
		return "conflicted"
	}
	return "pending"
}

// Counted says whether the transaction's effects are part of balances and coins.
func (s Status) Counted() bool { return s == StatusPending || s == StatusConfirmed }

// TxRecord is a transaction that touches the wallet.
type TxRecord struct {
	TxID      chainhash.Hash
	Raw       []byte
	Height    int32 // 0 while pending
	BlockHash chainhash.Hash
	BlockTime int64 // unix seconds; 0 while pending
	FirstSeen int64 // unix seconds
	Status    Status
	// Fee is known when every input is the wallet's own; -1 otherwise.
	Fee int64
	// Net is the signed effect on the wallet's balance, in satoshis.
	Net int64
	// Sent marks a transaction this wallet built and broadcast.
	Sent bool
}

const txFixed = 32 + 4 + 32 + 8 + 8 + 1 + 8 + 8 + 1

func (t *TxRecord) encode() []byte {
	b := make([]byte, txFixed+len(t.Raw))
	copy(b[0:], t.TxID[:])
	binary.BigEndian.PutUint32(b[32:], uint32(t.Height))
	copy(b[36:], t.BlockHash[:])
	binary.BigEndian.PutUint64(b[68:], uint64(t.BlockTime))
	binary.BigEndian.PutUint64(b[76:], uint64(t.FirstSeen))
	b[84] = byte(t.Status)
	binary.BigEndian.PutUint64(b[85:], uint64(t.Fee))
	binary.BigEndian.PutUint64(b[93:], uint64(t.Net))
	if t.Sent {
		b[101] = 1
	}
	copy(b[txFixed:], t.Raw)
	return b
}

func decodeTx(b []byte) (*TxRecord, error) {
	if len(b) < txFixed {
		return nil, errShort
	}
	t := &TxRecord{
		Height:    int32(binary.BigEndian.Uint32(b[32:])),
		BlockTime: int64(binary.BigEndian.Uint64(b[68:])),
		FirstSeen: int64(binary.BigEndian.Uint64(b[76:])),
		Status:    Status(b[84]),
		Fee:       int64(binary.BigEndian.Uint64(b[85:])),
		Net:       int64(binary.BigEndian.Uint64(b[93:])),
		Sent:      b[101] == 1,
	}
	copy(t.TxID[:], b[0:32])
	copy(t.BlockHash[:], b[36:68])
	t.Raw = append([]byte(nil), b[txFixed:]...)
	return t, nil
}

// MsgTx decodes the raw transaction.
func (t *TxRecord) MsgTx() (*wire.MsgTx, error) {
	var m wire.MsgTx
	if err := m.Deserialize(bytesReader(t.Raw)); err != nil {
		return nil, fmt.Errorf("decode tx %s: %w", t.TxID, err)
	}
	return &m, nil
}

// Coin is an unspent output of the wallet.
type Coin struct {
	OutPoint              wire.OutPoint
	Value                 int64
	PkScript              []byte
	Purpose, Chain, Index uint32
	Height                int32 // 0 while its transaction is pending
	Coinbase              bool
	// Own marks an output of a transaction whose inputs were all the wallet's (our change):
	// spendable before it confirms.
	Own bool
	// Address is the script's address, kept so listing coins encodes no addresses.
	Address string
}

func outPointKey(op wire.OutPoint) []byte {
	k := make([]byte, 36)
	copy(k, op.Hash[:])
	binary.BigEndian.PutUint32(k[32:], op.Index)
	return k
}

func decodeOutPointKey(k []byte) wire.OutPoint {
	var op wire.OutPoint
	copy(op.Hash[:], k[:32])
	op.Index = binary.BigEndian.Uint32(k[32:36])
	return op
}

// Coin value layout: value 8 | purpose 4 | chain 4 | index 4 | height 4 | flags 1 |
// address length 1 | address | pkScript.
func (c *Coin) encode() []byte {
	b := make([]byte, 8+12+4+1+1+len(c.Address)+len(c.PkScript))
	binary.BigEndian.PutUint64(b[0:], uint64(c.Value))
	binary.BigEndian.PutUint32(b[8:], c.Purpose)
	binary.BigEndian.PutUint32(b[12:], c.Chain)
	binary.BigEndian.PutUint32(b[16:], c.Index)
	binary.BigEndian.PutUint32(b[20:], uint32(c.Height))
	var flags byte
	if c.Coinbase {
		flags |= 1
	}
	if c.Own {
		flags |= 2
	}
	b[24] = flags
	b[25] = byte(len(c.Address))
	copy(b[26:], c.Address)
	copy(b[26+len(c.Address):], c.PkScript)
	return b
}

func decodeCoin(k, b []byte) (Coin, error) {
	if len(b) < 26 || len(k) != 36 || len(b) < 26+int(b[25]) {
		return Coin{}, errShort
	}
	alen := int(b[25])
	return Coin{
		Address:  string(b[26 : 26+alen]),
		OutPoint: decodeOutPointKey(k),
		Value:    int64(binary.BigEndian.Uint64(b[0:])),
		Purpose:  binary.BigEndian.Uint32(b[8:]),
		Chain:    binary.BigEndian.Uint32(b[12:]),
		Index:    binary.BigEndian.Uint32(b[16:]),
		Height:   int32(binary.BigEndian.Uint32(b[20:])),
		Coinbase: b[24]&1 != 0,
		Own:      b[24]&2 != 0,
		PkScript: append([]byte(nil), b[26+alen:]...),
	}, nil
}

// HistRow is one line of the history, precomputed so history reads decode no transactions.
type HistRow struct {
	TxID   chainhash.Hash
	Height int32
	Time   int64
	Net    int64
	Fee    int64
	Status Status
	// Address is the transaction's main address for people: the first of the wallet's own
	// addresses it pays, or for a payment out, the first address paid. Its label shows in
	// history when the transaction has none.
	Address string
}

func histKey(height int32, ts int64, txid chainhash.Hash) []byte {
	k := make([]byte, 4+8+32)
	ord := uint32(height)
	if height <= 0 {
		ord = ^uint32(0) // pending: newer than any block
	}
	binary.BigEndian.PutUint32(k[0:], ^ord)
	binary.BigEndian.PutUint64(k[4:], ^uint64(ts))
	copy(k[12:], txid[:])
	return k
}

func (h HistRow) encode() []byte {
	b := make([]byte, 32+4+8+8+8+1+1+len(h.Address))
	copy(b, h.TxID[:])
	binary.BigEndian.PutUint32(b[32:], uint32(h.Height))
	binary.BigEndian.PutUint64(b[36:], uint64(h.Time))
	binary.BigEndian.PutUint64(b[44:], uint64(h.Net))
	binary.BigEndian.PutUint64(b[52:], uint64(h.Fee))
	b[60] = byte(h.Status)
	b[61] = byte(len(h.Address))
	copy(b[62:], h.Address)
	return b
}

func decodeHist(b []byte) (HistRow, error) {
	if len(b) < 61 {
		return HistRow{}, errShort
	}
	h := HistRow{
		Height: int32(binary.BigEndian.Uint32(b[32:])),
		Time:   int64(binary.BigEndian.Uint64(b[36:])),
		Net:    int64(binary.BigEndian.Uint64(b[44:])),
		Fee:    int64(binary.BigEndian.Uint64(b[52:])),
		Status: Status(b[60]),
	}
	if len(b) > 61 && len(b) >= 62+int(b[61]) {
		h.Address = string(b[62 : 62+int(b[61])])
	}
	copy(h.TxID[:], b[:32])
	return h, nil
}
