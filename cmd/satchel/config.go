package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/internal/atomicfile"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

// configFile is the per-wallet settings file inside the wallet folder.
const configFile = "config.toml"

// settingDef describes one setting: where it may come from, its default and how to check it.
// Precedence is flag > environment > wallet config > global config > default.
type settingDef struct {
	key        string
	flag       string // the global flag that sets it, "" when none
	env        string
	globalOnly bool   // only the global config may hold it (it picks the wallet)
	numeric    bool   // written to TOML as an integer
	def        string // the default, "" when there is none
	help       string
	check      func(string) error
	values     []string // the closed set of values, for help and shell completion
	// fold, when set, is the form a value is written in and used in (fiat: usd is USD).
	fold func(string) string
}

// settings lists every key satchel reads from its config files.
var settings = []settingDef{
	{key: "backend", flag: "backend", env: "SATCHEL_BACKEND",
		help: "chain backend URL, e.g. btcd://user:pass@127.0.0.1:18334", check: checkURLSetting},
	{key: "gap-limit", flag: "gap-limit", env: "SATCHEL_GAP_LIMIT", numeric: true, def: "20",
		help: "unused addresses in a row that end the search for used ones", check: checkIntRange(1, 10000)},
	{key: "network", flag: "network", env: "SATCHEL_NETWORK", globalOnly: true, def: "mainnet",
		help: "the network used when none is given", values: wallet.Networks, check: checkOneOf(wallet.Networks)},
	{key: "wallet", flag: "wallet", env: "SATCHEL_WALLET", globalOnly: true, def: "default",
		help: "the wallet used when none is given", check: checkWalletName},
	{key: "unit", flag: "unit", env: "SATCHEL_UNIT", def: "sat",
		help: "how amounts are shown to people: sat or btc (any case)", values: []string{"sat", "btc"}, check: checkOneOfFold([]string{"sat", "btc"})},
	{key: "proxy", flag: "proxy", env: "SATCHEL_PROXY",
		help: "SOCKS5 proxy for backends that support one, e.g. socks5://127.0.0.1:9050", check: checkProxy},
	{key: "fee-source", env: "SATCHEL_FEE_SOURCE",
		help: "Esplora URL asked only for fee estimates by backends that have none (p2p), e.g. https://mempool.space/api", check: checkFeeSource},
	{key: "sp-server", flag: "sp-server", env: "SATCHEL_SP_SERVER",
		help: "BIP352 tweak server (BlindBit Oracle) to find silent payments over Esplora or Electrum, e.g. https://HOST/api", check: checkTweakServer},
	{key: "price-source", env: "SATCHEL_PRICE_SOURCE",
		help: "URL answering like mempool's /api/v1/prices (mainnet default: mempool.space; test networks: none)", check: checkPriceSource},
	{key: "fiat", env: "SATCHEL_FIAT",
		help: "currency shown beside satoshis by balance, history, utxos and plans, e.g. USD (any case)", check: checkCurrencyFold, fold: strings.ToUpper},
	{key: "dns-resolver", env: "SATCHEL_DNS_RESOLVER",
		help: "DNS resolver HOST:PORT for BIP353 names (default: the system's); satchel validates DNSSEC itself", check: checkResolver},
	{key: "fee-target", env: "SATCHEL_FEE_TARGET", numeric: true, def: "6",
		help: "confirmation target in blocks for fee estimates (send --target beats it)", check: checkIntRange(1, 1008)},
}

func settingByKey(key string) (*settingDef, bool) {
	for i := range settings {
		if settings[i].key == key {
			return &settings[i], true
		}
	}
	return nil, false
}

func settingKeys() []string {
	out := make([]string, len(settings))
	for i, s := range settings {
		out[i] = s.key
	}
	return out
}

// configKeysHelp is the key table config's help shows.
func configKeysHelp() string {
	var b strings.Builder
	for _, s := range settings {
		src := []string{}
		if s.flag != "" {
			src = append(src, "--"+s.flag)
		}
		src = append(src, s.env)
		if s.globalOnly {
			src = append(src, "global config only")
		}
		def := ""
		if s.def != "" {
			def = "; default " + s.def
		}
		fmt.Fprintf(&b, "  %-11s %s (%s%s)\n", s.key, s.help, strings.Join(src, ", "), def)
	}
	return strings.TrimRight(b.String(), "\n")
}

