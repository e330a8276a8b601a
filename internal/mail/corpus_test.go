package mail

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the parser's output (review the diff by hand!)")

// golden is what a corpus message is expected to parse into.
type golden struct {
	Subject              string       `json:"subject"`
	From                 Address      `json:"from"`
	To                   []Address    `json:"to,omitempty"`
	Cc                   []Address    `json:"cc,omitempty"`
	ReplyTo              []Address    `json:"reply_to,omitempty"`
	DeliveredTo          []string     `json:"delivered_to,omitempty"`
	ReturnPath           string       `json:"return_path,omitempty"`
	MessageID            string       `json:"message_id"`
	MessageIDSynthesized bool         `json:"message_id_synthesized,omitempty"`
	InReplyTo            []string     `json:"in_reply_to,omitempty"`
	References           []string     `json:"references,omitempty"`
	Date                 string       `json:"date,omitempty"`
	Auto                 AutoKind     `json:"auto"`
	AutoReason           string       `json:"auto_reason,omitempty"`
	Bounce               *Bounce      `json:"bounce,omitempty"`
	SuppressAutoResponse bool         `json:"suppress_auto_response,omitempty"`
	Attachments          []goldenPart `json:"attachments,omitempty"`
	NewText              string       `json:"new_text"`
	Text                 string       `json:"text"`
	HTML                 string       `json:"html,omitempty"`
	NewHTML              string       `json:"new_html,omitempty"`
	Warnings             []string     `json:"warnings,omitempty"`
}

type goldenPart struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	ContentID   string `json:"content_id,omitempty"`
	Inline      bool   `json:"inline,omitempty"`
	Size        int    `json:"size"`
	SHA256      string `json:"sha256"`
}

func toGolden(m *Message) golden {
	g := golden{
		Subject: m.Subject, From: m.From, To: m.To, Cc: m.Cc, ReplyTo: m.ReplyTo,
		DeliveredTo: m.DeliveredTo, ReturnPath: m.ReturnPath,
		MessageID: m.MessageID, MessageIDSynthesized: m.MessageIDSynthesized,
		InReplyTo: m.InReplyTo, References: m.References,
		Auto: m.Auto, AutoReason: m.AutoReason, Bounce: m.Bounce,
		SuppressAutoResponse: m.SuppressAutoResponse,
		NewText:              m.NewText, Text: m.Text, HTML: m.HTML, NewHTML: m.NewHTML, Warnings: m.Warnings,
	}
	if !m.Date.IsZero() {
		g.Date = m.Date.UTC().Format(time.RFC3339)
	}
	for _, a := range m.Attachments {
		sum := sha256.Sum256(a.Data)
		g.Attachments = append(g.Attachments, goldenPart{
			Name: a.Name, ContentType: a.ContentType, ContentID: a.ContentID, Inline: a.Inline,
			Size: len(a.Data), SHA256: hex.EncodeToString(sum[:8]),
		})
	}
	return g
}

func corpus(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("corpus has %d messages, want at least 30", len(files))
	}
	return files
}

// TestCorpus parses every testdata/*.eml and compares the result with the
// .golden.json next to it. Run with -update to rewrite the goldens.
func TestCorpus(t *testing.T) {
	for _, file := range corpus(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".eml")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(raw)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := toGolden(m)
			goldenFile := strings.TrimSuffix(file, ".eml") + ".golden.json"
			if *update {
				b, err := json.MarshalIndent(got, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(goldenFile, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			b, err := os.ReadFile(goldenFile)
			if err != nil {
				t.Fatalf("no golden (run go test -run TestCorpus -update and review): %v", err)
			}
			var want golden
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: parse result differs from golden (-want +got):\n%s", name, diff)
			}
			if bad := unsafeHTML(m.HTML); bad != "" {
				t.Errorf("sanitised HTML has %s", bad)
			}
			if bad := unsafeHTML(m.NewHTML); bad != "" {
				t.Errorf("sanitised new HTML has %s", bad)
			}
			if m.Hash == "" || len(m.Hash) != 64 {
				t.Errorf("Hash = %q, want 64 hex digits", m.Hash)
			}
		})
	}
}
