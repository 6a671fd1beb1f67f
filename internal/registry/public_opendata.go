// Open data: the public fields of every organization, shaped after Open Referral HSDS 3.0 (organization,
// service, location), with identifiers that stay the same from one extract to the next, and the dictionary
// that documents every column.
package registry

import (
	"crypto/sha1"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
)

// OpenOrg is one organization as the open data carries it: public fields only.
type OpenOrg struct {
	ID            int64
	Name          string
	Tier          Tier
	LegalForm     string
	USCC          string
	FilingNo      string
	TownCode      string
	TownName      string
	CommunityCode string
	CommunityName string
	Fields        []string
	Nature        string
	Beneficiaries []string
	FoundedOn     *time.Time
	Status        Status
	StatusOn      *time.Time
	StatusReason  string
	OfficePhone   string
	OfficeAddress string
	UpdatedAt     time.Time
}

// OpenColumn is one documented column of an open-data file.
type OpenColumn struct {
	Name    string
	Type    string // string, date, uuid, url, list (separated by ;)
	HSDS    string // the HSDS field it fills, "" for this registry's own (prefixed x_)
	Meaning string
}

// OpenDataset is one table of the open data: organizations, services or locations.
type OpenDataset struct {
	Name    string // file stem and JSON key
	Title   string
	Columns []OpenColumn
}

// OpenDatasets are the three tables in the order they are offered. Every column of every file and every key
// of the JSON is listed here; a test holds the files to it.
var OpenDatasets = []OpenDataset{
	{Name: "organizations", Title: "组织（organization）", Columns: []OpenColumn{
		{"id", "uuid", "organization.id", "组织的稳定标识：由本平台的内部编号按 UUID v5 生成，每次导出不变"},
		{"name", "string", "organization.name", "组织名称"},
		{"description", "string", "organization.description", "简介：管理层级、组织形式、所在社区（村）"},
		{"tax_id", "string", "organization.tax_id", "统一社会信用代码（登记的组织；其他为空）"},
		{"legal_status", "string", "organization.legal_status", "组织形式：社会团体、民办非企业单位、基金会或未登记团体"},
		{"year_incorporated", "string", "organization.year_incorporated", "成立年份（未知为空）"},
		{"uri", "url", "organization.uri", "本平台上的公开页面"},
		{"x_tier", "string", "", "管理层级：登记、镇街备案、村居指导"},
		{"x_filing_no", "string", "", "备案编号（镇街备案的组织；其他为空）"},
		{"x_founded_on", "date", "", "成立日期（YYYY-MM-DD，未知为空）"},
		{"x_status", "string", "", "状态：正常、活动异常、已注销、已撤销"},
		{"x_status_date", "date", "", "注销或撤销的日期（YYYY-MM-DD；正常的组织为空）"},
		{"x_status_reason", "string", "", "注销或撤销的原因（正常的组织为空）"},
		{"x_town_code", "string", "", "所在镇街的统计用区划代码（9 位）"},
		{"x_town_name", "string", "", "所在镇街名称"},
		{"x_community_code", "string", "", "所在社区（村）的统计用区划代码（12 位）"},
		{"x_community_name", "string", "", "所在社区（村）名称"},
		{"x_updated_at", "date", "", "该组织记录最后修改的日期（YYYY-MM-DD）"},
		{"x_extract_date", "date", "", "本次导出的日期（YYYY-MM-DD，北京时间）"},
	}},
	{Name: "services", Title: "服务（service）", Columns: []OpenColumn{
		{"id", "uuid", "service.id", "服务的稳定标识：每个组织一项，按 UUID v5 生成，每次导出不变"},
		{"organization_id", "uuid", "service.organization_id", "提供服务的组织（organizations.id）"},
		{"name", "string", "service.name", "服务名称：组织名称及其服务领域"},
		{"description", "string", "service.description", "服务领域、性质和服务对象的说明"},
		{"status", "string", "service.status", "HSDS 状态：active（正常）、inactive（活动异常）、defunct（已注销或已撤销）"},
		{"x_fields", "list", "", "服务领域，多项以分号分隔"},
		{"x_nature", "string", "", "性质：服务性、公益性、互助性（未填为空）"},
		{"x_beneficiaries", "list", "", "服务对象，多项以分号分隔"},
		{"x_extract_date", "date", "", "本次导出的日期（YYYY-MM-DD，北京时间）"},
	}},
	{Name: "locations", Title: "地点（location）", Columns: []OpenColumn{
		{"id", "uuid", "location.id", "地点的稳定标识：每个组织一处，按 UUID v5 生成，每次导出不变"},
		{"organization_id", "uuid", "location.organization_id", "该地点所属的组织（organizations.id）"},
		{"location_type", "string", "location.location_type", "HSDS 地点类型，均为 physical"},
		{"name", "string", "location.name", "地点名称：组织所在的社区（村）"},
		{"description", "string", "location.description", "说明：通过社区（村）办公室联系该组织"},
		{"x_office_address", "string", "", "社区（村）委会办公地址（公开的办公地址；未设置为空）"},
		{"x_office_phone", "string", "", "社区（村）委会办公电话（公开的办公电话；未设置为空）"},
		{"x_community_code", "string", "", "社区（村）的统计用区划代码（12 位）"},
		{"x_extract_date", "date", "", "本次导出的日期（YYYY-MM-DD，北京时间）"},
	}},
}

