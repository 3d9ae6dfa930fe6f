package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/fiat"
)

// openSynced opens the wallet for a command that reads chain data: read-only with --offline,
// else for writing, synced first. The returned backend is nil offline; close it when set.
func (a *App) openSynced(cmd *cobra.Command) (*wallet.Wallet, chain.Backend, error) {
	w, err := a.openWallet(true)
	if err != nil {
		return nil, nil, err
	}
	if err := a.needBackend(w); err != nil {
		w.Close()
		return nil, nil, err
	}
	_, be, err := a.syncWallet(cmd, w)
	if err != nil {
		w.Close()
		return nil, nil, err
	}
	return w, be, nil
}

// staleNote tells stderr that a list comes from the last sync, not from the chain now.
func (a *App) staleNote(w *wallet.Wallet, be chain.Backend) {
	if be != nil {
		return
	}
	s, ok, err := w.SyncState()
	switch {
	case err != nil:
	case !ok:
		a.warn("never_synced", "this wallet has never synced: run satchel sync with a backend")
	default:
		if since := a.Now().Sub(s.At); since >= 0 {
			a.warn("offline", fmt.Sprintf("answered from the last sync (height %d, %s ago)", s.Height, age(since)))
		} else {
			// A sync dated after now: this computer's clock is behind the one that synced
			// (or was then ahead). Said as such, not as a negative time ago.
			a.warn("offline", fmt.Sprintf("answered from the last sync (height %d, dated %s %s, later than this computer's clock: check the clock)", s.Height, a.fmtTime(s.At), s.At.In(a.loc()).Format("MST")))
		}
	}
}

type syncJSON struct {
	Height           int32           `json:"height"`
	NewTransactions  int             `json:"new_transactions"`
	AddressesScanned int             `json:"addresses_scanned"`
	DurationMS       int64           `json:"duration_ms"`
	Adopted          []uint32        `json:"adopted_purposes,omitempty"`
	Silent           *silentSyncJSON `json:"silent_payments,omitempty"`
	Rebroadcast      []string        `json:"rebroadcast,omitempty"`
	// SyncedHeight and SyncedAt are what balance and info print under the same names, so a
	// script reads the sync state with one key whichever of the three it ran.
	SyncedHeight *int32     `json:"synced_height"`
	SyncedAt     *time.Time `json:"synced_at"`
}

func newSyncCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "sync",
		Short: "Bring the wallet up to date with the chain",
		Long: `Find the wallet's used addresses (up to the gap limit), fetch new transactions, follow reorgs
and replacements, and rebuild balances and coins. Other commands sync on their own first;
this one only syncs.`,
		Example: "  satchel sync --backend btcd://user:pass@127.0.0.1:18334\n  satchel sync --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, be, err := a.openOnline(cmd, "sync needs the network: drop --offline")
			if err != nil {
				return err
			}
			defer w.Close()
			defer be.Close()
			res, err := a.syncWith(cmd, w, be)
			if err != nil {
				return err
			}
			if err := a.queueScheduled(cmd.Context(), w); err != nil {
				return err
			}
			out := syncJSON{Height: res.Height, NewTransactions: res.NewTransactions, AddressesScanned: res.AddressesScanned,
				DurationMS: res.Duration.Milliseconds(), Adopted: res.Adopted, Silent: silentSyncOut(res.Silent)}
			for _, id := range res.Rebroadcast {
				out.Rebroadcast = append(out.Rebroadcast, id.String())
			}
			if s, ok, err := w.SyncState(); err != nil {
				return err
			} else if ok {
				out.SyncedHeight, out.SyncedAt = &s.Height, jsonTimePtr(s.At)
			}
			if a.flags.json {
				return a.printJSON(out)
			}
			fmt.Fprintf(a.Out, "synced to height %s: %s, %s scanned in %s ms\n",
				groupDigits(int64(out.Height)), count(out.NewTransactions, "new transaction", "new transactions"),
				count(out.AddressesScanned, "address", "addresses"), groupDigits(out.DurationMS))
			for _, p := range res.Adopted {
				fmt.Fprintf(a.Out, "found funds on the BIP%d path of this seed: now part of the wallet\n", p)
			}
			for _, id := range out.Rebroadcast {
				fmt.Fprintf(a.Out, "payment %s was not reported by the backend: broadcast again (satchel abandon %s gives it up)\n", id, id)
			}
			if s := out.Silent; s != nil {
				fmt.Fprintf(a.Out, "silent payments: scanned through height %s (%s this time), %s found\n", groupDigits(int64(s.Height)), count(s.Blocks, "block", "blocks"), count(s.Found, "output", "outputs"))
			}
			return nil
		},
	}
}

