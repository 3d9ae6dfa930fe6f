package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

// waitJSON is the payment wait prints.
type waitJSON struct {
	TxID          string `json:"txid"`
	Address       string `json:"address"`
	Amount        int64  `json:"amount_sat"`
	Confirmations int32  `json:"confirmations"`
	Height        *int32 `json:"height"`
}

// Polling: the first check at once, then 1 s, 2 s, 4 s... up to 30 s apart.
const (
	waitFirstDelay = time.Second
	waitMaxDelay   = 30 * time.Second
)

// waitTarget is what wait waits for: a payment to one of scripts (an address or the addresses
// with a label), or a transaction.
type waitTarget struct {
	address, label string
	txid           *chainhash.Hash
	confs          int32
}

func (t waitTarget) String() string {
	switch {
	case t.txid != nil:
		return fmt.Sprintf("%s to reach %s", t.txid, count(int(t.confs), "confirmation", "confirmations"))
	case t.label != "":
		return fmt.Sprintf("a payment to an address labelled %q", t.label)
	}
	return "a payment to " + t.address
}

func newWaitCmd(a *App) *cobra.Command {
	var addr, label, txid string
	var confs int
	var timeout time.Duration
	c := &cobra.Command{
		Use:   "wait --address ADDR | --label TEXT | --txid TXID",
		Short: "Block until a payment arrives or a transaction confirms",
		Long: `Wait until money arrives at an address of this wallet (--address), at any address with a label
(--label, as given to receive --label), or until a transaction reaches a number of
confirmations (--txid), then print the payment: txid, address, amount_sat, confirmations and
height (null while unconfirmed). A payment already there counts, so nothing is missed between
receive and wait.

--confirmations N (default 0 for a payment: seen in the mempool is enough; 1 for --txid).

--timeout D (e.g. 90s, 10m; default: no limit) ends the wait with exit 1 and the code "timeout".
A transaction that was replaced or conflicted will never confirm: wait --txid then fails.

wait syncs with the wallet's backend at once, then: with an Electrum server, whenever the
server notifies a change (it subscribes to the addresses and to new blocks); with Esplora or
btcd, at growing intervals (1 s doubling to 30 s). If the Electrum subscription breaks, wait
falls back to polling. It holds no lock on the wallet between checks, so other satchel
commands run meanwhile.`,
		Example: "  addr=$(satchel receive --label coffee --json --jq .address)\n" +
			"  satchel wait --address \"$addr\" --timeout 10m --jq .amount_sat\n" +
			"  satchel wait --label coffee --confirmations 1\n  satchel wait --txid 4a5e...a33b --confirmations 6 --json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n := 0
			for _, s := range []string{addr, label, txid} {
				if s != "" {
					n++
				}
			}
			if n != 1 {
				return usagef("wait_target", "wait needs exactly one of --address, --label or --txid")
			}
			if confs < 0 || confs > 10000 {
				return usagef("bad_confirmations", "--confirmations must be from 0 to 10,000")
			}
			if timeout < 0 {
				return usagef("bad_timeout", "--timeout must not be negative")
			}
			if a.flags.offline {
				return usagef("offline", "wait needs the network: drop --offline")
			}
			t := waitTarget{address: addr, label: label, confs: int32(confs)}
			if txid != "" {
				h, err := chainhash.NewHashFromStr(txid)
				if err != nil || len(txid) != 64 {
					return usagef("bad_txid", fmt.Sprintf("--txid %q is not a txid (64 hex characters): check that it was copied whole", clipArg(txid)))
				}
				t.txid = h
				if !cmd.Flags().Changed("confirmations") {
					t.confs = 1
				}
			}
			return a.runWait(cmd, t, timeout)
		},
	}
	f := c.Flags()
	f.StringVar(&addr, "address", "", "wait for a payment to this address of the wallet")
	f.StringVar(&label, "label", "", "wait for a payment to any address with this label")
	f.StringVar(&txid, "txid", "", "wait for this transaction to confirm")
	f.IntVar(&confs, "confirmations", 0, "confirmations needed (default 0 for a payment, 1 for --txid)")
	f.DurationVar(&timeout, "timeout", 0, "give up after this long (e.g. 30s, 10m), exit 1; 0 waits for ever")
	return c
}

