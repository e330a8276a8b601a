package mail

import (
	"regexp"
	"strings"
	"unicode"
)

// The wording of reply history in the languages servus's users write in,
// as data: one row per language, each with where the wording comes from.
// QuoteCut compiles the rows once; adding a language is adding a row.
//
// Sources: the strings the clients themselves produce — Gmail's web
// interface in that language, Thunderbird's mailnews.reply_header_* strings
// of the localised build, Apple Mail, Outlook (desktop and on the web) with
// the Office language pack, and the webmailers named in the row.

// attribution is one language's "On … wrote:" lines, as regular expressions
// for the whole line (joined when the client wrapped it) without the final
// colon. A pattern needs a lead word ("On", "Le", "W dniu"), or a time and
// an address; a form marked with a leading "~" has only its verb ("…
// kirjoitti", "… пишет", "…写道") and matches only a line that also holds a
// digit or an "@" (a date or an address), so "Вот что он написал:" in a
// sentence is no attribution.
type attribution struct {
	lang, source string
	verbs        []string // lowercase words one of which every form holds: a cheap test before the expressions
	forms        []string
}

// attribRE holds a row's compiled forms: strong ones, and "~" ones that need
// a date or address.
type attribRE struct{ strong, weak *regexp.Regexp }

// reTimeAddr is the shape of a date-first attribution that has no verb at
// all (Gmail in Russian and Japanese, older Gmail in every language, Yandex):
// a time, then a name with an address in brackets, then the colon.
const reTimeAddr = `.{0,160}\d{1,2}[:.]\d{2}.{0,200}[<(\[][^<>()\[\]\s]+@[^<>()\[\]\s]+[>)\]]\)?`

