package desk

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Settings are the desk-wide settings admins manage on the web
// (/admin/settings). They live in the database, so every servus instance
// on it agrees. They are public display settings: anyone may read them.
type Settings struct {
	Name     string // the desk's name: page header, browser title, sign-in page
	FooterDE string // the footer line in German; "" for none
	FooterEN string // the footer line in English; "" for none
	BannerDE string // an announcement on every page, in German; "" for none
	BannerEN string // the announcement in English; "" for none
	Language string // for people who chose none and whose browser asks for neither
	TimeZone string // IANA name, for people who chose none

	// UpdatedAt and UpdatedBy (a name) tell who saved a setting last; zero
	// while every setting has its default. UpdateSettings ignores them.
	UpdatedAt time.Time
	UpdatedBy string
}

// Limits of the settings' texts, in characters.
const (
	MaxDeskName = 60
	MaxFooter   = 200
	MaxBanner   = 500
)

// DefaultSettings are the settings before an admin changes any: servus's
// name, the catalog's footer line, no banner, German, Europe/Vienna.
func DefaultSettings() Settings {
	return Settings{
		Name:     "servus",
		FooterDE: i18n.Text("de", "footer.tagline"),
		FooterEN: i18n.Text("en", "footer.tagline"),
		Language: i18n.DefaultLanguage,
		TimeZone: i18n.DefaultTimeZone,
	}
}

// Footer is the footer line in lang; a line written in one language only
// is shown in both.
func (st Settings) Footer(lang string) string { return pick(lang, st.FooterDE, st.FooterEN) }

// Banner is the announcement in lang; one written in one language only is
// shown in both. "" means no banner.
func (st Settings) Banner(lang string) string { return pick(lang, st.BannerDE, st.BannerEN) }

// settingKeys are the settings as stored: key (also the field name of
// validation errors and of the web form) and the value it holds.
var settingKeys = []struct {
	key string
	val func(*Settings) *string
}{
	{"desk_name", func(s *Settings) *string { return &s.Name }},
	{"footer_de", func(s *Settings) *string { return &s.FooterDE }},
	{"footer_en", func(s *Settings) *string { return &s.FooterEN }},
	{"banner_de", func(s *Settings) *string { return &s.BannerDE }},
	{"banner_en", func(s *Settings) *string { return &s.BannerEN }},
	{"default_language", func(s *Settings) *string { return &s.Language }},
	{"default_time_zone", func(s *Settings) *string { return &s.TimeZone }},
}

// Settings returns the desk-wide settings: saved values over the defaults.
// Anyone may read them (no actor). A saved value that is no longer valid
// (say, a time zone this build does not know) gives way to its default.
// Its errors are database faults.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	var st Settings
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Settings(ctx)
		st = mergeSettings(rows)
		return err
	})
	return st, err
}

// mergeSettings lays the saved rows over the defaults.
func mergeSettings(rows map[string]store.Setting) Settings {
	st := DefaultSettings()
	for _, k := range settingKeys {
		row, ok := rows[k.key]
		if !ok {
			continue
		}
		candidate := st
		*k.val(&candidate) = row.Value
		if _, bad := candidate.validate()[k.key]; bad {
			continue
		}
		*k.val(&st) = row.Value
		if row.UpdatedAt.After(st.UpdatedAt) {
			st.UpdatedAt, st.UpdatedBy = row.UpdatedAt, row.UpdatedBy
		}
	}
	return st
}

// UpdateSettings saves the settings in (all of them; see Settings) and
// returns them as now in force. Admins only (EFORBIDDEN). EINVALID names
// each bad field by its key (desk_name, footer_de, footer_en, banner_de,
// banner_en, default_language, default_time_zone): an empty or too long
// name, a text too long or holding control characters, a language servus
// does not speak, a time zone time.LoadLocation does not know. Only changed
// values are written, with one audit row naming each change, old → new;
// nothing changed writes nothing.
func (s *Service) UpdateSettings(ctx context.Context, a access.Actor, in Settings) (Settings, error) {
	if !a.Admin() {
		return Settings{}, ticket.E(ticket.EFORBIDDEN, "err.settings.admins_only")
	}
	for _, k := range settingKeys {
		p := k.val(&in)
		*p = strings.TrimSpace(*p)
	}
	in.Language = strings.ToLower(in.Language)
	if err := in.validate().Err(); err != nil {
		return Settings{}, err
	}
	var out Settings
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		rows, err := tx.Settings(ctx)
		if err != nil {
			return err
		}
		old := mergeSettings(rows)
		out = old
		now := s.now().UTC()
		var changes []string
		for _, k := range settingKeys {
			before, after := *k.val(&old), *k.val(&in)
			if before == after {
				continue
			}
			if err := tx.PutSetting(ctx, k.key, after, now, a.UserID); err != nil {
				return err
			}
			*k.val(&out) = after
			changes = append(changes, k.key+": "+strconv.Quote(before)+" → "+strconv.Quote(after))
		}
		if len(changes) == 0 {
			return nil
		}
		out.UpdatedAt, out.UpdatedBy = now, a.Name
		return tx.InsertAudit(ctx, now, a.UserID, "settings.update", 0, strings.Join(changes, "; "))
	})
	if err != nil {
		return Settings{}, err
	}
	return out, nil
}

// validate checks every setting; its keys are the settings' keys.
func (st Settings) validate() ticket.Validation {
	v := ticket.Validation{}
	text := func(key, s string, limit int) {
		switch {
		case utf8.RuneCountInString(s) > limit:
			v.Add(key, "problem.max_chars", limit)
		case strings.ContainsFunc(s, unicode.IsControl):
			v.Add(key, "problem.one_line")
		case !utf8.ValidString(s):
			v.Add(key, "problem.utf8")
		}
	}
	if st.Name == "" {
		v.Add("desk_name", "problem.empty")
	}
	text("desk_name", st.Name, MaxDeskName)
	text("footer_de", st.FooterDE, MaxFooter)
	text("footer_en", st.FooterEN, MaxFooter)
	text("banner_de", st.BannerDE, MaxBanner)
	text("banner_en", st.BannerEN, MaxBanner)
	if i18n.Supported(st.Language) != st.Language || st.Language == "" {
		v.Add("default_language", "problem.one_of", strings.Join(i18n.Languages, ", "))
	}
	if !validTimeZone(st.TimeZone) {
		v.Add("default_time_zone", "problem.iana_zone")
	}
	return v
}

// validTimeZone reports whether name is an IANA time zone servus knows
// (time.LoadLocation), other than the machine's "Local" and the empty name.
func validTimeZone(name string) bool {
	if name == "" || name == "Local" || len(name) > 64 || strings.TrimSpace(name) != name {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}
