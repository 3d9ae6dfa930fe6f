package wallet

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/satchel-wallet/satchel/wallet/descriptor"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/setupfile"
)

// ErrNotMultisig means a multisig operation (a setup file's export) was asked of a
// single-key wallet.
var ErrNotMultisig = errors.New("not a multisig wallet")

// ErrNotMember means a member was to be restored from a setup file that does not hold the
// seed's multisig key at its path: the words are another wallet's.
var ErrNotMember = errors.New("the seed is not a member of this multisig")

// SetupAddress is the setupfile.AddressFunc of satchel's wallets: the address at index 0 of a
// wsh(sortedmulti(...)) descriptor whose keys end in /0/*, derived by wallet/descriptor as the
// wallet itself derives its receive addresses, so a BSMS record's first address is the one
// the wallet will hand out.
func SetupAddress(desc, network string) (string, error) {
	net, err := NetworkParams(network)
	if err != nil {
		return "", err
	}
	d, err := descriptor.Parse(desc)
	if err != nil {
		return "", err
	}
	if d.Multi == nil {
		return "", fmt.Errorf("%w: not a wsh(sortedmulti(...)) descriptor", ErrBadInput)
	}
	script, err := d.ScriptAt(0)
	if err != nil {
		return "", err
	}
	addr := ScriptAddress(script, net)
	if addr == "" {
		return "", fmt.Errorf("%w: the descriptor gives no address", ErrBadInput)
	}
	return addr, nil
}

var _ setupfile.AddressFunc = SetupAddress

// ReadSetup reads a multisig setup file in any of setupfile's formats for a wallet on network:
// an encrypted BSMS record is opened with token (nil when none was given), a BSMS record's
// first address is checked against the keys (setupfile.ErrFirstAddress), a network the file
// leaves open is taken as network, and a file for another network is refused. It returns the
// format read.
func ReadSetup(data, token []byte, network string) (string, *setupfile.Setup, error) {
	if setupfile.IsEncryptedBSMS(data) {
		if token == nil {
			return "", nil, fmt.Errorf("%w: an encrypted BSMS record: give the coordinator's TOKEN (--token-file FILE)", setupfile.ErrInvalid)
		}
		var err error
		if data, err = setupfile.DecryptBSMS(data, token); err != nil {
			return "", nil, err
		}
	}
	format, s, err := setupfile.Import(data, SetupAddress)
	if err != nil {
		return format, nil, err
	}
	s.AdoptNetwork(format, network)
	if s.Network != network {
		return format, nil, fmt.Errorf("%w: the setup is for %s, not %s (use --network %s)", ErrWrongNetwork, s.Network, network, s.Network)
	}
	return format, s, nil
}

// Setup describes the wallet's multisig as a setupfile.Setup named name, for export to other
// coordinators and signers: every cosigner's key with its origin, the threshold, the network.
// A single-key wallet gives ErrNotMultisig.
func (w *Wallet) Setup(name string) (*setupfile.Setup, error) {
	ms := w.main().keys.Multi
	if ms == nil {
		return nil, fmt.Errorf("%w: this wallet has one key; a setup file describes a multisig (create or restore one with --multisig)", ErrNotMultisig)
	}
	s := &setupfile.Setup{Name: name, Threshold: ms.M, ScriptType: setupfile.ScriptP2WSH, Network: w.meta.Network}
	for _, c := range ms.Cosigners {
		k := setupfile.Key{Xpub: c.Xpub.String()}
		if c.Path != nil {
			k.Fingerprint, k.Path = keys.FormatFingerprint(c.Fingerprint), setupPath(c.Path)
		}
		s.Keys = append(s.Keys, k)
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("the wallet's multisig as a setup: %w", err)
	}
	return s, nil
}

// ExportSetup writes the wallet's multisig in format (one of setupfile.Formats), named name,
// and returns the setup written (with FirstAddress set: the first receive address).
func (w *Wallet) ExportSetup(format, name string) (*setupfile.Setup, []byte, error) {
	s, err := w.Setup(name)
	if err != nil {
		return nil, nil, err
	}
	out, err := s.Encode(format, SetupAddress)
	if err != nil {
		return nil, nil, err
	}
	receive, _, err := s.Descriptors()
	if err == nil {
		s.FirstAddress, err = SetupAddress(receive, s.Network)
	}
	if err != nil {
		return nil, nil, err
	}
	return s, out, nil
}

