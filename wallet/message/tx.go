package message

import (
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// BuildToSpend is BIP322's virtual to_spend transaction: version 0, one input spending the
// null outpoint with scriptSig OP_0 PUSH32[message_hash] and sequence 0, one output of 0
// satoshis paying to the address's script (the message_challenge). Its txid binds the
// message and the address into the transaction that is signed.
func BuildToSpend(msg, pkScript []byte) *wire.MsgTx {
	h := MessageHash(msg)
	scriptSig := make([]byte, 0, 34)
	scriptSig = append(scriptSig, txscript.OP_0, txscript.OP_DATA_32)
	scriptSig = append(scriptSig, h[:]...)

	tx := wire.NewMsgTx(0)
	in := wire.NewTxIn(wire.NewOutPoint(&chainhash.Hash{}, wire.MaxPrevOutIndex), scriptSig, nil)
	in.Sequence = 0
	tx.AddTxIn(in)
	tx.AddTxOut(wire.NewTxOut(0, pkScript))
	return tx
}

// BuildToSign is BIP322's virtual to_sign transaction for a simple signature: version 0,
// locktime 0, one input spending output 0 of toSpend with sequence 0 and the given witness,
// one output of 0 satoshis to OP_RETURN.
func BuildToSign(toSpend *wire.MsgTx, witness wire.TxWitness) *wire.MsgTx {
	h := toSpend.TxHash()
	tx := wire.NewMsgTx(0)
	in := wire.NewTxIn(wire.NewOutPoint(&h, 0), nil, witness)
	in.Sequence = 0
	tx.AddTxIn(in)
	tx.AddTxOut(wire.NewTxOut(0, []byte{txscript.OP_RETURN}))
	return tx
}
