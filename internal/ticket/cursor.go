package ticket

import (
	"encoding/base64"
	"encoding/json"
)

// TotalCap is where a search's count of matches stops for the search page,
// the queue views and the API: a count beyond it would cost as much as the
// matches, so they say "more than TotalCap" instead.
const TotalCap = 10_000

// Cursor is a position in a sorted search result: the sort key of the row
// next to it. A cursor is opaque to its users (EncodeCursor); it names the
// sort it belongs to, so that a cursor used with another sort is refused
// rather than misread.
type Cursor struct {
	Sort   string `json:"s"`           // the filter's sort, e.g. "-updated"
	Before bool   `json:"b,omitempty"` // list the rows before the key (else after)
	Null   bool   `json:"z,omitempty"` // the key's sort column is NULL
	Int    int64  `json:"i,omitempty"` // the key's sort column, when a number or instant
	Str    string `json:"t,omitempty"` // the key's sort column, when text
	Number int64  `json:"n"`           // the key's ticket number (the tie-breaker)
}

// EncodeCursor writes c as an opaque, URL-safe string.
func EncodeCursor(c Cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor EncodeCursor wrote for sort; anything else
// (malformed, or for another sort) is EINVALID on "cursor".
func DecodeCursor(s, sort string) (Cursor, error) {
	var c Cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Sort != sort || c.Number <= 0 {
		return Cursor{}, E(EINVALID, "err.search.cursor").Field("cursor", "problem.cursor")
	}
	return c, nil
}
