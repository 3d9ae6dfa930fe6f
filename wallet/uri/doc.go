// Package uri reads and writes bitcoin: payment URIs (BIP21, as updated by BIP321), the text
// behind most payment QR codes.
//
// Parsing is strict where a mistake costs money: a required ("req-") parameter satchel does
// not understand, a repeated amount, label, message or pop, or an amount with more than 8
// decimals makes the whole URI invalid rather than partly read. The address is checked by a
// caller-supplied function, or by wallet/address for the wallet's network.
package uri
