package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// SilentPurpose is the purpose recorded in addrs for the outputs a silent-payment scan found:
// they derive from no BIP32 path, so their "index" is only their number in the order found.
const SilentPurpose uint32 = 352

var bucketSilent = []byte("silent")

// Keys inside the silent bucket.
var (
	spKeyScan     = []byte("scan")
	spKeySpend    = []byte("spend")
	spKeyBirthday = []byte("birthday")
	spKeyScanned  = []byte("scanned")
	spPrefixBlock = []byte("blk:")
	spPrefixOut   = []byte("out:")
	spPrefixLabel = []byte("label:")
)

// SilentKeys are what a scan needs: the scan private key (32 bytes; it sees payments, it
// cannot spend them) and the spend public key (33 bytes, compressed).
type SilentKeys struct {
	Scan  []byte
	Spend []byte
}

// SilentOut is an output a silent-payment scan found paying the wallet.
type SilentOut struct {
	TxID chainhash.Hash `json:"txid"`
	Vout uint32         `json:"vout"`
	// Height is the block it was found in; 0 for the mempool.
	Height int32 `json:"height"`
	// Tweak is added to the spend private key to spend it (t_k plus any label's tweak).
	Tweak [32]byte `json:"tweak"`
	// Label is the BIP352 label number m it was paid to, when Labelled (0: our change).
	Label    uint32 `json:"label"`
	Labelled bool   `json:"labelled,omitempty"`
	// Seq is its index in addrs (SilentPurpose/0/Seq).
	Seq uint32 `json:"seq"`
}

func (t *Txn) silent() bucketRW { return bucketRW{t, bucketSilent} }

type bucketRW struct {
	t    *Txn
	name []byte
}

// The silent bucket is made on first write rather than by a schema migration, so a wallet
// that never uses silent payments is unchanged and read-only opens of older files still work.
func (b bucketRW) get(k []byte) []byte {
	bk := b.t.bucket(b.name)
	if bk == nil {
		return nil
	}
	return bk.Get(k)
}

func (b bucketRW) put(k, v []byte) error {
	if bytes.Equal(b.get(k), v) {
		return nil
	}
	if b.t.bucket(b.name) == nil {
		if _, err := b.t.btx.CreateBucketIfNotExists(b.name); err != nil {
			return err
		}
	}
	return b.t.put(b.name, k, v)
}

// cursor visits the keys with prefix p.
func (b bucketRW) each(p []byte, fn func(k, v []byte) error) error {
	bk := b.t.bucket(b.name)
	if bk == nil {
		return nil
	}
	c := bk.Cursor()
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		if err := fn(k[len(p):], v); err != nil {
			return err
		}
	}
	return nil
}
func (b bucketRW) del(k []byte) error {
	if b.get(k) == nil {
		return nil
	}
	return b.t.del(b.name, k)
}

func u32(v uint32) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return b[:]
}

func withPrefix(p, k []byte) []byte { return append(append([]byte(nil), p...), k...) }

// SilentKeys returns the stored scan key and spend public key; ok is false before the wallet
// ever handed out a silent-payment address.
func (t *Txn) SilentKeys() (SilentKeys, bool) {
	s, p := t.silent().get(spKeyScan), t.silent().get(spKeySpend)
	if len(s) != 32 || len(p) != 33 {
		return SilentKeys{}, false
	}
	return SilentKeys{Scan: append([]byte(nil), s...), Spend: append([]byte(nil), p...)}, true
}

// PutSilentKeys stores the scan key and spend public key.
func (t *Txn) PutSilentKeys(k SilentKeys) error {
	if len(k.Scan) != 32 || len(k.Spend) != 33 {
		return fmt.Errorf("silent payment keys: want a 32-byte scan key and a 33-byte spend key")
	}
	if err := t.silent().put(spKeyScan, k.Scan); err != nil {
		return err
	}
	return t.silent().put(spKeySpend, k.Spend)
}

// SilentHeights returns the silent-payment birthday (the first block to scan) and the height
// scanned through (birthday-1 before any block was scanned); ok is false when no birthday is
// set.
func (t *Txn) SilentHeights() (birthday, scanned int32, ok bool) {
	b, s := t.silent().get(spKeyBirthday), t.silent().get(spKeyScanned)
	if len(b) != 4 {
		return 0, 0, false
	}
	birthday = int32(binary.BigEndian.Uint32(b))
	scanned = birthday - 1
	if len(s) == 4 {
		scanned = int32(binary.BigEndian.Uint32(s))
	}
	return birthday, scanned, true
}

// PutSilentBirthday sets the first block to scan and forgets what was scanned before it.
func (t *Txn) PutSilentBirthday(height int32) error {
	if height < 0 {
		height = 0
	}
	if err := t.silent().put(spKeyBirthday, u32(uint32(height))); err != nil {
		return err
	}
	if err := t.silent().del(spKeyBirthdayTime); err != nil {
		return err
	}
	return t.silent().del(spKeyScanned)
}

