package desk

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Mail authentication. servus puts a secret into two addresses of every
// mail it sends, keyed by one HMAC key made once per database (the secrets
// row "mail", shared by all instances):
//
//   - the envelope sender (bounce address) is <local>+bounce-<id>-<mac> of
//     --mail-from: a delivery status notification that comes back to it
//     belongs to exactly notification id (VERP);
//   - Reply-To is <local>+<number>-<mac> of the queue's address (else of
//     --mail-from), the mac made of the recipient's address and the ticket:
//     a reply to it from that recipient is theirs (only they got it).
//
// Both need the mail server to deliver local+anything to local (Postfix:
// recipient_delimiter = +). A reply by mail counts as written by its sender
// only when it is authenticated: by the reply address, or by the
// Authentication-Results of a mail server named in
// InboundOptions.TrustedAuthServIDs (see mail.SenderAuthenticated).

// tagMACLen is how many bytes of the HMAC an address carries (80 bits, 16
// base32 characters).
const tagMACLen = 10

var tagEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// mailSecretKey returns the HMAC key of mail addresses, made and stored on
// first use.
func (s *Service) mailSecretKey(ctx context.Context, tx *store.Tx) ([]byte, error) {
	if k := s.mailKey.Load(); k != nil {
		return *k, nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	v, err := tx.Secret(ctx, "mail", hex.EncodeToString(b), s.now().UTC())
	if err != nil {
		return nil, err
	}
	k, err := hex.DecodeString(v)
	if err != nil || len(k) < 16 {
		return nil, errors.New("the stored mail secret is not a hex key of 16 bytes or more")
	}
	s.mailKey.Store(&k)
	return k, nil
}

// tagMAC is the lowercase base32 HMAC of the parts, separated by NUL.
func tagMAC(key []byte, parts ...string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return strings.ToLower(tagEncoding.EncodeToString(m.Sum(nil)[:tagMACLen]))
}

// bounceTag is the subaddress of the envelope sender of notification id.
func bounceTag(key []byte, id int64) string {
	n := strconv.FormatInt(id, 10)
	return "bounce-" + n + "-" + tagMAC(key, "bounce", n)
}

// replyTag is the subaddress of the Reply-To of mail about ticket number
// to email.
func replyTag(key []byte, email string, number int64) string {
	n := strconv.FormatInt(number, 10)
	return n + "-" + tagMAC(key, "reply", ticket.NormalizeEmail(email), n)
}

// subaddress returns the part of addr's local part after its last "+".
func subaddress(addr string) string {
	local, _, ok := strings.Cut(ticket.NormalizeEmail(addr), "@")
	if !ok {
		return ""
	}
	i := strings.LastIndexByte(local, '+')
	if i < 0 {
		return ""
	}
	return local[i+1:]
}

// baseAddress is addr without its subaddress ("a+x@b" → "a@b").
func baseAddress(addr string) string {
	addr = ticket.NormalizeEmail(addr)
	local, domain, ok := strings.Cut(addr, "@")
	if !ok {
		return addr
	}
	if i := strings.IndexByte(local, '+'); i > 0 {
		return local[:i] + "@" + domain
	}
	return addr
}

// verpNotification returns the notification whose bounce address one of
// addrs is, after checking its MAC; 0 when none is.
func verpNotification(key []byte, addrs []string) int64 {
	for _, a := range addrs {
		rest, ok := strings.CutPrefix(subaddress(a), "bounce-")
		if !ok {
			continue
		}
		n, mac, ok := strings.Cut(rest, "-")
		id, err := strconv.ParseInt(n, 10, 64)
		if !ok || err != nil || id <= 0 {
			continue
		}
		if hmac.Equal([]byte(mac), []byte(tagMAC(key, "bounce", n))) {
			return id
		}
	}
	return 0
}

// replyTicket returns the number of the ticket whose reply address for
// from one of addrs is, after checking its MAC; 0 when none is.
func replyTicket(key []byte, from string, addrs []string) int64 {
	for _, a := range addrs {
		n, mac, ok := strings.Cut(subaddress(a), "-")
		number, err := strconv.ParseInt(n, 10, 64)
		if !ok || err != nil || number <= 0 {
			continue
		}
		if hmac.Equal([]byte(mac), []byte(tagMAC(key, "reply", ticket.NormalizeEmail(from), n))) {
			return number
		}
	}
	return 0
}

// inAddresses are the addresses a mail was delivered or sent to: the
// channel's recipient, Delivered-To (and the like), To and Cc.
func (in *inMail) addresses() []string {
	addrs := []string{in.row.Recipient}
	addrs = append(addrs, in.msg.DeliveredTo...)
	for _, x := range in.msg.To {
		addrs = append(addrs, x.Email)
	}
	for _, x := range in.msg.Cc {
		addrs = append(addrs, x.Email)
	}
	return addrs
}

// senderAuth is what vouches for the sender of a mail.
type senderAuth struct {
	server bool  // a trusted mail server's Authentication-Results
	ticket int64 // the ticket whose reply address for the sender the mail went to; else 0
}
