package ur

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
	"sync"
)

// Style is one of the three ways Bytewords (BCR-2020-012) writes a byte: the whole word with
// spaces or with hyphens between words, or only its first and last letters (Minimal), the
// form URs use because two letters per byte cost no more than hexadecimal in a QR code.
type Style int

// The Bytewords styles.
const (
	Standard Style = iota // "able acid also"
	URI                   // "able-acid-also"
	Minimal               // "aeadao"
)

// byteWordsText is the Bytewords dictionary: word i stands for byte i. Each word's first and
// last letters are unique among the 256, which is what makes the minimal style decodable.
const byteWordsText = `
able acid also apex aqua arch atom aunt away axis back bald barn belt beta bias
blue body brag brew bulb buzz calm cash cats chef city claw code cola cook cost
crux curl cusp cyan dark data days deli dice diet door down draw drop drum dull
duty each easy echo edge epic even exam exit eyes fact fair fern figs film fish
fizz flap flew flux foxy free frog fuel fund gala game gear gems gift girl glow
good gray grim guru gush gyro half hang hard hawk heat help high hill holy hope
horn huts iced idea idle inch inky into iris iron item jade jazz join jolt jowl
judo jugs jump junk jury keep keno kept keys kick kiln king kite kiwi knob lamb
lava lazy leaf legs liar limp lion list logo loud love luau luck lung main many
math maze memo menu meow mild mint miss monk nail navy need news next noon note
numb obey oboe omit onyx open oval owls paid part peck play plus poem pool pose
puff puma purr quad quiz race ramp real redo rich road rock roof ruby ruin runs
rust safe saga scar sets silk skew slot soap solo song stub surf swan taco task
taxi tent tied time tiny toil tomb toys trip tuna twin ugly undo unit urge user
vast very veto vial vibe view visa void vows wall wand warm wasp wave waxy webs
what when whiz wolf work yank yawn yell yoga yurt zaps zero zest zinc zone zoom`

// bytewords is the dictionary split into words, with its two indexes: wordIndex maps a whole
// word to its byte; minimalIndex maps first*26+last letter to the byte plus one (0 means no
// word).
type bytewords struct {
	words        []string
	wordIndex    map[string]byte
	minimalIndex [26 * 26]uint16
}

// dictionary builds the tables on first use, not at package initialisation: every satchel
// start, --help included, paid for them (0.17 ms, 32 KB) when they were built there.
var dictionary = sync.OnceValue(func() *bytewords {
	d := &bytewords{words: strings.Fields(byteWordsText), wordIndex: make(map[string]byte, 256)}
	if len(d.words) != 256 {
		panic("ur: the Bytewords dictionary must have 256 words")
	}
	for i, w := range d.words {
		d.wordIndex[w] = byte(i)
		d.minimalIndex[int(w[0]-'a')*26+int(w[3]-'a')] = uint16(i) + 1
	}
	return d
})

// EncodeBytewords writes data in the given style, followed by the four bytes of its CRC-32
// (big-endian) as the spec's checksum.
func EncodeBytewords(style Style, data []byte) string {
	full := binary.BigEndian.AppendUint32(append([]byte(nil), data...), crc32.ChecksumIEEE(data))
	words := dictionary().words
	var b strings.Builder
	for i, c := range full {
		w := words[c]
		switch style {
		case Minimal:
			b.WriteByte(w[0])
			b.WriteByte(w[3])
		default:
			if i > 0 {
				if style == URI {
					b.WriteByte('-')
				} else {
					b.WriteByte(' ')
				}
			}
			b.WriteString(w)
		}
	}
	return b.String()
}

// DecodeBytewords reads text in the given style (lower or upper case), checks and strips the
// four-byte checksum, and returns the data. A word outside the dictionary is ErrInvalid; a
// checksum that does not match is ErrChecksum.
func DecodeBytewords(style Style, text string) ([]byte, error) {
	text = strings.ToLower(text)
	dict := dictionary()
	var out []byte
	switch style {
	case Minimal:
		if len(text)%2 != 0 {
			return nil, fmt.Errorf("%w: minimal Bytewords have an even number of letters, not %d", ErrInvalid, len(text))
		}
		out = make([]byte, 0, len(text)/2)
		for i := 0; i < len(text); i += 2 {
			f, l := text[i], text[i+1]
			if f < 'a' || f > 'z' || l < 'a' || l > 'z' {
				return nil, fmt.Errorf("%w: %q at letter %d is not a Byteword", ErrInvalid, text[i:i+2], i+1)
			}
			v := dict.minimalIndex[int(f-'a')*26+int(l-'a')]
			if v == 0 {
				return nil, fmt.Errorf("%w: %q at letter %d is not a Byteword", ErrInvalid, text[i:i+2], i+1)
			}
			out = append(out, byte(v-1))
		}
	default:
		sep := " "
		if style == URI {
			sep = "-"
		}
		words := strings.Split(text, sep)
		if text == "" {
			words = nil
		}
		out = make([]byte, 0, len(words))
		for i, w := range words {
			v, ok := dict.wordIndex[w]
			if !ok {
				return nil, fmt.Errorf("%w: word %d (%q) is not a Byteword", ErrInvalid, i+1, w)
			}
			out = append(out, v)
		}
	}
	if len(out) < 5 {
		return nil, fmt.Errorf("%w: Bytewords need at least one byte and the four of the checksum", ErrInvalid)
	}
	body, sum := out[:len(out)-4], binary.BigEndian.Uint32(out[len(out)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, fmt.Errorf("%w: the Bytewords checksum is wrong", ErrChecksum)
	}
	return body, nil
}
