// Package sim replays a wallet's life, deposits and payments line by line, through a coin
// selection policy and measures what it costs: the fees paid, and the coins left behind, valued
// by what spending them later will cost. It reads the scenario files of the Bitcoin Core coin
// selection simulations (achow101/coin-selection-simulation) so satchel's policies can be compared
// with Core's published figures, and it builds every request with txbuilder.NewRequest, as
// `satchel send` does, so what it measures is what the wallet would do.
package sim
