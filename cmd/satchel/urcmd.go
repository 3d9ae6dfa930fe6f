package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/ur"
)

// Fragment sizes (bytes of PSBT per QR code) for psbt show --qr. Printed parts use
// defaultURFragment; on a terminal the largest size whose QR code fits the window is chosen,
// between the two bounds: past maxTermURFragment a code in a terminal's coarse cells gets too
// dense for a signer's camera at arm's length, and the frames keep coming anyway.
const (
	minURFragment     = 10
	defaultURFragment = 200
	maxTermURFragment = 250
)

// urErr gives UR errors exit 2 and a stable JSON code, with what to do about them.
func urErr(err error) error {
	var ce *codedError
	if err == nil || errors.As(err, &ce) {
		return err
	}
	code, hint := "", ""
	switch {
	case errors.Is(err, ur.ErrWrongType):
		code, hint = "wrong_ur_type", "give the signer's PSBT (ur:crypto-psbt)"
	case errors.Is(err, ur.ErrMismatch):
		code, hint = "ur_mismatch", "give the parts of one PSBT only"
	case errors.Is(err, ur.ErrChecksum):
		code, hint = "ur_checksum", "the text was damaged: scan or copy it again"
	case errors.Is(err, ur.ErrTooLarge):
		code = "ur_too_large"
	case errors.Is(err, ur.ErrIncomplete):
		code, hint = "ur_incomplete", "give more parts (scan the animation longer)"
	case errors.Is(err, ur.ErrInvalid):
		code, hint = "bad_ur", "give UR parts (ur:crypto-psbt/...), one per line"
	default:
		return err
	}
	if hint != "" {
		err = fmt.Errorf("%w: %s", err, hint)
	}
	return &codedError{exit: exitUsage, code: code, err: err}
}

// urPartsJSON is what psbt show --qr prints under --json or --parts.
type urPartsJSON struct {
	Type        string   `json:"ur_type"`
	SeqLen      int      `json:"seq_len"`
	FragmentLen int      `json:"fragment_len"`
	Parts       []string `json:"parts"`
}

