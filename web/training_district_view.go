package web

import (
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/registry"
)

// TrainingTrainees is the digest of the people trained in a year.
func (p Paths) TrainingTrainees() string { return p.Training() + "/trainees" }

// TrainingTraineesOf is the digest of year, narrowed to the people of division when one is named.
func (p Paths) TrainingTraineesOf(year int, division string) string {
	u := p.TrainingTrainees() + "?year=" + strconv.Itoa(year)
	if division != "" {
		u += "&division=" + division
	}
	return u
}

// TrainingReachOf is the reach page of year, drilled down to a town when one is named.
func (p Paths) TrainingReachOf(year int, town string) string {
	u := p.TrainingReach() + "?year=" + strconv.Itoa(year)
	if town != "" {
		u += "&town=" + town
	}
	return u
}

// TraineeDigestView is the people trained in a year inside the account's scope (or one town of the district's):
// each person once, with who trained them.
type TraineeDigestView struct {
	Page
	Back        string
	Year        int
	YearOptions []Option
	Action      string
	Divisions   []Option // the district's towns, a town's communities: the drill-down
	Division    string
	Reach       string
	People      []TraineeDigestRow
	Capped      bool
}

// TraineeDigestRow is one person of the digest.
type TraineeDigestRow struct {
	TraineeRow
	Town      string
	TrainedBy string
}

// NewTraineeDigestRow formats p.
func NewTraineeDigestRow(paths Paths, p registry.Trainee) TraineeDigestRow {
	return TraineeDigestRow{TraineeRow: NewTraineeRow(paths, p), Town: orDash(p.TownName),
		TrainedBy: strings.Join(p.TrainedBy, "、")}
}
