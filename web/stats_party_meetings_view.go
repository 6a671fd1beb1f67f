package web

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/registry"
)

// PartyMeetingStatsView is the 三会一课 section of the statistics page: the selected year's quarters.
type PartyMeetingStatsView struct {
	Year         string
	WithPartyOrg string
	Rows         []PartyMeetingStatRow
	None         bool // no meeting recorded in the year: the page says so
}

// PartyMeetingStatRow is one quarter.
type PartyMeetingStatRow struct {
	Quarter, Meetings, Attendance, GroupsMet, Share string
}

// NewPartyMeetingStatsView formats s.
func NewPartyMeetingStatsView(s registry.PartyMeetingStats) PartyMeetingStatsView {
	v := PartyMeetingStatsView{Year: strconv.Itoa(s.Year), WithPartyOrg: strconv.FormatInt(s.WithPartyOrg, 10), None: true}
	for _, q := range s.Quarters {
		share := "—"
		if s.WithPartyOrg > 0 {
			share = strconv.FormatFloat(s.Share(q), 'f', 1, 64) + "%"
		}
		v.Rows = append(v.Rows, PartyMeetingStatRow{Quarter: "第" + strconv.Itoa(q.Quarter) + "季度",
			Meetings: strconv.FormatInt(q.Meetings, 10), Attendance: strconv.FormatInt(q.Attendance, 10),
			GroupsMet: strconv.FormatInt(q.GroupsMet, 10), Share: share})
		v.None = v.None && q.Meetings == 0
	}
	return v
}
