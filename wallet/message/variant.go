package message

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// variant is the BIP322 signature kind named by its three-letter prefix.
type variant int

const (
	variantNone   variant = iota // no prefix: a pre-2026 simple signature, or a legacy one
	variantSimple                // "smp"
	variantFull                  // "ful"
	variantProof                 // "pof"
)

// prefixes maps each BIP322 variant prefix to its variant.
var prefixes = map[string]variant{"smp": variantSimple, "ful": variantFull, "pof": variantProof}

// String names the variant as BIP322 does.
func (v variant) String() string {
	switch v {
	case variantSimple:
		return "simple"
	case variantFull:
		return "full"
	case variantProof:
		return "proof of funds"
	}
	return "unprefixed"
}

// splitVariant separates a signature's variant prefix from its base64 body. A base64 body
// starting with "smp", "ful" or "pof" would decode to a first byte of 124 or more: a witness
// of over a hundred items, which no single-key simple signature has, or no legacy header
// (27..42, base64 "G" to "K"). So reading the letters as a prefix is unambiguous in practice.
func splitVariant(sig string) (variant, string) {
	if len(sig) >= 3 {
		if v, ok := prefixes[sig[:3]]; ok {
			return v, sig[3:]
		}
	}
	return variantNone, sig
}

// decodeBase64 reads the signature body strictly (standard alphabet, padding required),
// after trimming surrounding whitespace a copy and paste may add.
func decodeBase64(body string) ([]byte, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, &malformedError{"the signature is empty: give the whole signature (base64)"}
	}
	b, err := base64.StdEncoding.Strict().DecodeString(body)
	if err != nil {
		// Say where, in the user's count (from 1), not as "illegal base64 data at input byte 0".
		where := ""
		var ce base64.CorruptInputError
		if errors.As(err, &ce) {
			where = fmt.Sprintf(" (at character %d)", int64(ce)+1)
		}
		return nil, &malformedError{fmt.Sprintf("the signature is not base64%s: check that it was copied whole", where)}
	}
	return b, nil
}