type balanceJSON struct {
	Confirmed    int64      `json:"confirmed_sat"`
	Unconfirmed  int64      `json:"unconfirmed_sat"`
	Immature     int64      `json:"immature_sat"`
	Spendable    int64      `json:"spendable_sat"`
	SyncedHeight *int32     `json:"synced_height"`
	SyncedAt     *time.Time `json:"synced_at"`
	// Fiat values confirmed + unconfirmed in config fiat at today's price; FiatText is the text
	// line ("price unavailable" without a trustworthy price).
	Fiat     *fiatJSON `json:"fiat,omitempty"`
	FiatText string    `json:"-"`
}

func newBalanceCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "balance",
		Short: "Show confirmed, pending, immature and spendable amounts",
		Long: `Show the wallet's balance in satoshis: confirmed (and mature), unconfirmed (the net of pending
transactions), immature (young coinbase), and spendable (what send may use now: confirmed coins
plus the wallet's own unconfirmed change, minus frozen coins). Syncs first unless --offline.`,
		Example: "  satchel balance\n  satchel balance --offline --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, be, err := a.openSynced(cmd)
			if err != nil {
				return err
			}
			defer w.Close()
			if be != nil {
				defer be.Close()
			}
			b, err := w.Balance()
			if err != nil {
				return err
			}
			out := balanceJSON{Confirmed: b.Confirmed, Unconfirmed: b.Unconfirmed, Immature: b.Immature, Spendable: b.Spendable}
			if b.Synced {
				out.SyncedHeight, out.SyncedAt = &b.SyncedHeight, jsonTimePtr(b.SyncedAt)
			}
			if cur := a.displayCurrency(w); cur != "" {
				f, ok := a.fiatValue(cmd.Context(), w, b.Confirmed+b.Unconfirmed, cur)
				out.Fiat, out.FiatText = f, fiatText(f, ok)
				if ok {
					out.FiatText += " at " + fiat.FormatRate(f.rate) + " " + cur + "/BTC"
				}
			}
			if a.flags.json {
				return a.printJSON(out)
			}
			return a.printBalance(out)
		},
	}
}

type historyJSON struct {
	TxID          string     `json:"txid"`
	Height        *int32     `json:"height"`
	Confirmations int32      `json:"confirmations"`
	Time          *time.Time `json:"time"`
	Amount        int64      `json:"amount_sat"`
	Fee           *int64     `json:"fee_sat"`
	Label         string     `json:"label,omitempty"`
	Status        string     `json:"status"`
	Immature      bool       `json:"immature"`
	MatureHeight  *int32     `json:"mature_height,omitempty"`
	// Fiat is the value in config fiat at the price kept with the payment (or today's, with
	// --fiat-at now); absent without one. FiatText is the text column.
	Fiat     *fiatJSON `json:"fiat,omitempty"`
	FiatText string    `json:"-"`
}

// historyOut is one history line as JSON shows it.
func historyOut(r wallet.HistoryEntry) historyJSON {
	h := historyJSON{TxID: r.TxID.String(), Confirmations: r.Confirmations, Amount: r.Amount, Label: r.Label, Status: r.Status}
	if r.Height > 0 {
		ht := r.Height
		h.Height = &ht
	}
	if !r.Time.IsZero() {
		h.Time = jsonTimePtr(r.Time)
	}
	if r.Fee >= 0 {
		f := r.Fee
		h.Fee = &f
	}
	if r.Immature {
		m := r.MatureHeight
		h.Immature, h.MatureHeight = true, &m
	}
	return h
}

