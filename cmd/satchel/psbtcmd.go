package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/btcsuite/btcd/wire/v2"
	"github.com/satchel-wallet/satchel/internal/atomicfile"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// psbtErr gives PSBT errors their exit code (2: the PSBT given is wrong or not ready) and a
// stable JSON code.
func psbtErr(err error) error {
	var ce *codedError
	switch {
	case err == nil || errors.As(err, &ce):
		return err
	case errors.Is(err, txbuilder.ErrInvalidPSBT):
		return &codedError{exit: exitUsage, code: "bad_psbt", err: err}
	case errors.Is(err, wallet.ErrChangeNotOurs):
		return &codedError{exit: exitUsage, code: "change_not_ours", err: err}
	case errors.Is(err, txbuilder.ErrPSBTRefused):
		return &codedError{exit: exitUsage, code: "psbt_refused", err: err}
	case errors.Is(err, txbuilder.ErrPSBTIncomplete):
		return &codedError{exit: exitUsage, code: "psbt_incomplete", err: err}
	case errors.Is(err, wallet.ErrNothingToSign):
		return &codedError{exit: exitUsage, code: "nothing_to_sign", err: err}
	case errors.Is(err, keys.ErrWatchOnly):
		return &codedError{exit: exitUsage, code: "watch_only", err: err}
	}
	return err
}

// readPSBT reads a PSBT from FILE, or stdin for "-": binary, base64 or hex. When no file of
// that name exists and the argument itself starts like a base64 or hex PSBT, the argument is
// the PSBT: people paste what another wallet showed them where a file name goes.
func (a *App) readPSBT(arg string) (*psbt.Packet, error) {
	var data []byte
	var err error
	if arg == "-" {
		data, err = io.ReadAll(io.LimitReader(a.In, txbuilder.MaxPSBTSize+1))
	} else {
		data, err = readBounded(arg, txbuilder.MaxPSBTSize)
		if err != nil && pastedPSBT(arg) && len(arg) <= 2*txbuilder.MaxPSBTSize {
			// Not there (a long text is also too long a name, and base64 has slashes).
			if _, serr := os.Lstat(arg); serr != nil && !errors.Is(serr, fs.ErrPermission) {
				data, err = []byte(arg), nil
			}
		}
		if errors.Is(err, errTooLarge) {
			return nil, psbtErr(fmt.Errorf("%w: %s is larger than %d MiB", txbuilder.ErrInvalidPSBT, arg, txbuilder.MaxPSBTSize>>20))
		}
	}
	if err != nil {
		if arg != "-" {
			return nil, fileError(arg, err)
		}
		return nil, stdinError("bad_psbt_file", err)
	}
	p, err := txbuilder.DecodePSBT(data)
	return p, psbtErr(err)
}

// writePSBT puts a PSBT in FILE (binary, BIP174's file format, written atomically) or returns
// its base64 for stdout. An existing FILE is replaced only when it holds a PSBT (signing in
// place); anything else there, or a FILE inside the data folder, is refused.
func (a *App) writePSBT(p *psbt.Packet, file string) (b64 string, err error) {
	if file == "" {
		return txbuilder.EncodePSBTBase64(p)
	}
	path, err := a.checkPSBTOut(file)
	if err != nil {
		return "", err
	}
	b, err := txbuilder.EncodePSBT(p)
	if err != nil {
		return "", err
	}
	if err := atomicfile.Write(path, b, 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", file, err)
	}
	return "", nil
}

// checkPSBTOut checks an --out or --psbt-out FILE before any work is done (writePSBT checks it
// again): not in the data folder, a plain file, and, when it exists, a PSBT.
func (a *App) checkPSBTOut(file string) (string, error) {
	path, err := a.checkOutPath(file)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(path); err == nil {
		head := make([]byte, 64)
		n := 0
		if fi.Mode().IsRegular() {
			if f, err := os.Open(path); err == nil {
				n, _ = io.ReadFull(f, head)
				f.Close()
			}
		}
		if fi.Size() > 0 && !looksLikePSBT(head[:n]) { // an empty file (mktemp) holds nothing to lose
			return "", usagef("file_exists", fmt.Sprintf("%s exists and is not a PSBT file: choose another --out file", path))
		}
	}
	return path, nil
}