// checkURLSetting checks a backend URL the way the backend will read it, without connecting,
// so that a bad one is refused when it is set rather than by every later command.
func checkURLSetting(v string) error {
	if len(v) > 2048 {
		return errors.New("longer than 2,048 characters: not a backend URL")
	}
	if err := chain.CheckURL(v); err != nil {
		// The backends' messages start with the (masked) URL, quoted, which the caller prints
		// too; the first quote-colon ends it (quotes inside are escaped), and the reason may
		// quote a part of it (a p2p peer).
		msg := err.Error()
		if i := strings.Index(msg, "\": "); i >= 0 {
			msg = msg[i+3:]
		} else {
			msg = strings.TrimPrefix(msg, chain.ErrBadURL.Error()+": ")
		}
		return errors.New(msg)
	}
	return nil
}

// checkFeeSource checks a fee-source setting: an Esplora URL (http or https), read the way
// the Esplora backend reads it, since that is what asks it.
func checkFeeSource(v string) error {
	if err := checkURLSetting(v); err != nil {
		return err
	}
	if d, _ := chain.Lookup(v); d.Kind != "esplora" {
		return errors.New("must be an Esplora URL (http:// or https://), e.g. https://mempool.space/api")
	}
	return nil
}

func checkProxy(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "socks5" && u.Scheme != "socks5h") {
		return errors.New("must be a socks5://HOST:PORT or socks5h://HOST:PORT URL")
	}
	if _, port, err := net.SplitHostPort(u.Host); err != nil || port == "" {
		return errors.New("must name a host and port, e.g. socks5://127.0.0.1:9050")
	}
	return nil
}

func checkIntRange(lo, hi int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be a whole number from %s to %s", groupDigits(int64(lo)), groupDigits(int64(hi)))
		}
		return nil
	}
}

func checkOneOf(vals []string) func(string) error {
	return func(v string) error {
		for _, x := range vals {
			if v == x {
				return nil
			}
		}
		return fmt.Errorf("must be one of %s", strings.Join(vals, ", "))
	}
}

// checkOneOfFold is checkOneOf ignoring case (units: BTC is btc, as in amounts).
func checkOneOfFold(vals []string) func(string) error {
	check := checkOneOf(vals)
	return func(v string) error { return check(strings.ToLower(v)) }
}

func checkWalletName(v string) error {
	if !validWalletName(v) {
		return errors.New("use letters, digits, - and _ (at most 64)")
	}
	return nil
}

func validWalletName(name string) bool {
	if name == "" || len(name) > 64 || strings.HasPrefix(name, ".") {
		return false
	}
	for _, r := range name {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// configValues is one config file's settings as text, keyed as users type them.
type configValues map[string]string

// readConfigFile reads a settings file; a missing file is an empty one. Only the TOML syntax
// and value types are checked here, so config unset can repair a file with a bad value. A
// value neither a string nor a whole number (true, 1.5, a list) is a *configTypeError
// returned with the values (that one as text), so that config set and unset can replace it.
// global says the file is the global one (for the repair command the errors name).
func readConfigFile(path string, global bool) (configValues, error) {
	out := configValues{}
	if path == "" {
		return out, nil
	}
	raw, err := readBounded(path, maxConfigFile)
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if errors.Is(err, syscall.ENOTDIR) {
		// --datadir (or SATCHEL_HOME) names a file: say that, not "open ...: not a directory".
		return nil, usagef("bad_config", fmt.Sprintf("cannot read config %s: part of that path is a file, not a folder (check --datadir and SATCHEL_HOME)", path))
	}
	if err != nil {
		return nil, inputFileError("bad_config", "config", path, err)
	}
	if fi, err := os.Stat(path); err == nil {
		if err := checkConfigPerms(path, fi); err != nil {
			return nil, err
		}
	}
	var m map[string]any
	if _, err := toml.Decode(string(raw), &m); err != nil {
		// The parser's words ("expected value but found '\n' instead") are for TOML authors;
		// a person needs the line and the form a setting takes.
		var pe toml.ParseError
		if errors.As(err, &pe) && pe.Position.Line > 0 {
			key := ""
			if pe.LastKey != "" {
				key = fmt.Sprintf(" (at %s)", pe.LastKey)
			}
			if strings.Contains(pe.Message, "already been defined") {
				return nil, usagef("bad_config", fmt.Sprintf("config %s: line %d sets %s again: keep one of the two lines (with an editor)", path, pe.Position.Line, pe.LastKey))
			}
			return nil, usagef("bad_config", fmt.Sprintf("config %s: line %d%s does not read: write each setting as key = \"value\" (correct or remove that line with an editor)", path, pe.Position.Line, key))
		}
		return nil, usagef("bad_config", fmt.Sprintf("config %s: %s (correct or remove that line with an editor)", path, strings.TrimPrefix(oneLine(err.Error()), "toml: ")))
	}
	var mistyped []string
	for k, v := range m {
		switch x := v.(type) {
		case string:
			out[k] = x
		case int64:
			out[k] = strconv.FormatInt(x, 10)
		default:
			out[k] = fmt.Sprint(x)
			mistyped = append(mistyped, k)
		}
	}
	if len(mistyped) > 0 {
		sort.Strings(mistyped)
		k := mistyped[0]
		return out, &configTypeError{keys: mistyped, msg: fmt.Sprintf("config %s: %s = %s must be a string in quotes or a whole number; %s",
			path, k, clipArg(maskURL(out[k])), configFixHint(k, global))}
	}
	return out, nil
}

// validConfigKeyText says whether s could be a key a config file holds (config unset of an
// unknown key looks for it in the file only then).
func validConfigKeyText(s string) bool {
	return s != "" && len(s) <= 100 && !strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f })
}

