package electrum

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// block100000 is testdata/spv-mainnet-block-100000.json: a real mainnet block's header and
// transaction ids.
type block100000 struct {
	Height     int32    `json:"height"`
	Hash       string   `json:"hash"`
	Header     string   `json:"header"`
	MerkleRoot string   `json:"merkle_root"`
	TxIDs      []string `json:"txids"`
}

func loadBlock100000(t testing.TB) (block100000, *wire.BlockHeader, []chainhash.Hash) {
	t.Helper()
	raw, err := os.ReadFile("../../../testdata/spv-mainnet-block-100000.json")
	if err != nil {
		t.Fatal(err)
	}
	var b block100000
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	hdr, err := netutil.DecodeHeader(b.Header)
	if err != nil {
		t.Fatal(err)
	}
	var ids []chainhash.Hash
	for _, s := range b.TxIDs {
		id, err := netutil.ParseHash(s)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return b, hdr, ids
}

func pairHash(a, b chainhash.Hash) chainhash.Hash {
	return chainhash.DoubleHashH(append(a[:], b[:]...))
}

// The real block's header passes the proof-of-work checks on mainnet, and each of its four
// transactions is proven by a get_merkle answer written as a server writes it.
func TestMainnetBlock100000(t *testing.T) {
	b, hdr, ids := loadBlock100000(t)
	if hdr.BlockHash().String() != b.Hash || hdr.MerkleRoot.String() != b.MerkleRoot {
		t.Fatalf("the vector's header hashes to %s with root %s", hdr.BlockHash(), hdr.MerkleRoot)
	}
	r := newRules(&chaincfg.MainNetParams)
	if _, err := r.checkPoW(b.Height, hdr, hdr.BlockHash()); err != nil {
		t.Fatal(err)
	}
	upper := [2]chainhash.Hash{pairHash(ids[0], ids[1]), pairHash(ids[2], ids[3])}
	for pos := range ids {
		answer := fmt.Sprintf(`{"block_height":100000,"merkle":["%s","%s"],"pos":%d}`, ids[pos^1], upper[(pos/2)^1], pos)
		p, err := parseMerkle(json.RawMessage(answer))
		if err != nil {
			t.Fatal(err)
		}
		root, err := p.root(ids[pos])
		if err != nil || root != hdr.MerkleRoot {
			t.Fatalf("pos %d: root %s, %v; want %s", pos, root, err, hdr.MerkleRoot)
		}
		// The same branch with the wrong position, or for another transaction, does not lead there.
		p.pos ^= 1
		if root, _ := p.root(ids[pos]); root == hdr.MerkleRoot {
			t.Fatalf("pos %d: a swapped position still proves it", pos)
		}
		p.pos ^= 1
		if root, _ := p.root(ids[(pos+2)%4]); root == hdr.MerkleRoot {
			t.Fatalf("pos %d: the branch proves another transaction", pos)
		}
	}
	// A mutated nonce misses the target (with this difficulty, surely).
	forged := *hdr
	forged.Nonce++
	if _, err := r.checkPoW(b.Height, &forged, forged.BlockHash()); err == nil ||
		!strings.Contains(err.Error(), "does not meet its own proof-of-work target") {
		t.Fatalf("forged nonce: %v", err)
	}
}

func TestParseMerkleRefusals(t *testing.T) {
	h := strings.Repeat("ab", 32)
	for _, tc := range []struct{ answer, want string }{
		{`[]`, "not {block_height, merkle, pos}"},
		{`{"merkle":[],"pos":0}`, "not {block_height, merkle, pos}"},
		{`{"block_height":-1,"merkle":[],"pos":0}`, "out of range"},
		{`{"block_height":5,"merkle":[],"pos":1}`, "does not fit a branch of 0"},
		{`{"block_height":5,"merkle":["` + h + `"],"pos":-1}`, "does not fit"},
		{`{"block_height":5,"merkle":["abcd"],"pos":0}`, "merkle[0]"},
		{`{"block_height":5,"merkle":[` + strings.TrimSuffix(strings.Repeat(`"`+h+`",`, 33), ",") + `],"pos":0}`, "more than a block can need"},
	} {
		if _, err := parseMerkle(json.RawMessage(tc.answer)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", clip.Text(tc.answer, 80), err, tc.want)
		}
	}
}

// A pairing whose 64 bytes read as a transaction is refused: it could be a 64-byte transaction
// passed off as an inner node.
func TestBranchThroughA64ByteTransactionIsRefused(t *testing.T) {
	tx := wire.NewMsgTx(1)
	tx.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&chainhash.Hash{1}, 0), nil, nil))
	tx.AddTxOut(wire.NewTxOut(1, []byte{1, 2, 3, 4}))
	var buf bytes.Buffer
	if err := tx.SerializeNoWitness(&buf); err != nil || buf.Len() != 64 {
		t.Fatalf("test transaction: %d bytes, %v", buf.Len(), err)
	}
	raw := buf.Bytes()
	var left, right chainhash.Hash
	copy(left[:], raw[:32])
	copy(right[:], raw[32:])
	p := merkleProof{branch: []chainhash.Hash{right}, pos: 0}
	if _, err := p.root(left); err == nil || !strings.Contains(err.Error(), "64-byte transaction") {
		t.Fatalf("err = %v", err)
	}
}

