package electrum

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// redial is a second process's Backend on the same server and cache folder.
func redial(t *testing.T, r *rig, dir string) *Backend {
	t.Helper()
	b, err := Dial(context.Background(), r.server.URL(), paramsFor(t, r.chain), Options{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// historiesMatch asks b for the histories of scripts and compares them with the chain's, and
// returns the round trips it took.
func historiesMatch(t *testing.T, r *rig, b *Backend, scripts [][]byte) int64 {
	t.Helper()
	ctx := context.Background()
	before := b.RoundTrips()
	got, err := b.ScriptHistories(ctx, scripts)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := r.chain.ScriptHistories(ctx, scripts)
	for i := range scripts {
		if !reflect.DeepEqual(sorted(got[i]), sorted(want[i])) {
			t.Fatalf("script %d: %v, want %v", i, got[i], want[i])
		}
	}
	return b.RoundTrips() - before
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
	}
	return fi.Size()
}

// A second process with the same cache folder downloads no header and no proof it already
// has; a new block costs one header (appended) and one proof.
func TestCacheSpansProcesses(t *testing.T) {
	dir := t.TempDir()
	r := newRig(t, Options{CacheDir: dir})
	a, b := script(4), script(5)
	r.server.Watch(a, b)
	r.chain.Mine(50)
	pay(r.chain, a, 30, 4, 1)
	pay(r.chain, b, 5, 5, 100)
	scripts := [][]byte{a, b}
	if d := historiesMatch(t, r, r.client, scripts); d != 4 {
		t.Errorf("first process: %d round trips, want 4 (histories, tip, headers, proofs)", d)
	}
	hdrPath := filepath.Join(dir, headersFile)
	// Headers from the first payment's block (51) to the tip.
	wantHdrs := int64(r.chain.Height() - 51 + 1)
	if n := fileSize(t, hdrPath); n != cacheHdrLen+headerRecLen*wantHdrs {
		t.Fatalf("spv-headers is %d bytes, want %d headers", n, wantHdrs)
	}
	if n := fileSize(t, filepath.Join(dir, proofsFile)); n != 12+proofRecLen*35 {
		t.Fatalf("spv-proofs is %d bytes, want 35 proofs", n)
	}

	second := redial(t, r, dir)
	if d := historiesMatch(t, r, second, scripts); d != 2 {
		t.Errorf("second process: %d round trips, want 2 (histories, tip)", d)
	}

	r.chain.Mine(1, chaintest.Pay(300, wire.NewTxOut(1, a)))
	third := redial(t, r, dir)
	if d := historiesMatch(t, r, third, scripts); d != 4 {
		t.Errorf("after a block: %d round trips, want 4 (histories, tip, a header, a proof)", d)
	}
	if n := fileSize(t, hdrPath); n != cacheHdrLen+headerRecLen*(wantHdrs+1) {
		t.Fatalf("spv-headers is %d bytes after a block, want one header appended", n)
	}
	if n := fileSize(t, filepath.Join(dir, proofsFile)); n != 12+proofRecLen*36 {
		t.Fatalf("spv-proofs is %d bytes, want 36 proofs", n)
	}
}

// A reorganisation between two processes: the second finds the fork from the cached chain,
// proves the moved transactions again and rewrites the cache without the old branch.
func TestCacheFollowsAReorgWhileAway(t *testing.T) {
	dir := t.TempDir()
	r := newRig(t, Options{CacheDir: dir})
	sc := script(6)
	r.server.Watch(sc)
	r.chain.Mine(5)
	pay(r.chain, sc, 20, 1, 1)
	historiesMatch(t, r, r.client, [][]byte{sc})
	r.chain.Disconnect(4)
	r.chain.Mine(6)
	second := redial(t, r, dir)
	historiesMatch(t, r, second, [][]byte{sc})
	tip, _ := r.chain.Tip(context.Background())
	if top, _ := second.spv.lastTip(); top.Hash != tip.Hash {
		t.Fatalf("the second process is at %s, want %s", top.Hash, tip.Hash)
	}
	seg, err := parseHeaderCache(mustRead(t, filepath.Join(dir, headersFile)), paramsFor(t, r.chain).Net)
	if err != nil || seg.hashes[len(seg.hashes)-1] != tip.Hash {
		t.Fatalf("the cache does not end at the new tip: %v", err)
	}
	proven, _ := parseProofCache(mustRead(t, filepath.Join(dir, proofsFile)), paramsFor(t, r.chain).Net)
	for id, p := range proven {
		if _, hash, ok := second.spv.at(p.height); !ok || hash != p.block {
			t.Fatalf("the proof cache keeps %s in a block that left the chain", id)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// A damaged, foreign or forged cache is never trusted: the answers stay right, what fails the
// checks is left out when loading and fetched again, and the next save repairs the file.
func TestBadCacheIsNotTrusted(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, hdrs, proofs string)
		// maxLoaded is the most headers (of 12) the damaged file may still give.
		maxLoaded int
		// proofs: the cached proofs are wrong, so all are asked again.
		proofs bool
	}{
		{"torn last header", func(t *testing.T, hdrs, _ string) {
			data := mustRead(t, hdrs)
			writeFile(t, hdrs, data[:len(data)-30])
		}, 11, false},
		{"a flipped byte in the sixth header", func(t *testing.T, hdrs, _ string) {
			// Its hash changes, so the seventh does not link to it: at most six are kept,
			// and the sixth (if its new hash happens to meet regtest's easy target) is
			// replaced when the server's headers do not link to it.
			data := mustRead(t, hdrs)
			data[cacheHdrLen+headerRecLen*5+40] ^= 1
			writeFile(t, hdrs, data)
		}, 6, false},
		{"a header without its proof of work", func(t *testing.T, hdrs, _ string) {
			// Mainnet's first difficulty in the fourth header: its hash cannot meet it.
			data := mustRead(t, hdrs)
			binary.LittleEndian.PutUint32(data[cacheHdrLen+headerRecLen*3+72:], 0x1d00ffff)
			writeFile(t, hdrs, data)
		}, 0, false},
		{"another network", func(t *testing.T, hdrs, proofs string) {
			for _, p := range []string{hdrs, proofs} {
				data := mustRead(t, p)
				data[8] ^= 1
				writeFile(t, p, data)
			}
		}, 0, true},
		{"garbage", func(t *testing.T, hdrs, proofs string) {
			writeFile(t, hdrs, []byte("not a cache at all"))
			writeFile(t, proofs, nil)
		}, 0, true},
		{"proofs in blocks that are not the chain's", func(t *testing.T, _, proofs string) {
			data := mustRead(t, proofs)
			for i := 12; i+proofRecLen <= len(data); i += proofRecLen {
				data[i+36] ^= 1 // the block hash
			}
			writeFile(t, proofs, data)
		}, 12, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			r := newRig(t, Options{CacheDir: dir})
			sc := script(9)
			r.server.Watch(sc)
			pay(r.chain, sc, 12, 1, 1)
			historiesMatch(t, r, r.client, [][]byte{sc})
			hdrs, proofs := filepath.Join(dir, headersFile), filepath.Join(dir, proofsFile)
			good, goodProofs := mustRead(t, hdrs), mustRead(t, proofs)
			tc.damage(t, hdrs, proofs)

			probe := redial(t, r, dir)
			probe.spv.mu.Lock()
			probe.loadCache(context.Background())
			loaded := len(probe.spv.chain.hdrs)
			probe.spv.mu.Unlock()
			if loaded > tc.maxLoaded {
				t.Fatalf("%d headers loaded from the damaged cache, want at most %d", loaded, tc.maxLoaded)
			}

			second := redial(t, r, dir)
			rounds := historiesMatch(t, r, second, [][]byte{sc})
			// Histories and tip, then what was lost: headers (once, or twice when a bad
			// top must first fail to link) or the proofs. Proofs whose block hash the
			// re-fetched headers confirm are used as they are.
			lo, hi := int64(3), int64(3)
			if tc.maxLoaded < 12 {
				hi = 4
			}
			if tc.proofs && tc.maxLoaded < 12 {
				lo, hi = 4, 4
			}
			if rounds < lo || rounds > hi {
				t.Errorf("%d round trips, want %d to %d", rounds, lo, hi)
			}
			if got := mustRead(t, hdrs); !bytes.Equal(got, good) {
				t.Errorf("the next save did not repair spv-headers (%d bytes, want %d)", len(got), len(good))
			}
			if got := mustRead(t, proofs); !bytes.Equal(got, goodProofs) {
				t.Errorf("the next save did not repair spv-proofs (%d bytes, want %d)", len(got), len(goodProofs))
			}
		})
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// Without a cache folder nothing is written, and a cache folder that cannot be written does
// not fail the sync it follows.
func TestCacheFolderProblemsDoNotFailASync(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	r := newRig(t, Options{CacheDir: dir})
	sc := script(10)
	r.server.Watch(sc)
	pay(r.chain, sc, 3, 1, 1)
	historiesMatch(t, r, r.client, [][]byte{sc})
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("a missing cache folder was created: %v", err)
	}
	ctx := context.Background()
	if _, err := r.client.BlockHeaders(ctx, []int32{1, r.chain.Height()}); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkLoadCache100k reads back and checks a cache of 100,000 headers (regtest rules:
// proof of work, fixed bits, links), what a new process pays instead of downloading them.
//
//	go test ./wallet/chain/electrum -run '^$' -bench LoadCache100k -count 5
func BenchmarkLoadCache100k(b *testing.B) {
	params := chaincfg.RegressionNetParams
	dir := b.TempDir()
	prev := *params.GenesisHash
	var buf bytes.Buffer
	buf.Write(headersMagic)
	buf.Write(binary.LittleEndian.AppendUint32(nil, uint32(params.Net)))
	buf.Write(binary.LittleEndian.AppendUint32(nil, 1))
	r := newRules(&params)
	for h := int32(1); h <= 100_000; h++ {
		hdr := wire.BlockHeader{Version: 4, PrevBlock: prev, Timestamp: time.Unix(1_700_000_000+int64(h)*600, 0), Bits: params.PowLimitBits}
		for r.checkTipAlone(h, &hdr, hdr.BlockHash()) != nil {
			hdr.Nonce++
		}
		prev = hdr.BlockHash()
		if err := hdr.Serialize(&buf); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, headersFile), buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		be := &Backend{net: &params, cacheDir: dir, spv: newSPV(&params)}
		be.spv.mu.Lock()
		be.loadCache(context.Background())
		be.spv.mu.Unlock()
		if n := len(be.spv.chain.hdrs); n != 100_000 {
			b.Fatalf("%d headers loaded", n)
		}
	}
}
