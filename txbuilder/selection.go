package txbuilder

import (
	"cmp"
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/btcsuite/btcd/wire/v2"
)

// Coin-selection constants, named after Bitcoin Core's so the two can be compared line by line.
const (
	// MaxStandardTxWeight is the largest transaction nodes relay by default.
	MaxStandardTxWeight Weight = 400_000
	// DefaultLongTermFeeRate is Core's -consolidatefeerate: the rate the wallet expects to pay
	// for spending a coin later. Below it, spending more inputs now is cheaper.
	DefaultLongTermFeeRate FeeRate = 10_000
	// DefaultDiscardFeeRate is Core's -discardfee: the rate used to value change by what it will
	// cost to spend.
	DefaultDiscardFeeRate FeeRate = 10_000
	// MinDiscardFeeRate is the dust relay fee rate; Core never discards at a lower rate.
	MinDiscardFeeRate FeeRate = 3_000
	// ChangeLower is Core's CHANGE_LOWER: SRD's minimum change and the low end of the random
	// change target.
	ChangeLower Amount = 50_000
	// ChangeUpper is Core's CHANGE_UPPER: the high end of the random change target.
	ChangeUpper Amount = 1_000_000
	// SearchTries bounds Branch and Bound and CoinGrinder (Core's TOTAL_TRIES), so selection time
	// stays bounded on wallets with many coins.
	SearchTries = 100_000
	// KnapsackIterations is the number of random passes of Core's ApproximateBestSubset.
	KnapsackIterations = 1000
	// MaxSelectionFeeRate (1,000,000 sat/vB) bounds every rate a request may carry, far above
	// any real fee market, so fee arithmetic can never overflow.
	MaxSelectionFeeRate FeeRate = 1_000_000_000
)

// Errors of coin selection. Each class is a sentinel so callers can map it to a message or an
// exit code with errors.Is; the typed errors below carry the numbers.
var (
	ErrInsufficientFunds = errors.New("insufficient funds")
	ErrDustOutput        = errors.New("output below dust limit")
	ErrNoPayees          = errors.New("no payees")
	ErrTooLarge          = errors.New("too large a transaction")
	ErrInvalidRequest    = errors.New("invalid coin selection request")
)

// InsufficientFundsError says how far the spendable coins fall short. Available is the sum of
// the coins' effective values (value minus the fee to spend each at the request's fee rate);
// Needed is the payees' total plus the fee of the transaction's fixed part.
type InsufficientFundsError struct {
	Available, Needed Amount
}

// Error states both sums so the user sees how much is missing.
func (e *InsufficientFundsError) Error() string {
	if e.Available == 0 && e.Needed == 0 {
		return "not enough money: no coin to spend" // a sweep with nothing to sweep
	}
	return fmt.Sprintf("not enough money: %s sat spendable after the fee of spending each coin, %s sat needed with the fee", e.Available.Grouped(), e.Needed.Grouped())
}

// Unwrap makes errors.Is(err, ErrInsufficientFunds) hold.
func (e *InsufficientFundsError) Unwrap() error { return ErrInsufficientFunds }

// DustError reports an output that nodes would refuse to relay because it is worth less than
// spending it would cost.
type DustError struct {
	Index      int // payee index
	Value, Min Amount
	Type       ScriptType
}

// Error names the payee and the limit so the user can fix the amount.
func (e *DustError) Error() string {
	return fmt.Sprintf("payee %d: %s sat is below the dust limit of %s sat for a %s (nodes do not relay smaller outputs): send at least %s sat", e.Index+1, e.Value.Grouped(), e.Min.Grouped(), e.Type.AddressKind(), e.Min.Grouped())
}

// Unwrap makes errors.Is(err, ErrDustOutput) hold.
func (e *DustError) Unwrap() error { return ErrDustOutput }

