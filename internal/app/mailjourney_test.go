package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	netmail "net/mail"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/servus-desk/servus/internal/saml/samltest"
	"github.com/servus-desk/servus/internal/servustest"
)

// TestMailJourney is issue 3's "Done when": a requester who only uses mail
// works a ticket from the first message to its closing, against the real
// servus (SQLite, LMTP intake, SMTP delivery to a recorder in the test,
// auto-close), and every mail arrives once, threaded.
func TestMailJourney(t *testing.T) {
	deadline := time.Now().Add(60 * time.Second)
	rec := startRecorder(t)
	data := t.TempDir()
	const (
		queueAddr = "servicedesk@uni.example"
		rita      = "rita@uni.example"
		agentMail = "anton@zid.example"
	)
	servus(t, "user", "add", "--data", data, "--email", "admin@zid.example", "--name", "Ada Admin", "--role", "admin", "--password", "admin-password")
	servus(t, "user", "add", "--data", data, "--email", agentMail, "--name", "Anton Agent", "--role", "agent")
	servus(t, "queue", "add", "--data", data, "--name", "Servicedesk", "--address", queueAddr, "--default")
	servus(t, "queue", "member", "--data", data, "--name", "Servicedesk", "--email", agentMail)
	admin := strings.TrimSpace(servus(t, "token", "create", "--data", data, "--email", "admin@zid.example"))
	agent := strings.TrimSpace(servus(t, "token", "create", "--data", data, "--email", agentMail))

	api, lmtpAddr := boot(t, "--data", data, "--addr", "127.0.0.1:0", "--lmtp", "127.0.0.1:0",
		"--smtp-url", "smtp://"+rec.addr+"?tls=none", "--base-url", "https://servus.uni.example",
		"--auto-close-after", "1s", "--staff-mail-window", "0") // every step its own mail

	// 1. A new mail to the queue's address makes a ticket; Rita gets the receipt.
	const first = "first.7f3a@uni.example"
	lmtp(t, lmtpAddr, rita, queueAddr, "From: Rita Requester <rita@uni.example>\r\nTo: servicedesk@uni.example\r\n"+
		"Subject: Drucker im 2. Stock druckt nicht\r\nDate: Mon, 02 Mar 2026 09:00:00 +0100\r\nMessage-ID: <"+first+">\r\n"+
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDer Drucker druckt nur leere Seiten.\r\n")
	receipt := rec.wait(t, deadline, rita, 1)
	m := regexp.MustCompile(`\[#(\d+)\]`).FindStringSubmatch(receipt.Header.Get("Subject"))
	if m == nil {
		t.Fatalf("receipt subject %q lacks [#N]", receipt.Header.Get("Subject"))
	}
	number := m[1]
	receiptID := msgID(t, receipt)
	if !slices.Contains(refs(receipt), first) {
		t.Errorf("receipt References %v lack Rita's first mail <%s>", refs(receipt), first)
	}
	ticketURL := api + "/api/v1/tickets/" + number

	// 2. The agent takes the ticket and asks; the question threads on the receipt.
	call(t, "POST", ticketURL+"/actions", agent, map[string]any{"action": "take"}, http.StatusOK)
	call(t, "POST", ticketURL+"/entries", agent, map[string]any{"kind": "question", "body": "Welches Modell ist es?"}, http.StatusCreated)
	question := rec.wait(t, deadline, rita, 2)
	questionID := msgID(t, question)
	if got := question.Header.Get("In-Reply-To"); got != "<"+receiptID+">" {
		t.Errorf("question In-Reply-To %q, want the receipt <%s>", got, receiptID)
	}
	if r := refs(question); !slices.Contains(r, first) || !slices.Contains(r, receiptID) {
		t.Errorf("question References %v lack the first mail or the receipt", r)
	}
	if !strings.Contains(question.Header.Get("Subject"), "[#"+number+"]") {
		t.Errorf("question subject %q lacks [#%s]", question.Header.Get("Subject"), number)
	}

	// 3. Rita answers from Outlook, quoting everything; 7. the mail server
	// hands the same reply over twice.
	reply := "From: Rita Requester <rita@uni.example>\r\nTo: servicedesk@servus.uni.example\r\n" +
		"Subject: AW: [#" + number + "] Drucker im 2. Stock druckt nicht\r\nDate: Mon, 02 Mar 2026 10:00:00 +0100\r\n" +
		"Message-ID: <reply.91c2@uni.example>\r\nIn-Reply-To: <" + questionID + ">\r\n" +
		"References: <" + first + "> <" + receiptID + "> <" + questionID + ">\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Ein HP LaserJet M507.\r\n\r\n" +
		"Von: Servicedesk <servicedesk@servus.uni.example>\r\nGesendet: Montag, 2. März 2026 09:30\r\n" +
		"An: Rita Requester <rita@uni.example>\r\nBetreff: [#" + number + "] Drucker im 2. Stock druckt nicht\r\n\r\n" +
		"Welches Modell ist es?\r\n\r\n---- Ursprüngliche Nachricht ----\r\nDer Drucker druckt nur leere Seiten.\r\n"
	lmtp(t, lmtpAddr, rita, queueAddr, reply)
	lmtp(t, lmtpAddr, rita, queueAddr, reply)
	tk := call(t, "GET", ticketURL, agent, nil, http.StatusOK)
	if tk["state"] != "open" || tk["assignee"] != agentMail {
		t.Errorf("after Rita's answer: state %v assignee %v, want open and %s", tk["state"], tk["assignee"], agentMail)
	}
	answers := entriesOf(t, ticketURL, agent, "answer")
	if len(answers) != 1 || answers[0]["body"] != "Ein HP LaserJet M507." {
		t.Errorf("answer entries: got %v, want one with only the new text", answers)
	}
	// The agent hears of it (their second mail after the queue's "created").
	told := rec.wait(t, deadline, agentMail, 2)
	if !strings.Contains(told.Body, "Ein HP LaserJet M507.") {
		t.Errorf("agent's notification lacks the answer:\n%s", told.Body)
	}

	// 4. The agent resolves; Rita gets the resolved mail, threaded.
	call(t, "POST", ticketURL+"/actions", agent, map[string]any{"action": "resolve"}, http.StatusOK)
	resolved := rec.wait(t, deadline, rita, 3)
	if r := refs(resolved); !slices.Contains(r, first) || !slices.Contains(r, receiptID) {
		t.Errorf("resolved mail References %v lack the first mail or the receipt", r)
	}
	if got := resolved.Header.Get("In-Reply-To"); got == "" {
		t.Errorf("resolved mail has no In-Reply-To")
	}

	// 5. No reaction: auto-close.
	poll(t, deadline, "the ticket to be auto-closed", func() bool {
		tk = call(t, "GET", ticketURL, agent, nil, http.StatusOK)
		return tk["state"] == "closed"
	})
	if tk["close_reason"] != "auto-closed" {
		t.Errorf("close_reason %v, want auto-closed", tk["close_reason"])
	}

	// 6. Nothing lost, nothing doubled: one ticket, each entry once, the
	// outbox drained, each mail received once, all in one thread.
	if list := call(t, "GET", api+"/api/v1/tickets", admin, nil, http.StatusOK); list["total"] != float64(1) {
		t.Errorf("tickets: total %v, want 1", list["total"])
	}
	for kind, want := range map[string]int{"description": 1, "question": 1, "answer": 1, "message": 0} {
		if got := len(entriesOf(t, ticketURL, agent, kind)); got != want {
			t.Errorf("%d %s entries, want %d", got, kind, want)
		}
	}
	poll(t, deadline, "the outbox to drain", func() bool {
		for _, state := range []string{"pending", "failed"} {
			if p := call(t, "GET", api+"/api/v1/outbox?state="+state, admin, nil, http.StatusOK); p["total"] != float64(0) {
				return false
			}
		}
		return true
	})
	mails := rec.to(rita)
	if len(mails) != 3 {
		t.Errorf("Rita got %d mails, want 3 (receipt, question, resolved)", len(mails))
	}
	if got := len(rec.to(agentMail)); got != 2 {
		t.Errorf("the agent got %d mails, want 2 (created, answer)", got)
	}
	seen := map[string]bool{}
	for _, x := range mails {
		id := msgID(t, x)
		if seen[id] {
			t.Errorf("Message-ID <%s> received twice", id)
		}
		seen[id] = true
		if !slices.Contains(refs(x), first) {
			t.Errorf("mail %q: References %v do not reach the first mail", x.Header.Get("Subject"), refs(x))
		}
	}
}

// recorder is an SMTP server on loopback that keeps every message.
type recorder struct {
	addr   string
	mu     sync.Mutex
	mails  []*recorded
	signal chan struct{} // gets a value after each message
}

type recorded struct {
	Rcpt   []string
	Header netmail.Header
	Body   string
}

func startRecorder(t *testing.T) *recorder {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{addr: ln.Addr().String(), signal: make(chan struct{}, 1)}
	srv := smtp.NewServer(r)
	srv.Domain = "mx.test"
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return r
}

func (r *recorder) NewSession(*smtp.Conn) (smtp.Session, error) { return &recSession{r: r}, nil }

type recSession struct {
	r    *recorder
	rcpt []string
}

func (*recSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *recSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.rcpt = append(s.rcpt, strings.ToLower(to))
	return nil
}
func (s *recSession) Reset()      { s.rcpt = nil }
func (*recSession) Logout() error { return nil }
func (s *recSession) Data(rd io.Reader) error {
	raw, err := io.ReadAll(rd)
	if err != nil {
		return err
	}
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(m.Body)
	s.r.mu.Lock()
	s.r.mails = append(s.r.mails, &recorded{Rcpt: s.rcpt, Header: m.Header, Body: string(body)})
	s.r.mu.Unlock()
	select {
	case s.r.signal <- struct{}{}:
	default:
	}
	return nil
}

// to lists the mails to addr, in the order received.
func (r *recorder) to(addr string) []*recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*recorded
	for _, m := range r.mails {
		if slices.Contains(m.Rcpt, addr) {
			out = append(out, m)
		}
	}
	return out
}

