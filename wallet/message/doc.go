// Package message signs and verifies messages with a bitcoin address: BIP322 "simple"
// signatures for native segwit single-key addresses (P2WPKH, and P2TR by its BIP86 key path),
// and the legacy "Bitcoin Signed Message" format for P2PKH addresses, which is what Bitcoin
// Core's signmessage/verifymessage and most wallets produce for 1... addresses.
//
// BIP322 signatures are checked by running btcd's script engine on the virtual to_sign
// transaction, with the policy flags BIP322 requires (strict DER, low S, null-fail, minimal
// data, clean stack, minimal IF, no upgradable NOPs or witness versions), plus the sighash
// rule: SIGHASH_ALL, or SIGHASH_DEFAULT for taproot.
//
// Since BIP322 1.0.0 (2026) a signature starts with its variant: "smp" (simple), "ful" (full)
// or "pof" (proof of funds). Sign writes the "smp" prefix; Verify also accepts a simple
// signature without a prefix, as older tools wrote them and BIP322 allows. Full and proof of
// funds signatures, P2WSH (multisig) and P2SH addresses, and taproot script-path signatures
// are refused with ErrUnsupported rather than guessed at.
//
// The package is pure computation: it never prints, prompts or touches the disk.
package message
