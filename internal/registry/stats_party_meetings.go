package registry

// PartyMeetingQuarter is one quarter's 三会一课 in a division: meetings held, people attending in all, and how
// many groups met at least once.
type PartyMeetingQuarter struct {
	Year       int // in a trend; the year's own quarters leave it 0
	Quarter    int // 1–4
	Meetings   int64
	Attendance int64
	GroupsMet  int64
}

// PartyMeetingStats are the 三会一课 of a division's groups over a year, by quarter, beside the live groups that
// have a 党组织 (单独建立 or 联合建立) now, which hold them.
type PartyMeetingStats struct {
	Year         int
	Area         StatArea              // urban 社区, rural 村, the 试点 communities, or all
	Quarters     []PartyMeetingQuarter // the four quarters, in order
	Trend        []PartyMeetingQuarter // every quarter from FirstStatYear to the current one, in order
	WithPartyOrg int64
}

// Share is the part of the groups with a 党组织 that met in quarter q (0 when there are none), in per cent.
func (s PartyMeetingStats) Share(q PartyMeetingQuarter) float64 {
	if s.WithPartyOrg == 0 {
		return 0
	}
	return float64(q.GroupsMet) * 100 / float64(s.WithPartyOrg)
}
