package web

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/yubei-cso/portal/internal/postgres"
)

// htmlWriter writes markup and escaped text to a page, keeping the first write error. It is for the few
// parts of a page that repeat by the hundred — a list's rows — where templ's text expressions cost most of
// the page: each `{ x }` copies its value through fmt.Sprint before escaping it. Escaping here is templ's own
// (html.EscapeString's five characters), written straight to the page.
type htmlWriter struct {
	w       io.StringWriter
	bytes   io.Writer
	err     error
	scratch [32]byte // where numbers are formatted, so that writing one allocates nothing
}

func newHTMLWriter(w io.Writer) *htmlWriter {
	if sw, ok := w.(io.StringWriter); ok {
		return &htmlWriter{w: sw, bytes: w}
	}
	return &htmlWriter{w: stringWriter{w}, bytes: w}
}

type stringWriter struct{ io.Writer }

func (s stringWriter) WriteString(str string) (int, error) { return s.Write([]byte(str)) }

// raw writes markup as it is; only literals of the program belong here.
func (h *htmlWriter) raw(s string) {
	if h.err == nil {
		_, h.err = h.w.WriteString(s)
	}
}

// int writes n in decimal; digits need no escaping.
func (h *htmlWriter) int(n int64) {
	if h.err == nil {
		_, h.err = h.bytes.Write(strconv.AppendInt(h.scratch[:0], n, 10))
	}
}

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

// text writes s escaped for HTML text or a double-quoted attribute value.
func (h *htmlWriter) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		h.raw(s[last:i])
		h.raw(esc)
		last = i + 1
	}
	h.raw(s[last:])
}

// StatusBadge is a status word in its colour. The class is chosen among literals rather than computed: a
// computed class list cost a list page as much as rendering the rows' names.
func StatusBadge(c StatusClass, label string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		h := newHTMLWriter(w)
		h.statusBadge(label, c)
		return h.err
	})
}

func (h *htmlWriter) statusBadge(label string, c StatusClass) {
	switch c {
	case StatusOK:
		h.raw(`<span class="status ok">`)
	case StatusWarn:
		h.raw(`<span class="status warn">`)
	case StatusBad:
		h.raw(`<span class="status bad">`)
	default:
		h.raw(`<span class="status">`)
	}
	h.text(label)
	h.raw(`</span>`)
}

// orgListRows is the body of the organization list's table: one row per organization, whose page is base/{id}.
// Each cell is written straight from the row, without a formatted copy of it first.
func orgListRows(base string, rows []postgres.OrgPageRow) templ.Component {
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
			h.statusBadge(OrgListStatus(o.Status))
			h.raw(`</td><td>`)
			h.date(o.FoundedOn)
			h.raw(`</td></tr>`)
		}
		return h.err
	})
}

// groupedOptions are a select's options, each group opened by an empty optgroup carrying its label. A list
// page's filters hold a hundred options or more, so they are written by hand like the rows.
func groupedOptions(opts []Option) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		h := newHTMLWriter(w)
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
		return h.err
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
		return h.err
	})
}
