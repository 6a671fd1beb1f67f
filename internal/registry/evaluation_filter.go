package registry

// EvaluationFilter narrows the list of latest 评估评议 results: by grade, town, community and year (the latest
// version of that year's evaluation), one page after a cursor.
type EvaluationFilter struct {
	Grade         Grade
	TownCode      string
	CommunityCode string
	Year          int // 0: each group's latest year
	After         EvaluationCursor
}

// EvaluationCursor is the last row of a page in the list's order (community, name, id); the zero cursor is the
// first page.
type EvaluationCursor struct {
	Community string
	Name      string
	OrgID     int64
}
