package config_test

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/config"
)

// serveFlags returns a flag set with every flag of servus serve.
func serveFlags(cfg *config.Config, file *string) *flag.FlagSet {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg.StoreFlags(fs)
	cfg.ServeFlags(fs)
	cfg.LogFlags(fs)
	config.FileFlag(fs, file)
	return fs
}

func writeFile(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "servus.conf")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEnvName(t *testing.T) {
	for name, want := range map[string]string{
		"data":             "SERVUS_DATA",
		"auto-close-after": "SERVUS_AUTO_CLOSE_AFTER",
		"base-url":         "SERVUS_BASE_URL",
	} {
		if got := config.EnvName(name); got != want {
			t.Errorf("EnvName(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestPrecedence checks flag > environment > file > default, setting by
// setting.
func TestPrecedence(t *testing.T) {
	conf := writeFile(t, `# a comment
addr = 10.0.0.1:1000
data = /from/file
auto-close-after = 3h
log-level = debug
base-url = "http://file.example"
`)
	env := map[string]string{
		"SERVUS_ADDR":   "10.0.0.2:2000",
		"SERVUS_DATA":   "/from/env",
		"SERVUS_CONFIG": conf,
		"SERVUS_DEMO":   "true",
	}
	cfg := config.Default()
	var file string
	fs := serveFlags(&cfg, &file)
	err := config.Parse(fs, []string{"--addr", "10.0.0.3:3000"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	checks := []struct{ name, got, want string }{
		{"addr (flag over env and file)", cfg.Addr, "10.0.0.3:3000"},
		{"data (env over file)", cfg.Data, "/from/env"},
		{"demo (env)", map[bool]string{true: "true", false: "false"}[cfg.Demo], "true"},
		{"auto-close-after (file)", cfg.AutoCloseAfter.String(), "3h0m0s"},
		{"log-level (file)", cfg.LogLevel.String(), "DEBUG"},
		{"base-url (quoted, file)", cfg.BaseURL, "http://file.example"},
		{"shutdown-timeout (default)", cfg.ShutdownTimeout.String(), "20s"},
		{"config (env)", file, conf},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestDefaults(t *testing.T) {
	cfg := config.Default()
	var file string
	fs := serveFlags(&cfg, &file)
	if err := config.Parse(fs, nil, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	if cfg.Data != "./servus-data" || cfg.Addr != "127.0.0.1:8080" || cfg.AutoCloseAfter != 336*time.Hour || cfg.LogLevel != slog.LevelInfo {
		t.Errorf("defaults: got %+v", cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

// TestTrustedProxies: addresses and networks, from the environment.
func TestTrustedProxies(t *testing.T) {
	cfg := config.Default()
	var file string
	fs := serveFlags(&cfg, &file)
	env := map[string]string{"SERVUS_TRUSTED_PROXIES": "127.0.0.1, 10.1.2.3/8,::1"}
	if err := config.Parse(fs, nil, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range cfg.TrustedProxies {
		got = append(got, p.String())
	}
	if want := "127.0.0.1/32 10.0.0.0/8 ::1/128"; strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		file    string
		want    string // substring of the error
		setting bool   // a *config.SettingError
	}{
		{name: "bad env duration", env: map[string]string{"SERVUS_AUTO_CLOSE_AFTER": "soon"}, want: "SERVUS_AUTO_CLOSE_AFTER: not a duration", setting: true},
		{name: "bad env bool", env: map[string]string{"SERVUS_DEMO": "maybe"}, want: "SERVUS_DEMO:", setting: true},
		{name: "bad flag duration", args: []string{"--auto-close-after", "x"}, want: "not a duration"},
		{name: "unknown flag", args: []string{"--frobnicate", "x"}, want: "not defined"},
		{name: "unknown file setting", file: "colour = blue\n", want: ":1: unknown setting \"colour\"", setting: true},
		{name: "file line without =", file: "# ok\naddr\n", want: ":2: want \"name = value\"", setting: true},
		{name: "file duplicate", file: "addr = a:1\naddr = b:2\n", want: ":2: addr already set on line 1", setting: true},
		{name: "file bad value", file: "shutdown-timeout = long\n", want: ":1: shutdown-timeout: not a duration", setting: true},
		{name: "file bad quote", file: "data = \"/x\n", want: ":1: data: bad quoted value", setting: true},
		{name: "bad trusted proxy", env: map[string]string{"SERVUS_TRUSTED_PROXIES": "10.0.0.0/8, proxy.example"}, want: `"proxy.example" is neither an address nor a network`, setting: true},
		{name: "missing file", args: []string{"--config", "/nonexistent/servus.conf"}, want: "--config:", setting: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			var file string
			fs := serveFlags(&cfg, &file)
			args := tt.args
			if tt.file != "" {
				args = append(args, "--config", writeFile(t, tt.file))
			}
			err := config.Parse(fs, args, func(k string) string { return tt.env[k] })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse: got error %v, want one containing %q", err, tt.want)
			}
			var se *config.SettingError
			if got := errors.As(err, &se); got != tt.setting {
				t.Errorf("SettingError: got %v, want %v", got, tt.setting)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*config.Config)
		want   string // error prefix; "" for valid
	}{
		{"defaults", func(*config.Config) {}, ""},
		{"port 0", func(c *config.Config) { c.Addr = "127.0.0.1:0" }, ""},
		{"all interfaces", func(c *config.Config) { c.Addr = ":8080" }, ""},
		{"postgres", func(c *config.Config) { c.DB = "postgres://u:p@localhost:5432/servus" }, ""},
		{"no port", func(c *config.Config) { c.Addr = "localhost" }, "--addr:"},
		{"bad port", func(c *config.Config) { c.Addr = "localhost:http" }, "--addr:"},
		{"port too big", func(c *config.Config) { c.Addr = "localhost:70000" }, "--addr:"},
		{"empty data", func(c *config.Config) { c.Data = " " }, "--data:"},
		{"mysql", func(c *config.Config) { c.DB = "mysql://u:secret@h/db" }, "--db:"},
		{"relative base URL", func(c *config.Config) { c.BaseURL = "/servus" }, "--base-url:"},
		{"ftp base URL", func(c *config.Config) { c.BaseURL = "ftp://x" }, "--base-url:"},
		{"zero auto-close", func(c *config.Config) { c.AutoCloseAfter = 0 }, "--auto-close-after:"},
		{"log format", func(c *config.Config) { c.LogFormat = "xml" }, "--log-format:"},
		{"tiny body", func(c *config.Config) { c.MaxBody = 10 }, "--max-body:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			tt.change(&cfg)
			err := cfg.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
				t.Errorf("got %v, want an error starting %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestTrustedAuthServIDs(t *testing.T) {
	cfg := config.Default()
	var file string
	fs := serveFlags(&cfg, &file)
	args := []string{"--mail-trusted-authserv-id", "MX1.example.org, mx2.example.org", "--mail-trusted-authserv-id", "mx3.example.org"}
	if err := config.Parse(fs, args, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(cfg.Inbound.TrustedAuthServIDs, " "), "mx1.example.org mx2.example.org mx3.example.org"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	cfg = config.Default()
	fs = serveFlags(&cfg, &file)
	if err := config.Parse(fs, []string{"--mail-trusted-authserv-id", "mx.example.org; dkim=pass"}, func(string) string { return "" }); err == nil {
		t.Error("a value with ';' was accepted as an authserv-id")
	}
}
