// Package slapdtest runs Debian's OpenLDAP server (slapd) for tests: its
// own configuration, certificate and tree of people and groups in a temp
// folder, on free loopback ports (ldap:// with StartTLS, and ldaps://),
// stopped when the test ends. Only tests import it. Without slapd a test
// skips, and fails when CI is set.
package slapdtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// The tree every server starts with.
const (
	Base        = "dc=uni,dc=example"
	ServiceDN   = "cn=servus,ou=system," + Base
	ServicePW   = "service-secret"
	RootDN      = "cn=admin," + Base
	rootPW      = "root-secret"
	PeopleDN    = "ou=people," + Base
	GroupsDN    = "ou=groups," + Base
	NetworkDN   = "cn=zid-network,ou=groups," + Base // agents of the Network queue
	AdminsDN    = "cn=zid-admins,ou=groups," + Base  // servus admins
	AuditorsDN  = "cn=works-council,ou=groups," + Base
	PasswordFor = "pw-" // a person's password is PasswordFor + uid
)

// Seed is the tree: the service account, people and groups. anna is an
// agent (zid-network), bert an admin (zid-admins), carla a requester,
// dora and dorian share one mail address, and "star*" has a uid with
// filter characters.
const Seed = `dn: ` + Base + `
objectClass: dcObject
objectClass: organization
dc: uni
o: Universitaet Example

dn: ou=system,` + Base + `
objectClass: organizationalUnit
ou: system

dn: ` + ServiceDN + `
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: servus
userPassword: ` + ServicePW + `

dn: ` + PeopleDN + `
objectClass: organizationalUnit
ou: people

dn: ` + GroupsDN + `
objectClass: organizationalUnit
ou: groups

dn: uid=anna,` + PeopleDN + `
objectClass: inetOrgPerson
uid: anna
cn: Anna Agent
sn: Agent
displayName: Anna Agent
mail: anna@uni.example
preferredLanguage: en-GB
ou: Institut fuer Physik
userPassword: pw-anna

dn: uid=bert,` + PeopleDN + `
objectClass: inetOrgPerson
uid: bert
cn: Bert Boss
sn: Boss
mail: Bert@Uni.Example
preferredLanguage: de
userPassword: pw-bert

dn: uid=carla,` + PeopleDN + `
objectClass: inetOrgPerson
uid: carla
cn: Carla Student
sn: Student
displayName: Carla Student
mail: carla@uni.example
userPassword: pw-carla

dn: uid=dora,` + PeopleDN + `
objectClass: inetOrgPerson
uid: dora
cn: Dora One
sn: One
mail: shared@uni.example
userPassword: pw-dora

dn: uid=dorian,` + PeopleDN + `
objectClass: inetOrgPerson
uid: dorian
cn: Dorian Two
sn: Two
mail: shared@uni.example
userPassword: pw-dorian

dn: uid=star*,` + PeopleDN + `
objectClass: inetOrgPerson
uid: star*
cn: Star
sn: Star
mail: star@uni.example
userPassword: pw-star*

dn: ` + NetworkDN + `
objectClass: groupOfNames
cn: zid-network
member: uid=anna,` + PeopleDN + `
member: ` + ServiceDN + `

dn: ` + AdminsDN + `
objectClass: groupOfNames
cn: zid-admins
member: uid=bert,` + PeopleDN + `

dn: ` + AuditorsDN + `
objectClass: posixGroup
cn: works-council
gidNumber: 5000
memberUid: carla
`

// Server is a running slapd.
type Server struct {
	URL    string // ldap://127.0.0.1:PORT (StartTLS)
	LDAPS  string // ldaps://127.0.0.1:PORT
	CAFile string // the server's self-signed certificate, to trust
	Dir    string
	cmd    *exec.Cmd
	out    *bytes.Buffer
	mu     sync.Mutex
	t      testing.TB
}