// Coin is a spendable output the selection may use.
type Coin struct {
	OutPoint wire.OutPoint
	Value    Amount
	// Type fixes the input weight, hence the fee to spend the coin.
	Type ScriptType
	// Confirmations is 0 for an unconfirmed coin (only the wallet's own change should be).
	Confirmations int32
	// FromSelf marks outputs of the wallet's own transactions (change). Like Core, policies that
	// use confirmation tiers trust these after 1 confirmation but prefer others' coins only after 6.
	FromSelf bool
	// Group names the address the coin is on (its output script, as a string); "" means a coin
	// alone. Policies that avoid partial spends spend the coins of one group together: once one
	// is spent, the address's other coins are linked to the spender anyway, and leaving them
	// would reveal more later.
	Group string
}

// InputWeight is the weight the coin adds to a transaction when spent.
func (c Coin) InputWeight() Weight { return c.Type.InputWeight() }

// EffectiveValue is what the coin contributes at fee rate r once its own input fee is paid; it
// is what every selection algorithm compares.
func (c Coin) EffectiveValue(r FeeRate) Amount { return c.Value - r.FeeForWeight(c.InputWeight()) }

// Payee is one output the transaction must create.
type Payee struct {
	PkScript []byte
	Type     ScriptType
	Value    Amount
}

// OutputWeight is the weight of the payee's output. The script length wins when the script is
// known, so unusual scripts are still sized right; otherwise the type's standard size is used.
func (p Payee) OutputWeight() Weight {
	if len(p.PkScript) > 0 {
		n := int64(len(p.PkScript))
		return Weight(4 * (8 + compactSizeLen(n) + n))
	}
	return p.Type.OutputWeight()
}

// DustLimit is the smallest value this payee's output may carry.
func (p Payee) DustLimit() Amount {
	if p.Type != ScriptUnknown || len(p.PkScript) == 0 {
		return p.Type.DustLimit()
	}
	// Core's GetDustThreshold at 3 sat/vB: output size plus the size of spending it.
	spend := int64(148)
	if isWitnessProgram(p.PkScript) {
		spend = 67
	}
	return MinDiscardFeeRate.FeeForVSize(int64(p.OutputWeight())/4 + spend)
}

// Request is everything a policy needs to pick coins for one transaction. It is a value: policies
// never modify the caller's slices.
type Request struct {
	Payees []Payee
	// Coins are the candidates, already filtered by the caller for frozen or reserved coins.
	Coins []Coin
	// Required coins are always spent (coin control, fee bumping); selection adds from Coins only
	// what is still needed.
	Required []Coin
	FeeRate  FeeRate
	// LongTermFeeRate is what spending a coin is expected to cost later; 0 means
	// DefaultLongTermFeeRate.
	LongTermFeeRate FeeRate
	// DiscardFeeRate values change by its future spending cost (Core: min(10 sat/vB, longest
	// estimate), at least 3 sat/vB); 0 means DefaultDiscardFeeRate, lower values are raised to
	// MinDiscardFeeRate.
	DiscardFeeRate FeeRate
	// ChangeType is the script type of the change output and of spending it later.
	ChangeType ScriptType
	// IncludeUneconomical lets the algorithms that can (Knapsack, sweeps) spend coins worth less
	// than their input fee; otherwise such coins are left out.
	IncludeUneconomical bool
	// SubtractFee sweeps: the single payee receives all selected value minus the fee (its Value
	// is ignored); there is never change.
	SubtractFee bool
	// Rand drives the randomised algorithms; results are deterministic given its state.
	Rand *rand.Rand
}

// Selection is the chosen input set and what the transaction will look like.
type Selection struct {
	// Inputs are Required first, then the selected coins; their order carries no meaning.
	Inputs []Coin
	// Sent is what the payees receive in total; with SubtractFee, the single payee's value.
	Sent Amount
	// Change is 0 when there is no change output.
	Change Amount
	// ChangeDropped is the part of Fee above what the transaction's size requires: change below
	// the change rule's floor (the cost of change, or the dust limit at the discard rate; the
	// NoChangeReason says which) plus what its own output would have cost, or Branch and Bound's
	// excess within the cost of change. Never change that was dropped for want of room: that
	// sheds inputs or fails with ErrTooLarge. Fee = FeeRate.FeeForWeight(Weight) + ChangeDropped.
	ChangeDropped Amount
	Fee           Amount
	// Weight is the estimated final weight, including the change output if there is one.
	Weight Weight
	// Waste is Core's waste metric of the final selection: input fees now minus at the long-term
	// rate, plus the cost of change or the excess given to fees. Negative when spending now is
	// cheaper than later. A policy that values later spending at its own rate (SatchelPolicy's
	// cheap rate) computes it at that rate.
	Waste     Amount
	Algorithm string
	// ConsolidationFee is the part of Fee paid for inputs the payment did not need, added because
	// spending them now is cheaper than later (only policies with MergeInPayment, such as
	// SatchelMergePolicy, on cheap days). It is shown apart, but it is fee like the rest: a fee
	// guard judges the whole Fee.
	ConsolidationFee Amount
	// NoChangeReason explains a missing change output.
	NoChangeReason string
}

