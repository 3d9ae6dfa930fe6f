package wallet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/descriptor"
	"github.com/satchel-wallet/satchel/wallet/fiat"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// Networks lists the network names satchel accepts, in the order help shows them.
var Networks = []string{"mainnet", "testnet", "testnet4", "signet", "regtest"}

// NetworkParams maps a satchel network name to its chain parameters.
func NetworkParams(name string) (*chaincfg.Params, error) {
	p, ok := address.Networks()[name]
	if !ok {
		return nil, fmt.Errorf("network %q: %w: use one of mainnet, testnet, testnet4, signet, regtest", name, ErrBadInput)
	}
	return p, nil
}

// Wallet is an open wallet folder.
type Wallet struct {
	dir      string
	st       *store.Store
	meta     store.Meta
	net      *chaincfg.Params
	accounts []*account // purpose order: main first
	readOnly bool
	timeout  time.Duration
	now      func() time.Time
	// suspended: the store is closed while the user is asked something (Pay).
	suspended bool
	// shared: the wallet was opened read-only; release gives the write lock back after a
	// short write (a sync), so a command that then waits (a prompt) blocks nobody.
	shared bool
	// price is the price of bitcoin the command fetched (SetPrice), for caps set in a currency.
	price *fiat.Price
}

type account struct {
	rec  store.Account
	keys *keys.Account
}

// OpenOptions say how to open a wallet.
type OpenOptions struct {
	// ReadOnly takes a shared lock, so several readers run at once.
	ReadOnly bool
	// LockTimeout bounds the wait for another satchel to let go; zero means 2 seconds.
	LockTimeout time.Duration
	// Now is the wallet's one clock (reservations, first-seen times, deadlines); nil means
	// time.Now. Tests inject a fixed clock here, so nothing in the wallet reads the real one
	// beside it.
	Now func() time.Time
}

// Open opens the wallet in dir, which must be for network.
func Open(dir, network string, o OpenOptions) (*Wallet, error) {
	net, err := NetworkParams(network)
	if err != nil {
		return nil, err
	}
	_, err = os.Stat(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w at %s (create one with: satchel create)", ErrNoWallet, dir)
		}
		return nil, fmt.Errorf("open wallet %s: %w", dir, err)
	}
	// The wallet folder, its network folder and the data folder: whoever can write one of them
	// can swap a wallet's files.
	for i, d := 0, dir; i < 3; i, d = i+1, filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			break
		}
		if fi.Mode().Perm()&0o022 != 0 {
			return nil, fmt.Errorf("%w: %s is writable by others; fix it with: chmod go-w %s", ErrInsecureFolder, d, d)
		}
	}
	st, err := store.Open(filepath.Join(dir, store.FileName), store.Options{ReadOnly: o.ReadOnly, Timeout: o.LockTimeout})
	if err != nil {
		return nil, err
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	w := &Wallet{dir: dir, st: st, net: net, readOnly: o.ReadOnly, shared: o.ReadOnly, timeout: o.LockTimeout, now: now}
	if err := w.load(network); err != nil {
		st.Close()
		return nil, err
	}
	return w, nil
}

func (w *Wallet) load(network string) error {
	return w.st.View(func(tx *store.Txn) error {
		m, err := tx.Meta()
		if err != nil {
			return fmt.Errorf("read %s: %w", w.st.Path(), err)
		}
		if m.Network != network {
			return fmt.Errorf("%w: %s was created for %s, not %s (use --network %s)", ErrWrongNetwork, w.dir, m.Network, network, m.Network)
		}
		w.meta = m
		recs, err := tx.Accounts()
		if err != nil {
			return err
		}
		fp, err := keys.ParseFingerprint(m.Fingerprint)
		if err != nil {
			return fmt.Errorf("read %s: fingerprint: %w", w.st.Path(), err)
		}
		for _, r := range recs {
			if r.Descriptor != "" {
				ka, err := loadMultisig(r, m.WatchOnly, w.net)
				if err != nil {
					return fmt.Errorf("read %s: multisig account: %w", w.st.Path(), err)
				}
				w.accounts = append(w.accounts, &account{rec: r, keys: ka})
				continue
			}
			ka, err := keys.NewAccountFromXpub(r.Xpub, keys.Purpose(r.Purpose), fp, w.net)
			if err != nil {
				return fmt.Errorf("read %s: account %d: %w", w.st.Path(), r.Purpose, err)
			}
			w.accounts = append(w.accounts, &account{rec: r, keys: ka})
		}
		sort.SliceStable(w.accounts, func(i, j int) bool { return w.accounts[i].rec.Main && !w.accounts[j].rec.Main })
		if len(w.accounts) == 0 || !w.accounts[0].rec.Main {
			return fmt.Errorf("read %s: no main account", w.st.Path())
		}
		return nil
	})
}

