// Open data downloads: the public fields of every organization as HSDS-shaped CSV tables and one JSON file,
// streamed from the database as they are written.
package server

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type openDataStore interface {
	OpenData(ctx context.Context, scope portal.Scope, fn func(registry.OpenOrg) error) error
}

func handleOpenDataPage(rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := web.OpenDataView{Page: web.NewPage("开放数据", nil, "", ""), Datasets: registry.OpenDatasets,
			Disclosures: registry.OpenDisclosureDataset}
		rs.render(w, r, http.StatusOK, web.OpenDataPage(v))
	}
}

// handleOpenDataCSV streams one table of the open data.
func handleOpenDataCSV(db openDataStore, ps *publicScoper, baseURL, dataset string, rs *responder) http.HandlerFunc {
	d, ok := registry.OpenDatasetNamed(dataset)
	if !ok {
		panic("open data: no dataset " + dataset)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		scope, extract, ok := openDataExtract(w, r, ps, rs)
		if !ok {
			return
		}
		streamOpenCSV(w, r, rs, "yubei-cso-"+d.Name+"-"+extract+".csv", d.Header(),
			func(fn func(registry.OpenOrg) error) error { return db.OpenData(r.Context(), scope, fn) },
			func(o registry.OpenOrg) []string { return registry.OpenRecord(d.Name, o, baseURL, extract) })
	}
}

// handleOpenDataJSON streams the three tables as one JSON document: the extract's facts, then each
// organization with its services and locations, keys named as in the dictionary.
func handleOpenDataJSON(db openDataStore, ps *publicScoper, baseURL string, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		scope, extract, ok := openDataExtract(w, r, ps, rs)
		if !ok {
			return
		}
		streamOpenData(w, r, rs, "application/json", "yubei-cso-"+extract+".json", func(out io.Writer) error {
			bw := bufio.NewWriterSize(out, 32<<10)
			head, _ := json.Marshal(map[string]string{"publisher": "重庆市渝北区民政局", "extract_date": extract,
				"standard": "Open Referral HSDS 3.0 (organization, service, location)", "dictionary": baseURL + "/open-data#dictionary"})
			bw.Write(head[:len(head)-1])
			bw.WriteString(`,"organizations":[`)
			first := true
			err := db.OpenData(r.Context(), scope, func(o registry.OpenOrg) error {
				if !first {
					bw.WriteByte(',')
				}
				first = false
				writeOpenObject(bw, "organizations", o, baseURL, extract, func() {
					for _, sub := range []string{"services", "locations"} {
						bw.WriteString(`,"` + sub + `":[`)
						writeOpenObject(bw, sub, o, baseURL, extract, nil)
						bw.WriteByte(']')
					}
				})
				return nil
			})
			if err != nil {
				return err
			}
			bw.WriteString("]}\n")
			return bw.Flush()
		})
	}
}

// openDataExtract is the scope of an extract and its day (北京时间), or false after answering with the error.
func openDataExtract(w http.ResponseWriter, r *http.Request, ps *publicScoper, rs *responder) (portal.Scope, string, bool) {
	scope, err := ps.get(r.Context())
	if err != nil {
		rs.serverError(w, r, err)
		return scope, "", false
	}
	return scope, time.Now().In(beijing).Format("2006-01-02"), true
}

// writeOpenObject writes o's record of dataset as a JSON object whose keys are the dataset's columns in order;
// more writes further members before the object closes.
func writeOpenObject(bw *bufio.Writer, dataset string, o registry.OpenOrg, baseURL, extract string, more func()) {
	d, _ := registry.OpenDatasetNamed(dataset)
	bw.WriteByte('{')
	for i, s := range registry.OpenRecord(dataset, o, baseURL, extract) {
		if i > 0 {
			bw.WriteByte(',')
		}
		k, _ := json.Marshal(d.Columns[i].Name)
		v, _ := json.Marshal(s)
		bw.Write(k)
		bw.WriteByte(':')
		bw.Write(v)
	}
	if more != nil {
		more()
	}
	bw.WriteByte('}')
}

// streamOpenData sends a download written by write, as streamTable does (failStream).
func streamOpenData(w http.ResponseWriter, r *http.Request, rs *responder, contentType, filename string, write func(io.Writer) error) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", export.ContentDisposition(filename, filename))
	out := &byteCounter{w: w}
	err := write(out)
	failStream(w, r, rs, out.n, err)
}
