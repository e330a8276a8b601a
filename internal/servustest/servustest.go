// Package servustest runs the real servus binary for end-to-end tests: it
// builds cmd/servus once per test process, starts "servus serve" on port 0
// with a data folder of its own (and a fresh PostgreSQL database when
// asked), waits for its "listening" log line and stops it with SIGTERM.
// Only tests import it.
//
// A package that uses it runs its tests through Main, which removes the
// built binary afterwards:
//
//	func TestMain(m *testing.M) { os.Exit(servustest.Main(m)) }
package servustest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/store/storetest"
)

var (
	mainRan   bool
	buildOnce sync.Once
	buildDir  string
	binPath   string
	buildErr  error
)

// Main runs m's tests and removes the binary built for them.
func Main(m *testing.M) int {
	mainRan = true
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	return code
}

// Binary returns the path of the servus binary, built on first use (with
// the race detector when the tests run with it).
func Binary(t testing.TB) string {
	t.Helper()
	if !mainRan {
		t.Fatal("servustest: run the package's tests through servustest.Main in TestMain")
	}
	buildOnce.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		buildDir, buildErr = os.MkdirTemp("", "servustest-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "servus")
		args := []string{"build", "-o", binPath}
		if raceEnabled {
			args = append(args, "-race")
		}
		out, err := exec.Command(goBin, append(args, "github.com/servus-desk/servus/cmd/servus")...).CombinedOutput()
		if err != nil {
			buildErr = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// environ is the test process's environment without SERVUS_* settings
// (which would change what servus does), plus env.
func environ(env map[string]string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SERVUS_") {
			out = append(out, kv)
		}
	}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// Result is what a finished servus command left.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Exec runs servus with args (and stdin, env when not empty) to its end.
func Exec(t testing.TB, env map[string]string, stdin string, args ...string) Result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(Binary(t), args...)
	cmd.Env = environ(env)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("servus %s: %v", strings.Join(args, " "), err)
	}
	return Result{Code: cmd.ProcessState.ExitCode(), Stdout: stdout.String(), Stderr: stderr.String()}
}

// Run runs a servus command that must succeed and returns its stdout.
func Run(t testing.TB, args ...string) string {
	t.Helper()
	r := Exec(t, nil, "", args...)
	if r.Code != 0 {
		t.Fatalf("servus %s: exit %d; stderr:\n%s", strings.Join(args, " "), r.Code, r.Stderr)
	}
	return r.Stdout
}

// Options says how to start servus serve.
type Options struct {
	// Data is the data folder; empty: a new temporary folder.
	Data string
	// DB is --db; with Postgres and no DB, a fresh database on the test
	// server (storetest.PostgresURL), dropped after servus stopped.
	DB       string
	Postgres bool
	// Args are more flags of serve, after --addr, --data and --db.
	Args []string
	// OwnFlags: Args are all of serve's flags; nothing is added (the
	// test sees to port 0, e.g. in a config file).
	OwnFlags bool
	// Env is added to the environment (SERVUS_* of the test's own are
	// left out).
	Env map[string]string
}

// Server is a running "servus serve".
type Server struct {
	URL  string // http://127.0.0.1:PORT
	Addr string // 127.0.0.1:PORT
	Data string // the data folder (empty with OwnFlags)
	DB   string // --db (empty for SQLite)

	t      testing.TB
	cmd    *exec.Cmd
	stdout string // file of servus's stdout
	stderr *Log
	exited chan struct{}
	code   int
}

// listeningRE finds the HTTP listener's address in text or JSON logs.
var listeningRE = regexp.MustCompile(`msg=listening addr=(\S+)|"msg":"listening","addr":"([^"]+)"`)

// StartupTimeout bounds how long servus may take to listen.
const StartupTimeout = 3 * time.Minute

