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
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
)

// redial is a second process's Backend on the same server and cache folder.
func redial(t *testing.T, r *rig, dir string) *Backend {
	t.Helper()
	b, err := dial(context.Background(), r.server.URL(), paramsFor(t, r.chain), options{CacheDir: dir})
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
	r := newRig(t, options{CacheDir: dir})
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
	if n := proofCount(t, r, dir); n != 35 {
		t.Fatalf("spv-proofs holds %d proofs, want 35", n)
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
	if n := proofCount(t, r, dir); n != 36 {
		t.Fatalf("spv-proofs holds %d proofs, want 36", n)
	}
}

// A reorganisation between two processes: the second finds the fork from the cached chain,
// proves the moved transactions again and rewrites the cache without the old branch.
func TestCacheFollowsAReorgWhileAway(t *testing.T) {
	dir := t.TempDir()
	r := newRig(t, options{CacheDir: dir})
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
			editProofs(t, proofs, func(p *provenAt) { p.block[0] ^= 1 })
		}, 12, true},
		{"proofs whose branch leads elsewhere", func(t *testing.T, _, proofs string) {
			editProofs(t, proofs, func(p *provenAt) { p.proof.pos ^= 1 })
		}, 12, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			r := newRig(t, options{CacheDir: dir})
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
	r := newRig(t, options{CacheDir: dir})
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

// proofCount is how many proofs spv-proofs holds (its permissions checked too).
func proofCount(t *testing.T, r *rig, dir string) int {
	t.Helper()
	path := filepath.Join(dir, proofsFile)
	fileSize(t, path)
	proven, err := parseProofCache(mustRead(t, path), paramsFor(t, r.chain).Net)
	if err != nil {
		t.Fatal(err)
	}
	return len(proven)
}

// editProofs rewrites every record of spv-proofs through edit.
func editProofs(t *testing.T, path string, edit func(*provenAt)) {
	t.Helper()
	data := mustRead(t, path)
	net := wire.BitcoinNet(binary.LittleEndian.Uint32(data[8:12]))
	proven, err := parseProofCache(data, net)
	if err != nil || len(proven) == 0 {
		t.Fatalf("%d proofs: %v", len(proven), err)
	}
	for id, p := range proven {
		edit(&p)
		proven[id] = p
	}
	writeFile(t, path, encodeProofCache(proven, net))
}

// A proof record edited into spv-proofs (a mempool transaction named as proven in the tip's
// block) is not believed: its branch must lead to that header's merkle root, so the server's
// lie about the transaction is caught as without a cache.
func TestForgedProofRecordIsNotBelieved(t *testing.T) {
	dir := t.TempDir()
	r := newRig(t, options{CacheDir: dir})
	sc := script(77)
	r.server.Watch(sc)
	pay(r.chain, sc, 3, 1, 1)
	historiesMatch(t, r, r.client, [][]byte{sc})
	fake := chaintest.Pay(4242, wire.NewTxOut(5000, sc))
	r.chain.AddMempool(fake)
	tip, _ := r.chain.Tip(context.Background())
	path := filepath.Join(dir, proofsFile)
	net := paramsFor(t, r.chain).Net
	proven, err := parseProofCache(mustRead(t, path), net)
	if err != nil {
		t.Fatal(err)
	}
	// With the block hash right and any branch: the best a forger without the block can do.
	for _, pos := range []uint32{0, 1} {
		proven[fake.TxHash()] = provenAt{height: tip.Height, block: tip.Hash,
			proof: merkleProof{height: tip.Height, pos: pos, branch: []chainhash.Hash{{1}}}}
		writeFile(t, path, encodeProofCache(proven, net))
		r.server.Lie(electrumtest.LieConfirmMempool, 0)
		_, err = redial(t, r, dir).ScriptHistories(context.Background(), [][]byte{sc})
		spvFailure(t, err, "merkle proof for "+fake.TxHash().String())
		r.server.Honest()
	}
}

// A header cache that starts above the server's tip (a regtest chain started over with the
// wallet folder kept, or a damaged start height) is dropped, not a lasting failure.
func TestCacheAboveTheTipIsDropped(t *testing.T) {
	dir := t.TempDir()
	r := newRig(t, options{CacheDir: dir})
	sc := script(78)
	r.server.Watch(sc)
	r.chain.Mine(40)
	pay(r.chain, sc, 3, 1, 1)
	historiesMatch(t, r, r.client, [][]byte{sc})
	// The chain starts over below where the cache begins (height 41).
	r.chain.Disconnect(int(r.chain.Height()) - 2)
	pay(r.chain, sc, 1, 1, 9)
	for i := 0; i < 2; i++ { // the second process reads what the first rewrote
		historiesMatch(t, r, redial(t, r, dir), [][]byte{sc})
	}
	seg, err := parseHeaderCache(mustRead(t, filepath.Join(dir, headersFile)), paramsFor(t, r.chain).Net)
	if err != nil || seg.top() != r.chain.Height() {
		t.Fatalf("the cache was not rewritten for the new chain: top %d, tip %d, %v", seg.top(), r.chain.Height(), err)
	}
}
