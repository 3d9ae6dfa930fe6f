package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/setupfile"
)

// multisigFlags are create's and restore's flags for a multisig wallet the seed joins.
type multisigFlags struct {
	m         int
	cosigners []string
	// setup and tokenFile are restore's --multisig-setup FILE and its --token-file.
	setup     string
	tokenFile string
}

// register adds --multisig and --cosigner and says what they do in the command's help.
func (mf *multisigFlags) register(c *cobra.Command, verb string) {
	f := c.Flags()
	f.IntVar(&mf.m, "multisig", 0, "make an M-of-N P2WSH multisig wallet: M signatures of the seed's key and the --cosigner keys")
	f.StringArrayVar(&mf.cosigners, "cosigner", nil, "with --multisig: another member's key [fingerprint/48h/COINh/0h/2h]xpub... (repeatable)")
	c.Long += fmt.Sprintf(`

--multisig M --cosigner KEY... %s a multisig wallet: P2WSH sortedmulti (BIP383, keys
sorted per BIP67), M signatures of N keys, N up to 15. The seed is one of the keys, at its BIP48
path m/48h/COINh/0h/2h (what satchel export xpub --multisig prints); each --cosigner is another
member's key as [fingerprint/path]xpub (tpub on test networks). send then writes a PSBT signed by
this seed's key for the others to sign (satchel psbt sign, psbt combine, psbt broadcast).`, verb)
	c.Example += "\n  satchel " + c.Name() + " --multisig 2 --cosigner '[0badf00d/48h/1h/0h/2h]tpub...' --cosigner '[deadbeef/48h/1h/0h/2h]tpub...'"
}

// registerSetup adds restore's --multisig-setup FILE and --token-file.
func (mf *multisigFlags) registerSetup(c *cobra.Command) {
	f := c.Flags()
	f.StringVar(&mf.setup, "multisig-setup", "", "restore a member of the multisig FILE describes (descriptor, BSMS, Caravan or Coldcard file): M and the cosigners come from it")
	f.StringVar(&mf.tokenFile, "token-file", "", "with --multisig-setup: the TOKEN (hex or decimal, first line of FILE) of an encrypted BSMS record")
	c.Long += `

--multisig-setup FILE restores a member of the multisig a setup file describes: a descriptor, a
BIP129 BSMS record (its first address is checked; an encrypted one needs --token-file), a
Caravan JSON file or a Coldcard/Sparrow multisig file, as satchel export setup writes them. M and
the cosigners come from the file, so --multisig and --cosigner are not given. The seed's BIP48
key (m/48h/COINh/0h/2h) must be one of the file's keys, with the seed's fingerprint and that path:
otherwise nothing is written and restore exits 2 (not_a_member).`
	c.Example += "\n  satchel restore --multisig-setup vault-coldcard.txt --mnemonic-file words.txt"
}

// options checks the flags and returns the multisig to make, or nil when none was asked.
func (mf *multisigFlags) options(a *App, cmd *cobra.Command) (*wallet.MultisigOptions, error) {
	f := cmd.Flags()
	if mf.setup != "" || f.Changed("multisig-setup") {
		return mf.setupOptions(a, cmd)
	}
	if mf.tokenFile != "" {
		return nil, usagef("usage", "--token-file goes with --multisig-setup FILE (an encrypted BSMS record)")
	}
	if !f.Changed("multisig") {
		if len(mf.cosigners) > 0 {
			return nil, usagef("multisig_needed", "--cosigner joins a multisig: add --multisig M (how many signatures spend)")
		}
		return nil, nil
	}
	for _, name := range []string{"type", "shamir", "watch-only", "birthday"} {
		if f.Lookup(name) != nil && f.Changed(name) {
			return nil, usagef("bad_flag", fmt.Sprintf("--%s does not go with --multisig (a coordinator without a key: create --watch-only --descriptor 'wsh(sortedmulti(...))')", name))
		}
	}
	if len(mf.cosigners) == 0 {
		return nil, usagef("no_cosigners", "--multisig needs the other members' keys: --cosigner [fingerprint/48h/COINh/0h/2h]xpub... for each")
	}
	if mf.m < 1 || mf.m > len(mf.cosigners)+1 {
		return nil, usagef("bad_threshold", fmt.Sprintf("--multisig %d: the threshold must be 1 to %d (the seed's key and %s)", mf.m, len(mf.cosigners)+1, count(len(mf.cosigners), "cosigner", "cosigners")))
	}
	o := &wallet.MultisigOptions{M: mf.m, Cosigners: mf.cosigners}
	// The keys are read now, before the passphrase is asked and new seed words are shown.
	if err := o.Check(a.flags.network); err != nil {
		return nil, err
	}
	// A key without its origin is accepted (some coordinators hand out bare xpubs), but a
	// PSBT cannot then name its master key and hardware signers may refuse it: say so now.
	for i, k := range mf.cosigners {
		if !strings.HasPrefix(strings.TrimSpace(k), "[") {
			a.warn("cosigner_no_origin", fmt.Sprintf("--cosigner #%d has no origin [fingerprint/path]: PSBTs cannot name that member's master key, and hardware signers may refuse to sign; best give the key as satchel export xpub --multisig prints it", i+1))
		}
	}
	return o, nil
}

// setupOptions reads --multisig-setup: the whole multisig comes from the file.
func (mf *multisigFlags) setupOptions(a *App, cmd *cobra.Command) (*wallet.MultisigOptions, error) {
	f := cmd.Flags()
	for _, name := range []string{"multisig", "cosigner"} {
		if f.Changed(name) {
			return nil, usagef("bad_flag", fmt.Sprintf("--%s: the setup file gives M and the cosigners; leave it out", name))
		}
	}
	for _, name := range []string{"type", "shamir", "from-backup", "birthday"} {
		if f.Lookup(name) != nil && f.Changed(name) {
			return nil, usagef("bad_flag", fmt.Sprintf("--%s does not go with --multisig-setup", name))
		}
	}
	s, err := a.readSetupFile(mf.setup, mf.tokenFile, false)
	if err != nil {
		return nil, err
	}
	// Its summary is shown once the wallet is made (restore calls showSetup): a restore refused
	// for a wallet that exists or a seed that is not a member says only why.
	return &wallet.MultisigOptions{Setup: s}, nil
}

// showSetup says on stderr what a setup file makes: M of N and
// the keys' fingerprints, and a warning when any one key spends alone (a hostile file's
// threshold of 1 beside a foreign key).
func (a *App) showSetup(s *setupfile.Setup) {
	summary, warning := wallet.SetupSummary(s)
	if !a.flags.json {
		fmt.Fprintf(a.Err, "multisig setup: %s\n", summary)
	}
	if warning != "" {
		a.warn("one_key_spends", warning)
	}
}
