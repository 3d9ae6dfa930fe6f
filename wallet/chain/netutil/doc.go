// Package netutil holds what the Esplora and Electrum backends share about talking to a
// server: dialing directly or through a SOCKS5 proxy (so a .onion server and the DNS lookup of
// any host go through Tor), bounded retries, errors that say which server failed and how, exact
// decimal fee-rate conversion, URL masking, the mapping of broadcast refusals to
// chain.BroadcastCause, and the guard that refuses a tip going backwards.
package netutil
