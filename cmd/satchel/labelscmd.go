package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/internal/atomicfile"
	"github.com/satchel-wallet/satchel/wallet/bip329"
)

// maxLabelsFile bounds what labels import reads: a BIP329 record is a few hundred bytes.
const maxLabelsFile = 64 << 20

type labelsExportJSON struct {
	File    string `json:"file"`
	Records int    `json:"records"`
}

type labelsImportJSON struct {
	Records   int `json:"records"`
	Labels    int `json:"labels"`
	Frozen    int `json:"frozen"`
	Unfrozen  int `json:"unfrozen"`
	Unchanged int `json:"unchanged"`
	Skipped   int `json:"skipped"`
	Truncated int `json:"truncated"`
	Cleaned   int `json:"cleaned"`
}

func newLabelsCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "labels",
		Short: "Export or import labels and frozen coins as BIP329 JSON lines",
		Long: `Move labels between wallets in the BIP329 format that Sparrow, BlueWallet, Nunchuk, BTCPay
Server and others read: one JSON object per line, like
  {"type":"tx","ref":"TXID","label":"rent"}
  {"type":"output","ref":"TXID:VOUT","label":"cold","spendable":false}
satchel keeps tx, addr, output and xpub labels; spendable is the opposite of frozen.`,
		Example: "  satchel labels export labels.jsonl\n  satchel labels import sparrow-labels.jsonl",
	}
	var force bool
	export := &cobra.Command{
		Use:   "export [FILE]",
		Short: "Write the wallet's labels and frozen coins as BIP329 JSON lines",
		Long: `Write every label (transactions, addresses, coins, xpubs) and every frozen coin as BIP329 JSON
lines to FILE, or to stdout when FILE is - or missing. A frozen coin is an output record with
"spendable": false. Records also carry what BIP329 calls additional fields when the wallet knows
them: a transaction's value, fee, and (after 6 confirmations) height and time; the origin and
keypath of the wallet's own addresses and coins, and a coin's value.

FILE is written atomically with mode 0600; an existing one is only replaced with --force.
With --json and no FILE the records are printed as one JSON array instead of lines.

` + exitStatusHelp,
		Example: "  satchel labels export labels.jsonl\n  satchel labels export | grep '\"output\"'\n  satchel labels export --json | jq -r '.[].label'",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file := "-"
			if len(args) == 1 {
				file = args[0]
			}
			path := ""
			if file != "-" {
				p, err := a.checkOutPath(file)
				if err != nil {
					return err
				}
				path = p
				if _, err := os.Stat(path); err == nil && !force {
					return &codedError{exit: exitUsage, code: "file_exists", err: fmt.Errorf("%s exists: add --force to replace it", path)}
				}
			}
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			recs, err := w.LabelRecords()
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := bip329.Encode(&buf, recs); err != nil {
				return err
			}
			if path == "" {
				if a.flags.json {
					arr := []json.RawMessage{}
					for _, line := range bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n")) {
						if len(line) > 0 {
							arr = append(arr, json.RawMessage(line))
						}
					}
					return a.printJSON(arr)
				}
				_, err := a.Out.Write(buf.Bytes())
				return err
			}
			if force {
				err = atomicfile.Write(path, buf.Bytes(), 0o600)
			} else if err = atomicfile.CreateExclusive(path, buf.Bytes(), 0o600); errors.Is(err, fs.ErrExist) {
				return &codedError{exit: exitUsage, code: "file_exists", err: fmt.Errorf("%s exists: add --force to replace it", path)}
			}
			if err != nil {
				return err
			}
			if a.flags.json {
				return a.printJSON(labelsExportJSON{File: path, Records: len(recs)})
			}
			fmt.Fprintf(a.Out, "%s written to %s\n", count(len(recs), "record", "records"), path)
			return nil
		},
	}
	export.Flags().BoolVar(&force, "force", false, "replace FILE if it exists")

	imp := &cobra.Command{
		Use:   "import FILE",
		Short: "Read BIP329 JSON lines into the wallet's labels and frozen coins",
		Long: `Read a BIP329 export (FILE, or - for stdin) and apply it all or nothing: a bad line (not a JSON
object, a missing type or ref, a malformed txid or outpoint, an address of another network, a
"spendable" that is not true or false) is named by its number and the whole file is refused,
with nothing changed. A record without "label" leaves the label alone and an output without
"spendable" leaves the frozen flag alone, as BIP329 says; "spendable": false freezes the coin.
input, pubkey and spscan records, and types BIP329 does not define, are skipped with a warning.
Labels longer than 1,000 bytes are cut, with a warning.

` + exitStatusHelp,
		Example: "  satchel labels import sparrow-labels.jsonl\n  satchel labels export --wallet old | satchel labels import - --wallet new",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var r io.Reader = a.In
			name := "stdin"
			if args[0] != "-" {
				f, err := openInput("bad_file", "", args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				r, name = f, args[0]
			}
			data, err := io.ReadAll(io.LimitReader(r, maxLabelsFile+1))
			if err != nil {
				if r == a.In {
					return stdinError("bad_file", err)
				}
				return usagef("bad_file", fmt.Sprintf("read %s: %v", name, err))
			}
			if len(data) > maxLabelsFile {
				return usagef("bad_labels", fmt.Sprintf("%s is larger than %d MiB, more than any labels file: give a BIP329 file (JSON lines)", name, maxLabelsFile>>20))
			}
			recs, err := bip329.Parse(bytes.NewReader(data))
			if err != nil {
				return fmt.Errorf("%s: %w; nothing was imported", name, err)
			}
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			res, err := w.ImportLabels(recs)
			if err != nil {
				var le *bip329.LineError
				if errors.As(err, &le) {
					return fmt.Errorf("%s: %w; nothing was imported", name, err)
				}
				return err
			}
			for _, s := range res.Skipped {
				a.warn("label_skipped", fmt.Sprintf("line %d: %s record skipped: %s", s.Line, s.Type, s.Reason))
			}
			if len(res.Truncated) > 0 {
				a.warn("label_truncated", fmt.Sprintf("labels longer than 1,000 bytes were cut (%s)", lineList(res.Truncated)))
			}
			if len(res.Cleaned) > 0 {
				a.warn("label_cleaned", fmt.Sprintf("control characters (terminal escapes) in labels were replaced with spaces (%s)", lineList(res.Cleaned)))
			}
			out := labelsImportJSON{Records: res.Records, Labels: res.Labels, Frozen: res.Frozen, Unfrozen: res.Unfrozen,
				Unchanged: res.Unchanged, Skipped: len(res.Skipped), Truncated: len(res.Truncated), Cleaned: len(res.Cleaned)}
			if a.flags.json {
				return a.printJSON(out)
			}
			fmt.Fprintf(a.Out, "%s read: %s set, %s frozen, %s unfrozen, %s already so, %s skipped.\n",
				count(out.Records, "record", "records"), count(out.Labels, "label", "labels"), count(out.Frozen, "coin", "coins"),
				groupDigits(int64(out.Unfrozen)), groupDigits(int64(out.Unchanged)), groupDigits(int64(out.Skipped)))
			return nil
		},
	}
	c.AddCommand(export, imp)
	return c
}

// lineList names line numbers for a warning: "line 3", "lines 1, 4 and 12,001"; past ten, the
// first ten and how many more, so a hostile file cannot make the warning as long as itself.
func lineList(ns []int) string {
	if len(ns) == 1 {
		return "line " + groupDigits(int64(ns[0]))
	}
	const shown = 10
	var parts []string
	for i, n := range ns {
		if i == shown {
			break
		}
		parts = append(parts, groupDigits(int64(n)))
	}
	if len(ns) > shown {
		return "lines " + strings.Join(parts, ", ") + " and " + groupDigits(int64(len(ns)-shown)) + " more"
	}
	return "lines " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
