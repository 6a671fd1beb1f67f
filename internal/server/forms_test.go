package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
)

// testForm is a form of vals posted today, 2024-05-10 in Beijing.
func testForm(t *testing.T, vals url.Values) *form {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(vals.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	f := newForm(r)
	f.now = time.Date(2024, 5, 10, 9, 0, 0, 0, beijing)
	return f
}

// checkRead compares what a reader returned and the message it filed with what a case expects.
func checkRead(t *testing.T, f *form, name, got, want, wantMsg string) {
	t.Helper()
	if got != want {
		t.Errorf("kept %q, want %q", got, want)
	}
	if f.Problems[name] != wantMsg {
		t.Errorf("message %q, want %q", f.Problems[name], wantMsg)
	}
}

func TestFormText(t *testing.T) {
	for _, c := range []struct {
		in       string
		required bool
		want     string
		msg      string
	}{
		{"  活动室 ", true, "活动室", ""},
		{"", false, "", ""},
		{"   ", true, "", "请填写活动场所"},
		{"一二三四五六", true, "一二三四五六", "活动场所不能超过 5 字，现为 6 字"},
	} {
		f := testForm(t, url.Values{"venue": {c.in}})
		checkRead(t, f, "venue", f.text("venue", "活动场所", 5, c.required), c.want, c.msg)
	}
}

func TestFormCount(t *testing.T) {
	for _, c := range []struct {
		in, want string
		min, n   int
		msg      string
	}{
		{" 12 ", "12", 1, 12, ""},
		{"0", "0", 0, 0, ""},
		{"", "", 0, 0, "请填写成员人数"},
		{"0", "0", 1, 0, "成员人数应为 1 至 1000000 之间的整数"},
		{"-3", "-3", 0, 0, "成员人数应为 0 至 1000000 之间的整数"},
		{"十二", "十二", 0, 0, "成员人数应为 0 至 1000000 之间的整数"},
		{"1000001", "1000001", 0, 0, "成员人数应为 0 至 1000000 之间的整数"},
	} {
		f := testForm(t, url.Values{"members": {c.in}})
		s, n := f.count("members", "成员人数", c.min)
		checkRead(t, f, "members", s, c.want, c.msg)
		if n != c.n {
			t.Errorf("%q: number %d, want %d", c.in, n, c.n)
		}
	}
}

func TestFormDate(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
		msg      string
	}{
		{"2021-07-21", "2021-07-21", true, ""},
		{"2024-05-10", "2024-05-10", true, ""},
		{"", "", false, "请填写成立日期"},
		{"2021/07/21", "2021/07/21", false, "成立日期格式应为 年-月-日，如 2021-07-21"},
		{"2024-05-11", "2024-05-11", false, "成立日期不能晚于今天"},
		{"1948-12-31", "1948-12-31", false, "成立日期不能早于 1949 年"},
	} {
		f := testForm(t, url.Values{"founded_on": {c.in}})
		s, d := f.date("founded_on", "成立日期")
		checkRead(t, f, "founded_on", s, c.want, c.msg)
		if (d != nil) != c.ok || (d != nil && d.Format(dateLayout) != c.in) {
			t.Errorf("%q: date %v", c.in, d)
		}
	}
}

func TestFormPicks(t *testing.T) {
	allowed := []string{"养老", "助残", "文体"}
	for _, c := range []struct {
		in       []string
		required bool
		want     []string
		msg      string
	}{
		{[]string{"文体", "养老", "文体"}, true, []string{"文体", "养老"}, ""},
		{nil, false, nil, ""},
		{nil, true, nil, "请从列表中选择"},
		{[]string{"养老", "炒股", "文体"}, false, []string{"养老"}, "请从列表中选择"},
	} {
		f := testForm(t, url.Values{"fields": c.in})
		got := f.picks("fields", allowed, c.required, "请从列表中选择")
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: kept %q, want %q", c.in, got, c.want)
		}
		if f.Problems["fields"] != c.msg {
			t.Errorf("%q: message %q, want %q", c.in, f.Problems["fields"], c.msg)
		}
	}
}

func TestFormPick(t *testing.T) {
	for _, c := range []struct{ in, msg string }{{"公益性", ""}, {"", "请选择性质"}, {"营利性", "请选择性质"}} {
		f := testForm(t, url.Values{"nature": {c.in}})
		checkRead(t, f, "nature", f.pick("nature", []string{"服务性", "公益性"}, "请选择性质"), c.in, c.msg)
	}
}

func TestFormID(t *testing.T) {
	for _, c := range []struct {
		in  string
		id  int64
		msg string
	}{{" 42 ", 42, ""}, {"", 0, "请选择组织"}, {"0", 0, "请选择组织"}, {"-4", 0, "请选择组织"}, {"4x", 0, "请选择组织"}} {
		f := testForm(t, url.Values{"org": {c.in}})
		if id := f.id("org", "请选择组织"); (id > 0 && id != c.id) || (c.id > 0 && id != c.id) {
			t.Errorf("%q: id %d, want %d", c.in, id, c.id)
		}
		if f.Problems["org"] != c.msg {
			t.Errorf("%q: message %q, want %q", c.in, f.Problems["org"], c.msg)
		}
	}
}

func TestPathID(t *testing.T) {
	for _, c := range []struct {
		in string
		id int64
		ok bool
	}{{"7", 7, true}, {"0", 0, false}, {"-7", 0, false}, {"x", 0, false}, {"99999999999999999999", 0, false}} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		rc := chi.NewRouteContext()
		rc.URLParams.Add("id", c.in)
		r = r.WithContext(context.WithValue(r.Context(), chi.RouteCtxKey, rc))
		if id, ok := pathID(r, "id"); ok != c.ok || (ok && id != c.id) {
			t.Errorf("%q: %d %v, want %d %v", c.in, id, ok, c.id, c.ok)
		}
	}
}

func TestFormVersion(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want int
	}{{[]string{"3"}, 3}, {[]string{"0"}, 0}, {nil, -1}, {[]string{"3a"}, -1}, {[]string{""}, -1}} {
		f := testForm(t, url.Values{"version": c.in})
		if got := f.version("version"); got != c.want {
			t.Errorf("%q: %d, want %d", c.in, got, c.want)
		}
		if !f.OK() {
			t.Errorf("%q: version filed a problem %v", c.in, f.Problems)
		}
	}
}
