package mail

import (
	"strings"
	"testing"
)

// Broken headers and multipart layouts as clients and gateways write them
// (see testdata/README.md, "Header and body fixtures").

type headerCase struct {
	kind, name, raw string
	check           func(m *Message) (got, want string)
}

func subj(want string) func(*Message) (string, string) {
	return func(m *Message) (string, string) { return m.Subject, want }
}

func fromAddr(want string) func(*Message) (string, string) {
	return func(m *Message) (string, string) {
		if m.From.Name == "" {
			return m.From.Email, want
		}
		return m.From.Name + " <" + m.From.Email + ">", want
	}
}

func attName(want string) func(*Message) (string, string) {
	return func(m *Message) (string, string) {
		var names []string
		for _, a := range m.Attachments {
			names = append(names, a.Name)
		}
		return strings.Join(names, "|"), want
	}
}

func bodyText(want string) func(*Message) (string, string) {
	return func(m *Message) (string, string) { return m.Text, want }
}

const baseHdr = "From: Eva <eva@uni-beispiel.de>\nTo: servicedesk@uni-beispiel.de\nMessage-ID: <h@uni-beispiel.de>\nDate: Tue, 12 Mar 2026 10:15:00 +0100\n"

func withSubject(s string) string {
	return baseHdr + "Subject: " + s + "\nContent-Type: text/plain; charset=utf-8\n\nText\n"
}

func withAttachment(disposition string) string {
	return baseHdr + "Subject: Datei\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\nAnbei.\n--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n" + disposition + "\n\nSGFsbG8=\n--b--\n"
}

