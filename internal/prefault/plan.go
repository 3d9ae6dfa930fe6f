package prefault

const (
	// madvPopulateRead and madvPopulateWrite are Linux's MADV_POPULATE_READ and
	// MADV_POPULATE_WRITE (5.14): fault in a range now, for reading or for writing.
	madvPopulateRead  = 22
	madvPopulateWrite = 23
	// heapAhead is how much of the heap past its start is made ready: `balance --offline` on a
	// 5,000-transaction wallet touched 2.5 MB of heap in all, most of it there.
	heapAhead = 2 << 20
	pageSize  = 4096
)

// advice is one madvise call: a range and what to do with it.
type advice struct {
	lo, n  uintptr
	advice int
}

// plan says what to populate, given the process's mappings, an address inside the executable's
// own file mappings (exe) and one on the heap (heap): the executable's mappings (its text and
// read-only data for reading, its initialised data for writing), and heapAhead of the heap from
// heap on (clipped to its mapping). Anonymous memory the executable did not map from its file
// (its zeroed data, 33 MB of it mostly unused) and every other file are left alone.
func plan(maps []mapping, exe, heap uintptr) []advice {
	var bin *mapping
	for i := range maps {
		if maps[i].lo <= exe && exe < maps[i].hi && maps[i].inode != 0 {
			bin = &maps[i]
		}
	}
	if bin == nil {
		return nil
	}
	var out []advice
	for _, m := range maps {
		switch {
		case m.inode == bin.inode && m.dev == bin.dev && m.perms[0] == 'r':
			a := madvPopulateRead
			if m.perms[1] == 'w' {
				a = madvPopulateWrite
			}
			out = append(out, advice{m.lo, m.hi - m.lo, a})
		case m.inode == 0 && m.lo <= heap && heap < m.hi && m.perms[0] == 'r' && m.perms[1] == 'w':
			lo := heap &^ (pageSize - 1)
			hi := min(lo+heapAhead, m.hi)
			out = append(out, advice{lo, hi - lo, madvPopulateWrite})
		}
	}
	return out
}