// Policy chooses coins for a payment. Implementations are pure: all randomness comes from
// Request.Rand, so a simulator can replay a wallet's life deterministically.
type Policy interface {
	Name() string
	Select(req Request) (Selection, error)
}

// utxo is a candidate coin with everything the algorithms compare precomputed.
type utxo struct {
	eff    Amount // effective value at the request's fee rate
	fee    Amount // fee to spend it now
	waste  Amount // fee now minus fee at the long-term rate
	weight Weight
	coin   int32 // index into params.coins, or into params.members when coins are grouped
	tier   int8  // first confirmation tier that admits it
}

// params holds a validated request and the quantities every algorithm shares.
type params struct {
	req      Request
	feeRate  FeeRate
	longTerm FeeRate
	// requestLongTerm is the request's long-term rate (or its default) before a policy valued
	// later spending differently; the coin guard compares the fee rate with it.
	requestLongTerm FeeRate
	discard         FeeRate
	payeeSum        Amount
	payeeWeight     Weight
	nPayees         int
	changeType      ScriptType
	changeWeight    Weight
	changeFee       Amount // fee of the change output now
	spendFee        Amount // fee of spending the change later, at the discard rate
	costOfChange    Amount
	// target is the payees plus the fee of the transaction's fixed part (no inputs, no change).
	target   Amount
	required []Coin
	reqEff   Amount
	reqValue Amount
	reqWeigh Weight
	coins    []Coin // candidates, excluding any that are also required
	// members lists the coins of each unit of selection when coins are grouped by address;
	// nil when every unit is one coin (utxo.coin then indexes coins directly).
	members [][]int32
	pool    []utxo // candidates usable by some algorithm, by descending effective value
	npos    int    // pool[:npos] have positive effective value
	tiers   [tierExcluded][]utxo
	search  subsetSearch // Knapsack's buffers, reused across attempts
}

// Confirmation tiers, Core's eligibility filters from strict to permissive.
const (
	tierSafe     = 0 // own coins with 1+ confirmations, others' with 6+
	tierConfirm  = 1 // any coin with 1+ confirmation
	tierOwnZero  = 2 // own unconfirmed change too
	tierExcluded = 3 // others' unconfirmed coins: never used when tiers apply
)

func coinTier(c Coin) int8 {
	switch {
	case c.Confirmations >= 6 || (c.FromSelf && c.Confirmations >= 1):
		return tierSafe
	case c.Confirmations >= 1:
		return tierConfirm
	case c.FromSelf:
		return tierOwnZero
	}
	return tierExcluded
}

func invalidRequest(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidRequest, fmt.Sprintf(format, a...))
}

// prepare is prepareUnits without grouping: every candidate is a unit of its own.
func prepare(req Request) (*params, error) { return prepareUnits(req, false) }

