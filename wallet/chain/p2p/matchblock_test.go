package p2p_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/p2p"
)

// candidatesPerBlock is about what a tweak server's data costs per block for a wallet with a
// few tweaks in the block: 22 candidate keys per tweak (plain, change, 20 labels).
const candidatesPerBlock = 5 * 22

// fakeCandidates makes n taproot scripts no block pays, unlike each other per seed.
func fakeCandidates(seed string, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		k := sha256.Sum256([]byte(seed + strconv.Itoa(i)))
		out[i] = append([]byte{0x51, 32}, k[:]...)
	}
	return out
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// matchBlocks is the three blocks the tests look at: the one paying payee, and two after it
// that pay nothing but their coinbase.
func matchBlocks(t *testing.T, node *regtest.Node, payee *regtest.Key) (pay int32) {
	t.Helper()
	node.Send(t, payee.Address, 40_000)
	node.Mine(t, 1)
	pay = node.Height(t)
	node.Mine(t, 2)
	return pay
}

func hashAt(t *testing.T, ctx context.Context, pb *p2p.Backend, h int32) chainhash.Hash {
	t.Helper()
	hs, err := pb.BlockHeaders(ctx, []int32{h})
	if err != nil {
		t.Fatal(err)
	}
	return hs[0].BlockHash()
}

// TestRegtestMatchBlockDownloadsOnlyMatches: MatchBlock downloads no block whose filter rules
// the candidates out, finds the payment in the block that has it, refuses a block hash that is
// not the chain's, and never writes the candidates to the scan file.
func TestRegtestMatchBlockDownloadsOnlyMatches(t *testing.T) {
	ctx := context.Background()
	node := regtest.Start(t)
	payee := regtest.NewKey("match payee", txbuilder.P2TR)
	wallet := regtest.NewKey("match wallet", txbuilder.P2WPKH)
	pay := matchBlocks(t, node, payee)
	dir := t.TempDir()
	pb := openP2P(t, "p2p://"+node.P2PAddr(), dir)
	// The wallet's own addresses are watched as always: the scan file has them.
	if _, err := pb.ScriptHistories(ctx, [][]byte{wallet.PkScript}); err != nil {
		t.Fatal(err)
	}
	scanPath := filepath.Join(dir, "p2p-scan.json")
	before := fileSize(t, scanPath)
	blocks0, _ := pb.Downloaded()

	type step struct {
		name   string
		height int32
		extra  [][]byte // scripts added to the candidates
		want   int      // transactions found
		blocks int      // blocks downloaded for it
	}
	steps := []step{
		{name: "pay block, no candidate paid", height: pay, want: 0, blocks: 0},
		{name: "empty block", height: pay + 1, want: 0, blocks: 0},
		{name: "empty block, the payee asked", height: pay + 2, extra: [][]byte{payee.PkScript}, want: 0, blocks: 0},
		{name: "pay block, the payee among the candidates", height: pay, extra: [][]byte{payee.PkScript}, want: 1, blocks: 1},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			got0, _ := pb.Downloaded()
			cands := append(fakeCandidates(s.name, candidatesPerBlock), s.extra...)
			txs, err := pb.MatchBlock(ctx, s.height, hashAt(t, ctx, pb, s.height), cands)
			if err != nil {
				t.Fatal(err)
			}
			if len(txs) != s.want {
				t.Fatalf("found %d transactions, want %d", len(txs), s.want)
			}
			for _, tx := range txs {
				pays := false
				for _, o := range tx.TxOut {
					pays = pays || string(o.PkScript) == string(payee.PkScript)
				}
				if !pays {
					t.Fatalf("transaction %s does not pay the payee", tx.TxHash())
				}
			}
			if got, _ := pb.Downloaded(); got-got0 != s.blocks {
				t.Fatalf("downloaded %d blocks, want %d", got-got0, s.blocks)
			}
		})
	}
	if got := fileSize(t, scanPath); got != before {
		t.Fatalf("the scan file went from %d to %d bytes: candidates were saved", before, got)
	}
	// The candidates are not watched: a history call for the wallet's script alone does not
	// scan for them (no block download beyond what was fetched already).
	if _, err := pb.ScriptHistories(ctx, [][]byte{wallet.PkScript}); err != nil {
		t.Fatal(err)
	}
	if got := fileSize(t, scanPath); got != before {
		t.Fatalf("the scan file went from %d to %d bytes after a history call", before, got)
	}
	if b, _ := pb.Downloaded(); b-blocks0 != 1 {
		t.Fatalf("downloaded %d blocks in all, want 1", b-blocks0)
	}

	// A hash that is not the chain's block at that height: the chain moved under the caller.
	_, err := pb.MatchBlock(ctx, pay, chainhash.Hash{1}, [][]byte{payee.PkScript})
	if !errors.Is(err, chain.ErrUnreachable) {
		t.Fatalf("wrong hash: %v, want ErrUnreachable", err)
	}
	if _, err := pb.MatchBlock(ctx, node.Height(t)+5, chainhash.Hash{}, [][]byte{payee.PkScript}); err == nil {
		t.Fatal("a height above the tip gave no error")
	}
}

// TestRegtestMatchBlockVersusHistories measures, for the three blocks, what the tweak-server
// scan costs over p2p: candidates asked through ScriptHistories (watched for good, matched
// against every filter since the start) against MatchBlock (that block's filter only).
func TestRegtestMatchBlockVersusHistories(t *testing.T) {
	ctx := context.Background()
	node := regtest.Start(t)
	payee := regtest.NewKey("match payee", txbuilder.P2TR)
	pay := matchBlocks(t, node, payee)
	url := "p2p://" + node.P2PAddr()
	type cost struct {
		scanFile        int64
		blocks, filters int
		found           int
	}
	run := func(t *testing.T, match bool) cost {
		dir := t.TempDir()
		pb := openP2P(t, url, dir)
		var c cost
		for h := pay; h <= pay+2; h++ {
			cands := append(fakeCandidates("block"+strconv.Itoa(int(h)), candidatesPerBlock), payee.PkScript)
			if match {
				txs, err := pb.MatchBlock(ctx, h, hashAt(t, ctx, pb, h), cands)
				if err != nil {
					t.Fatal(err)
				}
				c.found += len(txs)
				continue
			}
			hs, err := pb.ScriptHistories(ctx, cands)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range hs[len(hs)-1] {
				if it.Height == h {
					c.found++
				}
			}
		}
		c.scanFile = fileSize(t, filepath.Join(dir, "p2p-scan.json"))
		c.blocks, c.filters = pb.Downloaded()
		return c
	}
	old, now := run(t, false), run(t, true)
	t.Logf("3 blocks x %d candidates, chain of %d blocks: ScriptHistories: scan file %d B, %d blocks, %d filters downloaded; MatchBlock: scan file %d B, %d blocks, %d filters",
		candidatesPerBlock+1, pay+2, old.scanFile, old.blocks, old.filters, now.scanFile, now.blocks, now.filters)
	if old.found != 1 || now.found != 1 {
		t.Fatalf("found %d (histories) and %d (match), want 1 each", old.found, now.found)
	}
	if now.scanFile != 0 || now.blocks != 1 || now.filters != 3 {
		t.Fatalf("MatchBlock: scan file %d B, %d blocks, %d filters; want none, 1, 3", now.scanFile, now.blocks, now.filters)
	}
	if old.scanFile == 0 {
		t.Fatal("ScriptHistories saved no scan file: the comparison measures nothing")
	}
}
