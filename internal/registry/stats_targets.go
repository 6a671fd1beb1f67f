package registry

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/rules"
)

// 培育目标: how many live organizations a community should have. The action plan sets no number; 民政部《关于大力培育
// 发展社区社会组织的意见》(2017) asked for an average of at least 10 per urban 社区 and 5 per rural 村 by 2020, which
// is the default until the district sets its own (DESIGN.md workflow 7).
const (
	DefaultUrbanTarget = 10.0
	DefaultRuralTarget = 5.0
	// TargetSource is said on every page that shows a target taken from the default.
	TargetSource = "民政部《关于大力培育发展社区社会组织的意见》(2017)：城市社区平均不少于10个、农村社区平均不少于5个"
	targetMax    = 10000.0
)

// ErrTargetDivision is a target set for a division that is not the district, a town or a community inside scope.
var ErrTargetDivision = errors.New("stats: target for a division outside scope")

// TargetSetting is one division's row of targets; a nil value falls through to the level above.
type TargetSetting struct {
	DivisionCode  string
	DivisionName  string
	Level         portal.Level
	Urban         *float64 // per urban 社区
	Rural         *float64 // per rural 村
	UpdatedAt     time.Time
	UpdatedByName string
	Version       int
}

// Targets are the settings that bear on a scope: the district's row, its towns' and its communities'.
type Targets map[string]TargetSetting

// For is the target of a community: its own setting, else its town's, else the district's, else the default.
func (ts Targets) For(community string, rural bool) (target float64, setBy string) {
	for _, code := range []string{community, townOf(community), districtOf(community)} {
		if s, ok := ts[code]; ok {
			v := s.Urban
			if rural {
				v = s.Rural
			}
			if v != nil {
				return *v, code
			}
		}
	}
	if rural {
		return DefaultRuralTarget, ""
	}
	return DefaultUrbanTarget, ""
}

func townOf(code string) string {
	if len(code) >= 9 {
		return code[:9]
	}
	return ""
}

func districtOf(code string) string {
	if len(code) >= 6 {
		return code[:6]
	}
	return ""
}

// TargetInput is the targets form: the division it sets, and the two numbers as typed.
type TargetInput struct {
	Division string
	Urban    string
	Rural    string
}

// Target form keys.
const (
	KeyTargetDivision = "division"
	KeyTargetUrban    = "urban"
	KeyTargetRural    = "rural"
)

var targetNumber = regexp.MustCompile(`^[0-9]{1,5}(\.[0-9])?$`)

// parseTarget reads one optional target: empty is nil; anything else a number from 0 to 10000 with at most one
// decimal.
func parseTarget(s, key string, p rules.Problems) *float64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if strings.HasPrefix(s, "-") {
		p.Add(key, "目标不能为负数")
		return nil
	}
	if !targetNumber.MatchString(s) {
		p.Add(key, "请填写数字，最多一位小数，例如 10 或 7.5")
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v > targetMax {
		p.Add(key, "目标不能超过10000")
		return nil
	}
	return &v
}

// Parse checks the form for the division d it names (looked up by the caller inside scope): a community takes
// only the target of its own kind, and at least one number must be given.
func (in TargetInput) Parse(d portal.Division) (urban, rural *float64, p rules.Problems) {
	p = rules.Problems{}
	urban = parseTarget(in.Urban, KeyTargetUrban, p)
	rural = parseTarget(in.Rural, KeyTargetRural, p)
	if !p.OK() {
		return nil, nil, p
	}
	if d.Level == portal.TierCommunity {
		if d.Rural && urban != nil {
			p.Add(KeyTargetUrban, d.Name+"是村，只设农村目标")
		}
		if !d.Rural && rural != nil {
			p.Add(KeyTargetRural, d.Name+"是社区，只设城市社区目标")
		}
	}
	if urban == nil && rural == nil && p.OK() {
		key := KeyTargetUrban
		if d.Level == portal.TierCommunity && d.Rural {
			key = KeyTargetRural
		}
		p.Add(key, "请至少填写一个目标")
	}
	return urban, rural, p
}

// TargetLabel shows a target as clerks write it: 10, 7.5.
func TargetLabel(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
