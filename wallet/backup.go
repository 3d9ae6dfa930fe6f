package wallet

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/internal/jsonwhy"
	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// Backup file constants. The layout is described at Backup.
const (
	BackupFormat = "satchel-backup"
	// BackupVersion is the version Marshal writes: 2 carries an authentication code keyed by
	// the wallet passphrase. Version 1 files (a plain checksum) are still read, and restored
	// with a warning that nothing vouches for them.
	BackupVersion = 2
	// MaxBackupBytes bounds what ParseBackup reads: a keystore is about 1 KiB, and the labels
	// of the largest file labels import takes (64 MiB of BIP329 lines, whose origin fields a
	// backup does not repeat) fit with room. Marshal refuses to write more, so a backup that
	// was written can always be restored.
	MaxBackupBytes = 96 << 20
)

// backupLimit is MaxBackupBytes; tests lower it to reach it without writing 96 MiB.
var backupLimit = MaxBackupBytes

// ErrBackupTooLarge means a wallet holds more labels than a backup file restore reads.
var ErrBackupTooLarge = errors.New("the backup is too large")

// Limits on what a backup may hold, so a hostile file cannot make a restore do unbounded work.
const (
	maxBackupKeystore = 64 << 10
	maxBackupAccounts = 16
	maxBackupFiles    = 16
	maxBackupFileSize = 1 << 20
	maxBackupKeyBytes = 512
	maxBackupLabel    = 64 << 10
	// maxBackupNextIndex bounds the addresses a restore derives again: far beyond any real
	// wallet, and a few seconds of work.
	maxBackupNextIndex = 1 << 18
)

// ErrBadBackup marks a backup file that is not one, is damaged or edited (its checksum does not
// match), or holds something a wallet cannot have.
var ErrBadBackup = errors.New("not a valid satchel backup")

// Backup is everything needed to bring a wallet back on another machine without its seed
// words: the keystore file byte for byte (still encrypted under the wallet passphrase), the
// accounts with how far each has handed out addresses, the labels, the frozen coins and the
// wallet's settings files. Transactions are not in it: the first sync finds them again.
//
// On disk it is one JSON object: {"format": "satchel-backup", "version": 2, "sha256": HEX,
// "hmac_sha256": HEX, "body": {...}}, where sha256 is the SHA-256 of the body in compact JSON
// form, so a damaged or truncated file is refused as a whole, and hmac_sha256 is
// HMAC-SHA256(key, "satchel-backup" NUL body) with key = HKDF-SHA256(BIP32 seed, info "satchel
// backup authentication v2"): only someone with the wallet passphrase can make it, so an edited
// file is refused when the restore unlocks the keystore. A watch-only wallet has no secret: its
// backups carry no hmac_sha256, like version 1 files. The body holds "created", "wallet" (the store's meta:
// network, type, fingerprint, created), "keystore" (base64 of the keystore file), "accounts",
// "descriptors" (for people and other tools; checked against the accounts on reading),
// "labels" (the store's label keys, like "tx:TXID", to their text), "frozen" (outpoints) and
// "files" (name to contents, e.g. config.toml).
type Backup struct {
	Created  time.Time
	Wallet   store.Meta
	Keystore []byte // nil for a watch-only wallet
	Accounts []store.Account
	Labels   map[string]string
	Frozen   []wire.OutPoint
	Files    map[string]string
	// Version is the file's format version (Marshal always writes BackupVersion).
	Version int

	key  []byte // Authenticate's key: Marshal writes the code
	mac  []byte // the code read from the file
	body []byte // the body read from the file, compact: what mac authenticates

	// Silent is the silent-payment state; nil when the wallet never handed out such an address.
	Silent *SilentBackup
}

// SilentBackup is what a backup keeps of silent payments: the birthday, how far the scan had
// got, and the labels handed out. The keys come back from the seed; a restored wallet scans
// again from the birthday, so it finds every payment whatever the original had scanned.
type SilentBackup struct {
	Birthday int32             `json:"birthday"`
	Scanned  int32             `json:"scanned_height"`
	Labels   map[uint32]string `json:"labels,omitempty"`
}

type backupEnvelope struct {
	Format  string          `json:"format"`
	Version int             `json:"version"`
	SHA256  string          `json:"sha256"`
	HMAC    string          `json:"hmac_sha256,omitempty"`
	Body    json.RawMessage `json:"body"`
}