// psbtDialLimit bounds the connection to the backend psbt broadcast makes (a variable for tests).
var psbtDialLimit = 2 * time.Minute

// pastedPSBT says whether a FILE argument is a PSBT's base64 or hex text: it starts like one
// and holds only the characters of its encoding (and spaces or line breaks, as a copied block
// may). A missing file whose name merely starts that way (cHNidP.psbt) is a missing file.
func pastedPSBT(arg string) bool {
	var alphabet string
	switch {
	case strings.HasPrefix(arg, "cHNidP"):
		alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
	case strings.HasPrefix(arg, "70736274ff"):
		alphabet = "0123456789abcdefABCDEF"
	default:
		return false
	}
	for _, r := range arg {
		if !strings.ContainsRune(alphabet, r) && !strings.ContainsRune(" \t\r\n", r) {
			return false
		}
	}
	return true
}

// looksLikePSBT says whether data starts like a PSBT in any of the forms satchel reads:
// binary, base64 or hex.
func looksLikePSBT(data []byte) bool {
	data = bytes.TrimSpace(data)
	for _, magic := range [][]byte{[]byte("psbt\xff"), []byte("cHNidP"), []byte("70736274ff")} {
		if bytes.HasPrefix(data, magic) {
			return true
		}
	}
	return false
}

// psbtResultJSON is what sign and finalize print under --json, and send on a watch-only
// wallet adds to its plan.
type psbtResultJSON struct {
	PSBT         string `json:"psbt,omitempty"`
	File         string `json:"file,omitempty"`
	SignedInputs []int  `json:"signed_inputs,omitempty"`
	Complete     bool   `json:"complete"`
	TxID         string `json:"txid,omitempty"`
	Hex          string `json:"hex,omitempty"`
}

// printPSBTResult prints base64 on stdout (or where the file went), or the JSON object.
func (a *App) printPSBTResult(r psbtResultJSON) error {
	if a.flags.json {
		return a.printJSON(r)
	}
	if r.File != "" {
		fmt.Fprintf(a.Err, "wrote %s\n", r.File)
		return nil
	}
	fmt.Fprintln(a.Out, r.PSBT)
	return nil
}

// withPSBT adds the PSBT (psbt, or psbt_file when it went to a file) to a plan object, so a
// watch-only send prints the plan every transaction-building command prints, plus the PSBT.
func withPSBT(plan any, b64, file string) (json.RawMessage, error) {
	raw, err := json.Marshal(plan)
	if err != nil {
		return nil, err
	}
	raw = []byte(strings.TrimSpace(string(raw)))
	if len(raw) < 2 || raw[len(raw)-1] != '}' {
		return nil, fmt.Errorf("plan is not a JSON object")
	}
	key, val := "psbt", b64
	if file != "" {
		key, val = "psbt_file", file
	}
	v, err := json.Marshal(val)
	if err != nil {
		return nil, err
	}
	sep := ","
	if string(raw) == "{}" {
		sep = ""
	}
	out := append(raw[:len(raw)-1:len(raw)-1], []byte(sep+`"`+key+`":`)...)
	out = append(out, v...)
	return append(out, '}'), nil
}

// writeUnsignedPSBT ends a send from a watch-only wallet: the plan is shown as for any send
// and the unsigned PSBT goes to --psbt-out or stdout. Nothing is signed or broadcast; the
// pipeline reserved its coins (kept out of automatic selection) for ReserveFor, or until psbt
// abandon.
func (a *App) writeUnsignedPSBT(p *psbt.Packet, out planJSON, show func(planJSON) any) error {
	b64, err := a.writePSBT(p, a.psbtOut)
	if err != nil {
		return err
	}
	if a.flags.json {
		for _, warn := range out.Warnings {
			a.warn("high_fee", warn)
		}
		merged, err := withPSBT(show(out), b64, a.psbtOut)
		if err != nil {
			return err
		}
		return a.printJSON(merged)
	}
	a.printPlanText(out, "unsigned transaction (watch-only wallet: nothing is signed or sent)")
	fmt.Fprintln(a.Err, "sign it with the wallet that holds the keys (satchel psbt sign, a hardware wallet, Electrum...),")
	fmt.Fprintln(a.Err, "then send it with: satchel psbt broadcast FILE")
	return a.printPSBTResult(psbtResultJSON{PSBT: b64, File: a.psbtOut})
}

