package web

import (
	"context"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/yubei-cso/portal/internal/registry"
)

// htmlWriter writes markup and escaped text to a page. It is for the few parts of a page that repeat by the
// hundred — a list's rows, a filter's options — where templ's text expressions cost most of the page: each
// `{ x }` copies its value through fmt.Sprint before escaping it. Escaping here is templ's own
// (html.EscapeString's five characters). The part is gathered in a pooled buffer and reaches the page in one
// write: a thousand small writes through templ's buffered writer cost as much as composing the rows.
type htmlWriter struct {
	w      io.Writer
	buf    []byte
	pooled *[]byte
}

// htmlBuffers keep the buffers of finished parts; a list's rows are about 15 KB.
var htmlBuffers = sync.Pool{New: func() any {
	b := make([]byte, 0, 16<<10)
	return &b
}}

func newHTMLWriter(w io.Writer) *htmlWriter {
	b := htmlBuffers.Get().(*[]byte)
	return &htmlWriter{w: w, buf: (*b)[:0], pooled: b}
}

// done writes the part to the page and gives its buffer back; the writer is not used again.
func (h *htmlWriter) done() error {
	_, err := h.w.Write(h.buf)
	if cap(h.buf) <= 256<<10 { // an outsized part's buffer is left to the collector
		*h.pooled = h.buf[:0]
		htmlBuffers.Put(h.pooled)
	}
	h.buf, h.pooled = nil, nil
	return err
}

// raw writes markup as it is; only literals of the program belong here.
func (h *htmlWriter) raw(s string) { h.buf = append(h.buf, s...) }

// int writes n in decimal; digits need no escaping.
func (h *htmlWriter) int(n int64) { h.buf = strconv.AppendInt(h.buf, n, 10) }

// date writes t as Date does (2021年7月21日, in 北京时间), and "—" for the zero time.
func (h *htmlWriter) date(t time.Time) {
	if t.IsZero() {
		h.raw("—")
		return
	}
	t = t.In(beijing)
	h.int(int64(t.Year()))
	h.raw("年")
	h.int(int64(t.Month()))
	h.raw("月")
	h.int(int64(t.Day()))
	h.raw("日")
}

// htmlEscapes are the replacements of the five characters templ escapes; every other byte is "".
var htmlEscapes = [256]string{'<': "&lt;", '>': "&gt;", '&': "&amp;", '\'': "&#39;", '"': "&#34;"}

// text writes s escaped for HTML text or a double-quoted attribute value.
func (h *htmlWriter) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if esc := htmlEscapes[s[i]]; esc != "" {
			h.buf = append(h.buf, s[last:i]...)
			h.buf = append(h.buf, esc...)
			last = i + 1
		}
	}
	h.buf = append(h.buf, s[last:]...)
}

// StatusBadge is a status word in its colour. The class is chosen among literals rather than computed: a
// computed class list cost a list page as much as rendering the rows' names.
func StatusBadge(c StatusClass, label string) templ.Component {
	return statusBadgeID("", c, label)
}

// statusBadgeID is StatusBadge carrying an id, for the status a page's heading shows.
func statusBadgeID(id string, c StatusClass, label string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		h := newHTMLWriter(w)
		h.statusBadge(label, c, id)
		return h.done()
	})
}

// statusBadge writes the badge; id is left out when it is "".
func (h *htmlWriter) statusBadge(label string, c StatusClass, id string) {
	switch c {
	case StatusOK:
		h.raw(`<span class="status ok"`)
	case StatusWarn:
		h.raw(`<span class="status warn"`)
	case StatusBad:
		h.raw(`<span class="status bad"`)
	default:
		h.raw(`<span class="status"`)
	}
	if id != "" {
		h.raw(` id="`)
		h.text(id)
		h.raw(`"`)
	}
	h.raw(`>`)
	h.text(label)
	h.raw(`</span>`)
}

