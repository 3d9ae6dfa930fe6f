package main

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestHardenMakesTheProcessNotDumpable(t *testing.T) {
	harden()
	v, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if v != 0 {
		t.Fatalf("PR_GET_DUMPABLE = %d after harden, want 0", v)
	}
}
