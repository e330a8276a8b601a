// Command servus is a service desk: tickets, queues, mail, a web portal and a
// REST API. Run "servus help" for its commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // queues' time zones (response targets) also where the machine has no zoneinfo

	"github.com/servus-desk/servus/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