type backupBody struct {
	Created     time.Time         `json:"created"`
	Wallet      store.Meta        `json:"wallet"`
	Keystore    []byte            `json:"keystore,omitempty"`
	Accounts    []store.Account   `json:"accounts"`
	Descriptors []Descriptors     `json:"descriptors"`
	Labels      map[string]string `json:"labels"`
	Frozen      []string          `json:"frozen"`
	Files       map[string]string `json:"files"`
	Silent      *SilentBackup     `json:"silent_payments,omitempty"`
}

// Backup gathers the wallet into a Backup. files are extra files of the wallet folder the
// caller keeps (the CLI's config.toml), by name.
func (w *Wallet) Backup(files map[string]string, now time.Time) (*Backup, error) {
	b := &Backup{Created: now.UTC().Truncate(time.Second), Files: map[string]string{}, Version: BackupVersion}
	for name, content := range files {
		b.Files[name] = content
	}
	if !w.meta.WatchOnly {
		// ReadInfo checks the file is intact (permissions, structure, checksum) before a copy
		// of it is trusted as the backup.
		if _, err := keystore.ReadInfo(w.KeystorePath()); err != nil {
			return nil, err
		}
		raw, err := os.ReadFile(w.KeystorePath())
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		b.Keystore = raw
	}
	err := w.st.View(func(tx *store.Txn) error {
		m, err := tx.Meta()
		if err != nil {
			return err
		}
		b.Wallet = m
		if b.Accounts, err = tx.Accounts(); err != nil {
			return err
		}
		if b.Labels, err = tx.Labels(); err != nil {
			return err
		}
		for op := range tx.FrozenSet() {
			b.Frozen = append(b.Frozen, op)
		}
		if bday, scanned, ok := tx.SilentHeights(); ok {
			b.Silent = &SilentBackup{Birthday: bday, Scanned: scanned, Labels: tx.SilentLabels()}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("backup: read %s: %w", w.st.Path(), err)
	}
	slices.SortFunc(b.Frozen, func(x, y wire.OutPoint) int { return strings.Compare(x.String(), y.String()) })
	if err := b.check(); err != nil {
		return nil, fmt.Errorf("backup: the wallet cannot be backed up: %w", err)
	}
	return b, nil
}

// Marshal writes the backup file.
func (b *Backup) Marshal() ([]byte, error) {
	body := backupBody{Created: b.Created.UTC(), Wallet: b.Wallet, Keystore: b.Keystore, Accounts: b.Accounts,
		Labels: b.Labels, Files: b.Files, Frozen: []string{}, Silent: b.Silent}
	if body.Labels == nil {
		body.Labels = map[string]string{}
	}
	if body.Files == nil {
		body.Files = map[string]string{}
	}
	for _, op := range b.Frozen {
		body.Frozen = append(body.Frozen, op.String())
	}
	accts, err := b.accounts()
	if err != nil {
		return nil, err
	}
	for _, a := range accts {
		if a.rec.Active {
			body.Descriptors = append(body.Descriptors, Descriptors{Purpose: a.rec.Purpose,
				Receive: descriptorFor(a.keys, 0), Change: descriptorFor(a.keys, 1)})
		}
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	sum := sha256.Sum256(raw)
	env := backupEnvelope{Format: BackupFormat, Version: BackupVersion, SHA256: hex.EncodeToString(sum[:]), Body: raw}
	switch {
	case len(b.key) > 0:
		env.HMAC = hex.EncodeToString(backupMAC(b.key, raw))
	case len(b.mac) > 0 && bytes.Equal(raw, b.body):
		env.HMAC = hex.EncodeToString(b.mac) // a parsed file written again as it was
	case b.Version == 1:
		env.Version = 1 // a parsed version 1 file written again: still unauthenticated
	case !b.Wallet.WatchOnly:
		return nil, errors.New("backup: an authentication key is needed (Authenticate with the wallet's BackupKey)")
	}
	out, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if len(out)+1 > backupLimit {
		// Written anyway it would be refused by the restore it is for.
		return nil, fmt.Errorf("%w: it would be %d MiB, more than satchel restore reads (%d MiB), with %s labels: keep them apart with satchel labels export FILE and label fewer things",
			ErrBackupTooLarge, (len(out)+1+(1<<20)-1)>>20, backupLimit>>20, groupNum(int64(len(b.Labels))))
	}
	return append(out, '\n'), nil
}

// ParseBackup reads a backup file and checks everything that can be checked without the
// passphrase: the format and version, the checksum, and that the accounts, descriptors,
// labels, frozen coins and files make a wallet. Failures match ErrBadBackup.
func ParseBackup(data []byte) (*Backup, error) {
	bad := func(format string, a ...any) (*Backup, error) {
		return nil, fmt.Errorf("%w: %s", ErrBadBackup, fmt.Sprintf(format, a...))
	}
	if len(data) > backupLimit {
		return bad("the file is larger than %d MiB", backupLimit>>20)
	}
	var env backupEnvelope
	if err := strictJSON(data, &env); err != nil {
		var syn *json.SyntaxError
		switch {
		case len(bytes.TrimSpace(data)) == 0:
			return bad("the file is empty: give the file satchel backup export wrote")
		case errors.Is(err, errTrailingJSON):
			return bad("%v: give the file satchel backup export wrote, alone", err)
		case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return bad("the file is not complete JSON (cut short, or not a backup): %s", jsonwhy.Describe(err))
		}
		// The JSON reads but is not a backup's: a labels file (many values, or one with
		// other fields), an array, another program's file.
		why := strings.TrimSuffix(jsonwhy.Describe(err), " (check its spelling)")
		return bad("it is another kind of file (%s): give the file satchel backup export wrote", why)
	}
	if env.Format == "" {
		return bad("it is another kind of file (it has no \"format\": %q): give the file satchel backup export wrote", BackupFormat)
	}
	if env.Format != BackupFormat {
		return bad("format is %s, not %q", quoteCut(env.Format), BackupFormat)
	}
	if env.Version != 1 && env.Version != BackupVersion {
		return bad("backup version %d; this satchel reads versions 1 and %d (a newer satchel may read it)", env.Version, BackupVersion)
	}
	var compact bytes.Buffer
	if len(env.Body) == 0 || json.Compact(&compact, env.Body) != nil {
		return bad("no body")
	}
	sum := sha256.Sum256(compact.Bytes())
	if want, err := hex.DecodeString(env.SHA256); err != nil || !bytes.Equal(want, sum[:]) {
		return bad("the checksum does not match: the file was changed or damaged after it was written")
	}
	var body backupBody
	if err := strictJSON(compact.Bytes(), &body); err != nil {
		return bad("body: %v", err)
	}
	b := &Backup{Created: body.Created, Wallet: body.Wallet, Keystore: body.Keystore, Accounts: body.Accounts,
		Labels: body.Labels, Files: body.Files, Version: env.Version, body: compact.Bytes(), Silent: body.Silent}
	if sp := body.Silent; sp != nil {
		if sp.Birthday < 0 || sp.Scanned < sp.Birthday-1 {
			return bad("silent payments: birthday %d and scanned height %d do not fit", sp.Birthday, sp.Scanned)
		}
		for m, text := range sp.Labels {
			if m == 0 || text == "" {
				return bad("silent payments: label %d %s: labels are numbered from 1 and have a text", m, quoteCut(text))
			}
		}
	}
	switch {
	case env.Version == 1 && env.HMAC != "":
		return bad("a version 1 backup with an authentication code")
	case env.Version >= 2 && body.Wallet.WatchOnly && env.HMAC != "":
		return bad("a watch-only backup with an authentication code")
	case env.Version >= 2 && !body.Wallet.WatchOnly:
		mac, err := hex.DecodeString(env.HMAC)
		if err != nil || len(mac) != sha256.Size {
			return bad("no valid authentication code (hmac_sha256): the file was edited or damaged")
		}
		b.mac = mac
	}
	for _, s := range body.Frozen {
		op, err := parseOutPointKey(s)
		if err != nil {
			return bad("frozen coin %s: %v", quoteCut(s), err)
		}
		b.Frozen = append(b.Frozen, op)
	}
	if err := b.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadBackup, err)
	}
	accts, _ := b.accounts()
	var want []Descriptors
	for _, a := range accts {
		if a.rec.Active {
			want = append(want, Descriptors{Purpose: a.rec.Purpose, Receive: descriptorFor(a.keys, 0), Change: descriptorFor(a.keys, 1)})
		}
	}
	if !slices.Equal(want, body.Descriptors) {
		return bad("the descriptors do not match the accounts' keys")
	}
	return b, nil
}

// errTrailingJSON is text after a backup's one JSON object.
var errTrailingJSON = errors.New("more follows the JSON object (two files joined?)")

// strictJSON decodes one JSON value with no unknown fields and nothing after it.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errTrailingJSON
	}
	return nil
}

