package web

// View models of the documents kept with platforms, homes and contracts, and of their upload forms.

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/registry"
)

// DocumentRow is one document in a record's list, with its download link.
type DocumentRow struct{ Kind, Of, Filename, Size, Uploaded, Href string }

// DocUpload is one upload form: the record's page's document count goes with it (409 when it changed).
type DocUpload struct {
	ID, Title, Action, Seen string
	HomeOptions             []Option // the homes an 安家协议 may belong to; nil for the other kinds
	HomeProblem, Problem    string
}

// NewDocumentRows formats docs, each downloaded under base + "/documents/<id>".
func NewDocumentRows(docs []registry.CultivationDocument, base string) []DocumentRow {
	out := make([]DocumentRow, len(docs))
	for i, d := range docs {
		out[i] = DocumentRow{Kind: d.Kind, Of: dash(d.Of), Filename: d.Filename, Size: fileSize(d.SizeBytes),
			Uploaded: DateTime(d.UploadedAt), Href: base + "/documents/" + strconv.FormatInt(d.ID, 10)}
	}
	return out
}

// HasOption reports whether value is one of opts (a choice a form may post).
func HasOption(opts []Option, value string) bool {
	for _, o := range opts {
		if o.Value == value && value != "" {
			return true
		}
	}
	return false
}
