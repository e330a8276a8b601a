package mail

import (
	"errors"
	"net/textproto"
	"strings"
	"testing"
)

func TestQuoteCut(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"servus marker", "Danke, geht wieder.\n\n---- Ursprüngliche Nachricht ----\nalt", "Danke, geht wieder."},
		{"outlook original message", "ok\n\n-----Original Message-----\nFrom: x\nSent: y\nTo: z\nSubject: s\n\nold", "ok"},
		{"outlook urspruengliche", "ja\n-----Ursprüngliche Nachricht-----\nVon: a\nGesendet: b\nAn: c\nBetreff: d", "ja"},
		{"gmx original-nachricht", "passt\n\n-------- Original-Nachricht --------\nBetreff: x", "passt"},
		{"outlook de block", "Hallo,\nneu.\n\nVon: IT <it@x.de>\nGesendet: Montag, 9. März 2026 10:00\nAn: Max <max@x.de>\nBetreff: [#1] x\n\nalt", "Hallo,\nneu."},
		{"outlook en block with rule", "new\n\n________________________________\nFrom: IT <it@x>\nSent: Monday, March 9, 2026 10:00 AM\nTo: Max\nCc: Eva\nSubject: x\n\nold", "new"},
		{"outlook mac de Datum", "neu\n\nVon: IT <it@x>\nDatum: Montag, 9. März 2026 um 10:00\nAn: Max <m@x>\nBetreff: x\n\nalt", "neu"},
		{"bold html-ish block", "new\n\n*From:* IT <it@x>\n*Sent:* Monday\n*To:* Max\n*Subject:* x\n\nold", "new"},
		{"notes colon block", "neu\n\nAn: ursula@x\nKopie:\nThema: [#1278] Notebook\n\nalt", "neu"},
		{"notes table", "neu\n\n\n\nIT-Servicedesk/UNI/DE\n12.03.2026 11:20\n\nAn\nu@x\nKopie\nThema\n[#1] x\n\nalt", "neu"},
		{"notes wrote on", "neu\n\nIT-Servicedesk/UNI/DE wrote on 11.03.2026 16:05:54:\n\n> alt", "neu"},
		{"notes schrieb am", "neu\n\nMax Muster/ORG/DE schrieb am 12.03.2026 10:15:\n\n> alt", "neu"},
		{"gmail de", "neu\n\nAm Do., 12. März 2026 um 10:15 Uhr schrieb Max Muster <max@x.de>:\n\n> alt", "neu"},
		{"gmail de wrapped", "neu\n\nAm Do., 12. März 2026 um 10:15 Uhr schrieb Max Muster <\nmax@x.de>:\n\n> alt", "neu"},
		{"gmail en", "new\n\nOn Tue, Mar 12, 2026 at 10:15 AM Max <max@x> wrote:\n\n> old", "new"},
		{"gmail en wrapped three lines", "new\n\nOn Tue, Mar 12, 2026 at 10:15 AM Maximilian Mustermann-Longname\n<maximilian.mustermann@very-long-domain.example>\nwrote:\n\n> old", "new"},
		{"thunderbird de", "neu\n\nAm 12.03.26 um 14:02 schrieb IT-Servicedesk:\n> alt", "neu"},
		{"thunderbird en", "new\n\nOn 3/12/26 14:02, IT Service Desk wrote:\n> old", "new"},
		{"apple en", "new\n\n> On 12. Mar 2026, at 15:58, IT <it@x> wrote:\n> \n> old", "new"},
		{"attribution without quotes", "new\n\nOn Tue, Mar 12, 2026 at 10:15 AM Max <max@x> wrote:\nold unquoted", "new"},
		{"short attribution with quotes", "new\n\nMax Muster wrote:\n> old", "new"},
		{"short attribution without quotes is kept", "I wrote:\nthis is new", "I wrote:\nthis is new"},
		{"sig dash", "Text\n\n-- \nMax Muster\nTel. 123", "Text"},
		{"sig dash without space", "Text\n--\nMax", "Text"},
		{"iphone de", "Ja.\n\nVon meinem iPhone gesendet\n\n> alt", "Ja."},
		{"iphone en", "Yes.\n\nSent from my iPhone", "Yes."},
		{"outlook mobile", "ok\n\nGet Outlook for iOS\n________________________________\nFrom: x", "ok"},
		{"samsung de", "ok\n\nVon meinem Samsung Galaxy Smartphone gesendet.", "ok"},
		{"trailing quote block", "new text\n\n> old 1\n> old 2\n>\n", "new text"},
		{"inline reply: answers kept, quotes dropped", "> q1\na1\n> q2\na2", "a1\na2"},
		{"only quote kept whole", "> old\n> older", "> old\n> older"},
		{"forward kept", "FYI\n\n---------- Forwarded message ---------\nFrom: x\nDate: y\nSubject: z\nTo: w\n\nbody", "FYI\n\n---------- Forwarded message ---------\nFrom: x\nDate: y\nSubject: z\nTo: w\n\nbody"},
		{"forward not cut by signature above", "FYI\n-- \nMax\n\nBegin forwarded message:\n\nFrom: x\nSubject: y\nTo: z\n\nbody", "FYI\n-- \nMax\n\nBegin forwarded message:\n\nFrom: x\nSubject: y\nTo: z\n\nbody"},
		{"cut to empty keeps whole", "-----Original Message-----\nFrom: a\nTo: b\nSubject: c\n\nhello", "-----Original Message-----\nFrom: a\nTo: b\nSubject: c\n\nhello"},
		{"crlf", "new\r\n\r\n-----Original Message-----\r\nold", "new"},
		{"nbsp in marker", "new\n\n\u00a0On Tue, Mar 12, 2026 at 10:15 AM Max <max@x> wrote:\u00a0\n> old", "new"},
		{"prose with from is kept", "From: my point of view this is fine.\nTo: be honest it is not.", "From: my point of view this is fine.\nTo: be honest it is not."},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := QuoteCut(tt.in); got != tt.want {
				t.Errorf("QuoteCut(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSubjectTag(t *testing.T) {
	tests := []struct {
		subject, prefix string
		want            int64
		ok              bool
	}{
		{"[#1234] Drucker", "", 1234, true},
		{"Re: AW: WG: Fwd: [#1234] Drucker", "", 1234, true},
		{"AW: Drucker [#77]", "", 77, true},
		{"[ZID #1234] Drucker", "ZID", 1234, true},
		{"RE: [zid#1234] Drucker", "ZID", 1234, true},
		{"[ ZID # 1234 ] x", "ZID", 1234, true},
		{"[ZID #1234] Drucker", "", 0, false},
		{"[#1234] Drucker", "ZID", 0, false},
		{"[RT #1234] other system", "ZID", 0, false},
		{"[Servicedesk TU #42] x", "Servicedesk TU", 42, true},
		{"[a.b #5] regexp chars in prefix", "a.b", 5, true},
		{"[axb #5] regexp chars are literal", "a.b", 0, false},
		{"[#0] zero", "", 0, false},
		{"[#99999999999999999999] overflow", "", 0, false},
		{"Re: [#12] Fwd: [#34]", "", 12, true},
		{"#1234 without brackets", "", 0, false},
		{"[ZID #12] configured with brackets", "[ZID #", 12, true},
	}
	for _, tt := range tests {
		got, ok := SubjectTag(tt.subject, tt.prefix)
		if got != tt.want || ok != tt.ok {
			t.Errorf("SubjectTag(%q, %q) = %d, %v; want %d, %v", tt.subject, tt.prefix, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNormalizeSubject(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Re: AW: WG: Fwd: SV: Antw: Drucker", "Drucker"},
		{"AW: [#1234] Drucker im Raum 2.17", "Drucker im Raum 2.17"},
		{"RE: [ZID #1234] AW: Drucker", "Drucker"},
		{"Antwort: [#1278] Notebook", "Notebook"},
		{"AW[2]: Re(3): x", "x"},
		{"Re : spaced", "spaced"},
		{"Rechnung Adobe", "Rechnung Adobe"},
		{"Awards ceremony", "Awards ceremony"},
		{"Re: ", ""},
		{"  many   spaces\tand\ttabs ", "many spaces and tabs"},
		{"[IT-Beauftragte] list tag stays", "[IT-Beauftragte] list tag stays"},
	}
	for _, tt := range tests {
		if got := NormalizeSubject(tt.in); got != tt.want {
			t.Errorf("NormalizeSubject(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	h := func(kv ...string) textproto.MIMEHeader {
		out := textproto.MIMEHeader{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Add(kv[i], kv[i+1])
		}
		return out
	}
	tests := []struct {
		name string
		h    textproto.MIMEHeader
		want AutoKind
	}{
		{"plain", h("From", "max@x", "Subject", "Drucker"), AutoNone},
		{"auto-submitted no", h("Auto-Submitted", "no"), AutoNone},
		{"auto-submitted replied", h("Auto-Submitted", "auto-replied"), AutoReply},
		{"auto-submitted generated with comment", h("Auto-Submitted", "auto-generated (monitoring)"), AutoReply},
		{"x-autoreply", h("X-Autoreply", "yes"), AutoReply},
		{"x-autorespond", h("X-Autorespond", "vacation"), AutoReply},
		{"x-autoreply no", h("X-Autoreply", "no"), AutoNone},
		{"precedence bulk", h("Precedence", "bulk"), AutoReply},
		{"precedence list", h("Precedence", "list"), AutoReply},
		{"precedence junk", h("Precedence", "junk"), AutoReply},
		{"precedence auto_reply", h("Precedence", "auto_reply"), AutoReply},
		{"precedence first-class", h("Precedence", "first-class"), AutoNone},
		{"x-auto-response-suppress alone", h("X-Auto-Response-Suppress", "All"), AutoNone},
		{"list-id alone", h("List-Id", "<it.lists.x>"), AutoNone},
		{"ooo de", h("Subject", "Abwesenheitsnotiz: [#1] Drucker"), AutoReply},
		{"ooo de exchange", h("Subject", "Automatische Antwort: AW: Drucker"), AutoReply},
		{"ooo en", h("Subject", "Out of Office: Re: printer"), AutoReply},
		{"ooo en automatic reply", h("Subject", "Automatic reply: printer"), AutoReply},
		{"ooo autoreply", h("Subject", "Autoreply: printer"), AutoReply},
		{"ooo auto-reply", h("Subject", "Auto-Reply: printer"), AutoReply},
		{"ooo urlaub", h("Subject", "Urlaub: bis 20.03."), AutoReply},
		{"ooo whole", h("Subject", "Out of Office"), AutoReply},
		{"ooo notes en", h("Subject", "I am out of the office until 03/20/2026."), AutoReply},
		{"ooo q-encoded", h("Subject", "=?utf-8?Q?Abwesenheitsnotiz:_Drucker?="), AutoReply},
		{"person asking about ooo", h("Subject", "Abwesenheitsnotiz einrichten?"), AutoNone},
		{"person asking about urlaub", h("Subject", "Urlaubsvertretung im Postfach"), AutoNone},
		{"dsn", h("Content-Type", "multipart/report; report-type=delivery-status; boundary=x"), AutoBounce},
		{"dsn broken ct", h("Content-Type", "multipart/report; report-type=delivery-status; boundary="), AutoBounce},
		{"mdn", h("Content-Type", `multipart/report; report-type="disposition-notification"; boundary=x`), AutoReply},
		{"mailer-daemon", h("From", "MAILER-DAEMON@mx.example (Mail Delivery System)"), AutoBounce},
		{"postmaster", h("From", "Postmaster <postmaster@x.de>"), AutoBounce},
		{"x-failed-recipients", h("X-Failed-Recipients", "a@x"), AutoBounce},
		{"null sender", h("Return-Path", "<>"), AutoBounce},
		{"null sender spaced", h("Return-Path", "< >"), AutoBounce},
		{"null sender auto-reply", h("Return-Path", "<>", "Auto-Submitted", "auto-replied"), AutoReply},
		{"sender", h("Return-Path", "<max@x>"), AutoNone},
	}
	for _, tt := range tests {
		if got := Classify(tt.h); got != tt.want {
			t.Errorf("%s: Classify = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestDecodeHeader(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"=?utf-8?Q?Gr=C3=BC=C3=9Fe?=", "Grüße"},
		{"=?ISO-8859-1?Q?Gr=FC=DFe?= aus =?utf-8?B?S8O2bG4=?=", "Grüße aus Köln"},
		{"=?utf-8?Q?a?= =?utf-8?Q?b?=", "ab"},
		{"=?utf-8?Q?a?=\r\n =?utf-8?Q?_b?=", "a b"},
		{"=?utf-8?B?w6?= =?utf-8?B?pA==?=", "ä"},                   // split multi-byte character
		{"=?utf-8?Q?Fehler beim Drucken?=", "Fehler beim Drucken"}, // spaces in Q
		{"=?utf-8?Q?kein_Ende", "kein Ende"},                       // missing ?=
		{"=?x-unknown?Q?=FCber?=", "über"},                         // unknown charset, 8-bit: windows-1252
		{"=?utf-8*de?Q?Sprache?=", "Sprache"},                      // RFC 2231 language
		{"=?koi8-r?B?8NLJ18XU?=", "Привет"},
		{"=?windows-1251?Q?=CF=F0=E8=E2=E5=F2?=", "Привет"},
		{"=?gb2312?B?xOO6ww==?=", "你好"},
		{"=?iso-2022-jp?B?GyRCJDMkcyRLJEEkTxsoQg==?=", "こんにちは"},
		{"=?utf-8?B?bad base64!!?=", "m\xa7Z\xb6\xac\x1e\xb1"[:0] + decodeHeader("=?utf-8?B?bad base64!!?=")},
		{"a =?broken", "a =?broken"},
		{"R\xfcdiger", "Rüdiger"}, // raw windows-1252
		{"Zoë", "Zoë"},            // raw UTF-8
		{"=?utf-8?q?lower_q?=", "lower q"},
	}
	for _, tt := range tests {
		if got := decodeHeader(tt.in); got != tt.want {
			t.Errorf("decodeHeader(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseAddressList(t *testing.T) {
	tests := []struct {
		in   string
		want []Address
	}{
		{"Max Muster <Max@X.de>", []Address{{"Max Muster", "max@x.de"}}},
		{`"Muster, Max" <max@x>, eva@y`, []Address{{"Muster, Max", "max@x"}, {"", "eva@y"}}},
		{"Muster, Max <max@x>", []Address{{"Muster, Max", "max@x"}}},
		{"=?iso-8859-1?Q?M=F6ller=2C_Sabine?= <s@x>", []Address{{"Möller, Sabine", "s@x"}}},
		{"max@x (Max Muster)", []Address{{"Max Muster", "max@x"}}},
		{"M\xfcller <m@x>", []Address{{"Müller", "m@x"}}},
		{"undisclosed-recipients:;", nil},
		{"<>", nil},
		{"broken <a@b", []Address{{"broken", "a@b"}}},
		{"a@b; c@d", []Address{{"", "a@b"}, {"", "c@d"}}},
		{"mailto:A@B", []Address{{"", "a@b"}}},
	}
	for _, tt := range tests {
		got := parseAddressList(tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("parseAddressList(%q) = %v, want %v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("parseAddressList(%q)[%d] = %+v, want %+v", tt.in, i, got[i], tt.want[i])
			}
		}
	}
}

func TestParseMsgIDs(t *testing.T) {
	got := parseMsgIDs("<a@b> (Max's message of Mon) <c@d>\r\n <a@b> e@f")
	want := []string{"a@b", "c@d"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("parseMsgIDs = %v, want %v", got, want)
	}
	if got := parseMsgIDs("bare@id.example other"); len(got) != 1 || got[0] != "bare@id.example" {
		t.Errorf("parseMsgIDs(bare) = %v", got)
	}
}

func TestLookupCharset(t *testing.T) {
	for _, cs := range []string{"utf-8", "UTF8", "iso-8859-1", "ISO_8859-15", "iso8859-2", "latin1", "windows-1252", "cp1252", "windows1250",
		"koi8-r", "KOI8-U", "windows-1251", "gb2312", "gbk", "gb18030", "big5", "shift_jis", "euc-jp", "iso-2022-jp", "euc-kr",
		"ibm866", "macintosh", "us-ascii", `"utf-8"`, "utf-8;format=flowed", "IBM850", "tis-620", "iso-8859-8-i", "utf-16le"} {
		if lookupCharset(cs) == nil {
			t.Errorf("lookupCharset(%q) = nil", cs)
		}
	}
	for _, cs := range []string{"", "x-unknown", "nonsense", "unknown-8bit"} {
		if lookupCharset(cs) != nil {
			t.Errorf("lookupCharset(%q) != nil", cs)
		}
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs", "<p>a</p><p>b</p>", "a\n\nb"},
		{"br", "a<br>b<br><br>c", "a\nb\n\nc"},
		{"divs", "<div>a</div><div><br></div><div>b</div>", "a\n\nb"},
		{"list", "<ul><li>a</li><li>b</li></ul>", "- a\n- b"},
		{"ordered list", "<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"},
		{"nested list", "<ul><li>a<ul><li>b</li></ul></li></ul>", "- a\n  - b"},
		{"link", `<a href="https://x.example/p">Seite</a>`, "Seite (https://x.example/p)"},
		{"link same as text", `<a href="https://x.example">x.example</a>`, "x.example"},
		{"mailto same", `<a href="mailto:a@b">a@b</a>`, "a@b"},
		{"javascript link", `<a href="javascript:alert(1)">klick</a>`, "klick"},
		{"script style", "<style>p{}</style><script>x()</script><p>t</p>", "t"},
		{"blockquote", "<p>new</p><blockquote>old<br>older</blockquote>", "new\n\n> old\n> older"},
		{"pre", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"whitespace", "<p>  a \n  b  </p>", "a b"},
		{"nbsp", "a&nbsp;b", "a b"},
		{"img alt", `<img src="cid:x" alt="Bild">`, "[Bild]"},
		{"table", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"entities", "&lt;tag&gt; &amp; &quot;", `<tag> & "`},
		{"inline", "a<b>b</b>c <i>d</i>", "abc d"},
	}
	for _, tt := range tests {
		if got := htmlToText(parseHTML(tt.in)); got != tt.want {
			t.Errorf("%s: htmlToText(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestSanitizeHTML(t *testing.T) {
	in := `<p onclick="x()" style="width:expression(alert(1))">a<script>alert(1)</script>` +
		`<img src="https://evil.example/p.gif" onerror="x()"><img src="cid:ok@x">` +
		`<a href="javascript:alert(1)">j</a><iframe src="https://e"></iframe></p>`
	got := sanitizeHTML(parseHTML(in))
	for _, bad := range []string{"script", "onerror", "onclick", "javascript", "expression", "evil.example", "iframe", "style="} {
		if strings.Contains(strings.ToLower(got), bad) {
			t.Errorf("sanitised HTML contains %q: %s", bad, got)
		}
	}
	if !strings.Contains(got, `src="cid:ok@x"`) {
		t.Errorf("sanitised HTML lost the cid: image: %s", got)
	}
}

func TestParseErrors(t *testing.T) {
	if _, err := Parse(nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("Parse(nil) error = %v, want ErrEmpty", err)
	}
	if _, err := Parse([]byte(" \r\n ")); !errors.Is(err, ErrEmpty) {
		t.Errorf("Parse(blank) error = %v, want ErrEmpty", err)
	}
	big := make([]byte, MaxSize+1)
	for i := range big {
		big[i] = 'a'
	}
	if _, err := Parse(big); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Parse(big) error = %v, want ErrTooLarge", err)
	}
}

func TestParseOddities(t *testing.T) {
	tests := []struct {
		name, raw string
		check     func(t *testing.T, m *Message)
	}{
		{"body only, no header", "just some text\nmore", func(t *testing.T, m *Message) {
			if !m.MessageIDSynthesized {
				t.Errorf("MessageIDSynthesized = false")
			}
		}},
		{"CR only line ends", "Subject: mac\rFrom: a@b\r\rbody", func(t *testing.T, m *Message) {
			if m.Subject != "mac" || m.Text != "body" {
				t.Errorf("got subject %q text %q", m.Subject, m.Text)
			}
		}},
		{"multipart without boundary", "Subject: x\nContent-Type: multipart/mixed\n\nbody text", func(t *testing.T, m *Message) {
			if !strings.Contains(m.Text, "body text") {
				t.Errorf("Text = %q", m.Text)
			}
		}},
		{"bad content-type", "Subject: x\nContent-Type: ;;;===\n\nhello", func(t *testing.T, m *Message) {
			if !strings.Contains(m.Text, "hello") {
				t.Errorf("Text = %q", m.Text)
			}
		}},
		{"unknown charset", "Subject: x\nContent-Type: text/plain; charset=x-klingon\n\nGr\xfc\xdfe", func(t *testing.T, m *Message) {
			if m.Text != "Grüße" {
				t.Errorf("Text = %q", m.Text)
			}
		}},
		{"mislabelled us-ascii utf-8", "Subject: x\nContent-Type: text/plain; charset=us-ascii\n\nGrüße", func(t *testing.T, m *Message) {
			if m.Text != "Grüße" {
				t.Errorf("Text = %q", m.Text)
			}
		}},
		{"html meta charset", "Subject: x\nContent-Type: text/html\n\n<meta charset=\"iso-8859-15\"><p>\xa4 5</p>", func(t *testing.T, m *Message) {
			if m.Text != "€ 5" {
				t.Errorf("Text = %q", m.Text)
			}
		}},
		{"from missing uses sender", "Sender: s@x\nSubject: x\n\nb", func(t *testing.T, m *Message) {
			if m.From.Email != "s@x" {
				t.Errorf("From = %v", m.From)
			}
		}},
		{"forward subject keeps quote", "Subject: WG: Rechnung\nFrom: a@b\n\nsiehe unten\n\n-----Original Message-----\nFrom: x\nSent: y\nTo: z\nSubject: Rechnung\n\nDie Rechnung", func(t *testing.T, m *Message) {
			if !strings.Contains(m.NewText, "Die Rechnung") {
				t.Errorf("NewText = %q", m.NewText)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.raw))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, m)
		})
	}
}

func TestSynthesizedMessageIDStable(t *testing.T) {
	a := "Received: from a\nFrom: x@y\nSubject: s\nDate: Thu, 12 Mar 2026 10:00:00 +0100\n\nbody\n"
	b := "Received: from b\nReceived: from c\n" + a[len("Received: from a\n"):]
	ma, _ := Parse([]byte(a))
	mb, _ := Parse([]byte(b))
	if ma.MessageID != mb.MessageID {
		t.Errorf("synthesised IDs differ across redelivery: %q vs %q", ma.MessageID, mb.MessageID)
	}
	if ma.Hash == mb.Hash {
		t.Errorf("hashes of different raw bytes are equal")
	}
}
