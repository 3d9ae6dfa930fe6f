package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// xpubJSON is what export xpub prints.
type xpubJSON struct {
	Xpub        string `json:"xpub"`
	Format      string `json:"format"` // the key's prefix: xpub, tpub, zpub, vpub, ypub or upub
	Purpose     uint32 `json:"purpose"`
	Type        string `json:"type"`
	Fingerprint string `json:"fingerprint"`
	Path        string `json:"path"`
	Origin      string `json:"origin"` // [fingerprint/path], as descriptors write it
	Main        bool   `json:"main"`
}

func newExportCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "export",
		Short: "Export descriptors (for Bitcoin Core and other wallets) or the account xpub",
		Long: `Export what other wallets need to watch (or, with --private, spend from) this wallet:
descriptors in Bitcoin Core's importdescriptors form, or the account's extended public key.`,
		Example: "  satchel export descriptors > descriptors.json\n  satchel export xpub --slip132",
	}
	var private bool
	desc := &cobra.Command{
		Use:   "descriptors",
		Short: "Print the wallet's descriptors as a Bitcoin Core importdescriptors request",
		Long: `Print a JSON array with a receive and a change descriptor for every account in use, in the
shape Bitcoin Core's importdescriptors takes and listdescriptors gives:
  {"desc": "tr([fingerprint/86h/0h/0h]xpub.../0/*)#checksum", "timestamp": ..., "active": true,
   "internal": false, "range": [0, END], "next": N, "next_index": N}
timestamp is the wallet's creation time (0 for a restored wallet, so a rescan starts at the
genesis block); next is the first index not yet handed out or used; range covers those and the
gap limit after them. The output is the same JSON with or without --json.

--private puts the account's extended private key (xprv, or tprv on test networks) in each
descriptor instead, with its checksum: after the passphrase, and on a terminal after a y/N
question. Anyone who sees those descriptors can spend the wallet's coins.

` + exitStatusHelp,
		Example: "  satchel export descriptors > watch.json\n  bitcoin-cli -rpcwallet=watch importdescriptors \"$(satchel export descriptors)\"\n  satchel export descriptors --private --passphrase-file pass.txt",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			opts := wallet.ExportDescriptorsOptions{Private: private, Keystore: a.Keystore}
			if private {
				if err := needsSeed(w, "export --private"); err != nil {
					return err
				}
				if a.canPrompt() && !a.flags.yes {
					if err := a.confirm("Print private keys on screen? Anyone who sees them can take your money."); err != nil {
						return err
					}
				}
			}
			var ds []wallet.DescriptorImport
			export := func() error {
				var err error
				ds, err = w.ExportDescriptors(opts)
				return err
			}
			if private {
				err = a.withPassphrase(func(pass []byte) error {
					opts.Passphrase = pass
					return export()
				})
			} else {
				err = export()
			}
			if err != nil {
				return err
			}
			if ds == nil {
				ds = []wallet.DescriptorImport{}
			}
			return a.printJSON(ds)
		},
	}
	desc.Flags().BoolVar(&private, "private", false, "include the accounts' private keys (asks for the passphrase)")

	var slip132, multisig bool
	var purpose uint32
	xpub := &cobra.Command{
		Use:   "xpub",
		Short: "Print the main account's extended public key (xpub, or tpub on test networks)",
		Long: `Print the main account's extended public key: an xpub on mainnet, a tpub on test networks.
--purpose 44|49|84|86 picks another of the seed's standard accounts.

--slip132 writes the key with its SLIP-132 prefix, which some wallets (Electrum, Sparrow,
BlueWallet) read to know the address type: zpub (vpub on test networks) for a BIP84 native
segwit account, ypub (upub) for a BIP49 nested segwit one. Taproot (BIP86) and legacy (BIP44)
accounts have no SLIP-132 prefix; give those wallets the descriptor instead
(satchel export descriptors).

--multisig prints instead the seed's key for a P2WSH multisig (BIP48, m/48h/0h/0h/2h; 1h for
the coin on test networks) as [fingerprint/48h/0h/0h/2h]xpub..., the form Sparrow, Electrum,
hardware signers and satchel's --cosigner take. It needs the seed, so it asks for the
passphrase. --json gives fingerprint, path, xpub, descriptor_key and key (the same text).

` + exitStatusHelp,
		Example: "  satchel export xpub\n  satchel export xpub --multisig\n  satchel export xpub --slip132 --json\n  satchel export xpub --purpose 84 --slip132",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if multisig {
				if slip132 || purpose != 0 {
					return usagef("bad_flags", "--multisig prints the BIP48 key (m/48h/COINh/0h/2h); leave out --slip132 and --purpose")
				}
				return a.exportMultisigKey()
			}
			switch purpose {
			case 0, 44, 49, 84, 86:
			default:
				return usagef("bad_purpose", fmt.Sprintf("--purpose %d: use 44, 49, 84 or 86", purpose))
			}
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			if w.IsMultisig() {
				return usagef("multisig", "a multisig wallet has no single account key: satchel export xpub --multisig prints this seed's key, satchel info --json all of them")
			}
			k, err := w.ExportAccountKey(purpose, slip132)
			if errors.Is(err, keys.ErrNoSLIP132) {
				t := keys.Purpose(purpose)
				if purpose == 0 {
					t = keys.Purpose(w.Descriptors()[0].Purpose)
				}
				return usagef("no_slip132", fmt.Sprintf("a %s (%s) account has no SLIP-132 prefix: SLIP-132 names only BIP84 "+
					"(zpub/vpub) and BIP49 (ypub/upub) keys; give other wallets the xpub or, better, the descriptor "+
					"(satchel export descriptors)", t, t.ScriptType()))
			}
			if err != nil {
				return err
			}
			out := xpubJSON{Xpub: k.Key, Format: k.Key[:4], Purpose: k.Purpose, Type: keys.Purpose(k.Purpose).ScriptType().String(),
				Fingerprint: k.Fingerprint, Path: k.Path, Origin: "[" + k.Fingerprint + strings.TrimPrefix(k.Path, "m") + "]", Main: k.Main}
			if a.flags.json {
				return a.printJSON(out)
			}
			fmt.Fprintln(a.Out, out.Xpub)
			return nil
		},
	}
	xpub.Flags().BoolVar(&slip132, "slip132", false, "write zpub/vpub (BIP84) or ypub/upub (BIP49) instead of xpub/tpub")
	xpub.Flags().BoolVar(&multisig, "multisig", false, "print the seed's BIP48 P2WSH multisig key [fingerprint/48h/COINh/0h/2h]xpub (asks for the passphrase)")
	xpub.Flags().Uint32Var(&purpose, "purpose", 0, "the account: 44, 49, 84 or 86 (default: the wallet's main account)")
	c.AddCommand(desc, xpub, newExportSetupCmd(a))
	return c
}

// exportMultisigKey prints the seed's BIP48 P2WSH key (export xpub --multisig).
func (a *App) exportMultisigKey() error {
	w, err := a.openWallet(true)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := needsSeed(w, "export xpub --multisig"); err != nil {
		return err
	}
	var k wallet.MultisigKey
	if err := a.withPassphrase(func(pass []byte) error {
		var err error
		k, err = w.ExportMultisigKey(pass, a.Keystore...)
		return err
	}); err != nil {
		return err
	}
	if a.flags.json {
		// key is the name CONVENTIONS gives this output ({"key": "..."}); descriptor_key, the
		// same text, stays for the scripts that read it.
		return a.printJSON(struct {
			wallet.MultisigKey
			Key string `json:"key"`
		}{k, k.DescriptorKey})
	}
	fmt.Fprintln(a.Out, k.DescriptorKey)
	return nil
}
