//go:build !linux

package main

// noDump has no PR_SET_DUMPABLE to set outside Linux; the core-size limit (harden) remains.
func noDump() {}
