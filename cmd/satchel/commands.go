package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// topCommand is one of satchel's top-level commands: its name and one-line help, which the
// root's help lists, and how to build it. Scripts call offline commands in loops, and building
// all thirty commands with their flags costs more than answering `balance --offline` from a
// 5,000-transaction wallet; so a command line builds only the command it names (see
// newRootCmdFor). TestTopCommandsAreTheTree keeps names, help and the built commands in step.
type topCommand struct {
	name   string
	short  string
	hidden bool
	// whole says the command reads the whole tree (gen-man writes a page for every command).
	whole bool
	build func(*App) *cobra.Command
}

// topCommands in the order the root adds them (the root's help sorts them by name).
var topCommands = [...]topCommand{
	{name: "create", short: "Make a new wallet with a fresh 12 or 24-word seed", build: newCreateCmd},
	{name: "restore", short: "Rebuild a wallet from its seed words, SLIP-39 shares or a backup file", build: newRestoreCmd},
	{name: "receive", short: "Hand out the next unused receive address", build: newReceiveCmd},
	{name: "info", short: "Show the wallet's network, type, descriptors and keystore settings (nothing secret)", build: newInfoCmd},
	{name: "seed", short: "Show or check the wallet's seed words", build: newSeedCmd},
	{name: "passphrase", short: "Change the passphrase that encrypts the seed", build: newPassphraseCmd},
	{name: "sync", short: "Bring the wallet up to date with the chain", build: newSyncCmd},
	{name: "balance", short: "Show confirmed, pending, immature and spendable amounts", build: newBalanceCmd},
	{name: "history", short: "List the wallet's transactions, newest first", build: newHistoryCmd},
	{name: "utxos", short: "List the wallet's coins, with what each costs to spend", build: newUtxosCmd},
	{name: "freeze", short: "Keep a coin from being spent automatically", build: func(a *App) *cobra.Command { return newFreezeCmd(a, true) }},
	{name: "unfreeze", short: "Let a frozen coin be spent again", build: func(a *App) *cobra.Command { return newFreezeCmd(a, false) }},
	{name: "label", short: "Label a transaction, address or coin", build: newLabelCmd},
	{name: "config", short: "Read and change settings, per wallet or for every wallet (--global)", build: newConfigCmd},
	{name: "send", short: "Pay one or more addresses, with an honest fee", build: newSendCmd},
	{name: "bump-fee", short: "Replace a stuck payment of ours with one paying a higher fee (RBF)", build: newBumpFeeCmd},
	{name: "abandon", short: "Give up a pending payment of ours: spend its coins back to the wallet at a higher fee", build: newAbandonCmd},
	{name: "consolidate", short: "Merge small coins into one while fees are low, when it saves money", build: newConsolidateCmd},
	{name: "tip", short: "Queue tips and pay them together when fees are low", build: newTipCmd},
	{name: "fees", short: "Show fee estimates and what a tip costs at each", build: newFeesCmd},
	{name: "dust", short: "Get rid of dust coins without linking them to your others", build: newDustCmd},
	{name: "cpfp", short: "Speed up a stuck incoming payment by spending it (child pays for parent)", build: newCPFPCmd},
	{name: "wait", short: "Block until a payment arrives or a transaction confirms", build: newWaitCmd},
	{name: "gen-man", short: "Write the man pages (section 1) into DIR", hidden: true, whole: true, build: newGenManCmd},
	{name: "version", short: "Print satchel's version and the commit it was built from", build: newVersionCmd},
	{name: "psbt", short: "Decode, sign, finalize and broadcast partially signed transactions (BIP174)", build: newPSBTCmd},
	{name: "backup", short: "Save the whole wallet (encrypted keystore, accounts, labels, settings) to one file", build: newBackupCmd},
	{name: "export", short: "Export descriptors (for Bitcoin Core and other wallets) or the account xpub", build: newExportCmd},
	{name: "labels", short: "Export or import labels and frozen coins as BIP329 JSON lines", build: newLabelsCmd},
	{name: "sign-message", short: "Sign a message with one of the wallet's addresses (BIP322, or legacy for 1... addresses)", build: newSignMessageCmd},
	{name: "verify-message", short: "Check a message signature for an address (no wallet needed)", build: newVerifyMessageCmd},
	{name: "setup", short: "Convert multisig setup files between coordinators (descriptor, BSMS, Caravan, Coldcard/Sparrow)", build: newSetupCmd},
}

// treeNeed is how much of the command tree a command line needs.
type treeNeed struct {
	// only is the one top-level command to build, or nil for all of them.
	only *topCommand
	// listing says the root's own help is all that is asked for: it needs each command's
	// name and one-line help, not the command.
	listing bool
}

// treeFor reads as much of args as it safely can to say which commands they need. Anything it
// does not fully understand (a flag the root does not have, a short flag, "--", a word that
// is no command, help, completion) needs the whole tree, so cobra answers exactly as it would
// with every command built. flags are the root's persistent flags, to tell a flag that takes a
// value (--wallet balance) from one that does not (--offline).
func treeFor(args []string, flags interface {
	takesValue(name string) (takes, known bool)
}) treeNeed {
	switch {
	case len(args) == 0, len(args) == 1 && (args[0] == "--help" || args[0] == "-h" || args[0] == "help"):
		return treeNeed{listing: true}
	}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" || arg == "-" || strings.HasPrefix(arg, "-") && !strings.HasPrefix(arg, "--") {
			return treeNeed{}
		}
		if name, ok := strings.CutPrefix(arg, "--"); ok {
			name, _, hasValue := strings.Cut(name, "=")
			takes, known := flags.takesValue(name)
			if !known {
				return treeNeed{}
			}
			if takes && !hasValue {
				i++ // the next word is this flag's value, not a command
			}
			continue
		}
		for j := range topCommands {
			if c := &topCommands[j]; c.name == arg && !c.whole {
				return treeNeed{only: c}
			}
		}
		return treeNeed{}
	}
	return treeNeed{}
}

// persistentFlags answers treeFor from the root's persistent flags.
type persistentFlags struct{ root *cobra.Command }

func (p persistentFlags) takesValue(name string) (takes, known bool) {
	f := p.root.PersistentFlags().Lookup(name)
	if f == nil {
		return false, false
	}
	return f.NoOptDefVal == "", true
}

// listingStub stands in for a top-level command in the root's help: the listing shows only a
// command's name and one-line help, and a stub costs nothing to make.
func listingStub(c *topCommand) *cobra.Command {
	return &cobra.Command{Use: c.name, Short: c.short, Hidden: c.hidden, Run: func(*cobra.Command, []string) {}}
}
