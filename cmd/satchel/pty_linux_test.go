//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// openPTY opens a pseudo-terminal pair: the test holds the master, satchel gets the slave as
// its stdin, stdout and stderr, as on a real terminal (no-echo reads, terminal checks).
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Fatalf("unlock pty: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Fatalf("pty number: %v", e)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open pty slave: %v", err)
	}
	return m, s
}

// ptyScreen collects what satchel writes to the terminal.
type ptyScreen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (p *ptyScreen) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.Write(b)
}

func (p *ptyScreen) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.String()
}

// waitFor waits until the screen shows s for the n-th time.
func (p *ptyScreen) waitFor(t *testing.T, s string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for strings.Count(p.String(), s) < n {
		if time.Now().After(deadline) {
			t.Fatalf("the terminal never showed %q (#%d):\n%s", s, n, p.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The real binary on a real (pseudo-)terminal: a mistyped passphrase is asked again, with
// "unlocking..." shown while the keystore is opened, and the words are cleared after Enter.
func TestPTYWrongPassphraseIsAskedAgain(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	delete(c.env, "SATCHEL_PASSPHRASE")
	p := startOnPTY(t, c, "seed", "show")
	master, screen := p.master, p.screen
	screen.waitFor(t, "[y/N]", 1)
	master.WriteString("y\n")
	screen.waitFor(t, "Enter passphrase: ", 1)
	waitNoEcho(t, master)
	master.WriteString("not the passphrase\n")
	screen.waitFor(t, "Wrong passphrase; try again.", 1)
	screen.waitFor(t, "Enter passphrase: ", 2)
	waitNoEcho(t, master)
	master.WriteString("test pass\n")
	screen.waitFor(t, "Press Enter to clear", 1)
	master.WriteString("\n")
	out := p.finish(0)
	for _, want := range []string{"unlocking...", " 1. abandon", clearScreen} {
		if !strings.Contains(out, want) {
			t.Errorf("the terminal lacks %q:\n%q", want, out)
		}
	}
	if strings.Contains(out, "not the passphrase") || strings.Contains(out, "test pass") {
		t.Errorf("a passphrase was echoed:\n%q", out)
	}
}

// bytesCopy copies until the master reports the terminal closed (EIO on Linux).
func bytesCopy(w *ptyScreen, r *os.File) (int, error) {
	buf := make([]byte, 4096)
	total := 0
	for {
		n, err := r.Read(buf)
		if n > 0 {
			w.Write(buf[:n])
			total += n
		}
		if err != nil {
			return total, err
		}
	}
}

// Three wrong passphrases at the real terminal: asked three times (as sudo does), then exit 3
// saying so, with nothing shown.
func TestPTYThreeWrongPassphrasesGiveUp(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	delete(c.env, "SATCHEL_PASSPHRASE")
	p := startOnPTY(t, c, "seed", "show", "--yes")
	master, screen := p.master, p.screen
	for i := 1; i <= 3; i++ {
		screen.waitFor(t, "Enter passphrase: ", i)
		waitNoEcho(t, master)
		master.WriteString(fmt.Sprintf("wrong %d\n", i))
	}
	out := p.finish(exitPassphrase)
	if n := strings.Count(out, "Wrong passphrase; try again."); n != 2 || !strings.Contains(out, "(tried 3 times)") {
		t.Errorf("%d retries announced, or no final count:\n%q", n, out)
	}
	if strings.Contains(out, "abandon") || strings.Contains(out, "wrong 1") {
		t.Errorf("words or a passphrase on screen:\n%q", out)
	}
}

// waitNoEcho waits until the terminal's echo is off: satchel prints "Enter passphrase: " and
// only then turns echo off, so text written on seeing the prompt could be echoed under load
// and the test would blame satchel for showing it. (The master reads the pair's settings.)
func waitNoEcho(t *testing.T, master *os.File) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var tio syscall.Termios
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&tio))); e != 0 {
			t.Fatalf("read the terminal's settings: %v", e)
		}
		if tio.Lflag&syscall.ECHO == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the terminal's echo never went off for the passphrase")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// ptySession is satchel running on a pseudo-terminal of its own, its output copied to screen.
type ptySession struct {
	t      *testing.T
	cmd    *exec.Cmd
	master *os.File
	screen *ptyScreen
	done   chan error
	copied chan struct{}
}

// startOnPTY runs satchel with args on a new pseudo-terminal as its controlling terminal.
func startOnPTY(t *testing.T, c *cli, args ...string) *ptySession {
	t.Helper()
	master, slave := openPTY(t)
	t.Cleanup(func() { master.Close() })
	cmd := c.command(args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	p := &ptySession{t: t, cmd: cmd, master: master, screen: &ptyScreen{}, done: make(chan error, 1), copied: make(chan struct{})}
	go func() { _, _ = bytesCopy(p.screen, master); close(p.copied) }()
	go func() { p.done <- cmd.Wait() }()
	return p
}

// finish waits for satchel to exit with code and returns all it showed. The process may exit
// before the copier has read its last output (a clearing escape, say), so it also waits for the
// terminal to close, which comes after the last of satchel's output.
func (p *ptySession) finish(code int) string {
	t := p.t
	t.Helper()
	select {
	case err := <-p.done:
		if got := exitCode(err); got != code {
			t.Fatalf("exit %d, want %d:\n%s", got, code, p.screen.String())
		}
	case <-time.After(60 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("satchel did not finish:\n%s", p.screen.String())
	}
	select {
	case <-p.copied:
	case <-time.After(10 * time.Second):
		t.Fatal("the terminal never closed")
	}
	return p.screen.String()
}
