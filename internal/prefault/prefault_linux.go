//go:build linux

package prefault

import (
	"syscall"
	"unsafe"
)

// marker is initialised data, so it lives in the executable's file mapping: its address says
// which mappings are the executable's.
var marker = [1]byte{1}

// heapProbe is allocated at init to find the heap.
var heapProbe *[16]byte

// mapsBuf and residentBuf are package variables rather than locals: a 16 KB local would grow the
// main goroutine's stack, which costs more than the buffers' own pages.
var (
	mapsBuf     [16 << 10]byte
	residentBuf [4096]byte
)

func init() {
	if v, _ := syscall.Getenv("SATCHEL_NO_PREFAULT"); v != "" {
		return
	}
	n := readMaps()
	if n == 0 {
		return
	}
	heapProbe = new([16]byte)
	for _, a := range plan(parseMaps(mapsBuf[:n]), uintptr(unsafe.Pointer(&marker)), uintptr(unsafe.Pointer(heapProbe))) {
		// A file range the page cache does not hold would be read from disk in full: let
		// faults read only what is used instead.
		if a.advice == madvPopulateRead && !resident(a.lo, a.n) {
			continue
		}
		// Errors (an older kernel: EINVAL) leave the pages to be faulted in as before.
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, a.lo, a.n, uintptr(a.advice))
	}
}

// readMaps reads /proc/self/maps into mapsBuf and returns its length (0 on any error; a longer
// file is cut, and parseMaps skips the cut line).
func readMaps() int {
	fd, err := syscall.Open("/proc/self/maps", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return 0
	}
	defer syscall.Close(fd)
	n := 0
	for n < len(mapsBuf) {
		m, err := syscall.Read(fd, mapsBuf[n:])
		if err != nil || m <= 0 {
			break
		}
		n += m
	}
	return n
}

// resident says whether every page of a range is in the page cache (mincore).
func resident(lo, n uintptr) bool {
	for n > 0 {
		chunk := min(n, uintptr(len(residentBuf))*pageSize)
		_, _, errno := syscall.Syscall(syscall.SYS_MINCORE, lo, chunk, uintptr(unsafe.Pointer(&residentBuf[0])))
		if errno != 0 {
			return false
		}
		for _, b := range residentBuf[:(chunk+pageSize-1)/pageSize] {
			if b&1 == 0 {
				return false
			}
		}
		lo, n = lo+chunk, n-chunk
	}
	return true
}
