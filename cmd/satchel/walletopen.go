package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
	"github.com/satchel-wallet/satchel/wallet/chain/p2p"
)

// openWallet opens the selected wallet, read-only (shared lock) or for writing.
func (a *App) openWallet(readOnly bool) (*wallet.Wallet, error) {
	dir, err := a.walletDir()
	if err != nil {
		return nil, err
	}
	w, err := wallet.Open(dir, a.flags.network, wallet.OpenOptions{ReadOnly: readOnly, Now: a.Now})
	if err != nil {
		return nil, a.busyMessage(err)
	}
	return w, nil
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

// dial connects to a backend URL: btcd://, http(s):// (Esplora), electrum:// or electrums://.
func (a *App) dial(ctx context.Context, w *wallet.Wallet, raw string) (chain.Backend, error) {
	if a.Dial != nil {
		return a.Dial(ctx, raw)
	}
	u, err := url.Parse(raw)
	if isP2P(raw) {
		u, err = &url.URL{Scheme: p2p.Scheme}, nil // a list of peers is not one URL host
	}
	if err != nil || u.Scheme == "" {
		return nil, usagef("bad_backend", fmt.Sprintf("backend %q is not a URL: use btcd://USER:PASS@HOST:PORT, https://HOST/api or electrum(s)://HOST:PORT", maskURL(raw)))
	}
	proxy, err := a.setting(w, "proxy")
	if err != nil {
		return nil, err
	}
	if proxy != "" && strings.ToLower(u.Scheme) == "btcd" {
		// btcd's RPC client resolves and dials the node directly even with a proxy set.
		return nil, usagef("bad_proxy", "--proxy works with Esplora and Electrum backends, not btcd (its RPC client would bypass the proxy): use an SSH tunnel, or Esplora or Electrum over Tor")
	}
	var be chain.Backend
	switch strings.ToLower(u.Scheme) {
	case "btcd":
		be, err = btcd.Dial(ctx, raw, w.Net())
	case "http", "https":
		be, err = esplora.New(raw, w.Net(), esplora.Options{Proxy: proxy, UserAgent: "satchel"})
	case "electrum", "electrums":
		be, err = electrum.Dial(ctx, raw, w.Net(), electrum.Options{Proxy: proxy, CacheDir: w.Dir()})
	case p2p.Scheme:
		be, err = p2p.Open(ctx, raw, chain.Options{Net: w.Net(), Proxy: proxy, DataDir: w.Dir()})
	default:
		return nil, usagef("bad_backend", fmt.Sprintf("backend scheme %q is not supported: use btcd://, https:// (Esplora), electrum://, electrums:// or p2p://", u.Scheme))
	}
	if err != nil && (errors.Is(err, netutil.ErrBadURL) || errors.Is(err, btcd.ErrBadURL)) {
		return nil, usagef("bad_backend", err.Error())
	}
	return be, err
}

// isP2P says whether raw is a p2p:// backend URL.
func isP2P(raw string) bool {
	return strings.HasPrefix(strings.ToLower(raw), p2p.Scheme+"://")
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
		a.warn("silent_not_scanned", fmt.Sprintf("silent payments were not looked for (scanned through height %d): this backend cannot scan blocks; use a btcd node, or give a tweak server with --sp-server", res.Silent.Height))
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
		a.warn("backend_unreachable", "could not sync ("+oneLine(err.Error())+"): answering from local state")
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