var headerCases = []headerCase{
	{"subject", "raw 8-bit UTF-8", withSubject("Frösche im Netz"), subj("Frösche im Netz")},
	{"subject", "raw 8-bit Latin-1", withSubject("Fr\xf6sche im Netz"), subj("Frösche im Netz")},
	{"subject", "encoded word holding raw UTF-8 bytes", withSubject("=?iso-8859-1?Q?Fr\xc3\xb6sche_im_Netz?="), subj("Frösche im Netz")},
	{"subject", "utf-8 word holding raw UTF-8 bytes", withSubject("=?utf-8?Q?Fr\xc3\xb6sche_im_Netz?="), subj("Frösche im Netz")},
	{"subject", "UTF-7 encoded word", withSubject("=?UTF-7?Q?Fr+APY-sche_im_Netz?="), subj("Frösche im Netz")},
	{"subject", "UTF-7 base64 word", withSubject("=?utf-7?B?RnIrQVBZLXNjaGUgaW0gTmV0eg==?="), subj("Frösche im Netz")},
	{"subject", "charset UFT-8", withSubject("=?UFT-8?Q?Fr=C3=B6sche?="), subj("Frösche")},
	{"subject", "charset utf8", withSubject("=?utf8?B?RnLDtnNjaGU=?="), subj("Frösche")},
	{"subject", "charset UTF_8", withSubject("=?UTF_8?Q?Fr=C3=B6sche?="), subj("Frösche")},
	{"subject", "charset latin-1", withSubject("=?latin-1?Q?Fr=F6sche?="), subj("Frösche")},
	{"subject", "charset latin1", withSubject("=?latin1?Q?Fr=F6sche?="), subj("Frösche")},
	{"subject", "charset ISO8859-1", withSubject("=?ISO8859-1?Q?Fr=F6sche?="), subj("Frösche")},
	{"subject", "charset ISO-8859-15 as iso885915", withSubject("=?iso885915?Q?=A4_Preis?="), subj("€ Preis")},
	{"subject", "charset cp-1252", withSubject("=?cp-1252?Q?=80_Preis?="), subj("€ Preis")},
	{"subject", "charset win-1251", withSubject("=?win-1251?B?z/Do4uXy?="), subj("Привет")},
	{"subject", "charset ks_c_5601-1987", withSubject("=?ks_c_5601-1987?B?vsiz58fPvLy/5A==?="), subj("안녕하세요")},
	{"subject", "charset x-sjis", withSubject("=?x-sjis?B?grGC8YLJgr+CzQ==?="), subj("こんにちは")},
	{"subject", "charset iso-2022-jp", withSubject("=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?="), subj("こんにちは")},
	{"subject", "charset gb2312", withSubject("=?gb2312?B?xOO6ww==?="), subj("你好")},
	{"subject", "charset with quotes", withSubject("=?\"utf-8\"?Q?Fr=C3=B6sche?="), subj("Frösche")},
	{"subject", "words split inside a character", withSubject("=?utf-8?B?RnLD?= =?utf-8?B?tnNjaGU=?="), subj("Frösche")},

	{"from", "no From, Sender", strings.Replace(withSubject("x"), "From: Eva <eva@uni-beispiel.de>\n", "Sender: Eva <eva@uni-beispiel.de>\n", 1), fromAddr("Eva <eva@uni-beispiel.de>")},
	{"from", "no From, Reply-To", strings.Replace(withSubject("x"), "From: Eva <eva@uni-beispiel.de>\n", "Reply-To: Eva <eva@uni-beispiel.de>\n", 1), fromAddr("Eva <eva@uni-beispiel.de>")},
	{"from", "From without address, Reply-To", strings.Replace(withSubject("x"), "From: Eva <eva@uni-beispiel.de>\n", "From: Eva\nReply-To: eva@uni-beispiel.de\n", 1), fromAddr("eva@uni-beispiel.de")},
	{"from", "raw UTF-8 name", strings.Replace(withSubject("x"), "From: Eva <", "From: Jürgen Groß <", 1), fromAddr("Jürgen Groß <eva@uni-beispiel.de>")},

	{"attachment", "RFC 2231 encoded continuation", withAttachment("Content-Disposition: attachment;\n filename*0*=UTF-8''Pr%C3%BCfung%20;\n filename*1*=Bericht.pdf"), attName("Prüfung Bericht.pdf")},
	{"attachment", "RFC 2231 plain continuation", withAttachment("Content-Disposition: attachment;\n filename*0=\"Ein sehr langer Name \";\n filename*1=\"fuer den Bericht.pdf\""), attName("Ein sehr langer Name fuer den Bericht.pdf")},
	{"attachment", "RFC 2231 continuations out of order", withAttachment("Content-Disposition: attachment;\n filename*1=\"Bericht.pdf\";\n filename*0=\"Jahres\""), attName("JahresBericht.pdf")},
	{"attachment", "RFC 2231 name in Content-Type only", strings.Replace(withAttachment("Content-Disposition: attachment"), "Content-Type: application/octet-stream", "Content-Type: application/octet-stream;\n name*=iso-8859-1''Pr%FCfung.pdf", 1), attName("Prüfung.pdf")},
	{"attachment", "Windows path", withAttachment("Content-Disposition: attachment; filename=\"C:\\TEMP\\nsmail39.png\""), attName("nsmail39.png")},
	{"attachment", "Windows path unquoted", withAttachment("Content-Disposition: attachment; filename=C:\\Users\\eva\\Desktop\\scan.pdf"), attName("scan.pdf")},
	{"attachment", "UNC path", withAttachment("Content-Disposition: attachment; filename=\"\\\\\\\\server\\\\share\\\\plan.xlsx\""), attName("plan.xlsx")},
	{"attachment", "encoded word in filename", withAttachment("Content-Disposition: attachment; filename=\"=?utf-8?Q?Pr=C3=BCfung.pdf?=\""), attName("Prüfung.pdf")},
	{"attachment", "raw UTF-8 filename", withAttachment("Content-Disposition: attachment; filename=\"Prüfung.pdf\""), attName("Prüfung.pdf")},

	{"body", "text before the first boundary, only text", baseHdr + "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\nBitte den Drucker reparieren.\n--b\nContent-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64\n\nSGFsbG8=\n--b--\n", bodyText("Bitte den Drucker reparieren.")},
	{"body", "text/plain without charset, UTF-8", baseHdr + "Subject: x\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\nGrüße\n", bodyText("Grüße")},
	{"body", "text/plain without charset, Latin-1", baseHdr + "Subject: x\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\nGr\xfc\xdfe\n", bodyText("Grüße")},
	{"body", "text/plain part without charset in multipart", baseHdr + "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\nGr=C3=BC=C3=9Fe\n--b\nContent-Type: application/pdf; name=a.pdf\n\nx\n--b--\n", bodyText("Grüße")},
	{"body", "part without Content-Type", baseHdr + "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n\nDer Text.\n--b\nContent-Type: application/pdf; name=a.pdf\n\nx\n--b--\n", bodyText("Der Text.")},
	{"body", "multipart/alternative with only HTML and preamble", baseHdr + "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"b\"\n\nThis is a multi-part message in MIME format.\n--b\nContent-Type: text/html; charset=utf-8\n\n<p>Hallo Welt</p>\n--b--\n", bodyText("Hallo Welt")},
	{"body", "inline text with a file name is the body", baseHdr + "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=utf-8; name=body.txt\nContent-Disposition: inline; filename=body.txt\n\nDer Text.\n--b\nContent-Type: image/jpeg; name=a.jpg\nContent-Disposition: attachment; filename=a.jpg\nContent-Transfer-Encoding: base64\n\n/9j/\n--b--\n", bodyText("Der Text.")},
	{"body", "attached text file stays a file when there is a body", baseHdr + "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\nSiehe Log.\n--b\nContent-Type: text/plain; name=log.txt\nContent-Disposition: inline; filename=log.txt\n\nerror 42\n--b--\n", bodyText("Siehe Log.")},
	{"body", "boundary declared but never used", baseHdr + "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"nope\"\n\nNur Text.\n", bodyText("Nur Text.")},
	{"body", "mixed with text and file, missing final boundary", baseHdr + "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\nHallo.\n--b\nContent-Type: application/pdf; name=a.pdf\n\nx\n", bodyText("Hallo.")},
}