var attributions = []attribution{
	{"en", "Gmail, Thunderbird, Apple Mail, Outlook for Mac, Superhuman", []string{"wrote"}, []string{
		`on\s.{4,300}\swrote`,
		`.{0,60}\d{1,2}:\d{2}\s?(am|pm)?,\s.{4,200}\swrote`,
		`.{1,200}\swrote on\s.{3,120}`, // Lotus Notes
	}},
	{"de", "Gmail, Thunderbird, Apple Mail, Lotus Notes, Yahoo (… hat … Folgendes geschrieben)", []string{"schrieb", "hat am", "geschrieben"}, []string{
		`am\s.{4,300}\sschrieb(\s.{0,200})?`,
		`am\s.{4,300}\shat\s.{1,200}\s(folgendes\s)?geschrieben`,
		`.{1,200}\s(schrieb am|hat am)\s.{3,120}`,
	}},
	{"fr", "Gmail, Thunderbird, Apple Mail", []string{"écrit"}, []string{`le\s.{4,300}\sa\s+écrit`}},
	{"es", "Gmail, Thunderbird", []string{"escribió"}, []string{`el\s.{4,300}\sescribió`}},
	{"it", "Gmail (Il giorno …), Thunderbird", []string{"scritto"}, []string{`il\s.{4,300}\sha\s+scritto`}},
	{"pt", "Gmail (pt-BR Em …, pt-PT … escreveu no dia …), Thunderbird", []string{"escreveu"}, []string{
		`em\s.{4,300}\sescreveu`,
		`.{1,200}\sescreveu\s(no dia|em)\s.{3,120}`,
	}},
	{"nl", "Gmail, Thunderbird", []string{"schreef"}, []string{`op\s.{4,300}\sschreef(\s.{0,200})?`}},
	{"pl", "Gmail (date first), Thunderbird (W dniu …), Onet/WP (Dnia …)", []string{"napisał", "pisze"}, []string{
		`(w dniu|dnia)\s.{4,300}\s(napisał\(a\)|napisała?|pisze)`,
		`.{0,160}\d{1,2}:\d{2}.{0,200}\s(napisał\(a\)|napisała?|pisze)`,
	}},
	{"cs", "Gmail (… odesílatel … napsal), Thunderbird (Dne …)", []string{"napsal"}, []string{
		`dne\s.{4,300}\snapsal(\(a\)|a)?`,
		`.{0,160}\d{1,2}:\d{2}.{0,200}\snapsal(\(a\)|a)?`,
	}},
	{"sk", "Gmail, Thunderbird (Dňa …)", []string{"napísal"}, []string{
		`dňa\s.{4,300}\snapísal(\(a\)|a)?`,
		`.{0,160}\d{1,2}:\d{2}.{0,200}\snapísal(\(a\)|a)?`,
	}},
	{"hu", "Gmail (… ezt írta (időpont: …)), Thunderbird (… keltezéssel, … írta)", []string{"írta"}, []string{
		`.{1,200}\sezt írta\s\(időpont:.{4,120}\)`,
		`.{4,200}keltezéssel,?\s.{1,200}\sírta`,
	}},
	{"sl", "Gmail (… je dne … napisal(a)), Thunderbird (Dne … je … napisal)", []string{"napisal"}, []string{
		`.{1,200}\sje dne\s.{4,200}\snapisal(\(a\)|a)?`,
		`dne\s.{4,300}\sje\s.{1,200}\snapisal(\(a\)|a)?`,
	}},
	{"hr", "Gmail (… napisao je), Thunderbird", []string{"napisa"}, []string{
		`.{0,160}\d{1,2}:\d{2}.{0,200}\s(napisao je|napisala je|je napisao|je napisala|napisa(o|la)\(la\)?)`,
	}},
	{"ro", "Gmail (Pe … a scris), Thunderbird (În data de …)", []string{"scris"}, []string{`(pe|în data de)\s.{4,300}\sa\s+scris`}},
	{"da no sv", "Gmail (… kl. … skrev …), Thunderbird (Den … skrev …), Outlook for Mac", []string{"skrev"}, []string{
		`.{0,160}\d{1,2}[:.]\d{2},?\s(skrev|skriver)\s.{1,200}`,
		`den\s.{4,200}\sskrev\s.{1,200}`,
	}},
	{"fi", "Gmail (… kirjoitti), Thunderbird (… kirjoitti <date>)", []string{"kirjoitti"}, []string{`~.{1,200}\skirjoitti(\s.{3,120})?`}},
	{"ru", "Thunderbird (… пишет), Outlook.com, Mail.ru (… от …)", []string{"пишет", "написал"}, []string{`~.{1,300}\s(пишет|написал\(а\)|написала?)`}},
	{"uk", "Gmail (… пише), Thunderbird", []string{"пише", "написа"}, []string{`~.{1,300}\s(пише|написав\(ла\)|написала?|написав)`}},
	{"tr", "Gmail (… tarihinde şunu yazdı)", []string{"yazdı"}, []string{`~.{1,300}\starihinde\s(şunu\s)?yazdı`}},
	{"el", "Gmail (Στις … έγραψε), Thunderbird", []string{"έγραψε"}, []string{`~.{1,300}\sέγραψε`}},
	{"zh", "Gmail (… 于 … 写道 / 於 … 寫道), Foxmail", []string{"写道", "寫道"}, []string{`~.{1,300}(写道|寫道)`}},
	{"ja", "Apple Mail (…のメール), Thunderbird (… さんは書きました)", []string{"のメール", "書きました"}, []string{`~.{1,300}(のメール|は書きました|さんは書きました)`}},
	{"ko", "Gmail (…님이 작성)", []string{"작성"}, []string{`~.{1,300}님이\s?작성`}},
	{"vi", "Gmail (Vào … đã viết)", []string{"viết"}, []string{`~.{1,300}\sđã\s+viết`}},
	{"he", "Gmail (בתאריך … מאת …), Thunderbird (… כתב)", []string{"מאת", "כתב"}, []string{
		`בתאריך\s.{4,300}\sמאת\s.{1,200}`,
		`~.{1,300}\s(כתב|כתבה|כתב/ה)`,
	}},
	{"ar", "Gmail (في … كتب …), Thunderbird", []string{"كتب"}, []string{
		`في\s.{4,300}\sكتب\s.{1,200}`,
		`~.{1,300}\sكتب`,
	}},
	{"fa", "Gmail (در تاریخ … نوشت), Thunderbird", []string{"نوشت"}, []string{
		`در\s+تاریخ\s.{4,300}\sنوشت`,
		`~.{1,300}\sنوشت(ه است)?`,
	}},
	{"any", "date-first lines without a verb: Gmail ru/ja and older Gmail, Yandex", []string{"@"}, []string{reTimeAddr}},
}

