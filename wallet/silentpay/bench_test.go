package silentpay

import (
	"math/rand/v2"
	"testing"
)

// The common case when scanning a block: a transaction that does not pay the wallet.
func BenchmarkScanNoMatch(b *testing.B) {
	bob := newReceiver(b)
	ins, _ := senderInputs(b)
	tweak, err := TweakData(ins)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	outs := [][]byte{randomXOnly(rng), randomXOnly(rng)}
	b.ResetTimer()
	for b.Loop() {
		if found, err := bob.scanner.Scan(tweak, outs); err != nil || len(found) != 0 {
			b.Fatal(found, err)
		}
	}
}

// Scanning with 1,000 labels, as a wallet recovering from a seed might.
func BenchmarkScanNoMatch1000Labels(b *testing.B) {
	labels := make([]uint32, 1000)
	for i := range labels {
		labels[i] = uint32(i + 1)
	}
	bob := newReceiver(b, labels...)
	ins, _ := senderInputs(b)
	tweak, err := TweakData(ins)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	outs := [][]byte{randomXOnly(rng), randomXOnly(rng)}
	b.ResetTimer()
	for b.Loop() {
		if _, err := bob.scanner.Scan(tweak, outs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTweakData(b *testing.B) {
	ins, _ := senderInputs(b)
	for b.Loop() {
		if _, err := TweakData(ins); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCreateOutputs(b *testing.B) {
	bob := newReceiver(b)
	_, keysIn := senderInputs(b)
	for b.Loop() {
		if _, err := CreateOutputs(keysIn, []*Address{bob.addr}); err != nil {
			b.Fatal(err)
		}
	}
}

// The worst case BIP352 allows for one scan key: KMax outputs, all paying the wallet's
// change label.
func BenchmarkScanKMaxOutputs(b *testing.B) {
	bob := newReceiver(b)
	ins, keysIn := senderInputs(b)
	recipients := make([]*Address, KMax)
	for i := range recipients {
		recipients[i] = bob.labelled[ChangeLabel]
	}
	outs := bob.pay(b, keysIn, recipients...)
	b.ResetTimer()
	for b.Loop() {
		if found, err := bob.scanner.ScanTransaction(ins, outs); err != nil || len(found) != KMax {
			b.Fatal(len(found), err)
		}
	}
}
