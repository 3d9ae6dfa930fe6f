package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/internal/atomicfile"
	"github.com/satchel-wallet/satchel/wallet/setupfile"
)

// exportSetupJSON is what export setup --json prints: the setup, as setup convert shows it,
// and the file written.
type exportSetupJSON struct {
	setupJSON
	File string `json:"file,omitempty"`
}

func newExportSetupCmd(a *App) *cobra.Command {
	var format, name, out string
	cmd := &cobra.Command{
		Use:   "setup [--format descriptor|bsms|caravan|coldcard] [--out FILE]",
		Short: "Print the multisig wallet's setup file for other coordinators and signers",
		Long: `Print this multisig wallet's setup (every cosigner's [fingerprint/path]xpub, the threshold, the
network) in the format another coordinator or signer imports:
  descriptor  wsh(sortedmulti(M,[fp/48h/1h/0h/2h]tpub.../<0;1>/*,...))#checksum: Bitcoin Core,
              Sparrow, Specter, Liana, satchel (the default)
  bsms        a BIP129 BSMS 1.0 descriptor record with the first address: Nunchuk, Coldcard,
              Jade, Passport, Specter
  caravan     Caravan's wallet configuration JSON: Caravan, Unchained, Sparrow
  coldcard    the Coldcard multisig text file: Coldcard, Sparrow, Passport, Keystone, Jade
A member and a coordinator of the same multisig print the same setup. --name names the wallet in
Caravan and Coldcard files (default "satchel M-of-N"). --out FILE writes the file instead of
stdout (never over an existing file). --json prints {format, name, threshold, network,
script_type, keys, descriptor, first_address, output, file}. A single-key wallet has no setup:
exit 2 (not_multisig). No passphrase is asked: the keys are public.

` + exitStatusHelp,
		Example: "  satchel export setup > vault.descriptor\n  satchel export setup --format bsms --out vault.bsms\n  satchel export setup --format coldcard --name vault --out vault-coldcard.txt",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains(setupfile.Formats, format) {
				return usagef("usage", fmt.Sprintf("--format %q: use one of %s", format, strings.Join(setupfile.Formats, ", ")))
			}
			if err := setupfile.CheckName(name); err != nil {
				return fmt.Errorf("--name: %w", err)
			}
			path := ""
			if out != "" {
				var err error
				if path, err = a.checkOutPath(out); err != nil {
					return err
				}
				if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
					return usagef("file_exists", fmt.Sprintf("%s exists: choose another --out file or remove it", path))
				}
			}
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			s, data, err := w.ExportSetup(format, name)
			if err != nil {
				return err
			}
			if path != "" {
				if err := atomicfile.Write(path, data, 0o600); err != nil {
					return fmt.Errorf("write %s: %w", out, err)
				}
			}
			if !a.flags.json {
				if path == "" {
					_, err := a.Out.Write(data)
					return err
				}
				fmt.Fprintf(a.Out, "wrote the %s setup to %s\n", format, path)
				return nil
			}
			desc, err := s.Descriptor()
			if err != nil {
				return err
			}
			j := exportSetupJSON{setupJSON: setupJSON{Format: format, Name: s.Name, Threshold: s.Threshold, Network: s.Network,
				ScriptType: s.ScriptType, Keys: []setupKeyJSON{}, Descriptor: desc, FirstAddress: s.FirstAddress, Output: string(data)}, File: path}
			for _, k := range s.Keys {
				j.Keys = append(j.Keys, setupKeyJSON{Fingerprint: k.Fingerprint, Path: k.Path, Xpub: k.Xpub, Name: k.Name})
			}
			return a.printJSON(j)
		},
	}
	cmd.Flags().StringVar(&format, "format", setupfile.FormatDescriptor, "the format: "+strings.Join(setupfile.Formats, ", "))
	cmd.Flags().StringVar(&name, "name", "", "the wallet name written in Caravan and Coldcard files")
	cmd.Flags().StringVar(&out, "out", "", "write the setup to FILE instead of stdout")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(setupfile.Formats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}