// inlineLeads are the words an attribution starts with that may stand on the
// same line as the last words of the reply ("Thanks. On Tue, … wrote:"),
// when a client or a forwarder lost the line break.
var inlineLeads = []string{"On ", "Am ", "Le ", "El ", "Il ", "Em ", "Op ", "W dniu ", "Dne ", "Dňa ", "Pe ", "Den ", "Στις ", "Vào "}

// separator is one language's "-----Original Message-----" wording.
type separator struct {
	lang, source string
	words        []string
}

var separators = []separator{
	{"en", "Outlook, Windows Live Mail, K-9", []string{"original message", "reply message", "original"}},
	{"de", "Outlook, GMX/web.de, servus itself", []string{"ursprüngliche nachricht", "original-nachricht", "originalnachricht", "antwort-nachricht", "antwort nachricht"}},
	{"fr", "Outlook, Thunderbird", []string{"message d'origine", "message original"}},
	{"es", "Outlook, Thunderbird", []string{"mensaje original"}},
	{"it", "Outlook, Thunderbird", []string{"messaggio originale"}},
	{"pt", "Outlook, Thunderbird", []string{"mensagem original"}},
	{"nl", "Outlook, Thunderbird", []string{"oorspronkelijk bericht", "origineel bericht", "originele bericht"}},
	{"da", "Outlook, Thunderbird", []string{"oprindelig besked", "oprindelig meddelelse", "original meddelelse"}},
	{"no", "Outlook, Thunderbird", []string{"opprinnelig melding", "original melding"}},
	{"sv", "Outlook, Thunderbird", []string{"ursprungligt meddelande", "originalmeddelande"}},
	{"fi", "Outlook, Thunderbird", []string{"alkuperäinen viesti"}},
	{"pl", "Outlook, Thunderbird", []string{"wiadomość oryginalna", "oryginalna wiadomość"}},
	{"cs", "Outlook, Thunderbird", []string{"původní zpráva", "původní e-mail"}},
	{"sk", "Outlook, Thunderbird", []string{"pôvodná správa"}},
	{"hu", "Outlook, Thunderbird", []string{"eredeti üzenet"}},
	{"sl", "Outlook", []string{"izvirno sporočilo"}},
	{"hr", "Outlook", []string{"izvorna poruka", "izvorni e-mail"}},
	{"ro", "Outlook", []string{"mesaj original", "mesajul original"}},
	{"ru", "Outlook, Thunderbird", []string{"исходное сообщение", "оригинальное сообщение"}},
	{"uk", "Outlook", []string{"оригінальне повідомлення", "початкове повідомлення"}},
	{"tr", "Outlook", []string{"orijinal ileti", "özgün ileti", "orijinal mesaj"}},
	{"el", "Outlook", []string{"αρχικό μήνυμα"}},
	{"zh", "QQ Mail, Foxmail, Outlook", []string{"原始邮件", "原始郵件", "原邮件"}},
	{"ja", "Thunderbird, Outlook", []string{"元のメッセージ", "オリジナルメッセージ"}},
	{"ko", "Outlook", []string{"원본 메시지"}},
	{"vi", "Outlook", []string{"thư gốc"}},
	{"he", "Outlook", []string{"הודעה מקורית"}},
	{"ar", "Outlook", []string{"الرسالة الأصلية", "رسالة أصلية"}},
	{"fa", "Outlook", []string{"پیام اصلی", "پيام اصلي"}},
}

// forward is one language's marker of a forwarded message: a line between
// dashes, or a line ending in a colon (Apple Mail).
type forward struct {
	lang, source string
	dashed       []string
	colon        []string
}

