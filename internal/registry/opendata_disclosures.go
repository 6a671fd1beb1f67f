package registry

// Open data of 信息公开: every published revision of every group's disclosures (年度工作报告, 收支情况, 重大事项),
// the current one and the superseded ones marked as such, with identifiers stable across extracts. Disclosures
// are public once published; the file carries what the profile shows and nothing else (no publisher's name).

import (
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/portal"
)

// OpenDisclosureDataset is the disclosures table; not an HSDS table, so its columns fill no HSDS field, but it
// joins the organizations table by organization_id.
var OpenDisclosureDataset = OpenDataset{Name: "disclosures", Title: "信息公开（disclosure）", Columns: []OpenColumn{
	{"id", "uuid", "", "该版本的稳定标识：每次更正产生新版本，各有其标识，每次导出不变"},
	{"disclosure_id", "uuid", "", "该项公开的稳定标识：同一项公开的各个版本相同"},
	{"organization_id", "uuid", "", "公开信息的组织（organizations.id）"},
	{"revision", "string", "", "版本号：1 为首次公开，每更正一次加 1"},
	{"status", "string", "", "current（现行版本）或 superseded（已被更正，保留备查）"},
	{"superseded_date", "date", "", "被更正的日期（YYYY-MM-DD；现行版本为空）"},
	{"correction_reason", "string", "", "本版本更正了什么（首次公开为空）"},
	{"kind", "string", "", "类别：annual（年度工作报告）、finance（收支情况）、major（重大事项）"},
	{"kind_label", "string", "", "类别的中文名称"},
	{"title", "string", "", "标题"},
	{"disclosed_date", "date", "", "公开事项的日期（YYYY-MM-DD）"},
	{"body", "string", "", "公开的内容（收支情况可为空）"},
	{"income_total", "string", "", "收支情况的收入合计，单位元，两位小数（其他类别为空）"},
	{"spending_total", "string", "", "收支情况的支出合计，单位元，两位小数（其他类别为空）"},
	{"lines", "list", "", "收支情况的分类明细，每项为“收入|类别|金额”或“支出|类别|金额”（元），多项以分号分隔"},
	{"published_date", "date", "", "该版本在平台上公开的日期（YYYY-MM-DD，北京时间）"},
	{"uri", "url", "", "该组织的公开页面（信息公开在页面中）"},
	{"x_extract_date", "date", "", "本次导出的日期（YYYY-MM-DD，北京时间）"},
}}

// OpenDisclosureLine is one finance line as the JSON carries it.
type OpenDisclosureLine struct {
	Side     string `json:"side"`
	Category string `json:"category"`
	Amount   string `json:"amount"`
}

// OpenDisclosureLines are d's finance lines with amounts in 元.
func OpenDisclosureLines(d Disclosure) []OpenDisclosureLine {
	out := make([]OpenDisclosureLine, 0, len(d.Lines))
	for _, l := range d.Lines {
		out = append(out, OpenDisclosureLine{Side: l.Side, Category: l.Category, Amount: l.Amount.Plain()})
	}
	return out
}

// OpenDisclosureRecord is d's row of the disclosures table, in the order of its columns.
func OpenDisclosureRecord(d Disclosure, base, extract string) []string {
	status, superseded := "current", ""
	if d.SupersededAt != nil {
		status, superseded = "superseded", d.SupersededAt.In(portal.Beijing).Format("2006-01-02")
	}
	var income, spending string
	var lines []string
	if d.Kind == DisclosureFinance {
		var in, out Fen
		for _, l := range d.Lines {
			side := "支出"
			if l.Side == SideIncome {
				side, in = "收入", in+l.Amount
			} else {
				out += l.Amount
			}
			lines = append(lines, side+"|"+l.Category+"|"+l.Amount.Plain())
		}
		income, spending = in.Plain(), out.Plain()
	}
	return []string{OpenID("disclosure", d.ID), OpenID("disclosure-no", d.No), OpenID("organization", d.OrgID),
		strconv.Itoa(d.Revision), status, superseded, d.CorrectionReason, string(d.Kind), d.Kind.Label(), d.Title,
		d.DisclosedOn.Format("2006-01-02"), d.Body, income, spending, strings.Join(lines, ";"),
		d.PublishedAt.In(portal.Beijing).Format("2006-01-02"), base + "/orgs/" + strconv.FormatInt(d.OrgID, 10),
		extract}
}