// writeMultisigPSBT hands out a multisig payment signed by this wallet's key, as
// writeUnsignedPSBT does for watch-only wallets, saying how many signatures are still needed.
func (a *App) writeMultisigPSBT(p *psbt.Packet, out planJSON, show func(planJSON) any) error {
	b64, err := a.writePSBT(p, a.psbtOut)
	if err != nil {
		return err
	}
	if a.flags.json {
		for _, warn := range out.Warnings {
			a.warn("high_fee", warn)
		}
		merged, err := withPSBT(show(out), b64, a.psbtOut)
		if err != nil {
			return err
		}
		// How many cosigners must still sign, for scripts passing the PSBT on.
		need := fmt.Sprintf(`,"signatures_missing":%d}`, wallet.SignaturesMissing(p))
		merged = append(merged[:len(merged)-1:len(merged)-1], need...)
		return a.printJSON(merged)
	}
	a.printPlanText(out, "multisig transaction, signed by this wallet's key (nothing is sent yet)")
	if need := wallet.SignaturesMissing(p); need > 0 {
		fmt.Fprintf(a.Err, "%s: have the other cosigners sign it (satchel psbt sign, a hardware signer...),\n", signaturesNeeded(need))
	}
	fmt.Fprintln(a.Err, "then send it with: satchel psbt broadcast FILE (or combine copies signed apart: satchel psbt combine)")
	return a.printPSBTResult(psbtResultJSON{PSBT: b64, File: a.psbtOut})
}

// signaturesNeeded says "1 more signature needed" or "2 more signatures needed".
func signaturesNeeded(n int) string {
	if n == 1 {
		return "1 more signature needed"
	}
	return fmt.Sprintf("%d more signatures needed", n)
}

func newPSBTCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "psbt",
		Short: "Decode, sign, finalize and broadcast partially signed transactions (BIP174)",
		Long: `Work with PSBTs (BIP174, with BIP371 taproot fields), the format wallets and hardware signers
pass unsigned and partly signed transactions in. Each command reads a FILE, or stdin for -,
holding the PSBT as binary, base64 or hex; base64 or hex pasted in place of FILE is read too.
PSBTs are written as base64 on stdout, or in binary to --out FILE.`,
		Example: "  satchel psbt decode tx.psbt\n  satchel psbt sign tx.psbt --out signed.psbt\n  satchel psbt broadcast signed.psbt",
	}
	c.AddCommand(newPSBTDecodeCmd(a), newPSBTSignCmd(a), newPSBTCombineCmd(a), newPSBTFinalizeCmd(a), newPSBTBroadcastCmd(a), newPSBTAbandonCmd(a),
		newPSBTShowCmd(a), newPSBTImportCmd(a))
	return c
}

func newPSBTDecodeCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "decode FILE|-",
		Short: "Show what a PSBT spends, whom it pays, its fee and what it still needs",
		Long: `Show a PSBT in words: each input (outpoint, amount when the PSBT says it, address, type,
signing state), each output (address, amount), the fee and fee rate (when every input's amount
is known; the size is estimated with the largest signatures until the inputs are final), and
what is missing (input data, signatures, finalization) with the role needed next.

It needs no wallet. When --wallet names one (or the default wallet exists) it also says which
inputs and outputs are the wallet's, which output is its change, and warns of an output that
claims the wallet's key but does not pay it. An invalid PSBT exits 2 with the reason.

` + exitStatusHelp,
		Example: "  satchel psbt decode tx.psbt\n  satchel psbt decode - --json < tx.psbt.b64\n  satchel psbt decode tx.psbt --wallet cold --network regtest",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := a.readPSBT(args[0])
			if err != nil {
				return err
			}
			w, err := a.decodeWallet(cmd)
			if err != nil {
				return err
			}
			var s *wallet.PSBTSummary
			if w != nil {
				defer w.Close()
				if s, err = w.AnalyzePSBT(p); err != nil {
					return err
				}
			} else {
				net, err := wallet.NetworkParams(a.flags.network)
				if err != nil {
					return err
				}
				s = wallet.AnalyzePSBT(p, net)
			}
			out := a.psbtSummaryOut(s, w != nil)
			if a.flags.json {
				return a.printJSON(out)
			}
			a.printPSBTSummary(a.Out, out)
			return nil
		},
	}
}

