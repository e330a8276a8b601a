package directory_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/servus-desk/servus/internal/directory"
	"github.com/servus-desk/servus/internal/directory/slapdtest"
)

func newDir(t *testing.T, s *slapdtest.Server, url string) *directory.Directory {
	t.Helper()
	d, err := directory.New(directory.Config{URL: url, BaseDN: slapdtest.Base, BindDN: slapdtest.ServiceDN,
		BindPassword: slapdtest.ServicePW, CAFile: s.CAFile, InstituteAttr: "ou",
		Groups: []string{slapdtest.NetworkDN, "CN=zid-admins, OU=groups,dc=uni,dc=example", slapdtest.AuditorsDN}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestSlapdAuthenticate runs against Debian's slapd, over ldap:// with
// StartTLS and over ldaps://: the right password finds the person with
// their attributes and groups (groupOfNames and posixGroup, DNs compared
// as DNs), by uid or by mail; a wrong password and an unknown name give the
// same error; filter characters in the name match only themselves; two
// entries with one mail address are refused; a directory that is down is
// told apart.
func TestSlapdAuthenticate(t *testing.T) {
	s := slapdtest.Start(t)
	ctx := context.Background()
	for _, url := range []string{s.URL, s.LDAPS} {
		t.Run(url[:5], func(t *testing.T) {
			d := newDir(t, s, url)
			p, err := d.Authenticate(ctx, "anna", "pw-anna")
			if err != nil {
				t.Fatalf("anna: %v", err)
			}
			if p.Email != "anna@uni.example" || p.Name != "Anna Agent" || p.Language != "en" || p.Institute != "Institut fuer Physik" ||
				p.UID != "anna" || p.ID == "" || !slices.Equal(p.Groups, []string{slapdtest.NetworkDN}) {
				t.Errorf("anna = %+v", p)
			}
			p, err = d.Authenticate(ctx, "bert@uni.example", "pw-bert")
			if err != nil {
				t.Fatalf("bert by mail: %v", err)
			}
			if p.Email != "bert@uni.example" || p.Name != "Bert Boss" || p.Language != "de" || len(p.Groups) != 1 || p.Groups[0] != "CN=zid-admins, OU=groups,dc=uni,dc=example" {
				t.Errorf("bert = %+v", p)
			}
			if p, err := d.Authenticate(ctx, "carla", "pw-carla"); err != nil || !slices.Equal(p.Groups, []string{slapdtest.AuditorsDN}) {
				t.Errorf("carla = %+v, %v; want the works council (posixGroup)", p, err)
			}
			for _, c := range []struct{ login, pw string }{
				{"anna", "wrong"}, {"nobody", "pw-nobody"}, {"anna", ""}, {"*", "pw-anna"}, {"an*", "pw-anna"},
				{"anna)(uid=*", "pw-anna"}, {"*)(|(uid=*", "x"}, {`anna\`, "pw-anna"}, {"anna\x00", "pw-anna"}, {"", "x"},
			} {
				if _, err := d.Authenticate(ctx, c.login, c.pw); !errors.Is(err, directory.ErrInvalidCredentials) {
					t.Errorf("%q/%q: %v, want invalid credentials", c.login, c.pw, err)
				}
			}
			// "star*" is a real uid: its "*" matches itself only.
			if p, err := d.Authenticate(ctx, "star*", "pw-star*"); err != nil || p.UID != "star*" {
				t.Errorf("star*: %+v, %v", p, err)
			}
			for _, login := range []string{"dora", "shared@uni.example"} {
				if _, err := d.Authenticate(ctx, login, "pw-dora"); !errors.Is(err, directory.ErrAmbiguous) {
					t.Errorf("%s: %v, want ambiguous (two entries with one mail)", login, err)
				}
			}
			ids, err := d.People(ctx)
			if err != nil || len(ids) != 6 {
				t.Errorf("People = %d, %v; want 6", len(ids), err)
			}
		})
	}
	t.Run("untrusted certificate", func(t *testing.T) {
		d, err := directory.New(directory.Config{URL: s.LDAPS, BaseDN: slapdtest.Base})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Authenticate(ctx, "anna", "pw-anna"); !errors.Is(err, directory.ErrUnavailable) {
			t.Errorf("got %v, want unavailable", err)
		}
	})
	t.Run("bad service password", func(t *testing.T) {
		d, _ := directory.New(directory.Config{URL: s.URL, BaseDN: slapdtest.Base, BindDN: slapdtest.ServiceDN, BindPassword: "x", CAFile: s.CAFile})
		if _, err := d.Authenticate(ctx, "anna", "pw-anna"); !errors.Is(err, directory.ErrUnavailable) {
			t.Errorf("got %v, want unavailable", err)
		}
	})
	t.Run("down", func(t *testing.T) {
		d := newDir(t, s, s.URL)
		s.Stop()
		if _, err := d.Authenticate(ctx, "anna", "pw-anna"); !errors.Is(err, directory.ErrUnavailable) {
			t.Errorf("got %v, want unavailable", err)
		}
		if _, err := d.People(ctx); !errors.Is(err, directory.ErrUnavailable) {
			t.Errorf("People: %v, want unavailable", err)
		}
	})
}

func TestNewChecksSettings(t *testing.T) {
	for _, c := range []directory.Config{
		{URL: "http://x", BaseDN: "dc=x"},
		{URL: "ldap://x"},
		{URL: "ldap://x", BaseDN: "not a dn"},
		{URL: "ldap://x", BaseDN: "dc=x", UserFilter: "(uid=x)"},
		{URL: "ldap://x", BaseDN: "dc=x", UserFilter: "(uid={login}"},
		{URL: "ldap://x", BaseDN: "dc=x", CAFile: "/nonexistent"},
		{URL: "ldap://x", BaseDN: "dc=x", Groups: []string{"no dn"}},
	} {
		if _, err := directory.New(c); err == nil {
			t.Errorf("New(%+v) = nil error", c)
		}
	}
}
