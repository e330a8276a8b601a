package intake_test

// Real mail peers for the intake tests: Debian's Dovecot (IMAP) and
// Postfix (SMTP in, LMTP out to servus), each started by the test as its
// own process with its own configuration in a temporary directory, on free
// loopback ports, and stopped when the test ends. A test skips when the
// binary is missing, and fails instead when CI is set.

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
)

// needBinary returns the path of name (looked up in PATH and the extra
// directories), skipping the test when it is missing, failing it under CI.
func needBinary(t *testing.T, pkg, name string, dirs ...string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, d := range dirs {
		if p := filepath.Join(d, name); fileExists(p) {
			return p
		}
	}
	msg := fmt.Sprintf("%s is not installed (Debian package %s; .ci/run installs it)", name, pkg)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// freePort returns a loopback TCP port nobody listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	ln := must(net.Listen("tcp", "127.0.0.1:0"))
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// peerDir makes a directory for a server's files that the server's own
// unprivileged users can enter (t.TempDir is 0700 and root's when the tests
// run as root), removed when the test ends.
func peerDir(t *testing.T, prefix string) string {
	t.Helper()
	dir := must(os.MkdirTemp("", prefix))
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// waitListening waits up to 15 s until something accepts on addr.
func waitListening(t *testing.T, addr string, log func() string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing listens on %s: %v\n%s", addr, err, log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// account is who runs a server's unprivileged parts: the named system
// user when the tests run as root, else the current user.
func account(t *testing.T, name string) (string, int, int) {
	t.Helper()
	u := must(user.Current())
	if os.Geteuid() == 0 {
		if su, err := user.Lookup(name); err == nil {
			u = su
		} else {
			t.Fatalf("user %s is missing (it comes with the server's Debian package): %v", name, err)
		}
	}
	uid := must(strconv.Atoi(u.Uid))
	gid := must(strconv.Atoi(u.Gid))
	return u.Username, uid, gid
}

// ---- Dovecot

// dovecot is one Dovecot instance serving IMAP (no TLS) on Addr for the
// users of its passwd file, each with password pw and a maildir below Dir.
type dovecot struct {
	t    *testing.T
	bin  string
	Dir  string
	Addr string
	conf string
	cmd  *exec.Cmd
	out  bytes.Buffer
}

// startDovecot writes a minimal dovecot.conf for users and starts Dovecot
// in the foreground; it is stopped when the test ends, and its log is
// shown when the test failed.
func startDovecot(t *testing.T, users ...string) *dovecot {
	t.Helper()
	bin := needBinary(t, "dovecot-imapd", "dovecot", "/usr/sbin")
	if !fileExists("/usr/lib/dovecot/imap") {
		needBinary(t, "dovecot-imapd", "imap", "/usr/lib/dovecot")
	}
	dir := peerDir(t, "servus-dovecot-")
	internal, uid, gid := account(t, "dovecot")
	login, _, _ := account(t, "dovenull")
	for _, sub := range []string{"run", "state", "mail"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(filepath.Join(dir, "mail"), uid, gid); err != nil {
		t.Fatal(err)
	}
	var passwd strings.Builder
	for _, u := range users {
		passwd.WriteString(u + ":{PLAIN}pw::::::\n")
	}
	writeFile(t, filepath.Join(dir, "passwd"), passwd.String())
	d := &dovecot{t: t, bin: bin, Dir: dir, Addr: fmt.Sprintf("127.0.0.1:%d", freePort(t)), conf: filepath.Join(dir, "dovecot.conf")}
	_, port, _ := net.SplitHostPort(d.Addr)
	writeFile(t, d.conf, `# servus test instance
protocols = imap
listen = 127.0.0.1
base_dir = `+dir+`/run
state_dir = `+dir+`/state
instance_name = `+filepath.Base(dir)+`
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = `+internal+`
default_login_user = `+login+`
first_valid_uid = 1
log_path = `+dir+`/dovecot.log
mail_location = maildir:`+dir+`/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u `+dir+`/passwd
}
userdb {
  driver = static
  args = uid=`+strconv.Itoa(uid)+` gid=`+strconv.Itoa(gid)+` home=`+dir+`/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = `+port+`
  }
  inet_listener imaps {
    port = 0
  }
}
`)
	t.Cleanup(func() {
		d.Stop()
		if t.Failed() {
			t.Logf("dovecot output:\n%s\ndovecot.log:\n%s", d.out.String(), d.Log())
		}
	})
	d.Start()
	return d
}

// Log returns Dovecot's log file.
func (d *dovecot) Log() string {
	b, _ := os.ReadFile(filepath.Join(d.Dir, "dovecot.log"))
	return string(b)
}

// Start starts Dovecot (again) and waits until it accepts connections.
func (d *dovecot) Start() {
	d.t.Helper()
	d.cmd = exec.Command(d.bin, "-F", "-c", d.conf)
	d.cmd.Stdout, d.cmd.Stderr = &d.out, &d.out
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := d.cmd.Start(); err != nil {
		d.t.Fatalf("start dovecot: %v", err)
	}
	waitListening(d.t, d.Addr, func() string { return d.out.String() + d.Log() })
}

// Stop ends Dovecot with every connection it has (SIGTERM to its master,
// which takes its children with it) and waits until it is gone and its
// port is free.
func (d *dovecot) Stop() { d.stop(syscall.SIGTERM) }

// Kill kills Dovecot and all its processes at once (SIGKILL to its process
// group), dropping every connection mid-conversation.
func (d *dovecot) Kill() { d.stop(syscall.SIGKILL) }

func (d *dovecot) stop(sig syscall.Signal) {
	if d.cmd == nil {
		return
	}
	cmd := d.cmd
	d.cmd = nil
	if sig == syscall.SIGKILL {
		_ = syscall.Kill(-cmd.Process.Pid, sig)
	} else {
		_ = cmd.Process.Signal(sig)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
	// The children hold the listening socket until they are gone.
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		ln, err := net.Listen("tcp", d.Addr)
		if err == nil {
			ln.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ---- a Receiver that reports and can hold

// watched wraps a Receiver: every processed message is sent on processed
// (the ticket's number, 0 for none), and hold, when set, is called before
// storing a message (it may block).
type watched struct {
	*desk.Service
	processed chan int64
	mu        sync.Mutex
	hold      func(raw []byte)
}

func newWatched(svc *desk.Service) *watched {
	return &watched{Service: svc, processed: make(chan int64, 100)}
}

func (w *watched) StoreInbound(ctx context.Context, raw []byte, channel, rcpt string) (int64, *desk.Receipt, error) {
	w.mu.Lock()
	hold := w.hold
	w.mu.Unlock()
	if hold != nil {
		hold(raw)
	}
	return w.Service.StoreInbound(ctx, raw, channel, rcpt)
}

func (w *watched) ProcessInbound(ctx context.Context, id int64) (*desk.Receipt, error) {
	r, err := w.Service.ProcessInbound(ctx, id)
	if err == nil {
		w.processed <- r.Ticket
	}
	return r, err
}

// next waits up to 10 s for the next processed message.
func (w *watched) next(t *testing.T, what string) int64 {
	t.Helper()
	select {
	case n := <-w.processed:
		return n
	case <-time.After(2 * time.Minute):
		t.Fatalf("timed out waiting for %s", what)
		return 0
	}
}
