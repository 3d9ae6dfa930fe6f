// Package btcd implements chain.Backend over the JSON-RPC interface of a btcd node.
//
// A backend is named by a URL:
//
//	btcd://USER:PASS@HOST:PORT            plain HTTP (btcd --notls, loopback only)
//	btcd://USER:PASS@HOST:PORT?tls=1&cert=/path/to/rpc.cert
//
// The node must run with --txindex --addrindex: script histories come from
// searchrawtransactions, which btcd only serves from its address index, and that index lists
// both the transactions paying to an address and those spending from it. Open checks this and
// the node's network before handing out a Backend.
//
// Every call goes through a small JSON-RPC client of the package's own (rpc.go, transport.go):
// commands go as JSON-RPC 2.0 batches over HTTP POST with basic authentication, so asking
// about N scripts, transactions or heights costs one HTTP round trip (plus one more for block
// heights the backend has not seen before), not N. RoundTrips counts them. btcd's rpcclient
// and btcjson are not used: btcjson registers every RPC command by reflection when the
// program starts, about 1.5 ms of every satchel start, the offline ones included.
//
// Each exchange ends when the context ends or when the timeout (30 s unless
// chain.Options.Timeout says otherwise) passes; a refused connection fails at once, with no
// retries. Every failure to get an answer wraps chain.ErrUnreachable and names the URL with
// its password masked.
package btcd
