package ledger

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// The 台账's columns, as the template's header row names them.
const (
	ColCommunity  = "社区(村)名称" // a town's 台账 only: a committee's rows are all its own community's
	ColZihao      = "字号"
	ColField      = "业务领域"
	ColForm       = "组织形式"
	ColFields     = "服务领域" // several, separated by 、
	ColNature     = "性质"
	ColFoundedOn  = "成立日期"
	ColLeader     = "负责人"
	ColPhone      = "负责人电话"
	ColIDNumber   = "负责人身份证号"
	ColVenue      = "活动场所"
	ColMembers    = "成员人数"
	ColVolunteers = "志愿者人数"
	// ColPublish is the group's consent to publish its 负责人's name on its public profile: 是 or 否, blank 否.
	ColPublish = "同意公开负责人姓名"
	// ColName is where a problem of the name as a whole (a duplicate) is reported.
	ColName = "名称"
)

// Columns are the template's columns in order; a committee's template has no community column.
func Columns(withCommunity bool) []string {
	cols := []string{ColZihao, ColField, ColForm, ColFields, ColNature, ColFoundedOn, ColLeader, ColPhone,
		ColIDNumber, ColVenue, ColMembers, ColVolunteers, ColPublish}
	if withCommunity {
		return append([]string{ColCommunity}, cols...)
	}
	return cols
}

// requiredColumns must be in every 台账; the others may be left out of a hand-made sheet.
var requiredColumns = []string{ColZihao, ColField, ColForm, ColFields, ColNature, ColLeader, ColPhone}

func missingColumns(index map[string]int) []string {
	var out []string
	for _, c := range requiredColumns {
		if _, ok := index[c]; !ok {
			out = append(out, c)
		}
	}
	return out
}

// examplePrefix starts the 负责人 of the template's example row, so that an example left in the sheet is caught.
const examplePrefix = "示例"

// Community is a community rows may be imported into, with the 行政区划 part of its groups' names.
type Community struct {
	Code   string
	Name   string // 锦华社区, 石坪村
	Prefix string // 渝北区双龙湖街道
}

// Checker checks a 台账 for one clerk.
type Checker struct {
	// Communities are those the clerk may import into: a town's communities, or a committee's own.
	Communities []Community
	// Own is set for a 村(居)委会: every row belongs to its community, and a community column may only name it.
	Own *Community
	Now time.Time
}

// Entry is one row that passed every check, as the registry needs it.
type Entry struct {
	Row         int
	Community   Community
	Parts       rules.NameParts
	Fields      []string
	Nature      string
	FoundedOn   *time.Time
	LeaderName  string
	LeaderPhone string // normalized
	LeaderID    string // normalized, "" when not given
	Venue       string
	Members     int
	Volunteers  int
	// PublishContact is the group's consent to show LeaderName on its public profile; off unless the row says 是.
	PublishContact bool
}

// Name is the entry's full name.
func (e Entry) Name() string { return rules.ComposeName(e.Parts) }

// Problem is one bad cell: its row in the sheet, its column, its value (phone and 身份证号 masked) and why.
type Problem struct {
	Row    int
	Column string
	Value  string
	Reason string
}

// Check is the check of one 台账 under way. Rows are added one at a time as they are read, so that the caller
// can say how far it has come; a 台账 is imported only when Problems stays empty to the end.
type Check struct {
	c        Checker
	byName   map[string]Community
	firstRow map[string]int // the row each good name was first seen on, to find names repeated in the file
	// Rows is how many rows were added.
	Rows int
	// Entries are the rows that passed every check.
	Entries []Entry
	// Problems are every bad cell found so far, in row order.
	Problems []Problem
}

