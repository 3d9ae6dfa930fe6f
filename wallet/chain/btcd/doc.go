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
// Every call goes through github.com/btcsuite/btcd/rpcclient in its JSON-RPC 2.0 batch mode,
// so asking about N scripts, transactions or heights costs one HTTP round trip (plus one more
// for block heights the backend has not seen before), not N. RoundTrips counts them.
//
// rpcclient retries a refused connection for about 20 seconds and takes no context. The
// backend bounds each exchange instead: it gives up when the context ends, when the timeout
// (30 s unless chain.Options.Timeout says otherwise) passes, or as soon as a TCP probe of the node
// fails while an answer is overdue. Every failure to get an answer wraps chain.ErrUnreachable
// and names the URL with its password masked.
package btcd
