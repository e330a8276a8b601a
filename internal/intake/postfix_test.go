package intake_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// postfixMain is the main.cf the README's Postfix set-up proves, for the
// test domain example.org, with everything that is the test's own (its
// directories, ports, log file) filled in by startPostfix.
const postfixMain = `compatibility_level = 3.6
config_directory = {{dir}}/etc
queue_directory = {{dir}}/queue
data_directory = {{dir}}/data
mail_owner = {{owner}}
setgid_group = postdrop
maillog_file = {{dir}}/maillog
maillog_file_prefixes = {{dir}}
myhostname = mx.example.org
mydomain = example.org
myorigin = example.org
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtputf8_enable = no
alias_maps =
alias_database =

# The service desk's domain: every address of it goes to servus over LMTP,
# servicedesk+anything@ included (reply and bounce addresses).
mydestination = example.org
local_recipient_maps =
recipient_delimiter = +
mailbox_transport = lmtp:inet:{{lmtp}}
`

// postfixMaster is master.cf: smtpd on the test's port, the rest as in
// Debian's master.cf without chroot.
const postfixMaster = `{{smtp}} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`

// startPostfix runs a Postfix instance of its own (configuration, queue
// and data in a temporary directory) accepting SMTP on the returned
// address for example.org and delivering it over LMTP to lmtp. It is
// stopped when the test ends; its log is shown when the test failed.
func startPostfix(t *testing.T, lmtp string) string {
	t.Helper()
	bin := needBinary(t, "postfix", "postfix", "/usr/sbin")
	if os.Geteuid() != 0 {
		msg := "Postfix's master must start as root; the tests do not run as root"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	owner, uid, gid := account(t, "postfix")
	dir := peerDir(t, "servus-postfix-")
	for _, sub := range []string{"etc", "queue", "data"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(filepath.Join(dir, "data"), uid, gid); err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	_, port, _ := net.SplitHostPort(addr)
	r := strings.NewReplacer("{{dir}}", dir, "{{owner}}", owner, "{{lmtp}}", lmtp, "{{smtp}}", port)
	writeFile(t, filepath.Join(dir, "etc", "main.cf"), r.Replace(postfixMain))
	writeFile(t, filepath.Join(dir, "etc", "master.cf"), r.Replace(postfixMaster))
	conf := filepath.Join(dir, "etc")
	logText := func() string {
		b, _ := os.ReadFile(filepath.Join(dir, "maillog"))
		return string(b)
	}
	// The queue's directories as "postfix check" (post-install) makes
	// them; made here because those scripts take seconds, and quick-start
	// tells "postfix start-fg" to skip running them again.
	postdrop := must(user.LookupGroup("postdrop"))
	pdGid := must(strconv.Atoi(postdrop.Gid))
	for _, q := range []struct {
		name string
		mode os.FileMode
		gid  int
		root bool
	}{
		{"active", 0o700, gid, false}, {"bounce", 0o700, gid, false}, {"corrupt", 0o700, gid, false},
		{"defer", 0o700, gid, false}, {"deferred", 0o700, gid, false}, {"flush", 0o700, gid, false},
		{"hold", 0o700, gid, false}, {"incoming", 0o700, gid, false}, {"private", 0o700, gid, false},
		{"saved", 0o700, gid, false}, {"trace", 0o700, gid, false},
		{"maildrop", 0o730, pdGid, false}, {"public", 0o710, pdGid, false}, {"pid", 0o755, 0, true},
	} {
		p := filepath.Join(dir, "queue", q.name)
		if err := os.Mkdir(p, q.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, q.mode); err != nil { // past the umask
			t.Fatal(err)
		}
		if !q.root {
			if err := os.Chown(p, uid, q.gid); err != nil {
				t.Fatal(err)
			}
		}
	}
	writeFile(t, filepath.Join(dir, "queue", "quick-start"), "")
	var out strings.Builder
	cmd := exec.Command(bin, "-c", conf, "start-fg")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("postfix start-fg: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		if b, err := exec.Command(bin, "-c", conf, "stop").CombinedOutput(); err != nil {
			t.Errorf("postfix stop: %v\n%s", err, b)
			_ = cmd.Process.Kill()
		}
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("postfix did not stop")
			_ = cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("postfix output:\n%s\nmaillog:\n%s", out.String(), logText())
		}
	})
	waitListening(t, addr, func() string { return out.String() + logText() })
	return addr
}

// smtpSend sends raw from from to rcpts through the SMTP server at addr.
func smtpSend(t *testing.T, addr, from string, rcpts []string, raw string) {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatalf("connect to postfix: %v", err)
	}
	defer c.Close()
	if err := c.Hello("client.example.com"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail(from, nil); err != nil {
		t.Fatalf("MAIL FROM: %v", err)
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r, nil); err != nil {
			t.Fatalf("RCPT TO %s: %v", r, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(raw)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("DATA: %v", err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
}

// TestPostfixDeliversOverLMTP: Postfix configured as the README says
// (mydestination the desk's domain, local_recipient_maps empty,
// recipient_delimiter +, mailbox_transport lmtp:inet:servus) takes mail by
// SMTP and hands it to servus's LMTP listener: each functional address
// makes a ticket in its queue, and a tagged address servicedesk+…@ reaches
// the Servicedesk queue.
func TestPostfixDeliversOverLMTP(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := newDesk(t, storetest.Dialects[0])
	w := newWatched(svc)
	mx := startPostfix(t, startLMTP(t, w))

	smtpSend(t, mx, "ida@example.com", []string{"servicedesk@example.org"},
		mailText("ida@example.com", "servicedesk@example.org", "Laptop", "laptop@ida", "", "Startet nicht."))
	smtpSend(t, mx, "jan@example.com", []string{"innet-admin@example.org"},
		mailText("jan@example.com", "innet-admin@example.org", "Switch", "switch@jan", "", "Port 12 tot."))
	smtpSend(t, mx, "kim@example.com", []string{"servicedesk+1234-x@example.org"},
		mailText("kim@example.com", "servicedesk+1234-x@example.org", "Antwort", "antwort@kim", "", "Mit Tag."))
	for i := range 3 {
		if n := w.next(t, fmt.Sprintf("mail %d of 3 through postfix", i+1)); n == 0 {
			t.Errorf("mail %d made no ticket", i+1)
		}
	}
	for who, queue := range map[string]string{"ida@example.com": "Servicedesk", "jan@example.com": "Netz", "kim@example.com": "Servicedesk"} {
		page := must(svc.Search(ctx, access.System, ticket.Filter{Requester: who}))
		if page.Total != 1 || page.Items[0].Queue != queue || page.Items[0].Channel != ticket.ChannelMail {
			t.Errorf("%s: got %+v, want one mail ticket in %s", who, page.Items, queue)
		}
	}
}
