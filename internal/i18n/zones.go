package i18n

import (
	_ "embed"
	"slices"
	"strings"
	"time"
)

// zoneTab is IANA's zone.tab (tzdata, public domain): at least one time
// zone per country, by its canonical name. It is the list of zones people
// choose from; the zone data itself comes with time/tzdata.
//
//go:embed zone.tab
var zoneTab string

// timeZones is every zone of zoneTab, and UTC, sorted; TestTimeZones
// checks that Go's embedded tzdata knows each of them.
var timeZones = parseZoneTab(zoneTab)

func parseZoneTab(tab string) []string {
	zones := []string{"UTC"}
	for line := range strings.Lines(tab) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(strings.TrimRight(line, "\r\n"), "\t")
		if len(f) >= 3 && !slices.Contains(zones, f[2]) {
			zones = append(zones, f[2])
		}
	}
	slices.Sort(zones)
	return zones
}

// TimeZones returns the names of the time zones people may choose from:
// IANA's zones, one or more per country, and UTC, sorted. The slice is a
// copy.
func TimeZones() []string { return slices.Clone(timeZones) }

// ZoneGroup is the zones of one region ("Europe") for a grouped choice.
type ZoneGroup struct {
	Label string // the region's name in the language asked for
	Zones []Zone
}

// Zone is one choice of time zone.
type Zone struct {
	Name  string // the IANA name: "America/Argentina/Buenos_Aires"
	Label string // the name within its region: "Argentina/Buenos Aires"
}

// zoneRegions are the regions of IANA's names, in the order shown; a name
// of none of them (UTC, or a legacy name someone has chosen) is in "other".
var zoneRegions = []string{"Europe", "America", "Asia", "Africa", "Australia", "Pacific", "Atlantic", "Indian", "Antarctica", "Arctic"}

// TimeZoneGroups returns TimeZones grouped by region, labelled in lang,
// with extra (a person's current zone, say) added when it is not among
// them and is a zone Go knows.
func TimeZoneGroups(lang string, extra ...string) []ZoneGroup {
	names := TimeZones()
	for _, x := range extra {
		if x == "" || slices.Contains(names, x) {
			continue
		}
		if _, err := time.LoadLocation(x); err == nil {
			names = append(names, x)
		}
	}
	byRegion := map[string][]Zone{}
	for _, n := range names {
		region, rest, _ := strings.Cut(n, "/")
		if !slices.Contains(zoneRegions, region) || rest == "" {
			region, rest = "other", n
		}
		byRegion[region] = append(byRegion[region], Zone{Name: n, Label: strings.ReplaceAll(rest, "_", " ")})
	}
	var groups []ZoneGroup
	for _, r := range append(slices.Clone(zoneRegions), "other") {
		if zs := byRegion[r]; len(zs) > 0 {
			slices.SortFunc(zs, func(a, b Zone) int { return strings.Compare(a.Label, b.Label) })
			groups = append(groups, ZoneGroup{Label: Text(lang, "tzregion."+r), Zones: zs})
		}
	}
	return groups
}
