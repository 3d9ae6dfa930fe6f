package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/wallet"
)

// completeFunc is cobra's signature for dynamic completion.
type completeFunc = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective)

const noFiles = cobra.ShellCompDirectiveNoFileComp

// installCompletions sets up `satchel completion SHELL` and the dynamic completions: networks,
// units, wallet names (folders under DATADIR/NETWORK/), outpoints for freeze, unfreeze and
// send --from, txids for bump-fee and abandon, label and wait --txid. Completions read the wallet store
// read-only, briefly, never prompt and print nothing else: a busy or missing wallet just
// completes nothing.
func (a *App) installCompletions(root *cobra.Command) {
	root.CompletionOptions.HiddenDefaultCmd = false
	// The generated commands keep the writer they see now: give them ours first.
	if a.Out != nil {
		root.SetOut(a.Out)
	}
	root.InitDefaultCompletionCmd()
	if c := findCmd(root, "completion"); c != nil {
		c.Example = "  source <(satchel completion bash)\n" +
			"  satchel completion zsh > \"${fpath[1]}/_satchel\"\n" +
			"  satchel completion fish > ~/.config/fish/completions/satchel.fish\n" +
			"  satchel completion powershell | Out-String | Invoke-Expression"
		c.Long = strings.TrimSpace(c.Long) + `

Besides commands and flags, satchel completes networks, units, wallet names, coins
(TXID:VOUT for freeze, unfreeze and send --from), transaction ids (bump-fee, abandon, label,
wait --txid) and schedule ids (tip schedule cancel) from the selected wallet, read-only and
without a passphrase.

` + exitStatusHelp
		for _, sh := range c.Commands() {
			sh.Long = strings.TrimSpace(sh.Long) + "\n\n" + exitStatusHelp
			if sh.Example == "" {
				sh.Example = "  satchel completion " + sh.Name() + " --help"
			}
		}
	}

	fixed := func(vals ...string) completeFunc {
		return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) { return vals, noFiles }
	}
	_ = root.RegisterFlagCompletionFunc("network", fixed(wallet.Networks...))
	_ = root.RegisterFlagCompletionFunc("unit", fixed("sat", "btc"))
	_ = root.RegisterFlagCompletionFunc("wallet", a.completeWalletNames)
	_ = root.RegisterFlagCompletionFunc("backend", fixed())
	_ = root.RegisterFlagCompletionFunc("datadir", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})

	oneArg := func(fn completeFunc) completeFunc {
		return func(cmd *cobra.Command, args []string, tc string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, noFiles
			}
			return fn(cmd, args, tc)
		}
	}
	if c := findCmd(root, "freeze"); c != nil {
		c.ValidArgsFunction = oneArg(a.completeOutpoints(func(u wallet.Utxo) bool { return !u.Frozen }))
	}
	if c := findCmd(root, "unfreeze"); c != nil {
		c.ValidArgsFunction = oneArg(a.completeOutpoints(func(u wallet.Utxo) bool { return u.Frozen }))
	}
	if c := findCmd(root, "send"); c != nil && c.Flags().Lookup("from") != nil {
		_ = c.RegisterFlagCompletionFunc("from", a.completeOutpoints(func(wallet.Utxo) bool { return true }))
	}
	for _, name := range []string{"bump-fee", "abandon"} {
		if c := findCmd(root, name); c != nil {
			c.ValidArgsFunction = oneArg(a.completeTxids(func(h wallet.HistoryEntry) bool { return h.Status == "pending" && h.Amount < 0 }))
		}
	}
	if c := findCmd(root, "label"); c != nil {
		c.ValidArgsFunction = oneArg(a.completeTxids(func(wallet.HistoryEntry) bool { return true }))
	}
	if tip := findCmd(root, "tip"); tip != nil {
		if sched := findCmd(tip, "schedule"); sched != nil {
			if c := findCmd(sched, "cancel"); c != nil {
				c.ValidArgsFunction = oneArg(a.completeScheduleIDs)
			}
		}
		if c := findCmd(tip, "cancel"); c != nil {
			c.ValidArgsFunction = oneArg(a.completeTipIDs)
		}
	}
	if c := findCmd(root, "wait"); c != nil {
		_ = c.RegisterFlagCompletionFunc("txid", a.completeTxids(func(wallet.HistoryEntry) bool { return true }))
		_ = c.RegisterFlagCompletionFunc("label", a.completeAddressLabels)
		_ = c.RegisterFlagCompletionFunc("address", fixed())
	}
}

func findCmd(root *cobra.Command, name string) *cobra.Command {
	for _, c := range root.Commands() {
		if c.Name() == name {
			return c
		}
	}
	return nil
}

// completionTarget resolves the network and wallet the command line, environment or global
// config select, without failing: completion must stay quiet.
func (a *App) completionTarget() (network, walletName string, ok bool) {
	a.lenientConfig = true
	n, _, err := a.lookupSetting("", "network")
	if err != nil {
		return "", "", false
	}
	a.flags.network = n
	w, _, err := a.lookupSetting("", "wallet")
	if err != nil {
		return "", "", false
	}
	a.flags.wallet = w
	return n, w, true
}