// decodeWallet opens the wallet psbt decode looks things up in: the one named by --wallet or
// SATCHEL_WALLET, which must exist, or else the default wallet when there is one.
func (a *App) decodeWallet(cmd *cobra.Command) (*wallet.Wallet, error) {
	named := cmd.Flags().Changed("wallet") || a.Getenv("SATCHEL_WALLET") != ""
	if !named {
		dir, err := a.walletDir()
		if err != nil {
			return nil, nil
		}
		if _, err := os.Stat(dir); err != nil {
			return nil, nil
		}
	}
	return a.openWallet(true)
}

type psbtInputJSON struct {
	Index    int      `json:"index"`
	OutPoint string   `json:"outpoint"`
	Value    *int64   `json:"value_sat"`
	Address  string   `json:"address,omitempty"`
	Type     string   `json:"type,omitempty"`
	Ours     *bool    `json:"ours,omitempty"`
	Path     string   `json:"path,omitempty"`
	Status   string   `json:"status"`
	Missing  []string `json:"missing"`
	// Multisig says who signed a multisig input: fingerprints of the cosigners' keys.
	Multisig *psbtMultisigJSON `json:"multisig,omitempty"`
}

type psbtMultisigJSON struct {
	M                 int      `json:"m"`
	N                 int      `json:"n"`
	Signed            []string `json:"signed"`
	Unsigned          []string `json:"unsigned"`
	SignaturesMissing int      `json:"signatures_missing"`
}

type psbtOutputJSON struct {
	Index   int    `json:"index"`
	Address string `json:"address,omitempty"`
	Value   int64  `json:"value_sat"`
	Ours    *bool  `json:"ours,omitempty"`
	Change  *bool  `json:"change,omitempty"`
	Path    string `json:"path,omitempty"`
}

// psbtSummaryJSON is what psbt decode prints.
type psbtSummaryJSON struct {
	TxID           string           `json:"txid"`
	Version        int32            `json:"version"`
	LockTime       uint32           `json:"locktime"`
	Inputs         []psbtInputJSON  `json:"inputs"`
	Outputs        []psbtOutputJSON `json:"outputs"`
	Fee            *int64           `json:"fee_sat"`
	VSize          *int64           `json:"vsize"`
	VSizeEstimated bool             `json:"vsize_estimated"`
	FeeRate        *json.Number     `json:"fee_rate"`
	Complete       bool             `json:"complete"`
	Next           string           `json:"next"`
	Wallet         string           `json:"wallet,omitempty"`
	Spent          *int64           `json:"wallet_spent_sat,omitempty"`
	Received       *int64           `json:"wallet_received_sat,omitempty"`
	Net            *int64           `json:"wallet_net_sat,omitempty"`
	Warnings       []string         `json:"warnings,omitempty"`
}

func ptr[T any](v T) *T { return &v }

func (a *App) psbtSummaryOut(s *wallet.PSBTSummary, withWallet bool) psbtSummaryJSON {
	out := psbtSummaryJSON{TxID: s.TxID.String(), Version: s.Version, LockTime: s.LockTime, Complete: s.Complete,
		Next: s.Next, Warnings: s.Warnings, Inputs: []psbtInputJSON{}, Outputs: []psbtOutputJSON{}}
	for _, in := range s.Inputs {
		j := psbtInputJSON{Index: in.Index, OutPoint: in.OutPoint, Address: in.Address, Path: in.Path,
			Status: in.Status, Missing: in.Missing}
		if j.Missing == nil {
			j.Missing = []string{}
		}
		if in.ValueKnown {
			j.Value = ptr(int64(in.Value))
		}
		if in.Type != txbuilder.ScriptUnknown {
			j.Type = in.Type.String()
		}
		if withWallet {
			j.Ours = ptr(in.Ours)
		}
		if ms := in.Multisig; ms != nil {
			j.Multisig = &psbtMultisigJSON{M: ms.M, N: ms.N, Signed: ms.Signed, Unsigned: ms.Unsigned, SignaturesMissing: ms.Missing}
		}
		out.Inputs = append(out.Inputs, j)
	}
	for _, o := range s.Outputs {
		j := psbtOutputJSON{Index: o.Index, Address: o.Address, Value: int64(o.Value), Path: o.Path}
		if withWallet {
			j.Ours, j.Change = ptr(o.Ours), ptr(o.Change)
		}
		out.Outputs = append(out.Outputs, j)
	}
	if s.FeeKnown {
		out.Fee = ptr(int64(s.Fee))
	}
	if s.VSizeKnown {
		out.VSize, out.VSizeEstimated = ptr(s.VSize), !s.VSizeExact
	}
	if r, ok := s.FeeRate(); ok {
		out.FeeRate = ptr(json.Number(r.String()))
	}
	if withWallet {
		out.Wallet = a.flags.wallet
		out.Spent, out.Received = ptr(int64(s.Spent)), ptr(int64(s.Received))
		out.Net = ptr(int64(s.Received - s.Spent))
	}
	return out
}

