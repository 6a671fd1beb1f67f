package web

// View models of 镇街备案: the filing list, the three filing forms, a filing's page, the 备案证明 and its public
// verification page.

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/yubei-cso/portal/internal/registry"
)

// FilingKindLabel is a filing kind as clerks say it.
func FilingKindLabel(k registry.FilingKind) string {
	switch k {
	case registry.FilingEstablish:
		return "成立备案"
	case registry.FilingChange:
		return "变更备案"
	case registry.FilingCancel:
		return "注销备案"
	}
	return string(k)
}

// FilingStatusLabel is a filing status word and its colour.
func FilingStatusLabel(s registry.FilingStatus) (string, StatusClass) {
	switch s {
	case registry.FilingSubmitted:
		return "待审核", StatusWarn
	case registry.FilingApproved:
		return "已备案", StatusOK
	case registry.FilingReturned:
		return "已退回", StatusBad
	}
	return string(s), StatusWarn
}

// FilingStatusOptions is the list's status filter with selected marked.
func FilingStatusOptions(selected registry.FilingStatus) []Option {
	out := []Option{{Value: "", Label: "全部", Selected: selected == ""}}
	for _, s := range []registry.FilingStatus{registry.FilingSubmitted, registry.FilingApproved, registry.FilingReturned} {
		l, _ := FilingStatusLabel(s)
		out = append(out, Option{Value: string(s), Label: l, Selected: s == selected})
	}
	return out
}

// FilingAuthority is the 备案机关 of a town: a 街道 acts through its 办事处, a 镇 or 乡 through its 人民政府.
func FilingAuthority(townName, townKind string) string {
	if townKind == "街道" || strings.HasSuffix(townName, "街道") {
		return "重庆市渝北区" + townName + "办事处"
	}
	return "重庆市渝北区" + townName + "人民政府"
}

// FilingsView lists filings, newest first, one keyset page at a time.
type FilingsView struct {
	Page
	Base          string // /town/filings or /district/filings
	CanFile       bool   // towns file; the district only reads
	ShowTown      bool
	Divisions     DivisionFilter
	Status        Field
	StatusOptions []Option
	Kind          Field
	KindOptions   []Option
	Problems      map[string]string
	Rows          []FilingRow
	Paging        ListPaging
}

// FilingKinds are the kinds of filing in the order forms and filters list them.
var FilingKinds = []registry.FilingKind{registry.FilingEstablish, registry.FilingChange, registry.FilingCancel}

// FilingKindOptions is the list's kind filter with selected marked.
func FilingKindOptions(selected registry.FilingKind) []Option {
	out := []Option{{Value: "", Label: "全部", Selected: selected == ""}}
	for _, k := range FilingKinds {
		out = append(out, Option{Value: string(k), Label: FilingKindLabel(k), Selected: k == selected})
	}
	return out
}

// FilingRow is one filing in a list.
type FilingRow struct {
	ID          int64
	Href        string
	Kind        string
	Name        string
	Town        string
	Community   string
	Status      string
	StatusClass StatusClass
	FilingNo    string
	SubmittedAt string
	DecidedAt   string
}

// NewFilingRow formats one filing for a list under base.
func NewFilingRow(f registry.Filing, base string) FilingRow {
	status, class := FilingStatusLabel(f.Status)
	no := f.FilingNo
	if no == "" {
		no = "—"
	}
	return FilingRow{ID: f.ID, Href: base + "/" + strconv.FormatInt(f.ID, 10), Kind: FilingKindLabel(f.Kind),
		Name: f.Name, Town: f.TownName, Community: f.CommunityName, Status: status, StatusClass: class,
		FilingNo: no, SubmittedAt: DateTime(f.SubmittedAt), DecidedAt: DateTimePtr(f.DecidedAt)}
}

// FilingFormView is the 成立备案 form.
type FilingFormView struct {
	Page
	Base             string
	Problems         map[string]string
	Prefix           string // 渝北区 + the town: fixed by the officer's town
	Community        Field
	CommunityOptions []Option
	Zihao            Field
	Field            Field // 业务领域 part of the name
	Form             Field
	FormOptions      []Option
	CommunityPart    string // the chosen community's name: the name's 社区（村） part
	ComposedName     string
	ServiceFields    []Check
	ServiceFieldsBad string
	Nature           Field
	NatureOptions    []Option
	Beneficiaries    []Check
	FoundedOn        Field
	LeaderName       Field
	LeaderPhone      Field
	LeaderID         Field // never echoed back
	Venue            Field
	Members          Field
	Volunteers       Field
	Funding          Field
	GuideUnit        Field
	PartyStatus      Field
	PartyOptions     []Option
	PartyMembers     Field
	Charter          Field
	PublishContact   bool
	DocCharter       Field
	DocRoster        Field
	Resubmit         bool         // a failed form: files and the ID number must be given again
	Guided           GuidedFiling // a guided group filed on its own record (org_flow_view.go)
}

