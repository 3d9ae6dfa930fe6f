// Package descriptor reads and writes output script descriptors (BIP380) for the single-key
// forms satchel's accounts use: pkh(KEY), sh(wpkh(KEY)), wpkh(KEY) and tr(KEY) without a
// script tree (BIP381, BIP382, BIP386), with BIP389 multipath keys such as .../<0;1>/*.
//
// Descriptors are how satchel exports an account to other wallets and imports a watch-only
// one, so parsing is strict: every BIP380 key-expression rule is checked and a checksum, when
// present, must match. Other script forms (wsh, multi, pk, raw, addr, tr script trees) are
// refused with ErrUnsupported rather than half-understood.
package descriptor
