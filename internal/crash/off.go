//go:build !crashpoints

package crash

// Point does nothing in a release build.
func Point(string) {}

// Enabled reports whether this build has crash points.
const Enabled = false
