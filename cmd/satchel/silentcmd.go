package main

import "fmt"

// receiveSilent prints the wallet's BIP352 address: {"address": "sp1..."}.
func (a *App) receiveSilent() error {
	w, err := a.openWallet(true)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := needsSeed(w, "receive --silent"); err != nil {
		return err
	}
	addr, err := w.SilentAddress(func() ([]byte, error) { return a.passphrase(false) }, a.Keystore...)
	if err != nil {
		return err
	}
	if a.flags.json {
		return a.printJSON(map[string]string{"address": addr})
	}
	fmt.Fprintln(a.Out, addr)
	return nil
}
