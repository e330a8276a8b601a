package store_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// auditWriteAllowed names the only places allowed to change or remove
// audit-log rows, by file (slash-separated, from the module's root) and
// why, with how many such statements the file holds. The one exception
// DESIGN.md allows is the retention of the log itself (rows older than
// the configured period): (*store.Tx).DeleteAuditBefore, alone in its file.
var auditWriteAllowed = map[string]struct {
	why        string
	statements int
}{
	"internal/store/audit_retention.go": {"retention of the audit log itself (--audit-retention)", 1},
}

// auditWrite matches a statement that changes or removes audit-log rows or
// the table itself, in any letter case and spacing.
var auditWrite = regexp.MustCompile(`(?is)\b(update\s+(only\s+)?|delete\s+from\s+(only\s+)?|truncate\s+(table\s+)?(only\s+)?|drop\s+table\s+(if\s+exists\s+)?|alter\s+table\s+(if\s+exists\s+)?(only\s+)?|insert\s+or\s+replace\s+into\s+|replace\s+into\s+)["` + "`" + `]?audit_log\b`)

// auditCascade matches a foreign key of the audit log that would let the
// database remove or change its rows when another row goes.
var auditCascade = regexp.MustCompile(`(?is)create\s+table\s+audit_log\s*\(([^;]*?)\);`)

// TestAuditLogIsAppendOnly proves that the application has no code path
// that updates or deletes audit-log rows: it reads every Go file (tests
// aside) and every SQL file of the module and fails for any statement that
// changes, removes or replaces rows of audit_log or the table, outside
// auditWriteAllowed; and the table has no foreign key through which the
// database could remove them.
func TestAuditLogIsAppendOnly(t *testing.T) {
	for _, s := range []string{"DELETE FROM audit_log WHERE at < ?", "update  AUDIT_LOG set detail = ''", "TRUNCATE audit_log", "DROP TABLE IF EXISTS audit_log"} {
		if !auditWrite.MatchString(s) {
			t.Fatalf("the check does not see %q", s)
		}
	}
	for _, s := range []string{"INSERT INTO audit_log (at) VALUES (?)", "SELECT * FROM audit_log", "DELETE FROM audit_logins"} {
		if auditWrite.MatchString(s) {
			t.Fatalf("the check takes %q for a change", s)
		}
	}
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !(strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go")) && !strings.HasSuffix(path, ".sql") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		matches := auditWrite.FindAllIndex(b, -1)
		if allowed, ok := auditWriteAllowed[rel]; ok {
			if len(matches) != allowed.statements || strings.Count(string(b), "\nfunc ") != 1 {
				t.Errorf("%s: %d statements changing audit rows in %d functions, want exactly %d in one function (%s)",
					rel, len(matches), strings.Count(string(b), "\nfunc "), allowed.statements, allowed.why)
			}
			return nil
		}
		for _, m := range matches {
			line := 1 + strings.Count(string(b[:m[0]]), "\n")
			t.Errorf("%s:%d: %q changes or removes audit-log rows; the log is append-only", rel, line, b[m[0]:m[1]])
		}
		if strings.HasSuffix(path, ".sql") {
			for _, m := range auditCascade.FindAllSubmatch(b, -1) {
				if regexp.MustCompile(`(?i)\breferences\b`).Match(m[1]) {
					t.Errorf("%s: audit_log has a foreign key; deleting a user or ticket must not touch the log", rel)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("read %d files, want the whole application", files)
	}
}
