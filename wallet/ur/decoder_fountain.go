package ur

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// mixedPart is a part as the decoder tracks it: which fragments it XORs (sorted) and the
// XOR itself.
type mixedPart struct {
	idx  []int
	data []byte
}

func (p mixedPart) key() string {
	b := make([]byte, 0, 4*len(p.idx))
	for _, i := range p.idx {
		b = binary.BigEndian.AppendUint32(b, uint32(i))
	}
	return string(b)
}

// fountainDecoder reassembles a message from parts in any order, simple or mixed, following
// BCR-2024-001: every new part is reduced by the fragments already known, and reduces the
// mixed parts kept so far, until every fragment is known.
type fountainDecoder struct {
	started    bool
	seqLen     int
	messageLen int
	fragLen    int
	checksum   uint32
	chooser    *chooser

	simple map[int][]byte
	mixed  map[string]mixedPart
	queue  []mixedPart

	done   bool
	result []byte
	err    error
}

// sameMessage says whether p belongs to the message of the first part received.
func (d *fountainDecoder) sameMessage(p fountainPart) bool {
	return p.seqLen == d.seqLen && p.messageLen == d.messageLen && p.checksum == d.checksum && len(p.data) == d.fragLen
}

// start takes the first part's header as the message's; the caller has checked it.
func (d *fountainDecoder) start(p fountainPart) {
	d.started = true
	d.seqLen, d.messageLen, d.checksum, d.fragLen = p.seqLen, p.messageLen, p.checksum, len(p.data)
	d.chooser = newChooser(p.seqLen, p.checksum)
	d.simple = map[int][]byte{}
	d.mixed = map[string]mixedPart{}
}

// receive adds a part already checked to belong to this message.
func (d *fountainDecoder) receive(p fountainPart) {
	if d.done {
		return
	}
	d.queue = append(d.queue, mixedPart{idx: d.chooser.choose(p.seqNum), data: append([]byte(nil), p.data...)})
	for !d.done && len(d.queue) > 0 {
		q := d.queue[0]
		d.queue = d.queue[1:]
		if len(q.idx) == 1 {
			d.addSimple(q)
		} else {
			d.addMixed(q)
		}
	}
}

func (d *fountainDecoder) addSimple(p mixedPart) {
	i := p.idx[0]
	if _, ok := d.simple[i]; ok {
		return
	}
	d.simple[i] = p.data
	if len(d.simple) == d.seqLen {
		d.finish()
		return
	}
	d.reduceMixed(p)
}

func (d *fountainDecoder) addMixed(p mixedPart) {
	if _, ok := d.mixed[p.key()]; ok {
		return
	}
	for _, i := range p.idx {
		if len(p.idx) == 1 {
			break
		}
		if data, ok := d.simple[i]; ok {
			p = reduce(p, mixedPart{idx: []int{i}, data: data})
		}
	}
	for _, m := range d.mixed {
		p = reduce(p, m)
	}
	if len(p.idx) == 1 {
		d.queue = append(d.queue, p)
		return
	}
	d.reduceMixed(p)
	d.mixed[p.key()] = p
}

// reduceMixed reduces every kept mixed part by p; those that become simple join the queue.
func (d *fountainDecoder) reduceMixed(p mixedPart) {
	next := make(map[string]mixedPart, len(d.mixed))
	for _, m := range d.mixed {
		r := reduce(m, p)
		if len(r.idx) == 1 {
			d.queue = append(d.queue, r)
		} else {
			next[r.key()] = r
		}
	}
	d.mixed = next
}

// reduce removes b from a when b's fragments are a strict subset of a's; else a is unchanged.
func reduce(a, b mixedPart) mixedPart {
	if len(b.idx) >= len(a.idx) {
		return a
	}
	rest := make([]int, 0, len(a.idx)-len(b.idx))
	j := 0
	for _, i := range a.idx {
		if j < len(b.idx) && b.idx[j] == i {
			j++
			continue
		}
		if j < len(b.idx) && b.idx[j] < i {
			return a // b has an index a lacks
		}
		rest = append(rest, i)
	}
	if j != len(b.idx) {
		return a
	}
	data := append([]byte(nil), a.data...)
	xorInto(data, b.data)
	return mixedPart{idx: rest, data: data}
}

// finish joins the fragments, strips the padding and checks the message's CRC-32.
func (d *fountainDecoder) finish() {
	d.done = true
	msg := make([]byte, 0, d.seqLen*d.fragLen)
	for i := 0; i < d.seqLen; i++ {
		msg = append(msg, d.simple[i]...)
	}
	msg = msg[:d.messageLen]
	if crc32.ChecksumIEEE(msg) != d.checksum {
		d.err = fmt.Errorf("%w: the reassembled message's CRC-32 is %08x, its parts say %08x", ErrChecksum, crc32.ChecksumIEEE(msg), d.checksum)
		return
	}
	d.result = msg
	d.mixed, d.queue = nil, nil
}