// check validates a backup's contents as Open would find them in a wallet folder.
func (b *Backup) check() error {
	m := b.Wallet
	if _, err := NetworkParams(m.Network); err != nil {
		return fmt.Errorf("wallet network: %w", err)
	}
	if _, err := keys.ParseFingerprint(m.Fingerprint); err != nil {
		return fmt.Errorf("wallet %w", err)
	}
	if m.WatchOnly != (len(b.Keystore) == 0) {
		if m.WatchOnly {
			return errors.New("a watch-only wallet with a keystore")
		}
		return errors.New("no keystore")
	}
	if len(b.Keystore) > maxBackupKeystore {
		return fmt.Errorf("keystore of %s bytes; a keystore is at most %d KiB", groupNum(int64(len(b.Keystore))), maxBackupKeystore>>10)
	}
	accts, err := b.accounts()
	if err != nil {
		return err
	}
	if accts[0].keys.ScriptType().String() != m.Type {
		return fmt.Errorf("wallet type %s does not match its main account (%s)", quoteCut(m.Type), accts[0].keys.ScriptType())
	}
	for k, v := range b.Labels {
		if len(k) == 0 || len(k) > maxBackupKeyBytes || !strings.Contains(k, ":") || strings.ContainsAny(k, "\x00\r\n") {
			return fmt.Errorf("label key %s is not one satchel writes", quoteCut(k))
		}
		if len(v) > maxBackupLabel {
			return fmt.Errorf("label %s is longer than %d bytes", quoteCut(k), maxBackupLabel)
		}
	}
	if len(b.Files) > maxBackupFiles {
		return fmt.Errorf("%d files; a backup holds at most %d", len(b.Files), maxBackupFiles)
	}
	for name, content := range b.Files {
		if err := checkBackupFileName(name); err != nil {
			return err
		}
		if len(content) > maxBackupFileSize {
			return fmt.Errorf("file %s is larger than %d MiB", name, maxBackupFileSize>>20)
		}
	}
	return nil
}

