package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/internal/atomicfile"
)

// configFile is the per-wallet settings file inside the wallet folder.
const configFile = "config.toml"

// walletConfig is the per-wallet settings file. Field names are the keys users type.
type walletConfig struct {
	Backend  string `toml:"backend,omitempty"`
	GapLimit string `toml:"gap-limit,omitempty"`
}

// configKeys lists the settable keys with a check for each value.
var configKeys = map[string]func(string) error{
	"backend": func(v string) error {
		if v == "" {
			return errors.New("empty")
		}
		return nil
	},
	"gap-limit": func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return errors.New("must be a whole number from 1 to 10000")
		}
		return nil
	},
}

func loadWalletConfig(dir string) (walletConfig, error) {
	var c walletConfig
	raw, err := os.ReadFile(filepath.Join(dir, configFile))
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	md, err := toml.Decode(string(raw), &c)
	if err != nil {
		return c, fmt.Errorf("%s: %w", filepath.Join(dir, configFile), err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return c, usagef("bad_config", fmt.Sprintf("%s: unknown key %q", filepath.Join(dir, configFile), und[0].String()))
	}
	return c, nil
}

func (c *walletConfig) get(key string) string {
	switch key {
	case "backend":
		return c.Backend
	case "gap-limit":
		return c.GapLimit
	}
	return ""
}

func (c *walletConfig) set(key, value string) {
	switch key {
	case "backend":
		c.Backend = value
	case "gap-limit":
		c.GapLimit = value
	}
}

func saveWalletConfig(dir string, c walletConfig) error {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(c); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, configFile), buf.Bytes(), 0o600)
}

func checkConfigKey(key string) error {
	if _, ok := configKeys[key]; !ok {
		var names []string
		for k := range configKeys {
			names = append(names, k)
		}
		sort.Strings(names)
		return usagef("unknown_config_key", fmt.Sprintf("unknown config key %q: known keys are %v", key, names))
	}
	return nil
}

func newConfigCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "config",
		Short: "Read and change the wallet's settings (backend, gap-limit)",
		Long: `Read and change the wallet's settings, kept in config.toml in the wallet's folder.
A flag beats an environment variable, which beats the wallet's setting, which beats the default.

Keys:
  backend    chain backend URL, e.g. btcd://user:pass@127.0.0.1:18334
  gap-limit  unused addresses in a row that end the search for used ones (default 20)`,
		Example: "  satchel config set backend btcd://user:pass@127.0.0.1:18334\n  satchel config get backend\n  satchel config list --json",
	}
	withDir := func(fn func(dir string) error) error {
		w, err := a.openWallet(true)
		if err != nil {
			return err
		}
		dir := w.Dir()
		w.Close()
		return fn(dir)
	}
	get := &cobra.Command{
		Use: "get KEY", Short: "Print a setting", Args: cobra.ExactArgs(1),
		Example: "  satchel config get backend",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkConfigKey(args[0]); err != nil {
				return err
			}
			return withDir(func(dir string) error {
				cfg, err := loadWalletConfig(dir)
				if err != nil {
					return err
				}
				v := cfg.get(args[0])
				if a.flags.json {
					return a.printJSON(map[string]string{"key": args[0], "value": v})
				}
				fmt.Fprintln(a.Out, v)
				return nil
			})
		},
	}
	set := &cobra.Command{
		Use: "set KEY VALUE", Short: "Change a setting", Args: cobra.ExactArgs(2),
		Example: "  satchel config set gap-limit 50",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkConfigKey(args[0]); err != nil {
				return err
			}
			if err := configKeys[args[0]](args[1]); err != nil {
				return usagef("bad_config_value", fmt.Sprintf("config %s: %v", args[0], err))
			}
			return withDir(func(dir string) error {
				cfg, err := loadWalletConfig(dir)
				if err != nil {
					return err
				}
				cfg.set(args[0], args[1])
				if err := saveWalletConfig(dir, cfg); err != nil {
					return err
				}
				if a.flags.json {
					return a.printJSON(map[string]string{"key": args[0], "value": args[1]})
				}
				return nil
			})
		},
	}
	unset := &cobra.Command{
		Use: "unset KEY", Short: "Remove a setting", Args: cobra.ExactArgs(1),
		Example: "  satchel config unset backend",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkConfigKey(args[0]); err != nil {
				return err
			}
			return withDir(func(dir string) error {
				cfg, err := loadWalletConfig(dir)
				if err != nil {
					return err
				}
				if cfg.get(args[0]) == "" {
					return nil
				}
				cfg.set(args[0], "")
				return saveWalletConfig(dir, cfg)
			})
		},
	}
	list := &cobra.Command{
		Use: "list", Short: "Print every setting", Args: cobra.NoArgs,
		Example: "  satchel config list",
		RunE: func(cmd *cobra.Command, args []string) error {
			return withDir(func(dir string) error {
				cfg, err := loadWalletConfig(dir)
				if err != nil {
					return err
				}
				out := map[string]string{}
				for k := range configKeys {
					if v := cfg.get(k); v != "" {
						out[k] = v
					}
				}
				if a.flags.json {
					return a.printJSON(out)
				}
				var ks []string
				for k := range out {
					ks = append(ks, k)
				}
				sort.Strings(ks)
				for _, k := range ks {
					fmt.Fprintf(a.Out, "%s = %s\n", k, out[k])
				}
				return nil
			})
		},
	}
	for _, s := range []*cobra.Command{get, set, unset, list} {
		s.Long = s.Short + ".\n\n" + exitStatusHelp
	}
	c.AddCommand(get, set, unset, list)
	return c
}