// writable makes sure the wallet holds the write lock, reopening a read-only store for writing.
// Commands that sync open read-only, do their network work under the shared lock, and take the
// exclusive lock only for the short write, so other readers are not kept waiting.
func (w *Wallet) writable() error {
	if !w.readOnly {
		return nil
	}
	path := w.st.Path()
	if err := w.st.Close(); err != nil {
		return err
	}
	st, err := store.Open(path, store.Options{Timeout: w.timeout})
	if err != nil {
		// Fall back to the shared lock so the wallet stays usable for reading.
		if ro, err2 := store.Open(path, store.Options{ReadOnly: true, Timeout: w.timeout}); err2 == nil {
			w.st = ro
		}
		return err
	}
	w.st, w.readOnly = st, false
	return nil
}

// Close releases the wallet's files.
func (w *Wallet) Close() error { return w.st.Close() }

// Dir is the wallet's folder.
func (w *Wallet) Dir() string { return w.dir }

// KeystorePath is where the wallet's encrypted seed lives.
func (w *Wallet) KeystorePath() string { return filepath.Join(w.dir, KeystoreFile) }

// Meta describes the wallet.
func (w *Wallet) Meta() store.Meta { return w.meta }

// Net returns the wallet's chain parameters.
func (w *Wallet) Net() *chaincfg.Params { return w.net }

// Store gives access to the wallet's store for the few callers that need more than this
// package offers (tests, backups).
func (w *Wallet) Store() *store.Store { return w.st }

func (w *Wallet) main() *account { return w.accounts[0] }

// Descriptors is a receive and change descriptor pair of one account.
type Descriptors struct {
	Purpose uint32 `json:"purpose"`
	Receive string `json:"receive"`
	Change  string `json:"change"`
}

// Descriptors lists the descriptors in use: the main account's, then those of other standard
// paths where a sync found funds.
func (w *Wallet) Descriptors() []Descriptors {
	var out []Descriptors
	for _, a := range w.accounts {
		if !a.rec.Active {
			continue
		}
		out = append(out, Descriptors{Purpose: a.rec.Purpose, Receive: descriptorFor(a.keys, 0), Change: descriptorFor(a.keys, 1)})
	}
	return out
}

// SyncState returns what the last sync saw; ok is false before the first sync.
func (w *Wallet) SyncState() (s store.SyncState, ok bool, err error) {
	err = w.st.View(func(tx *store.Txn) error {
		var e error
		s, e = tx.SyncState()
		if store.IsNotFound(e) {
			return nil
		}
		ok = e == nil
		return e
	})
	return s, ok, err
}

func descriptorFor(a *keys.Account, chain uint32) string { return descriptor.ForAccount(a, chain) }

// release goes back to the shared lock when the wallet was opened read-only and a write took
// the exclusive one.
func (w *Wallet) release() error {
	if !w.shared || w.readOnly || w.suspended {
		return nil
	}
	if err := w.st.Close(); err != nil {
		return err
	}
	return w.reopenReadOnly()
}

// reopenReadOnly opens the closed store again, shared.
func (w *Wallet) reopenReadOnly() error {
	st, err := store.Open(w.st.Path(), store.Options{ReadOnly: true, Timeout: w.timeout})
	if err != nil {
		return err
	}
	w.st, w.readOnly = st, true
	return nil
}
