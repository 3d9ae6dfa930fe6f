package descriptor

import (
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// ForAccount is the public descriptor of one chain of an account, e.g.
// tr([73c5da0a/86h/0h/0h]xpub.../0/*)#checksum, the form Bitcoin Core's importdescriptors and
// other wallets read to watch the same addresses.
func ForAccount(a *keys.Account, chain uint32) string {
	return forAccount(a, []uint32{chain}, nil)
}

// ForAccountMultipath is the single BIP389 descriptor covering both chains of an account:
// .../<0;1>/*, receive then change.
func ForAccountMultipath(a *keys.Account) string {
	return forAccount(a, []uint32{keys.External}, []uint32{keys.External, keys.Internal})
}

func forAccount(a *keys.Account, path, multi []uint32) string {
	if a.Multi != nil {
		return forMultisig(a, path, multi)
	}
	d := &Descriptor{Type: a.ScriptType(), Key: Key{
		Origin: &Origin{Fingerprint: a.Fingerprint, Path: []uint32{
			uint32(a.Purpose) + keys.Hardened, keys.CoinType(a.Net) + keys.Hardened, a.Index + keys.Hardened}},
		Extended: a.Xpub,
		Path:     path,
		Multi:    multi,
		Wildcard: UnhardenedWildcard,
	}}
	return d.String()
}

// forMultisig writes a multisig account as wsh(sortedmulti(M,[origin]xpub/PATH/*,...)).
func forMultisig(a *keys.Account, path, multi []uint32) string {
	m := &Multi{Threshold: a.Multi.M, Sorted: true}
	for _, c := range a.Multi.Cosigners {
		k := Key{Extended: c.Xpub, Path: append([]uint32(nil), path...), Multi: multi, Wildcard: UnhardenedWildcard}
		if c.Path != nil || c.Fingerprint != 0 {
			k.Origin = &Origin{Fingerprint: c.Fingerprint, Path: c.Path}
		}
		m.Keys = append(m.Keys, k)
	}
	d := &Descriptor{Type: a.ScriptType(), Multi: m}
	return d.String()
}
