// Package blindbit is a client for a BIP352 tweak server speaking BlindBit Oracle's HTTP API:
//
//	GET /block-height        -> {"block_height": N}
//	GET /tweaks/HEIGHT       -> ["02...", "03...", ...]   (33-byte tweak points in hex)
//
// It implements chain.TweakSource. Answers are bounded and read strictly (every tweak must be
// a point on the curve); what they claim is never trusted beyond naming candidate outputs that
// the wallet then looks up on its own chain backend.
package blindbit
