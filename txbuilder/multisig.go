package txbuilder

// MaxMultisigKeys is the most keys a P2WSH multisig satchel builds may have: 15, the limit
// of Bitcoin Core's sortedmulti() and what every wallet of the ecosystem agrees on.
const MaxMultisigKeys = 15

// multisigBase is where the P2WSH m-of-n script types start. Each (m, n) is its own type so
// that a coin's type alone still fixes its input weight, its change cost and its dust limit,
// as it does for the single-key types.
const multisigBase ScriptType = 0x100

// P2WSHMultisig is the script type of a P2WSH m-of-n CHECKMULTISIG output (BIP383 wsh(multi)
// or wsh(sortedmulti)), for 1 <= m <= n <= MaxMultisigKeys; any other m, n give ScriptUnknown.
func P2WSHMultisig(m, n int) ScriptType {
	if m < 1 || n < m || n > MaxMultisigKeys {
		return ScriptUnknown
	}
	return multisigBase + ScriptType(m<<4|n)
}

// Multisig says whether t is a P2WSH m-of-n type, and its m and n.
func (t ScriptType) Multisig() (m, n int, ok bool) {
	if t < multisigBase || t > multisigBase+0xff {
		return 0, 0, false
	}
	v := int(t - multisigBase)
	m, n = v>>4, v&0xf
	if m < 1 || n < m || n > MaxMultisigKeys {
		return 0, 0, false
	}
	return m, n, true
}

// MultisigWitnessScriptLen is the length of an m-of-n CHECKMULTISIG script of compressed
// keys: OP_m, n pushes of 33 bytes, OP_n, OP_CHECKMULTISIG.
func MultisigWitnessScriptLen(n int) int { return 1 + n*(1+33) + 1 + 1 }

// multisigInputWeight is the weight of a P2WSH m-of-n input: 41 non-witness bytes x4, and
// the witness: its item count, the empty item CHECKMULTISIG's off-by-one pops, m signatures
// counted at their largest (72 bytes with sighash, plus the push) and the witness script.
func multisigInputWeight(m, n int) Weight {
	script := int64(MultisigWitnessScriptLen(n))
	items := int64(m + 2)
	wit := compactSizeLen(items) + 1 + int64(m)*(1+72) + compactSizeLen(script) + script
	return Weight(41*4 + wit)
}
