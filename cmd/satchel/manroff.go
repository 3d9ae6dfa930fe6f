package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The man pages are written straight in roff from the command tree, rather than through
// cobra/doc's Markdown renderer: that pulled a Markdown parser and the html package's entity
// table into every start of satchel (about 3 ms of package initialisation) for a command run
// once at install time. The help text is plain text: blank lines part paragraphs, and lines
// indented by two spaces (the EXIT STATUS table, examples) are kept as they are.

// writeManTree writes one page per visible command under root into dir.
func writeManTree(root *cobra.Command, date time.Time, dir string) error {
	var walk func(c *cobra.Command) error
	walk = func(c *cobra.Command) error {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
				continue
			}
			if err := walk(sub); err != nil {
				return err
			}
		}
		name := strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
		var b bytes.Buffer
		writeManPage(&b, c, date)
		return os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644)
	}
	return walk(root)
}

// roffEscape makes text safe for roff: backslashes doubled, and a line that starts with a dot
// or a quote (a roff request) guarded.
func roffEscape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			lines[i] = `\&` + l
		}
	}
	return strings.Join(lines, "\n")
}

// roffText writes help text: paragraphs, and indented blocks kept verbatim.
func roffText(b *bytes.Buffer, text string) {
	for i, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if i > 0 {
			b.WriteString(".PP\n")
		}
		lines := strings.Split(para, "\n")
		for j := 0; j < len(lines); {
			if strings.HasPrefix(lines[j], "  ") {
				b.WriteString(".RS 2\n.nf\n")
				for ; j < len(lines) && strings.HasPrefix(lines[j], "  "); j++ {
					b.WriteString(roffEscape(strings.TrimPrefix(lines[j], "  ")) + "\n")
				}
				b.WriteString(".fi\n.RE\n")
				continue
			}
			b.WriteString(roffEscape(lines[j]) + "\n")
			j++
		}
	}
}

func roffFlags(b *bytes.Buffer, fs *pflag.FlagSet) {
	var flags []*pflag.Flag
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			flags = append(flags, f)
		}
	})
	sort.Slice(flags, func(i, j int) bool { return flags[i].Name < flags[j].Name })
	for _, f := range flags {
		b.WriteString(".TP\n")
		name := `\fB\-\-` + roffEscape(f.Name) + `\fP`
		if f.Shorthand != "" {
			name = `\fB\-` + f.Shorthand + `\fP, ` + name
		}
		if f.Value.Type() != "bool" {
			name += " " + roffEscape(strings.ToUpper(f.Value.Type()))
		}
		b.WriteString(name + "\n" + roffEscape(f.Usage) + "\n")
	}
}

// writeManPage writes c's page: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXAMPLE, SEE ALSO.
func writeManPage(b *bytes.Buffer, c *cobra.Command, date time.Time) {
	fmt.Fprintf(b, ".nh\n.TH \"SATCHEL\" \"1\" %q \"satchel\" \"satchel manual\"\n", date.Format("Jan 2006"))
	dashed := strings.ReplaceAll(c.CommandPath(), " ", "-")
	fmt.Fprintf(b, ".SH NAME\n%s \\- %s\n", dashed, roffEscape(c.Short))
	fmt.Fprintf(b, ".SH SYNOPSIS\n\\fB%s\\fP\n", roffEscape(c.UseLine()))
	b.WriteString(".SH DESCRIPTION\n")
	long := c.Long
	if long == "" {
		long = c.Short
	}
	roffText(b, long)
	if fs := c.NonInheritedFlags(); fs.HasAvailableFlags() {
		b.WriteString(".SH OPTIONS\n")
		roffFlags(b, fs)
	}
	if fs := c.InheritedFlags(); fs.HasAvailableFlags() {
		b.WriteString(".SH OPTIONS INHERITED FROM PARENT COMMANDS\n")
		roffFlags(b, fs)
	}
	if c.Example != "" {
		b.WriteString(".SH EXAMPLE\n.RS 2\n.nf\n" + roffEscape(strings.TrimLeft(c.Example, " ")) + "\n.fi\n.RE\n")
	}
	var see []string
	if p := c.Parent(); p != nil {
		see = append(see, `\fB`+strings.ReplaceAll(p.CommandPath(), " ", "-")+`(1)\fP`)
	}
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() && !sub.IsAdditionalHelpTopicCommand() {
			see = append(see, `\fB`+strings.ReplaceAll(sub.CommandPath(), " ", "-")+`(1)\fP`)
		}
	}
	if len(see) > 0 {
		b.WriteString(".SH SEE ALSO\n" + strings.Join(see, ", ") + "\n")
	}
}
