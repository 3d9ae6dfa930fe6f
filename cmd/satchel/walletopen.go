package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
	_ "github.com/satchel-wallet/satchel/wallet/chain/backends" // chain.Open's schemes
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// openWallet opens the selected wallet, read-only (shared lock) or for writing.
func (a *App) openWallet(readOnly bool) (*wallet.Wallet, error) {
	dir, err := a.walletDir()
	if err != nil {
		return nil, err
	}
	w, err := wallet.Open(dir, a.flags.network, wallet.OpenOptions{ReadOnly: readOnly, Now: a.Now})
	if errors.Is(err, wallet.ErrNoWallet) {
		return nil, a.noWalletError(err)
	}
	if err != nil {
		return nil, a.busyMessage(err)
	}
	return w, nil
}

// noWalletError says what to do when --wallet names no wallet. The usual causes are a typo in
// the name and a wallet made on another network (mainnet is the default), so it names the
// wallets there are; "satchel create" alone would make a wallet the user did not mean.
func (a *App) noWalletError(err error) error {
	dir, derr := a.dataDir()
	if derr != nil {
		return err
	}
	name, network := a.flags.wallet, a.flags.network
	create := "satchel create"
	if name != "default" {
		create += " --wallet " + name
	}
	if names := walletNames(dir, network); len(names) > 0 {
		return fmt.Errorf("%w: %q is not one of the wallets on %s (%s): check --wallet, or make it with: %s",
			wallet.ErrNoWallet, name, network, listSome(names), create)
	}
	var others []string
	for _, n := range []string{"mainnet", "testnet", "testnet4", "signet", "regtest"} {
		if n != network && len(walletNames(dir, n)) > 0 {
			others = append(others, n)
		}
	}
	if len(others) > 0 {
		return fmt.Errorf("%w: there is no wallet on %s in %s, but there is on %s: add --network %s (or set SATCHEL_NETWORK), or make one with: %s",
			wallet.ErrNoWallet, network, dir, strings.Join(others, " and "), others[0], create)
	}
	return fmt.Errorf("%w: there is no wallet on %s in %s yet: make one with: %s", wallet.ErrNoWallet, network, dir, create)
}

// listSome joins names with commas, the first ten only, so a long list stays one line.
func listSome(names []string) string {
	if len(names) <= 10 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:10], ", ") + fmt.Sprintf(" and %d more", len(names)-10)
}

func (a *App) busyMessage(err error) error {
	var ce *codedError
	if errors.As(err, &ce) {
		return err
	}
	if code, _ := classify(err); code == exitBusy {
		return &codedError{exit: exitBusy, code: "wallet_busy",
			err: fmt.Errorf("wallet busy: another satchel is using %s; try again when it is done", a.flags.wallet)}
	}
	return err
}

// backendURL is the backend to use: --backend, then SATCHEL_BACKEND, then the wallet's config,
// then the global config (a.setting). Empty means none is configured.
func (a *App) backendURL(w *wallet.Wallet) (string, error) {
	v, err := a.setting(w, "backend")
	if err != nil || v != "" {
		return v, err
	}
	return defaultBackends[w.Meta().Network], nil
}

// defaultBackends are the public Esplora servers used when no backend is configured. They
// learn the wallet's addresses (see README, Privacy); regtest has none.
var defaultBackends = map[string]string{
	"mainnet":  "https://mempool.space/api",
	"testnet":  "https://mempool.space/testnet/api",
	"testnet4": "https://mempool.space/testnet4/api",
	"signet":   "https://mempool.space/signet/api",
}

// dial connects to a backend URL through chain.Open: btcd://, http(s):// (Esplora),
// electrum:// or electrums://, and whatever else wallet/chain/backends registers.
func (a *App) dial(ctx context.Context, w *wallet.Wallet, raw string) (chain.Backend, error) {
	if a.Dial != nil {
		return a.Dial(ctx, raw)
	}
	proxy, err := a.setting(w, "proxy")
	if err != nil {
		return nil, err
	}
	// Only a backend without estimates of its own (p2p) asks the fee source; it goes through
	// the same proxy.
	feeSource, err := a.setting(w, "fee-source")
	if err != nil {
		return nil, err
	}
	be, err := chain.Open(ctx, raw, chain.Options{Net: w.Net(), Proxy: proxy, UserAgent: "satchel",
		DataDir: w.Dir(), FeeSource: feeSource})
	if err != nil && errors.Is(err, chain.ErrBadURL) {
		if errors.Is(err, chain.ErrProxyRefused) {
			return nil, usagef("bad_proxy", err.Error())
		}
		return nil, usagef("bad_backend", err.Error())
	}
	return be, err
}

// maskURL hides a URL's password for messages, also in a URL that does not parse.
func maskURL(raw string) string { return netutil.MaskURL(raw) }

