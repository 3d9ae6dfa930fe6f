package prefault

import (
	"reflect"
	"strings"
	"testing"
)

// A shortened /proc/self/maps of satchel, as Linux 6.18 writes it.
const sampleMaps = `00400000-00b41000 r-xp 00000000 fe:01 1311237                            /usr/local/bin/satchel
00b41000-01382000 r--p 00741000 fe:01 1311237                            /usr/local/bin/satchel
01382000-013f9000 rw-p 00f82000 fe:01 1311237                            /usr/local/bin/satchel
013f9000-0343d000 rw-p 00000000 00:00 0
389530000000-389530400000 rw-p 00000000 00:00 0
389530400000-389534000000 ---p 00000000 00:00 0
7f17d4179000-7f17d41b9000 rw-p 00000000 00:00 0
7f17d41b9000-7f17d41ba000 r--p 00000000 fe:01 42                         /etc/with space/file
7ffd1c5a1000-7ffd1c5c2000 rw-p 00000000 00:00 0                          [stack]
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
`

func TestParseMapsLine(t *testing.T) {
	for _, tc := range []struct {
		line string
		want mapping
		ok   bool
	}{
		{"00400000-00b41000 r-xp 00000000 fe:01 1311237   /usr/local/bin/satchel", mapping{0x400000, 0xb41000, [4]byte{'r', '-', 'x', 'p'}, 0xfe<<32 | 1, 1311237}, true},
		{"013f9000-0343d000 rw-p 00000000 00:00 0", mapping{0x13f9000, 0x343d000, [4]byte{'r', 'w', '-', 'p'}, 0, 0}, true},
		{"7f17d41b9000-7f17d41ba000 r--p 00000000 fe:01 42   /etc/with space/file", mapping{0x7f17d41b9000, 0x7f17d41ba000, [4]byte{'r', '-', '-', 'p'}, 0xfe<<32 | 1, 42}, true},
		{"", mapping{}, false},
		{"00400000 r-xp 00000000 fe:01 1", mapping{}, false},                             // no range
		{"00b41000-00400000 r-xp 00000000 fe:01 1", mapping{}, false},                    // backwards
		{"0040000g-00b41000 r-xp 00000000 fe:01 1", mapping{}, false},                    // not hex
		{"00400000-00b41000 r-xp 00000000 fe:01", mapping{}, false},                      // no inode
		{"00400000-00b41000 r-x 00000000 fe:01 1", mapping{}, false},                     // short perms
		{"00400000-00b41000 r-xp 00000000 fe:01 -1", mapping{}, false},                   // not a number
		{"00400000-00b41000 r-xp 00000000 fe:01 12345678901234567890", mapping{}, false}, // too long
		{"00400000-00b41000 r-xp 00000000 fe01 1", mapping{}, false},                     // no device numbers
	} {
		got, ok := parseMapsLine([]byte(tc.line))
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseMapsLine(%q) = %+v %v, want %+v %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

func TestPlan(t *testing.T) {
	maps := parseMaps([]byte(sampleMaps))
	if len(maps) != 10 {
		t.Fatalf("parsed %d mappings, want 10", len(maps))
	}
	for _, tc := range []struct {
		name      string
		exe, heap uintptr
		want      []advice
	}{
		{
			name: "executable and heap",
			exe:  0x1390000, heap: 0x389530123458,
			want: []advice{
				{0x400000, 0xb41000 - 0x400000, madvPopulateRead},
				{0xb41000, 0x1382000 - 0xb41000, madvPopulateRead},
				{0x1382000, 0x13f9000 - 0x1382000, madvPopulateWrite},
				{0x389530123000, heapAhead, madvPopulateWrite},
			},
		},
		{
			name: "heap near the end of its mapping",
			exe:  0x400000, heap: 0x3895303ff010,
			want: []advice{
				{0x400000, 0xb41000 - 0x400000, madvPopulateRead},
				{0xb41000, 0x1382000 - 0xb41000, madvPopulateRead},
				{0x1382000, 0x13f9000 - 0x1382000, madvPopulateWrite},
				{0x3895303ff000, 0x1000, madvPopulateWrite},
			},
		},
		{
			name: "heap in a mapping that is not writable: only the executable",
			exe:  0x400000, heap: 0x389530500000,
			want: []advice{
				{0x400000, 0xb41000 - 0x400000, madvPopulateRead},
				{0xb41000, 0x1382000 - 0xb41000, madvPopulateRead},
				{0x1382000, 0x13f9000 - 0x1382000, madvPopulateWrite},
			},
		},
		{name: "marker in anonymous memory: nothing", exe: 0x2000000, heap: 0x389530123458},
		{name: "marker nowhere: nothing", exe: 0x1000, heap: 0x389530123458},
	} {
		if got := plan(maps, tc.exe, tc.heap); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: plan = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// parseMaps never panics, and whatever it returns is a real range with four permission letters.
func FuzzParseMaps(f *testing.F) {
	f.Add([]byte(sampleMaps))
	f.Add([]byte("0-1 rwxp 0 0:0 0\n"))
	f.Add([]byte("ffffffffffffffff-0 r--p 0 0:0 1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, m := range parseMaps(b) {
			if m.hi <= m.lo || strings.ContainsAny(string(m.perms[:]), " \n") {
				t.Fatalf("%q: %+v", b, m)
			}
			_ = plan([]mapping{m}, m.lo, m.lo)
		}
	})
}
