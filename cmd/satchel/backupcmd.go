package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/internal/atomicfile"
	"github.com/satchel-wallet/satchel/internal/crash"
	"github.com/satchel-wallet/satchel/wallet"
)

// backupExportJSON is what backup export prints.
type backupExportJSON struct {
	File        string   `json:"file"`
	Bytes       int      `json:"bytes"`
	Wallet      string   `json:"wallet"`
	Network     string   `json:"network"`
	Fingerprint string   `json:"fingerprint"`
	Accounts    int      `json:"accounts"`
	Labels      int      `json:"labels"`
	Frozen      int      `json:"frozen"`
	Files       []string `json:"files"`
}

func newBackupCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "backup",
		Short: "Save the whole wallet (encrypted keystore, accounts, labels, settings) to one file",
		Long: `Save everything a wallet folder holds but its transactions to one file, and bring it back with
satchel restore --from-backup FILE. The transactions are found again by the first sync.`,
		Example: "  satchel backup export ~/wallet.backup\n  satchel restore --from-backup ~/wallet.backup --wallet laptop",
	}
	var force, withSecrets bool
	export := &cobra.Command{
		Use:   "export FILE",
		Short: "Write the wallet's backup file",
		Long: `Write one file holding the wallet's keystore exactly as it is on disk (still encrypted under the
wallet passphrase), its accounts and how far each has handed out addresses (so no address is
handed out twice after a restore), its descriptors, labels, frozen coins and settings
(config.toml). The file is JSON with a format version, a SHA-256 checksum and an authentication
code keyed by the wallet passphrase (HMAC-SHA256 with a key derived from the seed), so a damaged
or edited copy is refused as a whole: the passphrase is asked to write it (a watch-only wallet,
which has none, writes a backup without the code). It is written atomically with mode 0600, and
an existing file is only replaced with --force.

Settings whose URL holds a password (a btcd://user:password@host backend) are left out of the
backup's config.toml unless --with-secrets is given: the restored wallet then needs them set
again (satchel config set backend URL).

The backup does not replace your seed words or shares: it needs the wallet passphrase, and
anyone with the file and the passphrase can spend.

` + exitStatusHelp,
		Example: "  satchel backup export ~/wallet.backup\n  satchel backup export /media/usb/tips.backup --force --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := a.checkOutPath(args[0])
			if err != nil {
				return err
			}
			if _, err := os.Stat(path); err == nil {
				if !force {
					return &codedError{exit: exitUsage, code: "file_exists",
						err: fmt.Errorf("%s exists: add --force to replace it", path)}
				}
			}
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			files := map[string]string{}
			raw, err := os.ReadFile(filepath.Join(w.Dir(), configFile))
			switch {
			case err == nil:
				if !utf8.Valid(raw) {
					return fmt.Errorf("%s is not UTF-8 text", filepath.Join(w.Dir(), configFile))
				}
				cfg := string(raw)
				if !withSecrets {
					var dropped []string
					if cfg, dropped, err = stripURLPasswords(cfg); err != nil {
						return fmt.Errorf("%s: %w", filepath.Join(w.Dir(), configFile), err)
					}
					if len(dropped) > 0 {
						a.warn("secrets_left_out", fmt.Sprintf("the backup leaves out %s: its URL holds a password (add --with-secrets to keep it); set it again after a restore",
							strings.Join(dropped, ", ")))
					}
				}
				files[configFile] = cfg
			case !errors.Is(err, fs.ErrNotExist):
				return err
			}
			b, err := w.Backup(files, a.Now())
			if err != nil {
				return err
			}
			if !w.Meta().WatchOnly {
				// withPassphrase: a mistyped passphrase can be typed again, as for signing.
				var key []byte
				if err := a.withPassphrase(func(pass []byte) error {
					k, err := w.BackupKey(pass, a.Keystore...)
					key = k
					return err
				}); err != nil {
					return err
				}
				b.Authenticate(key)
				wipe(key)
			}
			data, err := b.Marshal()
			if err != nil {
				return err
			}
			crash.Point(crash.BackupBeforeWrite)
			if force {
				err = atomicfile.Write(path, data, 0o600)
			} else {
				err = atomicfile.CreateExclusive(path, data, 0o600)
				if errors.Is(err, fs.ErrExist) {
					return &codedError{exit: exitUsage, code: "file_exists", err: fmt.Errorf("%s exists: add --force to replace it", path)}
				}
			}
			if err != nil {
				return err
			}
			crash.Point(crash.BackupAfterWrite)
			out := backupExportJSON{File: path, Bytes: len(data), Wallet: a.flags.wallet, Network: b.Wallet.Network,
				Fingerprint: b.Wallet.Fingerprint, Accounts: len(b.Accounts), Labels: len(b.Labels), Frozen: len(b.Frozen), Files: []string{}}
			for name := range b.Files {
				out.Files = append(out.Files, name)
			}
			sort.Strings(out.Files)
			if a.flags.json {
				return a.printJSON(out)
			}
			fmt.Fprintf(a.Out, "Backup of wallet %q written to %s (%s, %s, %s).\n", out.Wallet, path,
				count(out.Accounts, "account", "accounts"), count(out.Labels, "label", "labels"), count(out.Frozen, "frozen coin", "frozen coins"))
			fmt.Fprintln(a.Out, "Restore it with: satchel restore --from-backup "+path+" (the wallet passphrase is needed).")
			return nil
		},
	}
	export.Flags().BoolVar(&force, "force", false, "replace FILE if it exists")
	export.Flags().BoolVar(&withSecrets, "with-secrets", false, "keep passwords in URLs (backend user:password) in the backup")
	c.AddCommand(export)
	return c
}