func newPSBTShowCmd(a *App) *cobra.Command {
	var qr, bbqrOut bool
	var parts, fragment, fps int
	c := &cobra.Command{
		Use:   "show --qr FILE|-",
		Short: "Show a PSBT as an animated QR code (UR) for an air-gapped signer",
		Long: `Show a PSBT for an air-gapped signer (Keystone, Passport, SeedSigner, Jade, Sparrow...) as
Uniform Resources: crypto-psbt URs (BCR-2020-005/006), the PSBT cut into fragments, one QR
code each. On a terminal the QR codes are animated in place, a few frames a second, until
Ctrl-C, or Enter when the PSBT is not read from stdin: after the fragments in order come
fountain-coded parts (mixes of fragments), so a camera that missed a frame completes from the
frames that follow. The fragment size is the largest whose QR code fits the window
(--fragment-size to choose it).

Not on a terminal, or with --parts N or --json, it prints the parts one per line (in JSON:
ur_type, seq_len, fragment_len, parts): the fragments first, then fountain parts, 1.5 times
as many parts as fragments unless --parts says how many. A PSBT that fits in one fragment is
one single-part UR (ur:crypto-psbt/...).

With --bbqr it shows BBQr instead (Coinkite's format, read by Coldcard and Sparrow): the PSBT
in base32, in as few QR codes as fit the window (one, for most PSBTs, on a large terminal),
shown in turn; printed, parts of up to 2,132 characters (a version-27 QR code); --json gives
format, encoding, file_type and parts. BBQr has no fountain code: the signer needs every part.

Read the signed PSBT back with satchel psbt import --ur (or --bbqr).

` + exitStatusHelp,
		Example: "  satchel psbt show --qr unsigned.psbt\n  satchel psbt show --qr --parts 20 unsigned.psbt > parts.txt\n  satchel psbt show --qr --bbqr unsigned.psbt",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !qr {
				return usagef("no_format", "psbt show needs --qr (an animated UR QR code for an air-gapped signer)")
			}
			if parts < 0 || parts > 100000 {
				return usagef("bad_parts", "--parts must be between 1 and 100000")
			}
			if fragment != 0 && (fragment < minURFragment || fragment > 100000) {
				return usagef("bad_fragment_size", fmt.Sprintf("--fragment-size must be between %d and 100000 bytes", minURFragment))
			}
			if fps < 1 || fps > 30 {
				return usagef("bad_fps", "--fps must be between 1 and 30")
			}
			if bbqrOut && (parts != 0 || fragment != 0) {
				return usagef("bad_flags", "--parts and --fragment-size are for UR: BBQr shows each of its parts once")
			}
			p, err := a.readPSBT(args[0])
			if err != nil {
				return err
			}
			raw, err := txbuilder.EncodePSBT(p)
			if err != nil {
				return psbtErr(err)
			}
			if bbqrOut {
				return a.showBBQr(cmd.Context(), raw, fps, args[0] != "-")
			}
			animate := a.OutTerm && parts == 0 && !a.flags.json
			if fragment == 0 {
				fragment = defaultURFragment
				if animate {
					var fits bool
					if fragment, fits = a.fitURFragment(); !fits {
						a.warn("terminal_too_small", fmt.Sprintf("the terminal (%dx%d) is too small for a QR code: enlarge the window, or print the parts with --parts", a.OutWidth, a.OutHeight))
					}
				}
			}
			enc, err := ur.EncodePSBT(raw, fragment)
			if err != nil {
				return urErr(err)
			}
			if animate {
				return a.animateQR(cmd.Context(), urFrames(enc), fps, args[0] != "-")
			}
			if parts == 0 {
				parts = (enc.SeqLen()*3 + 1) / 2
				if enc.SinglePart() {
					parts = 1
				}
			}
			out := urPartsJSON{Type: ur.TypeCryptoPSBT, SeqLen: enc.SeqLen(), FragmentLen: enc.FragmentLen(), Parts: make([]string, parts)}
			for i := range out.Parts {
				out.Parts[i] = enc.NextPart()
			}
			if a.flags.json {
				return a.printJSON(out)
			}
			for _, s := range out.Parts {
				fmt.Fprintln(a.Out, s)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&qr, "qr", false, "show the PSBT as UR QR codes (crypto-psbt), animated on a terminal")
	c.Flags().IntVar(&parts, "parts", 0, "print N parts one per line instead of animating (default: 1.5 times the fragments)")
	c.Flags().IntVar(&fragment, "fragment-size", 0, "bytes of PSBT per part (default: the largest that fits the terminal, 200 when printing)")
	c.Flags().IntVar(&fps, "fps", 4, "frames per second of the animation")
	c.Flags().BoolVar(&bbqrOut, "bbqr", false, "with --qr: BBQr (Coldcard) instead of UR, one QR code when it fits")
	return c
}

// urFrames yields the parts of enc with the status line under each.
func urFrames(enc *ur.Encoder) func() (string, string) {
	return func() (string, string) {
		part := enc.NextPart()
		switch n := int(enc.SeqNum()); {
		case enc.SinglePart():
			return part, "the whole PSBT in one QR code (ur:crypto-psbt)"
		case n <= enc.SeqLen():
			return part, fmt.Sprintf("part %d of %d", n, enc.SeqLen())
		default:
			return part, fmt.Sprintf("part %d (fountain part; %d fragments of %d bytes)", n, enc.SeqLen(), enc.FragmentLen())
		}
	}
}

// psbtImportJSON is what psbt import prints under --json.
type psbtImportJSON struct {
	PSBT string `json:"psbt_base64,omitempty"`
	// PSBTAgain is the same base64 under the name psbt combine, finalize and a watch-only send
	// use, so one script reads a PSBT from any of them; psbt_base64 stays for those that read it.
	PSBTAgain string `json:"psbt,omitempty"`
	File      string `json:"file,omitempty"`
	PartsRead int    `json:"parts_read"`
}

func newPSBTImportCmd(a *App) *cobra.Command {
	var urIn, bbqrIn bool
	var out string
	c := &cobra.Command{
		Use:   "import --ur|--bbqr [FILE|-]",
		Short: "Read a PSBT back from an air-gapped signer's UR (or BBQr) parts",
		Long: `Read a PSBT (signed by an air-gapped signer, say) from its UR parts: crypto-psbt (or psbt)
URs, single-part or multipart, one per line, in any order, with repeats and fountain parts,
in any case, blank lines ignored, from FILE or stdin (- or nothing). Reading stops as soon as
the PSBT is whole; progress goes to stderr. The PSBT goes to stdout as base64, or in binary to
--out FILE; --json prints psbt_base64 and psbt (the same base64), or file, and parts_read.

With --bbqr it reads BBQr parts (B$..., as Coldcard shows a signed PSBT: hex, base32 or
compressed), every part of the series needed.

A line that is not a part, a part of another type, a damaged part (checksum) or a part of
another PSBT than the lines before it exits 2 naming the line; so does input that ends before
the PSBT is whole.

` + exitStatusHelp,
		Example: "  satchel psbt import --ur parts.txt --out signed.psbt\n  zbarcam --raw | satchel psbt import --ur > signed.b64\n  satchel psbt import --bbqr coldcard.txt --out signed.psbt",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if urIn == bbqrIn {
				return usagef("no_format", "say what psbt import reads: --ur (UR parts) or --bbqr (BBQr parts)")
			}
			if out != "" {
				if _, err := a.checkPSBTOut(out); err != nil {
					return err
				}
			}
			src := "-"
			if len(args) == 1 {
				src = args[0]
			}
			var r io.Reader = a.In
			if src != "-" {
				f, err := openInput("bad_file", "", src)
				if err != nil {
					return err
				}
				defer f.Close()
				r = f
			} else if a.InTerm && a.ErrTerm {
				fmt.Fprintln(a.Err, "paste the parts, one per line (reading stops when the PSBT is whole; Ctrl-D ends)")
			}
			live := a.ErrTerm && !a.flags.json
			var raw []byte
			var read int
			var err error
			if bbqrIn {
				raw, read, err = a.importBBQr(r, live)
			} else {
				raw, read, err = a.importUR(r, live)
			}
			if err != nil {
				return err
			}
			p, err := txbuilder.DecodePSBT(raw)
			if err != nil {
				return psbtErr(err)
			}
			b64, err := a.writePSBT(p, out)
			if err != nil {
				return err
			}
			res := psbtImportJSON{PSBT: b64, PSBTAgain: b64, File: out, PartsRead: read}
			if a.flags.json {
				return a.printJSON(res)
			}
			if !live {
				fmt.Fprintf(a.Err, "read %s\n", count(res.PartsRead, "part", "parts"))
			}
			return a.printPSBTResult(psbtResultJSON{PSBT: b64, File: out})
		},
	}
	c.Flags().BoolVar(&urIn, "ur", false, "read UR parts (ur:crypto-psbt/...), one per line")
	c.Flags().BoolVar(&bbqrIn, "bbqr", false, "read BBQr parts (B$...: Coldcard), one per line")
	c.Flags().StringVar(&out, "out", "", "write the PSBT to FILE (binary) instead of base64 on stdout")
	return c
}

// importUR reads UR parts until the PSBT is whole: its bytes and the parts read.
func (a *App) importUR(r io.Reader, live bool) ([]byte, int, error) {
	d := ur.NewPSBTDecoder()
	err := readParts(r, d.Receive, d.Complete, func() {
		if live {
			pr := d.Progress()
			fmt.Fprintf(a.Err, "\rpart %d read: %d of %d fragments\x1b[K", pr.Parts, pr.Fragments, pr.SeqLen)
		}
	})
	n := d.Progress().Parts
	if live && n > 0 {
		fmt.Fprintln(a.Err)
	}
	if err == nil {
		if _, err = d.Result(); errors.Is(err, ur.ErrIncomplete) && n == 0 {
			err = fmt.Errorf("%w: no UR part in the input", ur.ErrIncomplete)
		}
	}
	if err != nil {
		return nil, n, urErr(err)
	}
	raw, err := d.PSBT()
	return raw, n, urErr(err)
}
