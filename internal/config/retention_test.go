package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/config"
)

// TestRetentionFlags: defaults (24 months of audit log, a run an hour),
// the environment, and what Validate refuses.
func TestRetentionFlags(t *testing.T) {
	cfg := config.Default()
	var file string
	fs := serveFlags(&cfg, &file)
	env := map[string]string{"SERVUS_AUDIT_RETENTION": "36"}
	if err := config.Parse(fs, []string{"--retention-interval", "10m"}, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if cfg.Retention.AuditMonths != 36 || cfg.Retention.Interval != 10*time.Minute {
		t.Fatalf("got %+v, want 36 months and 10m", cfg.Retention)
	}
	if d := config.Default().Retention; d.AuditMonths != 24 || d.Interval != time.Hour {
		t.Fatalf("defaults: got %+v, want 24 months and 1h", d)
	}
	for _, c := range []struct {
		set  func(*config.Config)
		want string
	}{
		{func(c *config.Config) { c.Retention.AuditMonths = -1 }, "--audit-retention"},
		{func(c *config.Config) { c.Retention.Interval = 0 }, "--retention-interval"},
	} {
		cfg := config.Default()
		c.set(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error naming %s", err, c.want)
		}
	}
}
