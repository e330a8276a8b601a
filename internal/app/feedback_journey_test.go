package app_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/servustest"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestFeedbackJourney: on the real servus (SQLite and PostgreSQL, SMTP
// delivery to a recorder in the test) an agent resolves Rita's ticket; the
// resolution mail names the day it closes by itself and carries a
// feedback link; the link opens the rating page without signing in, rates
// once, and then says kindly that it was used. Staff cannot rate through
// the API, a second rating is refused with 409, a bad rating with 400, and
// the agent sees the rating in the ticket's JSON.
func TestFeedbackJourney(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			feedbackJourney(t, dialect)
		})
	}
}

func feedbackJourney(t *testing.T, dialect string) {
	deadline := time.Now().Add(90 * time.Second)
	rec := startRecorder(t)
	data := t.TempDir()
	var db []string
	dbURL := ""
	if dialect == store.Postgres {
		dbURL = storetest.PostgresURL(t)
		db = []string{"--db", dbURL}
	}
	cli := func(args ...string) string {
		t.Helper()
		return strings.TrimSpace(servus(t, append(append(args, "--data", data), db...)...))
	}
	const (
		rita  = "rita@uni.example"
		anton = "anton@zid.example"
	)
	cli("user", "add", "--email", rita, "--name", "Rita Requester", "--role", "requester", "--language", "en")
	cli("user", "add", "--email", anton, "--name", "Anton Agent", "--role", "agent")
	cli("queue", "add", "--name", "Servicedesk", "--address", "servicedesk@uni.example", "--default")
	cli("queue", "member", "--name", "Servicedesk", "--email", anton)
	ritaToken, antonToken := cli("token", "create", "--email", rita), cli("token", "create", "--email", anton)
	srv := servustest.Start(t, servustest.Options{Data: data, DB: dbURL, Args: []string{
		"--smtp-url", "smtp://" + rec.addr + "?tls=none", "--base-url", "https://servus.uni.example", "--staff-mail-window", "0"}})
	base := srv.URL

	tk := call(t, "POST", base+"/api/v1/tickets", ritaToken, map[string]any{"queue": "Servicedesk", "subject": "Drucker im 2. Stock",
		"description": "Er druckt nur leere Seiten."}, http.StatusCreated)
	number := strconv.Itoa(int(tk["number"].(float64)))
	ticketURL := base + "/api/v1/tickets/" + number
	call(t, "POST", ticketURL+"/actions", antonToken, map[string]any{"action": "resolve"}, http.StatusOK)
	resolvedAt := time.Now()

	// 1. The resolution mail (after the receipt) names the day and carries the link.
	mail := rec.wait(t, deadline, rita, 2)
	text := textPart(t, mail)
	day := resolvedAt.Add(14 * 24 * time.Hour)
	if !strings.Contains(text, "closed automatically on "+day.Format("Monday, 2 January 2006")) &&
		!strings.Contains(text, "closed automatically on "+day.UTC().Format("Monday, 2 January 2006")) {
		t.Errorf("the resolution mail does not name the day it closes by itself (%s):\n%s", day.Format("2 January 2006"), text)
	}
	m := regexp.MustCompile(`https://servus\.uni\.example(/feedback/servus_[a-z2-7]+)`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no feedback link in the resolution mail:\n%s", text)
	}
	path := m[1]

	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page := func(method string, values url.Values) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(values.Encode()))
		if method == "POST" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
		}
		req.Header.Set("Accept-Language", "en")
		res, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s %s: Referrer-Policy %q", method, path, res.Header.Get("Referrer-Policy"))
		}
		return res.StatusCode, string(b)
	}

	// 2. Staff cannot rate; the link page asks Rita, without signing in.
	call(t, "POST", ticketURL+"/feedback", antonToken, map[string]any{"rating": 5}, http.StatusForbidden)
	status, body := page("GET", nil)
	if status != http.StatusOK || !strings.Contains(body, "#"+number) || !strings.Contains(body, "Drucker im 2. Stock") ||
		strings.Count(body, `type="radio" name="rating"`) != 5 || !strings.Contains(body, `<legend>Your rating</legend>`) {
		t.Fatalf("feedback page: %d\n%s", status, body)
	}
	if strings.Contains(body, "leere Seiten") || strings.Contains(body, anton) || strings.Contains(body, "Anton") {
		t.Errorf("the feedback page shows more than the ticket's number and subject:\n%s", body)
	}

	// 3. A rating outside 1..5 asks again; a good one is thanked.
	if status, body := page("POST", url.Values{"rating": {"9"}}); status != http.StatusBadRequest || !strings.Contains(body, "choose a rating") {
		t.Fatalf("rating 9: %d\n%s", status, body)
	}
	if status, body := page("POST", url.Values{"rating": {"2"}, "comment": {"Took a week."}}); status != http.StatusOK || !strings.Contains(body, "Thank you!") {
		t.Fatalf("rating: %d\n%s", status, body)
	}

	// 4. The link is spent: a second rating and a second look say so kindly.
	for _, method := range []string{"POST", "GET"} {
		status, body := page(method, url.Values{"rating": {"5"}})
		if status != http.StatusOK || !strings.Contains(body, "This link was used to rate already") {
			t.Errorf("%s after use: %d\n%s", method, status, body)
		}
	}
	problem := call(t, "POST", ticketURL+"/feedback", ritaToken, map[string]any{"rating": 5}, http.StatusConflict)
	if errs, _ := problem["errors"].(map[string]any); errs["ticket"] != "was rated already" {
		t.Errorf("second rating: %v, want the problem on ticket", problem)
	}

	// 5. The agent sees the rating in the ticket's JSON.
	got := call(t, "GET", ticketURL, antonToken, nil, http.StatusOK)
	fb, _ := got["feedback"].(map[string]any)
	if fb["rating"] != float64(2) || fb["comment"] != "Took a week." || fb["channel"] != "link" {
		t.Errorf("ticket JSON feedback: %v", got["feedback"])
	}

	// 6. Through the API: a bad rating is 400, a good one 201.
	tk2 := call(t, "POST", base+"/api/v1/tickets", ritaToken, map[string]any{"queue": "Servicedesk", "subject": "WLAN",
		"description": "Kein Netz."}, http.StatusCreated)
	second := base + "/api/v1/tickets/" + strconv.Itoa(int(tk2["number"].(float64)))
	call(t, "POST", second+"/feedback", ritaToken, map[string]any{"rating": 4}, http.StatusConflict) // not resolved yet
	call(t, "POST", second+"/actions", antonToken, map[string]any{"action": "resolve"}, http.StatusOK)
	for _, bad := range []map[string]any{{"rating": 0}, {"rating": 6}, {}, {"rating": "5"}} {
		p := call(t, "POST", second+"/feedback", ritaToken, bad, http.StatusBadRequest)
		if p["code"] != "invalid" {
			t.Errorf("rating %v: %v", bad, p)
		}
	}
	if f := call(t, "POST", second+"/feedback", ritaToken, map[string]any{"rating": 5, "comment": "Quick!"}, http.StatusCreated); f["rating"] != float64(5) || f["channel"] != "api" {
		t.Errorf("API rating: %v", f)
	}
}