// configTypeError is a config file holding values of other types than strings and whole
// numbers (keys, sorted): exit 2, code bad_config.
type configTypeError struct {
	keys []string
	msg  string
}

func (e *configTypeError) Error() string { return e.msg }

// repairs says whether writing the file back after changing key alone leaves no value of
// another type in it (each would be written as a string, quietly changed): config set and
// unset of that very key repair the file, of any other key they refuse.
func (e *configTypeError) repairs(key string) bool {
	return len(e.keys) == 1 && e.keys[0] == key
}

// configFixHint is how to repair key in a config file with satchel itself.
func configFixHint(key string, global bool) string {
	glob := ""
	if global {
		glob = " --global"
	}
	return fmt.Sprintf("fix it with: satchel config set%s %s VALUE (or satchel config unset%s %s)", glob, key, glob, key)
}

// checkConfigFile says what is wrong with a file's keys and values, naming the key.
func checkConfigFile(path string, c configValues, global bool) error {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		d, ok := settingByKey(k)
		glob := ""
		if global {
			glob = " --global"
		}
		if !ok {
			return usagef("bad_config", fmt.Sprintf("config %s: unknown key %q (known keys: %s); remove it with: satchel config unset%s %s",
				path, k, strings.Join(settingKeys(), ", "), glob, k))
		}
		if d.globalOnly && !global {
			return usagef("bad_config", fmt.Sprintf("config %s: %s belongs in the global config: move it with satchel config unset %s, then satchel config set --global %s %s",
				path, k, k, k, clipArg(c[k])))
		}
		if err := d.check(c[k]); err != nil {
			return usagef("bad_config", fmt.Sprintf("config %s: %s = %q %v; %s", path, k, clipArg(maskURL(c[k])), err, configFixHint(k, global)))
		}
	}
	return nil
}

// writeConfigFile replaces a settings file atomically, 0600, creating its folder (0700).
func writeConfigFile(path string, c configValues) error {
	m := map[string]any{}
	for k, v := range c {
		if d, ok := settingByKey(k); ok && d.numeric {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				m[k] = n
				continue
			}
		}
		m[k] = v
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(m); err != nil {
		return fmt.Errorf("write config %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("write config %s: %w", path, err)
	}
	return atomicfile.Write(path, buf.Bytes(), 0o600)
}

// globalConfigPath is $SATCHEL_CONFIG, else $XDG_CONFIG_HOME/satchel/config.toml, else
// ~/.config/satchel/config.toml; "" when there is no home to put it in.
func (a *App) globalConfigPath() string {
	if p := a.Getenv("SATCHEL_CONFIG"); p != "" {
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
		return p
	}
	if d := a.Getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "satchel", configFile)
	}
	if h := a.Getenv("HOME"); h != "" {
		return filepath.Join(h, ".config", "satchel", configFile)
	}
	return ""
}

