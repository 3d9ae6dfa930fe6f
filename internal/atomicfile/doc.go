// Package atomicfile writes small files so that a reader never sees a partial file, even
// if the process or the machine dies halfway: the data goes to a temporary file in the
// same folder, is fsynced, and only then takes the final name (by rename to replace, by
// hard link to create without overwriting), after which the folder itself is fsynced so
// the new name survives a power cut.
//
// It exists because satchel's keystore, backups and configuration files all need the
// same crash safety, and getting the fsync order right once is easier than three times.
// Files must fit in memory; the temporary file lives next to the target because a rename
// is only atomic within one filesystem.
package atomicfile
