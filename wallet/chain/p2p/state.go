package p2p

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// scriptKey names a watched script in the scan state without keeping it in the clear.
type scriptKey [sha256.Size]byte

func keyOf(script []byte) scriptKey { return sha256.Sum256(script) }

// txRecord is a confirmed transaction that touches a watched script.
type txRecord struct {
	tx     *wire.MsgTx
	height int32
	block  chainhash.Hash
	pos    int // index in its block, to order a block's transactions
}

// scanState is what the filter scan found: how far each script was scanned, the transactions
// that touch watched scripts, and the wallet's own broadcasts not yet mined.
type scanState struct {
	scanned map[scriptKey]int32 // the last height matched for the script
	txs     map[chainhash.Hash]*txRecord
	pending map[chainhash.Hash]*wire.MsgTx
	outs    map[wire.OutPoint]scriptKey // outputs of txs that pay a watched script
}

func newScanState() *scanState {
	return &scanState{
		scanned: map[scriptKey]int32{},
		txs:     map[chainhash.Hash]*txRecord{},
		pending: map[chainhash.Hash]*wire.MsgTx{},
		outs:    map[wire.OutPoint]scriptKey{},
	}
}

// addTx records a confirmed transaction and the outputs it pays to watched scripts.
func (s *scanState) addTx(r *txRecord) {
	id := r.tx.TxHash()
	s.txs[id] = r
	delete(s.pending, id)
	s.indexOuts(id, r.tx)
}

func (s *scanState) indexOuts(id chainhash.Hash, tx *wire.MsgTx) {
	for i, o := range tx.TxOut {
		if k := keyOf(o.PkScript); s.watched(k) {
			s.outs[wire.OutPoint{Hash: id, Index: uint32(i)}] = k
		}
	}
}

func (s *scanState) watched(k scriptKey) bool {
	_, ok := s.scanned[k]
	return ok
}

// watch adds scripts not yet watched, unscanned (from below start), and indexes the outputs
// already recorded that pay them.
func (s *scanState) watch(scripts [][]byte, start int32) {
	added := false
	for _, sc := range scripts {
		if k := keyOf(sc); !s.watched(k) {
			s.scanned[k] = start - 1
			added = true
		}
	}
	if added {
		for id, r := range s.txs {
			s.indexOuts(id, r.tx)
		}
	}
}

// rollback forgets what was found above height (a reorg, or a scan past the verified tip).
func (s *scanState) rollback(height int32) {
	for k, h := range s.scanned {
		if h > height {
			s.scanned[k] = height
		}
	}
	for id, r := range s.txs {
		if r.height > height {
			delete(s.txs, id)
			for i := range r.tx.TxOut {
				delete(s.outs, wire.OutPoint{Hash: id, Index: uint32(i)})
			}
		}
	}
}

// The scan state as saved in the wallet folder.
type scanFileV1 struct {
	Version int              `json:"version"`
	Scanned map[string]int32 `json:"scanned"`
	Txs     []scanFileTx     `json:"txs"`
	Pending []string         `json:"pending"`
}

type scanFileTx struct {
	Height int32  `json:"height"`
	Block  string `json:"block"`
	Pos    int    `json:"pos"`
	Raw    string `json:"raw"`
}

func (s *scanState) encode() ([]byte, error) {
	f := scanFileV1{Version: 1, Scanned: map[string]int32{}}
	for k, h := range s.scanned {
		f.Scanned[hex.EncodeToString(k[:])] = h
	}
	for _, r := range s.txs {
		raw, err := txHex(r.tx)
		if err != nil {
			return nil, err
		}
		f.Txs = append(f.Txs, scanFileTx{Height: r.height, Block: r.block.String(), Pos: r.pos, Raw: raw})
	}
	for _, tx := range s.pending {
		raw, err := txHex(tx)
		if err != nil {
			return nil, err
		}
		f.Pending = append(f.Pending, raw)
	}
	return json.Marshal(f)
}

// decodeScan reads a saved scan state.
func decodeScan(data []byte) (*scanState, error) {
	var f scanFileV1
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("scan state version %d", f.Version)
	}
	s := newScanState()
	for k, h := range f.Scanned {
		var key scriptKey
		b, err := hex.DecodeString(k)
		if err != nil || len(b) != len(key) {
			return nil, fmt.Errorf("bad script key %q", k)
		}
		copy(key[:], b)
		s.scanned[key] = h
	}
	for _, t := range f.Txs {
		tx, err := parseTxHex(t.Raw)
		if err != nil {
			return nil, err
		}
		blk, err := chainhash.NewHashFromStr(t.Block)
		if err != nil {
			return nil, err
		}
		if t.Height < 0 {
			return nil, fmt.Errorf("negative height %d", t.Height)
		}
		s.addTx(&txRecord{tx: tx, height: t.Height, block: *blk, pos: t.Pos})
	}
	for _, raw := range f.Pending {
		tx, err := parseTxHex(raw)
		if err != nil {
			return nil, err
		}
		if _, mined := s.txs[tx.TxHash()]; !mined {
			s.pending[tx.TxHash()] = tx
		}
	}
	return s, nil
}

// loadScan reads the scan state from the wallet folder; a file that does not read is
// ignored (the scan starts over).
func loadScan(dir string) (*scanState, error) {
	data, err := readFile(dir, scanFile)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", scanFile, err)
	}
	if len(data) == 0 {
		return newScanState(), nil
	}
	s, err := decodeScan(data)
	if err != nil {
		return newScanState(), nil
	}
	return s, nil
}

func (s *scanState) save(dir string) error {
	if dir == "" {
		return nil
	}
	data, err := s.encode()
	if err != nil {
		return err
	}
	return writeFile(dir, scanFile, data)
}

func txHex(tx *wire.MsgTx) (string, error) {
	var buf bytes.Buffer
	if err := tx.Serialize(&buf); err != nil {
		return "", err
	}
	return hex.EncodeToString(buf.Bytes()), nil
}

func parseTxHex(s string) (*wire.MsgTx, error) {
	raw, err := hex.DecodeString(s)
	if err != nil {
		return nil, err
	}
	var tx wire.MsgTx
	if err := tx.Deserialize(bytes.NewReader(raw)); err != nil {
		return nil, err
	}
	return &tx, nil
}
