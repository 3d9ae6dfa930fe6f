// Package txbuilder turns a payment into a transaction: it chooses coins, sizes and builds the
// transaction, and signs it. Everything here is pure (no I/O, randomness injected), so the coin
// selection simulator replays exactly what send does.
//
// Money has its own types: Amount (satoshis), FeeRate (sat per 1,000 vB, so 0.5 sat/vB is
// exact), Weight (weight units). Selection follows Bitcoin Core's algorithms (Branch and Bound,
// CoinGrinder, Single Random Draw, Knapsack, chosen by the waste metric); CorePolicy is Core as
// of the 2022 simulation baseline and SatchelPolicy is satchel's own, tuned for small payments.
// Sizes are counted with the largest signatures, so a signed transaction never pays less than
// the rate asked for; CheckFeeRate verifies that after signing.
//
// PSBTs (BIP174 with the BIP371 taproot fields) are decoded strictly (DecodePSBT runs a
// structural pass before btcd's parser), signed (SignPSBTInput), finalized and extracted here;
// the wallet decides which inputs are its own. NewRequest is the one place a payment becomes a
// selection Request, shared by `satchel send` and the simulator in txbuilder/sim.
package txbuilder
