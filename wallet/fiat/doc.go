// Package fiat reads amounts typed in a national currency (5usd, 2.50EUR), fetches the price of
// bitcoin from a server with mempool's /api/v1/prices answer, and converts between the two in
// integer arithmetic only: prices and amounts are held in micro-units (millionths of a unit),
// satoshis are integers, and every division rounds half up. A price that is old, absurd or
// missing is an error, never a guess: a wrong number is worse than none.
package fiat
