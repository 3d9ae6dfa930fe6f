package uri

import (
	"strings"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// Build writes a bitcoin: URI for a payment request, as satchel's receive command shows it.
// The amount is omitted when zero, and written in BTC without trailing zeros; label and
// message are omitted when empty and percent-encoded otherwise.
func Build(address string, amount txbuilder.Amount, label, message string) string {
	var params []string
	if amount > 0 {
		params = append(params, "amount="+txbuilder.FormatBTC(amount))
	}
	if label != "" {
		params = append(params, "label="+escape(label))
	}
	if message != "" {
		params = append(params, "message="+escape(message))
	}
	s := "bitcoin:" + address
	if len(params) > 0 {
		s += "?" + strings.Join(params, "&")
	}
	return s
}

// escape percent-encodes every byte but RFC 3986's unreserved characters, so the value
// survives any URI or QR code handling.
func escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}
