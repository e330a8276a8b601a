package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	seen := make(map[string]bool)
	for range 100 {
		tok, hash, err := NewToken()
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		if seen[tok] {
			t.Fatalf("got duplicate token %q, want unique", tok)
		}
		seen[tok] = true
		if !strings.HasPrefix(tok, TokenPrefix) || len(tok) != 59 {
			t.Errorf("got token %q (%d chars), want %q + 52 chars", tok, len(tok), TokenPrefix)
		}
		if strings.Trim(tok[len(TokenPrefix):], "abcdefghijklmnopqrstuvwxyz234567") != "" {
			t.Errorf("got token %q, want lowercase base32 after the prefix", tok)
		}
		if got := HashToken(tok); got != hash {
			t.Errorf("HashToken: got %q, want %q (from NewToken)", got, hash)
		}
		if !LooksLikeToken(tok) {
			t.Errorf("LooksLikeToken(%q): got false, want true", tok)
		}
	}
}

func TestHashToken(t *testing.T) {
	sum := sha256.Sum256([]byte("servus_abc"))
	tests := []struct {
		token, want string
	}{
		{"servus_abc", hex.EncodeToString(sum[:])},
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	}
	for _, tt := range tests {
		for range 2 { // stable across calls
			if got := HashToken(tt.token); got != tt.want {
				t.Errorf("HashToken(%q): got %q, want %q", tt.token, got, tt.want)
			}
		}
	}
}

func TestLooksLikeToken(t *testing.T) {
	good, _, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		s    string
		want bool
	}{
		{good, true},
		{"", false},
		{TokenPrefix, false},
		{strings.ToUpper(good), false},
		{good[:len(good)-1], false},
		{good + "a", false},
		{"github_" + good[len(TokenPrefix):], false},
		{TokenPrefix + strings.Repeat("a", 51) + "b", false}, // non-canonical trailing bits
		{TokenPrefix + strings.Repeat("a", 52), true},
	}
	for _, tt := range tests {
		if got := LooksLikeToken(tt.s); got != tt.want {
			t.Errorf("LooksLikeToken(%q): got %v, want %v", tt.s, got, tt.want)
		}
	}
}
