package server

// Open data of 信息公开: the disclosures table as CSV and as JSON, streamed as the organizations are.

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

type openDisclosureStore interface {
	OpenDisclosures(ctx context.Context, scope portal.Scope, fn func(registry.Disclosure) error) error
}

// handleOpenDisclosuresCSV streams every revision of every disclosure, one row each.
func handleOpenDisclosuresCSV(db openDisclosureStore, ps *publicScoper, baseURL string, rs *responder) http.HandlerFunc {
	d := registry.OpenDisclosureDataset
	return func(w http.ResponseWriter, r *http.Request) {
		scope, extract, ok := openDataExtract(w, r, ps, rs)
		if !ok {
			return
		}
		streamOpenCSV(w, r, rs, "yubei-cso-"+d.Name+"-"+extract+".csv", d.Header(),
			func(fn func(registry.Disclosure) error) error { return db.OpenDisclosures(r.Context(), scope, fn) },
			func(x registry.Disclosure) []string { return registry.OpenDisclosureRecord(x, baseURL, extract) })
	}
}

// streamOpenCSV streams a CSV download of header and one row per record each gives, as record writes it.
func streamOpenCSV[T any](w http.ResponseWriter, r *http.Request, rs *responder, filename string, header []string,
	each func(func(T) error) error, record func(T) []string) {
	streamOpenData(w, r, rs, "text/csv; charset=utf-8", filename, func(out io.Writer) error {
		table, err := export.NewCSV(out, header)
		if err != nil {
			return err
		}
		cells := make([]any, len(header))
		if err := each(func(x T) error {
			for i, s := range record(x) {
				cells[i] = s
			}
			return table.Row(cells)
		}); err != nil {
			return err
		}
		return table.Close()
	})
}

// handleOpenDisclosuresJSON streams the same records as one JSON document; the keys are the dictionary's, and
// lines is an array of {side, category, amount} instead of the CSV's joined text.
func handleOpenDisclosuresJSON(db openDisclosureStore, ps *publicScoper, baseURL string, rs *responder) http.HandlerFunc {
	d := registry.OpenDisclosureDataset
	keys := make([][]byte, len(d.Columns))
	for i, c := range d.Columns {
		keys[i], _ = json.Marshal(c.Name)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		scope, extract, ok := openDataExtract(w, r, ps, rs)
		if !ok {
			return
		}
		streamOpenData(w, r, rs, "application/json", "yubei-cso-"+d.Name+"-"+extract+".json", func(out io.Writer) error {
			bw := bufio.NewWriterSize(out, 32<<10)
			head, _ := json.Marshal(map[string]string{"publisher": "重庆市渝北区民政局", "extract_date": extract,
				"dictionary": baseURL + "/open-data#dict-" + d.Name})
			bw.Write(head[:len(head)-1])
			bw.WriteString(`,"` + d.Name + `":[`)
			first := true
			if err := db.OpenDisclosures(r.Context(), scope, func(x registry.Disclosure) error {
				if !first {
					bw.WriteByte(',')
				}
				first = false
				bw.WriteByte('{')
				for i, s := range registry.OpenDisclosureRecord(x, baseURL, extract) {
					if i > 0 {
						bw.WriteByte(',')
					}
					bw.Write(keys[i])
					bw.WriteByte(':')
					var v []byte
					if d.Columns[i].Name == "lines" {
						v, _ = json.Marshal(registry.OpenDisclosureLines(x))
					} else {
						v, _ = json.Marshal(s)
					}
					bw.Write(v)
				}
				bw.WriteByte('}')
				return nil
			}); err != nil {
				return err
			}
			bw.WriteString("]}\n")
			return bw.Flush()
		})
	}
}
