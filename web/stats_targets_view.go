package web

import (
	"maps"
	"slices"
	"strconv"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// StatsTargetRow is one division's targets on the settings page.
type StatsTargetRow struct {
	Code      string
	Name      string
	Urban     string
	Rural     string
	UpdatedAt string
	UpdatedBy string
	ClearHref string
	Version   string // the setting's version, so that a delete of a setting changed since is refused
}

// StatsTargetsView is the district's 培育目标 settings page; the form keeps its input after a refusal.
type StatsTargetsView struct {
	Page
	Action          string
	StatsHref       string
	SourceNote      string
	CurrentUrban    string
	CurrentRural    string
	Division        Field
	Urban           Field
	Rural           Field
	DivisionOptions []Option
	Problems        map[string]string
	Rows            []StatsTargetRow
	// 试点村(社区)
	PilotAction  string
	Pilot        Field
	PilotOptions []Option
	Pilots       []StatsTargetRow
}

func targetText(v *float64) string {
	if v == nil {
		return "沿用上级"
	}
	return registry.TargetLabel(*v)
}

// NewStatsTargetsView builds the page: district is the caller's division; towns and communities are offered in
// the form, communities grouped under their town.
func NewStatsTargetsView(p Page, base string, district portal.Division, ts registry.Targets, towns, communities []portal.Division, pilots []string) StatsTargetsView {
	v := StatsTargetsView{Page: p, Action: base + "/targets", StatsHref: base, Problems: map[string]string{},
		PilotAction: base + "/pilots",
		SourceNote:  "未另行设定时，按" + registry.TargetSource + "。渝北区社区社会组织培育发展三年行动方案本身未规定数量。"}
	u, r := registry.DefaultUrbanTarget, registry.DefaultRuralTarget
	if s, ok := ts[district.Code]; ok {
		if s.Urban != nil {
			u = *s.Urban
		}
		if s.Rural != nil {
			r = *s.Rural
		}
	}
	v.CurrentUrban, v.CurrentRural = registry.TargetLabel(u), registry.TargetLabel(r)
	names := map[string]string{district.Code: district.Name}
	v.DivisionOptions = append(v.DivisionOptions, Option{Value: district.Code, Label: district.Name + "（全区默认）"})
	for _, t := range towns {
		names[t.Code] = t.Name
		v.DivisionOptions = append(v.DivisionOptions, Option{Value: t.Code, Label: t.Name, Group: "镇街"})
	}
	for _, c := range communities {
		names[c.Code] = names[c.ParentCode] + c.Name
		kind := "社区"
		if c.Rural {
			kind = "村"
		}
		v.DivisionOptions = append(v.DivisionOptions, Option{Value: c.Code, Label: c.Name + "（" + kind + "）",
			Group: names[c.ParentCode]})
		v.PilotOptions = append(v.PilotOptions, Option{Value: c.Code, Label: c.Name + "（" + kind + "）",
			Group: names[c.ParentCode]})
	}
	for _, code := range pilots {
		v.Pilots = append(v.Pilots, StatsTargetRow{Code: code, Name: names[code], ClearHref: base + "/pilots/" + code + "/clear"})
	}
	for _, code := range slices.Sorted(maps.Keys(ts)) {
		s := ts[code]
		if !portal.LevelOfCode(code).Valid() || len(code) < len(district.Code) {
			continue
		}
		name := names[code]
		if name == "" {
			name = s.DivisionName
		}
		v.Rows = append(v.Rows, StatsTargetRow{Code: code, Name: name, Urban: targetText(s.Urban), Rural: targetText(s.Rural),
			UpdatedAt: DateTime(s.UpdatedAt), UpdatedBy: s.UpdatedByName, ClearHref: base + "/targets/" + code + "/clear",
			Version: strconv.Itoa(s.Version)})
	}
	return v
}

// Select marks the chosen division in the form.
func (v *StatsTargetsView) Select(code string) {
	v.Division.Value = code
	for i := range v.DivisionOptions {
		v.DivisionOptions[i].Selected = v.DivisionOptions[i].Value == code
	}
}
