//go:build !unix

package main

// harden has nothing to do where there are no umasks or core limits.
func harden() {}
