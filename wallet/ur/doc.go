// Package ur encodes and decodes Uniform Resources (UR, BCR-2020-005), the text form in which
// air-gapped signers (Keystone, Passport, SeedSigner, Jade, Sparrow...) pass PSBTs as QR codes.
//
// A UR is "ur:TYPE/BODY", where BODY is CBOR written as Bytewords (BCR-2020-012: one byte per
// word, a CRC-32 of the bytes appended). A message too large for one QR code is cut into
// equal fragments and sent as "ur:TYPE/SEQNUM-SEQLEN/BODY" parts (the multipart UR of
// BCR-2024-001): the first SEQLEN parts carry one fragment each in order, and every later part
// XORs a pseudo-random subset of the fragments (a fountain code), so a receiver that missed
// some frames of an animation still completes from whatever it catches next. Encoder and
// decoder agree on each part's subset through a Xoshiro256** generator seeded with the SHA-256
// of the part's sequence number and the message's CRC-32, so no index list travels.
//
// PSBTs travel as the crypto-psbt type of BCR-2020-006 (a CBOR byte string holding the BIP174
// binary); the newer "psbt" name of the same content is read too.
//
// The package is pure: it prints nothing and keeps no global state. Decoders bound what a
// hostile part can make them allocate (MaxMessageLen, MaxSeqLen).
package ur
