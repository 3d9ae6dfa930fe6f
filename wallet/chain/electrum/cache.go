package electrum

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/atomicfile"
)

// The light-client cache: the verified header chain and the proven transactions, kept in
// options.CacheDir between runs so that a new process does not download again what an
// earlier one checked. Two files, both 0600:
//
//	spv-headers: "SATSPVH1", the network's magic (uint32 LE), the height of the first header
//	             (int32 LE), then 80-byte headers in height order.
//	spv-proofs:  "SATSPVP2", the network's magic (uint32 LE), then records of txid (32 bytes),
//	             height (int32 LE), the hash of the block the proof led to (32 bytes), the
//	             transaction's position in the block (uint32 LE), the branch length (1 byte,
//	             at most 32) and the branch's hashes (32 bytes each).
//
// Headers are appended while the chain only grows and the file is replaced (temp file, fsync,
// rename) otherwise; the proofs file is always replaced. What is read back is checked like an
// answer from the server: every header again for proof of work, checkpoints, difficulty and
// linkage, a torn or broken tail cut off; a proof is hashed up its branch again to the merkle
// root of the verified header at its height, and counts only while that header is the one the
// proof was made against. A file that fails is ignored (and replaced on the next save):
// it is a cache, never a source of truth.
const (
	headersFile  = "spv-headers"
	proofsFile   = "spv-proofs"
	cacheHdrLen  = 16
	proofFixed   = 32 + 4 + 32 + 4 + 1 // a proof record before its branch
	headerRecLen = 80
	// maxCachedHeaders bounds what is read from spv-headers: twice mainnet's chain today.
	maxCachedHeaders = 2_000_000
)

var (
	headersMagic = []byte("SATSPVH1")
	proofsMagic  = []byte("SATSPVP2")
)

// cacheState is what the files on disk hold, so that a save writes only what changed.
type cacheState struct {
	loaded    bool // the files were read (or there was nothing to read)
	hdrFrom   int32
	hdrCount  int            // headers in spv-headers
	hdrTop    chainhash.Hash // hash of its last header
	proofsOld bool           // proven changed since spv-proofs was written
}

// parseHeaderCache reads spv-headers: the first height and the headers up to the first that
// is torn or does not link to the one before it. It fails on a file of another kind or
// network.
func parseHeaderCache(data []byte, net wire.BitcoinNet) (span, error) {
	if len(data) < cacheHdrLen || !bytes.Equal(data[:8], headersMagic) {
		return span{}, errors.New("not a satchel header cache")
	}
	if wire.BitcoinNet(binary.LittleEndian.Uint32(data[8:12])) != net {
		return span{}, errors.New("a header cache of another network")
	}
	from := int32(binary.LittleEndian.Uint32(data[12:16]))
	if from < 0 {
		return span{}, errors.New("a header cache starting below height 0")
	}
	body := data[cacheHdrLen:]
	n := min(len(body)/headerRecLen, maxCachedHeaders)
	if int64(from)+int64(n) > 1<<31-1 {
		n = int(1<<31 - 1 - int64(from))
	}
	// Grown as headers pass, not sized from the file: a large file of junk costs little.
	seg := span{from: from, hdrs: make([]wire.BlockHeader, 0, min(n, 4096)), hashes: make([]chainhash.Hash, 0, min(n, 4096))}
	for i := 0; i < n; i++ {
		var h wire.BlockHeader
		if err := h.Deserialize(bytes.NewReader(body[i*headerRecLen : (i+1)*headerRecLen])); err != nil {
			break
		}
		if i > 0 && h.PrevBlock != seg.hashes[i-1] {
			break
		}
		seg.hdrs = append(seg.hdrs, h)
		seg.hashes = append(seg.hashes, h.BlockHash())
	}
	return seg, nil
}

// parseProofCache reads spv-proofs, ignoring a torn last record. Nothing in it is checked
// against headers here: loadCache does that.
func parseProofCache(data []byte, net wire.BitcoinNet) (map[chainhash.Hash]provenAt, error) {
	if len(data) < 12 || !bytes.Equal(data[:8], proofsMagic) {
		return nil, errors.New("not a satchel proof cache")
	}
	if wire.BitcoinNet(binary.LittleEndian.Uint32(data[8:12])) != net {
		return nil, errors.New("a proof cache of another network")
	}
	out := map[chainhash.Hash]provenAt{}
	for body := data[12:]; len(body) >= proofFixed; {
		var id chainhash.Hash
		var p provenAt
		copy(id[:], body[:32])
		p.height = int32(binary.LittleEndian.Uint32(body[32:36]))
		copy(p.block[:], body[36:68])
		p.proof.pos = binary.LittleEndian.Uint32(body[68:72])
		n := int(body[72])
		if n > maxBranch || len(body) < proofFixed+32*n {
			break
		}
		p.proof.height = p.height
		p.proof.branch = make([]chainhash.Hash, n)
		for k := range n {
			copy(p.proof.branch[k][:], body[proofFixed+32*k:])
		}
		body = body[proofFixed+32*n:]
		if p.height > 0 && (n == 32 || p.proof.pos < 1<<n) {
			out[id] = p
		}
	}
	return out, nil
}

