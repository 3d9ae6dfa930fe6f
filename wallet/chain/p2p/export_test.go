package p2p

// The fake peers of the tests live in this process.
func init() { allowSelfConns = true }

// CFHeadersRequests is how many getcfheaders the backend sent since Open.
func (b *Backend) CFHeadersRequests() int64 { return b.cfRequests.Load() }