// prepareUnits validates req and computes the shared quantities. A sweep needs no change type.
//
// With grouped set, candidates that share a Coin.Group (one address) become one unit of
// selection, spent whole or not at all, as Core's avoid-partial-spends does.
func prepareUnits(req Request, grouped bool) (*params, error) {
	if len(req.Payees) == 0 {
		return nil, ErrNoPayees
	}
	if req.FeeRate <= 0 {
		return nil, invalidRequest("fee rate %d sat/kvB is not positive", req.FeeRate)
	}
	for _, r := range []FeeRate{req.FeeRate, req.LongTermFeeRate, req.DiscardFeeRate} {
		if r > MaxSelectionFeeRate {
			return nil, invalidRequest("fee rate %s sat/vB above %s", r, MaxSelectionFeeRate)
		}
	}
	if req.SubtractFee && len(req.Payees) != 1 {
		return nil, invalidRequest("subtracting the fee needs exactly one payee, got %d", len(req.Payees))
	}
	p := &params{req: req, feeRate: req.FeeRate, longTerm: req.LongTermFeeRate, discard: req.DiscardFeeRate}
	if p.longTerm <= 0 {
		p.longTerm = DefaultLongTermFeeRate
	}
	if p.discard <= 0 {
		p.discard = DefaultDiscardFeeRate
	}
	p.discard = max(p.discard, MinDiscardFeeRate)

	p.nPayees = len(req.Payees)
	for i, py := range req.Payees {
		w := py.OutputWeight()
		if w == 0 {
			return nil, invalidRequest("payee %d has neither a script nor a known type", i+1)
		}
		p.payeeWeight += w
		if req.SubtractFee {
			continue
		}
		if py.Value <= 0 || py.Value > MaxMoney {
			return nil, invalidRequest("payee %d value %s sat out of range", i+1, py.Value.Grouped())
		}
		if limit := py.DustLimit(); py.Value < limit {
			return nil, &DustError{Index: i, Value: py.Value, Min: limit, Type: py.Type}
		}
		p.payeeSum += py.Value
		if p.payeeSum > MaxMoney {
			return nil, fmt.Errorf("%w: the payees total more than 21 million BTC: check the amounts", ErrBadAmount)
		}
	}
	p.target = p.payeeSum + p.feeRate.FeeForWeight(EstimateTxWeight(0, p.nPayees, 0, p.payeeWeight))

	if !req.SubtractFee {
		p.changeType = req.ChangeType
		p.changeWeight = p.changeType.OutputWeight()
		if p.changeWeight == 0 || p.changeType.InputWeight() == 0 {
			return nil, invalidRequest("change type %s cannot be spent by the wallet", p.changeType)
		}
		p.changeFee = p.feeRate.FeeForWeight(p.changeWeight)
		p.spendFee = p.discard.FeeForWeight(p.changeType.InputWeight())
		p.costOfChange = p.changeFee + p.spendFee
	}

	var reqSet map[wire.OutPoint]struct{}
	if len(req.Required) > 0 {
		reqSet = make(map[wire.OutPoint]struct{}, len(req.Required))
	}
	for i, c := range req.Required {
		if err := checkCoin(c); err != nil {
			return nil, fmt.Errorf("required coin %d: %w", i, err)
		}
		if _, dup := reqSet[c.OutPoint]; dup {
			return nil, invalidRequest("required coin %v listed twice", c.OutPoint)
		}
		reqSet[c.OutPoint] = struct{}{}
		p.required = append(p.required, c)
		p.reqEff += c.EffectiveValue(p.feeRate)
		p.reqValue += c.Value
		p.reqWeigh += c.InputWeight()
	}
	p.coins = req.Coins
	if reqSet != nil {
		p.coins = make([]Coin, 0, len(req.Coins))
		for _, c := range req.Coins {
			if _, dup := reqSet[c.OutPoint]; !dup {
				p.coins = append(p.coins, c)
			}
		}
	}
	for i, c := range p.coins {
		if err := checkCoin(c); err != nil {
			return nil, fmt.Errorf("coin %d: %w", i, err)
		}
	}
	if grouped {
		p.members = groupCoins(p.coins)
	}
	n := len(p.coins)
	if p.members != nil {
		n = len(p.members)
	}
	p.pool = make([]utxo, 0, n)
	for i := range n {
		u := utxo{coin: int32(i), tier: tierSafe}
		for _, c := range p.unit(int32(i)) {
			w := c.InputWeight()
			fee := p.feeRate.FeeForWeight(w)
			u.eff += c.Value - fee
			u.fee += fee
			u.waste += fee - p.longTerm.FeeForWeight(w)
			u.weight += w
			u.tier = max(u.tier, coinTier(c))
		}
		if u.eff <= 0 && !req.IncludeUneconomical {
			continue
		}
		p.pool = append(p.pool, u)
	}
	sortPool(p.pool)
	p.npos = len(p.pool)
	for p.npos > 0 && p.pool[p.npos-1].eff <= 0 {
		p.npos--
	}
	return p, nil
}