// Start starts servus serve and returns once it logs its address. When t
// ends, servus still running gets SIGTERM and must exit 0.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	bin := Binary(t)
	s := &Server{t: t, DB: o.DB, stderr: newLog(), exited: make(chan struct{})}
	args := []string{"serve"}
	if !o.OwnFlags {
		s.Data = o.Data
		if s.Data == "" {
			s.Data = t.TempDir()
		}
		if s.DB == "" && o.Postgres {
			s.DB = storetest.PostgresURL(t)
		}
		args = append(args, s.StoreArgs()...)
		args = append(args, "--addr", "127.0.0.1:0")
	}
	args = append(args, o.Args...)
	s.cmd = exec.Command(bin, args...)
	s.cmd.Env = environ(o.Env)
	// stdout is a file, so that whatever servus printed before it logged
	// a line is there once the line is seen.
	out, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	s.stdout = out.Name()
	s.cmd.Stdout, s.cmd.Stderr = out, s.stderr
	err = s.cmd.Start()
	out.Close()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		s.cmd.Wait()
		s.code = s.cmd.ProcessState.ExitCode()
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
			return
		default:
		}
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
			if s.code != 0 {
				t.Errorf("servus exited with %d at the end of the test; log:\n%s", s.code, s.stderr)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("servus did not stop within 30s of SIGTERM; log:\n%s", s.stderr)
			s.cmd.Process.Kill()
			<-s.exited
		}
	})
	m := s.WaitLog(t, listeningRE, StartupTimeout)
	s.Addr = m[1] + m[2]
	s.URL = "http://" + s.Addr
	return s
}

// StoreArgs are the --data and --db flags of this server's database, for
// commands run on it.
func (s *Server) StoreArgs() []string {
	args := []string{"--data", s.Data}
	if s.DB != "" {
		args = append(args, "--db", s.DB)
	}
	return args
}

// Log is servus's log (stderr) so far.
func (s *Server) Log() string { return s.stderr.String() }

// Stdout is what servus printed on stdout so far.
func (s *Server) Stdout() string {
	b, err := os.ReadFile(s.stdout)
	if err != nil {
		s.t.Errorf("servus's stdout: %v", err)
	}
	return string(b)
}

// WaitLog waits until a log line matches re and returns its submatches;
// it fails t when servus exits first or timeout passes.
func (s *Server) WaitLog(t testing.TB, re *regexp.Regexp, timeout time.Duration) []string {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		text, changed := s.stderr.snapshot()
		if m := re.FindStringSubmatch(text); m != nil {
			return m
		}
		select {
		case <-changed:
		case <-s.exited:
			if m := re.FindStringSubmatch(s.stderr.String()); m != nil {
				return m
			}
			t.Fatalf("servus exited with %d before logging %s; stdout:\n%s\nlog:\n%s", s.code, re, s.Stdout(), s.stderr)
		case <-timer.C:
			t.Fatalf("servus did not log %s within %v; log:\n%s", re, timeout, s.stderr)
		}
	}
}

// Terminate sends SIGTERM and returns at once; Wait waits for the exit.
func (s *Server) Terminate() {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		s.t.Fatalf("SIGTERM: %v", err)
	}
}

// Wait waits up to 30s for servus to exit and returns its exit code.
func (s *Server) Wait(t testing.TB) int {
	t.Helper()
	select {
	case <-s.exited:
		return s.code
	case <-time.After(30 * time.Second):
		t.Fatalf("servus did not exit within 30s; log:\n%s", s.stderr)
		return -1
	}
}

// Stop stops servus gracefully (SIGTERM) and returns its exit code.
func (s *Server) Stop(t testing.TB) int {
	t.Helper()
	s.Terminate()
	return s.Wait(t)
}

// Kill kills servus (SIGKILL, as a crash) and waits for it to be gone.
func (s *Server) Kill(t testing.TB) {
	t.Helper()
	if err := s.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("kill: %v", err)
	}
	<-s.exited
}

// Log collects an output of servus; readers learn of each write.
type Log struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{}
}

func newLog() *Log { return &Log{changed: make(chan struct{})} }

func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, err := l.b.Write(p)
	close(l.changed)
	l.changed = make(chan struct{})
	return n, err
}

func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// snapshot returns the text so far and a channel closed on the next write.
func (l *Log) snapshot() (string, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String(), l.changed
}
