package regtest

import "syscall"

// sysProcAttr makes the kernel kill btcd when the test binary dies, even without cleanups
// (a panic on -timeout exits at once).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
