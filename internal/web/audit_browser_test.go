package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

const auditorEmail = "ute.auditor@betriebsrat.example"

// TestAuditorBrowser: in Chromium, on a real servus, an auditor signs in
// through /login, lands on the audit log, filters it, opens the monthly
// summary, and can open no ticket (its URL answers not found).
func TestAuditorBrowser(t *testing.T) {
	browser(t)
	data := t.TempDir()
	var number int64
	seed(t, data, "", func(t testing.TB, db *store.DB) {
		seedFixture(t, db)
		ctx := context.Background()
		cheap := auth.CheapParams()
		svc := desk.New(db, nil, desk.Options{PasswordParams: &cheap, Quiet: true})
		if _, err := svc.CreateUser(ctx, access.System, desk.NewUser{Email: auditorEmail, Name: "Ute Auditor",
			Role: ticket.RoleAuditor, Language: "en", Password: fixturePassword}); err != nil {
			t.Fatal(err)
		}
		rita, err := svc.ActorByEmail(ctx, requesterEmail)
		if err != nil {
			t.Fatal(err)
		}
		tk, err := svc.CreateTicket(ctx, rita, desk.NewTicket{Queue: "Security", Subject: "SECRETSUBJ Gehaltsliste", Description: "SECRETBODY"})
		if err != nil {
			t.Fatal(err)
		}
		number = tk.Number
		sepp, err := svc.ActorByEmail(ctx, securityEmail)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.TicketView(ctx, sepp, tk.Number); err != nil {
			t.Fatal(err)
		}
	})
	in := start(t, data, "", "--shutdown-timeout", "5s")

	p := signIn(t, in, auditorEmail, fixturePassword)
	if loc := p.location(); !strings.HasSuffix(loc, "/audit") {
		t.Fatalf("the auditor's start: got %s, want /audit", loc)
	}
	if h := p.text("h1"); h != "Audit log" {
		t.Fatalf("h1: got %q, want Audit log", h)
	}

	// Filter: who read confidential tickets.
	p.do(chromedp.SetValue(chromedp.ID("a-action"), "ticket.view"))
	p.submit(chromedp.CSS(`form[action="/audit"] button[type=submit]`))
	if loc := p.location(); !strings.Contains(loc, "action=ticket.view") {
		t.Fatalf("after filtering: at %s", loc)
	}
	rows := p.text(".audit-table tbody")
	if !strings.Contains(rows, "ticket.view") || !strings.Contains(rows, securityEmail) || !strings.Contains(rows, "#"+strconv.FormatInt(number, 10)) {
		t.Errorf("filtered log: got %q, want Sepp's view of #%d", rows, number)
	}
	if strings.Contains(rows, "user.create") {
		t.Errorf("the filter let other rows through: %q", rows)
	}
	p.screenshot("audit-auditor")

	// The monthly summary, linked from the log.
	p.submit(chromedp.CSS(`a[href="/audit/summary"]`))
	if h := p.text("h1"); h != "Monthly summary" {
		t.Fatalf("summary h1: got %q", h)
	}
	body := p.body()
	if !strings.Contains(body, "Reads of confidential tickets by queue") || !strings.Contains(body, "Security") {
		t.Errorf("summary: got %q, want the reads of Security", body)
	}

	// No ticket opens: not the confidential one, not another.
	for _, path := range []string{"/tickets/" + strconv.FormatInt(number, 10), "/tickets/new", "/search?q=Gehaltsliste"} {
		p.open(path)
		body := p.body()
		if !strings.Contains(body, "This page or ticket does not exist, or you may not see it.") {
			t.Errorf("auditor at %s: got %q, want not found", path, body)
		}
		for _, secret := range []string{"SECRETSUBJ", "SECRETBODY", "Gehaltsliste"} {
			if strings.Contains(body, secret) && !strings.Contains(path, secret) {
				t.Errorf("auditor at %s sees %s", path, secret)
			}
		}
	}
	for _, nav := range []string{`a[href="/search"]`, `a[href="/tickets/new"]`, `a[href="/queues"]`} {
		if n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(nav)+`).length`)); err != nil || n != 0 {
			t.Errorf("the auditor's page links %s (%d, %v)", nav, n, err)
		}
	}
}
