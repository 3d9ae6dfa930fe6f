package main

import "golang.org/x/sys/unix"

// noDump marks the process not dumpable: a core-dump handler run through a pipe
// (/proc/sys/kernel/core_pattern starting with '|', as systemd-coredump and apport are)
// ignores RLIMIT_CORE, and other processes of the same user could otherwise ptrace it or read
// its memory through /proc. Either would reach a seed or passphrase in memory.
func noDump() { _ = unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0) }
