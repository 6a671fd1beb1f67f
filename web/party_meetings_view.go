package web

import (
	"strconv"
	"strings"

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
	// issue 17: the correction form ("" when the account may not correct), and whether it was corrected
	CorrectHref string
	Corrected   bool
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
		href := ""
		if v.NewHref != "" { // who may record may correct
			href = strings.TrimSuffix(v.NewHref, "/new") + "/" + strconv.FormatInt(m.ID, 10)
		}
		v.Rows = append(v.Rows, newPartyMeetingRow(m, href))
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
	// A correction (issue 17): the reason asked for, and the versions earlier corrections replaced.
	Correcting bool
	Reason     Field
	Revisions  []PartyMeetingRevisionRow
}

// PartyMeetingRevisionRow is a version of a meeting a correction replaced, as its correction page lists it.
type PartyMeetingRevisionRow struct {
	Version string
	PartyMeetingRow
	ReplacedBy Who
	ReplacedAt string
	Reason     string
}

// NewPartyMeetingRevisionRows lists the replaced versions, newest first.
func NewPartyMeetingRevisionRows(rs []registry.PartyMeetingRevision) []PartyMeetingRevisionRow {
	out := make([]PartyMeetingRevisionRow, len(rs))
	for i, r := range rs {
		out[i] = PartyMeetingRevisionRow{Version: "第 " + strconv.Itoa(r.Version) + " 版",
			PartyMeetingRow: newPartyMeetingRow(r.PartyMeeting, ""),
			ReplacedBy:      NewWho(r.ReplacedBy, r.ReplacedAs), ReplacedAt: DateTime(r.ReplacedAt), Reason: r.Reason}
	}
	return out
}

func newPartyMeetingRow(m registry.PartyMeeting, correctHref string) PartyMeetingRow {
	return PartyMeetingRow{Kind: m.Kind.Label(), HeldOn: Date(m.HeldOn), Topic: m.Topic, Attendance: m.Attendance,
		By: NewWho(m.RecordedBy, m.RecordedAs), CorrectHref: correctHref, Corrected: m.Version > 1}
}

// MeetingKindOptions are the 三会一课 as choices, selected marking the chosen one.
func MeetingKindOptions(selected string) []Option {
	var out []Option
	for _, k := range registry.MeetingKinds {
		out = append(out, Option{Value: string(k), Label: k.Label(), Selected: string(k) == selected})
	}
	return out
}
