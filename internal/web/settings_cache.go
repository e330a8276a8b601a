package web

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/servus-desk/servus/internal/desk"
)

// settingsCache holds the desk-wide settings (name, footer, banner, default
// language and time zone) for a few seconds, so that a page does not cost a
// query for them; after ttl the next request reads them again and so takes
// up what another instance saved. A save in this instance replaces them at
// once (set).
type settingsCache struct {
	load func(context.Context) (desk.Settings, error)
	ttl  time.Duration
	now  func() time.Time
	log  *slog.Logger

	mu      sync.Mutex
	val     desk.Settings
	fetched time.Time // zero: never read
}

func newSettingsCache(svc *desk.Service, ttl time.Duration, now func() time.Time, log *slog.Logger) *settingsCache {
	if ttl <= 0 {
		ttl = 5 * time.Second
	}
	return &settingsCache{load: svc.Settings, ttl: ttl, now: now, log: log, val: desk.DefaultSettings()}
}

// get returns the settings, reading them when the copy held is older than
// ttl. Requests that come while one reads wait for that read rather than
// each asking the database. When the database fails, the last settings
// read (or the defaults) serve until the next attempt, ttl later: a page
// never fails for its banner.
func (c *settingsCache) get(ctx context.Context) desk.Settings {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if age := now.Sub(c.fetched); !c.fetched.IsZero() && age >= 0 && age < c.ttl {
		return c.val
	}
	st, err := c.load(ctx)
	if err != nil {
		if ctx.Err() == nil {
			c.log.ErrorContext(ctx, "web: reading the settings failed; using the last ones", "err", err)
			c.fetched = now
		}
		return c.val
	}
	c.val, c.fetched = st, now
	return st
}

// set replaces the settings held, after this instance saved them.
func (c *settingsCache) set(st desk.Settings) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.val, c.fetched = st, c.now()
}
