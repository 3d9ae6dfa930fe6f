package txbuilder

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/wire/v2"
)

// BIP174 key types the scanner looks at itself; every other field is btcd's to parse.
const (
	psbtGlobalUnsignedTx = 0x00
	psbtGlobalVersion    = 0xfb
	psbtInNonWitnessUtxo = 0x00
	psbtInWitnessUtxo    = 0x01
)

// Fields BIP370 (PSBT version 2) defines, which a version 0 PSBT must not carry.
var (
	psbtV2Global = map[uint64]string{0x02: "PSBT_GLOBAL_TX_VERSION", 0x03: "PSBT_GLOBAL_FALLBACK_LOCKTIME",
		0x04: "PSBT_GLOBAL_INPUT_COUNT", 0x05: "PSBT_GLOBAL_OUTPUT_COUNT", 0x06: "PSBT_GLOBAL_TX_MODIFIABLE"}
	psbtV2Input = map[uint64]string{0x0e: "PSBT_IN_PREVIOUS_TXID", 0x0f: "PSBT_IN_OUTPUT_INDEX",
		0x10: "PSBT_IN_SEQUENCE", 0x11: "PSBT_IN_REQUIRED_TIME_LOCKTIME", 0x12: "PSBT_IN_REQUIRED_HEIGHT_LOCKTIME"}
	psbtV2Output = map[uint64]string{0x03: "PSBT_OUT_AMOUNT", 0x04: "PSBT_OUT_SCRIPT"}
)

// psbtScan is what the structural pass learned that btcd's parser gets wrong or skips.
type psbtScan struct {
	tx           *wire.MsgTx
	witnessUtxos []*wire.TxOut // per input; nil where absent
	// fields lists every key-value pair in file order with the map it sits in, so a
	// refusal by btcd's parser (which says only "Invalid key data") can name the field.
	fields []placedField
}

// placedField is a field and where it is: the map's name for people and the offset just
// past its value.
type placedField struct {
	mapName string
	typ     uint64
	end     int
}

// psbtReader walks a binary PSBT.
type psbtReader struct {
	b   []byte
	pos int
}

var errShortPSBT = errors.New("it ends in the middle of a field (cut short?)")

// errCopyWhole is the hint for a PSBT that ends too early.
var errCopyWhole = errors.New("check that it was copied whole")

func (r *psbtReader) compactSize() (uint64, error) {
	if r.pos >= len(r.b) {
		return 0, errShortPSBT
	}
	first := r.b[r.pos]
	r.pos++
	var n int
	var min uint64
	switch first {
	case 0xfd:
		n, min = 2, 0xfd
	case 0xfe:
		n, min = 4, 0x10000
	case 0xff:
		n, min = 8, 0x100000000
	default:
		return uint64(first), nil
	}
	if len(r.b)-r.pos < n {
		return 0, errShortPSBT
	}
	buf := make([]byte, 8)
	copy(buf, r.b[r.pos:r.pos+n])
	r.pos += n
	v := binary.LittleEndian.Uint64(buf)
	if v < min {
		return 0, errors.New("a length is not in its shortest (canonical) encoding")
	}
	return v, nil
}