// restoreSources are restore's other sources than BIP39 words.
type restoreSources struct {
	shamir bool
	backup string
}

func (o *restoreSources) register(c *cobra.Command) {
	c.Flags().BoolVar(&o.shamir, "shamir", false, "restore from SLIP-39 Shamir shares, one per line (stdin, --mnemonic-file, or prompts)")
	c.Flags().StringVar(&o.backup, "from-backup", "", "restore a wallet saved with satchel backup export FILE")
}

// restoreFrom runs restore --shamir or --from-backup; handled is false for a BIP39 restore.
func (a *App) restoreFrom(cmd *cobra.Command, o restoreSources, mnemonicFile string) (handled bool, err error) {
	switch {
	case o.shamir && o.backup != "":
		return true, usagef("usage", "--shamir and --from-backup cannot be used together")
	case o.shamir:
		return true, a.restoreShamir(cmd, mnemonicFile)
	case o.backup != "":
		for _, name := range []string{"type", "mnemonic-file", "bip39-passphrase"} {
			if cmd.Flags().Changed(name) {
				return true, usagef("usage", fmt.Sprintf("--%s does not apply with --from-backup: the backup holds the wallet as it was", name))
			}
		}
		return true, a.restoreBackup(cmd, o.backup)
	}
	return false, nil
}

// restoreBackupJSON is what restore --from-backup prints.
type restoreBackupJSON struct {
	walletJSON
	Labels int `json:"labels"`
	Frozen int `json:"frozen"`
}