// printPSBTSummary writes a decoded PSBT for people.
func (a *App) printPSBTSummary(w io.Writer, s psbtSummaryJSON) {
	fmt.Fprintf(w, "PSBT for transaction %s (version %d, locktime %d)\n", s.TxID, s.Version, s.LockTime)
	fmt.Fprintf(w, "inputs (%d):\n", len(s.Inputs))
	for _, in := range s.Inputs {
		value := "amount unknown"
		if in.Value != nil {
			value = a.fmtAmount(*in.Value)
		}
		// Numbered from 1 for people (--json keeps BIP174's index from 0).
		line := fmt.Sprintf("  %d  %s  %s", in.Index+1, in.OutPoint, value)
		if in.Address != "" {
			line += "  " + in.Address
		}
		if in.Type != "" {
			line += " (" + in.Type + ")"
		}
		if in.Ours != nil && *in.Ours {
			line += "  ours " + in.Path
		}
		line += "  " + in.Status
		if len(in.Missing) > 0 {
			line += ", needs " + strings.Join(in.Missing, ", ")
		}
		fmt.Fprintln(w, line)
		if ms := in.Multisig; ms != nil {
			signed, unsigned := strings.Join(ms.Signed, ", "), strings.Join(ms.Unsigned, ", ")
			if signed == "" {
				signed = "nobody"
			}
			if unsigned == "" {
				unsigned = "nobody"
			}
			need := "enough signatures"
			if ms.SignaturesMissing > 0 {
				need = signaturesNeeded(ms.SignaturesMissing)
			}
			fmt.Fprintf(w, "     %d-of-%d multisig: signed by %s; not by %s (%s)\n", ms.M, ms.N, signed, unsigned, need)
		}
	}
	fmt.Fprintf(w, "outputs (%d):\n", len(s.Outputs))
	for _, o := range s.Outputs {
		addr := o.Address
		if addr == "" {
			addr = "(no address)"
		}
		line := fmt.Sprintf("  %d  %s  %s", o.Index+1, a.fmtAmount(o.Value), addr)
		switch {
		case o.Change != nil && *o.Change:
			line += "  change, ours " + o.Path
		case o.Ours != nil && *o.Ours:
			line += "  ours " + o.Path
		}
		fmt.Fprintln(w, line)
	}
	switch {
	case s.Fee == nil:
		fmt.Fprintln(w, "fee:     unknown (an input does not say its amount)")
	case s.FeeRate != nil:
		approx := ""
		if s.VSizeEstimated {
			approx = "about "
		}
		fmt.Fprintf(w, "fee:     %s (%s sat/vB on %s%s vB)\n", a.fmtAmount(*s.Fee), *s.FeeRate, approx, groupDigits(*s.VSize))
	default:
		fmt.Fprintf(w, "fee:     %s\n", a.fmtAmount(*s.Fee))
	}
	if s.Net != nil {
		fmt.Fprintf(w, "wallet:  %s spends %s, receives %s (net %s)\n", s.Wallet, a.fmtAmount(*s.Spent), a.fmtAmount(*s.Received), a.fmtAmount(*s.Net))
	}
	if s.Complete {
		fmt.Fprintln(w, "status:  complete: ready to broadcast")
	} else {
		fmt.Fprintf(w, "status:  incomplete; next: %s\n", s.Next)
	}
	for _, warn := range s.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
}

