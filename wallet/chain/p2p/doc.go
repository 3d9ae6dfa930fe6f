// Package p2p is a chain.Backend that talks to the Bitcoin peer-to-peer network as a light
// client using compact block filters (BIP157/158): it downloads and checks block headers
// (proof of work, difficulty rules, checkpoints), filter headers compared across peers, and
// the filters of the blocks since the wallet's birthday; it matches every watched script
// locally and downloads only the blocks that match. No peer learns which addresses the
// wallet watches.
//
// What it cannot give: unconfirmed incoming payments (they appear once mined; the wallet's
// own broadcasts show as unconfirmed until then) and fee estimates (asked from an optional
// Esplora fee source instead). Headers, filter headers and what was matched persist in the
// wallet folder, so a later run only catches up.
//
// It is built on btcd's peer package and btcutil's gcs package; nothing runs until Open.
package p2p
