// Command testidp is a SAML 2.0 identity provider for servus's tests:
// crewjam/saml's samlidp with a few test people (user names and passwords
// as in samltest.Users) who have the eduPerson attributes a Shibboleth
// IdP releases. It listens on 127.0.0.1 on a free port, prints
// "listening URL" on stdout and serves until it is stopped. Service
// providers are registered with PUT URL/services/NAME (the SP's metadata
// as the body). It is built and started by samltest.Start; it is no part
// of servus.
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlidp"
	"golang.org/x/crypto/bcrypt"

	"github.com/servus-desk/servus/internal/saml/samltest"
)

// attrs adds the attributes samlidp's users lack (displayName,
// preferredLanguage, ou and a scoped eduPersonPrincipalName) before the
// default assertion is made.
type attrs struct{ people map[string]samltest.User }

func (a attrs) MakeAssertion(req *saml.IdpAuthnRequest, s *saml.Session) error {
	if u, ok := a.people[s.UserName]; ok {
		s.EduPersonPrincipalName = u.Name + "@uni.example"
		add := func(friendly, name, value string) {
			if value != "" {
				s.CustomAttributes = append(s.CustomAttributes, saml.Attribute{FriendlyName: friendly, Name: name,
					NameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:uri", Values: []saml.AttributeValue{{Type: "xs:string", Value: value}}})
			}
		}
		add("displayName", "urn:oid:2.16.840.1.113730.3.1.241", u.DisplayName)
		add("preferredLanguage", "urn:oid:2.16.840.1.113730.3.1.39", u.Language)
		add("ou", "urn:oid:2.5.4.11", u.Institute)
	}
	return saml.DefaultAssertionMaker{}.MakeAssertion(req, s)
}

func main() {
	log.SetFlags(0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	base, _ := url.Parse("http://" + ln.Addr().String())
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "testidp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	store := &samlidp.MemoryStore{}
	idp, err := samlidp.New(samlidp.Options{URL: *base, Key: key, Certificate: cert, Store: store})
	if err != nil {
		log.Fatal(err)
	}
	people := map[string]samltest.User{}
	for _, u := range samltest.Users {
		people[u.Name] = u
		hash, err := bcrypt.GenerateFromPassword([]byte(u.Password), bcrypt.MinCost)
		if err != nil {
			log.Fatal(err)
		}
		if err := store.Put("/users/"+u.Name, samlidp.User{Name: u.Name, HashedPassword: hash, Email: u.Email,
			Groups: u.Affiliation, CommonName: u.DisplayName}); err != nil {
			log.Fatal(err)
		}
	}
	idp.IDP.AssertionMaker = attrs{people}
	fmt.Println("listening", base.String())
	srv := &http.Server{Handler: idp, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}
