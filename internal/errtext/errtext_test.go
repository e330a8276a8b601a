package errtext

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		code string
		want int
	}{
		{ticket.EINVALID, 400},
		{ticket.EUNAUTHORIZED, 401},
		{ticket.EFORBIDDEN, 403},
		{ticket.ENOTFOUND, 404},
		{ticket.ECONFLICT, 409},
		{ticket.ETOOLARGE, 413},
		{ticket.EINTERNAL, 500},
		{"something-new", 500},
	} {
		if got := Status(tc.code); got != tc.want {
			t.Errorf("Status(%q) = %d, want %d", tc.code, got, tc.want)
		}
	}
}

// TestText: a reason comes out in each language with its arguments in
// place; values of the domain are named in the reader's language (English
// keeps the value); a problem given as an argument is its text; internal
// errors say nothing of themselves.
func TestText(t *testing.T) {
	stateErr := fmt.Errorf("act: %w", ticket.E(ticket.ECONFLICT, "err.ticket.state_refuses", ticket.StateWaiting, ticket.EventClose))
	invalid := ticket.E(ticket.EINVALID, "err.api.field", "due", ticket.Problem{Reason: "problem.max_chars", Args: []any{100}}).
		Field("due", "problem.max_chars", 100).
		Field("kind", "problem.public_for", ticket.KindQuestion)
	for _, tc := range []struct{ got, want string }{
		{Message("en", stateErr), `A waiting ticket cannot be changed by "close".`},
		{Message("de", stateErr), `Ein Ticket im Status „Rückfrage“ kann nicht durch "close" geändert werden.`},
		{Message("en", invalid), "Field due must be at most 100 characters."},
		{Message("de", invalid), "Feld due: darf höchstens 100 Zeichen lang sein."},
		{Fields("en", invalid)["kind"], "must be public for a question: it goes to the requester"},
		{Fields("de", invalid)["kind"], "muss bei „Rückfrage“ öffentlich sein: der Eintrag geht an die anfragende Person"},
		{Message("en", errors.New("disk on fire")), "Internal error."},
		{Message("en", ticket.E(ticket.EINTERNAL, "err.store.db_url", "secret")), "Internal error."},
		{Message("en", nil), ""},
		{English(ticket.Validation{"name": {Reason: "problem.empty"}}.Err()), "Some fields are not valid.\n  name: must not be empty"},
		{English(errors.New("disk on fire")), "disk on fire"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if got := ticket.ErrorReason(stateErr); got != "err.ticket.state_refuses" {
		t.Errorf("ErrorReason: got %q", got)
	}
	if got := stateErr.Error(); got != "act: conflict: err.ticket.state_refuses(waiting, close)" {
		t.Errorf("Error(): got %q", got)
	}
}

var (
	keyPattern = regexp.MustCompile(`^(err|problem)\.[a-z0-9_]+(\.[a-z0-9_]+)*$`)
	verbs      = regexp.MustCompile(`%[-+# 0]*[0-9]*[a-z]`)
)

// TestReasonsInCatalog reads servus's source: every reason key it names
// (a string "err.…" or "problem.…") has a German and an English text with
// the same verbs, and every call that gives a reason (ticket.E, Field,
// Validation.Add) gives a key, not English words, with as many arguments
// as its text has verbs.
func TestReasonsInCatalog(t *testing.T) {
	files := sourceFiles(t)
	consts := map[string]string{} // Name and pkg.Name → value
	for _, f := range files {
		for _, d := range f.file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if s, ok := stringLit(vs.Values[i]); ok {
							consts[name.Name] = s
							consts[f.file.Name.Name+"."+name.Name] = s
						}
					}
				}
			}
		}
	}
	resolve := func(e ast.Expr) (string, bool) {
		if s, ok := stringLit(e); ok {
			return s, true
		}
		switch e := e.(type) {
		case *ast.Ident:
			s, ok := consts[e.Name]
			return s, ok
		case *ast.SelectorExpr:
			if x, ok := e.X.(*ast.Ident); ok {
				s, ok := consts[x.Name+"."+e.Sel.Name]
				return s, ok
			}
		}
		return "", false
	}
	checkKey := func(where, key string) {
		de, en := i18n.Text("de", key), i18n.Text("en", key)
		if !i18n.Has(key) {
			t.Errorf("%s: reason %q is not in the i18n catalog", where, key)
			return
		}
		if a, b := verbs.FindAllString(de, -1), verbs.FindAllString(en, -1); !slices.Equal(a, b) {
			t.Errorf("%s: reason %q: German verbs %v, English %v", where, key, a, b)
		}
	}
	calls := 0
	for _, f := range files {
		ast.Inspect(f.file, func(n ast.Node) bool {
			where := func() string { return f.fset.Position(n.Pos()).String() }
			switch n := n.(type) {
			case *ast.BasicLit:
				if s, ok := stringLit(n); ok && keyPattern.MatchString(s) {
					checkKey(where(), s)
				}
			case *ast.CallExpr:
				at, name := reasonCall(n, f.file.Name.Name)
				if at < 0 || len(n.Args) <= at {
					return true
				}
				reason, ok := resolve(n.Args[at])
				if !ok {
					return true // a variable: its value is a literal found elsewhere
				}
				if name == "Add" && !keyPattern.MatchString(reason) && !strings.Contains(reason, " ") {
					return true // url.Values and the like
				}
				calls++
				if !keyPattern.MatchString(reason) {
					t.Errorf("%s: %s gives %q: a reason is an i18n key (err.… or problem.…), not words", where(), name, reason)
					return true
				}
				if n.Ellipsis.IsValid() {
					return true
				}
				if want, got := len(verbs.FindAllString(i18n.Text("en", reason), -1)), len(n.Args)-at-1; i18n.Has(reason) && want != got {
					t.Errorf("%s: %s(%q) has %d arguments; its text has %d verbs", where(), name, reason, got, want)
				}
			}
			return true
		})
	}
	if calls < 150 {
		t.Errorf("found %d calls that give a reason; want the source's 150 or more (is the scan blind?)", calls)
	}
}

