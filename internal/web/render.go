package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/errtext"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

// page is one parsed page template: the layout, the shared partials and the
// page's own "content".
type page struct {
	name string
	tmpl *template.Template
}

// view is what every template gets.
type view struct {
	L      *i18n.Localizer
	User   *access.Actor // nil when nobody is signed in
	Title  string        // already translated
	Nav    string        // the active navigation item
	Flash  string        // a catalog key
	Error  string        // already translated
	Fields map[string]bool
	Path   string
	Data   any
	Site   siteView // the desk-wide settings, in the page's language
}

// siteView is what every page shows of the desk-wide settings.
type siteView struct {
	Name   string // the desk's name
	Footer string // the footer line; "" for none
	Banner string // the announcement; "" for none
}

// templateKeys finds the catalog keys the templates name literally.
var templateKeys = regexp.MustCompile(`[.$]L\.([TN]) "([a-z0-9_.]+)"`)

var funcs = template.FuncMap{
	"stateClass": func(s ticket.State) string { return "state-" + string(s) },
	"add":        func(a, b int) int { return a + b },
	"initials": func(name string) string {
		var out []rune
		for _, f := range strings.Fields(name) {
			out = append(out, []rune(f)[0])
			if len(out) == 2 {
				break
			}
		}
		return strings.ToUpper(string(out))
	},
	// dashSearch is the search page's URL of the dashboard's list or link
	// name (within queue when not ""), its dates in the person's zone.
	"dashSearch": func(l *i18n.Localizer, name, queue string) (string, error) {
		f, ok := desk.DashboardSearch(name, queue)
		if !ok {
			return "", fmt.Errorf("no dashboard search %q", name)
		}
		return searchURL(l, f), nil
	},
	"has": func(list []string, s string) bool { return slices.Contains(list, s) },
	// under: path is section or a page below it ("/admin/queues/7").
	"under":     func(path, section string) bool { return path == section || strings.HasPrefix(path, section+"/") },
	"name":      name,
	"retention": retentionFormArgs, // retention.go
	"overdue":   overdue,
	"pair":      func(l *i18n.Localizer, t *ticket.Ticket) ticketArgs { return ticketArgs{L: l, T: t} },
	"list": func(l *i18n.Localizer, names map[string]string, items []*ticket.Ticket, staff bool, empty string) listArgs {
		return listArgs{L: l, Names: names, Items: items, Staff: staff, Empty: empty}
	},
	"act": func(vw *view, name, class string) actArgs {
		d := vw.Data.(*ticketData)
		return actArgs{L: vw.L, Number: d.Ticket.Number, Version: d.Ticket.Version, Now: d.Now, Name: name, Class: class}
	},
	// stars draws a rating of 1 to 5 as filled and empty stars.
	"stars": func(n int) string { return strings.Repeat("★", n) + strings.Repeat("☆", max(0, 5-n)) },
	"ratingArgs": func(l *i18n.Localizer, rating int, comment string, invalid map[string]bool) ratingArgs {
		return ratingArgs{L: l, Rating: rating, Comment: comment, Invalid: invalid}
	},
	// entryHTML: the HTML that came by mail with an entry, sanitised again.
	"entryHTML": entryHTML,
	// text is the catalog text of key, or fallback when there is none: a
	// code the catalog may not know yet (an outbox event) shows as itself.
	"text": func(l *i18n.Localizer, key, fallback string) string {
		if i18n.Has(key) {
			return l.T(key)
		}
		return fallback
	},
}

// ticketArgs, listArgs and actArgs are what the partial templates get.
type ticketArgs struct {
	L *i18n.Localizer
	T *ticket.Ticket
}

type listArgs struct {
	L     *i18n.Localizer
	Names map[string]string
	Items []*ticket.Ticket
	Staff bool
	Empty string
}

type actArgs struct {
	L                    *i18n.Localizer
	Number, Version, Now int64
	Name, Class          string
}

// ratingArgs is what the rating-fields partial gets: the rating and
// comment as typed, and which of them were refused.
type ratingArgs struct {
	L       *i18n.Localizer
	Rating  int
	Comment string
	Invalid map[string]bool
}

// overdue reports whether t is still to be worked and past its due date.
func overdue(t *ticket.Ticket) bool {
	return t.Due != nil && t.Due.Before(time.Now()) &&
		(t.State == ticket.StateNew || t.State == ticket.StateOpen || t.State == ticket.StateWaiting)
}

