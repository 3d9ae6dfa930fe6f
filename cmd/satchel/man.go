package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

// newGenManCmd is the hidden command `make man` runs: one man page per command, from the same
// help text --help shows.
func newGenManCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "gen-man DIR",
		Short:   "Write the man pages (section 1) into DIR",
		Long:    "Write satchel.1 and one page per command into DIR, created if needed. The date is $SOURCE_DATE_EPOCH when set, for reproducible builds.",
		Example: "  satchel gen-man bin/man",
		Hidden:  true,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			date := a.Now()
			if s := a.Getenv("SOURCE_DATE_EPOCH"); s != "" {
				sec, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					return usagef("bad_source_date_epoch", fmt.Sprintf("SOURCE_DATE_EPOCH %q is not a number of seconds", s))
				}
				date = time.Unix(sec, 0).UTC()
			}
			// Pages go in a folder of their own, never among the wallets' files.
			if real, err := resolved(args[0]); err == nil {
				if data, err := a.dataDir(); err == nil {
					if rd, err := resolved(data); err == nil && within(real, rd) {
						return usagef("bad_file", fmt.Sprintf("%s is inside satchel's data folder %s: write the pages elsewhere", args[0], data))
					}
				}
			}
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				if errors.Is(err, syscall.ENOTDIR) {
					return usagef("bad_file", fmt.Sprintf("%s is a file, or part of that path is: give a folder for the man pages", args[0]))
				}
				return fmt.Errorf("cannot make the folder %s for the man pages: %w", args[0], err)
			}
			if err := writeManTree(cmd.Root(), date, args[0]); err != nil {
				return fmt.Errorf("man pages: %w", err)
			}
			if a.flags.json {
				return a.printJSON(map[string]string{"dir": args[0]})
			}
			return nil
		},
	}
}