func newPSBTSignCmd(a *App) *cobra.Command {
	var out string
	var gf guardFlags
	c := &cobra.Command{
		Use:   "sign FILE|-",
		Short: "Sign the wallet's inputs of a PSBT, after showing what it pays",
		Long: `Sign the inputs of a PSBT that are this wallet's (P2WPKH, P2TR key path, P2SH-P2WPKH, P2PKH,
and for a multisig member its key's signature of each P2WSH multisig input), with the
passphrase. A multisig "change" output counts as the wallet's only when it pays this multisig
with all of its keys; one with a foreign key is refused like any false change. Before the passphrase is asked you see what the PSBT pays and to whom, the
fee, and which outputs come back to the wallet; on a terminal you answer y/N, without one
nothing is signed without --yes.

A PSBT is refused (exit 2, nothing signed) when: its inputs contradict themselves (BIP174's
signer checks: a witness_utxo for a non-segwit output, a witness_utxo that disagrees with the
previous transaction beside it, redeem or witness scripts that do not match); an output claims
to derive from the wallet's key but does not pay it; an output pays one of the wallet's own
addresses past where sync looks (the last used or handed-out index plus the gap limit), where
the money would not be seen; or the amount of one of the wallet's
segwit v0 or legacy inputs cannot be checked, neither by the previous transaction in the PSBT
nor by the wallet's own record (a signer that trusts a bare witness_utxo can be tricked into
paying a huge fee; P2TR signatures commit to every amount, so witness_utxo is enough there).
Change outputs are derived from the seed and compared before signing. Only SIGHASH_ALL (and
SIGHASH_DEFAULT for taproot) is signed.

The signed PSBT goes to stdout as base64, or in binary to --out FILE. It is not finalized:
satchel psbt broadcast does that.

` + exitStatusHelp,
		Example: "  satchel psbt sign unsigned.psbt --out signed.psbt\n  satchel psbt sign - --yes --json < unsigned.b64",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			guard, err := gf.guard()
			if err != nil {
				return err
			}
			if out != "" {
				if _, err := a.checkPSBTOut(out); err != nil {
					return err
				}
			}
			p, err := a.readPSBT(args[0])
			if err != nil {
				return err
			}
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			res, err := w.SignPSBTPayment(p, guard, func(s *wallet.PSBTSummary, signing []int, warnings []string) error {
				summary := a.psbtSummaryOut(s, true)
				summary.Warnings = append(summary.Warnings, warnings...)
				// People see what they sign; under --json too when they are asked y/N.
				if !a.flags.json || (a.canPrompt() && !a.flags.yes) {
					a.printPSBTSummary(a.Err, summary)
					// Numbered from 1, as the inputs list above numbers them.
					fmt.Fprintf(a.Err, "signing %s of wallet %s\n", txbuilder.InputList(signing), a.flags.wallet)
				} else {
					for _, warn := range summary.Warnings {
						a.warn("psbt", warn)
					}
				}
				return a.confirm("Sign?")
			}, a.withPassphrase, a.Keystore...)
			if err != nil {
				return psbtErr(planErr(err))
			}
			b64, err := a.writePSBT(p, out)
			if err != nil {
				return err
			}
			return a.printPSBTResult(psbtResultJSON{PSBT: b64, File: out, SignedInputs: res.Signed, Complete: res.Complete})
		},
	}
	c.Flags().StringVar(&out, "out", "", "write the signed PSBT to FILE (binary) instead of base64 on stdout")
	gf.register(c)
	return c
}

func newPSBTFinalizeCmd(a *App) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "finalize FILE|-",
		Short: "Turn a fully signed PSBT's signatures into its final scripts",
		Long: `Finalize every input of a PSBT (BIP174's finalizer): the signatures become the final scriptSig
and witness, each checked by the script engine when the PSBT says what every input spends. It
needs no wallet. When an input still lacks signatures nothing is written and it exits 2 naming
the inputs. The finalized PSBT goes to stdout as base64, or in binary to --out FILE; --json
adds the network transaction (hex) and its txid.

` + exitStatusHelp,
		Example: "  satchel psbt finalize signed.psbt --out final.psbt\n  satchel psbt finalize signed.psbt --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := a.readPSBT(args[0])
			if err != nil {
				return err
			}
			pending, err := txbuilder.FinalizePSBT(p)
			if err != nil {
				return psbtErr(err)
			}
			if len(pending) > 0 {
				return psbtErr(wallet.IncompleteError(p, pending))
			}
			tx, err := txbuilder.ExtractPSBT(p)
			if err != nil {
				return psbtErr(err)
			}
			b64, err := a.writePSBT(p, out)
			if err != nil {
				return err
			}
			r := psbtResultJSON{PSBT: b64, File: out, Complete: true}
			if a.flags.json {
				var buf strings.Builder
				if err := tx.Serialize(hex.NewEncoder(&buf)); err != nil {
					return err
				}
				r.TxID, r.Hex = tx.TxHash().String(), buf.String()
			}
			return a.printPSBTResult(r)
		},
	}
	c.Flags().StringVar(&out, "out", "", "write the finalized PSBT to FILE (binary) instead of base64 on stdout")
	return c
}