// completeWalletNames lists wallet folders under DATADIR/NETWORK/.
func (a *App) completeWalletNames(_ *cobra.Command, _ []string, tc string) ([]string, cobra.ShellCompDirective) {
	network, _, ok := a.completionTarget()
	if !ok {
		return nil, noFiles
	}
	dir, err := a.dataDir()
	if err != nil {
		return nil, noFiles
	}
	var out []string
	for _, n := range walletNames(dir, network) {
		if strings.HasPrefix(n, tc) {
			out = append(out, n)
		}
	}
	return out, noFiles
}

// walletNames lists, sorted, the wallets of network under the data folder dir: the folders
// whose name --wallet accepts and that hold a wallet store.
func walletNames(dir, network string) []string {
	ents, err := os.ReadDir(filepath.Join(dir, network))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() || !validWalletName(e.Name()) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, network, e.Name(), wallet.StoreFile)); err != nil {
			continue
		}
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// withWalletQuietly opens the selected wallet read-only for a completion, waiting at most a
// moment for a writer.
func (a *App) withWalletQuietly(fn func(w *wallet.Wallet)) {
	if _, _, ok := a.completionTarget(); !ok {
		return
	}
	dir, err := a.walletDir()
	if err != nil {
		return
	}
	w, err := wallet.Open(dir, a.flags.network, wallet.OpenOptions{ReadOnly: true, LockTimeout: 300 * time.Millisecond, Now: a.Now})
	if err != nil {
		return
	}
	defer w.Close()
	fn(w)
}

// completeOutpoints lists the wallet's coins that keep says yes to, with their value.
func (a *App) completeOutpoints(keep func(wallet.Utxo) bool) completeFunc {
	return func(_ *cobra.Command, _ []string, tc string) ([]string, cobra.ShellCompDirective) {
		var out []string
		a.withWalletQuietly(func(w *wallet.Wallet) {
			us, err := w.Utxos()
			if err != nil {
				return
			}
			for _, u := range us {
				op := u.OutPoint.String()
				if keep(u) && strings.HasPrefix(op, tc) {
					out = append(out, op+"\t"+strings.TrimSpace(a.fmtAmount(u.Value)+" "+u.Label))
				}
			}
		})
		return out, noFiles
	}
}

// completeScheduleIDs lists the recurring tips that can still be cancelled, with their amount
// and payee; never file names, which an ID is not.
func (a *App) completeScheduleIDs(_ *cobra.Command, _ []string, tc string) ([]string, cobra.ShellCompDirective) {
	var out []string
	a.withWalletQuietly(func(w *wallet.Wallet) {
		all, err := w.Schedules()
		if err != nil {
			return
		}
		for _, s := range all {
			if s.Cancelled || !strings.HasPrefix(s.ID, tc) {
				continue
			}
			j := scheduleOut(s)
			payee := j.Address
			if j.Name != "" {
				payee = j.Name
			}
			out = append(out, s.ID+"\t"+strings.TrimSpace(scheduleAmountText(a, j)+" every "+j.Every+" to "+payee+" "+j.Label))
		}
	})
	return out, noFiles
}

// completeTipIDs lists the queued tips that can still be cancelled (neither paid nor
// cancelled), with their amount and payee, as completeScheduleIDs lists schedules.
func (a *App) completeTipIDs(_ *cobra.Command, _ []string, tc string) ([]string, cobra.ShellCompDirective) {
	var out []string
	a.withWalletQuietly(func(w *wallet.Wallet) {
		all, err := w.Tips()
		if err != nil {
			return
		}
		for _, t := range all {
			if t.Cancelled || t.Paid() || !strings.HasPrefix(t.ID, tc) {
				continue
			}
			amount := a.fmtAmount(t.Amount)
			if t.Fiat != "" {
				amount += " (" + t.Fiat + ")"
			}
			out = append(out, t.ID+"\t"+strings.TrimSpace(amount+" to "+t.Address+" "+t.Label))
		}
	})
	return out, noFiles
}

// completeTxids lists the wallet's transactions that keep says yes to, newest first.
func (a *App) completeTxids(keep func(wallet.HistoryEntry) bool) completeFunc {
	return func(_ *cobra.Command, _ []string, tc string) ([]string, cobra.ShellCompDirective) {
		var out []string
		a.withWalletQuietly(func(w *wallet.Wallet) {
			hs, err := w.History(0, 200)
			if err != nil {
				return
			}
			for _, h := range hs {
				id := h.TxID.String()
				if keep(h) && strings.HasPrefix(id, tc) {
					out = append(out, id+"\t"+strings.TrimSpace(a.fmtSignedAmount(h.Amount)+" "+h.Status+" "+h.Label))
				}
			}
		})
		return out, noFiles
	}
}

// completeAddressLabels lists the labels given to the wallet's addresses.
func (a *App) completeAddressLabels(_ *cobra.Command, _ []string, tc string) ([]string, cobra.ShellCompDirective) {
	seen := map[string]bool{}
	a.withWalletQuietly(func(w *wallet.Wallet) {
		labels, _ := w.AddressLabels()
		for _, v := range labels {
			if strings.HasPrefix(v, tc) && !strings.ContainsFunc(v, clip.Hides) {
				seen[v] = true
			}
		}
	})
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out, noFiles
}
