package server

import (
	"net/http/httptest"
	"testing"
)

// Every download streams for as long as its rows take; a page gets PORTAL_DB_TIMEOUT. The open-data files were
// once cut off at the page deadline after 10 MB of 2 million rows.
func TestDownloadsAndUploadsGetTheLongLimit(t *testing.T) {
	for path, long := range map[string]bool{
		"/open-data/organizations.csv":       true,
		"/open-data/organizations.json":      true,
		"/district/orgs/export.xlsx":         true,
		"/town/funding/grants-360giving.csv": true,
		"/district/stats/export.xlsx":        true,
		"/district/orgs":                     false,
		"/orgs":                              false,
		"/open-data":                         false,
		"/town/orgs/12/history":              false,
		"/district/orgs/export.xlsx/../../x": false,
	} {
		r := httptest.NewRequest("GET", path, nil)
		if got := isLongRequest(r); got != long {
			t.Errorf("%s: long = %v, want %v", path, got, long)
		}
	}
	up := httptest.NewRequest("POST", "/community/reports/new", nil)
	up.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	if !isLongRequest(up) {
		t.Error("an upload did not get the long limit")
	}
}
