package wallet

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/txscript/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// Input signing states of a PSBT, as PSBTInput.Status says them.
const (
	InputUnsigned     = "unsigned"         // no signature yet
	InputPartlySigned = "partially_signed" // some signatures, not enough to finalise
	InputSigned       = "signed"           // signatures enough to finalise
	InputFinal        = "final"            // final scriptSig or witness present
)

// What an input still lacks, as PSBTInput.Missing lists it.
const (
	MissingUtxo      = "utxo" // the PSBT does not say what the input spends
	MissingSignature = "signature"
	MissingFinalize  = "finalization"
)

// The BIP174 role a PSBT needs next, as PSBTSummary.Next says it (Core's analyzepsbt "next").
const (
	PSBTNextUpdater   = "updater"
	PSBTNextSigner    = "signer"
	PSBTNextFinalizer = "finalizer"
	PSBTNextExtractor = "extractor"
)

// maxPSBTDerivations bounds the derivations looked at per input or output.
const maxPSBTDerivations = 64

// PSBTInput is what one input of a PSBT spends and how far its signing has come.
type PSBTInput struct {
	Index      int
	OutPoint   string
	Value      txbuilder.Amount
	ValueKnown bool
	Address    string               // empty when unknown or not an address
	Type       txbuilder.ScriptType // ScriptUnknown when the PSBT does not tell
	Ours       bool                 // only with a wallet: the coin is the wallet's
	Path       string               // the wallet's derivation path, when ours
	Status     string
	Missing    []string
	// Multisig, for a P2WSH multisig input whose witness script the PSBT carries: who has
	// signed and who has not.
	Multisig *PSBTMultisigInput
}

// PSBTMultisigInput is the signing state of a multisig input: the cosigners are named by the
// master fingerprint of their BIP32 derivation in the input (or by their public key in hex
// when the PSBT gives none).
type PSBTMultisigInput struct {
	M, N     int
	Signed   []string
	Unsigned []string
	// Missing is how many more signatures the input needs.
	Missing int
}

// PSBTOutput is one output of a PSBT.
type PSBTOutput struct {
	Index   int
	Address string // empty for scripts without an address (OP_RETURN, ...)
	Value   txbuilder.Amount
	Ours    bool // only with a wallet: pays one of the wallet's addresses
	Change  bool // ours, on the change chain
	Path    string
}

// PSBTSummary is a readable account of a PSBT: what it spends, whom it pays, the fee, and
// what it still needs. With a wallet it also says which inputs and outputs are the wallet's.
type PSBTSummary struct {
	TxID     chainhash.Hash // of the unsigned transaction (final for non-malleable inputs)
	Version  int32
	LockTime uint32
	Inputs   []PSBTInput
	Outputs  []PSBTOutput
	Fee      txbuilder.Amount
	FeeKnown bool
	// VSize is exact when every input is final, else estimated from the input types with the
	// largest signatures; unknown when an input's type is unknown.
	VSize      int64
	VSizeKnown bool
	VSizeExact bool
	Complete   bool
	Next       string
	// WithWallet says Ours, Change and Path were looked up; the amounts below then hold.
	WithWallet bool
	Spent      txbuilder.Amount // value of the wallet's inputs
	Received   txbuilder.Amount // value of outputs paying the wallet
	// Lies lists outputs whose BIP32 derivation names this wallet's key but whose script is
	// not what that key gives: a PSBT trying to pass a payee off as change. Signing refuses.
	Lies     []int
	Warnings []string
}

// FeeRate is the fee per virtual byte, when both are known.
func (s *PSBTSummary) FeeRate() (txbuilder.FeeRate, bool) {
	if !s.FeeKnown || s.Fee < 0 || !s.VSizeKnown || s.VSize <= 0 {
		return 0, false
	}
	return txbuilder.FeeRate(int64(s.Fee) * 1000 / s.VSize), true
}

