package wallet

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/bip329"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// MaxLabelBytes is the longest label satchel keeps; `satchel label` refuses longer ones and a
// BIP329 import cuts them (BIP329 allows an importer to truncate, and suggests 255 characters).
const MaxLabelBytes = 1000

// CheckLabel says whether text can be a label: one line of at most MaxLabelBytes bytes, with
// no control characters (line breaks, tabs, terminal escape sequences), which would break the
// one-line BIP329 export or reach the terminal of whoever lists it, and none of the invisible
// or text-reordering ones (clip.Hides), which could disguise what is printed beside it.
func CheckLabel(text string) error {
	if len(text) > MaxLabelBytes {
		return fmt.Errorf("%w: a label is at most %s bytes (this one is %s): shorten it", ErrBadInput, groupNum(int64(MaxLabelBytes)), groupNum(int64(len(text))))
	}
	if !utf8.ValidString(text) {
		return fmt.Errorf("%w: a label must be UTF-8 text", ErrBadInput)
	}
	if strings.ContainsFunc(text, clip.Hides) {
		return fmt.Errorf("%w: a label is one line without control characters (line breaks, tabs, escape sequences) or invisible and text-direction ones (U+200B, U+202E...)", ErrBadInput)
	}
	return nil
}

// CleanLabel replaces the control characters of a label from a third party (a BIP329 file, a
// payment URI) with spaces, so that it cannot put escape sequences, line breaks or text-direction
// overrides into the wallet (clip.Hides), and says whether it changed anything.
func CleanLabel(text string) (string, bool) {
	valid := utf8.ValidString(text)
	if valid && !strings.ContainsFunc(text, clip.Hides) {
		return text, false
	}
	if !valid {
		text = strings.ToValidUTF8(text, " ")
	}
	return strings.Map(func(r rune) rune {
		if clip.Hides(r) {
			return ' '
		}
		return r
	}, text), true
}

// FitLabel is CleanLabel and a cut to MaxLabelBytes: a label from a third party (a payment
// URI) made storable.
func FitLabel(text string) string {
	text, _ = CleanLabel(text)
	if len(text) > MaxLabelBytes {
		text = truncateUTF8(text, MaxLabelBytes)
	}
	return text
}

// labelKeyXpub is the label key of an extended public key, kept so an import and export of
// BIP329 xpub records loses nothing.
func labelKeyXpub(xpub string) string { return "xpub:" + xpub }

// confirmedDepth is how many confirmations BIP329 wants before it gives a height.
const confirmedDepth = 6

