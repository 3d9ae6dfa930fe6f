// Command coinsim replays coin-selection scenarios through satchel's policies and reports what
// each costs: fees (of payments, and of the default policy's cheap-day consolidations, which are
// transactions of their own), coins left, the total cost of a wallet's life, and the coins each
// payment showed its payee beyond those it needed.
//
//	coinsim SCENARIO... [--policy core|satchel|satchel-merge|all] [--type wpkh|tr] [--seed N] [--runs N]
//	        [--json] [--feerates FILE] [--jobs N] [--include-uneconomical] [--discard-feerate R]
//
// A SCENARIO is a combined file ("amount_BTC,feerate_BTC_per_kvB" per line) or, with --feerates,
// a payments file (one signed amount in BTC per line) paired line by line with the fee rates.
package main
