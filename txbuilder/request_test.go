package txbuilder

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestNewRequestCarriesEveryOption(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	payees := selPayees(5_000)
	required := selWPKHCoins(70_000)
	coins := []Coin{selCoin(7, 20_000, P2TR)}
	got := NewRequest(payees, required, coins, SendOptions{FeeRate: 2_500, LongTermFeeRate: 8_000,
		WalletType: P2TR, IncludeUneconomical: true, SweepAll: true, Rand: rng})
	want := Request{Payees: payees, Required: required, Coins: coins, FeeRate: 2_500, LongTermFeeRate: 8_000,
		ChangeType: P2TR, IncludeUneconomical: true, SubtractFee: true, Rand: rng}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	// The discard rate is never set: the wallet has no long-horizon estimate to lower it with.
	if got.DiscardFeeRate != 0 {
		t.Fatalf("discard rate %d", got.DiscardFeeRate)
	}
}

func TestConfirmations(t *testing.T) {
	tests := []struct {
		name        string
		height, tip int32
		want        int32
	}{
		{"unconfirmed (height 0)", 0, 100, 0},
		{"negative height is unconfirmed", -1, 100, 0},
		{"mined in the tip", 100, 100, 1},
		{"six deep", 95, 100, 6},
		{"tip behind the coin (reorg)", 101, 100, 0},
	}
	for _, tc := range tests {
		if got := Confirmations(tc.height, tc.tip); got != tc.want {
			t.Errorf("%s: Confirmations(%d, %d) = %d, want %d", tc.name, tc.height, tc.tip, got, tc.want)
		}
	}
}