// MaxGroupCoins is Core's OUTPUT_GROUP_MAX_ENTRIES: coins of one address are spent together in
// groups of at most this many, so an address that received thousands of coins stays spendable
// within the standard weight.
const MaxGroupCoins = 100

// groupCoins gathers coins of one Group into units of at most MaxGroupCoins, in the order each
// address first appears; coins with no Group stay alone. It returns nil when no unit would hold
// more than one coin, so ungrouped requests take the plain path.
func groupCoins(coins []Coin) [][]int32 {
	at := map[string]int{}
	var units [][]int32
	shared := false
	for i, c := range coins {
		if c.Group == "" {
			units = append(units, []int32{int32(i)})
			continue
		}
		if u, ok := at[c.Group]; ok && len(units[u]) < MaxGroupCoins {
			units[u] = append(units[u], int32(i))
			shared = true
			continue
		}
		at[c.Group] = len(units)
		units = append(units, []int32{int32(i)})
	}
	if !shared {
		return nil
	}
	return units
}

// unit is the coins of the unit of selection i.
func (p *params) unit(i int32) []Coin {
	if p.members == nil {
		return p.coins[i : i+1]
	}
	out := make([]Coin, len(p.members[i]))
	for k, j := range p.members[i] {
		out[k] = p.coins[j]
	}
	return out
}

func checkCoin(c Coin) error {
	if c.Value <= 0 || c.Value > MaxMoney {
		return invalidRequest("value %d sat out of range", c.Value)
	}
	if c.InputWeight() == 0 {
		return invalidRequest("cannot spend script type %s", c.Type)
	}
	return nil
}

// inputWaste is a coin's term of the waste metric: what spending it now costs over spending it
// at the long-term rate.
func (p *params) inputWaste(c Coin) Amount {
	w := c.InputWeight()
	return p.feeRate.FeeForWeight(w) - p.longTerm.FeeForWeight(w)
}

// sortPool orders candidates by descending effective value, then lighter first (CoinGrinder's
// clone skipping relies on that), then input order so results are deterministic. At fixed rates
// an input's fee and waste follow from its weight, so equal weights need no further tie-break.
// Effective value offset and weight pack into one 64-bit key (values are below 2^51 sat, weights
// below 2^11), and a stable sort keeps input order among equal keys; on large wallets a radix
// sort makes this a small part of a selection instead of most of it.
func sortPool(pool []utxo) {
	n := len(pool)
	if n < 2 {
		return
	}
	hi, heaviest := pool[0].eff, pool[0].weight
	for i := range pool {
		hi, heaviest = max(hi, pool[i].eff), max(heaviest, pool[i].weight)
	}
	wBits := bits.Len64(uint64(heaviest))
	keys := make([]uint64, n)
	idx := make([]uint32, n)
	var spread uint64
	for i := range pool {
		keys[i] = uint64(hi-pool[i].eff)<<wBits | uint64(pool[i].weight)
		idx[i] = uint32(i)
		spread |= keys[i]
	}
	if n < 256 {
		slices.SortStableFunc(idx, func(a, b uint32) int { return cmp.Compare(keys[a], keys[b]) })
	} else {
		idx = radixSortIndex(keys, idx, bits.Len64(spread))
	}
	sorted := make([]utxo, n)
	for i, j := range idx {
		sorted[i] = pool[j]
	}
	copy(pool, sorted)
}