// AnalyzePSBT describes a PSBT without a wallet; addresses are written for net.
func AnalyzePSBT(p *psbt.Packet, net *chaincfg.Params) *PSBTSummary {
	s := &PSBTSummary{TxID: p.UnsignedTx.TxHash(), Version: p.UnsignedTx.Version, LockTime: p.UnsignedTx.LockTime}
	s.Fee, s.FeeKnown = txbuilder.PSBTFee(p)
	// Which inputs would finalise now: try it on a copy.
	ready := map[int]bool{}
	if work, err := txbuilder.ClonePSBT(p); err == nil {
		pending, err := txbuilder.FinalizePSBT(work)
		if err != nil {
			s.Warnings = append(s.Warnings, err.Error())
		} else {
			for i := range p.Inputs {
				ready[i] = true
			}
			for _, i := range pending {
				ready[i] = false
			}
		}
	}
	var inWeight txbuilder.Weight
	weightKnown := true
	anyNoUtxo, anyUnsigned, anyNotFinal := false, false, false
	for i, pin := range p.Inputs {
		txin := p.UnsignedTx.TxIn[i]
		in := PSBTInput{Index: i, OutPoint: txin.PreviousOutPoint.String()}
		prev := txbuilder.PSBTPrevOut(p, i)
		if prev != nil {
			in.Value, in.ValueKnown = txbuilder.Amount(prev.Value), true
			in.Address = ScriptAddress(prev.PkScript, net)
			in.Type = inputType(prev.PkScript, pin.RedeemScript)
			if in.Type == txbuilder.P2WSH {
				in.Type = inputType(prev.PkScript, pin.WitnessScript)
			}
		} else {
			in.Missing = append(in.Missing, MissingUtxo)
			anyNoUtxo = true
		}
		in.Multisig = multisigInputState(p, i)
		hasSig := len(pin.PartialSigs) > 0 || len(pin.TaprootKeySpendSig) > 0 || len(pin.TaprootScriptSpendSig) > 0
		switch {
		case txbuilder.PSBTInputFinal(p, i):
			in.Status = InputFinal
		case ready[i]:
			in.Status = InputSigned
			in.Missing = append(in.Missing, MissingFinalize)
		case hasSig:
			in.Status = InputPartlySigned
			in.Missing = append(in.Missing, MissingSignature)
		default:
			in.Status = InputUnsigned
			in.Missing = append(in.Missing, MissingSignature)
		}
		if in.Status != InputFinal {
			anyNotFinal = true
			if in.Status != InputSigned {
				anyUnsigned = true
			}
		}
		switch {
		case in.Status == InputFinal:
			inWeight += finalInputWeight(pin.FinalScriptSig, pin.FinalScriptWitness)
		case in.Type.InputWeight() > 0:
			inWeight += in.Type.InputWeight()
		default:
			weightKnown = false
		}
		s.Inputs = append(s.Inputs, in)
	}
	var outWeight txbuilder.Weight
	for i, o := range p.UnsignedTx.TxOut {
		s.Outputs = append(s.Outputs, PSBTOutput{Index: i, Address: ScriptAddress(o.PkScript, net), Value: txbuilder.Amount(o.Value)})
		outWeight += txbuilder.Weight(4 * (8 + compactLen(len(o.PkScript)) + len(o.PkScript)))
	}
	s.Complete = !anyNotFinal
	switch {
	case anyNoUtxo:
		s.Next = PSBTNextUpdater
	case anyUnsigned:
		s.Next = PSBTNextSigner
	case anyNotFinal:
		s.Next = PSBTNextFinalizer
	default:
		s.Next = PSBTNextExtractor
	}
	if s.Complete {
		if tx, err := txbuilder.ExtractPSBT(p); err == nil {
			s.VSize, s.VSizeKnown, s.VSizeExact = txbuilder.TxWeight(tx).VSize(), true, true
		}
	} else if weightKnown {
		w := txbuilder.EstimateTxWeight(len(p.Inputs), len(p.UnsignedTx.TxOut), inWeight, outWeight)
		s.VSize, s.VSizeKnown = w.VSize(), true
	}
	if s.FeeKnown && s.Fee < 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("the outputs are worth %s more than the inputs: this transaction is invalid", groupSat(int64(-s.Fee))))
	}
	return s
}

// multisigInputState describes who signed multisig input i, or nil for another input.
func multisigInputState(p *psbt.Packet, i int) *PSBTMultisigInput {
	st, ok := txbuilder.PSBTMultisig(p, i)
	if !ok {
		return nil
	}
	out := &PSBTMultisigInput{M: st.M, N: len(st.Keys), Missing: st.Missing(), Signed: []string{}, Unsigned: []string{}}
	for k, pub := range st.Keys {
		name := hex.EncodeToString(pub)
		for _, d := range p.Inputs[i].Bip32Derivation {
			if bytes.Equal(d.PubKey, pub) {
				name = keys.FormatFingerprint(psbtFingerprint(d.MasterKeyFingerprint))
				break
			}
		}
		if st.Signed[k] {
			out.Signed = append(out.Signed, name)
		} else {
			out.Unsigned = append(out.Unsigned, name)
		}
	}
	return out
}

