package txbuilder

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/btcsuite/btcd/psbt/v2"
)

// ErrInvalidPSBT marks bytes that are not a valid BIP174 version 0 PSBT. The message says
// which rule is broken, so a user can tell a truncated copy from a foreign format.
var ErrInvalidPSBT = errors.New("invalid PSBT")

// ErrPSBTIncomplete means a PSBT still lacks signatures, so it cannot be finalised or sent.
var ErrPSBTIncomplete = errors.New("PSBT is not complete")

// MaxPSBTSize bounds what DecodePSBT reads: far above any standard transaction with its
// previous transactions, small enough that a hostile file cannot exhaust memory.
const MaxPSBTSize = 32 << 20

var psbtMagic = []byte("psbt\xff")

// DecodePSBT reads a PSBT given as binary (BIP174's file format), base64 (what wallets paste)
// or hex, and checks it strictly, the way Bitcoin Core's decodepsbt does: every map well formed
// and fully consumed, no duplicate keys, no bytes after the last map, values of known fields of
// exactly their stated size, each non_witness_utxo the transaction its input spends, and
// version 0 only. btcd's parser alone accepts some of BIP174's invalid vectors; this does not.
func DecodePSBT(data []byte) (*psbt.Packet, error) {
	raw, err := psbtBytes(data)
	if err != nil {
		return nil, err
	}
	scan, err := scanPSBT(raw)
	if errors.Is(err, errShortPSBT) {
		// Where in the maps it stopped means nothing to the person who pasted it.
		return nil, fmt.Errorf("%w: %w: %w", ErrInvalidPSBT, errShortPSBT, errCopyWhole)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidPSBT, err)
	}
	rd := bytes.NewReader(raw)
	p, err := psbt.NewFromRawBytes(rd, false)
	if err != nil {
		return nil, btcdPSBTError(err, scan.fieldAt(len(raw)-rd.Len()))
	}
	if len(p.Inputs) != len(scan.witnessUtxos) || len(p.Outputs) != len(p.UnsignedTx.TxOut) {
		return nil, fmt.Errorf("%w: section counts do not match the transaction", ErrInvalidPSBT)
	}
	// btcd reads a witness_utxo's script by skipping one length byte; the scanner parsed it
	// by its real compact-size length.
	for i, wu := range scan.witnessUtxos {
		if wu != nil {
			p.Inputs[i].WitnessUtxo = wu
		}
	}
	return p, nil
}

// btcdPSBTError words a refusal by btcd's parser for people. Its own messages ("Invalid key
// data", "Invalid PSBT serialization format") name neither the field nor what to do; where
// names the field the parser stopped in, as the scanner placed it.
func btcdPSBTError(err error, where string) error {
	if where != "" {
		where += ": "
	}
	switch {
	case errors.Is(err, psbt.ErrInvalidKeyData), errors.Is(err, psbt.ErrInvalidPsbtFormat):
		return fmt.Errorf("%w: %sa field's key or value has the wrong size or form for its type (a faulty or damaged PSBT): ask its maker for it again", ErrInvalidPSBT, where)
	case errors.Is(err, psbt.ErrDuplicateKey):
		return fmt.Errorf("%w: %sa key appears twice: ask for it again", ErrInvalidPSBT, where)
	}
	return fmt.Errorf("%w: %s%w", ErrInvalidPSBT, where, err)
}

// psbtBytes turns binary, base64 or hex text into the binary PSBT.
func psbtBytes(data []byte) ([]byte, error) {
	if len(data) > MaxPSBTSize {
		return nil, fmt.Errorf("%w: larger than %d MiB", ErrInvalidPSBT, MaxPSBTSize>>20)
	}
	if bytes.HasPrefix(data, psbtMagic) {
		return data, nil
	}
	text := bytes.Join(bytes.Fields(data), nil)
	if len(text) == 0 {
		return nil, fmt.Errorf("%w: it is empty: give a PSBT as base64, hex or binary", ErrInvalidPSBT)
	}
	if bytes.HasPrefix(text, []byte("70736274ff")) {
		b := make([]byte, hex.DecodedLen(len(text)))
		if _, err := hex.Decode(b, text); err != nil {
			return nil, fmt.Errorf("%w: it starts as hex but is not hex throughout (odd length or a character other than 0-9, a-f): check that it was copied whole", ErrInvalidPSBT)
		}
		return b, nil
	}
	if !utf8.Valid(text) || bytes.ContainsFunc(text, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		// Not text at all (an image, an archive, BBQr or UR parts that carried something
		// else): "not base64 at character 1, check that it was copied whole" would send the
		// user after a copying mistake that is not there.
		return nil, fmt.Errorf("%w: binary data that does not start with the PSBT magic bytes (psbt\\xff): not a PSBT; is it the right file?", ErrInvalidPSBT)
	}
	b := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
	n, err := base64.StdEncoding.Decode(b, text)
	if err != nil {
		// Count from 1, as a person does, and only in the text without its spaces.
		where := ""
		var ce base64.CorruptInputError
		if errors.As(err, &ce) {
			where = fmt.Sprintf(" (at character %d)", int64(ce)+1)
		}
		return nil, fmt.Errorf("%w: neither a binary PSBT nor base64%s: check that it was copied whole", ErrInvalidPSBT, where)
	}
	b = b[:n]
	if !bytes.HasPrefix(b, psbtMagic) {
		return nil, fmt.Errorf("%w: no PSBT magic bytes (psbt\\xff): not a PSBT (a raw transaction?)", ErrInvalidPSBT)
	}
	return b, nil
}

// EncodePSBT serialises p in BIP174's binary form, the form .psbt files hold.
func EncodePSBT(p *psbt.Packet) ([]byte, error) {
	var b bytes.Buffer
	if err := p.Serialize(&b); err != nil {
		return nil, fmt.Errorf("serialise PSBT: %w", err)
	}
	return b.Bytes(), nil
}

// EncodePSBTBase64 serialises p as base64, the form wallets paste and print.
func EncodePSBTBase64(p *psbt.Packet) (string, error) {
	b, err := EncodePSBT(p)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// ClonePSBT copies p deeply by serialising and reading it back, so a trial (finalising to
// verify signatures) leaves the original untouched.
func ClonePSBT(p *psbt.Packet) (*psbt.Packet, error) {
	b, err := EncodePSBT(p)
	if err != nil {
		return nil, err
	}
	return DecodePSBT(b)
}

// InputList names inputs for people, numbered from 1 as a list shows them: "input 2",
// "inputs 1 and 2", "inputs 1, 2 and 4". idx are BIP174's indices, from 0.
func InputList(idx []int) string {
	nums := make([]string, len(idx))
	for i, n := range idx {
		nums[i] = strconv.Itoa(n + 1)
	}
	switch len(nums) {
	case 0:
		return "no input"
	case 1:
		return "input " + nums[0]
	}
	return "inputs " + strings.Join(nums[:len(nums)-1], ", ") + " and " + nums[len(nums)-1]
}
