package prefault

// mapping is one line of /proc/self/maps: an address range, its permissions, and the inode of
// the file mapped there (0 for anonymous memory).
type mapping struct {
	lo, hi uintptr
	perms  [4]byte // "r-xp", "rw-p"...
	dev    uint64  // major<<32 | minor, from "fe:01"
	inode  uint64
}

// parseMaps reads the lines of /proc/self/maps it understands and skips the others. It does not
// allocate per line beyond the result, since it runs before almost anything else in the process.
func parseMaps(b []byte) []mapping {
	out := make([]mapping, 0, 64)
	for len(b) > 0 {
		line := b
		if i := indexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if m, ok := parseMapsLine(line); ok {
			out = append(out, m)
		}
	}
	return out
}

// parseMapsLine reads "lo-hi perms offset dev inode [path]".
func parseMapsLine(line []byte) (mapping, bool) {
	var m mapping
	var f [5][]byte
	for i := range f {
		for len(line) > 0 && line[0] == ' ' {
			line = line[1:]
		}
		j := indexByte(line, ' ')
		if j < 0 {
			j = len(line)
		}
		if j == 0 {
			return m, false
		}
		f[i], line = line[:j], line[j:]
	}
	dash := indexByte(f[0], '-')
	if dash < 0 {
		return m, false
	}
	colon := indexByte(f[3], ':')
	if colon < 0 {
		return m, false
	}
	lo, ok1 := parseHex(f[0][:dash])
	hi, ok2 := parseHex(f[0][dash+1:])
	inode, ok3 := parseDec(f[4])
	major, ok4 := parseHex(f[3][:colon])
	minor, ok5 := parseHex(f[3][colon+1:])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || major > 0xffffffff || minor > 0xffffffff || hi <= lo || len(f[1]) != 4 {
		return m, false
	}
	m.lo, m.hi, m.dev, m.inode = uintptr(lo), uintptr(hi), major<<32|minor, inode
	copy(m.perms[:], f[1])
	return m, true
}

func parseHex(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 16 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | uint64(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | uint64(c-'a'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

func parseDec(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