// LabelRecords returns the wallet's labels and frozen coins as BIP329 records: transactions,
// addresses, outputs (spendable is false for a frozen coin) and xpubs, in that order and by
// ref. Records carry what the wallet knows of BIP329's additional fields: a transaction's net
// value, fee and (with 6 confirmations) height and time; an own address's or coin's origin and
// key path, and a coin's value.
func (w *Wallet) LabelRecords() ([]bip329.Record, error) {
	var out []bip329.Record
	mainOrigin := w.origin(uint32(w.main().keys.Purpose))
	err := w.st.View(func(tx *store.Txn) error {
		labels, err := tx.Labels()
		if err != nil {
			return err
		}
		frozen := tx.FrozenSet()
		// Sized once: growing a list of 500,000 records by doubling took longer than reading
		// them from the store.
		out = make([]bip329.Record, 0, len(labels)+len(frozen))
		tip := int32(0)
		if s, err := tx.SyncState(); err == nil {
			tip = s.Height
		}
		hist, err := tx.History(0, 0)
		if err != nil {
			return err
		}
		rows := make(map[chainhash.Hash]store.HistRow, len(hist))
		for _, r := range hist {
			rows[r.TxID] = r
		}
		coins, err := tx.Coins()
		if err != nil {
			return err
		}
		coinAt := make(map[wire.OutPoint]store.Coin, len(coins))
		for _, c := range coins {
			coinAt[c.OutPoint] = c
		}
		outputs := map[wire.OutPoint]bool{}
		for key, text := range labels {
			prefix, ref, _ := strings.Cut(key, ":")
			// A label stored before labels were checked may hold a line break, which BIP329
			// cannot carry: export it cleaned rather than leave it out.
			label, _ := CleanLabel(text)
			rec := bip329.Record{Ref: ref, Label: &label}
			switch prefix {
			case "tx":
				rec.Type = bip329.TypeTx
				if h, err := chainhash.NewHashFromStr(ref); err == nil {
					if r, ok := rows[*h]; ok {
						rec.Extra = txExtra(r, tip)
					}
				}
			case "addr":
				rec.Type = bip329.TypeAddr
				if a, err := address.Decode(ref, w.net); err == nil {
					// A silent payment's address has no BIP32 path to name.
					if ad, ok := tx.Addr(a.PkScript); ok && ad.Purpose != store.SilentPurpose {
						rec.Origin, rec.Extra.Keypath = w.origin(ad.Purpose), keypath(ad.Chain, ad.Index)
					}
				}
			case "out":
				op, err := parseOutPointKey(ref)
				if err != nil {
					continue // not written by satchel; nothing to export
				}
				rec.Type = bip329.TypeOutput
				outputs[op] = true
				spendable := !frozen[op]
				rec.Spendable = &spendable
				if c, ok := coinAt[op]; ok {
					rec.Origin, rec.Extra = w.coinExtra(c)
				}
			case "xpub":
				rec.Type = bip329.TypeXpub
			default:
				continue
			}
			if rec.Origin == "" {
				// Every record names the account it belongs to, so an importer keeping several
				// wallets (Sparrow) files it under this one.
				rec.Origin = mainOrigin
			}
			if bip329.Validate(&rec) != nil {
				continue // a key some other version wrote that BIP329 cannot carry
			}
			out = append(out, rec)
		}
		for op := range frozen {
			if outputs[op] {
				continue
			}
			no := false
			rec := bip329.Record{Type: bip329.TypeOutput, Ref: op.String(), Spendable: &no}
			if c, ok := coinAt[op]; ok {
				rec.Origin, rec.Extra = w.coinExtra(c)
			}
			if rec.Origin == "" { // a silent payment's coin has no account path: the wallet's own
				rec.Origin = mainOrigin
			}
			out = append(out, rec)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export labels: %w", err)
	}
	order := map[string]int{bip329.TypeTx: 0, bip329.TypeAddr: 1, bip329.TypeOutput: 2, bip329.TypeXpub: 3}
	slices.SortFunc(out, func(a, b bip329.Record) int {
		return cmp.Or(cmp.Compare(order[a.Type], order[b.Type]), cmp.Compare(a.Ref, b.Ref))
	})
	return out, nil
}

func txExtra(r store.HistRow, tip int32) bip329.Extra {
	net := r.Net
	e := bip329.Extra{Value: &net}
	if r.Fee >= 0 {
		fee := r.Fee
		e.Fee = &fee
	}
	if r.Status == store.StatusConfirmed && r.Height > 0 && tip-r.Height+1 >= confirmedDepth {
		e.Height = r.Height
		if r.Time > 0 {
			t := time.Unix(r.Time, 0).UTC()
			e.Time = &t
		}
	}
	return e
}

func (w *Wallet) coinExtra(c store.Coin) (string, bip329.Extra) {
	v := c.Value
	if c.Purpose == store.SilentPurpose {
		return "", bip329.Extra{Value: &v}
	}
	return w.origin(c.Purpose), bip329.Extra{Value: &v, Keypath: keypath(c.Chain, c.Index)}
}

func keypath(chain, index uint32) string { return fmt.Sprintf("/%d/%d", chain, index) }

// origin is the abbreviated descriptor BIP329 puts in "origin": the script function and the
// account's key origin, with no key, like tr([73c5da0a/86h/0h/0h]).
func (w *Wallet) origin(purpose uint32) string {
	a := w.account(purpose)
	if a == nil {
		return ""
	}
	if m := a.keys.Multi; m != nil {
		// Every cosigner's key origin, in the descriptor's order, as the wallet's descriptor
		// names them: wsh(sortedmulti(2,[b8688df1/48h/1h/0h/2h],[...],[...])).
		parts := make([]string, len(m.Cosigners))
		for i, c := range m.Cosigners {
			parts[i] = "[" + keys.FormatFingerprint(c.Fingerprint) + strings.TrimPrefix(c.OriginPath(), "m") + "]"
		}
		return fmt.Sprintf("wsh(sortedmulti(%d,%s))", m.M, strings.Join(parts, ","))
	}
	o := "[" + keys.FormatFingerprint(a.keys.Fingerprint) + strings.TrimPrefix(a.keys.OriginPath(), "m") + "]"
	switch a.keys.ScriptType() {
	case txbuilder.P2PKH:
		return "pkh(" + o + ")"
	case txbuilder.P2SHP2WPKH:
		return "sh(wpkh(" + o + "))"
	case txbuilder.P2WPKH:
		return "wpkh(" + o + ")"
	case txbuilder.P2TR:
		return "tr(" + o + ")"
	}
	return ""
}

func parseOutPointKey(ref string) (wire.OutPoint, error) {
	id, idx, err := bip329.SplitOutPoint(ref)
	if err != nil {
		return wire.OutPoint{}, err
	}
	h, err := chainhash.NewHashFromStr(id)
	if err != nil {
		return wire.OutPoint{}, fmt.Errorf("%w: %v", bip329.ErrInvalid, err)
	}
	return wire.OutPoint{Hash: *h, Index: idx}, nil
}

// LabelImport says what ImportLabels did.
type LabelImport struct {
	Records   int // records read
	Labels    int // labels set, changed or removed
	Frozen    int // coins frozen (spendable: false)
	Unfrozen  int // coins unfrozen (spendable: true)
	Unchanged int // things (a transaction, address, coin, xpub) the file left as they were
	// Skipped lists records satchel does not keep: input, pubkey and spscan labels, and types
	// BIP329 does not define (which it asks importers to ignore).
	Skipped []SkippedLabel
	// Cleaned lists the lines whose label held control characters (line breaks, terminal
	// escapes), replaced with spaces.
	Cleaned []int
	// Truncated lists the lines whose label was cut to MaxLabelBytes.
	Truncated []int
}

// SkippedLabel is a record ImportLabels left out, and why.
type SkippedLabel struct {
	Line   int
	Type   string
	Reason string
}

// labelChange is one key's final state after an import: a label (when setLabel) and a frozen
// flag (when setFrozen).
type labelChange struct {
	label             string
	setLabel          bool
	frozen, setFrozen bool
	outpoint          wire.OutPoint
}

// ImportLabels applies BIP329 records all or nothing: every record is checked first (an
// address must be for the wallet's network, an xpub must parse), and a bad one is a
// *bip329.LineError naming its line, with nothing changed. Records with no label leave the
// label alone, and outputs with no spendable leave the frozen flag alone, as BIP329 says; a
// later record for the same thing wins. Nothing is written when nothing changes.
func (w *Wallet) ImportLabels(recs []bip329.Record) (LabelImport, error) {
	res := LabelImport{Records: len(recs)}
	changes := map[string]*labelChange{}
	var order []string
	change := func(key string) *labelChange {
		c, ok := changes[key]
		if !ok {
			c = &labelChange{}
			changes[key] = c
			order = append(order, key)
		}
		return c
	}
	bad := func(r bip329.Record, format string, a ...any) error {
		return &bip329.LineError{Line: r.Line, Err: fmt.Errorf("%w: %s", bip329.ErrInvalid, fmt.Sprintf(format, a...))}
	}
	for _, r := range recs {
		if err := bip329.Validate(&r); err != nil {
			return res, &bip329.LineError{Line: r.Line, Err: err}
		}
		if o := keyOrigins(r.Origin); o != "" && !w.hasKeyOrigins(o) {
			res.Skipped = append(res.Skipped, SkippedLabel{Line: r.Line, Type: r.Type,
				Reason: "its origin " + r.Origin + " is another wallet's account"})
			continue
		}
		var key string
		switch r.Type {
		case bip329.TypeTx:
			h, err := chainhash.NewHashFromStr(r.Ref)
			if err != nil {
				return res, bad(r, "tx ref: %v", err)
			}
			key = LabelKeyTx(h.String())
		case bip329.TypeAddr:
			a, err := address.Decode(r.Ref, w.net)
			if err != nil {
				return res, bad(r, "%v", err) // the address's error names it
			}
			key = LabelKeyAddress(a.String)
		case bip329.TypeOutput:
			op, err := parseOutPointKey(r.Ref)
			if err != nil {
				return res, &bip329.LineError{Line: r.Line, Err: err}
			}
			key = LabelKeyOutput(op.String())
			if r.Spendable != nil {
				c := change(key)
				c.outpoint, c.setFrozen, c.frozen = op, true, !*r.Spendable
			}
		case bip329.TypeXpub:
			k, _, err := keys.ParseAnyExtendedKey(r.Ref)
			if err != nil {
				return res, bad(r, "xpub: %v", err)
			}
			if k.IsPrivate() {
				return res, bad(r, "xpub record holds a private key; BIP329 carries public keys only")
			}
			key = labelKeyXpub(r.Ref)
		case bip329.TypeInput, bip329.TypePubkey, bip329.TypeSPScan:
			res.Skipped = append(res.Skipped, SkippedLabel{Line: r.Line, Type: r.Type,
				Reason: "satchel keeps no " + r.Type + " labels"})
			continue
		default:
			res.Skipped = append(res.Skipped, SkippedLabel{Line: r.Line, Type: r.Type,
				Reason: "not a BIP329 type"})
			continue
		}
		if r.Label != nil {
			text, cleaned := CleanLabel(*r.Label)
			if cleaned {
				res.Cleaned = append(res.Cleaned, r.Line)
			}
			if len(text) > MaxLabelBytes {
				text = truncateUTF8(text, MaxLabelBytes)
				res.Truncated = append(res.Truncated, r.Line)
			}
			c := change(key)
			c.label, c.setLabel = text, true
		}
	}
	if len(order) == 0 {
		return res, nil
	}
	if err := w.writable(); err != nil {
		return res, err
	}
	// Written in key order: bbolt splits pages as it goes, and keys in a file's order (random
	// for txids) made a 100,000-label import take 6 s, most of it moving half pages.
	slices.Sort(order)
	err := w.st.Update(func(tx *store.Txn) error {
		res.Labels, res.Frozen, res.Unfrozen, res.Unchanged = 0, 0, 0, 0
		for _, key := range order {
			c := changes[key]
			same := true
			if c.setLabel && tx.Label(key) != c.label {
				same = false
				if err := tx.SetLabel(key, c.label); err != nil {
					return err
				}
				res.Labels++
			}
			if c.setFrozen && tx.Frozen(c.outpoint) != c.frozen {
				same = false
				if err := tx.SetFrozen(c.outpoint, c.frozen); err != nil {
					return err
				}
				if c.frozen {
					res.Frozen++
				} else {
					res.Unfrozen++
				}
			}
			if same {
				res.Unchanged++
			}
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("import labels: %w", err)
	}
	return res, nil
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// keyOrigins are the key origins inside a BIP329 origin ("wpkh([d34db33f/84'/0'/0'])" gives
// "d34db33f/84h/0h/0h"; a multisig's names one per cosigner), normalised (lowercase, hardened
// steps written h), sorted, and joined by spaces: a multisig's cosigners may come in any
// order. "" when there is none.
func keyOrigins(origin string) string {
	var out []string
	for {
		i := strings.IndexByte(origin, '[')
		if i < 0 {
			break
		}
		j := strings.IndexByte(origin[i:], ']')
		if j < 0 {
			break
		}
		out = append(out, strings.ToLower(strings.NewReplacer("'", "h", "H", "h").Replace(origin[i+1:i+j])))
		origin = origin[i+j+1:]
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// hasKeyOrigins says whether normalised key origins (keyOrigins) are one of the wallet's
// accounts': the same keys, whatever the script function says.
// A watch-only account made without --fingerprint writes 00000000 for the fingerprint it does
// not know: its path alone must then match, or its own labels from the seed's wallet would be
// skipped.
func (w *Wallet) hasKeyOrigins(o string) bool {
	for _, a := range w.accounts {
		own := keyOrigins(w.origin(uint32(a.keys.Purpose)))
		if own == o {
			return true
		}
		if path, ok := strings.CutPrefix(own, "00000000/"); ok && !strings.Contains(o, " ") {
			if _, p, _ := strings.Cut(o, "/"); p == path {
				return true
			}
		}
	}
	return false
}
