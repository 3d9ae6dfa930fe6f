// Package message signs and verifies messages with a bitcoin address: BIP322 "simple"
// signatures for native segwit addresses (P2WPKH, P2WSH, and P2TR by its key path), BIP322
// "full" signatures for any address (satchel makes them for P2SH-P2WPKH, whose scriptSig a
// simple signature has no room for), and the legacy "Bitcoin Signed Message" format for P2PKH
// addresses, which is what Bitcoin Core's signmessage/verifymessage and most wallets produce
// for 1... addresses.
//
// BIP322 signatures are checked by running btcd's script engine on the virtual to_sign
// transaction, with the policy flags BIP322 requires (strict DER, low S, null-fail, minimal
// data, clean stack, minimal IF, no upgradable NOPs or witness versions), plus, for the
// single-key simple forms, the sighash rule: SIGHASH_ALL, or SIGHASH_DEFAULT for taproot. A
// full signature is the whole to_sign transaction: its version, locktime, sequence and
// scriptSig are the signer's (time-locked scripts need them), and it must spend to_spend's
// output alone and pay 0 satoshis to OP_RETURN.
//
// Since BIP322 1.0.0 (2026) a signature starts with its variant: "smp" (simple), "ful" (full)
// or "pof" (proof of funds). Sign writes the prefix; Verify also accepts a simple signature
// without one, as older tools wrote them and BIP322 allows. Proof-of-funds signatures (they
// need the current state of the coins they name) and taproot script-path simple signatures
// are refused with ErrUnsupported rather than guessed at.
//
// The package is pure computation: it never prints, prompts or touches the disk.
package message
