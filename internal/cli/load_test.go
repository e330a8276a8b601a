package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// acked is what servus acknowledged during a load: a 201 for a ticket, a
// file or an entry, a 250 for a mail over LMTP.
type acked struct {
	mu      sync.Mutex
	tickets []int64           // numbers
	files   map[string][]byte // "NUMBER/ID" → the bytes uploaded
	entries []int64           // entry IDs
	mails   []string          // Message-IDs (without <>)
	failed  map[string]int    // what was not acknowledged, by kind of failure
}

func newAcked() *acked { return &acked{files: map[string][]byte{}, failed: map[string]int{}} }

func (a *acked) fail(what string) {
	a.mu.Lock()
	a.failed[what]++
	a.mu.Unlock()
}

// total is the number of acknowledged writes.
func (a *acked) total() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.tickets) + len(a.files) + len(a.entries) + len(a.mails)
}

// load says where and how to drive servus.
type load struct {
	url, lmtp        string // HTTP base URL; LMTP address (empty: no mail)
	requester, admin string // tokens
	creators, mailer int    // concurrent API clients and LMTP clients
	files            bool   // upload a file and add an entry after each create
	tag              string // makes subjects and Message-IDs unique per test
}

// drive runs the load until ctx ends and records every acknowledged write
// in a. Each LMTP message goes over a connection of its own, so that a
// proxy in front can send it to any instance. Failures (the killed
// instance's connections) are counted, not fatal.
func drive(ctx context.Context, l load, a *acked) {
	client := &http.Client{Timeout: 20 * time.Second}
	do := func(method, url, token, ctype string, body []byte) (int, map[string]any) {
		req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
		if err != nil {
			return 0, nil
		}
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil
		}
		defer resp.Body.Close()
		out := map[string]any{}
		b, _ := io.ReadAll(resp.Body)
		json.Unmarshal(b, &out)
		return resp.StatusCode, out
	}
	var wg sync.WaitGroup
	for w := range l.creators {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(w), 42))
			for i := 0; ctx.Err() == nil; i++ {
				body, _ := json.Marshal(map[string]any{"queue": "Servicedesk", "subject": fmt.Sprintf("%s Drucker %d-%d", l.tag, w, i), "description": "druckt nicht"})
				code, tk := do("POST", l.url+"/api/v1/tickets", l.requester, "application/json", body)
				if code != http.StatusCreated {
					a.fail(fmt.Sprintf("create %d", code))
					continue
				}
				num := int64(tk["number"].(float64))
				a.mu.Lock()
				a.tickets = append(a.tickets, num)
				a.mu.Unlock()
				if !l.files {
					continue
				}
				// Mostly small files, now and then one over a chunk.
				size := 200 + rnd.IntN(20000)
				if i%5 == 4 {
					size = 1<<20 + rnd.IntN(100000)
				}
				content := make([]byte, size)
				for j := range content {
					content[j] = byte(rnd.Uint32())
				}
				var mp bytes.Buffer
				mw := multipart.NewWriter(&mp)
				fw, _ := mw.CreateFormFile("file", fmt.Sprintf("scan-%d-%d.bin", w, i))
				fw.Write(content)
				mw.Close()
				numS := strconv.FormatInt(num, 10)
				code, up := do("POST", l.url+"/api/v1/tickets/"+numS+"/attachments", l.requester, mw.FormDataContentType(), mp.Bytes())
				if code != http.StatusCreated {
					a.fail(fmt.Sprintf("upload %d", code))
					continue
				}
				id := int64(up["items"].([]any)[0].(map[string]any)["id"].(float64))
				a.mu.Lock()
				a.files[numS+"/"+strconv.FormatInt(id, 10)] = content
				a.mu.Unlock()
				body, _ = json.Marshal(map[string]any{"kind": "question", "body": "Welches Modell genau?"})
				code, e := do("POST", l.url+"/api/v1/tickets/"+numS+"/entries", l.admin, "application/json", body)
				if code != http.StatusCreated {
					a.fail(fmt.Sprintf("entry %d", code))
					continue
				}
				a.mu.Lock()
				a.entries = append(a.entries, int64(e["id"].(float64)))
				a.mu.Unlock()
			}
		})
	}
	if l.lmtp != "" {
		for w := range l.mailer {
			wg.Go(func() {
				for i := 0; ctx.Err() == nil; i++ {
					id := fmt.Sprintf("%s-%d-%d@mail.example.org", l.tag, w, i)
					from := fmt.Sprintf("sender%d-%d@example.org", w, i%7)
					if sendLMTP(ctx, l.lmtp, from, mailRaw(from, "Anfrage "+id, id)) {
						a.mu.Lock()
						a.mails = append(a.mails, id)
						a.mu.Unlock()
					} else {
						a.fail("mail")
					}
				}
			})
		}
	}
	wg.Wait()
}

// sendLMTP delivers one message over a new LMTP connection and reports
// whether servus acknowledged it (250).
func sendLMTP(ctx context.Context, addr, from, raw string) bool {
	d := net.Dialer{Timeout: 5 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	c := smtp.NewClientLMTP(conn)
	if c.Hello("mx.example.org") != nil || c.Mail(from, nil) != nil || c.Rcpt("servicedesk@example.org", nil) != nil {
		return false
	}
	w, err := c.Data()
	if err != nil {
		return false
	}
	if _, err := io.WriteString(w, raw); err != nil {
		return false
	}
	if _, err := w.CloseWithLMTPResponse(); err != nil {
		return false
	}
	c.Quit()
	return true
}

func mailRaw(from, subject, msgID string) string {
	return "From: " + from + "\r\nTo: servicedesk@example.org\r\nSubject: " + subject + "\r\nMessage-ID: <" + msgID + ">\r\n" +
		"Date: Mon, 02 Mar 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDer Beamer in Hörsaal 3 geht nicht.\r\n"
}

// missing returns the values of want that the query (one column, all
// rows) does not return.
func missing[T comparable](t *testing.T, db *sql.DB, query string, want []T) []T {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	have := map[T]bool{}
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		have[v] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var out []T
	for _, w := range want {
		if !have[w] {
			out = append(out, w)
		}
	}
	return out
}

func queryInt(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