// subjectPrefixes are reply and forward prefixes of Outlook's and Gmail's
// language packs: what NormalizeSubject leaves and whether it is a forward.
var subjectPrefixes = []struct {
	in, want string
	forward  bool
}{
	{"RES: [#12] Impressora", "Impressora", false},
	{"RV: Impresora", "Impresora", true},
	{"PD: Drukarka", "Drukarka", true},
	{"VL: Tulostin", "Tulostin", true},
	{"Vá: Nyomtató", "Nyomtató", false},
	{"Továbbítás: Nyomtató", "Nyomtató", true},
	{"YNT: Yazıcı", "Yazıcı", false},
	{"İLT: Yazıcı", "Yazıcı", true},
	{"ΑΠ: Εκτυπωτής", "Εκτυπωτής", false},
	{"ΠΡΘ: Εκτυπωτής", "Εκτυπωτής", true},
	{"Отв: Принтер", "Принтер", false},
	{"Пересл: Принтер", "Принтер", true},
	{"回复：打印机", "打印机", false},
	{"转发：打印机", "打印机", true},
	{"返信: プリンター", "プリンター", false},
	{"転送: プリンター", "プリンター", true},
	{"회신: 프린터", "프린터", false},
	{"전달: 프린터", "프린터", true},
	{"Resultat: Drucker", "Resultat: Drucker", false},
}

func TestSubjectPrefixWorld(t *testing.T) {
	pass := 0
	for _, c := range subjectPrefixes {
		got, fwd := NormalizeSubject(c.in), isForwardSubject(c.in)
		if got != c.want || fwd != c.forward {
			t.Errorf("%q: NormalizeSubject %q, forward %v; want %q, %v", c.in, got, fwd, c.want, c.forward)
			continue
		}
		pass++
	}
	t.Logf("subject-prefix %d/%d", pass, len(subjectPrefixes))
}

// TestHeaderWorld parses each case and reports the pass figure per kind.
func TestHeaderWorld(t *testing.T) {
	pass, total := map[string]int{}, map[string]int{}
	for _, c := range headerCases {
		total[c.kind]++
		m, err := Parse([]byte(c.raw))
		if err != nil {
			t.Errorf("%s / %s: Parse: %v", c.kind, c.name, err)
			continue
		}
		got, want := c.check(m)
		if got != want {
			t.Errorf("%s / %s: got %q, want %q", c.kind, c.name, got, want)
			continue
		}
		pass[c.kind]++
	}
	reportKinds(t, pass, total)
}
