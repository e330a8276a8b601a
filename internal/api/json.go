package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

// Request bodies are strict JSON: one object, no unknown fields, at most
// maxBody bytes. A request without Content-Type is read as JSON (curl -d
// sends a form type, which is refused with 415 so that the mistake shows).

// checkJSONType refuses a Content-Type that is neither absent,
// application/json nor any +json type.
func checkJSONType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json")) {
		return nil
	}
	return &statusError{
		status: http.StatusUnsupportedMediaType,
		code:   "unsupported_media_type",
		detail: fmt.Sprintf("The body must be application/json, not %q.", ct),
	}
}

// decodeJSON reads the request body as one JSON object into dst. Its errors
// are EINVALID with the place of the problem (an offset, or the field in
// Fields), ETOOLARGE via *http.MaxBytesError, or a 415 statusError.
func (h *handler) decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if err := checkJSONType(r); err != nil {
		return err
	}
	body := http.MaxBytesReader(w, r.Body, h.maxBody)
	d := json.NewDecoder(body)
	d.DisallowUnknownFields()
	if err := d.Decode(dst); err != nil {
		return jsonError(err)
	}
	var extra json.RawMessage
	switch err := d.Decode(&extra); {
	case errors.Is(err, io.EOF):
		return nil
	case err == nil:
		return ticket.E(ticket.EINVALID, "err.api.json_trailing", d.InputOffset()-int64(len(extra)))
	default:
		return jsonError(err)
	}
}

// jsonError turns a decoding error into servus's vocabulary.
func jsonError(err error) error {
	var (
		mbe    *http.MaxBytesError
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		te     *ticket.Error
	)
	switch {
	case errors.As(err, &mbe), errors.As(err, &te):
		return err
	case errors.Is(err, io.EOF):
		return ticket.E(ticket.EINVALID, "err.api.json_empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return ticket.E(ticket.EINVALID, "err.api.json_truncated")
	case errors.As(err, &syntax):
		return ticket.E(ticket.EINVALID, "err.api.json_syntax", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		if typ.Field == "" {
			return ticket.E(ticket.EINVALID, "err.api.json_not_object", typ.Value)
		}
		return invalidField(typ.Field, jsonKind(typ.Type))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return ticket.E(ticket.EINVALID, "err.api.unknown_field", name).Field(name, "problem.unknown_field")
	}
	return ticket.E(ticket.EINVALID, "err.api.json_invalid", err)
}

// jsonKind is the problem of a JSON value that is not of type t: what
// JSON value t takes ("problem.integer").
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "problem.other_type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "problem.string"
	case reflect.Bool:
		return "problem.bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "problem.integer"
	case reflect.Float32, reflect.Float64:
		return "problem.number"
	case reflect.Slice, reflect.Array:
		return "problem.array"
	case reflect.Map, reflect.Struct:
		return "problem.object"
	}
	return "problem.other_type"
}

// writeJSON answers v as JSON with status.
func (h *handler) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		h.fail(w, r, fmt.Errorf("encode response: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// list is the shape of every list the API answers.
type list[T any] struct {
	Items []T `json:"items"`
}

// parseTime reads RFC 3339 or a date YYYY-MM-DD (midnight UTC) and returns
// it in UTC.
func parseTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// parseDue reads a due date: an RFC 3339 time, or a date YYYY-MM-DD that
// means the end of that day (UTC), as a due date chosen on the web means
// the end of the chosen day. So today's date is never "in the past".
func parseDue(s string) (time.Time, bool) {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.AddDate(0, 0, 1).Add(-time.Second), true
	}
	return parseTime(s)
}

// ticketNumber reads the {number} path value: digits, optionally after a
// "#". Anything else names no ticket and is ENOTFOUND.
func ticketNumber(r *http.Request) (int64, error) {
	s := strings.TrimPrefix(r.PathValue("number"), "#")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || s[0] == '+' {
		return 0, ticket.E(ticket.ENOTFOUND, "err.api.ticket_not_found")
	}
	return n, nil
}

// ticketRef is a ticket number in a request body: 1234, "1234" or "#1234".
type ticketRef int64

// UnmarshalJSON implements json.Unmarshaler.
func (t *ticketRef) UnmarshalJSON(b []byte) error {
	var n int64
	if err := json.Unmarshal(b, &n); err == nil {
		*t = ticketRef(n)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if n, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64); err == nil && n > 0 {
			*t = ticketRef(n)
			return nil
		}
	}
	if string(b) == "null" {
		return nil
	}
	return &json.UnmarshalTypeError{Value: "value " + string(b), Type: reflect.TypeFor[int64]()}
}

// parsePaging reads page (from 1) and per_page (1 to maxPerPage) of an
// admin list, 1 and 50 when absent; a bad value is a problem in v.
func parsePaging(q url.Values, v ticket.Validation) (page, perPage int) {
	page, perPage = 1, 50
	if s := q.Get("page"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 {
			page = n
		} else {
			v.Add("page", "problem.min_page")
		}
	}
	if s := q.Get("per_page"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= maxPerPage {
			perPage = n
		} else {
			v.Add("per_page", "problem.per_page", maxPerPage)
		}
	}
	return page, perPage
}