var forwards = []forward{
	{"en", "Gmail, Outlook, Apple Mail", []string{"forwarded message", "original message follows", "forwarded message follows"}, []string{"begin forwarded message"}},
	{"de", "Gmail, Thunderbird, Apple Mail", []string{"weitergeleitete nachricht"}, []string{"anfang der weitergeleiteten nachricht", "beginn der weitergeleiteten nachricht"}},
	{"fr", "Gmail, Thunderbird, Apple Mail", []string{"message transféré", "message transfere"}, []string{"début du message réexpédié", "début du message transféré"}},
	{"es", "Gmail, Thunderbird, Apple Mail", []string{"mensaje reenviado"}, []string{"inicio del mensaje reenviado"}},
	{"it", "Gmail, Thunderbird, Apple Mail", []string{"messaggio inoltrato"}, []string{"inizio messaggio inoltrato"}},
	{"pt", "Gmail, Thunderbird, Apple Mail", []string{"mensagem encaminhada"}, []string{"início da mensagem reencaminhada", "início da mensagem encaminhada"}},
	{"nl", "Gmail, Thunderbird, Apple Mail", []string{"doorgestuurd bericht"}, []string{"begin doorgestuurd bericht"}},
	{"pl", "Gmail, Thunderbird", []string{"wiadomość przekazana dalej", "przekazana wiadomość"}, []string{"początek przekazywanej wiadomości"}},
	{"cs sk", "Gmail, Thunderbird", []string{"přeposlaná zpráva", "preposlaná správa", "preposlaná zpráva"}, nil},
	{"hu", "Gmail, Thunderbird", []string{"továbbított üzenet"}, nil},
	{"sl hr", "Gmail", []string{"posredovano sporočilo", "proslijeđena poruka"}, nil},
	{"ro", "Gmail", []string{"mesaj redirecționat", "mesaj redirectionat"}, nil},
	{"da no sv", "Gmail, Thunderbird, Apple Mail", []string{"videresendt meddelelse", "videresendt melding", "vidarebefordrat meddelande", "videresendt besked"}, []string{"start på videresendt besked", "start på videresendt melding", "vidarebefordrat brev"}},
	{"fi", "Gmail, Thunderbird", []string{"välitetty viesti", "edelleenlähetetty viesti"}, nil},
	{"ru uk", "Gmail, Thunderbird, Mail.ru", []string{"пересылаемое сообщение", "пересланное сообщение", "переслане повідомлення"}, nil},
	{"tr", "Gmail", []string{"iletilen ileti", "iletilmiş ileti"}, nil},
	{"el", "Gmail", []string{"προωθημένο μήνυμα"}, nil},
	{"zh", "Gmail, QQ Mail", []string{"转发的邮件", "轉寄郵件", "转发邮件"}, nil},
	{"ja", "Gmail, Apple Mail", []string{"転送されたメッセージ"}, []string{"転送されたメッセージ"}},
	{"ko", "Gmail", []string{"전달된 메시지"}, nil},
	{"vi", "Gmail", []string{"thư được chuyển tiếp"}, nil},
	{"he", "Gmail", []string{"הודעה שהועברה", "הודעה מועברת"}, nil},
	{"ar", "Gmail", []string{"الرسالة المُعاد توجيهها", "الرسالة المعاد توجيهها", "رسالة معاد توجيهها"}, nil},
	{"fa", "Gmail", []string{"پیام بازارسال‌شده", "پیام بازارسال شده", "پیام هدایت‌شده"}, nil},
}

// headerFields maps the field names of reply header blocks (Outlook in
// every language pack, Lotus Notes, QQ Mail, Apple Mail) to what they are.
type headerField struct {
	lang, source                       string
	from, date, to, cc, subject, other []string
}