// syncWallet syncs w with its backend unless --offline, and returns the backend (nil when
// none was used; the caller closes it). With no backend configured it says so on stderr and
// answers from local state.
func (a *App) syncWallet(cmd *cobra.Command, w *wallet.Wallet) (*wallet.SyncResult, chain.Backend, error) {
	if a.flags.offline {
		return nil, nil, nil
	}
	raw, err := a.backendURL(w)
	if err != nil {
		return nil, nil, err
	}
	if raw == "" {
		a.warn("no_backend", "no backend configured: answering from local state (give --backend URL, set SATCHEL_BACKEND, or run: satchel config set backend URL)")
		return nil, nil, nil
	}
	be, err := a.dial(cmd.Context(), w, raw)
	if err != nil {
		return nil, nil, err
	}
	res, err := a.syncWith(cmd, w, be)
	if err != nil {
		be.Close()
		return nil, nil, err
	}
	return res, be, nil
}

func (a *App) syncWith(cmd *cobra.Command, w *wallet.Wallet, be chain.Backend) (*wallet.SyncResult, error) {
	ctx, cancel := context.WithTimeout(cmd.Context(), 10*time.Minute)
	defer cancel()
	gap, err := a.gapLimit(w)
	if err != nil {
		return nil, err
	}
	tweaks, err := a.syncTweaks(w)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	shown := false
	res, err := w.Sync(ctx, be, wallet.SyncOptions{GapLimit: gap, Now: a.Now, Tweaks: tweaks, Progress: func(done, total int) {
		if a.ErrTerm && time.Since(start) > time.Second {
			shown = true
			fmt.Fprintf(a.Err, "\rsyncing: %s scanned", count(done, "address", "addresses"))
		}
	}, SilentProgress: func(p wallet.SilentProgress) {
		if a.ErrTerm && time.Since(start) > time.Second {
			shown = true
			fmt.Fprintf(a.Err, "\r\033[Kscanning for silent payments: block %d, %d of %d", p.Height, p.Done, p.Total)
		}
	}})
	if shown {
		fmt.Fprint(a.Err, "\r\033[K")
	}
	if err != nil {
		return nil, err
	}
	if res.Silent != nil && res.Silent.Unsupported {
		a.warn("silent_not_scanned", fmt.Sprintf("silent payments were not looked for (scanned through height %s): this backend cannot scan blocks; use a btcd node, or give a tweak server with --sp-server", groupDigits(int64(res.Silent.Height))))
	}
	return &res, nil
}

// gapLimit is the gap-limit setting (flag, env, wallet config, global config), else 0: the
// wallet's own (the last sync's, or the default).
func (a *App) gapLimit(w *wallet.Wallet) (int, error) {
	v, src, err := a.lookupSetting(w.Dir(), "gap-limit")
	if err != nil || src == "default" {
		return 0, err
	}
	return strconv.Atoi(v)
}

// syncForReceive lets receive skip addresses used on chain when a backend answers, and warns
// instead of failing when it does not: receive never needs the network.
func (a *App) syncForReceive(cmd *cobra.Command, w *wallet.Wallet) {
	if a.flags.offline {
		return
	}
	raw, err := a.backendURL(w)
	if err != nil || raw == "" {
		return
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
	defer cancel()
	be, err := a.dial(ctx, w, raw)
	if err == nil {
		defer be.Close()
		gap, _ := a.gapLimit(w)
		tweaks, _ := a.syncTweaks(w)
		_, err = w.Sync(ctx, be, wallet.SyncOptions{GapLimit: gap, Now: a.Now, Tweaks: tweaks})
	}
	if err != nil {
		a.warn("backend_unreachable", "could not sync ("+backendTrouble(err)+"): answering from local state")
	}
}

// needBackend refuses a command that answers from the chain when no backend is configured
// and the network has no default (regtest), unless --offline: a zero balance and exit 0 would
// read as "this wallet is empty".
func (a *App) needBackend(w *wallet.Wallet) error {
	if a.flags.offline {
		return nil
	}
	raw, err := a.backendURL(w)
	if err != nil || raw != "" {
		return err
	}
	return usagef("no_backend", fmt.Sprintf("no backend for %s: give --backend URL, set SATCHEL_BACKEND, or run: satchel config set backend URL (or add --offline for the last known state)", w.Meta().Network))
}

// openOnline opens the wallet and dials its backend for a command that needs the network and
// nothing else: refused with --offline (the reason given) or without a backend.
func (a *App) openOnline(cmd *cobra.Command, offlineReason string) (*wallet.Wallet, chain.Backend, error) {
	if a.flags.offline {
		return nil, nil, usagef("offline", offlineReason)
	}
	w, err := a.openWallet(true)
	if err != nil {
		return nil, nil, err
	}
	raw, err := a.backendURL(w)
	if err == nil && raw == "" {
		err = usagef("no_backend", "no backend configured: give --backend URL, set SATCHEL_BACKEND, or run: satchel config set backend URL")
	}
	var be chain.Backend
	if err == nil {
		be, err = a.dial(cmd.Context(), w, raw)
	}
	if err != nil {
		w.Close()
		return nil, nil, err
	}
	return w, be, nil
}
