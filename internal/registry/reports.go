package registry

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ReportSeries are the 主题系列 of the action plan's §(三), with 其他 for the rest.
var ReportSeries = []string{"邻里守望", "共建共治共享", "共创平安", "文化铸魂", "其他"}

// ReportCategories are the 活动类别 a report is filed under.
var ReportCategories = []string{"志愿服务", "协商议事", "矛盾调解", "文体活动", "培训讲座", "走访慰问", "环境整治", "其他"}

// ActivityReport is one revision of an activity report (活动报告). A report is the chain of revisions sharing
// ReportNo; the current revision is the one not superseded.
type ActivityReport struct {
	ID                 int64
	ReportNo           int64
	Revision           int
	SupersededBy       *int64
	SupersededAt       *time.Time
	CorrectionReason   string // 更正说明 of this revision; empty for the first
	OrgID              int64
	OrgName            string
	TownCode           string
	TownName           string
	CommunityCode      string
	CommunityName      string
	ActivityDate       time.Time
	Title              string
	Place              string
	Series             string
	Category           string
	Participants       int
	Volunteers         int
	VolunteerTenths    int64          // 志愿服务时长 in tenths of an hour (numeric(8,1) without floating point)
	Beneficiaries      map[string]int // 服务对象 group → people served
	BeneficiariesTotal int
	Description        string
	SubmittedByName    string // the username
	SubmittedByDisplay string // the account's display name, "" for the seed
	SubmittedAt        time.Time
	Demo               bool
	Version            int
}

// Current reports whether this revision is the report's current one.
func (r ActivityReport) Current() bool { return r.SupersededAt == nil }

// ReportInput is what the report form gives. The group's id is all that says where the report belongs: the
// store copies district, town and community from the group, and only from a live group inside the scope.
type ReportInput struct {
	OrgID           int64
	ActivityDate    time.Time
	Title           string
	Place           string
	Series          string
	Category        string
	Participants    int
	Volunteers      int
	VolunteerTenths int64
	Beneficiaries   map[string]int // groups with a count above zero
	Description     string
	Demo            bool
}

// Total is the number of people served over every 服务对象 group.
func (in ReportInput) Total() int {
	n := 0
	for _, v := range in.Beneficiaries {
		n += v
	}
	return n
}

// ReportPhotoInput is a stored photo to record with a revision.
type ReportPhotoInput struct {
	ContentType string
	Size        int64
	Width       int
	Height      int
	StorageKey  string
	ThumbKey    string
	ThumbType   string
	SHA256      string
}

// ReportPhoto is a photo of one revision.
type ReportPhoto struct {
	ID          int64
	ReportID    int64
	Position    int
	ContentType string
	SizeBytes   int64
	Width       int
	Height      int
	StorageKey  string
	ThumbKey    string
	ThumbType   string
}

// ReportGroup is a group a report may be filed for.
type ReportGroup struct {
	ID   int64
	Name string
	Live bool
}

// ReportFilter narrows a list of reports. Empty fields do not filter; the handler checks every value against
// the caller's scope and the word lists first, and the scope clause bounds every query whatever the filter says.
type ReportFilter struct {
	TownCode      string
	CommunityCode string
	OrgID         int64
	Series        string
	Category      string
	From          *time.Time // activity date, inclusive
	To            *time.Time // activity date, inclusive
}

// Summary describes the filter for the audit log: codes, words from fixed lists and dates only.
func (f ReportFilter) Summary() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("town", f.TownCode)
	add("community", f.CommunityCode)
	if f.OrgID != 0 {
		add("org", strconv.FormatInt(f.OrgID, 10))
	}
	add("series", f.Series)
	add("category", f.Category)
	if f.From != nil {
		add("from", f.From.Format("2006-01-02"))
	}
	if f.To != nil {
		add("to", f.To.Format("2006-01-02"))
	}
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, " ")
}

// ReportCursor is where a keyset page starts: after the report with this activity date and id, in the lists'
// order (newest activity first). The zero cursor is the first page.
type ReportCursor struct {
	Date time.Time
	ID   int64
}

// check refuses a series or category that is not on its list: the handler refuses it first, with a message at
// the field, and the statements write the words into their text.
func (f ReportFilter) Check() error {
	if f.Series != "" && !slices.Contains(ReportSeries, f.Series) ||
		f.Category != "" && !slices.Contains(ReportCategories, f.Category) {
		return fmt.Errorf("report filter: series %q or category %q is not on its list", f.Series, f.Category)
	}
	return nil
}

// ReportPage is one list page and the list's total from the kept counts.
type ReportPage struct {
	Rows  []ActivityReport
	Count ReportCount
}

// ReportCount is a list's total: exact when Known, else the kept counts cannot answer the filter.
type ReportCount struct {
	N     int
	Known bool
}

// KeptCountable reports whether the kept counts (report_counts, per community, series and category) answer
// f's total exactly: any filter but a group or a period.
func (f ReportFilter) KeptCountable() bool { return f.OrgID == 0 && f.From == nil && f.To == nil }
