package auth

import (
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/ticket"
)

func TestHashCheckRoundtrip(t *testing.T) {
	tests := []struct {
		name  string
		pw    string
		check string
		want  bool
	}{
		{"same", "correct horse battery staple", "correct horse battery staple", true},
		{"umlauts", "Pässwörter-ß", "Pässwörter-ß", true},
		{"max length", strings.Repeat("x", MaxPasswordLen), strings.Repeat("x", MaxPasswordLen), true},
		{"wrong", "secret", "Secret", false},
		{"prefix", "secret", "secre", false},
		{"empty check", "secret", "", false},
		{"too long check", "secret", strings.Repeat("x", MaxPasswordLen+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc, err := HashPasswordWith(tt.pw, CheapParams())
			if err != nil {
				t.Fatalf("HashPasswordWith: got error %v, want nil", err)
			}
			ok, err := CheckPassword(enc, tt.check)
			if err != nil {
				t.Fatalf("CheckPassword: got error %v, want nil", err)
			}
			if ok != tt.want {
				t.Errorf("CheckPassword(%q): got %v, want %v", tt.check, ok, tt.want)
			}
		})
	}
}

func TestHashPasswordDefault(t *testing.T) {
	enc, err := HashPassword("secret")
	if err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	if want := "$argon2id$v=19$m=65536,t=2,p=2$"; !strings.HasPrefix(enc, want) {
		t.Errorf("got %q, want prefix %q", enc, want)
	}
	if ok, err := CheckPassword(enc, "secret"); !ok || err != nil {
		t.Errorf("CheckPassword: got %v, %v, want true, nil", ok, err)
	}
	if NeedsRehash(enc, DefaultParams()) {
		t.Errorf("NeedsRehash(default hash, DefaultParams()): got true, want false")
	}
}

func TestHashPasswordRejects(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		p    Params
		code string
	}{
		{"empty", "", CheapParams(), ticket.EINVALID},
		{"too long", strings.Repeat("x", MaxPasswordLen+1), CheapParams(), ticket.EINVALID},
		{"zero params", "secret", Params{}, ticket.EINTERNAL},
		{"tiny key", "secret", Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 4}, ticket.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := HashPasswordWith(tt.pw, tt.p)
			if got := ticket.ErrorCode(err); got != tt.code {
				t.Errorf("got code %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func TestSaltsDiffer(t *testing.T) {
	a, _ := HashPasswordWith("secret", CheapParams())
	b, _ := HashPasswordWith("secret", CheapParams())
	if a == b {
		t.Errorf("got equal hashes %q for two calls, want different salts", a)
	}
}

func TestParamsHonoured(t *testing.T) {
	tests := []struct {
		p      Params
		prefix string
	}{
		{CheapParams(), "$argon2id$v=19$m=1024,t=1,p=1$"},
		{Params{Memory: 2048, Time: 3, Threads: 4, SaltLen: 8, KeyLen: 16}, "$argon2id$v=19$m=2048,t=3,p=4$"},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			enc, err := HashPasswordWith("secret", tt.p)
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if !strings.HasPrefix(enc, tt.prefix) {
				t.Errorf("got %q, want prefix %q", enc, tt.prefix)
			}
			p, salt, key, err := decode(enc)
			if err != nil {
				t.Fatalf("decode: got error %v, want nil", err)
			}
			if p != tt.p {
				t.Errorf("decoded params: got %+v, want %+v", p, tt.p)
			}
			if len(salt) != int(tt.p.SaltLen) || len(key) != int(tt.p.KeyLen) {
				t.Errorf("got salt %d, key %d bytes, want %d, %d", len(salt), len(key), tt.p.SaltLen, tt.p.KeyLen)
			}
			if ok, err := CheckPassword(enc, "secret"); !ok || err != nil {
				t.Errorf("CheckPassword: got %v, %v, want true, nil", ok, err)
			}
			if NeedsRehash(enc, tt.p) {
				t.Errorf("NeedsRehash(same params): got true, want false")
			}
			if !NeedsRehash(enc, DefaultParams()) {
				t.Errorf("NeedsRehash(DefaultParams()): got false, want true")
			}
		})
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	good, err := HashPasswordWith("secret", CheapParams())
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Split(good, "$") // "", alg, v, params, salt, hash
	join := func(parts ...string) string { return strings.Join(parts, "$") }
	tests := []struct {
		name string
		enc  string
	}{
		{"empty", ""},
		{"garbage", "not a hash"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", join("", "argon2i", f[2], f[3], f[4], f[5])},
		{"no leading dollar", strings.TrimPrefix(good, "$")},
		{"extra field", good + "$x"},
		{"missing hash", join("", f[1], f[2], f[3], f[4])},
		{"version 16", join("", f[1], "v=16", f[3], f[4], f[5])},
		{"params order", join("", f[1], f[2], "t=1,m=1024,p=1", f[4], f[5])},
		{"params missing", join("", f[1], f[2], "m=1024,t=1", f[4], f[5])},
		{"params not numbers", join("", f[1], f[2], "m=x,t=1,p=1", f[4], f[5])},
		{"params negative", join("", f[1], f[2], "m=-1,t=1,p=1", f[4], f[5])},
		{"params leading zero", join("", f[1], f[2], "m=01024,t=1,p=1", f[4], f[5])},
		{"threads overflow", join("", f[1], f[2], "m=1024,t=1,p=256", f[4], f[5])},
		{"zero time", join("", f[1], f[2], "m=1024,t=0,p=1", f[4], f[5])},
		{"huge memory", join("", f[1], f[2], "m=4294967295,t=1,p=1", f[4], f[5])},
		{"huge time", join("", f[1], f[2], "m=1024,t=100000,p=1", f[4], f[5])},
		{"salt not base64", join("", f[1], f[2], f[3], "!!!!", f[5])},
		{"salt padded", join("", f[1], f[2], f[3], f[4]+"==", f[5])},
		{"salt too short", join("", f[1], f[2], f[3], "AAAA", f[5])},
		{"hash too short", join("", f[1], f[2], f[3], f[4], "AAAA")},
		{"hash not base64", join("", f[1], f[2], f[3], f[4], "*"+f[5][1:])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := CheckPassword(tt.enc, "secret")
			if ok {
				t.Errorf("got match, want none")
			}
			if got := ticket.ErrorCode(err); got != ticket.EINTERNAL {
				t.Errorf("got code %q (%v), want %q", got, err, ticket.EINTERNAL)
			}
			if !NeedsRehash(tt.enc, CheapParams()) {
				t.Errorf("NeedsRehash: got false, want true")
			}
		})
	}
}

func TestDummyCheck(t *testing.T) {
	// DummyCheck has no result; this proves it runs for odd inputs without
	// panicking, including invalid params (it falls back to the defaults).
	for _, pw := range []string{"", "secret", strings.Repeat("x", 5000)} {
		DummyCheck(pw, CheapParams())
	}
	DummyCheck("secret", Params{})
}
