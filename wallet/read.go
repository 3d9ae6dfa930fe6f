package wallet

import (
	"errors"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// Balance is the wallet's money by state, in satoshis.
type Balance struct {
	// Confirmed is confirmed and mature: what the chain says the wallet holds.
	Confirmed int64
	// Unconfirmed is the net effect of pending transactions (negative while a payment is pending).
	Unconfirmed int64
	// Immature is coinbase output younger than 100 confirmations.
	Immature int64
	// Spendable is what send may use now: confirmed coins not spent by a pending transaction,
	// plus the wallet's own unconfirmed change, minus frozen coins.
	Spendable int64
	// Synced tells how fresh this is.
	SyncedHeight int32
	SyncedAt     time.Time
	Synced       bool
}

// Balance answers from the store.
func (w *Wallet) Balance() (Balance, error) {
	var b Balance
	err := w.st.View(func(tx *store.Txn) error {
		s, err := tx.SyncState()
		if err == nil {
			b.SyncedHeight, b.SyncedAt, b.Synced = s.Height, s.At, true
		} else if !store.IsNotFound(err) {
			return err
		}
		sum := readSummary(tx)
		b.Confirmed, b.Unconfirmed, b.Immature = sum.Confirmed, sum.Unconfirmed, sum.Immature
		// The coins changed last at the recompute that wrote the summary, which ran at the
		// synced height; a summary from another height (or from before it kept Spendable) is
		// not used, and the coins are added up instead.
		if sum.SpendableTip != nil && *sum.SpendableTip == b.SyncedHeight {
			b.Spendable = sum.Spendable
			return tx.ForEachFrozenCoin(func(c store.CoinSummary) {
				if spendableSummary(c, b.SyncedHeight) {
					b.Spendable -= c.Value
				}
			})
		}
		b.Spendable, err = scanSpendable(tx, b.SyncedHeight)
		return err
	})
	return b, err
}

// scanSpendable adds up the unfrozen coins send may use at the tip height, coin by coin.
func scanSpendable(tx *store.Txn, tip int32) (int64, error) {
	var sum int64
	err := tx.ForEachCoinSummary(func(c store.CoinSummary) {
		if spendableSummary(c, tip) && !c.Frozen {
			sum += c.Value
		}
	})
	return sum, err
}

func spendableSummary(c store.CoinSummary, tip int32) bool {
	return spendable(store.Coin{Height: c.Height, Coinbase: c.Coinbase, Own: c.Own}, tip)
}

// spendable says whether send may use a coin at this tip height, frozen or not.
func spendable(c store.Coin, tip int32) bool {
	if c.Height == 0 {
		return c.Own && !c.Coinbase
	}
	if c.Coinbase && tip-c.Height+1 < CoinbaseMaturity {
		return false
	}
	return true
}

// HistoryEntry is one transaction as history shows it.
type HistoryEntry struct {
	TxID          chainhash.Hash
	Height        int32
	Confirmations int32
	Time          time.Time
	Amount        int64 // signed net effect on the wallet
	Fee           int64 // -1 when unknown (someone else paid it)
	Label         string
	// Address is the main address: the wallet's own one a payment came to, or the first one a
	// payment went to.
	Address string
	Status  string
	// Immature marks a coinbase transaction whose coins cannot be spent yet; MatureHeight is
	// the first block height at which they can.
	Immature     bool
	MatureHeight int32
}

// HistoryOptions chooses the rows EachHistoryOpts visits.
type HistoryOptions struct {
	Offset, Limit int // skip the Offset newest rows, then visit at most Limit (0: all)
}

// History lists transactions newest first.
func (w *Wallet) History(offset, limit int) ([]HistoryEntry, error) {
	var out []HistoryEntry
	err := w.EachHistory(offset, limit, func(e HistoryEntry) error { out = append(out, e); return nil })
	return out, err
}

// EachHistory visits transactions newest first without holding them all, so a history of a
// hundred thousand transactions streams in constant memory.
func (w *Wallet) EachHistory(offset, limit int, fn func(HistoryEntry) error) error {
	return w.EachHistoryOpts(HistoryOptions{Offset: offset, Limit: limit}, fn)
}

// EachHistoryOpts is EachHistory with options. Replaced and conflicted transactions, which
// the store keeps with the pending ones above every block, sink to where their time puts
// them: below the rows newer than they are, so the payment that replaced one comes first.
func (w *Wallet) EachHistoryOpts(o HistoryOptions, fn func(HistoryEntry) error) error {
	skipped, n := 0, 0
	done := errors.New("limit reached")
	emit := func(e HistoryEntry) error {
		if skipped < o.Offset {
			skipped++
			return nil
		}
		if err := fn(e); err != nil {
			return err
		}
		if n++; o.Limit > 0 && n >= o.Limit {
			return done
		}
		return nil
	}
	var sunk []HistoryEntry // replaced and conflicted rows not yet placed, newest first
	err := w.eachHistoryRow(func(e HistoryEntry) error {
		if e.Status == store.StatusReplaced.String() || e.Status == store.StatusConflicted.String() {
			sunk = append(sunk, e)
			return nil
		}
		for len(sunk) > 0 && sunk[0].Time.After(e.Time) {
			if err := emit(sunk[0]); err != nil {
				return err
			}
			sunk = sunk[1:]
		}
		return emit(e)
	})
	for err == nil && len(sunk) > 0 {
		err = emit(sunk[0])
		sunk = sunk[1:]
	}
	if errors.Is(err, done) {
		return nil
	}
	return err
}

// eachHistoryRow visits every history row in the store's order.
func (w *Wallet) eachHistoryRow(fn func(HistoryEntry) error) error {
	return w.st.View(func(tx *store.Txn) error {
		tip := int32(0)
		if s, err := tx.SyncState(); err == nil {
			tip = s.Height
		}
		labels, err := tx.Labels()
		if err != nil {
			return err
		}
		// Coinbase transactions whose coins are still young, by txid, with their height.
		young := map[chainhash.Hash]int32{}
		if err := tx.ForEachCoinSummary(func(c store.CoinSummary) {
			if c.Coinbase && c.Height > 0 && tip-c.Height+1 < CoinbaseMaturity {
				young[c.OutPoint.Hash] = c.Height
			}
		}); err != nil {
			return err
		}
		return tx.EachHistory(0, 0, func(r store.HistRow) error {
			e := HistoryEntry{TxID: r.TxID, Height: r.Height, Amount: r.Net, Fee: r.Fee,
				Status: r.Status.String(), Address: r.Address}
			if len(labels) > 0 {
				if e.Label = labels[LabelKeyTx(r.TxID.String())]; e.Label == "" && r.Address != "" {
					e.Label = labels[LabelKeyAddress(r.Address)]
				}
			}
			if r.Time > 0 {
				e.Time = time.Unix(r.Time, 0).UTC()
			}
			if r.Status == store.StatusConfirmed && r.Height > 0 && tip >= r.Height {
				e.Confirmations = tip - r.Height + 1
			}
			if h, ok := young[r.TxID]; ok {
				e.Immature, e.MatureHeight = true, h+CoinbaseMaturity-1
			}
			return fn(e)
		})
	})
}

// Utxo is one coin of the wallet, as utxos shows it.
type Utxo struct {
	OutPoint      wire.OutPoint
	Value         int64
	Address       string
	Path          string
	Confirmations int32
	Frozen        bool
	Spendable     bool
	Coinbase      bool
	// Immature marks a coinbase coin too young to spend; MatureHeight is the first block
	// height at which it can be spent.
	Immature     bool
	MatureHeight int32
	Type         txbuilder.ScriptType
	Label        string
	// DustAttack marks a small coin frozen on arrival at an address already used.
	DustAttack bool
}

// Utxos lists the wallet's coins, largest first.
func (w *Wallet) Utxos() ([]Utxo, error) {
	var out []Utxo
	err := w.st.View(func(tx *store.Txn) error {
		tip := int32(0)
		if s, err := tx.SyncState(); err == nil {
			tip = s.Height
		}
		coins, err := tx.Coins()
		if err != nil {
			return err
		}
		labels, err := tx.Labels()
		if err != nil {
			return err
		}
		frozen := tx.FrozenSet()
		dust := map[wire.OutPoint]bool{}
		for op := range frozen {
			if tx.Setting("dust:"+op.String()) == "frozen" {
				dust[op] = true
			}
		}
		out = make([]Utxo, 0, len(coins))
		for _, i := range coinOrder(coins) {
			c := coins[i]
			path, typ, err := w.coinPathType(c)
			if err != nil {
				return err
			}
			u := Utxo{OutPoint: c.OutPoint, Value: c.Value, Path: path,
				Frozen: frozen[c.OutPoint], Coinbase: c.Coinbase, Type: typ,
				Spendable: spendable(c, tip), DustAttack: dust[c.OutPoint]}
			u.Address = c.Address
			if c.Height > 0 {
				u.Confirmations = tip - c.Height + 1
			}
			if c.Coinbase && c.Height > 0 && u.Confirmations < CoinbaseMaturity {
				u.Immature, u.MatureHeight = true, c.Height+CoinbaseMaturity-1
			}
			if len(labels) > 0 {
				u.Label = labels[LabelKeyOutput(c.OutPoint.String())]
				if u.Label == "" {
					u.Label = labels[LabelKeyAddress(u.Address)]
				}
			}
			out = append(out, u)
		}
		return nil
	})
	return out, err
}

func (w *Wallet) account(purpose uint32) *account {
	for _, a := range w.accounts {
		if a.rec.Purpose == purpose {
			return a
		}
	}
	return nil
}