// wait returns the nth mail to addr, waiting for it until deadline.
func (r *recorder) wait(t *testing.T, deadline time.Time, addr string, n int) *recorded {
	t.Helper()
	for {
		if got := r.to(addr); len(got) >= n {
			return got[n-1]
		}
		select {
		case <-r.signal:
		case <-time.After(time.Until(deadline)):
			t.Fatalf("timed out waiting for mail %d to %s; got %d", n, addr, len(r.to(addr)))
		}
	}
}

func msgID(t *testing.T, m *recorded) string {
	t.Helper()
	id := strings.Trim(m.Header.Get("Message-ID"), "<> ")
	if id == "" {
		t.Fatalf("mail %q has no Message-ID", m.Header.Get("Subject"))
	}
	return id
}

func refs(m *recorded) []string {
	var out []string
	for _, f := range strings.Fields(m.Header.Get("References")) {
		out = append(out, strings.Trim(f, "<>"))
	}
	return out
}

func TestMain(m *testing.M) {
	code := servustest.Main(m)
	samltest.Cleanup()
	os.Exit(code)
}

// servus runs a servus command that must succeed and returns its stdout.
func servus(t *testing.T, args ...string) string {
	t.Helper()
	return servustest.Run(t, args...)
}

var lmtpRE = regexp.MustCompile(`msg="lmtp listening" addr=(\S+)`)

