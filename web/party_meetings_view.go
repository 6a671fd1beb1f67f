package web

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/registry"
)

// PartyMeetingsView is the 三会一课 section of a group's record: shown for a group with a 党组织.
type PartyMeetingsView struct {
	Shown   bool
	Rows    []PartyMeetingRow
	Counts  string // 支部党员大会 3 次 · 支委会 5 次 …
	NewHref string // the form, for a tier that records them; "" otherwise
}

// PartyMeetingRow is one meeting as the record lists it.
type PartyMeetingRow struct {
	Kind       string
	HeldOn     string
	Topic      string
	Attendance int
	By         Who
}

// NewPartyMeetingsView builds the section for a group whose 党组织覆盖 is partyStatus; newHref is "" when the
// account may not record.
func NewPartyMeetingsView(partyStatus string, ms []registry.PartyMeeting, newHref string) PartyMeetingsView {
	v := PartyMeetingsView{Shown: registry.HasPartyOrg(partyStatus) || len(ms) > 0, NewHref: newHref}
	if !registry.HasPartyOrg(partyStatus) {
		v.NewHref = ""
	}
	n := map[registry.MeetingKind]int{}
	for _, m := range ms {
		n[m.Kind]++
		v.Rows = append(v.Rows, PartyMeetingRow{Kind: m.Kind.Label(), HeldOn: Date(m.HeldOn), Topic: m.Topic,
			Attendance: m.Attendance, By: NewWho(m.RecordedBy, m.RecordedAs)})
	}
	for i, k := range registry.MeetingKinds {
		if i > 0 {
			v.Counts += " · "
		}
		v.Counts += k.Label() + " " + strconv.Itoa(n[k]) + " 次"
	}
	return v
}

// PartyMeetingFormView is the form recording one meeting of a group.
type PartyMeetingFormView struct {
	Page
	OrgName     string
	OrgHref     string
	Action      string
	Version     string // the group's record version the form was read at
	Kind        Field
	KindOptions []Option
	HeldOn      Field
	Topic       Field
	Attendance  Field
	Problems    map[string]string
}

// MeetingKindOptions are the 三会一课 as choices, selected marking the chosen one.
func MeetingKindOptions(selected string) []Option {
	var out []Option
	for _, k := range registry.MeetingKinds {
		out = append(out, Option{Value: string(k), Label: k.Label(), Selected: string(k) == selected})
	}
	return out
}
