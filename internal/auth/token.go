package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
)

// TokenPrefix starts every API token, so that secret scanners and people can
// recognise one.
const TokenPrefix = "servus_"

// tokenEncoding is lowercase base32 without padding: safe in headers, URLs
// and shells, and unambiguous to read aloud.
var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewToken returns a new API token ("servus_" followed by 32 random bytes in
// lowercase unpadded base32, 59 characters in all) and its hash as HashToken
// computes it. Store only the hash; show the token once. It returns an
// internal (non-ticket) error only if the system's random source fails.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: reading token bytes: %w", err)
	}
	token = TokenPrefix + tokenEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken returns the lowercase hex SHA-256 of the whole token (prefix
// included), the form tokens are stored and looked up in. A token carries 256
// bits of randomness, so a fast unsalted hash is enough. It returns no error.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// LooksLikeToken reports whether s has the shape NewToken produces, so that
// callers can reject garbage without a database lookup. It returns no error.
func LooksLikeToken(s string) bool {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	if !ok || len(rest) != tokenEncoding.EncodedLen(32) {
		return false
	}
	b, err := tokenEncoding.DecodeString(rest)
	// Re-encoding rejects non-canonical trailing bits.
	return err == nil && len(b) == 32 && tokenEncoding.EncodeToString(b) == rest
}