// loadConfigForUse reads and fully checks a settings file.
func loadConfigForUse(path string, global bool) (configValues, error) {
	c, err := readConfigFile(path, global)
	if err != nil {
		return nil, err
	}
	return c, checkConfigFile(path, c, global)
}

// settingFlag is the value of the key's global flag, "" when not given.
func (a *App) settingFlag(key string) string {
	switch key {
	case "backend":
		return a.flags.backend
	case "gap-limit":
		if a.flags.gapLimit != 0 {
			return strconv.Itoa(a.flags.gapLimit)
		}
	case "network":
		return a.flags.network
	case "wallet":
		return a.flags.wallet
	case "unit":
		return a.flags.unit
	case "proxy":
		return a.flags.proxy
	case "sp-server":
		return a.flags.spServer
	}
	return ""
}

// lookupSetting resolves a setting: flag > environment > wallet config > global config >
// default. source says which layer answered: flag, env, wallet, global or default. dir is the
// wallet folder ("" to find it from the flags). A bad value is an error naming where it came from.
func (a *App) lookupSetting(dir, key string) (value, source string, err error) {
	d, ok := settingByKey(key)
	if !ok {
		return "", "", fmt.Errorf("internal: unknown setting %q", key)
	}
	bad := func(where, v string, err error) error {
		code := "bad_" + strings.ReplaceAll(key, "-", "_")
		if key == "wallet" {
			code = "bad_wallet_name"
		}
		return usagef(code, fmt.Sprintf("%s %q: %v", where, clipArg(maskURL(v)), err))
	}
	if v := a.settingFlag(key); v != "" && d.flag != "" {
		if err := d.check(v); err != nil {
			return "", "", bad("--"+d.flag, v, err)
		}
		return v, "flag", nil
	}
	if v := a.Getenv(d.env); v != "" {
		if err := d.check(v); err != nil {
			return "", "", bad(d.env, v, err)
		}
		return v, "env", nil
	}
	// load reads one file's layer; with lenientConfig (the config commands, which must be able to
	// repair a file) a file that does not check out is skipped.
	load := func(path string, global bool) (configValues, error) {
		c, err := loadConfigForUse(path, global)
		if err != nil && a.lenientConfig {
			return configValues{}, nil
		}
		return c, err
	}
	if !d.globalOnly {
		if dir == "" {
			// No wallet folder to be found (no home, bad name): the command that needs the
			// wallet says so itself.
			dir, _ = a.walletDir()
		}
		if dir != "" {
			c, err := load(filepath.Join(dir, configFile), false)
			if err != nil {
				return "", "", err
			}
			if v, ok := c[key]; ok {
				return v, "wallet", nil
			}
		}
	}
	c, err := load(a.globalConfigPath(), true)
	if err != nil {
		return "", "", err
	}
	if v, ok := c[key]; ok {
		return v, "global", nil
	}
	return d.def, "default", nil
}

// setting is the value of a setting for wallet w (nil: the wallet the flags select), by
// flag > environment > wallet config > global config > default. Commands read every
// configurable value through it.
func (a *App) setting(w *wallet.Wallet, key string) (string, error) {
	dir := ""
	if w != nil {
		dir = w.Dir()
	}
	v, _, err := a.lookupSetting(dir, key)
	return v, err
}

func checkConfigKey(key string, global bool) (*settingDef, error) {
	d, ok := settingByKey(key)
	if !ok {
		return nil, usagef("unknown_config_key", fmt.Sprintf("unknown config key %q: known keys are %s", key, strings.Join(settingKeys(), ", ")))
	}
	if d.globalOnly && !global {
		return nil, usagef("global_config_key", fmt.Sprintf("config key %q is only a global setting: add --global", key))
	}
	return d, nil
}

