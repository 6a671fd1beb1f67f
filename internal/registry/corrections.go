package registry

// Corrections (更正) of a published 通知公告 / 政策文件 or 典型案例: the text is corrected in place, and the text it
// replaced is kept as an earlier version with the corrector's note.

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/rules"
)

// CorrectionNoteMax bounds the 更正说明.
const CorrectionNoteMax = 200

// CheckCorrectionNote adds the note's problem, at the field "note", to p: a correction says what it corrected.
func CheckCorrectionNote(p rules.Problems, note string) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(note)); {
	case n == 0:
		p.Add("note", "请填写更正说明，如“更正了活动日期”")
	case n > CorrectionNoteMax:
		p.Add("note", "更正说明不能超过 "+strconv.Itoa(CorrectionNoteMax)+" 字，现为 "+strconv.Itoa(n)+" 字")
	}
}

// Revision is an earlier version of a corrected text: what the public read until ReplacedAt.
type Revision struct {
	Version        int
	Title          string
	Sub            string // the 文号 of an announcement, the 主题系列 of a case
	Body           string
	ReplacedAt     time.Time
	ReplacedByName string
	Note           string
}