// header builds a header for the difficulty rules (which do not look at proof of work).
func header(bits uint32, at time.Time, prev chainhash.Hash) wire.BlockHeader {
	return wire.BlockHeader{Version: 4, PrevBlock: prev, Bits: bits, Timestamp: at}
}

// chainOf returns headers at heights from..from+len(bits)-1 with the given bits, ten minutes
// apart unless took says how long the whole run took, linked.
func chainOf(from int32, bits []uint32, took time.Duration) (headerAt, []wire.BlockHeader) {
	start := time.Unix(1500000000, 0)
	step := 10 * time.Minute
	if took > 0 {
		step = took / time.Duration(len(bits)-1)
	}
	hdrs := make([]wire.BlockHeader, len(bits))
	var prev chainhash.Hash
	for i, b := range bits {
		hdrs[i] = header(b, start.Add(time.Duration(i)*step), prev)
		prev = hdrs[i].BlockHash()
	}
	if took > 0 {
		hdrs[len(hdrs)-1].Timestamp = start.Add(took)
	}
	return func(h int32) (*wire.BlockHeader, chainhash.Hash, bool) {
		if h < from || h >= from+int32(len(hdrs)) {
			return nil, chainhash.Hash{}, false
		}
		return &hdrs[h-from], hdrs[h-from].BlockHash(), true
	}, hdrs
}

func repeat(bits uint32, n int) []uint32 {
	out := make([]uint32, n)
	for i := range out {
		out[i] = bits
	}
	return out
}