func newConfigCmd(a *App) *cobra.Command {
	var global bool
	c := &cobra.Command{
		Use:   "config",
		Short: "Read and change settings, per wallet or for every wallet (--global)",
		Long: `Read and change settings. Each wallet has config.toml in its folder; the global file is
$SATCHEL_CONFIG if set, else $XDG_CONFIG_HOME/satchel/config.toml, else
~/.config/satchel/config.toml. Both are TOML, written atomically with mode 0600.

A value is taken from the first of: a flag, an environment variable, the wallet's config, the
global config, the default. get and list show what the files say (the wallet's file over the
global one; with --global only the global one). list shows every key, with its default or "not
set" when no file sets it, and names a flag or variable given that beats the files.

Keys:
` + configKeysHelp() + `
  limit.per-payment, limit.daily, limit.allow
              spending caps, kept in wallet.db: tightening is free, loosening needs the passphrase`,
		Example: "  satchel config set backend btcd://user:pass@127.0.0.1:18334\n  satchel config set --global unit btc\n" +
			"  satchel config get backend\n  satchel config list --json",
	}
	c.PersistentFlags().BoolVar(&global, "global", false, "use the global config file, shared by every wallet")

	// files returns the path to change and the files to read, in order of precedence.
	files := func() (target string, read []string, err error) {
		gp := a.globalConfigPath()
		if global {
			if gp == "" {
				return "", nil, usagef("no_config_home", "cannot find a home folder for the global config: set SATCHEL_CONFIG or XDG_CONFIG_HOME")
			}
			return gp, []string{gp}, nil
		}
		w, err := a.openWallet(true)
		if _, code := classify(err); err != nil && code == "no_wallet" && gp != "" && !a.anyWallet() {
			// Before the first create a newcomer may set things up (a backend, the unit):
			// the global config takes them now. (With wallets there, a name that is none of
			// them is a typo, said as such.)
			return "", nil, &codedError{exit: exitError, code: "no_wallet", err: fmt.Errorf("%w; or add --global to use the config shared by every wallet (%s)", err, gp)}
		}
		if err != nil {
			return "", nil, err
		}
		dir := w.Dir()
		w.Close()
		wp := filepath.Join(dir, configFile)
		return wp, []string{wp, gp}, nil
	}
	merged := func(paths []string) (configValues, map[string]string, error) {
		out, origin := configValues{}, map[string]string{}
		for i := len(paths) - 1; i >= 0; i-- {
			isGlobal := paths[i] == a.globalConfigPath()
			cf, err := readConfigFile(paths[i], isGlobal)
			var cte *configTypeError
			if errors.As(err, &cte) {
				// Shown all the same, to be repaired: what is wrong is said beside.
				a.warn("bad_config", cte.Error())
			} else if err != nil {
				return nil, nil, err
			} else if err := checkConfigFile(paths[i], cf, isGlobal); err != nil {
				a.warn("bad_config", err.Error())
			}
			for k, v := range cf {
				out[k] = v
				origin[k] = "wallet"
				if paths[i] == a.globalConfigPath() {
					origin[k] = "global"
				}
			}
		}
		return out, origin, nil
	}
	get := &cobra.Command{
		Use: "get KEY", Short: "Print a setting from the config files", Args: cobra.ExactArgs(1),
		Example: "  satchel config get backend\n  satchel config get --global unit",
		RunE: func(cmd *cobra.Command, args []string) error {
			var v string
			if isLimitKey(args[0]) {
				lv, err := a.showLimit(args[0])
				if err != nil {
					return err
				}
				v = lv
			} else {
				if _, err := checkConfigKey(args[0], true); err != nil {
					return err
				}
				_, read, err := files()
				if err != nil {
					return err
				}
				cfg, _, err := merged(read)
				if err != nil {
					return err
				}
				v = cfg[args[0]]
			}
			// get says what the files hold; a variable that beats them is said beside, or
			// "not set" (or "the default") would hide the value in use.
			env, envValue := "", ""
			if d, ok := settingByKey(args[0]); ok && d.env != "" {
				env, envValue = d.env, a.Getenv(d.env)
			}
			if v == "" && envValue != "" {
				return &codedError{exit: exitError, code: "not_set", err: fmt.Errorf("%s is not set in the config files; %s=%s from the environment is used",
					args[0], env, clipArg(maskURL(envValue)))}
			}
			if v == "" {
				return notSet(args[0])
			}
			if envValue != "" && envValue != v {
				a.warn("overridden", fmt.Sprintf("%s=%s is set in the environment and is used instead", env, clipArg(maskURL(envValue))))
			}
			if a.flags.json {
				return a.printJSON(map[string]any{"key": args[0], "value": configJSONValue(args[0], v)})
			}
			fmt.Fprintln(a.Out, v)
			return nil
		},
	}
	set := &cobra.Command{
		Use: "set KEY VALUE", Short: "Change a setting", Args: cobra.MinimumNArgs(2),
		Example: "  satchel config set gap-limit 50\n  satchel config set --global network regtest",
		RunE: func(cmd *cobra.Command, args []string) error {
			if isLimitKey(args[0]) {
				if global {
					return usagef("bad_flag", "spending caps live in each wallet's wallet.db, not in the global config: drop --global and give --wallet")
				}
				return a.changeLimit(args[0], args[1:], false)
			}
			d, err := checkConfigKey(args[0], global)
			if err != nil {
				return err
			}
			if len(args) != 2 {
				return usagef("usage", fmt.Sprintf("config set %s takes one value", args[0]))
			}
			if err := d.check(args[1]); err != nil {
				return usagef("bad_config_value", fmt.Sprintf("config %s %q: %v", args[0], clipArg(maskURL(args[1])), err))
			}
			target, _, err := files()
			if err != nil {
				return err
			}
			cfg, err := readConfigFile(target, global)
			repair := false // the file holds this key as another type: written back even if it reads the same
			if cte := (*configTypeError)(nil); errors.As(err, &cte) && cte.repairs(args[0]) {
				err, repair = nil, true
			}
			if err != nil {
				return err
			}
			if d.fold != nil {
				args[1] = d.fold(args[1])
			}
			if old, ok := cfg[args[0]]; !ok || old != args[1] || repair {
				cfg[args[0]] = args[1]
				if err := writeConfigFile(target, cfg); err != nil {
					return err
				}
			}
			a.warnShadowed(args[0], global, args[1])
			if a.flags.json {
				return a.printConfigValue(args[0], args[1])
			}
			return nil
		},
	}
	unset := &cobra.Command{
		Use: "unset KEY", Short: "Remove a setting", Args: cobra.ExactArgs(1),
		Example: "  satchel config unset backend\n  satchel config unset --global unit",
		RunE: func(cmd *cobra.Command, args []string) error {
			if isLimitKey(args[0]) {
				if global {
					return usagef("bad_flag", "spending caps live in each wallet's wallet.db, not in the global config: drop --global and give --wallet")
				}
				return a.changeLimit(args[0], nil, true)
			}
			_, unknown := checkConfigKey(args[0], true)
			if unknown != nil && !(validConfigKeyText(args[0])) {
				return unknown
			}
			target, _, err := files()
			if err != nil {
				return err
			}
			cfg, err := readConfigFile(target, global)
			if cte := (*configTypeError)(nil); errors.As(err, &cte) && cte.repairs(args[0]) {
				err = nil
			}
			if err != nil {
				return err
			}
			if _, ok := cfg[args[0]]; !ok {
				// An unknown key is removed from a file that holds it (a typo written by
				// hand, which stops every command), and refused otherwise.
				if unknown != nil {
					return unknown
				}
				a.warnShadowed(args[0], global, "")
				return a.printConfigValue(args[0], "")
			}
			delete(cfg, args[0])
			if err := writeConfigFile(target, cfg); err != nil {
				return err
			}
			a.warnShadowed(args[0], global, "")
			return a.printConfigValue(args[0], "")
		},
	}
	list := &cobra.Command{
		Use: "list", Short: "Print every setting: what the config files say, else its default", Args: cobra.NoArgs,
		Example: "  satchel config list\n  satchel config list --global --json",
		RunE: func(cmd *cobra.Command, args []string) error {
			_, read, err := files()
			noWallet := false
			if _, code := classify(err); err != nil && code == "no_wallet" && !global && a.globalConfigPath() != "" && !a.anyWallet() {
				// Before the first create: what every wallet would start with, said so.
				a.warn("no_wallet", "no wallet yet (satchel create makes one): showing the global settings and defaults")
				read, err, noWallet = []string{a.globalConfigPath()}, nil, true
			}
			if err != nil {
				return err
			}
			cfg, origin, err := merged(read)
			if err != nil {
				return err
			}
			// The wallet's spending caps live in wallet.db; they are settings all the same.
			if !global && !noWallet {
				for _, k := range limitKeys {
					v, err := a.showLimit(k)
					if err != nil {
						return err
					}
					if v != "" {
						cfg[k], origin[k] = v, "wallet.db"
					} else {
						origin[k] = "not_set"
					}
				}
			}
			// Every key is listed, so that a newcomer sees what can be set: one no file
			// sets shows its default, or that it is not set.
			for _, d := range settings {
				if _, ok := origin[d.key]; ok {
					continue
				}
				if d.def != "" {
					cfg[d.key], origin[d.key] = d.def, "default"
				} else {
					origin[d.key] = "not_set"
				}
			}
			// Values are shown with a URL's password masked, as info shows the backend: a list
			// of every setting is what gets pasted into a bug report. config get KEY, asked
			// for that one value, prints it whole.
			// A flag or environment variable beats the files: say so, or a list that says
			// "network = mainnet (default)" misleads whoever has SATCHEL_NETWORK=regtest.
			overrideOf := func(k string) (by, v string) {
				d, ok := settingByKey(k)
				if !ok {
					return "", ""
				}
				// Only a flag given here: a.flags holds network, wallet and unit resolved.
				if f := cmd.Flag(d.flag); d.flag != "" && f != nil && f.Changed {
					return "--" + d.flag, maskURL(f.Value.String())
				}
				if v := a.Getenv(d.env); v != "" {
					return d.env, maskURL(v)
				}
				return "", ""
			}
			if a.flags.json {
				out := make(map[string]configListEntry, len(origin))
				for k, src := range origin {
					e := configListEntry{Source: src}
					if src != "not_set" {
						e.Value = configJSONValue(k, maskURL(cfg[k]))
					}
					if by, v := overrideOf(k); by != "" {
						e.OverriddenBy, e.InUse = by, configJSONValue(k, v)
					}
					out[k] = e
				}
				return a.printJSON(out)
			}
			ks := make([]string, 0, len(origin))
			for k := range origin {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			for _, k := range ks {
				over := ""
				if by, v := overrideOf(k); by != "" {
					sep := "=" // SATCHEL_UNIT=btc, --unit btc: as each is typed
					if strings.HasPrefix(by, "--") {
						sep = " "
					}
					over = fmt.Sprintf("; %s%s%s is used", by, sep, v)
					// A bad value is refused by every other command: say so here, not "is used".
					if d, ok := settingByKey(k); ok && d.check(v) != nil {
						over = fmt.Sprintf("; %s%s%s is refused: %v", by, sep, v, d.check(v))
					}
				}
				if origin[k] == "not_set" {
					fmt.Fprintf(a.Out, "%s  (not set%s)\n", k, over)
					continue
				}
				fmt.Fprintf(a.Out, "%s = %s  (%s%s)\n", k, maskURL(cfg[k]), origin[k], over)
			}
			return nil
		},
	}
	path := &cobra.Command{
		Use: "path", Short: "Print where the config file is", Args: cobra.NoArgs,
		Example: "  satchel config path\n  satchel config path --global",
		RunE: func(cmd *cobra.Command, args []string) error {
			target, _, err := files()
			if err != nil {
				return err
			}
			if a.flags.json {
				return a.printJSON(map[string]string{"path": target})
			}
			fmt.Fprintln(a.Out, target)
			return nil
		},
	}
	keyArg := func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) == 0 {
			var out []string
			for _, s := range settings {
				out = append(out, s.key+"\t"+s.help)
			}
			out = append(out, limitKeys...)
			return out, cobra.ShellCompDirectiveNoFileComp
		}
		if len(args) == 1 && cmd == set {
			if d, ok := settingByKey(args[0]); ok {
				return d.values, cobra.ShellCompDirectiveNoFileComp
			}
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	for _, s := range []*cobra.Command{get, set, unset} {
		s.ValidArgsFunction = keyArg
	}
	for _, s := range []*cobra.Command{get, set, unset, list, path} {
		s.Long = s.Short + ".\n\n" + exitStatusHelp
	}
	c.AddCommand(get, set, unset, list, path)
	return c
}

// warnShadowed says, after config set or unset of key, what still beats or supplies the value
// the command changed, and how to change that too: an environment variable beats every file;
// the wallet's file beats the global one; and a key unset from the wallet's file may still come
// from the global one. Without it a user sees the old value still in use and no reason.
// value is the value set ("" for unset): a variable that holds the same changes nothing.
func (a *App) warnShadowed(key string, global bool, value string) {
	d, ok := settingByKey(key)
	if !ok {
		return
	}
	if v := a.Getenv(d.env); v != "" {
		if v != value {
			a.warn("overridden", fmt.Sprintf("%s=%s is set in the environment and beats the config files (unset it for them to apply)", d.env, clipArg(maskURL(v))))
		}
		return
	}
	if d.globalOnly {
		return
	}
	dir, err := a.walletDir()
	if err != nil {
		return
	}
	wp, gp := filepath.Join(dir, configFile), a.globalConfigPath()
	wc, werr := readConfigFile(wp, false)
	gc, gerr := readConfigFile(gp, true)
	if global {
		if v, ok := wc[key]; ok && werr == nil {
			a.warn("overridden", fmt.Sprintf("the config of wallet %s sets %s = %s, which beats the global one there: satchel config unset %s --wallet %s",
				a.flags.wallet, key, clipArg(maskURL(v)), key, a.flags.wallet))
		}
		return
	}
	if _, ok := wc[key]; !ok && werr == nil && gerr == nil && gp != "" {
		if v, ok := gc[key]; ok {
			a.warn("set_globally", fmt.Sprintf("%s is not set in the config of wallet %s; the global config sets %s = %s for every wallet: satchel config unset --global %s",
				key, a.flags.wallet, key, clipArg(maskURL(v)), key))
		}
	}
}

// maxConfigFile bounds a config file: a few hundred bytes in practice.
const maxConfigFile = 1 << 20

// errTooLarge marks a file readBounded refused for its size.
var errTooLarge = errors.New("file too large")

// readBounded reads a file of at most max bytes, and refuses a larger one (or a device that
// never ends) instead of reading it all.
func readBounded(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: larger than %d bytes", errTooLarge, max)
	}
	return data, nil
}

