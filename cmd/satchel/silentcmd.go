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
	"github.com/satchel-wallet/satchel/wallet/chain/blindbit"
)

// silentJSON is receive --silent's answer: {"address": "sp1...", "label": "..."}.
type silentJSON struct {
	Address string `json:"address"`
	Label   string `json:"label,omitempty"`
}

// receiveSilent prints the wallet's BIP352 address, or with a label its labelled address.
// It refuses (exit 2) when the configured backend cannot scan for silent payments: an
// address that sync never looks at must not be handed out.
func (a *App) receiveSilent(cmd *cobra.Command, label string) error {
	w, err := a.openWallet(true)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := needsSeed(w, "receive --silent"); err != nil {
		return err
	}
	raw, err := a.backendURL(w)
	if err != nil {
		return err
	}
	tweaks, err := a.tweakSource(w, raw)
	if err != nil {
		return err
	}
	passphrase := func() ([]byte, error) {
		if a.passphrasePrompted() {
			// Checked here first, so a mistyped one can be typed again (it costs one more
			// run of the KDF, once: later calls need no passphrase).
			return a.checkPassphrase(w)
		}
		return a.passphrase(false)
	}
	req := wallet.SilentRequest{Passphrase: passphrase, Keystore: a.Keystore, Label: label}
	ready := w.SilentReady()
	if a.flags.offline && !ready {
		return usagef("offline", "the first receive --silent asks the backend for the chain's height (where scanning starts): run it without --offline")
	}
	if !a.flags.offline {
		// Ask the backend itself whether it can scan: only then is the address handed out.
		ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
		defer cancel()
		var scans bool
		// Esplora and Electrum never serve blocks: no need to reach them to know. (Tests
		// that wire in a fake chain are asked.)
		if raw != "" && (scansSilent(raw) || tweaks != nil || a.Dial != nil) {
			be, err := a.dial(ctx, w, raw)
			if err != nil {
				return err
			}
			_, scans = be.(chain.BlockSource)
			scans = scans || tweaks != nil
			if scans && !ready {
				tip, err := be.Tip(ctx)
				if err != nil {
					be.Close()
					return err
				}
				req.Birthday = tip.Height // the scan starts at today's tip
			}
			be.Close()
		}
		if !scans {
			what := "no backend is configured"
			if raw != "" {
				what = "the backend " + maskURL(raw) + " cannot scan blocks"
			}
			return usagef("silent_needs_node", fmt.Sprintf("receive --silent needs a backend that scans for silent payments, and %s: use a btcd node run with --txindex --addrindex (--backend btcd://USER:PASS@HOST:PORT), or with Esplora or Electrum a BIP352 tweak server (--sp-server URL, or satchel config set sp-server URL)", what))
		}
	}
	info, err := w.SilentAddress(req)
	if err != nil {
		return err
	}
	if a.flags.json {
		return a.printJSON(silentJSON{Address: info.Address, Label: info.Label})
	}
	fmt.Fprintln(a.Out, info.Address)
	return nil
}

// scansSilent says whether sync can scan for silent payments over the backend URL: only a
// btcd node serves whole blocks with the coins their inputs spend.
func scansSilent(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.EqualFold(u.Scheme, "btcd")
}

// parseBirthday reads restore --birthday: a block height, or a date (YYYY-MM-DD, UTC).
func parseBirthday(s string) (int32, time.Time, error) {
	if s == "" {
		return 0, time.Time{}, nil
	}
	if h, err := strconv.ParseInt(s, 10, 32); err == nil && h >= 0 {
		return int32(h), time.Time{}, nil
	}
	if d, err := time.Parse("2006-01-02", s); err == nil {
		return 0, d, nil
	}
	return 0, time.Time{}, usagef("bad_birthday", fmt.Sprintf("--birthday %q: give a block height (840000) or a date (2024-04-20)", s))
}

// setSilentBirthday makes the just-restored wallet scan for silent payments from a birthday.
func (a *App) setSilentBirthday(pass []byte, height int32, date time.Time) error {
	w, err := a.openWallet(false)
	if err != nil {
		return err
	}
	defer w.Close()
	return w.SetSilentBirthday(wallet.SilentRequest{
		Passphrase: func() ([]byte, error) { return append([]byte(nil), pass...), nil },
		Keystore:   a.Keystore, Birthday: height}, date)
}

// silentSyncJSON is what sync --json says of the silent-payment scan.
type silentSyncJSON struct {
	Height       int32 `json:"scanned_height"`
	Blocks       int   `json:"blocks_scanned"`
	Transactions int   `json:"transactions_scanned"`
	Found        int   `json:"found"`
	Dropped      int   `json:"dropped"`
}

func silentSyncOut(r *wallet.SilentScanResult) *silentSyncJSON {
	if r == nil || r.Unsupported {
		return nil
	}
	return &silentSyncJSON{Height: r.Height, Blocks: r.Blocks, Transactions: r.Transactions, Found: r.Found, Dropped: r.Dropped}
}

// checkTweakServer checks an sp-server setting: an http(s) URL.
func checkTweakServer(v string) error {
	if _, err := blindbit.New(v, blindbit.Options{}); err != nil {
		return errors.New("must be the http(s) URL of a BlindBit Oracle tweak server, e.g. https://HOST/api")
	}
	return nil
}

// tweakSource is the configured tweak server for syncs over backends that cannot scan
// blocks; nil when none is set (or the backend is btcd, which scans itself).
func (a *App) tweakSource(w *wallet.Wallet, backend string) (chain.TweakSource, error) {
	if scansSilent(backend) {
		return nil, nil
	}
	v, err := a.setting(w, "sp-server")
	if err != nil || v == "" {
		return nil, err
	}
	proxy, err := a.setting(w, "proxy")
	if err != nil {
		return nil, err
	}
	c, err := blindbit.New(v, blindbit.Options{Proxy: proxy})
	if err != nil {
		return nil, usagef("bad_sp_server", err.Error())
	}
	return c, nil
}

// syncTweaks is the tweak server a sync of w uses with its configured backend, if any.
func (a *App) syncTweaks(w *wallet.Wallet) (chain.TweakSource, error) {
	raw, err := a.backendURL(w)
	if err != nil {
		return nil, err
	}
	return a.tweakSource(w, raw)
}
