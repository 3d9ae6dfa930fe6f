package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/setupfile"
)

// setupAddress derives a multisig setup's first address for BSMS records: the wallet's own
// multisig derivation, so a record written or checked agrees with the addresses satchel hands
// out.
var setupAddress setupfile.AddressFunc = wallet.SetupAddress

type setupKeyJSON struct {
	Fingerprint string `json:"fingerprint,omitempty"`
	Path        string `json:"path,omitempty"`
	Xpub        string `json:"xpub"`
	Name        string `json:"name,omitempty"`
}

type setupJSON struct {
	Format       string         `json:"format"`
	To           string         `json:"to,omitempty"`
	Name         string         `json:"name"`
	Threshold    int            `json:"threshold"`
	Network      string         `json:"network"`
	ScriptType   string         `json:"script_type"`
	Keys         []setupKeyJSON `json:"keys"`
	Descriptor   string         `json:"descriptor"`
	FirstAddress string         `json:"first_address,omitempty"`
	Output       string         `json:"output,omitempty"`
}

func newSetupCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "setup",
		Short: "Convert multisig setup files between coordinators (descriptor, BSMS, Caravan, Coldcard/Sparrow)",
		Long: `Move a k-of-n multisig wallet's description between coordinators and signers. satchel reads
and writes four formats: the output descriptor wsh(sortedmulti(M,[fp/48h/1h/0h/2h]xpub/<0;1>/*,...))
(Bitcoin Core, Sparrow), a BIP129 BSMS descriptor record, Caravan's wallet configuration JSON, and
the Coldcard multisig text file that Sparrow, Passport and Keystone also import.`,
		Example: "  satchel setup convert sparrow-export.txt --to descriptor\n  satchel setup convert caravan.json --to coldcard > coldcard.txt",
	}
	c.AddCommand(newSetupConvertCmd(a))
	return c
}