// NewFilingForm is an empty 成立备案 form.
func NewFilingForm(p Page, base, prefix string, communities []Option, forms []string) FilingFormView {
	return FilingFormView{Page: p, Base: base, Prefix: prefix, CommunityOptions: communities,
		FormOptions: Choices(forms, ""), ServiceFields: Checks(registry.Fields, nil),
		NatureOptions: Choices(registry.Natures, ""), Beneficiaries: Checks(registry.Beneficiaries, nil),
		PartyOptions: Choices(registry.PartyStatuses, "未覆盖"), PartyStatus: Field{Value: "未覆盖"},
		Volunteers: Field{Value: "0"}, PartyMembers: Field{Value: "0"}, Problems: map[string]string{}}
}

// FiledOrgSummary is the organization a 变更 or 注销 filing is about.
type FiledOrgSummary struct {
	Name     string
	FilingNo string
}

// FilingChangeView is the 变更备案 form: current values beside the new ones.
type FilingChangeView struct {
	Page
	Base        string
	Action      string
	Problems    map[string]string
	Org         FiledOrgSummary
	Current     []FilingValue
	LeaderName  Field
	LeaderPhone Field
	LeaderID    Field
	Venue       Field
	Members     Field
	Volunteers  Field
	Funding     Field
	GuideUnit   Field
	Reason      Field
}

// FilingCancelView is the 注销备案 form.
type FilingCancelView struct {
	Page
	Base     string
	Action   string
	Problems map[string]string
	Org      FiledOrgSummary
	CancelOn Field
	Reason   Field
}

// FilingValue is one row of a two-column table.
type FilingValue struct {
	Label string
	Value string
}

// FilingDocumentRow is one document with its download link.
type FilingDocumentRow struct {
	Kind     string
	Filename string
	Size     string
	Href     string
}

// NewFilingDocumentRow formats a document of the filing at filingHref.
func NewFilingDocumentRow(d registry.Document, filingHref string) FilingDocumentRow {
	return FilingDocumentRow{Kind: d.Kind, Filename: d.Filename, Size: FilingFileSize(d.SizeBytes),
		Href: filingHref + "/documents/" + strconv.FormatInt(d.ID, 10)}
}

// FilingFileSize formats a byte count the way file dialogs do.
func FilingFileSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " 字节"
}

// FilingTimelineRow is one step of a filing's history.
type FilingTimelineRow struct {
	At   string
	Who  Who
	What string
	Note string
}

// FilingDetailView is one filing with its data, documents, history and, while it awaits review, the decisions.
type FilingDetailView struct {
	Page
	Base         string
	Href         string
	Title        string
	Kind         string
	Status       string
	StatusClass  StatusClass
	FilingNo     string
	Data         []FilingValue
	Documents    []FilingDocumentRow
	Timeline     []FilingTimelineRow
	CanDecide    bool
	Version      int
	Problems     map[string]string
	ReturnReason Field
	Certificate  string // link to the 备案证明, "" when there is none
	ChangeHref   string // start a 变更备案, "" when not possible
	CancelHref   string // start a 注销备案, "" when not possible
	OrgHref      string // the record of the organization it concerns, "" before it exists
}

func filingDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func filingDate(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return Date(*t)
}

