package web

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/registry"
)

// OrgLinks is what the record of an organization links beyond itself: its filings with the 备案证明 and the
// 变更/注销备案 a town may start from it, and its 评估评议 with the latest grade.
type OrgLinks struct {
	Filings         []OrgFilingLink
	CertificateHref string // the 备案证明 of its approved 成立备案, "" when it has none or the tier sees no filings
	ChangeHref      string // start a 变更备案, "" when the viewer may not or one is open
	CancelHref      string // start a 注销备案, likewise
	EvaluationsHref string
	Grade           string // 2021年度 良好, "" when never evaluated
	GradeClass      StatusClass
}

// OrgFilingLink is one filing of the organization on its record.
type OrgFilingLink struct {
	Href, Kind, Status, Date string
	StatusClass              StatusClass
}

// OrgLinksInput is what the handler knows for the links: the tier's filings pages ("" when it sees none),
// whether it may start a 变更/注销备案, and the organization's filings and latest evaluation.
type OrgLinksInput struct {
	FilingsBase     string
	MayFile         bool
	Filings         []registry.OrgFiling
	Evaluation      *registry.OrgEvaluation
	EvaluationsHref string
}

// SetLinks adds the links of in to the record of o.
func (v *OrgDetailView) SetLinks(o registry.Organization, in OrgLinksInput) {
	l := OrgLinks{EvaluationsHref: in.EvaluationsHref}
	if e := in.Evaluation; e != nil {
		l.Grade = strconv.Itoa(e.Year) + "年度 " + e.Grade.Label()
		l.GradeClass = StatusOK
		if e.Grade == registry.GradeFail {
			l.GradeClass = StatusBad
		}
	}
	open := false
	if in.FilingsBase != "" {
		for _, f := range in.Filings {
			href := in.FilingsBase + "/" + strconv.FormatInt(f.ID, 10)
			status, class := FilingStatusLabel(f.Status)
			date := Date(f.Submitted)
			if f.Decided != nil {
				date = Date(*f.Decided)
			}
			l.Filings = append(l.Filings, OrgFilingLink{Href: href, Kind: FilingKindLabel(f.Kind), Status: status,
				StatusClass: class, Date: date})
			if f.Kind == registry.FilingEstablish && f.Status == registry.FilingApproved {
				l.CertificateHref = href + "/certificate"
			}
			open = open || f.Status == registry.FilingSubmitted
		}
	}
	if in.MayFile && o.Tier == registry.TierFiled && o.Status.Live() && !open {
		org := strconv.FormatInt(o.ID, 10)
		l.ChangeHref = in.FilingsBase + "/new-change?org=" + org
		l.CancelHref = in.FilingsBase + "/new-cancel?org=" + org
	}
	v.Links = l
}

// EndConfirm is what the committee's 注销 form asks before anything changes.
func (v OrgDetailView) EndConfirm() string {
	return "确定注销“" + v.Name + "”吗？注销后该组织不再计入在册组织，名称可被其他组织使用；注销将记入组织档案的时间线和审计日志，恢复须由镇街办理。"
}
