// Command testop runs servus's test OpenID provider (package optest) by
// hand: it prints "issuer http://127.0.0.1:PORT" and serves until stopped.
// The client is "servus" with the secret "servus-secret"; the people are
// ada, bert, carla, uma, nora, nina and otto, each with the password
// "pw-" and their name.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"time"

	"github.com/servus-desk/servus/internal/openid/optest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen `address`")
	lifetime := flag.Duration("id-token-lifetime", time.Hour, "lifetime of ID tokens (negative: issued expired)")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("issuer", "http://"+ln.Addr().String())
	log.Fatal(optest.Serve(ln, optest.Options{IDTokenLifetime: *lifetime}))
}