// setupPath writes a path from the master as a setup file's Key.Path: m/48'/1'/0'/2'.
func setupPath(path []uint32) string {
	out := "m"
	for _, p := range path {
		if p >= keys.Hardened {
			out += fmt.Sprintf("/%d'", p-keys.Hardened)
		} else {
			out += fmt.Sprintf("/%d", p)
		}
	}
	return out
}

// setupDescriptors is the setup as the multipath descriptor a watch-only wallet is made of.
func setupDescriptors(s *setupfile.Setup) ([]string, error) {
	d, err := s.Descriptor()
	if err != nil {
		return nil, err
	}
	return []string{d}, nil
}

// setupCosigners turns a setup's keys into the cosigners of a member's multisig and finds the
// local seed's key among them: it must be there with the seed's fingerprint and at its BIP48
// path, or the seed is not a member of this multisig.
func setupCosigners(s *setupfile.Setup, own keys.Cosigner) ([]keys.Cosigner, error) {
	var cs []keys.Cosigner
	found := false
	for i, k := range s.Keys {
		key, err := descriptor.ParseKeyExpression(setupKeyExpr(k))
		if err != nil {
			return nil, fmt.Errorf("%w: setup key %d: %w", ErrBadInput, i+1, err)
		}
		c, err := cosignerOf(key, fmt.Sprintf("setup key %d", i+1))
		if err != nil {
			return nil, err
		}
		if c.Xpub.String() == own.Xpub.String() {
			if !k.HasOrigin() {
				return nil, fmt.Errorf("%w: setup key %d is this seed's key without its origin: a member signs only with the origin known; export the setup with [%s/%s] for that key",
					ErrNotMember, i+1, keys.FormatFingerprint(own.Fingerprint), own.OriginPath()[2:])
			}
			if c.Fingerprint != own.Fingerprint || !slices.Equal(c.Path, own.Path) {
				return nil, fmt.Errorf("%w: setup key %d is this seed's key but names another origin than [%s/%s]: the file is not what the seed derives",
					ErrNotMember, i+1, keys.FormatFingerprint(own.Fingerprint), own.OriginPath()[2:])
			}
			found = true
		}
		cs = append(cs, c)
	}
	if !found {
		return nil, fmt.Errorf("%w: this seed's key [%s/%s]%s is not one of the setup's %d keys: restore the words of one of its cosigners (and the same BIP39 passphrase)",
			ErrNotMember, keys.FormatFingerprint(own.Fingerprint), own.OriginPath()[2:], shortText(own.Xpub.String()), len(s.Keys))
	}
	return cs, nil
}

// setupKeyExpr writes a setup key as a descriptor key expression, [fp/path]xpub.
func setupKeyExpr(k setupfile.Key) string {
	if !k.HasOrigin() {
		return k.Xpub
	}
	return "[" + k.Fingerprint + k.Path[1:] + "]" + k.Xpub
}

// SetupSummary is what a member is shown of a setup file before its wallet is made: "M of N"
// and the cosigners' fingerprints ("?" for a key of unknown origin), and a warning when any
// one key spends alone (a threshold of 1 over several keys: whoever holds a foreign key of
// the file can spend the wallet's money without this seed).
func SetupSummary(s *setupfile.Setup) (summary, warning string) {
	fps := make([]string, len(s.Keys))
	for i, k := range s.Keys {
		fps[i] = k.Fingerprint
		if fps[i] == "" {
			fps[i] = "?"
		}
	}
	summary = fmt.Sprintf("%d of %d: %s", s.Threshold, len(s.Keys), strings.Join(fps, ", "))
	if s.Threshold == 1 && len(s.Keys) > 1 {
		warning = fmt.Sprintf("the setup is 1 of %d: each of its %d keys alone spends the wallet's money (check that every key is one you trust)", len(s.Keys), len(s.Keys))
	}
	return summary, warning
}
