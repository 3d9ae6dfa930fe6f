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
)

// openWallet opens the selected wallet, read-only (shared lock) or for writing.
func (a *App) openWallet(readOnly bool) (*wallet.Wallet, error) {
	dir, err := a.walletDir()
	if err != nil {
		return nil, err
	}
	w, err := wallet.Open(dir, a.flags.network, wallet.OpenOptions{ReadOnly: readOnly})
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

// backendURL is the backend to use: --backend, then SATCHEL_BACKEND, then the wallet's config.
// Empty means none is configured.
func (a *App) backendURL(w *wallet.Wallet) (string, error) {
	if a.flags.backend != "" {
		return a.flags.backend, nil
	}
	if v := a.Getenv("SATCHEL_BACKEND"); v != "" {
		return v, nil
	}
	cfg, err := loadWalletConfig(w.Dir())
	if err != nil {
		return "", err
	}
	return cfg.Backend, nil
}

// dial connects to a backend URL.
func (a *App) dial(ctx context.Context, w *wallet.Wallet, raw string) (chain.Backend, error) {
	if a.Dial != nil {
		return a.Dial(ctx, raw)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return nil, usagef("bad_backend", fmt.Sprintf("backend %q is not a URL: use btcd://USER:PASS@HOST:PORT", maskURL(raw)))
	}
	switch strings.ToLower(u.Scheme) {
	case "btcd":
		return btcd.Dial(ctx, raw, w.Net())
	}
	return nil, usagef("bad_backend", fmt.Sprintf("backend scheme %q is not supported: use btcd://USER:PASS@HOST:PORT", u.Scheme))
}

// maskURL hides a URL's password for messages.
func maskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	return strings.Replace(u.String(), "%2A%2A%2A", "***", 1)
}

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
	start := time.Now()
	shown := false
	res, err := w.Sync(ctx, be, wallet.SyncOptions{GapLimit: gap, Now: a.Now, Progress: func(done, total int) {
		if a.ErrTerm && time.Since(start) > time.Second {
			shown = true
			fmt.Fprintf(a.Err, "\rsyncing: %d addresses scanned", done)
		}
	}})
	if shown {
		fmt.Fprint(a.Err, "\r\033[K")
	}
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// gapLimit is --gap-limit, else the wallet config's gap-limit, else 0 (the wallet's own).
func (a *App) gapLimit(w *wallet.Wallet) (int, error) {
	if a.flags.gapLimit > 0 {
		return a.flags.gapLimit, nil
	}
	cfg, err := loadWalletConfig(w.Dir())
	if err != nil {
		return 0, err
	}
	if cfg.GapLimit != "" {
		n, err := strconv.Atoi(cfg.GapLimit)
		if err == nil && n > 0 {
			return n, nil
		}
	}
	return 0, nil
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
		_, err = w.Sync(ctx, be, wallet.SyncOptions{GapLimit: gap, Now: a.Now})
	}
	if err != nil {
		a.warn("backend_unreachable", "could not sync ("+oneLine(err.Error())+"): answering from local state")
	}
}
