package keystore

import "fmt"

// KDFParams are Argon2id's cost parameters. They are stored in every file so that old
// files keep opening after the defaults change.
type KDFParams struct {
	Time      uint32 // passes over memory
	MemoryKiB uint32 // memory in KiB
	Threads   uint8  // lanes; also the parallelism Argon2 may use
}

// Cost caps and fixed sizes; FORMAT.md section 4 is the authority and must match.
const (
	maxTime       = 20
	maxMemoryKiB  = 1 << 20 // 1 GiB
	maxThreads    = 16
	maxTimeMemory = 4 << 20 // 4 GiB·pass: time × memory_kib
	saltLen       = 16
	keyLen        = 32
)

// DefaultKDFParams is the cost satchel writes unless told otherwise: 256 MiB and 5 passes,
// roughly 0.4 to 0.9 s per unlock on a 2-core machine (FORMAT.md section 9 has the
// measurements). It is a function, not a variable, so no code can weaken it for everyone.
func DefaultKDFParams() KDFParams {
	return KDFParams{Time: 5, MemoryKiB: 256 << 10, Threads: 4}
}

// MaxKDFParams is the largest cost a reader accepts in each dimension; in addition
// Time × MemoryKiB must not exceed 4 GiB·pass.
func MaxKDFParams() KDFParams {
	return KDFParams{Time: maxTime, MemoryKiB: maxMemoryKiB, Threads: maxThreads}
}

// String shows the parameters the way the CLI prints them.
func (p KDFParams) String() string {
	return fmt.Sprintf("time=%d memory=%dKiB threads=%d", p.Time, p.MemoryKiB, p.Threads)
}

// checkMinimums reports parameters Argon2 cannot run as stored (it would silently round
// memory), which makes a file ambiguous. It returns a description, or "".
func checkMinimums(p KDFParams) string {
	switch {
	case p.Time < 1:
		return "time must be at least 1"
	case p.Threads < 1:
		return "threads must be at least 1"
	case uint64(p.MemoryKiB) < 8*uint64(p.Threads):
		return fmt.Sprintf("memory_kib %d is below 8 × threads", p.MemoryKiB)
	case p.MemoryKiB%(4*uint32(p.Threads)) != 0:
		return fmt.Sprintf("memory_kib %d is not a multiple of 4 × threads", p.MemoryKiB)
	}
	return ""
}

// checkCost compares wide (unparsed) values against limit and the fixed caps, so that
// even numbers that do not fit the KDFParams fields are reported as too costly.
func checkCost(time, memKiB, threads uint64, limit KDFParams) string {
	limit = clampLimit(limit)
	switch {
	case time > uint64(limit.Time):
		return fmt.Sprintf("time %d exceeds the limit %d", time, limit.Time)
	case memKiB > uint64(limit.MemoryKiB):
		return fmt.Sprintf("memory %d KiB exceeds the limit %d KiB", memKiB, limit.MemoryKiB)
	case threads > uint64(limit.Threads):
		return fmt.Sprintf("threads %d exceeds the limit %d", threads, limit.Threads)
	case time*memKiB > maxTimeMemory:
		return fmt.Sprintf("time × memory = %d KiB·pass exceeds the limit %d", time*memKiB, maxTimeMemory)
	}
	return ""
}

// clampLimit keeps a caller's limit at or below the fixed caps: an option may lower the
// cap (fuzzing, tests), never raise it.
func clampLimit(l KDFParams) KDFParams {
	m := MaxKDFParams()
	if l.Time == 0 || l.Time > m.Time {
		l.Time = m.Time
	}
	if l.MemoryKiB == 0 || l.MemoryKiB > m.MemoryKiB {
		l.MemoryKiB = m.MemoryKiB
	}
	if l.Threads == 0 || l.Threads > m.Threads {
		l.Threads = m.Threads
	}
	return l
}
