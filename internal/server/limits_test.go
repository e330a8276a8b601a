package server_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/server"
)

// serveTCP serves o on a real loopback listener (wrapped by wrap, if any)
// and returns its address.
func serveTCP(t *testing.T, o server.Options, wrap func(net.Listener) net.Listener) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if wrap != nil {
		ln = wrap(ln)
	}
	srv := server.New(o)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return addr
}

// formWeb is a stand-in for the web UI's sign-in: it reads the form body
// before anyone is known, as POST /login does.
var formWeb = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	io.WriteString(w, "hello "+r.PostFormValue("email"))
})

// TestSlowBodyCut: a client that dribbles the body of POST /login, a byte
// every 100 ms of a promised kilobyte, is cut after the body timeout (1 s
// here), not after the 5 minutes of ReadTimeout: the connection ends long
// before the client would have finished.
func TestSlowBodyCut(t *testing.T) {
	t.Parallel()
	addr := serveTCP(t, server.Options{Web: formWeb, BodyTimeout: time.Second}, nil)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST /login HTTP/1.1\r\nHost: servus\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=")
	stop := make(chan struct{})
	var sent atomic.Int64
	go func() { // 1000 bytes at 10 a second would take 100 s
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for range 1000 {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			if _, err := c.Write([]byte("a")); err != nil {
				return
			}
			sent.Add(1)
		}
	}()
	defer close(stop)
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, err = io.ReadAll(c) // whatever the server says, until it closes
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("slow body still open after 30 s (%d bytes sent), want it cut after the 1 s body timeout", sent.Load())
	}
	if n := sent.Load(); n >= 1000 {
		t.Fatalf("the whole slow body (%d bytes) was read", n)
	}
}

// TestSlowBodyOfKnownClient: a handler that has checked who is asking may
// give the body longer (as web and api do for signed-in people).
func TestSlowBodyOfKnownClient(t *testing.T) {
	t.Parallel()
	known := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NewResponseController(w).SetReadDeadline(time.Now().Add(time.Minute))
		formWeb(w, r)
	})
	addr := serveTCP(t, server.Options{Web: known, BodyTimeout: 300 * time.Millisecond}, nil)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST /upload HTTP/1.1\r\nHost: servus\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 12\r\n\r\nemail=")
	for _, b := range "abcdef" {
		time.Sleep(100 * time.Millisecond)
		c.Write([]byte(string(b)))
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("known client's slow body: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || string(body) != "hello abcdef" {
		t.Fatalf("known client's slow body: got %d %q, want 200 %q", res.StatusCode, body, "hello abcdef")
	}
}

// openConn dials addr and completes one request on the connection, so the
// server has surely accepted it; ok is false when the server closed it.
func openConn(t *testing.T, addr string) (net.Conn, bool) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: servus\r\n\r\n"); err != nil {
		return c, false
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return c, false
	}
	res.Body.Close()
	return c, res.StatusCode == http.StatusOK
}

// TestConnectionsPerClient: one address holds at most the per-client
// number of connections; the next is closed at once, and a place that
// becomes free can be taken again. A trusted proxy is not held to it.
func TestConnectionsPerClient(t *testing.T) {
	t.Parallel()
	addr := serveTCP(t, server.Options{}, func(ln net.Listener) net.Listener {
		return server.LimitListener(ln, 100, 3, nil)
	})
	var open []net.Conn
	for i := range 3 {
		c, ok := openConn(t, addr)
		if !ok {
			t.Fatalf("connection %d of 3: closed, want served", i+1)
		}
		open = append(open, c)
	}
	if _, ok := openConn(t, addr); ok {
		t.Fatalf("connection 4 from one address: served, want closed")
	}
	open[0].Close()
	deadline := time.Now().Add(10 * time.Second)
	for { // the server notices the close on its own time
		if _, ok := openConn(t, addr); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after closing one of 3 connections, a new one is still refused")
		}
		time.Sleep(20 * time.Millisecond)
	}

	proxied := serveTCP(t, server.Options{}, func(ln net.Listener) net.Listener {
		return server.LimitListener(ln, 100, 3, []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")})
	})
	for i := range 5 {
		if _, ok := openConn(t, proxied); !ok {
			t.Fatalf("connection %d from a trusted proxy: closed, want served", i+1)
		}
	}
}

// TestConnectionsInAll: beyond the total limit every connection is closed.
func TestConnectionsInAll(t *testing.T) {
	t.Parallel()
	addr := serveTCP(t, server.Options{}, func(ln net.Listener) net.Listener {
		return server.LimitListener(ln, 2, 0, nil)
	})
	for i := range 2 {
		if _, ok := openConn(t, addr); !ok {
			t.Fatalf("connection %d of 2: closed, want served", i+1)
		}
	}
	if _, ok := openConn(t, addr); ok {
		t.Fatalf("connection 3 with a total of 2: served, want closed")
	}
}

