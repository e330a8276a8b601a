package ticket

import "strings"

// ErasedDomain is the mail domain of the addresses that replace a person's
// own when they are erased (and of the placeholder requester of anonymised
// tickets). ".invalid" is reserved (RFC 2606): no mail ever goes there.
const ErasedDomain = "erased.invalid"

// IsErased reports whether email is one servus gave an erased person or the
// placeholder of anonymised tickets: pages show "former staff member" or
// "anonymised" instead of it.
func IsErased(email string) bool {
	return strings.HasSuffix(email, "@"+ErasedDomain)
}