// PutSilentScanned records the height scanned through.
func (t *Txn) PutSilentScanned(height int32) error {
	return t.silent().put(spKeyScanned, u32(uint32(height)))
}

// SilentBlock returns the hash of the block scanned at height, if remembered.
func (t *Txn) SilentBlock(height int32) (chainhash.Hash, bool) {
	v := t.silent().get(withPrefix(spPrefixBlock, u32(uint32(height))))
	if len(v) != 32 {
		return chainhash.Hash{}, false
	}
	return chainhash.Hash(v), true
}

// SilentBlockHeights lists the heights of the scanned blocks remembered, lowest first.
func (t *Txn) SilentBlockHeights() []int32 {
	var out []int32
	_ = t.silent().each(spPrefixBlock, func(k, _ []byte) error {
		if len(k) == 4 {
			out = append(out, int32(binary.BigEndian.Uint32(k)))
		}
		return nil
	})
	return out
}

// PutSilentBlock remembers the hash of a scanned block.
func (t *Txn) PutSilentBlock(height int32, hash chainhash.Hash) error {
	return t.silent().put(withPrefix(spPrefixBlock, u32(uint32(height))), hash[:])
}

// DeleteSilentBlock forgets a scanned block.
func (t *Txn) DeleteSilentBlock(height int32) error {
	return t.silent().del(withPrefix(spPrefixBlock, u32(uint32(height))))
}

// SilentOuts lists the found outputs by output script.
func (t *Txn) SilentOuts() (map[string]SilentOut, error) {
	out := map[string]SilentOut{}
	err := t.silent().each(spPrefixOut, func(k, v []byte) error {
		var o SilentOut
		if err := json.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("silent output %x: %w", k, err)
		}
		out[string(k)] = o
		return nil
	})
	return out, err
}

// SilentOut returns the found output paying pkScript.
func (t *Txn) SilentOut(pkScript []byte) (SilentOut, bool) {
	var o SilentOut
	v := t.silent().get(withPrefix(spPrefixOut, pkScript))
	if v == nil || json.Unmarshal(v, &o) != nil {
		return o, false
	}
	return o, true
}

// PutSilentOut records a found output and watches its script as an address of the wallet
// (purpose SilentPurpose, index o.Seq), so syncs follow it like any other.
func (t *Txn) PutSilentOut(pkScript []byte, o SilentOut) error {
	raw, err := json.Marshal(o)
	if err != nil {
		return err
	}
	if err := t.silent().put(withPrefix(spPrefixOut, pkScript), raw); err != nil {
		return err
	}
	a, ok := t.Addr(pkScript)
	if !ok {
		a = Addr{Purpose: SilentPurpose, Index: o.Seq}
	}
	return t.PutAddr(pkScript, a)
}

// DeleteSilentOut forgets a found output (its block left the chain, or its mempool
// transaction is gone) and stops watching its script: it is unknown again until a scan finds
// it anew.
func (t *Txn) DeleteSilentOut(pkScript []byte) error {
	if err := t.silent().del(withPrefix(spPrefixOut, pkScript)); err != nil {
		return err
	}
	if a, ok := t.Addr(pkScript); ok && a.Purpose == SilentPurpose {
		if err := t.del(bucketAddrIdx, addrIdxKey(a.Purpose, a.Chain, a.Index)); err != nil {
			return err
		}
		return t.del(bucketAddrs, pkScript)
	}
	return nil
}

// SilentLabels returns the BIP352 labels handed out (m >= 1) with their text.
func (t *Txn) SilentLabels() map[uint32]string {
	out := map[uint32]string{}
	_ = t.silent().each(spPrefixLabel, func(k, v []byte) error {
		if len(k) == 4 {
			out[binary.BigEndian.Uint32(k)] = string(v)
		}
		return nil
	})
	return out
}

// PutSilentLabel records label m with its text.
func (t *Txn) PutSilentLabel(m uint32, text string) error {
	return t.silent().put(withPrefix(spPrefixLabel, u32(m)), []byte(text))
}

var spKeyBirthdayTime = []byte("birthday-time")

// SilentBirthdayTime is a birthday given as a date (unix seconds) still to be turned into a
// height by the next sync; 0 when none is pending.
func (t *Txn) SilentBirthdayTime() int64 {
	v := t.silent().get(spKeyBirthdayTime)
	if len(v) != 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(v))
}

// PutSilentBirthdayTime sets a birthday date to resolve, dropping any birthday height.
func (t *Txn) PutSilentBirthdayTime(unix int64) error {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(unix))
	if err := t.silent().del(spKeyBirthday); err != nil {
		return err
	}
	if err := t.silent().del(spKeyScanned); err != nil {
		return err
	}
	return t.silent().put(spKeyBirthdayTime, b[:])
}
