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
