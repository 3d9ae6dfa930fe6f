package btcd

// SetPageSize shrinks the history page so tests can page through a few transactions.
func SetPageSize(b *Backend, n int) { b.pageSize = n }
