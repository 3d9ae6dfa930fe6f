package electrum

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
)

// Header chunks: blockchain.block.headers answers at most 2016 headers (one difficulty
// period, ElectrumX's limit); two chunks go per message, so an answer stays near 650 kB,
// under servers' 1 MB default.
const (
	chunkSize        = 2016
	chunksPerMessage = 2
)

// span is a run of consecutive headers starting at height from, with their hashes.
type span struct {
	from   int32
	hdrs   []wire.BlockHeader
	hashes []chainhash.Hash
}

func (s *span) top() int32 { return s.from + int32(len(s.hdrs)) - 1 }

// errMoved marks an answer that may only mean the server's chain changed between two requests
// (a reorganisation, a new block): it is worth asking once more before calling it a lie.
type errMoved struct{ err error }

func (e errMoved) Error() string { return e.err.Error() }
func (e errMoved) Unwrap() error { return e.err }

// fetchHeaders asks blockchain.block.headers for the headers at heights from to to, in chunks
// of 2016, and returns them in order with their hashes. Headers inside the run must link.
func (b *Backend) fetchHeaders(ctx context.Context, from, to int32) (span, error) {
	const op = "blockchain.block.headers"
	out := span{from: from}
	next := from
	for next <= to {
		var calls []*call
		var asked []int32
		for s := next; s <= to && len(calls) < chunksPerMessage; s += chunkSize {
			n := min(int32(chunkSize), to-s+1)
			calls = append(calls, &call{method: op, params: []any{s, n}})
			asked = append(asked, n)
		}
		if err := b.timedExchange(ctx, op, calls, chunksPerMessage); err != nil {
			return span{}, err
		}
		for i, c := range calls {
			if c.err != nil {
				return span{}, b.errs.Refused(op, fmt.Sprintf("from height %d: %v", next, c.err))
			}
			hdrs, err := parseChunk(c.result)
			if err != nil {
				return span{}, b.errs.Bad(op, "from height %d: %v", next, err)
			}
			if len(hdrs) > int(asked[i]) {
				return span{}, b.errs.Bad(op, "asked for %d headers from height %d, got %d", asked[i], next, len(hdrs))
			}
			if len(hdrs) == 0 {
				return span{}, errMoved{b.errs.Bad(op, "the server has no header at height %d, below the tip it announced", next)}
			}
			for j := range hdrs {
				hash := hdrs[j].BlockHash()
				if n := len(out.hdrs); n > 0 && hdrs[j].PrevBlock != out.hashes[n-1] {
					return span{}, errMoved{b.spvErr(op, errNoLink{next + int32(j)})}
				}
				out.hdrs = append(out.hdrs, hdrs[j])
				out.hashes = append(out.hashes, hash)
			}
			next += int32(len(hdrs))
			if len(hdrs) < int(asked[i]) {
				break // a server with a lower limit: ask again from where it stopped
			}
		}
	}
	return out, nil
}

// parseChunk reads block.headers' {"count": N, "hex": "<N headers of 80 bytes>", "max": M}.
func parseChunk(raw json.RawMessage) ([]wire.BlockHeader, error) {
	var r struct {
		Count *int    `json:"count"`
		Hex   *string `json:"hex"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || r.Count == nil || r.Hex == nil {
		return nil, fmt.Errorf("the answer is not {count, hex}: %s", clip.Text(string(raw), 80))
	}
	if *r.Count < 0 || *r.Count > chunkSize {
		return nil, fmt.Errorf("count %d is out of range", *r.Count)
	}
	data, err := hex.DecodeString(*r.Hex)
	if err != nil {
		return nil, fmt.Errorf("hex is not hex")
	}
	if len(data) != *r.Count*wire.MaxBlockHeaderPayload {
		return nil, fmt.Errorf("%d bytes of headers for a count of %d", len(data), *r.Count)
	}
	out := make([]wire.BlockHeader, *r.Count)
	rd := bytes.NewReader(data)
	for i := range out {
		if err := out[i].Deserialize(rd); err != nil {
			return nil, fmt.Errorf("header %d does not decode: %v", i, err)
		}
	}
	return out, nil
}
