// Package prefault maps satchel's own program text and the first part of its heap in a few
// system calls, at the start of the process, instead of one page fault at a time.
//
// A run of an offline command touches about 600 pages of memory it has not touched before (code
// spread over a 23 MB binary, package variables, the heap the package initialisers fill). On the
// 2-core VM satchel is developed on, a page fault costs 10 to 30 µs, so faults were a large part
// of the 15 ms `balance --offline` took; asking the kernel for the same pages in bulk
// (MADV_POPULATE_READ and MADV_POPULATE_WRITE, Linux 5.14) halves the faults and took about
// 1 ms off each run (BENCHMARKS.md, "Start-up").
//
// Importing the package is all it takes: the work happens in its init, which Go runs before
// most other packages' because it imports only syscall. It is best effort: on another system,
// an older kernel, or a binary not fully in the page cache (populating would then read it all
// from disk, where faulting reads only what is used) it does nothing.
package prefault
