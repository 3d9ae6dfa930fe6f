package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/wallet"
)

// multisigFlags are create's and restore's flags for a multisig wallet the seed joins.
type multisigFlags struct {
	m         int
	cosigners []string
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

// options checks the flags and returns the multisig to make, or nil when none was asked.
func (mf *multisigFlags) options(cmd *cobra.Command) (*wallet.MultisigOptions, error) {
	f := cmd.Flags()
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
		return nil, usagef("bad_threshold", fmt.Sprintf("--multisig %d: the threshold must be 1 to %d (the seed's key and %d cosigners)", mf.m, len(mf.cosigners)+1, len(mf.cosigners)))
	}
	return &wallet.MultisigOptions{M: mf.m, Cosigners: mf.cosigners}, nil
}