// NewFilingDetail formats a filing. canDecide is whether the viewer may decide it (a town officer, while it
// awaits review); canFile whether they may start 变更/注销 filings from it.
func NewFilingDetail(p Page, base string, f registry.Filing, docs []registry.Document, events []registry.FilingOrgEvent, canDecide, canFile bool) FilingDetailView {
	href := base + "/" + strconv.FormatInt(f.ID, 10)
	status, class := FilingStatusLabel(f.Status)
	v := FilingDetailView{Page: p, Base: base, Href: href, Title: f.Name, Kind: FilingKindLabel(f.Kind),
		Status: status, StatusClass: class, FilingNo: f.FilingNo, Version: f.Version,
		CanDecide: canDecide && f.Status == registry.FilingSubmitted, Problems: map[string]string{}}
	v.Data = append(v.Data, FilingValue{"备案类型", v.Kind}, FilingValue{"名称", f.Name},
		FilingValue{"所属镇街", f.TownName}, FilingValue{"所属社区（村）", f.CommunityName})
	if f.FilingNo != "" {
		v.Data = append(v.Data, FilingValue{"备案编号", f.FilingNo})
	}
	if f.GuidedOrgID != 0 {
		v.Data = append(v.Data, FilingValue{"原村居指导档案", f.GuidedOrgName + "（准予备案后转为镇街备案，沿用该档案，不另建组织）"})
	}
	switch f.Kind {
	case registry.FilingEstablish:
		publish := "不公开"
		if f.PublishContact {
			publish = "公开负责人姓名"
		}
		v.Data = append(v.Data,
			FilingValue{"组织类别", "未登记团体（镇街备案）"},
			FilingValue{"名称组成", f.NameParts.Prefix + " · " + f.NameParts.Community + " · " +
				filingDash(f.NameParts.Zihao) + " · " + f.NameParts.Field + " · " + f.NameParts.Form},
			FilingValue{"服务领域", filingDash(strings.Join(f.Fields, "、"))},
			FilingValue{"性质", filingDash(f.Nature)},
			FilingValue{"服务对象", filingDash(strings.Join(f.Beneficiaries, "、"))},
			FilingValue{"成立日期", filingDate(f.FoundedOn)},
			FilingValue{"负责人", filingDash(f.LeaderName)},
			FilingValue{"负责人电话", filingDash(f.LeaderPhone)},
			FilingValue{"负责人身份证号", filingDash(f.LeaderID)},
			FilingValue{"活动场所", filingDash(f.Venue)},
			FilingValue{"成员人数", strconv.Itoa(f.Members)},
			FilingValue{"志愿者人数", strconv.Itoa(f.Volunteers)},
			FilingValue{"活动资金来源", filingDash(f.Funding)},
			FilingValue{"指导单位", filingDash(f.GuideUnit)},
			FilingValue{"党建", f.PartyStatus + "，党员 " + strconv.Itoa(f.PartyMembers) + " 人"},
			FilingValue{"负责人信息公开", publish},
			FilingValue{"简易章程", filingDash(f.Charter)})
	case registry.FilingChange:
		v.Data = append(v.Data, FilingValue{"变更事项", registry.ChangeLabels(f.Changes)})
		for _, c := range f.Changes {
			switch c {
			case "leader_name":
				v.Data = append(v.Data, FilingValue{"新负责人姓名", f.LeaderName})
			case "leader_phone":
				v.Data = append(v.Data, FilingValue{"新负责人电话", f.LeaderPhone})
			case "leader_id":
				v.Data = append(v.Data, FilingValue{"新负责人身份证号", f.LeaderID})
			case "venue":
				v.Data = append(v.Data, FilingValue{"新活动场所", f.Venue})
			case "members":
				v.Data = append(v.Data, FilingValue{"新成员人数", strconv.Itoa(f.Members)})
			case "volunteers":
				v.Data = append(v.Data, FilingValue{"新志愿者人数", strconv.Itoa(f.Volunteers)})
			case "funding":
				v.Data = append(v.Data, FilingValue{"新活动资金来源", filingDash(f.Funding)})
			case "guide_unit":
				v.Data = append(v.Data, FilingValue{"新指导单位", filingDash(f.GuideUnit)})
			}
		}
		v.Data = append(v.Data, FilingValue{"变更说明", filingDash(f.Reason)})
	case registry.FilingCancel:
		v.Data = append(v.Data, FilingValue{"注销日期", filingDate(f.CancelOn)},
			FilingValue{"注销原因", f.Reason})
	}
	for _, d := range docs {
		v.Documents = append(v.Documents, NewFilingDocumentRow(d, href))
	}
	v.Timeline = append(v.Timeline, FilingTimelineRow{At: DateTime(f.SubmittedAt),
		Who: NewWho(f.SubmittedByName, f.SubmittedByUsername), What: "提交" + v.Kind})
	if f.DecidedAt != nil {
		what := "准予备案"
		if f.Status == registry.FilingReturned {
			what = "退回"
		}
		note := f.ReturnReason
		if f.SelfDecided {
			note = strings.TrimPrefix(note+"；本镇街仅一名在岗工作人员，由提交人本人审核", "；")
		}
		v.Timeline = append(v.Timeline, FilingTimelineRow{At: DateTimePtr(f.DecidedAt),
			Who: NewWho(f.DecidedByName, f.DecidedByUsername), What: what, Note: note})
	}
	for _, e := range events {
		note := e.To
		switch e.Kind {
		case "created", "tier_changed":
			note = registry.Tier(e.To).Label()
		case "filing_cancelled":
			note = registry.Status(e.From).Label() + " → " + registry.Status(e.To).Label()
		}
		if e.Reason != "" {
			note = strings.TrimPrefix(note+"；"+e.Reason, "；")
		}
		v.Timeline = append(v.Timeline, FilingTimelineRow{At: DateTime(e.At),
			Who: NewWho(e.ActorDisplayName, e.ActorName), What: "组织档案：" + registry.EventLabel(e.Kind), Note: note})
	}
	if f.OrgID != 0 {
		v.OrgHref = strings.TrimSuffix(base, "/filings") + "/orgs/" + strconv.FormatInt(f.OrgID, 10)
	}
	if f.Status == registry.FilingApproved && f.OrgTier == registry.TierFiled {
		v.Certificate = href + "/certificate"
		if canFile && f.OrgStatus.Live() {
			org := strconv.FormatInt(f.OrgID, 10)
			v.ChangeHref = base + "/new-change?org=" + org
			v.CancelHref = base + "/new-cancel?org=" + org
		}
	}
	return v
}

