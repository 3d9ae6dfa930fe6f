package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
)

// watchOnlyFlags are create's flags for a wallet without a seed.
type watchOnlyFlags struct {
	on          bool
	descriptors []string
	xpub        string
	fingerprint string
	// setup and tokenFile are --setup FILE|- (a multisig coordinator) and its --token-file.
	setup     string
	tokenFile string
}

// register adds the flags to create and says what they do in its help.
func (wo *watchOnlyFlags) register(c *cobra.Command) {
	f := c.Flags()
	f.BoolVar(&wo.on, "watch-only", false, "make a wallet of public keys only: no seed, sends write an unsigned PSBT")
	f.StringArrayVar(&wo.descriptors, "descriptor", nil, "with --watch-only: a receive and a change descriptor, or one with /<0;1>/* (repeatable)")
	f.StringVar(&wo.xpub, "xpub", "", "with --watch-only: an account key (xpub, tpub, zpub, vpub, ypub, upub)")
	f.StringVar(&wo.fingerprint, "fingerprint", "", "with --xpub: the master key fingerprint (8 hex digits) for PSBTs; default 00000000")
	f.StringVar(&wo.setup, "setup", "", "with --watch-only: a multisig setup FILE (or - for stdin): descriptor, BSMS record, Caravan JSON or Coldcard/Sparrow file")
	f.StringVar(&wo.tokenFile, "token-file", "", "with --setup: the TOKEN (hex or decimal, first line of FILE) of an encrypted BSMS record")
	c.Long += `

--watch-only makes a wallet that holds no seed and asks no passphrase, from output descriptors
(--descriptor, a receive /0/* and a change /1/* one, or one multipath /<0;1>/*) or an account key
(--xpub: a zpub/vpub means wpkh, a ypub/upub sh-wpkh; with a plain xpub or tpub say --type tr,
wpkh, sh-wpkh or pkh). Only single-key accounts at depth 3 (m/purpose'/coin'/account') are
watched. It receives, syncs and shows balance, history and coins; send writes an unsigned PSBT
(BIP174) for a hardware wallet, another wallet or satchel psbt sign.

--setup FILE|- makes the coordinator of a multisig from a setup file in any of the formats satchel
setup convert reads (a descriptor, a BIP129 BSMS record whose first address is checked, Caravan
JSON, a Coldcard/Sparrow multisig file; an encrypted BSMS record with --token-file FILE). The
wallet's descriptor is the file's.`
	c.Example += "\n  satchel create --watch-only --descriptor 'wpkh([73c5da0a/84h/1h/0h]tpub.../<0;1>/*)' --network regtest" +
		"\n  satchel create --watch-only --xpub vpub5Y6c... --fingerprint 73c5da0a --network regtest" +
		"\n  satchel create --watch-only --setup vault.bsms --wallet vault"
}

// runCreateWatchOnly makes a watch-only wallet. It returns handled=false when --watch-only
// and its flags were not given, so create goes on as usual.
func (a *App) runCreateWatchOnly(cmd *cobra.Command, wo *watchOnlyFlags, typ string) (handled bool, err error) {
	f := cmd.Flags()
	if !wo.on {
		for _, name := range []string{"descriptor", "xpub", "fingerprint", "setup", "token-file"} {
			if f.Changed(name) {
				return true, usagef("watch_only_needed", fmt.Sprintf("--%s makes a watch-only wallet: add --watch-only", name))
			}
		}
		return false, nil
	}
	for _, name := range []string{"words", "bip39-passphrase", "shamir", "group-threshold", "strength"} {
		if f.Lookup(name) != nil && f.Changed(name) {
			return true, usagef("bad_flag", fmt.Sprintf("--%s has no meaning for a watch-only wallet, which holds no seed", name))
		}
	}
	given := 0
	for _, on := range []bool{len(wo.descriptors) > 0, wo.xpub != "", f.Changed("setup")} {
		if on {
			given++
		}
	}
	if given == 0 {
		return true, usagef("watch_only_key", "--watch-only needs one of --descriptor (one or two), --xpub or --setup FILE")
	}
	if given > 1 {
		return true, usagef("watch_only_key", "give only one of --descriptor, --xpub and --setup: each describes the whole wallet")
	}
	if wo.tokenFile != "" && !f.Changed("setup") {
		return true, usagef("usage", "--token-file goes with --setup FILE (an encrypted BSMS record)")
	}
	if f.Changed("setup") && (f.Changed("type") || f.Changed("fingerprint")) {
		return true, usagef("bad_flag", "a setup file says its own script type and key origins: drop --type and --fingerprint")
	}
	if len(wo.descriptors) > 0 && (f.Changed("type") || f.Changed("fingerprint")) {
		return true, usagef("bad_flag", "a descriptor says its own script type and key origin: drop --type and --fingerprint")
	}
	st := txbuilder.ScriptUnknown
	if f.Changed("type") {
		if st, err = parseWatchType(typ); err != nil {
			return true, err
		}
	}
	dir, err := a.walletDir()
	if err != nil {
		return true, err
	}
	if _, err := os.Stat(dir); err == nil {
		return true, fmt.Errorf("%w: %s: choose another --wallet name (that wallet is left as it is)", wallet.ErrExists, dir)
	}
	o := wallet.WatchOnlyOptions{Dir: dir, Network: a.flags.network,
		Descriptors: wo.descriptors, Xpub: wo.xpub, Type: st, Fingerprint: wo.fingerprint, Now: a.Now()}
	if f.Changed("setup") {
		if o.Setup, err = a.readSetupFile(wo.setup, wo.tokenFile, true); err != nil {
			return true, err
		}
		a.showSetup(o.Setup)
	}
	res, err := wallet.CreateWatchOnly(cmd.Context(), o)
	if err != nil {
		return true, err
	}
	out := watchOnlyJSON{walletJSON: a.walletOut(res), WatchOnly: true}
	if a.flags.json {
		return true, a.printJSON(out)
	}
	a.printWalletText("Created watch-only", dir, out.walletJSON)
	fmt.Fprintln(a.Out, "no seed is kept here: send writes an unsigned PSBT for the wallet that holds the keys")
	return true, nil
}

// watchOnlyJSON is what create --watch-only prints: the wallet, marked watch-only.
type watchOnlyJSON struct {
	walletJSON
	WatchOnly bool `json:"watch_only"`
}

// parseWatchType reads --type for a watch-only wallet, which may be any of satchel's
// single-key account types.
func parseWatchType(s string) (txbuilder.ScriptType, error) {
	for _, t := range []txbuilder.ScriptType{txbuilder.P2TR, txbuilder.P2WPKH, txbuilder.P2SHP2WPKH, txbuilder.P2PKH} {
		if s == t.String() {
			return t, nil
		}
	}
	return 0, usagef("bad_type", fmt.Sprintf("--type %q: a watch-only wallet takes tr, wpkh, sh-wpkh or pkh", s))
}

// needsSeed refuses, before any passphrase is asked, a command that needs the seed when the
// wallet is watch-only (exit 2 watch_only): it has no keystore to unlock.
func needsSeed(w *wallet.Wallet, what string) error {
	if w.Meta().WatchOnly {
		return &codedError{exit: exitUsage, code: "watch_only",
			err: fmt.Errorf("%s needs the seed, and this wallet is watch-only: use the wallet that holds it", what)}
	}
	return nil
}