// inputType names what an input spends, from its script and (for P2SH) redeem script.
func inputType(script, redeem []byte) txbuilder.ScriptType {
	t := scriptType(script)
	if t == txbuilder.P2WSH {
		if m, pubs, ok := txbuilder.ParseMultisigScript(redeem); ok {
			return txbuilder.P2WSHMultisig(m, len(pubs))
		}
	}
	if t == txbuilder.P2SH && len(redeem) == 22 && redeem[0] == txscript.OP_0 && redeem[1] == txscript.OP_DATA_20 {
		return txbuilder.P2SHP2WPKH
	}
	return t
}

func compactLen(n int) int {
	switch {
	case n < 0xfd:
		return 1
	case n <= 0xffff:
		return 3
	}
	return 5
}

// finalInputWeight is the weight of a finalised input: outpoint, scriptSig and sequence at
// four units a byte, the witness at one.
func finalInputWeight(sigScript, witness []byte) txbuilder.Weight {
	w := txbuilder.Weight(4 * (36 + compactLen(len(sigScript)) + len(sigScript) + 4))
	if len(witness) > 0 {
		w += txbuilder.Weight(len(witness))
	} else {
		w++ // the empty witness's item count, once the transaction is segwit
	}
	return w
}

// AnalyzePSBT describes a PSBT and says which inputs and outputs are the wallet's: by the
// wallet's own record of its addresses, or by a BIP32 derivation naming the wallet's master
// fingerprint and one of its accounts, which is then derived and compared. An output whose
// derivation names the wallet's key but whose script differs is listed in Lies.
func (w *Wallet) AnalyzePSBT(p *psbt.Packet) (*PSBTSummary, error) {
	s := AnalyzePSBT(p, w.net)
	s.WithWallet = true
	err := w.st.View(func(tx *store.Txn) error {
		for i := range s.Inputs {
			in := &s.Inputs[i]
			prev := txbuilder.PSBTPrevOut(p, i)
			if prev == nil {
				continue
			}
			if a, chain, index, ok := w.ownScript(tx, prev.PkScript, p.Inputs[i].Bip32Derivation, p.Inputs[i].TaprootBip32Derivation); ok {
				in.Ours, in.Path, in.Type = true, a.keys.Path(chain, index), a.keys.ScriptType()
				s.Spent += in.Value
			}
		}
		for i := range s.Outputs {
			out := &s.Outputs[i]
			script := p.UnsignedTx.TxOut[i].PkScript
			pout := p.Outputs[i]
			a, chain, index, ok := w.ownScript(tx, script, pout.Bip32Derivation, pout.TaprootBip32Derivation)
			if ok {
				if limit, beyond := w.beyondWatched(tx, a, script, chain, index); beyond {
					// Money sent there is the wallet's but sync never looks that far: a
					// "change" at index 2^31-1 hides the funds from the wallet.
					s.Lies = append(s.Lies, i)
					s.Warnings = append(s.Warnings, fmt.Sprintf("output %d pays this wallet's %s, past index %d where sync stops looking (last used or handed-out address plus the gap limit): the wallet would not see that money (if the wallet that made it has used that many addresses, sync this one first)", i+1, a.keys.Path(chain, index), limit))
					continue
				}
				out.Ours, out.Change, out.Path = true, chain == keys.Internal, a.keys.Path(chain, index)
				s.Received += out.Value
				continue
			}
			if claim := w.claimedPath(pout.Bip32Derivation, pout.TaprootBip32Derivation); claim != "" {
				s.Lies = append(s.Lies, i)
				s.Warnings = append(s.Warnings, fmt.Sprintf("output %d says it derives from this wallet's key %s, but it does not pay that key's address", i+1, claim))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analyse PSBT: %w", err)
	}
	return s, nil
}

// ownScript finds script among the wallet's addresses: in the store, or by a derivation that
// names one of the wallet's accounts and gives exactly this script.
func (w *Wallet) ownScript(tx *store.Txn, script []byte, ders []*psbt.Bip32Derivation, tap []*psbt.TaprootBip32Derivation) (*account, uint32, uint32, bool) {
	if ad, ok := tx.Addr(script); ok {
		if a := w.account(ad.Purpose); a != nil {
			return a, ad.Chain, ad.Index, true
		}
	}
	for _, c := range w.derivationClaims(ders, tap) {
		if d, err := c.acct.keys.Derive(c.chain, c.index); err == nil && bytes.Equal(d.PkScript, script) {
			return c.acct, c.chain, c.index, true
		}
	}
	return nil, 0, 0, false
}

// claimedPath is the path of the first derivation that names the wallet (by a known, non-zero
// master fingerprint) and one of its accounts with the right public key, or "" for none. A
// derivation naming our fingerprint and path but another key is a claim too.
func (w *Wallet) claimedPath(ders []*psbt.Bip32Derivation, tap []*psbt.TaprootBip32Derivation) string {
	for _, c := range w.derivationClaims(ders, tap) {
		if c.acct.keys.Fingerprint != 0 {
			return c.acct.keys.Path(c.chain, c.index)
		}
	}
	return ""
}

type derivationClaim struct {
	acct         *account
	chain, index uint32
}

// derivationClaims lists the derivations whose fingerprint and path fall in one of the
// wallet's accounts at .../chain/index with chain 0 or 1. A wallet whose master fingerprint is
// unknown (00000000, a watch-only wallet from a bare xpub) matches on the path alone.
func (w *Wallet) derivationClaims(ders []*psbt.Bip32Derivation, tap []*psbt.TaprootBip32Derivation) []derivationClaim {
	type der struct {
		fp   uint32
		path []uint32
		key  []byte
		tap  bool
	}
	var all []der
	for _, d := range ders {
		all = append(all, der{d.MasterKeyFingerprint, d.Bip32Path, d.PubKey, false})
	}
	for _, d := range tap {
		all = append(all, der{d.MasterKeyFingerprint, d.Bip32Path, d.XOnlyPubKey, true})
	}
	if len(all) > maxPSBTDerivations {
		all = all[:maxPSBTDerivations]
	}
	var out []derivationClaim
	for _, d := range all {
		for _, a := range w.accounts {
			if a.keys.Multi != nil {
				if !d.tap {
					out = append(out, multisigClaims(a, d.fp, d.path, d.key)...)
				}
				continue
			}
			if len(d.path) != 5 {
				continue
			}
			fp := a.keys.Fingerprint
			if fp != 0 && psbtFingerprint(fp) != d.fp {
				continue
			}
			want := a.fullPath(0, 0)
			if d.path[0] != want[0] || d.path[1] != want[1] || d.path[2] != want[2] || d.path[3] > 1 || d.path[4] >= keys.Hardened {
				continue
			}
			c := derivationClaim{a, d.path[3], d.path[4]}
			if fp == 0 && !keyMatches(c, d.key, d.tap) {
				continue // an unknown fingerprint: only a matching key makes it a claim on us
			}
			out = append(out, c)
		}
	}
	return out
}

func keyMatches(c derivationClaim, key []byte, tap bool) bool {
	d, err := c.acct.keys.Derive(c.chain, c.index)
	if err != nil {
		return false
	}
	if tap {
		return bytes.Equal(schnorr.SerializePubKey(d.PubKey), key)
	}
	pk, err := btcec.ParsePubKey(key)
	return err == nil && pk.IsEqual(d.PubKey)
}

// beyondWatched says whether the wallet's own address at chain/index of a lies past what
// sync watches (the last used or handed-out index of that chain plus the gap limit), so money
// paid there would not be seen. Addresses in the store are watched. It returns the highest
// index watched.
func (w *Wallet) beyondWatched(tx *store.Txn, a *account, script []byte, chain, index uint32) (int64, bool) {
	if _, ok := tx.Addr(script); ok {
		return 0, false
	}
	rec, err := w.freshAccount(tx, a.rec.Purpose)
	if err != nil {
		return -1, true // unreadable: not shown as the wallet's
	}
	next := rec.NextReceive
	if chain == keys.Internal {
		next = rec.NextChange
	}
	last := int64(next) - 1
	err = tx.ForEachAddr(a.rec.Purpose, chain, func(_ []byte, ad store.Addr) error {
		if ad.Used && int64(ad.Index) > last {
			last = int64(ad.Index)
		}
		return nil
	})
	limit := last + int64(w.gapLimit(tx))
	return limit, err != nil || int64(index) > limit
}
