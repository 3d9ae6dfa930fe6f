// Package crash holds named fault-injection points on satchel's write paths. In a build with
// the crashpoints tag, Point kills the process at once (SIGKILL, as a power cut or kill -9
// would) when the environment variable SATCHEL_CRASH_AT names the point; tests use that to prove
// that every write path survives a crash at every step. In a release build Point does nothing
// and the variable is never read.
package crash

// The points, by path. Tests iterate over All.
const (
	SendAfterPlan        = "send-after-plan"
	SendAfterSign        = "send-after-sign"
	SendAfterBroadcast   = "send-after-broadcast"
	SendAfterRecord      = "send-after-record"
	SyncMidBatch         = "sync-mid-batch"
	SyncBeforeCommit     = "sync-before-commit"
	PassphraseBeforeSwap = "passphrase-before-swap"
	PassphraseAfterSwap  = "passphrase-after-swap"
	BackupBeforeWrite    = "backup-before-write"
	BackupAfterWrite     = "backup-after-write"
	CreateBeforeCommit   = "create-before-commit" // create or restore: files written, folder not yet in place
)

// All lists every point.
var All = []string{SendAfterPlan, SendAfterSign, SendAfterBroadcast, SendAfterRecord,
	SyncMidBatch, SyncBeforeCommit, PassphraseBeforeSwap, PassphraseAfterSwap, BackupBeforeWrite, BackupAfterWrite,
	CreateBeforeCommit}
