// Package bbqr splits a file into BBQr QR-code texts and joins them back (Coinkite's "Better
// Bitcoin QR", the animated-QR format of Coldcard and Sparrow, public domain).
//
// Each text is an 8-character header, "B$" + encoding + file type + the number of parts and
// this part's index (two base-36 digits each), then the data in QR's alphanumeric character
// set: upper-case hex (H), RFC 4648 base32 without padding (2), or base32 of raw deflate (Z).
// Parts hold equal slices of the encoded data, the last one shorter; each decodes alone to
// whole bytes. Unlike UR there is no checksum and no fountain code: every part must be seen.
//
// satchel writes base32 (2): Go's deflate cannot promise the 1 KiB window BBQr's Z uses. It
// reads all three. The package is pure and prints nothing.
package bbqr
