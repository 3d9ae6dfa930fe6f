// Package socks5test is a tiny SOCKS5 proxy (RFC 1928, no authentication, CONNECT only) on
// loopback for tests. It records every CONNECT it is asked for and sends each one wherever the
// test's Route function says, so a test can prove a client hands host names to the proxy
// instead of resolving them, and can reach names that do not exist, such as .onion hosts.
package socks5test
