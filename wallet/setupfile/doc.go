// Package setupfile reads and writes the files multisig coordinators exchange to describe one
// k-of-n wallet: the output descriptor (BIP380/383/389), the BIP129 BSMS descriptor record,
// Caravan's wallet configuration JSON and the Coldcard multisig text file (which Sparrow also
// reads and writes).
//
// Every format is read into one neutral value, Setup, and written from it, so a setup moves
// between coordinators through this package:
//
//	format, s, err := setupfile.Detect(data)   // any of the four
//	out, err := s.Caravan()                    // or Descriptor, BSMS, Coldcard
//
// Only P2WSH sortedmulti (BIP67 key order) with extended public keys is handled: that is what
// these coordinators share. Other script types (P2SH, P2SH-P2WSH, taproot), bare public keys and
// private keys are refused with ErrUnsupported or ErrInvalid and a one-line reason.
//
// A BSMS record carries the wallet's first address so that every party can check it derived
// the same wallet. This package does not derive addresses itself: BSMS, VerifyFirstAddress and
// Import take an AddressFunc, the wallet's own multisig derivation. Encrypted BSMS records
// (BIP129's STANDARD and EXTENDED modes) are opened with DecryptBSMS and written with
// EncryptBSMS; ParseBSMSToken reads the TOKEN as coordinators hand it out.
//
// The package is pure: no I/O, no printing; inputs are bounded (MaxFileSize) so a hostile file
// cannot make it work long.
package setupfile