func (a *App) runWait(cmd *cobra.Command, t waitTarget, timeout time.Duration) error {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline)
		defer cancel()
	}

	// Check the target and find the backend once, then let go of the wallet.
	w, err := a.openWallet(true)
	if err != nil {
		return err
	}
	scripts, err := a.waitScripts(w, t)
	if err != nil {
		w.Close()
		return err
	}
	watch, covered, err := waitWatchList(w, t, scripts)
	if err != nil {
		w.Close()
		return err
	}
	raw, err := a.backendURL(w)
	if err != nil {
		w.Close()
		return err
	}
	if raw == "" {
		w.Close()
		return usagef("no_backend", "no backend configured: give --backend URL, set SATCHEL_BACKEND, or run: satchel config set backend URL")
	}
	be, err := a.dial(ctx, w, raw)
	w.Close()
	if err != nil && ctx.Err() != nil && !deadline.IsZero() {
		// The deadline came while connecting: that is the timeout too.
		return &codedError{exit: exitError, code: "timeout", err: fmt.Errorf("timed out after %s waiting for %s: run wait again, or give a longer --timeout (0 waits for ever)", timeout, t)}
	}
	if err != nil {
		return err
	}
	defer be.Close()

	// An Electrum server pushes news: subscribe before the first check, so nothing that happens
	// after it is missed, and sync when told instead of at intervals.
	notes := waitSubscribe(ctx, be, watch)

	// On a terminal one status line, rewritten in place, says what is awaited and how the
	// wait goes; it is erased before the result or an error is printed.
	status := a.ErrTerm && !a.flags.json
	started := a.Now()
	clearStatus := func() {
		if status {
			fmt.Fprint(a.Err, "\r\033[K")
		}
	}
	defer clearStatus()
	delay := waitFirstDelay
	for polls := 0; ; polls++ {
		found, err := a.waitPoll(ctx, be, t)
		if status && found == nil {
			fmt.Fprintf(a.Err, "\r\033[Kwaiting for %s: %s in %s (Ctrl-C to stop)", printable(t.String()),
				count(polls+1, "check", "checks"), a.Now().Sub(started).Round(time.Second))
		}
		switch {
		case found != nil:
			clearStatus()
			return a.printWait(*found, t)
		case err != nil && ctx.Err() != nil && !deadline.IsZero():
			// The deadline cut a sync short: that is the timeout, not a backend failure.
		case err != nil:
			var ce *codedError
			var ue *usageError
			code, _ := classify(err)
			switch {
			case code == exitBusy:
				// Another satchel is writing: look again at the next poll.
			case errors.As(err, &ce), errors.As(err, &ue), polls == 0:
				return err
			default:
				clearStatus()
				a.warn("backend_unreachable", "could not check ("+backendTrouble(err)+"): trying again")
			}
		}
		// With a subscription that covers the target, only a notification (or the deadline)
		// calls for another look; a check that failed is retried on the polling schedule all
		// the same, as the news it missed will not be told again.
		polling := notes == nil || !covered || err != nil
		var wake <-chan time.Time
		sleep := delay
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				return &codedError{exit: exitError, code: "timeout", err: fmt.Errorf("timed out after %s waiting for %s: run wait again, or give a longer --timeout (0 waits for ever)", timeout, t)}
			}
			sleep = min(sleep, left)
			if !polling {
				sleep = left
			}
		}
		if polling || !deadline.IsZero() {
			wake = time.After(sleep)
		}
		select {
		case _, ok := <-notes:
			if !ok {
				// The subscription broke (the server went away): poll from now on, starting
				// with a look at once in case the news lost was the awaited one.
				notes = nil
			}
			continue
		case <-wake:
		case <-cmd.Context().Done():
			return cmd.Context().Err()
		}
		if polling {
			delay = min(2*delay, waitMaxDelay)
		}
	}
}

// waitSubscribe subscribes to the scripts and to new blocks when the backend pushes news
// (chain.Notifier: Electrum). It returns nil, meaning "poll", for other backends or when the
// subscription fails.
func waitSubscribe(ctx context.Context, be chain.Backend, scripts [][]byte) <-chan struct{} {
	n, ok := be.(chain.Notifier)
	if !ok {
		return nil
	}
	ch, err := n.WatchScripts(ctx, scripts)
	if err != nil {
		return nil
	}
	return ch
}

// waitWatchList is what to subscribe to for t. For an address or label, their scripts: any
// payment changes one's history (covered). For a transaction the wallet knows, its scripts of
// the wallet's (outputs paying it, coins it spends), whose histories change when it is replaced,
// plus new blocks for its confirmations (covered). For a transaction the wallet does not know
// yet, nothing says when it appears, so notifications only shorten the polling (not covered).
func waitWatchList(w *wallet.Wallet, t waitTarget, scripts map[string]string) ([][]byte, bool, error) {
	var out [][]byte
	if t.txid == nil {
		for s := range scripts {
			out = append(out, []byte(s))
		}
		return out, true, nil
	}
	return w.TxWatchScripts(*t.txid)
}

