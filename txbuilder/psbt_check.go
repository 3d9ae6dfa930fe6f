package txbuilder

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// ErrPSBTRefused marks a well-formed PSBT that a signer must not sign: its inputs contradict
// themselves (amounts, scripts), or it asks for something satchel does not sign.
var ErrPSBTRefused = errors.New("PSBT refused")

// PSBTPrevOut is the output input i spends, as the PSBT tells it: from non_witness_utxo when
// present (the previous transaction, checked against the outpoint when decoding), else from
// witness_utxo. It returns nil when the PSBT carries neither.
func PSBTPrevOut(p *psbt.Packet, i int) *wire.TxOut {
	in := p.Inputs[i]
	if in.NonWitnessUtxo != nil {
		idx := p.UnsignedTx.TxIn[i].PreviousOutPoint.Index
		if int64(idx) < int64(len(in.NonWitnessUtxo.TxOut)) {
			return in.NonWitnessUtxo.TxOut[idx]
		}
		return nil
	}
	return in.WitnessUtxo
}

// CheckPSBTSigner runs BIP174's signer checks on every input that says what it spends, and
// refuses the whole PSBT when one fails: a witness_utxo for an output that is not segwit, a
// witness_utxo that disagrees with the previous transaction given beside it (the way a
// malicious coordinator lies about amounts), a redeemScript or witnessScript that does not
// hash to the script it claims to be, or an amount beyond 21 million BTC.
func CheckPSBTSigner(p *psbt.Packet) error {
	for i := range p.Inputs {
		if err := checkSignerInput(p, i); err != nil {
			return fmt.Errorf("%w: input %d: %w", ErrPSBTRefused, i+1, err)
		}
	}
	return nil
}

func checkSignerInput(p *psbt.Packet, i int) error {
	in := &p.Inputs[i]
	prev := PSBTPrevOut(p, i)
	if prev == nil {
		return nil
	}
	if prev.Value < 0 || Amount(prev.Value) > MaxMoney {
		return fmt.Errorf("spends an amount of %s sat, which cannot exist", Amount(prev.Value).Grouped())
	}
	if in.NonWitnessUtxo != nil && in.WitnessUtxo != nil {
		if in.WitnessUtxo.Value != prev.Value || !bytes.Equal(in.WitnessUtxo.PkScript, prev.PkScript) {
			return fmt.Errorf("witness_utxo says %s sat to script %x, but the previous transaction pays %s sat to %x",
				Amount(in.WitnessUtxo.Value).Grouped(), in.WitnessUtxo.PkScript, Amount(prev.Value).Grouped(), prev.PkScript)
		}
	}
	script := prev.PkScript
	isP2SH := txscript.IsPayToScriptHash(script)
	if in.WitnessUtxo != nil && !isP2SH && !txscript.IsWitnessProgram(script) {
		return errors.New("a witness_utxo is given for an output that is not segwit")
	}
	program := script
	if len(in.RedeemScript) > 0 {
		if !isP2SH {
			return errors.New("a redeemScript is given for an output that is not P2SH")
		}
		if !bytes.Equal(script[2:22], address.Hash160(in.RedeemScript)) {
			return errors.New("the redeemScript does not match the output's script hash")
		}
		program = in.RedeemScript
	}
	if in.WitnessUtxo != nil && isP2SH && len(in.RedeemScript) > 0 && !txscript.IsWitnessProgram(in.RedeemScript) {
		return errors.New("a witness_utxo is given for a P2SH output whose redeemScript is not segwit")
	}
	if len(in.WitnessScript) > 0 {
		if !txscript.IsPayToWitnessScriptHash(program) {
			return errors.New("a witnessScript is given for an output that is not P2WSH")
		}
		h := sha256.Sum256(in.WitnessScript)
		if !bytes.Equal(program[2:], h[:]) {
			return errors.New("the witnessScript does not match the witness program")
		}
	}
	return nil
}

// PSBTFee is the fee a PSBT pays when every input says what it spends; ok is false otherwise.
func PSBTFee(p *psbt.Packet) (fee Amount, ok bool) {
	var in, out int64
	for i := range p.Inputs {
		prev := PSBTPrevOut(p, i)
		if prev == nil || prev.Value < 0 || Amount(prev.Value) > MaxMoney {
			return 0, false
		}
		in += prev.Value
	}
	for _, o := range p.UnsignedTx.TxOut {
		if o.Value < 0 || Amount(o.Value) > MaxMoney {
			return 0, false
		}
		out += o.Value
	}
	return Amount(in - out), true
}

// psbtFetcher answers every input of p with what the PSBT says it spends, and an empty output
// for inputs it says nothing about (so that sighash code never meets a nil).
type psbtFetcher struct {
	m map[wire.OutPoint]*wire.TxOut
}

func newPSBTFetcher(p *psbt.Packet) (*psbtFetcher, bool) {
	f := &psbtFetcher{m: map[wire.OutPoint]*wire.TxOut{}}
	all := true
	for i, in := range p.UnsignedTx.TxIn {
		if prev := PSBTPrevOut(p, i); prev != nil {
			f.m[in.PreviousOutPoint] = prev
		} else {
			all = false
		}
	}
	return f, all
}

// FetchPrevOutput implements txscript.PrevOutputFetcher.
func (f *psbtFetcher) FetchPrevOutput(op wire.OutPoint) *wire.TxOut {
	if o, ok := f.m[op]; ok {
		return o
	}
	return &wire.TxOut{}
}
