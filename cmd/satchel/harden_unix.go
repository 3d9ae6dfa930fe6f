//go:build unix

package main

import "syscall"

// harden sets up the process before any secret is in memory: files satchel creates are
// private whatever the user's umask, and no core dump can carry a seed to disk (the size limit
// for the kernel's own dumps, and on Linux the process marked not dumpable for piped handlers).
func harden() {
	syscall.Umask(0o077)
	_ = syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{Cur: 0, Max: 0})
	noDump()
}