var headerFields = []headerField{
	{"en", "Outlook, Apple Mail, Notes", []string{"from"}, []string{"sent", "date"}, []string{"to"}, []string{"cc", "bcc"}, []string{"subject"}, []string{"importance", "reply-to", "priority"}},
	{"de", "Outlook, Outlook for Mac, Notes", []string{"von"}, []string{"gesendet", "datum"}, []string{"an"}, []string{"kopie", "cc", "blindkopie"}, []string{"betreff", "thema"}, []string{"wichtigkeit", "priorität", "antwort an"}},
	{"fr", "Outlook", []string{"de", "expéditeur"}, []string{"envoyé", "date"}, []string{"à", "destinataire"}, []string{"cc", "copie"}, []string{"objet", "sujet"}, []string{"importance"}},
	{"es", "Outlook", []string{"de", "remitente"}, []string{"enviado", "fecha", "enviado el"}, []string{"para"}, []string{"cc", "cco"}, []string{"asunto"}, []string{"importancia"}},
	{"it", "Outlook", []string{"da", "mittente"}, []string{"inviato", "data"}, []string{"a"}, []string{"cc", "ccn"}, []string{"oggetto"}, []string{"priorità"}},
	{"pt", "Outlook (pt-PT, pt-BR)", []string{"de"}, []string{"enviado", "enviada em", "data"}, []string{"para"}, []string{"cc"}, []string{"assunto"}, []string{"importância"}},
	{"nl", "Outlook", []string{"van"}, []string{"verzonden", "datum"}, []string{"aan"}, []string{"cc"}, []string{"onderwerp"}, []string{"urgentie", "prioriteit"}},
	{"sv", "Outlook", []string{"från"}, []string{"skickat", "datum"}, []string{"till"}, []string{"kopia", "cc"}, []string{"ämne"}, []string{"prioritet"}},
	{"da no", "Outlook", []string{"fra"}, []string{"sendt", "dato"}, []string{"til"}, []string{"cc", "kopi"}, []string{"emne"}, []string{"prioritet"}},
	{"fi", "Outlook", []string{"lähettäjä"}, []string{"lähetetty", "päivämäärä"}, []string{"vastaanottaja"}, []string{"kopio"}, []string{"aihe"}, []string{"tärkeys"}},
	{"pl", "Outlook", []string{"od"}, []string{"wysłano", "data"}, []string{"do"}, []string{"dw", "kopia"}, []string{"temat"}, []string{"priorytet"}},
	{"cs", "Outlook", []string{"od"}, []string{"odesláno", "datum"}, []string{"komu"}, []string{"kopie"}, []string{"předmět"}, []string{"důležitost"}},
	{"sk", "Outlook", []string{"od"}, []string{"odoslané", "dátum"}, []string{"komu"}, []string{"kópia"}, []string{"predmet"}, []string{"dôležitosť"}},
	{"hu", "Outlook", []string{"feladó"}, []string{"elküldve", "dátum"}, []string{"címzett"}, []string{"másolatot kap", "másolat"}, []string{"tárgy"}, []string{"fontosság"}},
	{"sl", "Outlook", []string{"od"}, []string{"poslano", "datum"}, []string{"za"}, []string{"kp"}, []string{"zadeva"}, nil},
	{"hr", "Outlook", []string{"šalje", "od"}, []string{"poslano", "datum"}, []string{"prima"}, []string{"kopija"}, []string{"predmet"}, nil},
	{"ro", "Outlook", []string{"de la"}, []string{"trimis", "data"}, []string{"către"}, []string{"cc"}, []string{"subiect"}, nil},
	{"ru", "Outlook", []string{"от"}, []string{"отправлено", "дата"}, []string{"кому"}, []string{"копия"}, []string{"тема"}, []string{"важность"}},
	{"uk", "Outlook", []string{"від"}, []string{"надіслано", "дата"}, []string{"кому"}, []string{"копія"}, []string{"тема"}, nil},
	{"tr", "Outlook", []string{"kimden"}, []string{"gönderildi", "gönderilme tarihi", "tarih"}, []string{"kime"}, []string{"bilgi"}, []string{"konu"}, nil},
	{"el", "Outlook", []string{"από"}, []string{"στάλθηκε", "ημερομηνία"}, []string{"προς"}, []string{"κοιν"}, []string{"θέμα"}, nil},
	{"zh", "Outlook, QQ Mail, Foxmail", []string{"发件人", "寄件者", "寄件人"}, []string{"发送时间", "寄件日期", "日期", "时间"}, []string{"收件人", "收件者"}, []string{"抄送", "副本"}, []string{"主题", "主旨"}, nil},
	{"ja", "Outlook", []string{"差出人", "送信者"}, []string{"送信日時", "日付"}, []string{"宛先"}, []string{"cc"}, []string{"件名"}, nil},
	{"ko", "Outlook", []string{"보낸 사람"}, []string{"보낸 날짜", "날짜"}, []string{"받는 사람"}, []string{"참조"}, []string{"제목"}, nil},
	{"vi", "Outlook", []string{"từ"}, []string{"đã gửi", "ngày gửi", "ngày"}, []string{"đến"}, []string{"cc"}, []string{"chủ đề", "tiêu đề"}, nil},
	{"he", "Outlook", []string{"מאת"}, []string{"נשלח", "תאריך"}, []string{"אל"}, []string{"עותק"}, []string{"נושא"}, []string{"חשיבות"}},
	{"ar", "Outlook", []string{"من"}, []string{"تاريخ الإرسال", "أرسلت", "أرسل", "مرسل", "التاريخ"}, []string{"إلى"}, []string{"نسخة"}, []string{"الموضوع"}, []string{"الأهمية"}},
	{"fa", "Outlook", []string{"از"}, []string{"ارسال شده", "ارسال‌شده", "تاریخ"}, []string{"به"}, []string{"رونوشت"}, []string{"موضوع"}, []string{"اهمیت"}},
}

