package ur

import (
	"slices"
	"testing"
)

// FuzzReceive feeds arbitrary text to a decoder as UR parts: no panic, and a part that is
// accepted alone and completes a message yields a result or a checksum error, never both.
func FuzzReceive(f *testing.F) {
	v := loadVectors(f)
	for _, p := range v.URParts[:3] {
		f.Add(p, v.URParts[9])
	}
	f.Add(v.SinglePartUR, v.PSBT.UR)
	f.Add("ur:bytes/1-2/lpadaocfadaxcywenbpljkhdcahkadaemejtswhhylkepmykhhtsytsnoyoyaxaedsuttydmmhhpktpmsrjtdkgslpgh", "UR:BYTES/2-2/AEAE")
	f.Fuzz(func(t *testing.T, a, b string) {
		d := NewDecoder()
		d.MaxMessageLen, d.MaxSeqLen = 1<<16, 256
		_ = d.Receive(a)
		_ = d.Receive(b)
		if d.Complete() {
			if _, err := d.Result(); err == nil && d.Progress().Fragments != d.Progress().SeqLen {
				t.Fatalf("complete with %+v", d.Progress())
			}
		}
	})
}

// FuzzBytewords: decoding never panics, and what decodes encodes back to the same text in
// lower case (every style has one spelling per byte).
func FuzzBytewords(f *testing.F) {
	v := loadVectors(f)
	for _, c := range v.Bytewords {
		f.Add(c.Minimal, uint8(Minimal))
		f.Add(c.Standard, uint8(Standard))
	}
	f.Add("able-acid-also-lava-zoom-jade-need-echo-taxi", uint8(URI))
	f.Fuzz(func(t *testing.T, text string, style uint8) {
		st := Style(style % 3)
		data, err := DecodeBytewords(st, text)
		if err != nil {
			return
		}
		again, err := DecodeBytewords(st, EncodeBytewords(st, data))
		if err != nil || !slices.Equal(again, data) {
			t.Fatalf("%q: %x does not round-trip: %x %v", text, data, again, err)
		}
	})
}

// FuzzPartCBOR: the part parser never panics, and a part it reads writes back to the same
// bytes when they were canonical.
func FuzzPartCBOR(f *testing.F) {
	v := loadVectors(f)
	for _, h := range v.FountainCBOR[:3] {
		f.Add(unhex(f, h))
	}
	f.Add(unhex(f, v.PartCBOR.Hex))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodePart(b)
		if err != nil {
			return
		}
		q, err := decodePart(encodePart(p))
		if err != nil || q.seqNum != p.seqNum || q.seqLen != p.seqLen || q.messageLen != p.messageLen || q.checksum != p.checksum || !slices.Equal(q.data, p.data) {
			t.Fatalf("%x reads as %+v, which does not round-trip: %+v %v", b, p, q, err)
		}
	})
}
