// Package chain defines Backend, the wallet's whole view of a blockchain: tip, script
// histories, transactions, headers, broadcast and fee estimates. Implementations live in
// subpackages (btcd for a node over JSON-RPC; Esplora and Electrum servers), so that sync and
// send logic never depend on one server's protocol.
package chain
