package registry

import "time"

// OrgFiling is one filing of an organization, as its record lists it: the record links each, and the approved
// 成立备案 carries the 备案证明.
type OrgFiling struct {
	ID        int64
	Kind      FilingKind
	Status    FilingStatus
	Submitted time.Time
	Decided   *time.Time
}

// OrgEvaluation is an organization's latest 评估评议 as its record shows it.
type OrgEvaluation struct {
	Year  int
	Grade Grade
	At    time.Time
}
