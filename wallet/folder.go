package wallet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// makeWalletDir creates the wallet folder dir (0700), and the folders above it that are missing,
// exclusively: an existing dir is ErrExists. undo removes what it created, the wallet folder
// with what was written into it and the parents it made (while they are empty), so a command
// that fails leaves the data folder as it found it.
func makeWalletDir(dir string) (undo func(), err error) {
	var made []string
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		if _, err := os.Stat(p); err == nil || filepath.Dir(p) == p {
			break
		}
		made = append(made, p)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", filepath.Dir(dir), err)
	}
	undoParents := func() {
		for _, p := range made { // deepest first
			_ = os.Remove(p) // fails, as it should, once something else is in it
		}
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		undoParents()
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("%w: %s (choose another --wallet name, or remove that folder)", ErrExists, dir)
		}
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	return func() {
		// The folder was made by this call (Mkdir is exclusive), so removing it removes only
		// what this call wrote.
		_ = os.RemoveAll(dir)
		undoParents()
	}, nil
}
