// Package address decodes the payment addresses a user pastes, refusing anything satchel
// should not pay to: an address for another network, a mistyped one (bad checksum), a
// future segwit version no wallet can spend yet, or something that is not an address at all.
// Each refusal is its own exported error so the CLI can explain it.
package address