type psbtBroadcastJSON struct {
	TxID    string       `json:"txid"`
	Fee     *int64       `json:"fee_sat"`
	VSize   int64        `json:"vsize"`
	FeeRate *json.Number `json:"fee_rate"`
}

func newPSBTBroadcastCmd(a *App) *cobra.Command {
	var label string
	c := &cobra.Command{
		Use:   "broadcast FILE|-",
		Short: "Finalize a signed PSBT if needed and send its transaction",
		Long: `Finalize a signed PSBT when needed, extract its transaction, check it (script engine, a fee
rate of at most 1,000 sat/vB) and send it through the wallet's backend. A transaction that
spends or pays the wallet is recorded at once, as send does: history shows it as pending and
its coins are not chosen again. Works with watch-only wallets. Asks before sending on a
terminal (the outputs and fee are shown); elsewhere it needs --yes. A PSBT still missing
signatures exits 2; a refused broadcast exits 5.

` + exitStatusHelp,
		Example: "  satchel psbt broadcast signed.psbt\n  satchel psbt broadcast - --yes --json --label rent < signed.b64",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.flags.offline {
				return usagef("offline", "broadcast needs the network: drop --offline")
			}
			if err := checkLabelArg("--label", label); err != nil {
				return err
			}
			p, err := a.readPSBT(args[0])
			if err != nil {
				return err
			}
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			raw, err := a.backendURL(w)
			if err != nil {
				return err
			}
			if raw == "" {
				return usagef("no_backend", "broadcast needs a backend: give --backend URL, set SATCHEL_BACKEND, or run: satchel config set backend URL")
			}
			if !a.flags.yes && !a.canPrompt() {
				return usagef("confirmation_needed", "not a terminal: add --yes to confirm")
			}
			dctx, cancel := context.WithTimeout(cmd.Context(), psbtDialLimit)
			defer cancel()
			be, err := a.dial(dctx, w, raw)
			if err != nil {
				return err
			}
			defer be.Close()
			// Nothing goes out without consent: --yes, or a yes at the terminal after seeing
			// what the transaction pays. The dial's time limit does not run on while the
			// person reads: the wallet times the sending itself from the yes (a limit over
			// both made a slow reader's yes fail as "no answer in time", nothing sent).
			tx, id, err := w.BroadcastPSBTPayment(cmd.Context(), be, p, label, func(tx *wire.MsgTx, ours []bool) error {
				if a.flags.yes {
					return nil
				}
				a.printReadyTx(w, p, tx, ours)
				return a.confirm("Broadcast?")
			})
			if err != nil {
				return psbtErr(err)
			}
			out := psbtBroadcastJSON{TxID: id.String(), VSize: txbuilder.TxWeight(tx).VSize()}
			if fee, ok := txbuilder.PSBTFee(p); ok {
				out.Fee = ptr(int64(fee))
				out.FeeRate = ptr(effectiveRate(fee, out.VSize))
			}
			if a.flags.json {
				return a.printJSON(out)
			}
			if out.Fee != nil {
				fmt.Fprintf(a.Out, "sent %s: fee %s (%s sat/vB)\n", out.TxID, fmtSat(*out.Fee), *out.FeeRate)
			} else {
				fmt.Fprintf(a.Out, "sent %s\n", out.TxID)
			}
			return nil
		},
	}
	c.Flags().StringVar(&label, "label", "", "label the transaction")
	return c
}

