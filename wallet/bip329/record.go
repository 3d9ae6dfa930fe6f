package bip329

import "time"

// The record types BIP329 defines.
const (
	TypeTx     = "tx"     // ref: a transaction id in hex
	TypeAddr   = "addr"   // ref: an address
	TypePubkey = "pubkey" // ref: a public key in hex (32, 33 or 65 bytes)
	TypeInput  = "input"  // ref: txid:index of a transaction input
	TypeOutput = "output" // ref: txid:index of a transaction output
	TypeXpub   = "xpub"   // ref: a BIP32 extended public key
	TypeSPScan = "spscan" // ref: a silent payments scan key expression (BIP392)
)

// Known reports whether t is one of the types BIP329 defines.
func Known(t string) bool {
	switch t {
	case TypeTx, TypeAddr, TypePubkey, TypeInput, TypeOutput, TypeXpub, TypeSPScan:
		return true
	}
	return false
}

// Record is one line of an export. Label and Spendable are pointers because BIP329 gives an
// omitted value a meaning of its own: the importing wallet must leave that value as it is.
type Record struct {
	Type   string
	Ref    string
	Label  *string
	Origin string // an abbreviated descriptor such as wpkh([d34db33f/84'/0'/0']), or ""
	// Spendable, for outputs only: false means the wallet should not spend the coin (frozen).
	Spendable *bool

	// Line is the record's 1-based line number in the parsed file (0 for records not parsed).
	Line int

	// Additional fields of BIP329, written by Encode when set (and never read by Parse).
	Extra Extra
}

// Extra holds BIP329's optional additional fields a wallet can give to help other tools
// (accounting, coin control) without them having to look anything up.
type Extra struct {
	Height  int32      // tx, input, output: block height, only once the transaction has 6 confirmations
	Time    *time.Time // tx, input, output: that block's time
	Fee     *int64     // tx: fee in satoshis, when the wallet knows it
	Value   *int64     // tx: signed net effect on the wallet; input/output: the amount, in satoshis
	Keypath string     // addr, input, output: "/chain/index" after the origin's path
}

// Text returns the label, or "" when the record has none.
func (r *Record) Text() string {
	if r.Label == nil {
		return ""
	}
	return *r.Label
}