// radixSortIndex sorts keys ascending and stably over their low nbits bits, moving idx along,
// and returns idx in sorted order. It consumes keys.
func radixSortIndex(keys []uint64, idx []uint32, nbits int) []uint32 {
	const digit = 11
	var count [1 << digit]int
	k2 := make([]uint64, len(keys))
	i2 := make([]uint32, len(idx))
	for shift := 0; shift < nbits; shift += digit {
		clear(count[:])
		for _, k := range keys {
			count[(k>>shift)&(1<<digit-1)]++
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for i, k := range keys {
			d := (k >> shift) & (1<<digit - 1)
			k2[count[d]] = k
			i2[count[d]] = idx[i]
			count[d]++
		}
		keys, k2 = k2, keys
		idx, i2 = i2, idx
	}
	return idx
}

// EstimateTxWeight is the weight of a transaction with nIn inputs weighing inWeight in total and
// nOut outputs weighing outWeight, counting segwit marker and flag (a safe overestimate for
// legacy-only spends) and the larger count prefixes past 252 inputs or outputs.
func EstimateTxWeight(nIn, nOut int, inWeight, outWeight Weight) Weight {
	return TxOverheadWeight + 4*Weight(compactSizeLen(int64(nIn))-1+compactSizeLen(int64(nOut))-1) + inWeight + outWeight
}

// compactSizeLen is the serialized length of Bitcoin's variable-length integer n.
func compactSizeLen(n int64) int64 {
	switch {
	case n < 0xfd:
		return 1
	case n <= 0xffff:
		return 3
	case n <= 0xffffffff:
		return 5
	}
	return 9
}

// isWitnessProgram reports whether script is a BIP141 witness program (version opcode and one
// push of 2 to 40 bytes), whose outputs are cheaper to spend and so have a lower dust limit.
func isWitnessProgram(script []byte) bool {
	if len(script) < 4 || len(script) > 42 {
		return false
	}
	if v := script[0]; v != 0x00 && (v < 0x51 || v > 0x60) {
		return false
	}
	return int(script[1])+2 == len(script)
}

// finalize turns an input set into a Selection, deciding change by rule. A positive shortfall
// means the inputs without change do not pay the fee their exact size needs, which the
// per-input effective values cannot foresee only when the input count prefix grows past 252; the
// caller then retries with a target raised by the shortfall.
//
// Change is never burnt for want of room: when change worth keeping would push the transaction
// past MaxStandardTxWeight, finalize sheds optional inputs (the least valuable first) until the
// change output fits; when only required coins are left to shed it refuses with ErrTooLarge. So
// ChangeDropped is only ever change below the rule's floor (cost of change or dust, as the
// reason says) plus the fee its output would have cost, or BnB's changeless excess.
func (p *params) finalize(inputs []Coin, algo string, rule ChangeRule) (sel Selection, shortfall Amount, err error) {
	floor, why := p.minChange(rule)
	for {
		var inSum Amount
		var inW Weight
		for _, c := range inputs {
			inSum += c.Value
			inW += c.InputWeight()
		}
		n := len(inputs)
		wCh := EstimateTxWeight(n, p.nPayees+1, inW, p.payeeWeight+p.changeWeight)
		change := inSum - p.payeeSum - p.feeRate.FeeForWeight(wCh)
		if change < floor || wCh <= MaxStandardTxWeight {
			break
		}
		shed := p.sheddable(inputs)
		if shed < 0 {
			return Selection{}, 0, fmt.Errorf("%w: the %s coins it must spend leave %s sat of change, but the change output would make it %s vB, over the %s vB nodes relay; spend fewer coins",
				ErrTooLarge, Amount(n).Grouped(), change.Grouped(), Amount(wCh.VSize()).Grouped(), maxVSize())
		}
		inputs = slices.Delete(slices.Clone(inputs), shed, shed+1)
	}
	var inSum, eff, waste Amount
	var inW Weight
	for _, c := range inputs {
		inSum += c.Value
		inW += c.InputWeight()
		eff += c.EffectiveValue(p.feeRate)
		waste += p.inputWaste(c)
	}
	n := len(inputs)
	wNo := EstimateTxWeight(n, p.nPayees, inW, p.payeeWeight)
	if wNo > MaxStandardTxWeight {
		return Selection{}, 0, fmt.Errorf("%w: %s coins make %s vB, over the %s vB nodes relay; spend fewer coins, or merge small coins first (satchel consolidate)",
			ErrTooLarge, Amount(n).Grouped(), Amount(wNo.VSize()).Grouped(), maxVSize())
	}
	sel = Selection{Inputs: inputs, Sent: p.payeeSum, Algorithm: algo}
	wCh := EstimateTxWeight(n, p.nPayees+1, inW, p.payeeWeight+p.changeWeight)
	feeCh := p.feeRate.FeeForWeight(wCh)
	change := inSum - p.payeeSum - feeCh
	if change >= floor {
		// The loop above made room for the change output.
		sel.Change, sel.Fee, sel.Weight = change, feeCh, wCh
		sel.Waste = waste + p.costOfChange
		return sel, 0, nil
	}
	feeNo := p.feeRate.FeeForWeight(wNo)
	left := inSum - p.payeeSum
	if left < feeNo {
		return Selection{}, feeNo - left, nil
	}
	sel.Fee, sel.Weight, sel.ChangeDropped = left, wNo, left-feeNo
	sel.Waste = waste + eff - p.target
	switch {
	case algo == algoBnB:
		sel.NoChangeReason = fmt.Sprintf("exact match (bnb): %s sat excess, within the %s sat cost of change, added to fee", sel.ChangeDropped.Grouped(), p.costOfChange.Grouped())
	case change <= 0 && sel.ChangeDropped == 0:
		sel.NoChangeReason = "exact match: inputs pay the payees and the fee with nothing left"
	case change <= 0:
		sel.NoChangeReason = fmt.Sprintf("the %s sat left over would not pay for a change output; added to fee", sel.ChangeDropped.Grouped())
	default:
		sel.NoChangeReason = fmt.Sprintf("change of %s sat %s; %s sat added to fee", change.Grouped(), why, sel.ChangeDropped.Grouped())
	}
	return sel, 0, nil
}

// sheddable is the index in inputs of the optional (not required) input of least effective
// value, the one whose absence costs the change least, or -1 when every input is required.
// Required coins come first in inputs.
func (p *params) sheddable(inputs []Coin) int {
	best := -1
	for i := len(p.required); i < len(inputs); i++ {
		if best < 0 || inputs[i].EffectiveValue(p.feeRate) < inputs[best].EffectiveValue(p.feeRate) {
			best = i
		}
	}
	return best
}

// sweep spends inputs entirely to the single payee, who receives their value minus the fee.
func (p *params) sweep(inputs []Coin) (Selection, error) {
	var inSum, eff, waste Amount
	var inW Weight
	for _, c := range inputs {
		inSum += c.Value
		inW += c.InputWeight()
		eff += c.EffectiveValue(p.feeRate)
		waste += p.inputWaste(c)
	}
	w := EstimateTxWeight(len(inputs), 1, inW, p.payeeWeight)
	if w > MaxStandardTxWeight {
		return Selection{}, fmt.Errorf("%w: sweeping %s coins makes %s vB, over the %s vB nodes relay; sweep fewer coins at a time (freeze some, or name them with --from)",
			ErrTooLarge, Amount(len(inputs)).Grouped(), Amount(w.VSize()).Grouped(), maxVSize())
	}
	fee := p.feeRate.FeeForWeight(w)
	py := p.req.Payees[0]
	limit := py.DustLimit()
	if inSum-fee <= 0 {
		// p.target is the fee of the fixed part here: a sweep has no payee value of its own.
		return Selection{}, &InsufficientFundsError{Available: eff, Needed: p.target + limit}
	}
	if inSum-fee < limit {
		return Selection{}, &DustError{Index: 0, Value: inSum - fee, Min: limit, Type: py.Type}
	}
	return Selection{
		Inputs:         inputs,
		Sent:           inSum - fee,
		Fee:            fee,
		Weight:         w,
		Waste:          waste,
		Algorithm:      algoSweep,
		NoChangeReason: "sweep: the payee receives everything but the fee",
	}, nil
}

// maxVSize is MaxStandardTxWeight in vB, grouped, as messages give sizes (plans show vB).
func maxVSize() string { return Amount(MaxStandardTxWeight.VSize()).Grouped() }
