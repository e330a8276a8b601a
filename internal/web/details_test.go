package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/i18n"
)

// TestFieldProblemsTranslated reads the source of desk and web and finds
// every problem text given to a field (Validation.Add and Fields map
// literals of ticket.Error); each must have a German text in i18n's
// details table, so a German page never explains a mistake in English.
func TestFieldProblemsTranslated(t *testing.T) {
	var missing []string
	for _, dir := range []string{".", filepath.Join("..", "desk"), filepath.Join("..", "ticket")} {
		for _, text := range fieldProblems(t, dir) {
			if !i18n.HasDetail(text) {
				missing = append(missing, text)
			}
		}
	}
	slices.Sort(missing)
	missing = slices.Compact(missing)
	for _, m := range missing {
		t.Errorf("no German text for the field problem %q (add it to internal/i18n/catalog_details.go)", m)
	}
}

// fieldProblems returns the problem texts of the non-test Go files in dir,
// as patterns: a computed part becomes %d (strconv.Itoa), %s (a string) or
// stays the verb of fmt.Sprintf's format.
func fieldProblems(t *testing.T, dir string) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if ok && sel.Sel.Name == "Add" && len(n.Args) == 2 {
					if _, field := n.Args[0].(*ast.BasicLit); field || isIdent(n.Args[0]) {
						if p, ok := pattern(n.Args[1]); ok && p != "%s" {
							out = append(out, p) // "%s": a problem passed on, or not a problem at all (url.Values)
						}
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); !ok || id.Name != "Fields" {
					return true
				}
				lit, ok := n.Value.(*ast.CompositeLit)
				if !ok {
					return true
				}
				for _, el := range lit.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok {
						if p, ok := pattern(kv.Value); ok && p != "%s" {
							out = append(out, p)
						}
					}
				}
			}
			return true
		})
	}
	return out
}

func isIdent(e ast.Expr) bool { _, ok := e.(*ast.Ident); return ok }

// pattern turns a problem expression into its catalog pattern.
func pattern(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return strings.ReplaceAll(s, "%", "%%"), err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		l, ok1 := pattern(e.X)
		r, ok2 := pattern(e.Y)
		return l + r, ok1 && ok2
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok {
			switch sel.Sel.Name {
			case "Itoa":
				return "%d", true
			case "Sprintf":
				if lit, ok := e.Args[0].(*ast.BasicLit); ok {
					s, err := strconv.Unquote(lit.Value)
					return s, err == nil
				}
			}
		}
		return "%s", true
	}
	return "%s", true // a variable or expression holding a name or list
}