// TestReadyzDataFolder: /readyz answers 503 while the data folder takes no
// writes, probing it at most once per ProbeTTL.
func TestReadyzDataFolder(t *testing.T) {
	t.Parallel()
	var probes atomic.Int64
	var broken atomic.Bool
	h := server.Handler(server.Options{ProbeTTL: time.Hour, DataWritable: func(context.Context) error {
		probes.Add(1)
		if broken.Load() {
			return errors.New("read-only file system")
		}
		return nil
	}})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	for range 3 {
		if res, body := get(t, ts.URL+"/readyz"); res.StatusCode != http.StatusOK {
			t.Fatalf("writable: got %d %q, want 200", res.StatusCode, body)
		}
	}
	if n := probes.Load(); n != 1 {
		t.Errorf("3 readiness checks within the probe's TTL probed %d times, want 1", n)
	}

	broken.Store(true)
	h = server.Handler(server.Options{ProbeTTL: time.Nanosecond, DataWritable: func(context.Context) error {
		return errors.New("read-only file system")
	}})
	ts2 := httptest.NewServer(h)
	t.Cleanup(ts2.Close)
	res, body := get(t, ts2.URL+"/readyz")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "data folder") || strings.Contains(body, "read-only") {
		t.Fatalf("not writable: got %d %q, want 503 naming the data folder without details", res.StatusCode, body)
	}
}

// TestMetricsAllow: /metrics answers only to the networks allowed (by
// default loopback), and not to an outsider passed on by a proxy.
func TestMetricsAllow(t *testing.T) {
	t.Parallel()
	def := httptest.NewServer(server.Handler(server.Options{}))
	t.Cleanup(def.Close)
	if res, _ := get(t, def.URL+"/metrics"); res.StatusCode != http.StatusOK {
		t.Errorf("default, from loopback: got %d, want 200", res.StatusCode)
	}
	if res, _ := get(t, def.URL+"/metrics", "X-Forwarded-For", "203.0.113.9"); res.StatusCode != http.StatusNotFound {
		t.Errorf("default, outsider through a local proxy: got %d, want 404", res.StatusCode)
	}
	other := httptest.NewServer(server.Handler(server.Options{MetricsAllow: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}))
	t.Cleanup(other.Close)
	if res, body := get(t, other.URL+"/metrics"); res.StatusCode != http.StatusNotFound || strings.Contains(body, "go_goroutines") {
		t.Errorf("only 10.0.0.0/8 allowed, from loopback: got %d, want 404", res.StatusCode)
	}
	if res, _ := get(t, other.URL+"/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz is for everyone: got %d", res.StatusCode)
	}
}

// TestProfiling: /debug/pprof/ exists only when asked for, and only for
// the networks that may read /metrics.
func TestProfiling(t *testing.T) {
	t.Parallel()
	off := httptest.NewServer(server.Handler(server.Options{}))
	t.Cleanup(off.Close)
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/profile?seconds=1"} {
		if res, _ := get(t, off.URL+path); res.StatusCode != http.StatusNotFound {
			t.Errorf("profiling off, %s: got %d, want 404", path, res.StatusCode)
		}
	}
	on := httptest.NewServer(server.Handler(server.Options{Profiling: true}))
	t.Cleanup(on.Close)
	if res, body := get(t, on.URL+"/debug/pprof/"); res.StatusCode != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("profiling on, index: got %d, want 200 with the profiles", res.StatusCode)
	}
	if res, body := get(t, on.URL+"/debug/pprof/profile?seconds=1"); res.StatusCode != http.StatusOK || len(body) == 0 {
		t.Errorf("profiling on, CPU profile: got %d, %d bytes", res.StatusCode, len(body))
	}
	if res, _ := get(t, on.URL+"/debug/pprof/heap", "X-Forwarded-For", "203.0.113.9"); res.StatusCode != http.StatusNotFound {
		t.Errorf("profiling on, outsider through a local proxy: got %d, want 404", res.StatusCode)
	}
	limited := httptest.NewServer(server.Handler(server.Options{Profiling: true, MetricsAllow: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}))
	t.Cleanup(limited.Close)
	if res, _ := get(t, limited.URL+"/debug/pprof/goroutine"); res.StatusCode != http.StatusNotFound {
		t.Errorf("only 10.0.0.0/8 allowed, from loopback: got %d, want 404", res.StatusCode)
	}
}