// parsePages parses every page in templates/ with the layout and partials,
// and checks that each text a template names is in the catalog.
func parsePages(fsys fs.FS) (map[string]*page, error) {
	shared := []string{"templates/layout.html", "templates/partials.html"}
	files, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		for _, m := range templateKeys.FindAllSubmatch(b, -1) {
			key := string(m[2])
			if string(m[1]) == "N" {
				if !i18n.Has(key+".one") || !i18n.Has(key+".other") {
					missing = append(missing, f+": "+key+".one/.other")
				}
			} else if !i18n.Has(key) {
				missing = append(missing, f+": "+key)
			}
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("texts missing from the catalog: %s", strings.Join(missing, ", "))
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(fsys, shared...)
	if err != nil {
		return nil, err
	}
	pages := map[string]*page{}
	for _, f := range files {
		if slices.Contains(shared, f) {
			continue
		}
		name := strings.TrimSuffix(path.Base(f), ".html")
		t, err := template.Must(base.Clone()).ParseFS(fsys, f)
		if err != nil {
			return nil, err
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("%s: defines no \"content\"", f)
		}
		pages[name] = &page{name: name, tmpl: t}
	}
	return pages, nil
}

// render writes page name with data, after the whole page rendered: a
// template failure is a clean 500, never half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, v *visit, status int, name string, vw *view) {
	p, ok := h.pages[name]
	if !ok {
		panic("web: no page " + name)
	}
	vw.L = v.l
	if v.signedIn {
		a := v.actor
		vw.User = &a
	}
	vw.Path = r.URL.Path
	site := h.settings.get(r.Context())
	vw.Site = siteView{Name: site.Name, Footer: site.Footer(v.l.Lang), Banner: site.Banner(v.l.Lang)}
	if vw.Flash == "" {
		vw.Flash = h.takeFlash(w, r)
	}
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, "layout", vw); err != nil {
		h.log.ErrorContext(r.Context(), "web: render failed", "page", name, "err", err)
		http.Error(w, v.l.T("error.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderError shows an error page whose message is the catalog text key.
func (h *handler) renderError(w http.ResponseWriter, r *http.Request, v *visit, status int, key string) {
	h.render(w, r, v, status, "error", &view{Title: v.l.T(key + ".title"), Data: struct {
		Status  int
		Message string
	}{status, v.l.T(key)}})
}

// stale reports whether err refuses a change because someone else changed
// the ticket meanwhile (as desk found, or as the database's write did).
func stale(err error) bool {
	switch ticket.ErrorReason(err) {
	case "err.ticket.stale", "err.ticket.stale_write":
		return true
	}
	return false
}

// errorText returns the status for err and a message for the person in
// their language. Internal errors are logged here, once, and shown as a
// generic message.
func (h *handler) errorText(r *http.Request, v *visit, err error) (int, string, map[string]bool) {
	var mbe *http.MaxBytesError
	if ok := asMaxBytes(err, &mbe); ok {
		return http.StatusRequestEntityTooLarge, v.l.T("error.too_large"), nil
	}
	code := ticket.ErrorCode(err)
	status := errtext.Status(code)
	switch code {
	case ticket.EINVALID:
		fields := map[string]bool{}
		var names []string
		for f, problem := range ticket.ErrorProblems(err) {
			fields[f] = true
			name := v.l.T("field." + f)
			if problem.Reason != "" {
				name += " (" + errtext.Problem(v.l.Lang, problem) + ")"
			}
			names = append(names, name)
		}
		slices.Sort(names)
		if len(names) == 0 {
			return status, v.l.T("error.invalid"), fields
		}
		return status, v.l.T("error.invalid_fields", strings.Join(names, ", ")), fields
	case ticket.ENOTFOUND, ticket.EFORBIDDEN, ticket.ECONFLICT, ticket.ETOOLARGE, ticket.EUNAUTHORIZED:
		return status, v.l.T("error." + code), nil
	}
	h.log.ErrorContext(r.Context(), "web: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	return http.StatusInternalServerError, v.l.T("error.internal"), nil
}

// fail answers err with an error page.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	status, msg, _ := h.errorText(r, v, err)
	if status == http.StatusNotFound {
		h.renderError(w, r, v, status, "error.not_found")
		return
	}
	h.render(w, r, v, status, "error", &view{Title: v.l.T("error.title"), Data: struct {
		Status  int
		Message string
	}{status, msg}})
}
