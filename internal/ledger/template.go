package ledger

import (
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// GuideSheet is the template's sheet of instructions.
const GuideSheet = "填写说明"

// Template is what a clerk's 台账 template shows: for a town its communities (and a community column), for a
// committee its own community (and no community column).
type Template struct {
	Communities []Community // the town's communities, or the committee's own
	Committee   bool
}

// WriteTemplate writes the 台账 template to w: the 台账 sheet with its header, one example row and drop-downs
// for 组织形式 and 性质, and a 填写说明 sheet explaining each column and the naming rule.
func WriteTemplate(w io.Writer, t Template) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	cols := Columns(!t.Committee)
	example := exampleRow(t)
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	asText, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": 身份证号 and dates stay as typed
	if err != nil {
		return err
	}
	sample, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "808080"}, NumFmt: 49})
	if err != nil {
		return err
	}
	for i, c := range cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		cell := col + "1"
		if err := f.SetCellStr(SheetName, cell, c); err != nil {
			return err
		}
		width := 14.0
		switch c {
		case ColCommunity, ColFields, ColVenue, ColIDNumber:
			width = 22
		}
		if err := f.SetColWidth(SheetName, col, col, width); err != nil {
			return err
		}
		switch c {
		case ColPhone, ColIDNumber, ColFoundedOn:
			if err := f.SetColStyle(SheetName, col, asText); err != nil {
				return err
			}
		}
		if err := f.SetCellStr(SheetName, col+"2", example[c]); err != nil {
			return err
		}
		if err := dropDown(f, col, c, t); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	if err := f.SetCellStyle(SheetName, "A1", last+"1", head); err != nil {
		return err
	}
	if err := f.SetCellStyle(SheetName, "A2", last+"2", sample); err != nil {
		return err
	}
	if err := f.SetPanes(SheetName, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2",
		ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := writeGuide(f, t, cols); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// dropDown offers the allowed words of a column as a list where one word fits a cell.
func dropDown(f *excelize.File, col, name string, t Template) error {
	var keys []string
	switch name {
	case ColNature:
		keys = registry.Natures
	case ColPublish:
		keys = []string{"否", "是"}
	case ColForm:
		keys = rules.FormUnregistered.Forms()
	case ColCommunity:
		for _, c := range t.Communities {
			keys = append(keys, c.Name)
		}
		if len(strings.Join(keys, ",")) > 250 {
			return nil // too long for an inline list; the guide lists them
		}
	default:
		return nil
	}
	if len(keys) == 0 {
		return nil
	}
	dv := excelize.NewDataValidation(name != ColNature && name != ColForm)
	dv.Sqref = col + "2:" + col + "100001"
	if err := dv.SetDropList(keys); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, name, "请从下拉列表中选择"+name)
	return f.AddDataValidation(SheetName, dv)
}

func exampleRow(t Template) map[string]string {
	community := "锦华社区"
	if len(t.Communities) > 0 {
		community = t.Communities[0].Name
	}
	return map[string]string{ColCommunity: community, ColZihao: "夕阳红", ColField: "舞蹈", ColForm: "队",
		ColFields: "文体娱乐、邻里互助", ColNature: "互助性", ColFoundedOn: "2021-07-21", ColLeader: examplePrefix + "：张三",
		ColPhone: "13812345678", ColIDNumber: "", ColVenue: "社区活动室", ColMembers: "30", ColVolunteers: "5", ColPublish: "否"}
}

// writeGuide writes the 填写说明 sheet.
func writeGuide(f *excelize.File, t Template, cols []string) error {
	if _, err := f.NewSheet(GuideSheet); err != nil {
		return err
	}
	prefix, community := "渝北区某某街道", "某某社区"
	if len(t.Communities) > 0 {
		prefix, community = t.Communities[0].Prefix, t.Communities[0].Name
	}
	about := map[string][2]string{
		ColCommunity:  {"必填", "组织所在的社区(村)名称，须为本镇街的社区(村)，写法与系统中一致，如“" + community + "”"},
		ColZihao:      {"选填", "组织自己的名称，只能用汉字，至少两个字，如“夕阳红”；不能含“中国”“全国”“中华”“国际”“世界”，不能用县级以上行政区划名称"},
		ColField:      {"必填", "业务领域，只能用汉字，如“舞蹈”“邻里互助”“养老服务”；不能含“第一”“最高”“国家级”"},
		ColForm:       {"必填", "组织形式，从下拉列表中选择：" + strings.Join(rules.FormUnregistered.Forms(), "、")},
		ColFields:     {"必填", "可填多个，用“、”分隔，可选：" + strings.Join(registry.Fields, "、")},
		ColNature:     {"必填", "从下拉列表中选择：" + strings.Join(registry.Natures, "、")},
		ColFoundedOn:  {"选填", "格式如 2021-07-21，不能晚于今天"},
		ColLeader:     {"必填", "负责人姓名，不超过 30 字"},
		ColPhone:      {"必填", "手机号或带区号的座机号，如 13812345678、023-67891234；系统加密保存，页面只显示部分号码"},
		ColIDNumber:   {"选填", "18 位居民身份证号；系统加密保存，页面只显示部分号码"},
		ColVenue:      {"选填", "不超过 100 字"},
		ColMembers:    {"选填", "0 至 1000000 之间的整数"},
		ColVolunteers: {"选填", "0 至 1000000 之间的整数"},
		ColPublish:    {"选填", "组织同意在其公开信息页上显示负责人姓名的填“是”；不填或填“否”不公开。电话和身份证号任何情况下都不公开"},
	}
	lines := [][]string{
		{"社区社会组织台账填写说明"},
		{},
		{"名称规则", "", "名称由 行政区划 + 社区（村）+ 字号 + 业务领域 + 组织形式 依次组成，如“" + prefix + community +
			"夕阳红舞蹈队”。行政区划和社区（村）由系统按组织所在社区自动加上，台账中只填字号、业务领域和组织形式。" +
			"区内已有同名的在册组织、或台账中名称重复的，不能导入。"},
		{"示例行", "", "第 2 行是示例（负责人以“示例”开头），导入前请删除或改写该行。"},
		{"导入方式", "", "每行一个组织，从第 2 行起填写，不要修改第 1 行的列名，不要使用公式。上传后系统会逐行检查：" +
			"只要有一行有问题，就一个也不导入，并列出每个问题所在的行和列；全部无误后，确认即可一次导入。"},
		{"文件大小", "", "不超过 10 MB，不超过 100000 行。"},
		{},
		{"列名", "是否必填", "说明"},
	}
	for _, c := range cols {
		a := about[c]
		lines = append(lines, []string{c, a[0], a[1]})
	}
	if !t.Committee && len(t.Communities) > 0 {
		lines = append(lines, []string{}, []string{"本镇街的社区(村)"})
		for _, c := range t.Communities {
			lines = append(lines, []string{c.Name})
		}
	}
	for i, l := range lines {
		for j, v := range l {
			col, _ := excelize.ColumnNumberToName(j + 1)
			if err := f.SetCellStr(GuideSheet, col+strconv.Itoa(i+1), v); err != nil {
				return err
			}
		}
	}
	if err := f.SetColWidth(GuideSheet, "A", "A", 20); err != nil {
		return err
	}
	if err := f.SetColWidth(GuideSheet, "B", "B", 12); err != nil {
		return err
	}
	return f.SetColWidth(GuideSheet, "C", "C", 90)
}
