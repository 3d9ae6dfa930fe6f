// Package bip329 reads and writes BIP329 wallet label exports: JSON Lines files, one record per
// line, each naming a transaction, address, public key, input, output, extended public key or
// silent payments scan key by its "ref" and giving it a "label" (and, for outputs, whether the
// coin is "spendable"). Written from the BIP329 specification (bitcoin/bips, bip-0329.mediawiki).
//
// Parse is strict about the shape of each line, so an importer can refuse a damaged file as a
// whole and name the line: every line must be a JSON object with string "type" and "ref", an
// optional string "label" and "origin", and an optional boolean "spendable". Types this package
// does not know are returned as they are, since BIP329 asks importers to ignore them rather than
// fail; their refs are not checked. The additional fields BIP329 lists (height, time, fee,
// value, keypath, ...) are written by Encode when set and ignored by Parse.
//
// The package is pure computation: it never prints, prompts or touches the disk.
package bip329