// loadCache fills an empty verified chain from the cache, checking every header again, and
// adds the cached proofs. Anything unreadable or failing a check is left out. The caller holds
// s.mu.
func (b *Backend) loadCache(ctx context.Context) {
	s := b.spv
	if s.cache.loaded || b.cacheDir == "" {
		return
	}
	s.cache.loaded = true
	if data, err := readAtMost(filepath.Join(b.cacheDir, headersFile), cacheHdrLen+headerRecLen*maxCachedHeaders); err == nil {
		seg, err := parseHeaderCache(data, b.net.Net)
		if err == nil && len(seg.hdrs) > 0 && len(s.chain.hdrs) == 0 {
			// The headers pass the same checks as the server's, or none is used; the network
			// is only asked for a checkpoint header below them, once.
			if b.checkSpan(ctx, seg) == nil {
				s.chain = seg
				// Only a file that holds exactly these headers is appended to later.
				if len(data) == cacheHdrLen+headerRecLen*len(seg.hdrs) {
					s.cache.hdrFrom, s.cache.hdrCount, s.cache.hdrTop = seg.from, len(seg.hdrs), seg.hashes[len(seg.hashes)-1]
				}
			}
		}
	}
	if data, err := readAtMost(filepath.Join(b.cacheDir, proofsFile), 12+(proofFixed+32*maxBranch)*maxCachedHeaders); err == nil {
		if proven, err := parseProofCache(data, b.net.Net); err == nil {
			for id, p := range proven {
				// Taken only if its branch leads to the merkle root of the verified header it
				// names, as checkProofs requires of a server's proof.
				hdr, hash, ok := s.at(p.height)
				if !ok || hash != p.block {
					continue
				}
				if root, err := p.proof.root(id); err != nil || root != hdr.MerkleRoot {
					continue
				}
				if _, ok := s.proven[id]; !ok {
					s.proven[id] = p
				}
			}
		}
	}
}

// saveCache writes what changed in the verified chain and the proofs since the last load or
// save. A cache that cannot be written costs only a download next time, so a failure is not
// passed on: the sync it follows succeeded. The caller holds s.mu.
func (b *Backend) saveCache() {
	s := b.spv
	if b.cacheDir == "" || !s.cache.loaded {
		return
	}
	if err := b.saveHeaders(); err != nil {
		s.cache.hdrCount = 0 // rewrite the whole file next time
	}
	if s.cache.proofsOld && b.saveProofs() == nil {
		s.cache.proofsOld = false
	}
}

func (b *Backend) saveHeaders() error {
	s := b.spv
	c := &s.chain
	if len(c.hdrs) == 0 {
		return nil
	}
	path := filepath.Join(b.cacheDir, headersFile)
	k := s.cache.hdrCount
	if k > 0 && c.from == s.cache.hdrFrom && len(c.hdrs) >= k && c.hashes[k-1] == s.cache.hdrTop {
		if len(c.hdrs) == k {
			return nil
		}
		var buf bytes.Buffer
		for i := k; i < len(c.hdrs); i++ {
			if err := c.hdrs[i].Serialize(&buf); err != nil {
				return err
			}
		}
		// No fsync: a torn append is cut off when read back.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return err
		}
		_, err = f.Write(buf.Bytes())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	} else {
		buf := bytes.NewBuffer(make([]byte, 0, cacheHdrLen+headerRecLen*len(c.hdrs)))
		buf.Write(headersMagic)
		buf.Write(binary.LittleEndian.AppendUint32(nil, uint32(b.net.Net)))
		buf.Write(binary.LittleEndian.AppendUint32(nil, uint32(c.from)))
		for i := range c.hdrs {
			if err := c.hdrs[i].Serialize(buf); err != nil {
				return err
			}
		}
		if err := atomicfile.Write(path, buf.Bytes(), 0o600); err != nil {
			return err
		}
	}
	s.cache.hdrFrom, s.cache.hdrCount, s.cache.hdrTop = c.from, len(c.hdrs), c.hashes[len(c.hashes)-1]
	return nil
}

// saveProofs replaces spv-proofs with the proofs whose block is still in the verified chain.
func (b *Backend) saveProofs() error {
	s := b.spv
	keep := map[chainhash.Hash]provenAt{}
	for id, p := range s.proven {
		if _, hash, ok := s.at(p.height); ok && hash == p.block {
			keep[id] = p
		}
	}
	return atomicfile.Write(filepath.Join(b.cacheDir, proofsFile), encodeProofCache(keep, b.net.Net), 0o600)
}

// encodeProofCache writes proofs in spv-proofs' format, in txid order.
func encodeProofCache(proven map[chainhash.Hash]provenAt, net wire.BitcoinNet) []byte {
	ids := make([]chainhash.Hash, 0, len(proven))
	for id := range proven {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return bytes.Compare(ids[i][:], ids[j][:]) < 0 })
	buf := make([]byte, 0, 12+(proofFixed+32*12)*len(ids))
	buf = append(buf, proofsMagic...)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(net))
	for _, id := range ids {
		p := proven[id]
		buf = append(buf, id[:]...)
		buf = binary.LittleEndian.AppendUint32(buf, uint32(p.height))
		buf = append(buf, p.block[:]...)
		buf = binary.LittleEndian.AppendUint32(buf, p.proof.pos)
		buf = append(buf, byte(len(p.proof.branch)))
		for _, h := range p.proof.branch {
			buf = append(buf, h[:]...)
		}
	}
	return buf
}

// readAtMost reads the first max bytes of a file: what lies beyond is never wanted.
func readAtMost(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, max))
}