// Start runs slapd with Seed loaded and stops it when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	slapd := need(t, "slapd", "/usr/sbin/slapd")
	slapadd := need(t, "slapadd", "/usr/sbin/slapadd")
	dir, err := os.MkdirTemp("", "servus-slapd-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Mkdir(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	s := &Server{Dir: dir, CAFile: filepath.Join(dir, "cert.pem"), out: &bytes.Buffer{}, t: t}
	writeCert(t, s.CAFile, filepath.Join(dir, "key.pem"))
	conf := filepath.Join(dir, "slapd.conf")
	write(t, conf, `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile `+dir+`/slapd.pid
TLSCertificateFile `+s.CAFile+`
TLSCertificateKeyFile `+dir+`/key.pem
database mdb
maxsize 33554432
suffix "`+Base+`"
rootdn "`+RootDN+`"
rootpw `+rootPW+`
directory `+dir+`/db
access to attrs=userPassword by anonymous auth by * none
access to * by users read by anonymous auth
`)
	seed := filepath.Join(dir, "seed.ldif")
	write(t, seed, Seed)
	if out, err := exec.Command(slapadd, "-f", conf, "-l", seed).CombinedOutput(); err != nil {
		t.Fatalf("slapadd: %v\n%s", err, out)
	}
	plain, secure := freePort(t), freePort(t)
	s.URL = fmt.Sprintf("ldap://127.0.0.1:%d", plain)
	s.LDAPS = fmt.Sprintf("ldaps://127.0.0.1:%d", secure)
	s.cmd = exec.Command(slapd, "-d", "0", "-f", conf, "-h", s.URL+"/ "+s.LDAPS+"/")
	s.cmd.Stdout, s.cmd.Stderr = s, s
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start slapd: %v", err)
	}
	exited := make(chan struct{})
	go func() { s.cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("slapd output:\n%s", s.Output())
		}
	})
	for _, addr := range []string{fmt.Sprintf("127.0.0.1:%d", plain), fmt.Sprintf("127.0.0.1:%d", secure)} {
		deadline := time.Now().Add(15 * time.Second)
		for {
			c, err := net.DialTimeout("tcp", addr, time.Second)
			if err == nil {
				c.Close()
				break
			}
			select {
			case <-exited:
				t.Fatalf("slapd stopped at start:\n%s", s.Output())
			case <-time.After(20 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("slapd does not listen on %s:\n%s", addr, s.Output())
			}
		}
	}
	return s
}

// Write collects slapd's output.
func (s *Server) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.Write(p)
}

// Output is what slapd printed.
func (s *Server) Output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// Root returns a connection bound as the directory's root, for changing
// the tree in a test; it is closed when the test ends.
func (s *Server) Root(t testing.TB) *ldap.Conn {
	t.Helper()
	c, err := ldap.DialURL(s.LDAPS, ldap.DialWithTLSConfig(s.TLS(t)))
	if err != nil {
		t.Fatalf("dial slapd: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Bind(RootDN, rootPW); err != nil {
		t.Fatalf("bind as root: %v", err)
	}
	return c
}

// TLS is a client TLS configuration trusting the server's certificate.
func (s *Server) TLS(t testing.TB) *tls.Config {
	t.Helper()
	pool := x509.NewCertPool()
	pemBytes, err := os.ReadFile(s.CAFile)
	if err != nil || !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatalf("read %s: %v", s.CAFile, err)
	}
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

// RemoveMember takes member (a DN) out of group (a groupOfNames DN).
func (s *Server) RemoveMember(t testing.TB, group, member string) {
	t.Helper()
	m := ldap.NewModifyRequest(group, nil)
	m.Delete("member", []string{member})
	if err := s.Root(t).Modify(m); err != nil {
		t.Fatalf("remove %s from %s: %v", member, group, err)
	}
}

// AddMember puts member (a DN) into group (a groupOfNames DN).
func (s *Server) AddMember(t testing.TB, group, member string) {
	t.Helper()
	m := ldap.NewModifyRequest(group, nil)
	m.Add("member", []string{member})
	if err := s.Root(t).Modify(m); err != nil {
		t.Fatalf("add %s to %s: %v", member, group, err)
	}
}

// Replace sets attribute attr of dn to values.
func (s *Server) Replace(t testing.TB, dn, attr string, values ...string) {
	t.Helper()
	m := ldap.NewModifyRequest(dn, nil)
	m.Replace(attr, values)
	if err := s.Root(t).Modify(m); err != nil {
		t.Fatalf("replace %s of %s: %v", attr, dn, err)
	}
}

// Delete removes the entry dn.
func (s *Server) Delete(t testing.TB, dn string) {
	t.Helper()
	if err := s.Root(t).Del(ldap.NewDelRequest(dn, nil)); err != nil {
		t.Fatalf("delete %s: %v", dn, err)
	}
}

// Stop ends slapd now (a directory that went down).
func (s *Server) Stop() {
	s.cmd.Process.Kill()
}

// PersonDN is the DN of uid.
func PersonDN(uid string) string { return "uid=" + uid + "," + PeopleDN }

func need(t testing.TB, name, path string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if _, err := os.Stat(path); err == nil {
		return path
	}
	msg := name + " is not installed (Debian packages slapd and ldap-utils; .ci/run installs them)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func write(t testing.TB, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeCert writes a self-signed certificate for 127.0.0.1 and its key.
func writeCert(t testing.TB, certPath, keyPath string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	write(t, certPath, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	write(t, keyPath, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})))
}