// accounts parses the backup's accounts as Open does, main first.
func (b *Backup) accounts() ([]*account, error) {
	net, err := NetworkParams(b.Wallet.Network)
	if err != nil {
		return nil, err
	}
	fp, err := keys.ParseFingerprint(b.Wallet.Fingerprint)
	if err != nil {
		return nil, err
	}
	if len(b.Accounts) == 0 || len(b.Accounts) > maxBackupAccounts {
		return nil, fmt.Errorf("%d accounts; a wallet has 1 to %d", len(b.Accounts), maxBackupAccounts)
	}
	var out []*account
	seen := map[uint32]bool{}
	mains := 0
	for _, r := range b.Accounts {
		if seen[r.Purpose] {
			return nil, fmt.Errorf("two accounts with purpose %d", r.Purpose)
		}
		seen[r.Purpose] = true
		var ka *keys.Account
		if r.Descriptor != "" {
			ka, err = loadMultisig(r, b.Wallet.WatchOnly, net)
		} else {
			ka, err = keys.NewAccountFromXpub(r.Xpub, keys.Purpose(r.Purpose), fp, net)
		}
		if err != nil {
			return nil, fmt.Errorf("account %d: %w", r.Purpose, err)
		}
		if r.NextReceive > maxBackupNextIndex || r.NextChange > maxBackupNextIndex {
			return nil, fmt.Errorf("account %d: more than %s addresses handed out", r.Purpose, groupNum(int64(maxBackupNextIndex)))
		}
		a := &account{rec: r, keys: ka}
		if r.Main {
			mains++
			if !r.Active {
				return nil, fmt.Errorf("account %d: the main account is not active", r.Purpose)
			}
			out = append([]*account{a}, out...)
		} else {
			out = append(out, a)
		}
	}
	if mains != 1 {
		return nil, fmt.Errorf("%d main accounts; a wallet has one", mains)
	}
	return out, nil
}

// checkBackupFileName allows plain names for the settings files a backup carries, never the
// keystore or the store, which a restore writes itself.
func checkBackupFileName(name string) error {
	ok := name != "" && len(name) <= 64 && name[0] != '.' && !strings.HasPrefix(name, "keystore") &&
		!strings.HasPrefix(name, store.FileName)
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("file name %s is not allowed in a backup", quoteCut(name))
	}
	return nil
}

// quoteCut quotes a value for an error, cut so a huge value cannot flood the message.
func quoteCut(s string) string { return clip.Quote(s, 40) }
