package keystore

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestFormatDocMatchesCode keeps FORMAT.md honest: its example is the frozen fixture
// byte for byte, and the numbers it promises are the ones the code enforces.
func TestFormatDocMatchesCode(t *testing.T) {
	doc := string(readFile(t, "FORMAT.md"))
	fixture := string(readFile(t, filepath.Join("..", "testdata", "keystore-v1.json")))
	if !strings.Contains(doc, "```\n"+fixture+"```") {
		t.Error("FORMAT.md section 2 is not testdata/keystore-v1.json verbatim")
	}
	d := DefaultKDFParams()
	for _, want := range []string{
		fmt.Sprintf("time %d, memory %d KiB", d.Time, d.MemoryKiB),
		fmt.Sprintf(`"time":%d,"memory_kib":%d,"threads":%d`, d.Time, d.MemoryKiB, d.Threads),
		fmt.Sprintf("1 ≤ T ≤ %d", maxTime),
		fmt.Sprintf("M ≤ %d (1 GiB)", maxMemoryKiB),
		fmt.Sprintf("1 ≤ N ≤ %d", maxThreads),
		fmt.Sprintf("T · M ≤ %d", maxTimeMemory),
		fmt.Sprintf("exactly %d bytes (24 characters)", saltLen),
		fmt.Sprintf("exactly %d bytes (96 characters)", wrappedKeyLen),
		fmt.Sprintf("at most %d bytes", maxFileSize),
		fmt.Sprintf("%d to %d bytes.", padBlock, maxPlaintext),
		fmt.Sprintf("at most %d bytes, with 12", maxMnemonicLen),
		fmt.Sprintf("%d to %d bytes (BIP32", minSeedLen, maxSeedLen),
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("FORMAT.md does not say %q", want)
		}
	}
}