// orgListRows is the body of the organization list's table: one row per organization, whose page is base/{id}.
// Each cell is written straight from the row, without a formatted copy of it first.
func orgListRows(base string, rows []registry.OrgPageRow) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		h := newHTMLWriter(w)
		for i := range rows {
			o := &rows[i]
			h.raw(`<tr><td><a href="`)
			h.text(base)
			h.raw(`/`)
			h.int(o.ID)
			h.raw(`">`)
			h.text(o.Name)
			h.raw(`</a>`)
			for _, cell := range [...]string{o.Tier.Label(), string(o.LegalForm), o.TownName, o.CommunityName} {
				h.raw(`</td><td>`)
				h.text(cell)
			}
			h.raw(`</td><td>`)
			if len(o.Fields) == 0 {
				h.raw("—")
			}
			for j, f := range o.Fields {
				if j > 0 {
					h.raw("、")
				}
				h.text(f)
			}
			// The 负责人 with the masked phone; the list never has the full number to show.
			h.raw(`</td><td>`)
			h.text(o.LeaderName)
			if o.LeaderName != "" && o.LeaderPhone != "" {
				h.raw(" ")
			}
			h.text(o.LeaderPhone)
			if o.LeaderName == "" && o.LeaderPhone == "" {
				h.raw("—")
			}
			h.raw(`</td><td>`)
			label, class := OrgListStatus(o.Status)
			h.statusBadge(label, class, "")
			h.raw(`</td><td>`)
			h.date(o.FoundedOn)
			h.raw(`</td></tr>`)
		}
		return h.done()
	})
}

// groupedOptions are a select's options, each group opened by an empty optgroup carrying its label. A list
// page's filters hold a hundred options or more, so they are written by hand like the rows.
func groupedOptions(opts []Option) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		h := newHTMLWriter(w)
		h.options(opts)
		return h.done()
	})
}

func (h *htmlWriter) options(opts []Option) {
	for i, o := range opts {
		if o.Group != "" && (i == 0 || opts[i-1].Group != o.Group) {
			h.raw(`<optgroup label="`)
			h.text(o.Group)
			h.raw(`"></optgroup>`)
		}
		h.raw(`<option value="`)
		h.text(o.Value)
		if o.Selected {
			h.raw(`" selected>`)
		} else {
			h.raw(`">`)
		}
		h.text(o.Label)
		h.raw(`</option>`)
	}
}

// selectField is a select of opts in the frame of every field (label, hint, the message at the field), led by
// an empty choice labelled blank unless blank is "". A list page's filter row holds nine of them, and as nested
// templ components they doubled the cost of rendering the organization list's page around its rows, so they
// are written by hand; TestSelectFieldEqualsTempl holds the markup to selectFieldTempl.
func selectField(name, label, hint, blank, problem string, opts []Option) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		h := newHTMLWriter(w)
		if problem != "" {
			h.raw(`<div class="field bad" data-field="`)
		} else {
			h.raw(`<div class="field" data-field="`)
		}
		h.text(name)
		h.raw(`"><label for="`)
		h.text(name)
		h.raw(`">`)
		h.text(label)
		h.raw(`</label><select id="`)
		h.text(name)
		h.raw(`" name="`)
		h.text(name)
		h.raw(`">`)
		if blank != "" {
			h.raw(`<option value="">`)
			h.text(blank)
			h.raw(`</option>`)
		}
		h.options(opts)
		h.raw(`</select>`)
		if hint != "" {
			h.raw(`<div class="hint">`)
			h.text(hint)
			h.raw(`</div>`)
		}
		if problem != "" {
			h.raw(`<div class="msg">`)
			h.text(problem)
			h.raw(`</div>`)
		}
		h.raw(`</div>`)
		return h.done()
	})
}

