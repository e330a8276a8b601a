package config

import (
	"fmt"
	"strings"
)

// GroupMapping maps one group of an outside identity source to a role and
// queue memberships: an LDAP group's DN (--ldap-group), a value of the
// OpenID groups claim as the provider sends it (--oidc-group) or a value of
// the SAML group attribute (--saml-group).
type GroupMapping struct {
	Group  string
	Role   string   // requester, agent, admin, auditor, or "" for none
	Queues []string // queue names
}

// String is the mapping as a line of its flag (with "role=" and "queues="
// even when empty).
func (m GroupMapping) String() string {
	return m.Group + " -> role=" + m.Role + "; queues=" + strings.Join(m.Queues, ", ")
}

// GroupMappings are the mappings of one identity source, each line
//
//	GROUP -> role=ROLE; queues=NAME, NAME
//
// with role, queues or both. What GROUP must look like depends on the
// source (see groupFlag).
type GroupMappings []GroupMapping

// groupFlag is the flag.Value of --ldap-group, --oidc-group and
// --saml-group: the flag may be repeated (in a config file too), and one
// value (as from the environment) may hold several mappings on separate
// lines. Each source says what it accepts before "->" where it registers
// its flag.
type groupFlag struct {
	list    *GroupMappings
	what    string            // the group as errors name it: "a group DN"
	valid   func(string) bool // whether a non-empty group looks right; nil: any does
	example string            // a group for the example in errors
}

func (f *groupFlag) String() string {
	if f.list == nil { // the zero value the flag package makes for -help
		return ""
	}
	var out []string
	for _, m := range *f.list {
		out = append(out, m.String())
	}
	return strings.Join(out, "\n")
}

// Repeatable marks the flag as one that may be given several times.
func (f *groupFlag) Repeatable() {}

// Set adds the mappings in s; an error names the first bad line.
func (f *groupFlag) Set(s string) error {
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		m, err := f.parse(line)
		if err != nil {
			return err
		}
		*f.list = append(*f.list, m)
	}
	return nil
}

// parse reads one mapping line. Errors quote the line and show an example.
func (f *groupFlag) parse(s string) (GroupMapping, error) {
	bad := func(why string) (GroupMapping, error) {
		return GroupMapping{}, fmt.Errorf("%s in %q (want \"%s -> role=agent; queues=Network, Mail\")", why, s, f.example)
	}
	group, rest, ok := strings.Cut(s, "->")
	group = strings.TrimSpace(group)
	if !ok || group == "" || (f.valid != nil && !f.valid(group)) {
		return bad(f.what + " and \"->\" are missing")
	}
	m := GroupMapping{Group: group}
	for part := range strings.SplitSeq(rest, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(strings.ToLower(k)), strings.TrimSpace(v)
		switch {
		case !ok:
			return bad(fmt.Sprintf("%q is not role=… or queues=…", part))
		case k == "role":
			switch v {
			case "requester", "agent", "admin", "auditor":
				m.Role = v
			default:
				return bad(fmt.Sprintf("role %q is not requester, agent, admin or auditor", v))
			}
		case k == "queues" || k == "queue":
			for q := range strings.SplitSeq(v, ",") {
				if q = strings.TrimSpace(q); q != "" {
					m.Queues = append(m.Queues, q)
				}
			}
		default:
			return bad(fmt.Sprintf("unknown key %q", k))
		}
	}
	if m.Role == "" && len(m.Queues) == 0 {
		return bad("neither a role nor queues")
	}
	return m, nil
}
