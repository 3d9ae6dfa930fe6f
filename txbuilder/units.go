package txbuilder

import (
	"fmt"
)

// Amount is a quantity of satoshis. Money is never a float anywhere in satchel.
type Amount int64

// Sat units.
const (
	SatPerBTC Amount = 100_000_000
	// MaxMoney is 21 million BTC: no valid amount is larger.
	MaxMoney Amount = 21_000_000 * SatPerBTC
)

// Weight is a size in weight units (BIP141). Four weight units make a virtual byte.
type Weight int64

// VSize returns the virtual size nodes count: ceil(weight / 4).
func (w Weight) VSize() int64 { return (int64(w) + 3) / 4 }

// FeeRate is a fee rate in satoshis per 1,000 virtual bytes, so sub-1 sat/vB rates such as
// 0.5 sat/vB (500) are exact integers.
type FeeRate int64

// SatPerVB builds a FeeRate from whole satoshis per virtual byte.
func SatPerVB(n int64) FeeRate { return FeeRate(n * 1000) }

// FeeForVSize is the fee this rate asks for vsize virtual bytes, rounded up so the
// paid rate is never below the asked one.
func (r FeeRate) FeeForVSize(vsize int64) Amount {
	return Amount((int64(r)*vsize + 999) / 1000)
}

// FeeForWeight is the fee for a transaction of weight w: the rate times ceil(w/4), rounded up.
func (r FeeRate) FeeForWeight(w Weight) Amount { return r.FeeForVSize(w.VSize()) }

// String prints the rate in sat/vB with up to three decimals, without trailing zeros.
func (r FeeRate) String() string {
	whole, frac := int64(r)/1000, int64(r)%1000
	if frac == 0 {
		return fmt.Sprintf("%d", whole)
	}
	s := fmt.Sprintf("%d.%03d", whole, frac)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	return s
}

// ScriptType is the kind of output script a coin or payee uses. It fixes input and output
// sizes and the dust limit.
type ScriptType int

// Script types satchel can pay to; the first four it can also spend.
const (
	ScriptUnknown ScriptType = iota
	P2PKH
	P2SHP2WPKH
	P2WPKH
	P2TR
	P2SH  // a payee only: any P2SH script
	P2WSH // a payee only
)

// String names the script type as descriptors and the CLI do.
// AddressKind names the kind of address the type pays to as people know it, for messages:
// "a taproot address" reads where "a tr output" does not.
func (t ScriptType) AddressKind() string {
	switch t {
	case P2PKH:
		return "legacy address"
	case P2SHP2WPKH, P2SH:
		return "P2SH address"
	case P2WPKH:
		return "native segwit address"
	case P2TR:
		return "taproot address"
	}
	return "segwit script address"
}

func (t ScriptType) String() string {
	switch t {
	case P2PKH:
		return "pkh"
	case P2SHP2WPKH:
		return "sh-wpkh"
	case P2WPKH:
		return "wpkh"
	case P2TR:
		return "tr"
	case P2SH:
		return "sh"
	case P2WSH:
		return "wsh"
	}
	if m, n, ok := t.Multisig(); ok {
		return fmt.Sprintf("wsh-multi-%d-of-%d", m, n)
	}
	return "unknown"
}

// InputWeight is the largest weight of an input spending this script type with satchel's
// signer: signatures are counted at their maximum size (72-byte ECDSA with sighash byte,
// 64-byte Schnorr with the default sighash) so the real fee rate is never below the asked one.
func (t ScriptType) InputWeight() Weight {
	switch t {
	case P2WPKH:
		// 41 non-witness bytes (outpoint 36, empty scriptSig 1, sequence 4) x4, witness:
		// count 1 + sig 1+72 + pubkey 1+33 = 108.
		return 41*4 + 108
	case P2TR:
		// 41 x4, witness: count 1 + sig 1+64 = 66. 230 WU = 57.5 vB.
		return 41*4 + 66
	case P2SHP2WPKH:
		// outpoint 36 + scriptSig 1+23 + sequence 4 = 64 bytes x4, witness 108.
		return 64*4 + 108
	case P2PKH:
		// outpoint 36 + scriptSig 1+(1+72)+(1+33) + sequence 4 = 148 bytes, plus 1 WU: in a
		// transaction with any segwit input, every input carries a witness stack count, an
		// empty one (0x00) for this one.
		return 148*4 + 1
	}
	if m, n, ok := t.Multisig(); ok {
		return multisigInputWeight(m, n)
	}
	return 0
}

// OutputWeight is the weight of an output paying this script type: value 8 + script length 1 +
// script, times four.
func (t ScriptType) OutputWeight() Weight {
	switch t {
	case P2PKH:
		return (8 + 1 + 25) * 4
	case P2SHP2WPKH, P2SH:
		return (8 + 1 + 23) * 4
	case P2WPKH:
		return (8 + 1 + 22) * 4
	case P2TR, P2WSH:
		return (8 + 1 + 34) * 4
	}
	if _, _, ok := t.Multisig(); ok {
		return (8 + 1 + 34) * 4
	}
	return 0
}

// DustLimit is the smallest output value of this type that nodes relay under the default
// dust relay fee of 3 sat/vB (Bitcoin Core's GetDustThreshold).
func (t ScriptType) DustLimit() Amount {
	switch t {
	case P2PKH:
		return 546
	case P2SHP2WPKH, P2SH:
		return 540
	case P2WPKH:
		return 294
	case P2TR, P2WSH:
		return 330
	}
	if _, _, ok := t.Multisig(); ok {
		return 330
	}
	return 546
}

// TxOverheadWeight is the weight of a segwit transaction's fixed part with up to 252 inputs and
// outputs: version 4, locktime 4, input and output counts 1 each (x4), plus marker and flag
// (2 WU). 42 WU = 10.5 vB.
const TxOverheadWeight Weight = 4*(4+4+1+1) + 2

// Grouped is the amount in satoshis with thousands separated by commas (15,000), as satchel
// shows amounts to people. Input never takes this form.
func (a Amount) Grouped() string {
	neg := a < 0
	v := uint64(a)
	if neg {
		v = uint64(-a)
	}
	s := fmt.Sprint(v)
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}
