// Package auth holds servus's credentials: password hashing with argon2id,
// API tokens (stored hashed only) and a way to make a failed login for an
// unknown user cost as much as one for a known user. It is a leaf: it imports
// only the standard library, golang.org/x/crypto and internal/ticket.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/servus-desk/servus/internal/ticket"
)

// MaxPasswordLen is the longest password, in bytes, that HashPassword
// accepts. It bounds the work one request can cause.
const MaxPasswordLen = 1024

// Bounds on parameters read back from a stored hash, so that a corrupt or
// planted hash cannot make a login allocate gigabytes or spin for minutes.
const (
	maxMemory  = 1 << 21 // KiB, 2 GiB
	maxTime    = 64
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 128
)

// Params are the argon2id cost parameters of a password hash.
type Params struct {
	Memory  uint32 // KiB of memory per hash
	Time    uint32 // passes over the memory
	Threads uint8  // lanes (parallelism)
	SaltLen uint32 // bytes of random salt
	KeyLen  uint32 // bytes of derived hash
}

// DefaultParams returns the parameters servus hashes new passwords with:
// 64 MiB of memory, 2 passes, 2 lanes, a 16-byte salt and a 32-byte hash
// (about 50–100 ms on a current server core). Every concurrent hash holds its
// 64 MiB until it finishes, so the caller should bound concurrent logins.
func DefaultParams() Params {
	return Params{Memory: 64 * 1024, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32}
}

// CheapParams returns deliberately weak parameters (1 MiB, 1 pass, 1 lane)
// for tests and demo seeding, where hashing speed matters more than
// resistance to guessing. Never use them for real accounts.
func CheapParams() Params {
	return Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// validate reports whether p is usable and within the decode bounds.
func (p Params) validate() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("time %d out of range 1..%d", p.Time, maxTime)
	case p.Threads < 1:
		return fmt.Errorf("threads must be at least 1")
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("memory %d KiB out of range %d..%d", p.Memory, 8*uint32(p.Threads), maxMemory)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("salt length %d out of range %d..%d", p.SaltLen, minSaltLen, maxSaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("key length %d out of range %d..%d", p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

// HashPassword hashes pw with DefaultParams and returns a PHC string
// "$argon2id$v=19$m=65536,t=2,p=2$<salt>$<hash>" (unpadded standard base64).
// It returns an EINVALID error for an empty password or one longer than
// MaxPasswordLen bytes, and an internal error if the system's random source
// fails.
func HashPassword(pw string) (string, error) {
	return HashPasswordWith(pw, DefaultParams())
}

// HashPasswordWith is HashPassword with explicit cost parameters. Besides
// HashPassword's errors it returns an internal (non-ticket) error when p is
// outside sane bounds, since that is a programming fault.
func HashPasswordWith(pw string, p Params) (string, error) {
	if pw == "" {
		return "", ticket.E(ticket.EINVALID, "err.password.empty")
	}
	if len(pw) > MaxPasswordLen {
		return "", ticket.E(ticket.EINVALID, "err.password.too_long", MaxPasswordLen)
	}
	if err := p.validate(); err != nil {
		return "", fmt.Errorf("auth: bad argon2 parameters: %w", err)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: reading salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encode(p, salt, key), nil
}

func encode(p Params, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decode parses a PHC argon2id string into its parameters, salt and key.
func decode(encoded string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	if len(parts) != 6 || parts[0] != "" {
		return p, nil, nil, fmt.Errorf("want 5 '$'-separated fields")
	}
	if parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("unsupported algorithm %q", parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("unsupported version %q", parts[2])
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return p, nil, nil, fmt.Errorf("want parameters m, t, p")
	}
	for i, name := range []string{"m", "t", "p"} {
		k, v, ok := strings.Cut(kv[i], "=")
		if !ok || k != name {
			return p, nil, nil, fmt.Errorf("want parameter %s in position %d", name, i+1)
		}
		bits := 32
		if name == "p" {
			bits = 8
		}
		n, err := strconv.ParseUint(v, 10, bits)
		if err != nil || (len(v) > 1 && v[0] == '0') {
			return p, nil, nil, fmt.Errorf("bad value for %s: %q", name, v)
		}
		switch name {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			p.Threads = uint8(n)
		}
	}
	salt, err := base64.RawStdEncoding.Strict().DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("bad salt encoding: %w", err)
	}
	key, err := base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err != nil {
		return p, nil, nil, fmt.Errorf("bad hash encoding: %w", err)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.validate(); err != nil {
		return p, nil, nil, err
	}
	return p, salt, key, nil
}

// CheckPassword reports whether pw matches the PHC string encoded, hashing pw
// with the parameters stored in encoded and comparing in constant time. An
// empty or over-long pw never matches (false, nil). A malformed, unsupported
// or out-of-bounds encoded string returns an internal error: stored hashes
// come from servus's own database, so a bad one is servus's fault, not the
// caller's.
func CheckPassword(encoded, pw string) (bool, error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, fmt.Errorf("auth: malformed password hash: %w", err)
	}
	if pw == "" || len(pw) > MaxPasswordLen {
		return false, nil
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with parameters other than p
// (or cannot be parsed), so that a successful login should store a fresh
// hash. It returns no error.
func NeedsRehash(encoded string, p Params) bool {
	got, _, _, err := decode(encoded)
	return err != nil || got != p
}

// DummyCheck spends about the time CheckPassword spends on a hash made with
// p, and always fails. Call it when a login names an unknown user, with the
// parameters real hashes use, so that response times do not reveal which
// e-mail addresses have accounts. It returns nothing: there is nothing to
// match.
func DummyCheck(pw string, p Params) {
	if p.validate() != nil {
		p = DefaultParams()
	}
	if len(pw) > MaxPasswordLen {
		pw = pw[:MaxPasswordLen]
	}
	salt := make([]byte, p.SaltLen) // fixed all-zero salt: the result is discarded
	_ = argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}
