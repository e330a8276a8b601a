// Package delivery delivers servus's notifications by mail. desk writes
// each notification to the outbox in the transaction of the change that
// causes it; a Worker claims due ones (desk.Service.ClaimMail, which asks
// the visibility policy again), renders each in its recipient's language
// with a Renderer (a text part and an HTML alternative from embedded
// templates, parsed and checked at start), sends it with a Sender (SMTP
// with STARTTLS or implicit TLS and AUTH, from --smtp-url) and records the
// outcome (desk.Service.FinishMail: sent, retried with back-off, or
// failed). An SMTP server that is down delays mail; none is lost.
//
// Threading: each mail carries the Message-ID written with its
// notification, In-Reply-To the recipient's previous mail about the ticket
// (or the received mail that caused it) and References the ticket's
// thread, so mail clients group a ticket's mails; the subject carries the
// tag "[#1234]".
//
// Account mail: a password reset link (desk.NotifyPasswordReset) is about
// no ticket. It is rendered from templates/account.*.tmpl with the
// link BaseURL/password/reset?token=…, the time it stops working and a
// line for whoever did not ask for it; it carries no ticket tag and no
// threading headers. Its token is read from the outbox row at send time
// and wiped there once the mail is sent, dropped or failed.
//
// Addresses: the envelope sender of every mail is --mail-from with the
// mail's bounce tag (desk.OutMail.BounceTag: servicedesk+bounce-17-…@),
// so a bounce names the one mail it belongs to; Reply-To is the queue's
// address (else --mail-from) with the recipient's reply tag
// (desk.OutMail.ReplyTag: servicedesk+1234-…@), which authenticates their
// reply.
//
// Loops: every mail says "Auto-Submitted: auto-generated" (RFC 3834) and
// "X-Auto-Response-Suppress: All" (Exchange), so auto-responders stay
// quiet; servus sets no "Precedence: bulk", a non-standard header that
// makes spam filters treat one-to-one mail as bulk.
package delivery