// configListEntry is one setting in config list --json: its value and where it comes from
// (wallet: the wallet's config.toml, global: the global one, wallet.db: a spending cap,
// default: no file sets it; not_set, with a null value: no file sets it and it has no default).
// A flag or environment variable that beats them is named in overridden_by, with its value.
type configListEntry struct {
	Value        any    `json:"value"`
	Source       string `json:"source"`
	OverriddenBy string `json:"overridden_by,omitempty"`
	InUse        any    `json:"in_use,omitempty"`
}

// configJSONValue gives a setting its JSON type: numbers as numbers (gap-limit, fee-target,
// the caps in satoshis), the allowed destinations as a list, everything else as a string.
func configJSONValue(key, v string) any {
	if key == "limit.allow" {
		return strings.Fields(v)
	}
	numeric := key == "limit.per-payment" || key == "limit.daily"
	if d, ok := settingByKey(key); ok && d.numeric {
		numeric = true
	}
	if numeric {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	return v
}

// printConfigValue prints, under --json, what config set and unset leave in the file: the
// object config get prints, {"key","value"} with the value typed as there, null once unset
// (as config list has a key no file sets). Text output prints nothing.
func (a *App) printConfigValue(key, v string) error {
	if !a.flags.json {
		return nil
	}
	var value any
	if v != "" {
		value = configJSONValue(key, v)
	}
	return a.printJSON(map[string]any{"key": key, "value": value})
}

// notSet is config get of a key no file sets: exit 1, code not_set, naming the default.
func notSet(key string) error {
	msg := fmt.Sprintf("%s is not set", key)
	if d, ok := settingByKey(key); ok && d.def != "" {
		msg += fmt.Sprintf(" in the config files (satchel uses the default, %s)", d.def)
	} else {
		msg += fmt.Sprintf(" (set it with: satchel config set %s VALUE)", key)
	}
	return &codedError{exit: exitError, code: "not_set", err: errors.New(msg)}
}

// anyWallet says whether a wallet folder exists on the network in use. config list falls back to
// the global settings only before the first create: with wallets there, a --wallet name that is
// none of them is a typo, to be told as one rather than answered as if all were well.
func (a *App) anyWallet() bool {
	dir, err := a.dataDir()
	if err != nil {
		return false
	}
	entries, err := os.ReadDir(filepath.Join(dir, a.flags.network))
	if err != nil {
		return false
	}
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			return true
		}
	}
	return false
}