func newHistoryCmd(a *App) *cobra.Command {
	var limit, offset int
	var wide bool
	var fiatAt string
	c := &cobra.Command{
		Use:   "history",
		Short: "List the wallet's transactions, newest first",
		Long: `List transactions newest first: the signed net effect on the wallet, the fee (known for what
the wallet sent), confirmations, label and status (confirmed, pending, immature, replaced,
conflicted). Replaced and conflicted transactions, which no longer count, sink below the rows
newer than they are. On a terminal the table fits its width, as git log does: txids are cut
to their first 10 characters, times to the minute, and long labels cut. --wide shows them
whole, as do output to a pipe or a file and --json.`,
		Example: "  satchel history\n  satchel history --limit 10 --json\n  satchel history --offline --offset 20 --limit 20",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 0 || offset < 0 {
				return usagef("bad_limit", "--limit and --offset must not be negative")
			}
			if err := checkFiatAt(fiatAt); err != nil {
				return err
			}
			w, be, err := a.openSynced(cmd)
			if err != nil {
				return err
			}
			defer w.Close()
			if be != nil {
				defer be.Close()
			}
			a.staleNote(w, be)
			val, err := a.historyFiat(cmd.Context(), w, fiatAt)
			if err != nil {
				return err
			}
			if a.flags.json && a.flags.jqCode == nil {
				// Stream: a wallet's whole history in constant memory.
				return streamRows(a.Out, func(emit func(*historyJSON) error) error {
					return w.EachHistoryOpts(wallet.HistoryOptions{Offset: offset, Limit: limit}, func(r wallet.HistoryEntry) error {
						h := historyOut(r)
						val(&h)
						return emit(&h)
					})
				}, func(b []byte, r *historyJSON) []byte { return r.appendJSON(b) })
			}
			if !a.flags.json && (!a.OutTerm || wide) {
				n, err := a.streamHistory(func(fn func(historyJSON) error) error {
					return w.EachHistoryOpts(wallet.HistoryOptions{Offset: offset, Limit: limit}, func(r wallet.HistoryEntry) error {
						h := historyOut(r)
						val(&h)
						return fn(h)
					})
				})
				if err != nil || n > 0 {
					return err
				}
				// No rows: said below, as on a terminal.
			}
			out := []historyJSON{}
			if err := w.EachHistoryOpts(wallet.HistoryOptions{Offset: offset, Limit: limit}, func(r wallet.HistoryEntry) error {
				h := historyOut(r)
				val(&h)
				out = append(out, h)
				return nil
			}); err != nil {
				return err
			}
			if a.flags.json {
				return a.printJSON(out)
			}
			if len(out) == 0 && offset > 0 {
				total := 0
				if err := w.EachHistory(0, 0, func(wallet.HistoryEntry) error { total++; return nil }); err != nil {
					return err
				}
				if total > 0 {
					fmt.Fprintf(a.Out, "No transactions past the first %s (--offset %d): the wallet has %s\n",
						groupDigits(int64(offset)), offset, count(total, "transaction", "transactions"))
					return nil
				}
			}
			return a.printHistory(out, wide)
		},
	}
	c.Flags().IntVar(&limit, "limit", 0, "show at most N transactions (0: all)")
	c.Flags().IntVar(&offset, "offset", 0, "skip the N newest transactions")
	c.Flags().BoolVar(&wide, "wide", false, "full txids, times with seconds and labels uncut, also on a narrow terminal")
	c.Flags().StringVar(&fiatAt, "fiat-at", "", "with config fiat: value each transaction at now (today's price) instead of the price kept with each payment satchel made")
	return c
}

type utxoJSON struct {
	OutPoint      string `json:"outpoint"`
	Value         int64  `json:"value_sat"`
	Address       string `json:"address"`
	Path          string `json:"path"`
	Confirmations int32  `json:"confirmations"`
	Frozen        bool   `json:"frozen"`
	SpendCost     *int64 `json:"spend_cost_sat"`
	Economical    *bool  `json:"economical"`
	Label         string `json:"label,omitempty"`
	DustAttack    bool   `json:"dust_attack,omitempty"`
	Immature      bool   `json:"immature"`
	Spendable     bool   `json:"spendable"`
	MatureHeight  *int32 `json:"mature_height,omitempty"`
	// Fiat is the coin's value in config fiat at today's price; FiatText the text column.
	Fiat     *fiatJSON `json:"fiat,omitempty"`
	FiatText string    `json:"-"`
}

func newUtxosCmd(a *App) *cobra.Command {
	var feeRate string
	c := &cobra.Command{
		Use:   "utxos",
		Short: "List the wallet's coins, with what each costs to spend",
		Long: `List unspent coins, largest first, with the fee to spend each at the current estimate (or
--fee-rate) and whether it is worth more than that. Without an estimate and without --fee-rate,
spend_cost_sat and economical are null.`,
		Example: "  satchel utxos\n  satchel utxos --fee-rate 12 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var rate txbuilder.FeeRate
			if feeRate != "" {
				r, err := parseFeeRateFlag("--fee-rate", feeRate)
				if err != nil {
					return err
				}
				rate = r
			}
			w, be, err := a.openSynced(cmd)
			if err != nil {
				return err
			}
			defer w.Close()
			if be != nil {
				defer be.Close()
				if rate == 0 {
					ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
					r, err := be.EstimateFee(ctx, 6)
					cancel()
					if err == nil {
						rate = r
					} else if !errors.Is(err, chain.ErrNoEstimate) {
						return err
					}
				}
			}
			a.staleNote(w, be)
			us, err := w.Utxos()
			if err != nil {
				return err
			}
			out := make([]utxoJSON, 0, len(us))
			// Once, not per coin: the setting is read from the config files (25,000 coins
			// read them 25,000 times: 0.34 s of a 100,000-transaction wallet's utxos).
			cur := a.displayCurrency(w)
			for _, u := range us {
				j := utxoJSON{OutPoint: u.OutPoint.String(), Value: u.Value, Address: u.Address, Path: u.Path,
					Confirmations: u.Confirmations, Frozen: u.Frozen, Label: u.Label, DustAttack: u.DustAttack,
					Immature: u.Immature, Spendable: u.Spendable && !u.Frozen}
				if u.Immature {
					m := u.MatureHeight
					j.MatureHeight = &m
				}
				if rate > 0 {
					cost := int64(rate.FeeForWeight(u.Type.InputWeight()))
					econ := u.Value > cost
					j.SpendCost, j.Economical = &cost, &econ
				}
				if cur != "" {
					f, ok := a.fiatValue(cmd.Context(), w, u.Value, cur)
					j.Fiat, j.FiatText = f, fiatText(f, ok)
				}
				out = append(out, j)
			}
			if a.flags.json {
				return a.printJSON(out)
			}
			return a.printUtxos(out)
		},
	}
	c.Flags().StringVar(&feeRate, "fee-rate", "", "fee rate in sat/vB for the spend cost (decimals allowed)")
	return c
}

