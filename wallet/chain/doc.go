// Package chain defines Backend, the wallet's whole view of a blockchain: tip, script
// histories, transactions, headers, broadcast and fee estimates. Implementations live in
// subpackages (btcd for a node over JSON-RPC; Esplora and Electrum servers; the p2p light
// client), so that sync and send logic never depend on one server's protocol.
//
// The contract every backend keeps, beyond the interface:
//
//   - It is built by Open from a URL and one Options (network, timeout, proxy, pinned
//     certificate, data folder, fee source). Each backend package exports a Driver;
//     wallet/chain/backends registers them, so this package, which they import, can pick one
//     by the URL's scheme. A URL or setting it cannot use is an error wrapping ErrBadURL.
//   - A failure to get an answer wraps ErrUnreachable; a server on another chain,
//     ErrWrongNetwork.
//   - A refused broadcast is a *BroadcastError built by Refusal, so every backend maps the
//     servers' words to the same causes through one table.
//   - It passes the conformance suite (wallet/chain/chaintest/conformance).
package chain