// waitScripts maps the output scripts that count for an address or label wait to their
// addresses; it is empty for --txid. An address that is not the wallet's, or a label no address
// has, is a usage error: the wait could never end.
func (a *App) waitScripts(w *wallet.Wallet, t waitTarget) (map[string]string, error) {
	out := map[string]string{}
	switch {
	case t.address != "":
		ad, err := decodeAddress(t.address, w)
		if err != nil {
			return nil, usagef("bad_address", fmt.Sprintf("--address: %v", err))
		}
		mine, err := w.OwnsScript(ad.PkScript)
		if err != nil {
			return nil, err
		}
		if !mine {
			return nil, usagef("not_our_address", fmt.Sprintf("%s is not an address of wallet %q: hand one out with satchel receive", t.address, a.flags.wallet))
		}
		out[string(ad.PkScript)] = ad.String
	case t.label != "":
		addrs, err := w.LabelledAddresses(t.label)
		if err != nil {
			return nil, err
		}
		for _, s := range addrs {
			if ad, err := decodeAddress(s, w); err == nil {
				out[string(ad.PkScript)] = ad.String
			}
		}
		// A silent-payment label names no address until a payment to it is found: wait on.
		if len(out) == 0 && !w.HasSilentLabel(t.label) {
			return nil, usagef("unknown_label", fmt.Sprintf("no address of wallet %q has the label %q (give one with satchel receive --label)", a.flags.wallet, clipArg(t.label)))
		}
	}
	return out, nil
}

// waitPoll opens the wallet read-only, syncs it (the write lock is taken only to write) and
// looks for the target; the wallet is closed again before it returns.
func (a *App) waitPoll(ctx context.Context, be chain.Backend, t waitTarget) (*waitJSON, error) {
	w, err := a.openWallet(true)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	gap, err := a.gapLimit(w)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	tweaks, err := a.syncTweaks(w)
	if err != nil {
		return nil, err
	}
	if _, err := w.Sync(sctx, be, wallet.SyncOptions{GapLimit: gap, Now: a.Now, Tweaks: tweaks}); err != nil {
		return nil, err
	}
	if t.txid != nil {
		return waitFindTx(w, t)
	}
	scripts, err := a.waitScripts(w, t)
	if err != nil {
		return nil, err
	}
	return waitFindPayment(w, scripts, t.confs)
}

// waitFindTx looks the transaction up in history.
func waitFindTx(w *wallet.Wallet, t waitTarget) (*waitJSON, error) {
	hs, err := w.History(0, 0)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		if h.TxID != *t.txid {
			continue
		}
		if h.Status == "replaced" || h.Status == "conflicted" {
			return nil, &codedError{exit: exitError, code: "tx_" + h.Status,
				err: fmt.Errorf("transaction %s was %s: it will never confirm", h.TxID, h.Status)}
		}
		if h.Confirmations < t.confs {
			return nil, nil
		}
		out := &waitJSON{TxID: h.TxID.String(), Address: h.Address, Amount: h.Amount, Confirmations: h.Confirmations}
		if h.Height > 0 {
			ht := h.Height
			out.Height = &ht
		}
		return out, nil
	}
	return nil, nil
}

// waitFindPayment finds the transaction paying the scripts with at least confs confirmations;
// with several, the one with the most (the earliest).
func waitFindPayment(w *wallet.Wallet, scripts map[string]string, confs int32) (*waitJSON, error) {
	found, err := w.Payments(scripts, confs)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	f := found[0]
	out := &waitJSON{TxID: f.TxID.String(), Address: f.Address, Amount: f.Amount, Confirmations: f.Confirmations}
	if f.Height > 0 {
		h := f.Height
		out.Height = &h
	}
	return out, nil
}

func (a *App) printWait(p waitJSON, t waitTarget) error {
	if a.flags.json {
		return a.printJSON(p)
	}
	conf := count(int(p.Confirmations), "confirmation", "confirmations")
	if t.txid != nil {
		_, err := fmt.Fprintf(a.Out, "%s: %s, %s\n", p.TxID, conf, a.paintOut(styleIn, a.fmtSignedAmount(p.Amount)))
		return err
	}
	_, err := fmt.Fprintf(a.Out, "received %s at %s in %s (%s)\n", a.paintOut(styleIn, a.fmtAmount(p.Amount)), p.Address, p.TxID, conf)
	return err
}