// reportListRows is the body of an activity-report list's table; the group, town and community columns
// appear as the list's header shows them.
func reportListRows(v ReportListView) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		h := newHTMLWriter(w)
		for _, r := range v.Rows {
			h.raw(`<tr data-id="`)
			h.raw(strconv.FormatInt(r.ID, 10))
			h.raw(`"><td>`)
			h.text(r.Date)
			h.raw(`</td><td><a href="`)
			h.text(r.Href)
			h.raw(`">`)
			h.text(r.Title)
			h.raw(`</a> `)
			if r.Revision != "" {
				h.raw(`<span class="status warn">已更正 · `)
				h.text(r.Revision)
				h.raw(`</span>`)
			}
			h.raw(`</td>`)
			for _, c := range [...]struct {
				show bool
				text string
			}{{v.ShowOrg, r.Org}, {v.ShowTown, r.Town}, {v.ShowCommunity, r.Community}} {
				if c.show {
					h.raw(`<td>`)
					h.text(c.text)
					h.raw(`</td>`)
				}
			}
			h.raw(`<td>`)
			h.text(r.Series)
			h.raw(`</td><td>`)
			h.text(r.Category)
			for _, n := range [...]string{r.Participants, r.Volunteers, r.Hours, r.Beneficiaries} {
				h.raw(`</td><td class="num">`)
				h.text(n)
			}
			h.raw(`</td></tr>`)
		}
		return h.done()
	})
}

// fen writes an amount as registry.Fen's String does (12,345.60).
func (h *htmlWriter) fen(f registry.Fen) { h.buf = f.Append(h.buf) }

// period writes a span of dates as the money pages show it: 2023年1月1日 至 2023年12月31日.
func (h *htmlWriter) period(from, to time.Time) {
	h.date(from)
	h.raw(" 至 ")
	h.date(to)
}

// The money overview's table bodies (/district/funding, /town/funding): its contracts, funds, rounds and the
// breakdowns of where the money went, a few hundred cells written straight from the rows read. base is the
// overview's path, under which each record has its page.

// recordRow opens a row whose first cell links a record's title to its page (path and id), and the next cell.
func (h *htmlWriter) recordRow(path string, id int64, title string) {
	h.raw(`<tr><td><a href="`)
	h.text(path)
	h.int(id)
	h.raw(`">`)
	h.text(title)
	h.raw(`</a></td><td>`)
}

// contractRows is the body of the overview's contract table.
func contractRows(base string, rows []registry.ContractLine) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		h, path := newHTMLWriter(w), base+"/contracts/"
		for i := range rows {
			c := &rows[i]
			h.recordRow(path, c.ID, c.Project)
			h.text(c.OrgName)
			h.raw(`</td><td>`)
			h.text(c.DivisionName)
			h.raw(`</td><td class="num">`)
			h.fen(c.Amount)
			h.raw(`</td><td class="num">`)
			h.fen(c.Paid)
			h.raw(`</td><td>`)
			h.period(c.StartsOn, c.EndsOn)
			h.raw(`</td><td>`)
			h.statusBadge(registry.ContractStatusLabel(c.Status), contractStatusClass(c.Status), "")
			h.raw(`</td></tr>`)
		}
		return h.done()
	})
}

// fundRows is the body of the overview's fund table.
func fundRows(base string, rows []registry.Fund) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		h, path := newHTMLWriter(w), base+"/funds/"
		for i := range rows {
			f := &rows[i]
			h.recordRow(path, f.ID, f.Name)
			h.text(f.DivisionName)
			h.raw(`</td><td class="num">`)
			h.fen(f.Balance)
			h.raw(`</td></tr>`)
		}
		return h.done()
	})
}

// roundRows is the body of the overview's 公益创投 table.
func roundRows(base string, rows []registry.Round) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		h, path := newHTMLWriter(w), base+"/rounds/"
		for i := range rows {
			r := &rows[i]
			h.recordRow(path, r.ID, r.Title)
			h.text(r.DivisionName)
			h.raw(`</td><td class="num">`)
			h.fen(r.Budget)
			h.raw(`</td><td class="num">`)
			h.fen(r.Awarded)
			h.raw(`</td><td>`)
			h.period(r.OpensOn, r.ClosesOn)
			h.raw(`</td><td>`)
			h.text(RoundStatusLabel(r.Status))
			h.raw(`</td></tr>`)
		}
		return h.done()
	})
}