// OpenDatasetNamed returns the dataset named name.
func OpenDatasetNamed(name string) (OpenDataset, bool) {
	for _, d := range OpenDatasets {
		if d.Name == name {
			return d, true
		}
	}
	return OpenDataset{}, false
}

// Header is the dataset's column names in order.
func (d OpenDataset) Header() []string {
	h := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		h[i] = c.Name
	}
	return h
}

// openNamespace is the UUID namespace of this registry's identifiers: fixed here once, so that the identifiers
// never change.
var openNamespace = mustHex("6f0b1d5e2a7c5b1f9e4d3c2b1a098765")

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// OpenID is the stable identifier of an organization's record of kind (organization, service, location): a
// UUID v5 of the kind and the registry's own id, so that an extract next year names the same records alike.
func OpenID(kind string, id int64) string {
	h := sha1.New()
	h.Write(openNamespace)
	h.Write([]byte(kind + ":" + strconv.FormatInt(id, 10)))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	x := hex.EncodeToString(u)
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

func ymd(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("2006-01-02")
}

// hsdsStatus is a status in HSDS's words for a service.
func hsdsStatus(s Status) string {
	switch s {
	case StatusNormal:
		return "active"
	case StatusAbnormal:
		return "inactive"
	}
	return "defunct"
}

// OpenRecord is o's row of dataset, in the order of its columns. base is the portal's public address (for the
// profile's uri) and extract the day of the extract.
func OpenRecord(dataset string, o OpenOrg, base, extract string) []string {
	reason := o.StatusReason
	statusOn := ymd(o.StatusOn)
	if o.Status.Live() {
		reason, statusOn = "", ""
	}
	switch dataset {
	case "organizations":
		year := ""
		if o.FoundedOn != nil {
			year = strconv.Itoa(o.FoundedOn.Year())
		}
		upd := o.UpdatedAt.In(portal.Beijing).Format("2006-01-02")
		return []string{OpenID("organization", o.ID), o.Name,
			o.Tier.Label() + "，" + o.LegalForm + "，" + o.TownName + o.CommunityName,
			o.USCC, o.LegalForm, year, base + "/orgs/" + strconv.FormatInt(o.ID, 10),
			o.Tier.Label(), o.FilingNo, ymd(o.FoundedOn), o.Status.Label(), statusOn, reason,
			o.TownCode, o.TownName, o.CommunityCode, o.CommunityName, upd, extract}
	case "services":
		desc := "服务领域：" + orNone(strings.Join(o.Fields, "、"))
		if o.Nature != "" {
			desc += "；性质：" + o.Nature
		}
		desc += "；服务对象：" + orNone(strings.Join(o.Beneficiaries, "、"))
		return []string{OpenID("service", o.ID), OpenID("organization", o.ID), o.Name + "（" + orNone(strings.Join(o.Fields, "、")) + "）",
			desc, hsdsStatus(o.Status), strings.Join(o.Fields, ";"), o.Nature, strings.Join(o.Beneficiaries, ";"), extract}
	case "locations":
		return []string{OpenID("location", o.ID), OpenID("organization", o.ID), "physical",
			o.TownName + o.CommunityName, "通过" + o.CommunityName + "委会办公室联系该组织",
			o.OfficeAddress, o.OfficePhone, o.CommunityCode, extract}
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "未填写"
	}
	return s
}
