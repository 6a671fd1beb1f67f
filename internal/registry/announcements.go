package registry

// 通知公告 and 政策文件: what the district publishes for the whole district and a town for its own town.

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/rules"
)

// AnnouncementKind is 通知公告 or 政策文件.
type AnnouncementKind string

const (
	KindNotice AnnouncementKind = "notice" // 通知公告
	KindPolicy AnnouncementKind = "policy" // 政策文件
)

// AnnouncementKinds in the order the forms offer them.
var AnnouncementKinds = []AnnouncementKind{KindNotice, KindPolicy}

// Label is the kind as people say it.
func (k AnnouncementKind) Label() string {
	switch k {
	case KindNotice:
		return "通知公告"
	case KindPolicy:
		return "政策文件"
	}
	return ""
}

// Valid reports whether k is a known kind.
func (k AnnouncementKind) Valid() bool { return k == KindNotice || k == KindPolicy }

// Limits of an announcement.
const (
	AnnouncementTitleMax = 100
	AnnouncementDocNoMax = 60
	AnnouncementBodyMax  = 100000
	AnnouncementFilesMax = 5
)

// AnnouncementInput is the publish form; who it is for is the publisher's own division, never the form's.
type AnnouncementInput struct {
	Kind  AnnouncementKind
	Title string
	DocNo string
	Body  string
}

// Validate checks the form's rules.
func (in AnnouncementInput) Validate() rules.Problems {
	p := rules.Problems{}
	if !in.Kind.Valid() {
		p.Add("kind", "请选择类别")
	}
	check := func(name, label, v string, required bool, max int) {
		switch n := utf8.RuneCountInString(v); {
		case required && n == 0:
			p.Add(name, "请填写"+label)
		case n > max:
			p.Add(name, label+"不能超过 "+strconv.Itoa(max)+" 字，现为 "+strconv.Itoa(n)+" 字")
		}
	}
	check("title", "标题", in.Title, true, AnnouncementTitleMax)
	check("doc_no", "文号", in.DocNo, false, AnnouncementDocNoMax)
	check("body", "正文", in.Body, true, AnnouncementBodyMax)
	return p
}

// Announcement is one notice or policy document.
type Announcement struct {
	ID          int64
	Kind        AnnouncementKind
	TownCode    string // "" when for the whole district
	AuthorCode  string
	AuthorName  string // 渝北区民政局 or the town's name
	Title       string
	DocNo       string
	Body        string
	Withdrawn   bool
	Reason      string
	PublishedAt time.Time
	WithdrawnAt *time.Time
	CorrectedAt *time.Time // the last 更正, nil when never corrected
	Files       int
	Version     int
}

// AnnouncementFile is an attachment.
type AnnouncementFile struct {
	ID             int64
	AnnouncementID int64
	Position       int
	Filename       string
	ContentType    string
	SizeBytes      int64
	StorageKey     string
}

// AnnouncementFileInput is a stored upload to attach.
type AnnouncementFileInput struct {
	Filename    string
	ContentType string
	Size        int64
	StorageKey  string
	SHA256      string
}

// AnnouncementCursor is where a page of a public list ends.
type AnnouncementCursor struct {
	PublishedAt time.Time
	ID          int64
}