func (r *psbtReader) bytes(n uint64) ([]byte, error) {
	if n > uint64(len(r.b)-r.pos) {
		return nil, errors.New("a value is longer than the data left (its stated size is wrong)")
	}
	v := r.b[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return v, nil
}

// psbtField is one key-value pair of a map.
type psbtField struct {
	typ     uint64
	keyData []byte
	value   []byte
	end     int // offset just past the value in the whole PSBT
}

// readMap reads key-value pairs up to the 0x00 separator, refusing duplicate keys.
func (r *psbtReader) readMap(name string) ([]psbtField, error) {
	var out []psbtField
	seen := map[string]bool{}
	for {
		klen, err := r.compactSize()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if klen == 0 {
			return out, nil
		}
		key, err := r.bytes(klen)
		if err != nil {
			return nil, fmt.Errorf("%s: key: %w", name, err)
		}
		if seen[string(key)] {
			return nil, fmt.Errorf("%s: duplicate key %x", name, key)
		}
		seen[string(key)] = true
		kr := &psbtReader{b: key}
		typ, err := kr.compactSize()
		if err != nil {
			return nil, fmt.Errorf("%s: key type: %w", name, err)
		}
		if typ > 0xfc {
			// btcd keeps only one byte of a key type; satchel refuses rather than rewrite it.
			return nil, fmt.Errorf("%s: key type %#x above 0xfc is not supported", name, typ)
		}
		vlen, err := r.compactSize()
		if err != nil {
			return nil, fmt.Errorf("%s: value length: %w", name, err)
		}
		val, err := r.bytes(vlen)
		if err != nil {
			return nil, fmt.Errorf("%s: value of key %x: %w", name, key, err)
		}
		out = append(out, psbtField{typ: typ, keyData: key[kr.pos:], value: val, end: r.pos})
	}
}

// scanPSBT checks the structure of a binary PSBT: the rules btcd's parser does not enforce.
func scanPSBT(b []byte) (*psbtScan, error) {
	if !bytes.HasPrefix(b, psbtMagic) {
		return nil, errors.New("no PSBT magic bytes (psbt\\xff): not a PSBT")
	}
	r := &psbtReader{b: b, pos: len(psbtMagic)}
	global, err := r.readMap("global map")
	if err != nil {
		return nil, err
	}
	s := &psbtScan{}
	s.place("global map", global)
	for _, f := range global {
		switch {
		case f.typ == psbtGlobalUnsignedTx:
			if len(f.keyData) != 0 {
				return nil, errors.New("global unsigned transaction key has extra key data")
			}
			if s.tx, err = readUnsignedTx(f.value); err != nil {
				return nil, err
			}
		case f.typ == psbtGlobalVersion:
			if len(f.keyData) != 0 || len(f.value) != 4 {
				return nil, errors.New("PSBT_GLOBAL_VERSION is malformed")
			}
			if v := binary.LittleEndian.Uint32(f.value); v != 0 {
				return nil, fmt.Errorf("PSBT version %d is not supported (satchel reads version 0)", v)
			}
		case psbtV2Global[f.typ] != "":
			return nil, fmt.Errorf("%s is a PSBT version 2 field, not allowed in version 0", psbtV2Global[f.typ])
		}
	}
	if s.tx == nil {
		return nil, errors.New("no unsigned transaction in the global map (PSBT version 2 is not supported)")
	}
	s.witnessUtxos = make([]*wire.TxOut, len(s.tx.TxIn))
	for i, in := range s.tx.TxIn {
		fields, err := r.readMap(fmt.Sprintf("input %d", i+1))
		if err != nil {
			if errors.Is(err, errShortPSBT) && r.pos >= len(r.b) {
				return nil, fmt.Errorf("input %d of %d is missing (it ends too early): %w", i+1, len(s.tx.TxIn), errCopyWhole)
			}
			return nil, err
		}
		s.place(fmt.Sprintf("input %d", i+1), fields)
		for _, f := range fields {
			switch {
			case f.typ == psbtInNonWitnessUtxo:
				if len(f.keyData) != 0 {
					return nil, fmt.Errorf("input %d: non_witness_utxo key has extra key data", i+1)
				}
				if err := checkNonWitnessUtxo(f.value, in.PreviousOutPoint); err != nil {
					return nil, fmt.Errorf("input %d: %w", i+1, err)
				}
			case f.typ == psbtInWitnessUtxo:
				if len(f.keyData) != 0 {
					return nil, fmt.Errorf("input %d: witness_utxo key has extra key data", i+1)
				}
				if s.witnessUtxos[i], err = readTxOut(f.value); err != nil {
					return nil, fmt.Errorf("input %d: witness_utxo: %w", i+1, err)
				}
			case psbtV2Input[f.typ] != "":
				return nil, fmt.Errorf("input %d: %s is a PSBT version 2 field, not allowed in version 0", i+1, psbtV2Input[f.typ])
			}
		}
	}
	for i := range s.tx.TxOut {
		fields, err := r.readMap(fmt.Sprintf("output %d", i+1))
		if err != nil {
			if errors.Is(err, errShortPSBT) && r.pos >= len(r.b) {
				return nil, fmt.Errorf("output %d of %d is missing (it ends too early): %w", i+1, len(s.tx.TxOut), errCopyWhole)
			}
			return nil, err
		}
		s.place(fmt.Sprintf("output %d", i+1), fields)
		for _, f := range fields {
			if name := psbtV2Output[f.typ]; name != "" {
				return nil, fmt.Errorf("output %d: %s is a PSBT version 2 field, not allowed in version 0", i+1, name)
			}
		}
	}
	if r.pos != len(r.b) {
		return nil, fmt.Errorf("%d bytes after the last output map", len(r.b)-r.pos)
	}
	return s, nil
}

func (s *psbtScan) place(mapName string, fields []psbtField) {
	for _, f := range fields {
		s.fields = append(s.fields, placedField{mapName: mapName, typ: f.typ, end: f.end})
	}
}

// fieldAt names the field btcd's parser was reading when it stopped at offset pos: the first
// one ending at or after it ("input 1, key type 0x02"), or "" when pos is past them all.
func (s *psbtScan) fieldAt(pos int) string {
	for _, f := range s.fields {
		if f.end >= pos {
			return fmt.Sprintf("%s, key type %#02x", f.mapName, f.typ)
		}
	}
	return ""
}

// readUnsignedTx reads the global transaction, which BIP174 wants without witness data and
// without signatures, and whose serialisation must fill its value exactly.
func readUnsignedTx(v []byte) (*wire.MsgTx, error) {
	var tx wire.MsgTx
	rd := bytes.NewReader(v)
	err := tx.DeserializeNoWitness(rd)
	if err != nil || rd.Len() != 0 {
		var wtx wire.MsgTx
		wr := bytes.NewReader(v)
		// btcd refuses a segwit-serialised transaction whose witnesses are all empty (which an
		// unsigned one is) with this message; a complete parse means real witness data.
		if werr := wtx.Deserialize(wr); len(v) > 6 && v[4] == 0 && v[5] == 1 && v[6] != 0 &&
			((werr == nil && wr.Len() == 0) || (werr != nil && strings.Contains(werr.Error(), "no witnesses"))) {
			return nil, errors.New("the unsigned transaction is serialised with witness data; BIP174 wants the legacy format")
		}
		if err != nil {
			return nil, fmt.Errorf("unsigned transaction: %w", err)
		}
		return nil, fmt.Errorf("unsigned transaction: %d bytes left over (its value is not the stated size)", rd.Len())
	}
	for i, in := range tx.TxIn {
		if len(in.SignatureScript) != 0 || len(in.Witness) != 0 {
			return nil, fmt.Errorf("input %d of the unsigned transaction has a scriptSig or witness: it must be unsigned", i+1)
		}
	}
	return &tx, nil
}

// checkNonWitnessUtxo checks that a non_witness_utxo is exactly one transaction, the one op
// spends, with the output op names.
func checkNonWitnessUtxo(v []byte, op wire.OutPoint) error {
	var tx wire.MsgTx
	rd := bytes.NewReader(v)
	if err := tx.Deserialize(rd); err != nil {
		return fmt.Errorf("non_witness_utxo: %w", err)
	}
	if rd.Len() != 0 {
		return fmt.Errorf("non_witness_utxo: %d bytes left over (its value is not the stated size)", rd.Len())
	}
	if tx.TxHash() != op.Hash {
		return fmt.Errorf("non_witness_utxo is transaction %s, but the input spends %s", tx.TxHash(), op.Hash)
	}
	if int64(op.Index) >= int64(len(tx.TxOut)) {
		return fmt.Errorf("the input spends output %d of a transaction with %d outputs", op.Index, len(tx.TxOut))
	}
	return nil
}

// readTxOut reads a serialised output (value, then script with its compact-size length) that
// must fill v exactly.
func readTxOut(v []byte) (*wire.TxOut, error) {
	if len(v) < 9 {
		return nil, errors.New("too short for an output")
	}
	r := &psbtReader{b: v, pos: 8}
	n, err := r.compactSize()
	if err != nil {
		return nil, err
	}
	script, err := r.bytes(n)
	if err != nil {
		return nil, err
	}
	if r.pos != len(v) {
		return nil, fmt.Errorf("%d bytes after the output script (its value is not the stated size)", len(v)-r.pos)
	}
	return wire.NewTxOut(int64(binary.LittleEndian.Uint64(v[:8])), append([]byte(nil), script...)), nil
}