// mobileSignature is one language's "Sent from my iPhone" lines (iOS Mail,
// Samsung and AOSP mail, Outlook mobile, webmail apps). A line must match
// as a whole.
type mobileSignature struct {
	lang, source string
	forms        []string
}

// device is what follows "Sent from my": a short name without sentence
// punctuation, so "Sent from my desk, is much easier …" stays text.
const device = `[\p{L}\p{N}'’ ._+-]{1,40}`

var mobileSignatures = []mobileSignature{
	{"en", "iOS, Samsung, Outlook mobile, Yahoo, Proton", []string{
		`sent from my ` + device, `sent from outlook for (ios|android)`, `get outlook for (ios|android)`,
		`sent from (mail|outlook) for windows( 1[01])?`, `sent from yahoo mail( for (iphone|android))?`,
		`sent from samsung ` + device, `sent with proton ?mail( secure email)?\.?`, `sent via ` + device,
	}},
	{"de", "iOS, Outlook mobile, Windows Mail", []string{
		`von meinem ` + device + ` gesendet\.?`, `gesendet von meinem ` + device, `gesendet von (mail|outlook) für windows( 1[01])?`,
		`von outlook für (ios|android) gesendet`, `outlook für (ios|android) beziehen`,
		`diese nachricht wurde von meinem ` + device + ` gesendet\.?`, `gesendet mit der ` + device + ` app`,
	}},
	{"fr", "iOS, Outlook mobile", []string{`envoyé de mon ` + device, `envoyé depuis mon ` + device, `envoyé à partir de outlook pour (ios|android)`}},
	{"es", "iOS, Android", []string{`enviado desde mi ` + device, `enviado desde outlook para (ios|android)`}},
	{"it", "iOS", []string{`inviato da(l mio)? ` + device}},
	{"pt", "iOS", []string{`enviado do meu ` + device, `enviado de meu ` + device}},
	{"nl", "iOS", []string{`verstuurd vanaf mijn ` + device, `verzonden vanaf mijn ` + device}},
	{"sv da no", "iOS", []string{`skickat från min ` + device, `sendt fra min ` + device}},
	{"fi", "iOS", []string{`lähetetty ` + device + `sta`, `lähetetty ` + device + `stä`}},
	{"pl", "iOS", []string{`wysłane z (mojego )?` + device}},
	{"cs sk", "iOS", []string{`odesláno z ` + device, `odoslané z ` + device}},
	{"ru uk", "iOS", []string{`отправлено с ` + device, `надіслано з ` + device}},
	{"tr", "iOS", []string{device + `'(u|ü)mdan gönderildi`}},
	{"ja", "iOS", []string{device + `から送信`}},
	{"zh", "iOS", []string{`从我的` + device + `发送`, `從我的` + device + `傳送`}},
	{"ko", "iOS", []string{device + `에서 보냄`}},
	{"he", "iOS", []string{`נשלח מה-?` + device + `( שלי)?`}},
	{"ar", "iOS", []string{`(أُ?رسلت|ارسلت|مرسل) من (الـ ?)?` + device + `( الخاص بي)?`}},
	{"fa", "iOS", []string{`ارسال شده از ` + device + `( من)?`}},
}

