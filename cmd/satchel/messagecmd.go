package main

import (
	"errors"
	"fmt"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/message"
)

type signMessageJSON struct {
	Address   string `json:"address"`
	Path      string `json:"path"`
	Message   string `json:"message"`
	Signature string `json:"signature"`
	Format    string `json:"format"`
}

type verifyMessageJSON struct {
	Valid    bool          `json:"valid"`
	Address  string        `json:"address"`
	Format   string        `json:"format,omitempty"`
	Reason   string        `json:"reason,omitempty"`
	TimeLock *timeLockJSON `json:"time_lock,omitempty"`
}

// timeLockJSON is a full signature's time lock: valid only from a block or time, and only once
// the signed coin has aged (BIP322's "valid at time T and age S").
type timeLockJSON struct {
	LockTime    uint32 `json:"locktime"`
	Sequence    uint32 `json:"sequence"`
	Description string `json:"description"`
}

// describeTimeLock says in words what a full signature's locktime and sequence ask, or "" when
// they ask nothing.
func describeTimeLock(tl message.TimeLock) string {
	var parts []string
	if tl.LockTime != 0 && tl.Sequence != wire.MaxTxInSequenceNum {
		if tl.LockTime < txscript.LockTimeThreshold {
			parts = append(parts, fmt.Sprintf("from block %s", groupDigits(int64(tl.LockTime))))
		} else {
			parts = append(parts, "from "+time.Unix(int64(tl.LockTime), 0).UTC().Format(time.RFC3339))
		}
	}
	if tl.Version >= 2 && tl.Sequence&wire.SequenceLockTimeDisabled == 0 {
		if n := tl.Sequence & wire.SequenceLockTimeMask; n != 0 {
			if tl.Sequence&wire.SequenceLockTimeIsSeconds != 0 {
				parts = append(parts, fmt.Sprintf("once the signed coin is %s old", time.Duration(n)*512*time.Second))
			} else {
				parts = append(parts, count(int(n), "block", "blocks")+" after the signed coin confirms")
			}
		}
	}
	return strings.Join(parts, ", ")
}

// signatureFormat names the kind of signature satchel makes for an address.
func signatureFormat(t txbuilder.ScriptType) string {
	switch t {
	case txbuilder.P2PKH:
		return "legacy"
	case txbuilder.P2SHP2WPKH:
		return "bip322-full"
	}
	return "bip322-simple"
}

// givenFormat names the kind of a signature to verify: its BIP322 prefix, else what the
// address takes without one.
func givenFormat(sig string, t txbuilder.ScriptType) string {
	switch {
	case strings.HasPrefix(sig, "ful"):
		return "bip322-full"
	case strings.HasPrefix(sig, "pof"):
		return "bip322-proof-of-funds"
	case strings.HasPrefix(sig, "smp") || t != txbuilder.P2PKH:
		return "bip322-simple"
	}
	return "legacy"
}

func newSignMessageCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "sign-message ADDRESS MESSAGE",
		Short: "Sign a message with one of the wallet's addresses (BIP322, or legacy for 1... addresses)",
		Long: `Prove you control ADDRESS by signing MESSAGE with its key. ADDRESS must be one of this
wallet's own (from receive, or a change address). Native segwit (bc1q...) and taproot (bc1p...)
addresses get a BIP322 simple signature (starting "smp"); nested segwit (3...) addresses a BIP322
full signature (starting "ful"); legacy 1... addresses get the classic "Bitcoin Signed Message"
signature that Bitcoin Core's verifymessage checks. Needs the passphrase: the key is derived from the seed for this
signature only. The signature is checked before it is printed.`,
		Example: "  satchel sign-message bc1p... \"I own this address\"\n  satchel sign-message --json bc1q... \"$(cat statement.txt)\"",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			if err := needsSeed(w, "sign-message"); err != nil {
				return err
			}
			// A mistyped address is told as one, before asking whether it is the wallet's.
			if _, err := address.Decode(args[0], w.Net()); err != nil {
				return addressError(args[0], err)
			}
			own, err := w.MessageAddress(args[0])
			if err != nil {
				if isAddressDecodeError(err) {
					return addressError(args[0], err)
				}
				return err
			}
			var sig string
			err = a.withPassphrase(func(pass []byte) error {
				var err error
				sig, err = w.SignMessage(args[0], []byte(args[1]), pass, a.Keystore...)
				return err
			})
			if err != nil {
				return err
			}
			if a.flags.json {
				return a.printJSON(signMessageJSON{Address: own.Address, Path: own.Path, Message: args[1], Signature: sig,
					Format: signatureFormat(own.Type)})
			}
			fmt.Fprintln(a.Out, sig)
			return nil
		},
	}
}

func newVerifyMessageCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "verify-message ADDRESS SIGNATURE MESSAGE",
		Short: "Check a message signature for an address (no wallet needed)",
		Long: `Check that SIGNATURE signs MESSAGE for ADDRESS on --network: BIP322 simple signatures for
native segwit and taproot addresses (with the "smp" prefix, or without it as older tools wrote
them), BIP322 full signatures ("ful") for any address (multisig, scripts and time locks
included), legacy signatures for 1... addresses. Exit 0 when valid; 1 when not, with the reason.
Proof-of-funds signatures ("pof") and taproot script-path simple signatures cannot be checked
(exit 2). No wallet is opened.`,
		Example: "  satchel verify-message bc1q... smpAkcwRAIg... \"Hello World\"\n  satchel verify-message --network testnet mpLQ... INbVnW4e... \"This is just a test message\"",
		Args:    cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			net, err := wallet.NetworkParams(a.flags.network)
			if err != nil {
				return err
			}
			addr, sig, msg := args[0], strings.TrimSpace(args[1]), args[2]
			dec, err := address.Decode(addr, net)
			if err != nil {
				return addressError(addr, err)
			}
			out := verifyMessageJSON{Address: dec.String, Format: givenFormat(sig, dec.Type)}
			tl, err := message.VerifyTimeLock([]byte(msg), addr, sig, net)
			switch {
			case err == nil:
				out.Valid = true
				lock := describeTimeLock(tl)
				if lock != "" {
					out.TimeLock = &timeLockJSON{LockTime: tl.LockTime, Sequence: tl.Sequence, Description: lock}
				}
				if a.flags.json {
					return a.printJSON(out)
				}
				if lock != "" {
					fmt.Fprintf(a.Out, "Valid signature by %s, with a time lock: valid only %s.\n", out.Address, lock)
					return nil
				}
				fmt.Fprintf(a.Out, "Valid signature by %s.\n", out.Address)
				return nil
			case errors.Is(err, message.ErrInvalidSignature), errors.Is(err, message.ErrMalformedSignature):
				out.Reason = oneLine(err.Error())
				if a.flags.json {
					if err := a.printJSON(out); err != nil {
						return err
					}
				}
				code := "invalid_signature"
				if errors.Is(err, message.ErrMalformedSignature) {
					code = "malformed_signature"
				}
				return &codedError{exit: exitError, code: code, err: err}
			}
			return err
		},
	}
}