// The mainnet difficulty rules: bits fixed within a period, the retarget exact when the
// period's first header is known, bounded otherwise.
func TestDifficultyRules(t *testing.T) {
	const bits = 0x1b04864c // block 100000's
	r := newRules(&chaincfg.MainNetParams)
	week := 7 * 24 * time.Hour
	for _, tc := range []struct {
		name string
		took time.Duration // how long the period before the boundary took; 0: unknown start
		next uint32
		want string // "" for accepted
	}{
		{"two weeks keeps the bits", 2 * week, bits, ""},
		{"one week halves the target", week, 0x1b024326, ""},
		{"one week, bits not halved", week, bits, "the difficulty retarget gives 1b024326"},
		{"sixteen weeks is clamped to four times", 16 * week, 0x1b121930, ""},
		{"one day is clamped to a quarter", 24 * time.Hour, 0x1b012193, ""},
		{"unknown start, four times easier", 0, 0x1b121930, ""},
		{"unknown start, five times easier", 0, 0x1b169f7c, "lowers the difficulty more than a retarget can"},
		{"unknown start, harder", 0, 0x1a04864c, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const boundary = 201600
			var at headerAt
			var hdrs []wire.BlockHeader
			if tc.took > 0 {
				at, hdrs = chainOf(boundary-2016, repeat(bits, 2016), tc.took)
			} else {
				at, hdrs = chainOf(boundary-10, repeat(bits, 10), 0)
			}
			next := header(tc.next, hdrs[len(hdrs)-1].Timestamp.Add(10*time.Minute), hdrs[len(hdrs)-1].BlockHash())
			err := r.checkLinked(boundary, &next, at)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	at, hdrs := chainOf(100, repeat(bits, 5), 0)
	changed := header(0x1b04864d, hdrs[4].Timestamp, hdrs[4].BlockHash())
	if err := r.checkLinked(105, &changed, at); err == nil || !strings.Contains(err.Error(), "inside a difficulty period") {
		t.Fatalf("bits changed mid-period: %v", err)
	}
	unlinked := header(bits, hdrs[4].Timestamp, chainhash.Hash{9})
	if err := r.checkLinked(105, &unlinked, at); err == nil || !strings.Contains(err.Error(), "does not link") {
		t.Fatalf("unlinked: %v", err)
	}
}

// Networks with the minimum-difficulty exception skip the bits rules; regtest's bits are fixed.
func TestDifficultyRulesPerNetwork(t *testing.T) {
	at, hdrs := chainOf(10, repeat(0x1d00ffff, 3), 0)
	harder := header(0x1c00ffff, hdrs[2].Timestamp, hdrs[2].BlockHash())
	if err := newRules(&chaincfg.TestNet3Params).checkLinked(13, &harder, at); err != nil {
		t.Fatalf("testnet3: %v", err)
	}
	if err := newRules(&chaincfg.MainNetParams).checkLinked(13, &harder, at); err == nil {
		t.Fatal("mainnet accepted a bits change mid-period")
	}
	reg := newRules(&chaincfg.RegressionNetParams)
	h := header(0x1f7fffff, time.Unix(1500000000, 0), chainhash.Hash{})
	for h.Nonce = 0; ; h.Nonce++ {
		hash := h.BlockHash()
		_, err := reg.checkPoW(5, &h, hash)
		if err == nil {
			t.Fatal("regtest accepted bits other than its limit")
		}
		if strings.Contains(err.Error(), "never changes them") {
			break
		}
	}
}

// Checkpoints pin their heights, and bound the difficulty of the headers above them.
func TestCheckpoints(t *testing.T) {
	r := newRules(&chaincfg.MainNetParams)
	genesis := chaincfg.MainNetParams.GenesisBlock.Header
	if err := r.checkAlone(0, &genesis, genesis.BlockHash()); err != nil {
		t.Fatalf("mainnet genesis: %v", err)
	}
	b, hdr, _ := loadBlock100000(t)
	// Block 100000 at the height of checkpoint 105000 is not the checkpoint's block.
	if err := r.checkAlone(105000, hdr, hdr.BlockHash()); err == nil || !strings.Contains(err.Error(), "checkpoint there is") {
		t.Fatalf("wrong block at a checkpoint: %v", err)
	}
	// Above checkpoint 74000 the floor needs that checkpoint's bits.
	if err := r.checkAlone(b.Height, hdr, hdr.BlockHash()); err == nil || !strings.Contains(err.Error(), "was not loaded") {
		t.Fatalf("floor without the checkpoint: %v", err)
	}
	r.cpBits[74000] = 0x1c00ffff // harder than a quarter of block 100000's difficulty allows
	if err := r.checkAlone(b.Height, hdr, hdr.BlockHash()); err != nil {
		t.Fatalf("block 100000 above a checkpoint of lower difficulty: %v", err)
	}
	r.cpBits[74000] = 0x1a00ffff
	if err := r.checkAlone(b.Height, hdr, hdr.BlockHash()); err == nil || !strings.Contains(err.Error(), "under 1/4 of the checkpoint's") {
		t.Fatalf("floor: %v", err)
	}
	if got := r.floorCheckpoint(74000); got != 33333 {
		t.Fatalf("floorCheckpoint(74000) = %d, want 33333", got)
	}
	if got := newRules(&chaincfg.TestNet3Params).floorCheckpoint(1_000_000); got != 0 {
		t.Fatalf("testnet3 (minimum-difficulty blocks allowed) has floor %d", got)
	}
}