var (
	attribREs       []attribRE
	reBounded       = regexp.MustCompile(`\.\{\d+,\d+\}`)
	reSeparatorLang *regexp.Regexp
	reMobileSigLang *regexp.Regexp
	headerKeys      = map[string]string{}
	reForwardLang   *regexp.Regexp
	reWrappedSep    = regexp.MustCompile(`^[-_=*]{2,}\s*(.{3,400}?)\s*[-_=*]{2,}$`)
)

func init() {
	// The bounded repetitions of the rows (".{4,300}") are made unbounded:
	// the whole line is bounded by isAttribution, and the automaton stays
	// small.
	attribREs = make([]attribRE, len(attributions))
	for i, a := range attributions {
		var strong, weak []string
		for _, f := range a.forms {
			f = reBounded.ReplaceAllStringFunc(f, func(b string) string {
				if strings.HasPrefix(b, ".{0,") {
					return ".*"
				}
				return ".+"
			})
			if w, ok := strings.CutPrefix(f, "~"); ok {
				weak = append(weak, w)
			} else {
				strong = append(strong, f)
			}
		}
		if len(strong) > 0 {
			attribREs[i].strong = regexp.MustCompile(`(?i)^(` + strings.Join(strong, "|") + `)$`)
		}
		if len(weak) > 0 {
			attribREs[i].weak = regexp.MustCompile(`(?i)^(` + strings.Join(weak, "|") + `)$`)
		}
	}
	var words []string
	for _, s := range separators {
		for _, w := range s.words {
			words = append(words, regexp.QuoteMeta(w))
		}
	}
	reSeparatorLang = regexp.MustCompile(`(?i)^[-_=*]{2,}\s*(` + strings.Join(words, "|") + `)\s*[-_=*]{2,}$`)
	var dashed, colon []string
	for _, f := range forwards {
		for _, w := range f.dashed {
			dashed = append(dashed, regexp.QuoteMeta(w))
		}
		for _, w := range f.colon {
			colon = append(colon, regexp.QuoteMeta(w))
		}
	}
	reForwardLang = regexp.MustCompile(`(?i)^([-_=*]{2,}\s*(` + strings.Join(dashed, "|") + `)\s*[-_=*]{2,}|(` + strings.Join(colon, "|") + `)\s*[:：])`)
	var sigs []string
	for _, m := range mobileSignatures {
		sigs = append(sigs, m.forms...)
	}
	reMobileSigLang = regexp.MustCompile(`(?i)^(` + strings.Join(sigs, "|") + `)$`)
	for _, f := range headerFields {
		for key, names := range map[string][]string{"from": f.from, "date": f.date, "to": f.to, "cc": f.cc, "subject": f.subject, "other": f.other} {
			for _, n := range names {
				if _, ok := headerKeys[n]; !ok {
					headerKeys[n] = key
				}
			}
		}
	}
}

// foldTurkish maps the dotted capital İ to i: Go's case folding leaves it
// alone, so "İletilen ileti" would not match "iletilen ileti".
func foldTurkish(s string) string {
	if !strings.Contains(s, "İ") {
		return s
	}
	return strings.ReplaceAll(s, "İ", "i")
}

// isAttribution reports whether s (a whole line, or lines joined by one
// space) is an attribution line; the final colon (":" or "：") has been
// removed by the caller.
func isAttribution(s string) bool {
	if len(s) > 500 {
		return false
	}
	lower := strings.ToLower(s)
	// A date in any script's digits (Persian "۱۲", Arabic "١٢") or an address.
	dated := strings.ContainsFunc(s, func(r rune) bool { return r == '@' || unicode.IsDigit(r) })
	for i, a := range attributions {
		found := false
		for _, v := range a.verbs {
			if strings.Contains(lower, v) {
				found = true
				break
			}
		}
		if !found {
			continue
		}
		re := attribREs[i]
		if re.strong != nil && re.strong.MatchString(s) || dated && re.weak != nil && re.weak.MatchString(s) {
			return true
		}
	}
	return false
}
