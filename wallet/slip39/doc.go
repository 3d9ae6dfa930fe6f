// Package slip39 splits a master secret into SLIP-0039 Shamir mnemonic shares and combines
// shares back into the secret, written from the SLIP-0039 specification
// (github.com/satoshilabs/slips, slip-0039.md).
//
// A backup has one or more groups; a group threshold says how many groups are needed, and each
// group has its own member threshold. Split makes the shares, Combine recovers the secret from
// exactly enough of them, and ParseShare decodes one share so a user interface can show which
// backup and group it belongs to before all shares are in.
//
// Words may be typed in any case, separated by any whitespace, and shortened to a prefix of at
// least four letters: every word of the SLIP-0039 list is unique in its first four letters, so
// "acad" means "academic". Letters beyond a list word ("academicx") are an error, not ignored.
//
// The passphrase is not checked: every passphrase decrypts the shares to some master secret,
// and only the right one gives the wallet the user expects. That is SLIP-0039's design (it
// allows decoy wallets), so Combine with a wrong passphrase succeeds with a different secret.
// Passphrases must be printable ASCII (bytes 32 to 126), as the specification requires.
//
// Errors are specific so a user can be told which share to fix: a *ShareError names the
// position of a share that does not decode (wrapping a *WordError, ErrBadChecksum,
// ErrBadPadding, ...), a *MismatchError a share from another backup, a *DuplicateShareError
// two shares with one member index, *NotEnoughSharesError and *TooManySharesError how many
// shares each group still needs, and ErrInvalidDigest shares that do not fit together.
//
// The package is pure computation: it never prints, prompts or touches the disk.
package slip39
