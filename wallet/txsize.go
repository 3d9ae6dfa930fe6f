package wallet

import (
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// Witness bounds, in weight units, the item count aside (committedVSize adds one byte per input), for sizing a transaction whose witness
// the chain has not committed to (a txid does not cover it, so a server can pad it at will).
const (
	// witnessP2WPKH: a 73-byte signature (the largest DER plus sighash), a 33-byte key.
	witnessP2WPKH = 1 + 73 + 1 + 33
	// witnessP2TRKey: a 65-byte Schnorr signature: a key-path spend. A script-path
	// spend is larger and then sized low, which makes a child pay less than asked, never more.
	witnessP2TRKey = 1 + 65
	// witnessP2WSH: what standardness allows a P2WSH spend: 100 items of 80 bytes and a
	// 3,600-byte script (the count's varint takes 2 bytes beyond the one counted per input) (Bitcoin Core's policy limits).
	witnessP2WSH = 2 + 100*(1+80) + 3 + 3600
)

// txWeightVSize is the size of a transaction whose witness is known to be the real one (one
// the wallet signed).
func txWeightVSize(m *wire.MsgTx) int64 { return txbuilder.TxWeight(m).VSize() }

// committedVSize sizes a transaction from what its txid commits to: the transaction without
// witness, plus for each input the largest witness its script type allows (prevScripts[i] is
// the script input i spends, nil when unknown). Whatever witness the transaction carries is
// ignored: a server can pad it without changing the txid (issue 17: an 80 KB junk witness made a
// 154 vB parent look 20,156 vB and a child pay 911 sat/vB).
func committedVSize(m *wire.MsgTx, prevScripts [][]byte) int64 {
	weight := int64(m.SerializeSizeStripped()) * 4
	var wit int64
	for i, in := range m.TxIn {
		var prev []byte
		if i < len(prevScripts) {
			prev = prevScripts[i]
		}
		wit += witnessBound(prev, in.SignatureScript)
	}
	if wit > 0 {
		// Segwit marker and flag, and the empty witness (its count byte) of legacy inputs.
		weight += 2 + wit + int64(len(m.TxIn))
	}
	return (weight + 3) / 4
}

// witnessBound is the largest witness (in WU) an input may carry given the script it spends and
// its committed scriptSig. Unknown scripts are taken for P2WPKH when the scriptSig is empty
// (the common native segwit spend) and for legacy otherwise.
func witnessBound(prev, sigScript []byte) int64 {
	switch scriptType(prev) {
	case txbuilder.P2PKH:
		return 0
	case txbuilder.P2WPKH:
		return witnessP2WPKH
	case txbuilder.P2TR:
		return witnessP2TRKey
	case txbuilder.P2WSH:
		return witnessP2WSH
	case txbuilder.P2SH:
		return nestedBound(sigScript)
	}
	if prev == nil && len(sigScript) == 0 {
		return witnessP2WPKH
	}
	if prev == nil {
		return nestedBound(sigScript)
	}
	return 0
}

// nestedBound is the witness bound for a P2SH input, read from its scriptSig: a push of a v0
// program means nested segwit.
func nestedBound(sigScript []byte) int64 {
	switch {
	case len(sigScript) == 23 && sigScript[0] == 22 && sigScript[1] == 0x00 && sigScript[2] == 0x14:
		return witnessP2WPKH
	case len(sigScript) == 35 && sigScript[0] == 34 && sigScript[1] == 0x00 && sigScript[2] == 0x20:
		return witnessP2WSH
	}
	return 0
}

// storePrevScripts looks up the script each input spends among the wallet's transactions; nil
// where the store does not have it.
func storePrevScripts(tx *store.Txn, m *wire.MsgTx) [][]byte {
	out := make([][]byte, len(m.TxIn))
	for i, in := range m.TxIn {
		r, err := tx.Tx(in.PreviousOutPoint.Hash)
		if err != nil {
			continue
		}
		pm, err := r.MsgTx()
		if err != nil || int(in.PreviousOutPoint.Index) >= len(pm.TxOut) {
			continue
		}
		out[i] = pm.TxOut[in.PreviousOutPoint.Index].PkScript
	}
	return out
}

// stripWitness drops every input's witness, the part of a transaction from a server its txid
// does not vouch for, so it is neither stored nor used for sizing.
func stripWitness(m *wire.MsgTx) {
	for _, in := range m.TxIn {
		in.Witness = nil
	}
}