func newSetupConvertCmd(a *App) *cobra.Command {
	var to, name, tokenFile string
	cmd := &cobra.Command{
		Use:   "convert FILE|- --to descriptor|bsms|caravan|coldcard",
		Short: "Read a multisig setup in any supported format and write it in another",
		Long: `Read FILE (or stdin for -) as whichever it is of: a descriptor (one line with /<0;1>/*, or the
receive /0/* and change /1/* descriptors on two lines; h or ' for hardened steps; the #checksum
optional but checked), a BSMS 1.0 descriptor record, a Caravan JSON file, or a
Coldcard/Sparrow multisig file. Write it to stdout in the --to format. Only P2WSH sortedmulti with
extended public keys is handled, up to 15 keys.

Everything is checked before anything is written: the threshold (1 to n), no key twice, every key
an xpub (mainnet) or tpub (test networks) whose depth matches its path, fingerprints of 8 hex
digits. A descriptor or Coldcard file does not say which test network its tpubs are for, so
--network decides among them; Caravan files and BSMS bc1/bcrt1 addresses say it themselves.

An encrypted BSMS record (BIP129's .dat: hex of a MAC and AES-256-CTR ciphertext) is read with
--token-file FILE, whose first line is the coordinator's TOKEN (16 or 32 hex digits, or its
decimal number); with --to bsms the same option encrypts the record written. A wrong token or an
altered file is refused.

A BSMS record's first address is checked against its keys with the wallet's own multisig
derivation (another address exits 2, first_address_mismatch); --to bsms writes the address that
derivation gives, the one a wallet of this setup hands out first.

--name sets the wallet's name (Caravan and Coldcard files carry one; a setup without one is
called "satchel M-of-N" there). --json prints {format, to, name, threshold, network,
script_type, keys: [{fingerprint, path, xpub, name}], descriptor, first_address, output}, with
the converted file in output; without --to it just shows the setup.

Nothing is ever written but stdout. A file that is not a setup, or a setup satchel does not
handle (P2SH, nested segwit, taproot, bare public keys), exits 2 with the reason.

` + exitStatusHelp,
		Example: "  satchel setup convert sparrow-export.txt --to descriptor\n" +
			"  satchel setup convert caravan.json --to coldcard > coldcard.txt\n" +
			"  satchel setup convert - --to caravan --name 'family vault' < wallet.descriptor\n" +
			"  satchel setup convert coldcard.txt --json",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if to == "" && !a.flags.json {
				return usagef("usage", "give --to "+strings.Join(setupfile.Formats, "|")+" (or --json to show the setup)")
			}
			if to != "" && !slices.Contains(setupfile.Formats, to) {
				return usagef("usage", fmt.Sprintf("--to %q: use one of %s", to, strings.Join(setupfile.Formats, ", ")))
			}
			data, src, err := a.readSetupInput(args[0])
			if err != nil {
				return err
			}
			var token []byte
			if tokenFile != "" {
				if !setupfile.IsEncryptedBSMS(data) && to != setupfile.FormatBSMS {
					return usagef("usage", "--token-file is for encrypted BSMS records: the input is not one and --to is not bsms")
				}
				if token, err = readTokenFile(tokenFile); err != nil {
					return err
				}
			}
			if setupfile.IsEncryptedBSMS(data) {
				if token == nil {
					return usagef("bad_setup", src+" is an encrypted BSMS record: give --token-file FILE holding the coordinator's TOKEN")
				}
				if data, err = setupfile.DecryptBSMS(data, token); err != nil {
					return fmt.Errorf("%s: %w", src, err)
				}
			}
			format, s, err := setupfile.Detect(data)
			if err != nil {
				return fmt.Errorf("%s: %w", src, err)
			}
			s.AdoptNetwork(format, a.flags.network)
			if err := s.VerifyFirstAddress(setupAddress); err != nil {
				return fmt.Errorf("%s: %w", src, err)
			}
			if cmd.Flags().Changed("name") {
				s.Name = name
				if err := s.Validate(); err != nil {
					return fmt.Errorf("--name: %w", err)
				}
			}
			var out []byte
			if to != "" {
				if out, err = s.Encode(to, setupAddress); err != nil {
					return err
				}
				if to == setupfile.FormatBSMS && token != nil {
					if out, err = setupfile.EncryptBSMS(out, token); err != nil {
						return err
					}
					out = append(out, '\n')
				}
			}
			if !a.flags.json {
				_, err := a.Out.Write(out)
				return err
			}
			desc, err := s.Descriptor()
			if err != nil {
				return err
			}
			j := setupJSON{Format: format, To: to, Name: s.Name, Threshold: s.Threshold, Network: s.Network,
				ScriptType: s.ScriptType, Keys: []setupKeyJSON{}, Descriptor: desc, FirstAddress: s.FirstAddress, Output: string(out)}
			for _, k := range s.Keys {
				j.Keys = append(j.Keys, setupKeyJSON{Fingerprint: k.Fingerprint, Path: k.Path, Xpub: k.Xpub, Name: k.Name})
			}
			return a.printJSON(j)
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the format to write: "+strings.Join(setupfile.Formats, ", "))
	cmd.Flags().StringVar(&name, "name", "", "the wallet name to write (Caravan, Coldcard)")
	cmd.Flags().StringVar(&tokenFile, "token-file", "", "read a BIP129 TOKEN (hex or decimal) from the first line of FILE: decrypts an encrypted BSMS input, encrypts a BSMS output")
	_ = cmd.RegisterFlagCompletionFunc("to", cobra.FixedCompletions(setupfile.Formats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// readTokenFile reads a BSMS TOKEN from the first line of a file (a secret: never from argv).
func readTokenFile(path string) ([]byte, error) {
	f, err := openInput("bad_file", "--token-file", path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return nil, fileError(path, err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	token, err := setupfile.ParseBSMSToken(line)
	if err != nil {
		return nil, fmt.Errorf("--token-file %s: %w", path, err)
	}
	return token, nil
}

// readSetupInput reads FILE or stdin, at most setupfile.MaxFileSize bytes.
func (a *App) readSetupInput(arg string) ([]byte, string, error) {
	var r io.Reader = a.In
	src := "stdin"
	if arg != "-" {
		f, err := openInput("bad_file", "", arg)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		r, src = f, arg
	}
	data, err := io.ReadAll(io.LimitReader(r, setupfile.MaxFileSize+1))
	if err != nil && r == a.In {
		return nil, "", stdinError("bad_file", err)
	}
	if err != nil {
		return nil, "", usagef("bad_file", fmt.Sprintf("cannot read %s: %v", src, err))
	}
	if len(data) > setupfile.MaxFileSize {
		return nil, "", usagef("bad_setup", fmt.Sprintf("%s is larger than %d KiB: not a setup file", src, setupfile.MaxFileSize>>10))
	}
	return data, src, nil
}

// readSetupFile reads a multisig setup from FILE (or stdin for - when stdinOK) for a wallet
// on the --network: an encrypted BSMS record opened with the TOKEN in tokenFile, a BSMS
// record's first address checked. The wallet package does the reading; this only fetches the
// bytes.
func (a *App) readSetupFile(file, tokenFile string, stdinOK bool) (*setupfile.Setup, error) {
	if file == "-" && !stdinOK {
		return nil, usagef("usage", "the seed words come on stdin here: give the setup as a FILE, not -")
	}
	data, src, err := a.readSetupInput(file)
	if err != nil {
		return nil, err
	}
	var token []byte
	if tokenFile != "" {
		if !setupfile.IsEncryptedBSMS(data) {
			return nil, usagef("usage", "--token-file is for encrypted BSMS records: "+src+" is not one")
		}
		if token, err = readTokenFile(tokenFile); err != nil {
			return nil, err
		}
	}
	_, s, err := wallet.ReadSetup(data, token, a.flags.network)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	return s, nil
}
