// View models of the shared pieces in components.templ: a list's division filter and paging, and the account
// a history names.
package web

import "strconv"

// DivisionFilter is a work list's town and community filters: the district chooses a town and then one of its
// communities, a town one of its communities, a committee neither. A nil option list means no select.
type DivisionFilter struct {
	Town             Field
	TownOptions      []Option
	Community        Field
	CommunityOptions []Option
}

// ListPaging is what a work list shows around its rows: the total, the page links and the export links, each
// carrying the list's filters.
type ListPaging struct {
	Total      string
	NextHref   string // "" on the last page
	FirstHref  string // "" on the first page
	ExportXLSX string // "" when the filter was refused
	ExportCSV  string
}

// ListTotal is a work list's summary line: n items of unit (件, 份), or more than n when the count stopped there.
func ListTotal(n int, more bool, unit string) string {
	if more {
		return "符合条件的超过 " + strconv.Itoa(n) + " " + unit + "（可继续翻页查看，或增加筛选条件缩小范围）"
	}
	return "共 " + strconv.Itoa(n) + " " + unit
}

// Who is an account as a history shows it: the display name (姓名) clerks know each other by, with the
// username beside it, small, to tell two 张伟 apart. Username is "" when it would only repeat Name.
type Who struct {
	Name     string
	Username string
}

// NewWho names the account that acted. A step with no account (the seed, an import) is 系统; an account with
// no display name shows its username.
func NewWho(display, username string) Who {
	switch {
	case display == "" && (username == "" || username == "system"):
		return Who{Name: "系统"}
	case display == "":
		return Who{Name: username}
	case display == username:
		return Who{Name: display}
	}
	return Who{Name: display, Username: username}
}