// Begin starts checking a 台账 whose header names columns. A town's 台账 without a community column is refused.
func (c Checker) Begin(columns []string) (*Check, error) {
	if c.Own == nil && !slices.Contains(columns, ColCommunity) {
		return nil, refuse("第 1 行缺少列：" + ColCommunity + "。镇街导入须写明每个组织所在的社区(村)，请使用下载的模板")
	}
	byName := make(map[string]Community, len(c.Communities))
	for _, com := range c.Communities {
		if _, dup := byName[com.Name]; !dup {
			byName[com.Name] = com
		}
	}
	return &Check{c: c, byName: byName, firstRow: map[string]int{}}, nil
}

// Add checks one row with the rules of the guided-group form and against the names of the rows before it.
func (k *Check) Add(row Row) {
	k.Rows++
	e, ps := k.c.checkRow(row, k.byName, k.c.Now)
	if len(ps) == 0 {
		name := e.Name()
		if first, dup := k.firstRow[name]; dup {
			ps = append(ps, Problem{Row: row.Number, Column: ColName, Value: name,
				Reason: "与第 " + strconv.Itoa(first) + " 行的组织名称重复"})
		} else {
			k.firstRow[name] = row.Number
		}
	}
	if len(ps) > 0 {
		k.Problems = append(k.Problems, ps...)
		return
	}
	k.Entries = append(k.Entries, e)
}

// beijing is 北京时间 (UTC+8 without daylight saving since 1991).
var beijing = portal.Beijing

