// Package esploratest is an Esplora REST server for tests that answers from any chain.Backend:
// each request becomes Backend calls. With it a test can put an Esplora front on the in-memory
// chaintest.Chain (or on a real node's backend) and run the esplora client against it.
//
// A real Esplora server indexes every script; this one can only answer for scripts it knows,
// because a script hash cannot be turned back into the script. Register the scripts a test asks
// about with Watch; any other script hash gets the empty history a server gives an unused
// script.
package esploratest
