package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/portal"
)

type exportFormat string

const (
	exportXLSX exportFormat = "xlsx"
	exportCSV  exportFormat = "csv"
)

// byteCounter tells whether any of a response has been sent, which decides how a failure can be reported.
type byteCounter struct {
	w io.Writer
	n int64
}

func (c *byteCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// streamTable sends a list as an xlsx or CSV download named after the account's division and the day
// (title is the Chinese name, asciiName the fallback), with rows writing every row into the table as it reads
// them. A failure before any byte went out shows the ordinary error page; after that the connection is
// aborted, so the browser reports a failed download rather than saving a file that looks complete.
func streamTable(w http.ResponseWriter, r *http.Request, rs *responder, a *portal.Account, format exportFormat,
	title, asciiName, sheet string, header []string, rows func(export.Table) error) {
	streamTitledTable(w, r, rs, a, format, title, asciiName, sheet, nil, header, rows)
}

// streamTitledTable is streamTable whose xlsx opens with the rows of titled above the header (the CSV, read by
// programs, starts at its header all the same).
func streamTitledTable(w http.ResponseWriter, r *http.Request, rs *responder, a *portal.Account, format exportFormat,
	title, asciiName, sheet string, titled, header []string, rows func(export.Table) error) {
	division := a.DivisionName
	if division == "" {
		division = a.DivisionCode
	}
	day := time.Now().In(beijing).Format("20060102")
	ext := "." + string(format)
	h := w.Header()
	if format == exportXLSX {
		h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	} else {
		h.Set("Content-Type", "text/csv; charset=utf-8")
	}
	h.Set("Content-Disposition", export.ContentDisposition(division+title+"-"+day+ext,
		asciiName+"-"+a.DivisionCode+"-"+day+ext))

	out := &byteCounter{w: w}
	var table export.Table
	var err error
	if format == exportXLSX {
		table, err = export.NewTitledXLSX(out, sheet, titled, header)
	} else {
		table, err = export.NewCSV(out, header)
	}
	if err == nil {
		// An xlsx reaches the client only at Close, after the rows are read and the audit row written; a
		// client that leaves during those last bytes has still been counted as exported, which errs on the
		// side of recording too much.
		if err = rows(table); err == nil {
			err = table.Close()
		} else {
			table.Discard()
		}
	}
	failStream(w, r, rs, out.n, err)
}

// failStream ends a streamed download that failed with err after sent bytes: before any byte went out it
// shows the ordinary error page; after that it aborts the connection, so that the browser reports a failed
// download rather than saving a file that looks complete. A nil err does nothing.
func failStream(w http.ResponseWriter, r *http.Request, rs *responder, sent int64, err error) {
	if err == nil {
		return
	}
	if sent == 0 {
		w.Header().Del("Content-Disposition")
		rs.serverError(w, r, err)
		return
	}
	if !errors.Is(err, context.Canceled) {
		rs.log.Error("download failed", "request_id", requestIDFrom(r.Context()), "route", routePattern(r),
			"sent_bytes", sent, "err", err)
	}
	panic(http.ErrAbortHandler)
}