// CertificateView is a printable 备案证明.
type CertificateView struct {
	Page
	Back      string
	Name      string
	FilingNo  string
	Leader    string
	Venue     string
	Scope     string // 业务范围: the 服务领域 and 性质
	Community string
	FiledOn   string
	Authority string
	QR        templ.SafeURL // data:image/png;base64,… of the verification address
	VerifyURL string
	Dissolved string // "" while valid; otherwise when it was cancelled
}

// NewCertificate formats a 备案证明 whose QR code opens verifyURL.
func NewCertificate(p Page, back string, c registry.Certificate, verifyURL string) (CertificateView, error) {
	qr, err := QRDataURL(verifyURL)
	if err != nil {
		return CertificateView{}, err
	}
	scope := strings.Join(c.Fields, "、")
	if c.Nature != "" {
		scope = filingDash(scope) + "（" + c.Nature + "）"
	}
	v := CertificateView{Page: p, Back: back, Name: c.Name, FilingNo: c.FilingNo, Leader: filingDash(c.LeaderName),
		Venue: filingDash(c.Venue), Scope: filingDash(scope), Community: c.CommunityName, FiledOn: Date(c.FiledAt),
		Authority: FilingAuthority(c.TownName, c.TownKind), QR: qr, VerifyURL: verifyURL}
	if !c.Status.Live() {
		v.Dissolved = c.Status.Label() + "（" + filingDate(c.StatusOn) + "）"
	}
	return v, nil
}

// QRDataURL renders content as a QR code in a PNG data: URL for an <img>. The URL is built here from bytes we
// encoded ourselves, which is why marking it safe for the template is sound (the CSP allows img-src data:).
func QRDataURL(content string) (templ.SafeURL, error) {
	png, err := qrcode.Encode(content, qrcode.Medium, 256)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	b.WriteString("data:image/png;base64,")
	b.WriteString(base64.StdEncoding.EncodeToString(png))
	return templ.SafeURL(b.String()), nil
}

// VerifyView is the public check of a 备案证明.
type VerifyView struct {
	Page
	Name        string
	FilingNo    string
	Authority   string
	FiledOn     string
	Status      string
	StatusClass StatusClass
	Leader      string // "" unless the group publishes it
}

// NewVerify formats a verification; it carries nothing personal but a published leader name.
func NewVerify(p Page, v registry.Verification) VerifyView {
	out := VerifyView{Page: p, Name: v.Name, FilingNo: v.FilingNo, Authority: FilingAuthority(v.TownName, v.TownKind),
		FiledOn: Date(v.FiledAt), Status: "有效", StatusClass: StatusOK, Leader: v.LeaderName}
	if !v.Status.Live() {
		out.Status, out.StatusClass = v.Status.Label()+"（"+filingDate(v.StatusOn)+"）", StatusBad
	}
	return out
}

// FilingExportHeader is the header row of a filing export. Personal data appears masked only.
var FilingExportHeader = []string{"系统编号", "名称", "备案类型", "所在镇街", "社区(村)", "状态", "备案编号", "负责人",
	"负责人电话（已隐去部分号码）", "负责人身份证号（已隐去部分号码）", "成员人数", "志愿者人数", "变更事项", "说明",
	"退回理由", "提交人", "提交时间", "审核时间"}

// FilingExportCells is one filing as an export row, appended to dst[:0] so that a long export reuses one slice.
// Text is neutralised against formulas by the export package, not here.
func FilingExportCells(f registry.Filing, dst []any) []any {
	status, _ := FilingStatusLabel(f.Status)
	decided := ""
	if f.DecidedAt != nil {
		decided = DateTime(*f.DecidedAt)
	}
	return append(dst[:0], f.ID, f.Name, FilingKindLabel(f.Kind), f.TownName, f.CommunityName, status, f.FilingNo,
		f.LeaderName, f.LeaderPhone, f.LeaderID, f.Members, f.Volunteers, registry.ChangeLabels(f.Changes), f.Reason,
		f.ReturnReason, NewWho(f.SubmittedByName, f.SubmittedByUsername).Name, DateTime(f.SubmittedAt), decided)
}