// printReadyTx shows on stderr what a finished PSBT's transaction pays, before the question.
func (a *App) printReadyTx(w *wallet.Wallet, p *psbt.Packet, tx *wire.MsgTx, ours []bool) {
	fmt.Fprintf(a.Err, "Transaction %s (%s vB):\n", tx.TxHash(), groupDigits(txbuilder.TxWeight(tx).VSize()))
	for i, o := range tx.TxOut {
		to := wallet.ScriptAddress(o.PkScript, w.Net())
		if to == "" {
			to = fmt.Sprintf("script %x", o.PkScript)
		}
		if ours[i] {
			to += " (this wallet)"
		}
		fmt.Fprintf(a.Err, "  pays %s to %s\n", a.fmtAmount(o.Value), to)
	}
	if fee, ok := txbuilder.PSBTFee(p); ok {
		fmt.Fprintf(a.Err, "  fee  %s (%s sat/vB)\n", a.fmtAmount(int64(fee)), effectiveRate(fee, txbuilder.TxWeight(tx).VSize()))
	}
}

type psbtAbandonJSON struct {
	Released []string `json:"released"`
}

func newPSBTAbandonCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "abandon FILE|-",
		Short: "Give back the coins a watch-only send reserved for a PSBT you will not sign",
		Long: `A watch-only send reserves the coins of the PSBT it writes for 24 hours, so that the next send
does not choose them while it is signed elsewhere. When that PSBT will never be signed, abandon
gives its coins back to coin selection at once. Nothing is signed or sent; coins that are not
reserved are left as they are. Destroy the PSBT too: signed later, it would still be valid.

` + exitStatusHelp,
		Example: "  satchel psbt abandon unsigned.psbt",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := a.readPSBT(args[0])
			if err != nil {
				return err
			}
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			ops := make([]wire.OutPoint, len(p.UnsignedTx.TxIn))
			for i, in := range p.UnsignedTx.TxIn {
				ops[i] = in.PreviousOutPoint
			}
			released, err := w.Release(ops, a.Now())
			if err != nil {
				return err
			}
			out := psbtAbandonJSON{Released: []string{}}
			for _, op := range released {
				out.Released = append(out.Released, op.String())
			}
			if a.flags.json {
				return a.printJSON(out)
			}
			if len(released) == 0 {
				fmt.Fprintln(a.Out, "No coin of this PSBT was reserved: nothing to give back")
				return nil
			}
			fmt.Fprintf(a.Out, "%s back in coin selection: %s\n", count(len(released), "coin", "coins"), strings.Join(out.Released, ", "))
			return nil
		},
	}
}

func newPSBTCombineCmd(a *App) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "combine FILE FILE... [--out FILE]",
		Short: "Merge copies of one PSBT signed apart (multisig cosigners) into one",
		Long: `Merge two or more copies of the same PSBT, each signed by someone else (the cosigners of a
multisig signing in parallel), into one PSBT with every signature (BIP174's combiner). Copies
of different transactions are refused (exit 2): nothing is merged into a transaction nobody
was shown. The result goes to stdout as base64, or in binary to --out FILE; with --json,
{"psbt", "file", "complete"} where complete says every input now has the signatures it needs.
It needs no wallet and no passphrase.

` + exitStatusHelp,
		Example: "  satchel psbt combine signed-by-a.psbt signed-by-b.psbt --out both.psbt\n  satchel psbt broadcast both.psbt",
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out != "" {
				if _, err := a.checkPSBTOut(out); err != nil {
					return err
				}
			}
			var ps []*psbt.Packet
			for _, f := range args {
				p, err := a.readPSBT(f)
				if err != nil {
					return err
				}
				ps = append(ps, p)
			}
			p, err := txbuilder.CombinePSBTs(ps)
			if err != nil {
				return psbtErr(err)
			}
			work, err := txbuilder.ClonePSBT(p)
			if err != nil {
				return err
			}
			pending, err := txbuilder.FinalizePSBT(work)
			if err != nil {
				return psbtErr(err)
			}
			b64, err := a.writePSBT(p, out)
			if err != nil {
				return err
			}
			return a.printPSBTResult(psbtResultJSON{PSBT: b64, File: out, Complete: len(pending) == 0})
		},
	}
	c.Flags().StringVar(&out, "out", "", "write the combined PSBT to FILE (binary) instead of base64 on stdout")
	return c
}
