package web

import (
	"context"
	"io"

	"github.com/a-h/templ"
)

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
