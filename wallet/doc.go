// Package wallet is satchel's HD wallet: it creates and restores wallets from a seed, hands out
// addresses, syncs with a chain backend, and answers balances, history and coins from its bbolt
// store. A wallet lives in one folder holding keystore.json (the encrypted seed, see package
// keystore) and wallet.db (everything public, see package store).
//
// Subpackages hold the parts: keys (BIP39 and BIP32 accounts), descriptor (BIP380), address and
// uri (parsing what users paste), chain (the Backend interface and its implementations) and
// store (the bbolt layout).
package wallet
