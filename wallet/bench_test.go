package wallet

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// PopulateForBench fills a fresh wallet at dir with n confirmed transactions shaped like a tip
// wallet's life: three incoming tips for every outgoing payment, which spends three coins and
// makes change. It writes the store directly (no chain), then rebuilds coins and history the
// way a sync does.
func populate(tb testing.TB, dir string, n int) {
	tb.Helper()
	_, err := Create(context.Background(), CreateOptions{Dir: dir, Network: "regtest", Type: txbuilder.P2TR,
		Mnemonic: []byte(abandon), Passphrase: testPass, Keystore: []keystore.Option{cheapKDF}})
	if err != nil {
		tb.Fatal(err)
	}
	w, err := Open(dir, "regtest", OpenOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	defer w.Close()
	const addrs = 1000
	scripts := make([][]byte, addrs)
	changes := make([][]byte, addrs)
	err = w.st.Update(func(tx *store.Txn) error {
		for i := uint32(0); i < addrs; i++ {
			d, err := w.ensureAddr(tx, w.main().keys, 0, i)
			if err != nil {
				return err
			}
			scripts[i] = d.PkScript
			c, err := w.ensureAddr(tx, w.main().keys, 1, i)
			if err != nil {
				return err
			}
			changes[i] = c.PkScript
		}
		var unspent []wire.OutPoint
		var values []int64
		height := int32(1)
		for i := 0; i < n; i++ {
			m := wire.NewMsgTx(2)
			if i%4 == 3 && len(unspent) >= 3 {
				var in int64
				for k := 0; k < 3; k++ {
					op := unspent[0]
					in += values[0]
					unspent, values = unspent[1:], values[1:]
					m.AddTxIn(wire.NewTxIn(&op, nil, nil))
				}
				m.AddTxOut(wire.NewTxOut(2100, []byte{0x51, 0x20, 1, 2, 3}))
				m.AddTxOut(wire.NewTxOut(in-2100-300, changes[i%addrs]))
			} else {
				h := chainhash.DoubleHashH([]byte(fmt.Sprint("payer", i)))
				m.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&h, 0), nil, nil))
				m.AddTxOut(wire.NewTxOut(int64(1000+i%5000), scripts[i%addrs]))
			}
			var buf bytes.Buffer
			if err := m.Serialize(&buf); err != nil {
				return err
			}
			id := m.TxHash()
			for k, o := range m.TxOut {
				if bytes.Equal(o.PkScript, scripts[i%addrs]) || bytes.Equal(o.PkScript, changes[i%addrs]) {
					unspent = append(unspent, wire.OutPoint{Hash: id, Index: uint32(k)})
					values = append(values, o.Value)
				}
			}
			if i%10 == 0 {
				height++
			}
			rec := &store.TxRecord{TxID: id, Raw: buf.Bytes(), Height: height, BlockTime: 1700000000 + int64(height)*600,
				FirstSeen: 1700000000, Status: store.StatusConfirmed, Fee: -1}
			if err := tx.PutTx(rec); err != nil {
				return err
			}
		}
		if err := tx.PutSyncState(store.SyncState{Height: height, At: time.Unix(1800000000, 0), GapLimit: 20}); err != nil {
			return err
		}
		return w.recompute(tx, height)
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func benchReads(b *testing.B, n int) {
	dir := filepath.Join(b.TempDir(), "regtest", "w")
	populate(b, dir, n)
	for _, name := range []string{"open+balance", "open+history100", "open+utxos"} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				w, err := Open(dir, "regtest", OpenOptions{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				switch name {
				case "open+balance":
					_, err = w.Balance()
				case "open+history100":
					_, err = w.History(0, 100)
				case "open+utxos":
					_, err = w.Utxos()
				}
				w.Close()
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkOfflineReads5k(b *testing.B)   { benchReads(b, 5_000) }
func BenchmarkOfflineReads100k(b *testing.B) { benchReads(b, 100_000) }

func TestPopulateIsConsistent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "regtest", "w")
	populate(t, dir, 400)
	w, err := Open(dir, "regtest", OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	b, err := w.Balance()
	if err != nil {
		t.Fatal(err)
	}
	us, _ := w.Utxos()
	var sum int64
	for _, u := range us {
		sum += u.Value
	}
	h, _ := w.History(0, 0)
	var net int64
	for _, e := range h {
		net += e.Amount
	}
	if len(h) != 400 || sum != b.Confirmed || net != b.Confirmed || b.Confirmed <= 0 {
		t.Fatalf("history %d, coins %d, history net %d, confirmed %d", len(h), sum, net, b.Confirmed)
	}
}

// BenchmarkCLIOffline times the real satchel binary answering from a large wallet with
// --offline: process start, open, read, JSON out. It reports the peak RSS too.
func BenchmarkCLIOffline(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "satchel")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/satchel").CombinedOutput(); err != nil {
		b.Fatalf("build: %v %s", err, out)
	}
	for _, n := range []int{5_000, 100_000} {
		data := b.TempDir()
		if keep := os.Getenv("SATCHEL_BENCH_KEEP"); keep != "" {
			// Leave the wallets behind to time the binary by hand (hyperfine, /usr/bin/time).
			data = filepath.Join(keep, fmt.Sprint(n))
			os.RemoveAll(data)
		}
		populate(b, filepath.Join(data, "regtest", "w"), n)
		for _, cmd := range []string{"balance", "history", "utxos"} {
			b.Run(fmt.Sprintf("%s/%dtx", cmd, n), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					c := exec.Command(bin, cmd, "--offline", "--json", "--datadir", data, "--network", "regtest", "--wallet", "w")
					c.Stdout, c.Stderr = io.Discard, io.Discard
					if err := c.Run(); err != nil {
						b.Fatalf("%s: %v", cmd, err)
					}
				}
				// Peak memory comes from /usr/bin/time when present: the child's own rusage counts the
				// benchmark process it was forked from.
				if _, err := os.Stat("/usr/bin/time"); err == nil {
					var errb bytes.Buffer
					c := exec.Command("/usr/bin/time", "-f", "%M", bin, cmd, "--offline", "--json", "--datadir", data, "--network", "regtest", "--wallet", "w")
					c.Stdout, c.Stderr = io.Discard, &errb
					if err := c.Run(); err == nil {
						var kib float64
						lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
						fmt.Sscan(lines[len(lines)-1], &kib)
						b.ReportMetric(kib/1024, "maxrss-MiB")
					}
				}
			})
		}
	}
}
