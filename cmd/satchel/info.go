package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

type accountJSON struct {
	Purpose uint32 `json:"purpose"`
	Type    string `json:"type"`
	Receive string `json:"receive"`
	Change  string `json:"change"`
}

type keystoreJSON struct {
	File      string        `json:"file"`
	Version   int           `json:"version"`
	KDF       string        `json:"kdf"`
	KDFParams kdfParamsJSON `json:"kdf_params"`
	Cipher    string        `json:"cipher"`
}

type kdfParamsJSON struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// backendJSON is the backend in use and what it can see: url with any password masked, kind
// ("btcd", "esplora", "electrum", "p2p"; empty for a URL no backend takes), learns (one
// sentence for the user, empty with kind), fee_estimates (where fee estimates come from:
// "backend", the fee-source URL with any password masked, or "none").
type backendJSON struct {
	URL          string `json:"url"`
	Kind         string `json:"kind"`
	Learns       string `json:"learns"`
	FeeEstimates string `json:"fee_estimates"`
}

// describeBackend says which backend raw selects, what it learns, through a proxy or not, and
// where its fee estimates come from (feeSource is the fee-source setting).
func describeBackend(raw, proxy, feeSource string) *backendJSON {
	if raw == "" {
		return nil
	}
	out := &backendJSON{URL: maskURL(raw), FeeEstimates: "backend"}
	if d, err := chain.Lookup(raw); err == nil {
		out.Kind, out.Learns = d.Kind, d.Learns
		if proxy != "" && d.LearnsProxied != "" {
			out.Learns = d.LearnsProxied
		}
		if d.NoFeeEstimates {
			out.FeeEstimates = "none"
			if feeSource != "" {
				out.FeeEstimates = maskURL(feeSource)
			}
		}
	}
	return out
}

type infoJSON struct {
	Wallet       string          `json:"wallet"`
	Network      string          `json:"network"`
	Type         string          `json:"type"`
	Fingerprint  string          `json:"fingerprint"`
	WatchOnly    bool            `json:"watch_only"`
	Descriptors  descriptorsJSON `json:"descriptors"`
	Accounts     []accountJSON   `json:"accounts"`
	Folder       string          `json:"folder"`
	Keystore     *keystoreJSON   `json:"keystore"`
	Backend      *backendJSON    `json:"backend"`
	Created      time.Time       `json:"created"`
	SyncedHeight *int32          `json:"synced_height"`
	SyncedAt     *time.Time      `json:"synced_at"`
	// Multisig describes a multisig wallet's keys (absent for a single-key wallet).
	Multisig *wallet.MultisigInfo `json:"multisig,omitempty"`
}

func newInfoCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "info",
		Short: "Show the wallet's network, type, descriptors and keystore settings (nothing secret)",
		Long: `Show what the wallet is: network, type, master key fingerprint, the output descriptors in
use (with BIP380 checksums), its folder, and how the keystore is encrypted; which backend is in
use and what it learns about you (--json: backend.url, password masked, backend.kind,
backend.learns, backend.fee_estimates: "backend", the fee-source URL or "none"). Nothing
secret.`,
		Example: "  satchel info\n  satchel info --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			m := w.Meta()
			out := infoJSON{Wallet: a.flags.wallet, Network: m.Network, Type: m.Type, Fingerprint: m.Fingerprint,
				WatchOnly: m.WatchOnly, Folder: w.Dir(), Created: jsonTime(m.Created)}
			for i, d := range w.Descriptors() {
				if i == 0 {
					out.Descriptors = descriptorsJSON{Receive: d.Receive, Change: d.Change}
				}
				typ := keys.Purpose(d.Purpose).ScriptType().String()
				if d.Purpose == uint32(keys.BIP48) {
					typ = m.Type
				}
				out.Accounts = append(out.Accounts, accountJSON{Purpose: d.Purpose, Type: typ,
					Receive: d.Receive, Change: d.Change})
			}
			if ms, ok := w.Multisig(); ok {
				out.Multisig = &ms
			}
			if ki, err := w.KeystoreInfo(); err == nil {
				out.Keystore = &keystoreJSON{File: w.KeystorePath(), Version: ki.Version, KDF: ki.KDF, Cipher: ki.Cipher,
					KDFParams: kdfParamsJSON{Time: ki.KDFParams.Time, MemoryKiB: ki.KDFParams.MemoryKiB, Threads: ki.KDFParams.Threads}}
			} else if !m.WatchOnly {
				return err
			}
			if raw, err := a.backendURL(w); err == nil {
				proxy, _ := a.setting(w, "proxy")
				feeSource, _ := a.setting(w, "fee-source")
				out.Backend = describeBackend(raw, proxy, feeSource)
			}
			if s, ok, err := w.SyncState(); err != nil {
				return err
			} else if ok {
				out.SyncedHeight, out.SyncedAt = &s.Height, jsonTimePtr(s.At)
			}
			if a.flags.json {
				return a.printJSON(out)
			}
			fmt.Fprintf(a.Out, "wallet:       %s\nnetwork:      %s\ntype:         %s\nfingerprint:  %s\nfolder:       %s\n",
				out.Wallet, out.Network, out.Type, fingerprintText(out.Fingerprint, out.Type), out.Folder)
			for _, ac := range out.Accounts {
				fmt.Fprintf(a.Out, "descriptors (BIP%d, %s):\n  %s\n  %s\n", ac.Purpose, ac.Type, ac.Receive, ac.Change)
			}
			if ms := out.Multisig; ms != nil {
				fmt.Fprintf(a.Out, "multisig:     %d of %d\n  %s\n", ms.M, ms.N, ms.Descriptor)
				for _, c := range ms.Cosigners {
					own := ""
					if c.Local {
						own = " (this wallet's key)"
					}
					fmt.Fprintf(a.Out, "  key %s %s%s\n", c.Fingerprint, c.Path, own)
				}
			}
			if out.Keystore != nil {
				kp := out.Keystore.KDFParams
				fmt.Fprintf(a.Out, "keystore:     %s (v%d, %s time=%d memory=%dKiB threads=%d, %s)\n", out.Keystore.File, out.Keystore.Version,
					out.Keystore.KDF, kp.Time, kp.MemoryKiB, kp.Threads, out.Keystore.Cipher)
			} else if out.WatchOnly {
				fmt.Fprintln(a.Out, "keystore:     none (watch-only: no seed here; sends write an unsigned PSBT)")
			}
			if b := out.Backend; b != nil {
				fmt.Fprintf(a.Out, "backend:      %s %s\n", b.Kind, b.URL)
				if b.Learns != "" {
					fmt.Fprintf(a.Out, "  learns:     %s\n", b.Learns)
				}
				switch b.FeeEstimates {
				case "backend":
					fmt.Fprintln(a.Out, "  fees from:  the backend")
				case "none":
					fmt.Fprintln(a.Out, "  fees from:  nowhere: give --fee-rate, or set fee-source (an Esplora URL, asked only for estimates)")
				default:
					fmt.Fprintf(a.Out, "  fees from:  %s (fee-source, asked only for estimates)\n", b.FeeEstimates)
				}
			}
			if out.SyncedHeight != nil {
				fmt.Fprintf(a.Out, "synced:       height %d at %s\n", *out.SyncedHeight, a.fmtTime(*out.SyncedAt))
			} else {
				fmt.Fprintln(a.Out, "synced:       never")
			}
			return nil
		},
	}
}