func (c Checker) checkRow(row Row, byName map[string]Community, now time.Time) (Entry, []Problem) {
	e := Entry{Row: row.Number}
	var ps []Problem
	bad := func(col, value, reason string) {
		ps = append(ps, Problem{Row: row.Number, Column: col, Value: shorten(value), Reason: reason})
	}
	get := func(col string) string { return row.Cells[col] }
	text := func(col string, max int, required bool) string {
		v := get(col)
		switch n := utf8.RuneCountInString(v); {
		case required && n == 0:
			bad(col, v, "请填写"+col)
		case n > max:
			bad(col, v, col+"不能超过 "+strconv.Itoa(max)+" 字，现为 "+strconv.Itoa(n)+" 字")
		}
		return v
	}
	count := func(col string) int {
		v := get(col)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(strings.TrimSuffix(v, ".0"))
		if err != nil || n < 0 || n > 1000000 {
			bad(col, v, col+"应为 0 至 1000000 之间的整数")
			return 0
		}
		return n
	}

	// 社区(村): a town names it; a committee's rows are its own.
	communityOK := true
	name := get(ColCommunity)
	switch {
	case c.Own != nil && (name == "" || name == c.Own.Name):
		e.Community = *c.Own
	case c.Own != nil:
		bad(ColCommunity, name, "社区(村)“"+name+"”不在管辖范围内：本账号只能导入本社区(村)“"+c.Own.Name+"”的组织")
		communityOK = false
	case name == "":
		bad(ColCommunity, name, "请填写社区(村)名称")
		communityOK = false
	default:
		com, ok := byName[name]
		if !ok {
			bad(ColCommunity, name, "社区(村)“"+name+"”不在管辖范围内：只能导入本镇街的社区(村)，请核对名称")
			communityOK = false
		}
		e.Community = com
	}

	// 名称: 行政区划 and 社区(村) come from the community; the sheet gives the other three parts.
	e.Parts = rules.NameParts{Prefix: e.Community.Prefix, Community: e.Community.Name,
		Zihao: get(ColZihao), Field: get(ColField), Form: get(ColForm)}
	if communityOK {
		partCol := map[string]string{rules.KeyZihao: ColZihao, rules.KeyField: ColField, rules.KeyForm: ColForm,
			rules.KeyNameCommunity: ColCommunity, rules.KeyNamePrefix: ColCommunity}
		probs := rules.CheckName(e.Parts, rules.FormUnregistered, e.Community.Name)
		for _, key := range []string{rules.KeyNamePrefix, rules.KeyNameCommunity, rules.KeyZihao, rules.KeyField,
			rules.KeyForm, rules.KeyName} {
			if msg, ok := probs[key]; ok {
				col, ok := partCol[key]
				if !ok {
					col = ColName
				}
				bad(col, row.Cells[col], msg)
			}
		}
		for _, col := range []string{ColZihao, ColField, ColForm} {
			if n := utf8.RuneCountInString(get(col)); n > 20 {
				bad(col, get(col), col+"不能超过 20 字")
			}
		}
		if n := utf8.RuneCountInString(e.Name()); n > 80 {
			bad(ColName, e.Name(), "名称不能超过 80 字，现为 "+strconv.Itoa(n)+" 字")
		}
	}

	// 服务领域: one or more words of the list.
	raw := get(ColFields)
	for _, f := range strings.FieldsFunc(raw, isListSep) {
		if !slices.Contains(e.Fields, f) {
			e.Fields = append(e.Fields, f)
		}
	}
	if len(e.Fields) == 0 {
		bad(ColFields, raw, "请至少填写一个服务领域（多个用“、”分隔）")
	} else {
		for _, f := range e.Fields {
			if !slices.Contains(registry.Fields, f) {
				bad(ColFields, raw, "服务领域“"+f+"”不在可选范围内（可选："+strings.Join(registry.Fields, "、")+"）")
				break
			}
		}
	}
	e.Nature = get(ColNature)
	if !slices.Contains(registry.Natures, e.Nature) {
		bad(ColNature, e.Nature, "性质应为"+strings.Join(registry.Natures, "、")+"之一")
	}
	if v := get(ColFoundedOn); v != "" {
		d, ok := parseDate(v)
		switch {
		case !ok:
			bad(ColFoundedOn, v, "成立日期格式应为 2021-07-21")
		case d.After(now):
			bad(ColFoundedOn, v, "成立日期不能晚于今天")
		case d.Year() < 1949:
			bad(ColFoundedOn, v, "成立日期不能早于 1949 年")
		default:
			e.FoundedOn = &d
		}
	}

	e.LeaderName = text(ColLeader, 30, true)
	if strings.HasPrefix(e.LeaderName, examplePrefix) {
		bad(ColLeader, e.LeaderName, "这是模板中的示例行，请删除后再导入")
	}
	phone := get(ColPhone)
	if err := rules.CheckPhone(phone); err != nil {
		bad(ColPhone, rules.MaskPhone(phone), "负责人电话："+err.Error())
	} else {
		e.LeaderPhone = rules.NormalizePhone(phone)
	}
	if id := get(ColIDNumber); id != "" {
		if err := rules.CheckIDNumber(id, now); err != nil {
			bad(ColIDNumber, rules.MaskIDNumber(id), "身份证号"+err.Error())
		} else {
			e.LeaderID = rules.NormalizeIDNumber(id)
		}
	}
	e.Venue = text(ColVenue, 100, false)
	e.Members = count(ColMembers)
	e.Volunteers = count(ColVolunteers)
	switch v := get(ColPublish); v {
	case "", "否":
	case "是":
		e.PublishContact = true
	default:
		bad(ColPublish, v, "同意公开负责人姓名应填“是”或“否”，不填视为不同意")
	}
	return e, ps
}

func isListSep(r rune) bool {
	switch r {
	case '、', ',', '，', ';', '；', '/', ' ', '\u3000', '\n':
		return true
	}
	return false
}

// parseDate reads 2021-07-21 (or 2021/7/21, 2021.7.21, 2021年7月21日) or, from a cell formatted as a date, the
// serial number a spreadsheet stores.
func parseDate(v string) (time.Time, bool) {
	s := strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "").Replace(v)
	if d, err := time.ParseInLocation("2006-1-2", s, beijing); err == nil {
		return d, true
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 1 && n < 2958466 && !strings.ContainsAny(v, "-/年") {
		t, err := excelize.ExcelDateToTime(n, false)
		if err == nil {
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, beijing), true
		}
	}
	return time.Time{}, false
}

// shorten keeps a value short enough to show in a list of problems.
func shorten(v string) string {
	if utf8.RuneCountInString(v) <= 40 {
		return v
	}
	return string([]rune(v)[:40]) + "…"
}