// boot runs servus serve with args (which listen on port 0, HTTP and
// LMTP) until the test ends and returns its API base URL and LMTP address,
// read from its log.
func boot(t *testing.T, args ...string) (api, lmtpAddr string) {
	t.Helper()
	s := servustest.Start(t, servustest.Options{Args: args, OwnFlags: true})
	return s.URL, s.WaitLog(t, lmtpRE, 60*time.Second)[1]
}

// poll checks cond every 20ms until it holds, failing at deadline.
func poll(t *testing.T, deadline time.Time, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lmtp delivers raw from → to over LMTP and wants it accepted.
func lmtp(t *testing.T, addr, from, to, raw string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c := smtp.NewClientLMTP(conn)
	defer c.Close()
	if err := c.Hello("mx.uni.example"); err != nil {
		t.Fatalf("LHLO: %v", err)
	}
	if err := c.Mail(from, nil); err != nil {
		t.Fatalf("MAIL: %v", err)
	}
	if err := c.Rcpt(to, nil); err != nil {
		t.Fatalf("RCPT: %v", err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatalf("DATA: %v", err)
	}
	if _, err := io.WriteString(w, raw); err != nil {
		t.Fatalf("DATA: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("LMTP delivery refused: %v", err)
	}
	if err := c.Quit(); err != nil {
		t.Fatalf("QUIT: %v", err)
	}
}

// call sends a JSON request with token and wants status; it returns the
// decoded answer.
func call(t *testing.T, method, url, token string, body any, want int) map[string]any {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: got %d %s, want %d", method, url, resp.StatusCode, b, want)
	}
	out := map[string]any{}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s %s: bad JSON %q: %v", method, url, b, err)
		}
	}
	return out
}

// entriesOf lists the ticket's entries of kind.
func entriesOf(t *testing.T, ticketURL, token, kind string) []map[string]any {
	t.Helper()
	var out []map[string]any
	items, _ := call(t, "GET", ticketURL+"/entries", token, nil, http.StatusOK)["items"].([]any)
	for _, it := range items {
		if e, ok := it.(map[string]any); ok && e["kind"] == kind {
			out = append(out, e)
		}
	}
	return out
}
