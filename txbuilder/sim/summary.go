package sim

import (
	"math"
	"sort"
)

// Stat is one metric over several runs.
type Stat struct {
	Mean   float64 `json:"mean"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	StdDev float64 `json:"stddev"` // sample standard deviation; 0 for a single run
}

// statOf summarises xs (at least one value).
func statOf(xs []float64) Stat {
	s := Stat{Min: math.Inf(1), Max: math.Inf(-1)}
	for _, x := range xs {
		s.Mean += x
		s.Min, s.Max = min(s.Min, x), max(s.Max, x)
	}
	s.Mean /= float64(len(xs))
	if len(xs) > 1 {
		var ss float64
		for _, x := range xs {
			ss += (x - s.Mean) * (x - s.Mean)
		}
		s.StdDev = math.Sqrt(ss / float64(len(xs)-1))
	}
	return s
}

// Summary is a scenario replayed through one policy with several seeds: the mean of each metric,
// with the spread of the ones that decide between policies. Its JSON form is the simulator's
// --json line.
type Summary struct {
	Scenario  string             `json:"scenario"`
	Policy    string             `json:"policy"`
	Type      string             `json:"type"`
	Runs      int                `json:"runs"`
	Seed      uint64             `json:"seed"`
	Ops       int                `json:"ops"`
	Deposits  float64            `json:"deposits"`
	Payments  float64            `json:"payments"`
	Refused   float64            `json:"refused"`
	RefusedBy map[string]float64 `json:"refused_by,omitempty"`
	TotalFees float64            `json:"total_fees_sat"`
	// ConsolidationFees is what the policy's own cheap-day transactions paid (in TotalCost, not
	// in TotalFees); Consolidations counts them.
	ConsolidationFees float64 `json:"consolidation_fees_sat"`
	Consolidations    float64 `json:"consolidations"`
	// ExtraPerPayment is the coins shown to payees per payment beyond those it needed.
	ExtraPerPayment   float64            `json:"revealed_per_payment"`
	MeanFee           float64            `json:"mean_fee_sat"`
	CostToEmpty       float64            `json:"cost_to_empty_sat"`
	TotalCost         float64            `json:"total_cost_sat"`
	UTXOsEnd          float64            `json:"utxos_end"`
	MeanUTXOs         float64            `json:"mean_utxos"`
	Changeless        float64            `json:"changeless"`
	MeanInputs        float64            `json:"mean_inputs"`
	UneconomicalChg   float64            `json:"uneconomical_change"`
	UneconomicalIns   float64            `json:"uneconomical_inputs"`
	MinChange         float64            `json:"min_change_sat"`
	MeanChange        float64            `json:"mean_change_sat"`
	ByAlgorithm       map[string]float64 `json:"by_algorithm"`
	BalanceEnd        float64            `json:"balance_end_sat"`
	TotalCostSpread   Stat               `json:"total_cost_spread"`
	TotalFeesSpread   Stat               `json:"total_fees_spread"`
	UTXOsEndSpread    Stat               `json:"utxos_end_spread"`
	ChangelessSpread  Stat               `json:"changeless_spread"`
	LongTermFeeRateKv int64              `json:"long_term_fee_rate_sat_per_kvb"`
	// DiscardFeeRateKv is set when the run overrode the requests' discard fee rate.
	DiscardFeeRateKv int64 `json:"discard_fee_rate_sat_per_kvb,omitempty"`
}

// Summarize combines the runs of one scenario and policy (at least one run).
func Summarize(scenario, policy, typ string, seed uint64, runs []Result) Summary {
	s := Summary{Scenario: scenario, Policy: policy, Type: typ, Runs: len(runs), Seed: seed,
		RefusedBy: map[string]float64{}, ByAlgorithm: map[string]float64{}}
	if len(runs) == 0 {
		return s
	}
	s.Ops = runs[0].Ops
	s.LongTermFeeRateKv = int64(runs[0].LongTermFeeRate)
	col := func(f func(Result) float64) Stat {
		xs := make([]float64, len(runs))
		for i, r := range runs {
			xs[i] = f(r)
		}
		return statOf(xs)
	}
	s.Deposits = col(func(r Result) float64 { return float64(r.Deposits) }).Mean
	s.Payments = col(func(r Result) float64 { return float64(r.Payments) }).Mean
	s.Refused = col(func(r Result) float64 { return float64(r.Refused) }).Mean
	s.TotalFeesSpread = col(func(r Result) float64 { return float64(r.Fees) })
	s.TotalFees = s.TotalFeesSpread.Mean
	s.MeanFee = col(Result.MeanFee).Mean
	s.ConsolidationFees = col(func(r Result) float64 { return float64(r.ConsolidationFees) }).Mean
	s.Consolidations = col(func(r Result) float64 { return float64(r.Consolidations) }).Mean
	s.ExtraPerPayment = col(Result.MeanExtra).Mean
	s.CostToEmpty = col(func(r Result) float64 { return float64(r.CostToEmpty) }).Mean
	s.TotalCostSpread = col(func(r Result) float64 { return float64(r.TotalCost()) })
	s.TotalCost = s.TotalCostSpread.Mean
	s.UTXOsEndSpread = col(func(r Result) float64 { return float64(r.CoinsEnd) })
	s.UTXOsEnd = s.UTXOsEndSpread.Mean
	s.MeanUTXOs = col(Result.MeanCoins).Mean
	s.ChangelessSpread = col(func(r Result) float64 { return float64(r.Changeless) })
	s.Changeless = s.ChangelessSpread.Mean
	s.MeanInputs = col(Result.MeanInputs).Mean
	s.UneconomicalChg = col(func(r Result) float64 { return float64(r.UneconChange) }).Mean
	s.UneconomicalIns = col(func(r Result) float64 { return float64(r.UneconInputs) }).Mean
	s.MinChange = col(func(r Result) float64 { return float64(r.MinChange) }).Mean
	s.MeanChange = col(func(r Result) float64 {
		return ratio(float64(r.ChangeSum), r.Payments-r.Changeless)
	}).Mean
	s.BalanceEnd = col(func(r Result) float64 { return float64(r.BalanceEnd) }).Mean
	n := float64(len(runs))
	for _, r := range runs {
		for k, v := range r.RefusedBy {
			s.RefusedBy[k] += float64(v) / n
		}
		for k, v := range r.ByAlgorithm {
			s.ByAlgorithm[k] += float64(v) / n
		}
	}
	return s
}

// Keys returns m's keys in order, for stable reports.
func Keys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
