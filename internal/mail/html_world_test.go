package mail

import "testing"

// HTML-only replies of other-language clients: the quote must go from the
// new text as it does for German and English ones.
var htmlReplies = []struct{ name, html, want string }{
	{"Outlook fr, border-top header",
		`<html><body><div class="WordSection1"><p class="MsoNormal">Merci, c'est réparé.</p><div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>De&nbsp;:</b> IT-Servicedesk &lt;servicedesk@uni-beispiel.de&gt;<br><b>Envoyé&nbsp;:</b> lundi 16 mars 2026 17:40<br><b>À&nbsp;:</b> Claire Dubois<br><b>Objet&nbsp;:</b> [#1520] Imprimante</p></div></div><p class="MsoNormal">Ancien texte.</p></div></body></html>`,
		"Merci, c'est réparé."},
	{"Outlook nl, no border",
		`<html><body><p>Bedankt, het werkt.</p><p><b>Van:</b> IT-Servicedesk<br><b>Verzonden:</b> dinsdag 17 maart 2026 10:00<br><b>Aan:</b> Jan<br><b>Onderwerp:</b> [#1521] Printer</p><p>Oude tekst.</p></body></html>`,
		"Bedankt, het werkt."},
	{"Thunderbird es, moz-cite-prefix",
		`<html><body><p>Gracias, ya funciona.</p><div class="moz-cite-prefix">El 17/3/26 a las 10:00, IT-Servicedesk escribió:<br></div><blockquote type="cite"><p>Texto antiguo.</p></blockquote></body></html>`,
		"Gracias, ya funciona."},
	{"Gmail pl, gmail_quote",
		`<div dir="ltr">Dziękuję, działa.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">wt., 17 mar 2026 o 10:00 IT &lt;<a href="mailto:it@x.de">it@x.de</a>&gt; napisał(a):<br></div><blockquote class="gmail_quote">Stary tekst.</blockquote></div>`,
		"Dziękuję, działa."},
	{"Apple Mail it, blockquote type cite",
		`<html><body>Grazie, funziona.<br><div><br><blockquote type="cite"><div>Il giorno 17 mar 2026, alle ore 10:00, IT &lt;it@x.de&gt; ha scritto:</div><br><div>Testo vecchio.</div></blockquote></div></body></html>`,
		"Grazie, funziona."},
	{"QQ Mail zh",
		`<div>谢谢，打印机好了。</div><div><br></div><div style="font-size: 12px;font-family: Arial Narrow;padding:2px 0 2px 0;">------------------&nbsp;原始邮件&nbsp;------------------</div><div style="font-size: 12px;background:#efefef;padding:8px;"><div><b>发件人:</b>&nbsp;"IT"&lt;it@x.de&gt;;</div><div><b>发送时间:</b>&nbsp;2026年3月17日(星期二) 上午10:00</div><div><b>收件人:</b>&nbsp;"我"&lt;me@x.cn&gt;;</div><div><b>主题:</b>&nbsp;打印机</div></div><div><br></div>旧的文本。`,
		"谢谢，打印机好了。"},
	{"Yahoo de, yahoo_quoted",
		`<html><body><div class="ydp1"><div>Danke, geht.</div></div><div id="yahoo_quoted_1" class="yahoo_quoted"><div>Am Dienstag, 17. März 2026 um 10:00:00 MEZ hat IT &lt;it@x.de&gt; Folgendes geschrieben:</div><div><br></div><div>Alter Text.</div></div></body></html>`,
		"Danke, geht."},
}

func TestHTMLReplyWorld(t *testing.T) {
	pass := 0
	for _, c := range htmlReplies {
		raw := baseHdr + "Subject: Re: x\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" + c.html + "\n"
		m, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if m.NewText != c.want {
			t.Errorf("%s: NewText %q, want %q", c.name, m.NewText, c.want)
			continue
		}
		if m.NewHTML == "" {
			t.Errorf("%s: no NewHTML", c.name)
			continue
		}
		pass++
	}
	t.Logf("html-reply %d/%d", pass, len(htmlReplies))
}
