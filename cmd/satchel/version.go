package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// buildVersion is what satchel knows about its own build, from the Go build info: the module
// version ("(devel)" when built from a source tree rather than by go install of a tag) and the
// VCS commit, which Go records only when it builds inside a git checkout without
// -buildvcs=false.
type buildVersion struct {
	Version  string `json:"version"`
	Commit   string `json:"commit,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Time     string `json:"commit_time,omitempty"`
	Go       string `json:"go"`
}

// readBuildVersion reads the build info; read is debug.ReadBuildInfo, swapped in tests.
func readBuildVersion(read func() (*debug.BuildInfo, bool)) buildVersion {
	v := buildVersion{Version: "(devel)", Go: runtime.Version()}
	info, ok := read()
	if !ok {
		return v
	}
	if info.Main.Version != "" {
		v.Version = info.Main.Version
	}
	if info.GoVersion != "" {
		v.Go = info.GoVersion
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Commit = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		case "vcs.time":
			v.Time = s.Value
		}
	}
	return v
}

// String is the one line --version and version print.
func (v buildVersion) String() string {
	s := "satchel " + v.Version
	switch {
	case v.Commit == "":
		s += ", commit unknown (built without VCS information: -buildvcs=false, or a git worktree)"
	default:
		c := v.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		s += ", commit " + c
		if v.Modified {
			s += " with local changes"
		}
		if v.Time != "" {
			s += " (" + v.Time + ")"
		}
	}
	return s + ", " + v.Go
}

func init() {
	// satchel --version goes through cobra's version template, before any command runs: the
	// template hands over the command so that --version --json prints what version --json
	// prints (a script should not have to know which of the two spellings gives JSON).
	cobra.AddTemplateFunc("satchelVersion", func(c *cobra.Command) (string, error) {
		v := readBuildVersion(debug.ReadBuildInfo)
		if f := c.Flags().Lookup("json"); f != nil && f.Changed {
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(v); err != nil {
				return "", err
			}
			return strings.TrimSuffix(b.String(), "\n"), nil
		}
		return v.String(), nil
	})
}

func newVersionCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print satchel's version and the commit it was built from",
		Long:    `Print the module version and the git commit satchel was built from, as Go recorded them at build time.`,
		Example: "  satchel version\n  satchel version --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := readBuildVersion(debug.ReadBuildInfo)
			if a.flags.json {
				return a.printJSON(v)
			}
			fmt.Fprintln(a.Out, v.String())
			return nil
		},
	}
}
