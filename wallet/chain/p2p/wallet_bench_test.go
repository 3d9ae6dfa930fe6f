package p2p_test

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/btcsuite/btcd/address/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
	"github.com/satchel-wallet/satchel/wallet/chain/p2p"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

const abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

// relay forwards loopback TCP connections to target and counts the bytes the server sends:
// what a client downloads, whatever its protocol.
type relay struct {
	addr string
	down atomic.Int64
}

// countingWriter adds what it writes to n as it goes, so the count is right before the
// connection closes.
type countingWriter struct {
	w io.Writer
	n *atomic.Int64
}

func (cw countingWriter) Write(p []byte) (int, error) {
	k, err := cw.w.Write(p)
	cw.n.Add(int64(k))
	return k, err
}

func startRelay(b testing.TB, target string) *relay {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	r := &relay{addr: l.Addr().String()}
	var wg sync.WaitGroup
	b.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			wg.Add(2)
			go func() { defer wg.Done(); io.Copy(s, c); s.Close() }()
			go func() {
				defer wg.Done()
				io.Copy(countingWriter{c, &r.down}, s)
				c.Close()
			}()
		}
	}()
	return r
}

func benchWallet(b testing.TB) *wallet.Wallet {
	dir := filepath.Join(b.TempDir(), "regtest", "w")
	_, err := wallet.Create(context.Background(), wallet.CreateOptions{Dir: dir, Network: "regtest",
		Type: txbuilder.P2WPKH, Mnemonic: []byte(abandon), Passphrase: []byte("pw"),
		Keystore: []keystore.Option{keystore.WithKDF(keystore.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1})}})
	if err != nil {
		b.Fatal(err)
	}
	w, err := wallet.Open(dir, "regtest", wallet.OpenOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return w
}

// receiveScripts derives the wallet's first n BIP84 receive (c=0) and change (c=1) scripts.
func receiveScripts(b testing.TB, n uint32) [2][][]byte {
	master, err := keys.Master(keys.SeedFromMnemonic([]byte(abandon), nil), regtest.Net)
	if err != nil {
		b.Fatal(err)
	}
	acct, err := keys.DeriveAccount(master, keys.BIP84, regtest.Net, 0)
	if err != nil {
		b.Fatal(err)
	}
	var out [2][][]byte
	for c := uint32(0); c < 2; c++ {
		for i := uint32(0); i < n; i++ {
			d, err := acct.Derive(c, i)
			if err != nil {
				b.Fatal(err)
			}
			out[c] = append(out[c], d.PkScript)
		}
	}
	return out
}

// thousandPaymentsNode is a regtest node whose chain holds 1,000 payments to the benchmark
// wallet: to 200 receive addresses, ten a block over 100 blocks, six blocks on top.
func thousandPaymentsNode(b *testing.B) (*regtest.Node, [2][][]byte) {
	node := regtest.Start(b)
	sc := receiveScripts(b, 260)
	for i := 0; i < 1000; i++ {
		a, err := address.NewAddressWitnessPubKeyHash(sc[0][i%200][2:], regtest.Net)
		if err != nil {
			b.Fatal(err)
		}
		node.Send(b, a.EncodeAddress(), txbuilder.Amount(10_000+i))
		if i%10 == 9 {
			node.Mine(b, 1)
		}
	}
	node.Mine(b, 6)
	return node, sc
}

// BenchmarkSync1000OverP2PAndElectrum syncs a fresh wallet holding 1,000 confirmed payments
// through a new client, over p2p (the node as a peer) and over Electrum (the test server in
// front of the same node), through a relay that counts the bytes the server sends.
// down-bytes/op is what the client downloaded; told/op what the server learned about the
// wallet: Electrum the number of scripts asked about, p2p the number of blocks fetched.
//
//	go test ./wallet/chain/p2p -run '^$' -bench Sync1000 -benchtime 3x -count 3
func BenchmarkSync1000OverP2PAndElectrum(b *testing.B) {
	node, sc := thousandPaymentsNode(b)
	ctx := context.Background()
	opts := wallet.SyncOptions{GapLimit: 20, Now: func() time.Time { return time.Unix(1800000000, 0) }}
	want := int64(1000*10_000 + 999*1000/2)
	rpcBe := openRPC(b, node)
	srv := electrumtest.Start(b, rpcBe)
	srv.Watch(append(sc[0], sc[1]...)...)

	b.Run("p2p", func(b *testing.B) {
		rl := startRelay(b, node.P2PAddr())
		var down, told int64
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			w := benchWallet(b)
			start := rl.down.Load()
			be, err := p2p.New("p2p://"+rl.addr, chain.Options{Net: regtest.Net, DataDir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := w.Sync(ctx, be, opts); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			blocks, _ := be.Downloaded()
			be.Close()
			down += rl.down.Load() - start
			told += int64(blocks)
			if bal, _ := w.Balance(); bal.Confirmed != want {
				b.Fatalf("balance %+v", bal)
			}
			w.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(down)/float64(b.N), "down-bytes/op")
		b.ReportMetric(float64(told)/float64(b.N), "told/op")
	})
	b.Run("electrum", func(b *testing.B) {
		rl := startRelay(b, strings.TrimPrefix(srv.URL(), "electrum://"))
		var down, told int64
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			w := benchWallet(b)
			start := rl.down.Load()
			be, err := electrum.Open(ctx, "electrum://"+rl.addr, chain.Options{Net: regtest.Net, DataDir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, err := w.Sync(ctx, be, opts)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			be.Close()
			down += rl.down.Load() - start
			told += int64(res.AddressesScanned)
			if bal, _ := w.Balance(); bal.Confirmed != want {
				b.Fatalf("balance %+v", bal)
			}
			w.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(down)/float64(b.N), "down-bytes/op")
		b.ReportMetric(float64(told)/float64(b.N), "told/op")
	})
}
