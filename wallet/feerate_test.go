package wallet

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora/esploratest"
)

// TestFeeRateForJudgesEstimates runs a sequence of estimates from one server through one
// wallet: each step sees what the steps before it accepted.
func TestFeeRateForJudgesEstimates(t *testing.T) {
	type step struct {
		name       string
		estimate   txbuilder.FeeRate // 0: no estimate
		explicit   txbuilder.FeeRate
		target     int
		accept     bool // the user says yes to a suspicious estimate
		wantRate   txbuilder.FeeRate
		suspicious bool
		wantSource string
		wantErr    error
	}
	steps := []step{
		{name: "no estimate at all", estimate: 0, target: 6, wantErr: chain.ErrNoEstimate},
		{name: "absurd first estimate is questioned", estimate: 999_900, target: 6, wantRate: 999_900, suspicious: true, wantSource: "estimate for 6 blocks from"},
		{name: "a first estimate at 100 sat/vB passes", estimate: 100_000, target: 1, wantRate: 100_000},
		{name: "a questioned estimate not accepted is no reference", estimate: 20_000, target: 6, wantRate: 20_000},
		{name: "five times the last passes", estimate: 100_000, target: 6, wantRate: 100_000},
		{name: "just above five times the last and above 100 is questioned", estimate: 500_001, target: 6, wantRate: 500_001, suspicious: true},
		{name: "above five times but below 100 sat/vB passes", estimate: 99_000, target: 6, wantRate: 99_000},
		{name: "a user's yes makes it the reference", estimate: 900_000, target: 6, accept: true, wantRate: 900_000, suspicious: true},
		{name: "after the yes the same level passes", estimate: 950_000, target: 6, wantRate: 950_000},
		{name: "an estimate below the relay floor is raised to it", estimate: 1, target: 144, wantRate: MinRelayFeeRate, wantSource: "raised to the 0.1 sat/vB relay floor"},
		{name: "an explicit rate wins over an absurd estimate", estimate: 999_900, explicit: 7_000, target: 6, wantRate: 7_000, wantSource: "--fee-rate"},
		{name: "an explicit rate below the floor is refused", estimate: 5_000, explicit: 99, target: 6, wantErr: ErrFeeRateTooLow},
	}
	w := newWallet(t, txbuilder.P2WPKH, false)
	c := chaintest.New()
	for _, s := range steps {
		c.Fee = s.estimate
		got, err := w.FeeRateFor(context.Background(), c, s.target, s.explicit)
		if s.wantErr != nil {
			if !errors.Is(err, s.wantErr) {
				t.Fatalf("%s: err %v, want %v", s.name, err, s.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got.Rate != s.wantRate || (got.Suspicious != "") != s.suspicious {
			t.Fatalf("%s: rate %s suspicious %q, want %s suspicious=%v", s.name, got.Rate, got.Suspicious, s.wantRate, s.suspicious)
		}
		if !strings.Contains(got.Source, s.wantSource) {
			t.Fatalf("%s: source %q, want it to contain %q", s.name, got.Source, s.wantSource)
		}
		if s.accept {
			if err := w.Accept(got); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// Through the real clients, an Esplora and an Electrum server that serve an absurd estimate
// get it questioned, not planned at.
func TestFeeRateForThroughLyingServers(t *testing.T) {
	ctx := context.Background()
	c := chaintest.New()
	c.Fee = 999_900
	hdrs, err := c.BlockHeaders(ctx, []int32{0})
	if err != nil {
		t.Fatal(err)
	}
	p := chaincfg.RegressionNetParams
	g := hdrs[0].BlockHash()
	p.GenesisHash = &g
	_, url := esploratest.Start(t, c)
	eb, err := esplora.Open(ctx, url, chain.Options{Net: &p})
	if err != nil {
		t.Fatal(err)
	}
	defer eb.Close()
	es := electrumtest.Start(t, c)
	xb, err := electrum.Open(ctx, es.URL(), chain.Options{Net: &p})
	if err != nil {
		t.Fatal(err)
	}
	defer xb.Close()
	for _, be := range []chain.Backend{eb, xb} {
		w := newWallet(t, txbuilder.P2WPKH, false)
		got, err := w.FeeRateFor(ctx, be, 6, 0)
		if err != nil {
			t.Fatalf("%s: %v", be.Name(), err)
		}
		if got.Suspicious == "" || !strings.Contains(got.Suspicious, "999.9 sat/vB") {
			t.Fatalf("%s: %+v not questioned", be.Name(), got)
		}
		if prev, _ := w.lastFeeEstimate(6); prev != 0 {
			t.Fatalf("%s: the questioned estimate became the reference (%s)", be.Name(), prev)
		}
	}
}