// reasonCall tells whether call gives a reason, and at which argument:
// ticket.E(code, reason, …), (*Error).Field(field, reason, …),
// Validation.Add(field, reason, …).
func reasonCall(call *ast.CallExpr, pkg string) (int, string) {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		if pkg == "ticket" && fn.Name == "E" {
			return 1, "E"
		}
	case *ast.SelectorExpr:
		switch fn.Sel.Name {
		case "E":
			if x, ok := fn.X.(*ast.Ident); ok && x.Name == "ticket" {
				return 1, "E"
			}
		case "Field", "Add":
			return 1, fn.Sel.Name
		}
	}
	return -1, ""
}

// TestNoErrorTextMatching: no package decides by the words of an error.
// Code tells servus's errors apart by ticket.ErrorCode and ErrorReason;
// the only text matched is that of foreign errors that have no type to
// ask, listed here. Nor does the source hold the English words of a
// reason: they live in the catalog only.
func TestNoErrorTextMatching(t *testing.T) {
	allowed := map[string]string{
		"api/json.go":    "encoding/json names an unknown field only in its message",
		"store/store.go": "SQLite's driver reports a unique constraint only in its message",
	}
	// The English words of a reason, written in the source, are a sign of
	// matching them (or of an error written the old way).
	words := map[string]string{}
	for _, k := range i18n.Keys() {
		if en := i18n.Text("en", k); keyPattern.MatchString(k) && strings.Contains(en, " ") && !strings.Contains(en, "%") {
			words[en] = k
		}
	}
	matchers := map[string]bool{"Contains": true, "HasPrefix": true, "HasSuffix": true, "Index": true,
		"TrimPrefix": true, "EqualFold": true, "MatchString": true, "Cut": true}
	for _, f := range sourceFiles(t) {
		ast.Inspect(f.file, func(n ast.Node) bool {
			var args []ast.Expr
			switch n := n.(type) {
			case *ast.BasicLit:
				if s, ok := stringLit(n); ok && words[s] != "" && !strings.HasPrefix(f.rel, "i18n/") {
					t.Errorf("%s: %q is the English text of %s; name the reason by its key", f.fset.Position(n.Pos()), s, words[s])
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && matchers[sel.Sel.Name] {
					args = n.Args
				}
			case *ast.BinaryExpr:
				if n.Op == token.EQL || n.Op == token.NEQ {
					args = []ast.Expr{n.X, n.Y}
				}
			}
			for _, a := range args {
				if !errorText(a) {
					continue
				}
				if _, ok := allowed[f.rel]; ok {
					continue
				}
				t.Errorf("%s: matches the text of an error; decide by ticket.ErrorCode or ticket.ErrorReason",
					f.fset.Position(n.Pos()))
			}
			return true
		})
	}
}

// errorText reports whether e is the text of an error: err.Error(), or
// errtext's words for it.
func errorText(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if sel.Sel.Name == "Error" && len(call.Args) == 0 {
		return true
	}
	if x, ok := sel.X.(*ast.Ident); ok && x.Name == "errtext" {
		return true
	}
	return false
}

type sourceFile struct {
	rel  string // below internal/ or cmd/
	fset *token.FileSet
	file *ast.File
}

// sourceFiles parses every non-test Go file of servus.
func sourceFiles(t *testing.T) []sourceFile {
	t.Helper()
	var out []sourceFile
	fset := token.NewFileSet()
	for _, root := range []string{filepath.Join("..", "..", "internal"), filepath.Join("..", "..", "cmd")} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			out = append(out, sourceFile{rel: filepath.ToSlash(rel), fset: fset, file: f})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out) < 100 {
		t.Fatalf("found %d source files; want servus's", len(out))
	}
	return out
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