// moneyTotalRows is the body of one breakdown of the money: each key's amount, its rows and its share of all.
func moneyTotalRows(rows []registry.MoneyTotal, all registry.Fen) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		h := newHTMLWriter(w)
		for _, t := range rows {
			h.raw(`<tr><td>`)
			h.text(t.Key)
			h.raw(`</td><td class="num">`)
			h.fen(t.Amount)
			h.raw(`</td><td class="num">`)
			h.int(int64(t.Rows))
			h.raw(`</td><td class="num">`)
			h.text(permille(int64(t.Amount), int64(all)))
			h.raw(`</td></tr>`)
		}
		return h.done()
	})
}

// statBody is a statistics table's body and total row. A district's page has a few thousand cells, and through
// templ each cell's text was copied by fmt.Sprint before it was escaped, so they are written by hand;
// TestStatBodyEqualsTempl holds the markup to statBodyTempl.
func statBody(t StatTable) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		h := newHTMLWriter(w)
		h.raw("<tbody>")
		for _, r := range t.Rows {
			h.raw("<tr>")
			h.statCells(r, t.Columns)
			h.raw("</tr>")
		}
		h.raw("</tbody>")
		if t.Total != nil {
			h.raw(`<tfoot><tr class="total">`)
			h.statCells(t.Total, t.Columns)
			h.raw("</tr></tfoot>")
		}
		return h.done()
	})
}

// statCells writes a row's cells as statCell does: the first a row heading, numbers plain, text with its class.
func (h *htmlWriter) statCells(r []StatCell, cols []StatColumn) {
	for i, c := range r {
		switch {
		case i == 0:
			h.raw(`<th scope="row">`)
			h.statLink(c)
			h.raw("</th>")
		case cols[i].Num:
			h.raw("<td>")
			h.text(c.Text)
			h.raw("</td>")
		default:
			h.raw(`<td class="text">`)
			h.statLink(c)
			h.raw("</td>")
		}
	}
}

// statLink is a cell's text, inside a link to its Href when it has one.
func (h *htmlWriter) statLink(c StatCell) {
	if c.Href == "" {
		h.text(c.Text)
		return
	}
	h.raw(`<a href="`)
	h.text(c.Href)
	h.raw(`">`)
	h.text(c.Text)
	h.raw("</a>")
}

// barTexts are the labels of a chart's bars, or with values their value labels, at the bars' heights (a
// district's chart of its communities has 270 bars): written by hand like statBody, held to barTextsTempl.
func barTexts(bars []Bar, values bool) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		h := newHTMLWriter(w)
		for _, b := range bars {
			if values {
				h.raw(`<text x="`)
				h.text(b.ValueX)
				h.raw(`" y="`)
			} else {
				h.raw(`<text x="164" y="`)
			}
			h.text(b.TextY)
			h.raw(`">`)
			if values {
				h.text(b.ValueLabel)
			} else {
				h.text(b.Label)
			}
			h.raw("</text>")
		}
		return h.done()
	})
}

// publicOrgList is a list of groups as cards, readable on a phone: the directory's page of up to 31 groups, the
// part of its rendering that repeats. Written by hand like the list rows above and held to publicOrgListTempl.
func publicOrgList(rows []PublicOrgItem) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		if len(rows) == 0 {
			return nil
		}
		h := newHTMLWriter(w)
		h.raw(`<ul class="orglist" id="orgs">`)
		for _, o := range rows {
			h.raw(`<li><a class="name" href="`)
			h.text(o.Href)
			h.raw(`">`)
			h.text(o.Name)
			h.raw(`</a>`)
			h.statusBadge(o.Status, o.StatusClass, "")
			h.raw(`<div class="meta">`)
			h.text(o.Tier)
			h.raw(` · `)
			h.text(o.Place)
			h.raw(`</div>`)
			if o.Fields != "" {
				h.raw(`<div class="meta">服务领域：`)
				h.text(o.Fields)
				h.raw(`</div>`)
			}
			if o.Closed != "" {
				h.raw(`<div class="meta closed">`)
				h.text(o.Closed)
				h.raw(`</div>`)
			}
			h.raw(`</li>`)
		}
		h.raw(`</ul>`)
		return h.done()
	})
}
