package electrum

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// FuzzParseMerkle: no answer panics; an accepted proof has a pos that fits its branch, and
// re-encoded it parses to the same proof. Seeds: the protocol docs' example and block 100000.
func FuzzParseMerkle(f *testing.F) {
	f.Add(`{"merkle":["713d6c7e6ce7bbea708d61162231eaa8ecb31c4c5dd84f81c20409a90069cb24","03dbaec78d4a52fbaf3c7aa5d3fccd9d8654f323940716ddf5ee2e4bda458fde","e670224b23f156c27993ac3071940c0ff865b812e21e0a162fe7a005d6e57851","369a1619a67c3108a8850118602e3669455c70cdcdb89248b64cc6325575b885","4756688678644dcb27d62931f04013254a62aeee5dec139d1aac9f7b1f318112","7b97e73abc043836fd890555bfce54757d387943a6860e5450525e8e9ab46be5","61505055e8b639b7c64fd58bce6fc5c2378b92e025a02583303f69930091b1c3","27a654ff1895385ac14a574a0415d3bbba9ec23a8774f22ec20d53dd0b5386ff","5312ed87933075e60a9511857d23d460a085f3b6e9e5e565ad2443d223cfccdc","94f60b14a9f106440a197054936e6fb92abbd69d6059b38fdf79b33fc864fca0","2d64851151550e8c4d337f335ee28874401d55b358a66f1bafab2c3e9f48773d"],"block_height":450538,"pos":710}`)
	f.Add(`{"block_height":100000,"merkle":["fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4","8e30899078ca1813be036a073bbf80b86cdddde1c96e9e9c99e9e3782df4ae49"],"pos":0}`)
	f.Add(`{"block_height":1,"merkle":[],"pos":0}`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseMerkle(json.RawMessage(s))
		if err != nil {
			return
		}
		if p.height < 0 || len(p.branch) > maxBranch || uint64(p.pos) >= 1<<len(p.branch) {
			t.Fatalf("%q: accepted height %d, pos %d with %d hashes", s, p.height, p.pos, len(p.branch))
		}
		hashes := make([]string, len(p.branch))
		for i, h := range p.branch {
			hashes[i] = h.String()
		}
		again, _ := json.Marshal(map[string]any{"block_height": p.height, "merkle": hashes, "pos": p.pos})
		q, err := parseMerkle(again)
		if err != nil || !reflect.DeepEqual(p, q) {
			t.Fatalf("%q: re-encoded as %s parses to %+v, %v", s, again, q, err)
		}
	})
}

// FuzzParseChunk: no answer panics; accepted headers re-encode to the hex they came from (in
// lower case). Seeds: the protocol docs' example (blocks 0 and 1) and an empty chunk.
func FuzzParseChunk(f *testing.F) {
	f.Add(`{"count":2,"hex":"0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c010000006fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000982051fd1e4ba744bbbe680e1fee14677ba1a3c3540bf7b1cdb606e857233e0e61bc6649ffff001d01e36299","max":2016}`)
	f.Add(`{"count":0,"hex":"","max":2016}`)
	f.Fuzz(func(t *testing.T, s string) {
		hdrs, err := parseChunk(json.RawMessage(s))
		if err != nil {
			return
		}
		var b strings.Builder
		for i := range hdrs {
			b.WriteString(netutil.EncodeHeader(&hdrs[i]))
		}
		var r struct{ Hex string }
		json.Unmarshal([]byte(s), &r)
		if b.String() != strings.ToLower(r.Hex) {
			t.Fatalf("%q: re-encoded as %s", s, b.String())
		}
	})
}

// The docs' example chunk holds mainnet blocks 0 and 1, which pass the mainnet checks.
func TestDocChunkIsMainnetsFirstBlocks(t *testing.T) {
	const doc = `{"count":2,"hex":"0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c010000006fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000982051fd1e4ba744bbbe680e1fee14677ba1a3c3540bf7b1cdb606e857233e0e61bc6649ffff001d01e36299","max":2016}`
	hdrs, err := parseChunk(json.RawMessage(doc))
	if err != nil || len(hdrs) != 2 {
		t.Fatalf("%v, %v", hdrs, err)
	}
	r := newRules(&chaincfg.MainNetParams)
	for i := range hdrs {
		if err := r.checkAlone(int32(i), &hdrs[i], hdrs[i].BlockHash()); err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
	}
	if hdrs[1].PrevBlock != hdrs[0].BlockHash() {
		t.Fatal("block 1 does not follow block 0")
	}
	for _, bad := range []string{
		`{"count":1,"hex":"00"}`, `{"count":-1,"hex":""}`, `{"count":1,"hex":"zz"}`, `{"hex":""}`,
		fmt.Sprintf(`{"count":2017,"hex":"%s"}`, hex.EncodeToString(make([]byte, 80*2017))),
	} {
		if _, err := parseChunk(json.RawMessage(bad)); err == nil {
			t.Errorf("%s accepted", clip.Text(bad, 80))
		}
	}
}
