// Package silentpay implements BIP352 silent payments (version 1.1.1 of the BIP): static
// sp1q.../tsp1q... addresses that senders turn into a fresh taproot output for every payment,
// with no interaction and nothing extra on chain.
//
// It covers the whole protocol as pure computation on btcec: address encoding (Address,
// ParseAddress), deciding which inputs take part and extracting their public keys
// (InputPubKey), sending (CreateOutputs, with the K_max group limit), receiving (Scanner, with
// labels and the change label m = 0 always included), the BIP's key derivation paths
// (DeriveKeys) and the private key that spends a found output (SpendPrivKey).
//
// Network choice for addresses: BIP352 names "sp" for mainnet and "tsp" for test networks
// (testnet, signet). It says nothing of regtest, so satchel writes regtest addresses with "tsp"
// too, and on regtest also accepts "sprt", the prefix Bitcoin Core's implementation and
// rust-silentpayments use there.
//
// The package never prints, reads the environment or touches the disk.
package silentpay
