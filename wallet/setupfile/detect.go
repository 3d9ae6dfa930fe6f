package setupfile

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Detect reads a setup in any of the four formats and says which it was (FormatDescriptor,
// FormatBSMS, FormatCaravan or FormatColdcard). It only parses: a BSMS record's first
// address is left in FirstAddress unchecked, so a caller that keeps the setup uses Import.
func Detect(data []byte) (string, *Setup, error) {
	if len(data) > MaxFileSize {
		return "", nil, invalidf("the file is larger than %d KiB: not a setup file", MaxFileSize>>10)
	}
	// Every format is text: a binary file (a photo, an archive, a PSBT) is said to be one
	// rather than shown back a line of it.
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return "", nil, invalidf("the file is not text (a binary file?): give a descriptor, BSMS record, Caravan JSON or Coldcard/Sparrow multisig file")
	}
	text := strings.TrimSpace(string(bytes.TrimPrefix(data, []byte("\ufeff"))))
	// The first line that is not a # comment (Coldcard and Sparrow files start with some)
	// names the format.
	first := ""
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			first = l
			break
		}
	}
	var (
		format string
		s      *Setup
		err    error
	)
	switch {
	case first == "":
		return "", nil, invalidf("the file is empty: give a descriptor, BSMS record, Caravan JSON or Coldcard/Sparrow multisig file")
	case strings.HasPrefix(text, "{"):
		format = FormatCaravan
		s, err = ParseCaravan(data)
	case strings.HasPrefix(first, "BSMS"), isHex(first):
		format = FormatBSMS
		s, err = ParseBSMS(data)
	case strings.Contains(first, ":"):
		format = FormatColdcard
		s, err = ParseColdcard(data)
	case strings.Contains(first, "("):
		format = FormatDescriptor
		s, err = ParseDescriptor(text)
	default:
		return "", nil, invalidf("not a descriptor, BSMS record, Caravan JSON or Coldcard/Sparrow multisig file")
	}
	if err != nil {
		return format, nil, fmt.Errorf("%s: %w", formatTitle(format), err)
	}
	return format, s, nil
}

// Import is Detect followed by VerifyFirstAddress: what a wallet calls before it keeps a
// setup. A BSMS record whose first address differs from derive's is refused
// (ErrFirstAddress); with derive nil, a BSMS record is refused (ErrNoDerivation) and the other
// formats are read as Detect reads them.
func Import(data []byte, derive AddressFunc) (string, *Setup, error) {
	format, s, err := Detect(data)
	if err != nil {
		return format, nil, err
	}
	if err := s.VerifyFirstAddress(derive); err != nil {
		return format, nil, fmt.Errorf("%s: %w", formatTitle(format), err)
	}
	return format, s, nil
}

// Encode writes s in format (one of Formats). derive is needed for FormatBSMS only.
func (s *Setup) Encode(format string, derive AddressFunc) ([]byte, error) {
	switch format {
	case FormatDescriptor:
		d, err := s.Descriptor()
		if err != nil {
			return nil, err
		}
		return []byte(d + "\n"), nil
	case FormatBSMS:
		return s.BSMS(derive)
	case FormatCaravan:
		return s.Caravan()
	case FormatColdcard:
		return s.Coldcard()
	}
	return nil, fmt.Errorf("%w: format %q: use descriptor, bsms, caravan or coldcard", ErrUnsupported, format)
}

// formatTitle is how error messages name a format.
func formatTitle(format string) string {
	switch format {
	case FormatDescriptor:
		return "descriptor"
	case FormatBSMS:
		return "BSMS record"
	case FormatCaravan:
		return "Caravan file"
	case FormatColdcard:
		return "Coldcard file"
	}
	return format
}