func (a *App) restoreBackup(cmd *cobra.Command, file string) error {
	f, err := openInput("bad_backup", "--from-backup", file)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(f, wallet.MaxBackupBytes+1))
	f.Close()
	if err != nil {
		return usagef("bad_backup", fmt.Sprintf("read %s: %v", file, err))
	}
	b, err := wallet.ParseBackup(data)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if !b.Authenticated() {
		why := "it is a version 1 backup, made before backups were authenticated"
		if b.Wallet.WatchOnly {
			why = "a watch-only wallet has no passphrase to authenticate its backup with"
		}
		a.warn("unauthenticated_backup", fmt.Sprintf("nothing vouches that %s is as it was written (%s): anyone who had the file could have edited its settings or labels; check them with satchel config list before you use the wallet", file, why))
	}
	if b.Wallet.Network != a.flags.network {
		return fmt.Errorf("%w: the backup is of a %s wallet, not %s (use --network %s)", wallet.ErrWrongNetwork,
			b.Wallet.Network, a.flags.network, b.Wallet.Network)
	}
	if cfg, ok := b.Files[configFile]; ok {
		if err := checkBackupConfig(cfg); err != nil {
			return err
		}
	}
	dir, err := a.walletDir()
	if err != nil {
		return err
	}
	if _, err := os.Stat(dir); err == nil {
		return fmt.Errorf("%w: %s: choose another --wallet name (that wallet is left as it is)", wallet.ErrExists, dir)
	}
	var res *wallet.Created
	restore := func(pass []byte) error {
		var err error
		res, err = wallet.RestoreBackup(cmd.Context(), wallet.RestoreBackupOptions{Dir: dir, Network: a.flags.network,
			Backup: b, Passphrase: pass, Keystore: a.Keystore})
		if errors.Is(err, wallet.ErrWrongPassphrase) {
			// The keystore is the one inside the backup: the wallet folder named by the
			// keystore's own message does not exist (nothing was written).
			return fmt.Errorf("%w for the keystore in %s: give the wallet passphrase it had when the backup was made", wallet.ErrWrongPassphrase, file)
		}
		return err
	}
	if b.Wallet.WatchOnly {
		err = restore(nil)
	} else {
		// A wrong passphrase leaves nothing behind, so one mistyped at the prompt can be typed again.
		err = a.withPassphrase(restore)
	}
	if err != nil {
		return err
	}
	out := restoreBackupJSON{walletJSON: a.walletOut(res), Labels: len(b.Labels), Frozen: len(b.Frozen)}
	if a.flags.json {
		return a.printJSON(out)
	}
	a.printWalletText("Restored", dir, out.walletJSON)
	fmt.Fprintf(a.Out, "with %s and %s; the next sync finds its transactions again.\n", count(out.Labels, "label", "labels"), count(out.Frozen, "frozen coin", "frozen coins"))
	return nil
}

// checkBackupConfig checks a backed-up config.toml as a wallet's own config is checked, before
// anything is written.
func checkBackupConfig(content string) error {
	var m map[string]any
	if _, err := toml.Decode(content, &m); err != nil {
		return usagef("bad_config", fmt.Sprintf("the backup's config.toml: %v", oneLine(err.Error())))
	}
	values := configValues{}
	for k, v := range m {
		switch x := v.(type) {
		case string:
			values[k] = x
		case int64:
			values[k] = strconv.FormatInt(x, 10)
		default:
			return usagef("bad_config", fmt.Sprintf("the backup's config.toml: %s must be a string or a whole number", k))
		}
	}
	return checkConfigFile("in the backup", values, false)
}

// stripURLPasswords leaves out of a config.toml every setting whose URL holds a password (a
// btcd backend's user:password), so a backup that travels does not carry it; dropped names
// them. The whole setting goes, not just the password: a btcd URL without its password is not
// a setting satchel accepts. A file without such a value comes back unchanged, byte for byte.
func stripURLPasswords(content string) (string, []string, error) {
	var m map[string]any
	if _, err := toml.Decode(content, &m); err != nil {
		return "", nil, fmt.Errorf("read: %v", oneLine(err.Error()))
	}
	var dropped []string
	for k, v := range m {
		s, ok := v.(string)
		if !ok {
			continue
		}
		u, err := url.Parse(s)
		if err != nil || u.User == nil {
			continue
		}
		if _, has := u.User.Password(); !has {
			continue
		}
		delete(m, k)
		dropped = append(dropped, k)
	}
	if len(dropped) == 0 {
		return content, nil, nil
	}
	sort.Strings(dropped)
	var out strings.Builder
	if err := toml.NewEncoder(&out).Encode(m); err != nil {
		return "", nil, err
	}
	return out.String(), dropped, nil
}