// parseOutPoint reads TXID:VOUT.
func parseOutPoint(s string) (wire.OutPoint, error) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return wire.OutPoint{}, usagef("bad_outpoint", fmt.Sprintf("%q is not an outpoint: write TXID:VOUT", s))
	}
	h, err := chainhash.NewHashFromStr(s[:i])
	if err != nil || len(s[:i]) != 64 {
		return wire.OutPoint{}, usagef("bad_outpoint", fmt.Sprintf("%q: the txid must be 64 hex characters", s))
	}
	var n uint32
	if _, err := fmt.Sscanf(s[i+1:], "%d", &n); err != nil || fmt.Sprint(n) != s[i+1:] {
		return wire.OutPoint{}, usagef("bad_outpoint", fmt.Sprintf("%q: the output index after the colon is a whole number from 0 to 4294967295", s))
	}
	return wire.OutPoint{Hash: *h, Index: n}, nil
}

func newFreezeCmd(a *App, freeze bool) *cobra.Command {
	use, short, verb := "freeze OUTPOINT", "Keep a coin from being spent automatically", "frozen"
	if !freeze {
		use, short, verb = "unfreeze OUTPOINT", "Let a frozen coin be spent again", "unfrozen"
	}
	return &cobra.Command{
		Use:     use,
		Short:   short,
		Long:    short + ". OUTPOINT is TXID:VOUT as utxos shows it.",
		Example: "  satchel " + strings.Fields(use)[0] + " 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b:0",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			op, err := parseOutPoint(args[0])
			if err != nil {
				return err
			}
			w, err := a.openWallet(false)
			if err != nil {
				return err
			}
			defer w.Close()
			if err := w.SetFrozen(op, freeze); err != nil {
				return err
			}
			if a.flags.json {
				return a.printJSON(map[string]any{"outpoint": op.String(), "frozen": freeze})
			}
			fmt.Fprintf(a.Out, "%s %s\n", op, verb)
			return nil
		},
	}
}

func newLabelCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "label TXID|ADDRESS|OUTPOINT TEXT",
		Short: "Label a transaction, address or coin",
		Long: `Attach a label to a transaction id, an address or an outpoint (TXID:VOUT). Labels show in
history, utxos and receive. An empty TEXT removes the label.`,
		Example: "  satchel label 4a5e...a33b \"coffee with Ann\"\n  satchel label bc1p... \"tips from the blog\"",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			target, text := args[0], args[1]
			if err := checkLabelArg("TEXT", text); err != nil {
				return err
			}
			var key string
			switch {
			case strings.Contains(target, ":"):
				op, err := parseOutPoint(target)
				if err != nil {
					return err
				}
				key = wallet.LabelKeyOutput(op.String())
			case len(target) == 64 && isHex(target):
				h, err := chainhash.NewHashFromStr(target)
				if err != nil {
					return usagef("bad_txid", fmt.Sprintf("%q is not a txid", target))
				}
				key = wallet.LabelKeyTx(h.String())
			default:
				key = "" // address: checked below against the wallet's network
			}
			w, err := a.openWallet(false)
			if err != nil {
				return err
			}
			defer w.Close()
			if key == "" {
				if _, err := decodeAddress(target, w); err != nil {
					if errors.Is(err, address.ErrWrongNetwork) {
						return err // it says which network the address is for
					}
					return usagef("bad_label_target", fmt.Sprintf("%q is not a txid (64 hex characters), an outpoint (TXID:VOUT) or an address: check for a typo", clipArg(target)))
				}
				key = wallet.LabelKeyAddress(target)
			}
			if err := w.SetLabel(key, text); err != nil {
				return err
			}
			if a.flags.json {
				return a.printJSON(map[string]string{"target": target, "label": text})
			}
			return nil
		},
	}
}

func isHex(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
			return false
		}
	}
	return true
}
