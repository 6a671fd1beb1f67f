package server

// The one form reader: every handler reads its inputs through it, so each kind of input is trimmed, bounded and
// worded the same way on every page.

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/rules"
)

// countMax bounds every count of people: a larger number is a typing slip.
const countMax = 1000000

// form reads one submitted form. Each method reads one input, files a message under the input's name in
// Problems when it is wrong, and returns what the user typed (trimmed) so a failed form shows it again.
type form struct {
	values   url.Values
	Problems rules.Problems
	now      time.Time // today, for dates that may not lie in the future
}

// newForm reads r's posted values; a body already parsed (multipart) is used as it is.
func newForm(r *http.Request) *form {
	if r.PostForm == nil {
		_ = r.ParseMultipartForm(32 << 20) // errors leave the values empty, as r.PostFormValue does
	}
	return &form{values: r.PostForm, Problems: rules.Problems{}, now: time.Now().In(beijing)}
}

// OK reports whether every input read so far was good.
func (f *form) OK() bool { return f.Problems.OK() }

// raw is an input as sent, untrimmed (an ID number that is never echoed back, a checkbox).
func (f *form) raw(name string) string { return f.values.Get(name) }

// value is an input trimmed, with no check.
func (f *form) value(name string) string { return strings.TrimSpace(f.values.Get(name)) }

// text reads a one- or multi-line text of at most max characters; required ones may not be blank.
func (f *form) text(name, label string, max int, required bool) string {
	s := f.value(name)
	switch n := utf8.RuneCountInString(s); {
	case required && n == 0:
		f.Problems.Add(name, "请填写"+label)
	case n > max:
		f.Problems.Add(name, label+"不能超过 "+strconv.Itoa(max)+" 字，现为 "+strconv.Itoa(n)+" 字")
	}
	return s
}

// count reads a required whole number min…countMax; the number is 0 when the input is wrong.
func (f *form) count(name, label string, min int) (string, int) {
	s := f.value(name)
	n, err := strconv.Atoi(s)
	switch {
	case s == "":
		f.Problems.Add(name, "请填写"+label)
		return s, 0
	case err != nil || n < min || n > countMax:
		f.Problems.Add(name, label+"应为 "+strconv.Itoa(min)+" 至 "+strconv.Itoa(countMax)+" 之间的整数")
		return s, 0
	}
	return s, n
}

// date reads a required day that has happened: not after today, not before 1949.
func (f *form) date(name, label string) (string, *time.Time) {
	s := f.value(name)
	if s == "" {
		f.Problems.Add(name, "请填写"+label)
		return s, nil
	}
	d, err := time.ParseInLocation(dateLayout, s, time.UTC)
	if err != nil {
		f.Problems.Add(name, label+"格式应为 年-月-日，如 2021-07-21")
		return s, nil
	}
	y, m, dd := f.now.Date()
	switch {
	case d.After(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)):
		f.Problems.Add(name, label+"不能晚于今天")
		return s, nil
	case d.Year() < 1949:
		f.Problems.Add(name, label+"不能早于 1949 年")
		return s, nil
	}
	return s, &d
}

// pick reads one choice from allowed; msg is the message when it is not one of them (blank included).
func (f *form) pick(name string, allowed []string, msg string) string {
	s := f.raw(name)
	if !slices.Contains(allowed, s) {
		f.Problems.Add(name, msg)
	}
	return s
}

// picks reads a multi-select from allowed, each choice once, in the order sent; msg is the message when a
// choice is not allowed, or when required and none is chosen. The choices up to the first bad one are kept.
func (f *form) picks(name string, allowed []string, required bool, msg string) []string {
	var out []string
	for _, v := range f.values[name] {
		if !slices.Contains(allowed, v) {
			f.Problems.Add(name, msg)
			return out
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if required && len(out) == 0 {
		f.Problems.Add(name, msg)
	}
	return out
}

// id reads a record's id from the form; msg is the message when it is missing or not a positive whole number.
func (f *form) id(name, msg string) int64 {
	id, ok := parseID(f.value(name))
	if !ok {
		f.Problems.Add(name, msg)
	}
	return id
}

// version reads the revision of a record the page was built from, for the store's optimistic lock; a missing
// or garbled one is -1, which matches no revision and so reads as stale.
func (f *form) version(name string) int {
	v, err := strconv.Atoi(f.raw(name))
	if err != nil {
		return -1
	}
	return v
}

// parseID reads a record id: a positive whole number.
func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// pathID reads the record id in the URL parameter name; false means the page is 404.
func pathID(r *http.Request, name string) (int64, bool) {
	return parseID(chi.URLParam(r, name))
}

// uploadFormMemory is how much of a multipart form is held in memory; the parts beyond wait in temporary files,
// removed after the request (r.MultipartForm.RemoveAll).
const uploadFormMemory = 1 << 20

// parseUpload reads a multipart form of at most maxBody bytes, answering itself when it cannot: 413 with tooBig
// (what to do about the size), 400 with retry (where to start again). It says whether the form was read.
func parseUpload(w http.ResponseWriter, r *http.Request, rs *responder, maxBody int64, tooBig, retry string) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	err := r.ParseMultipartForm(uploadFormMemory)
	var over *http.MaxBytesError
	switch {
	case err == nil:
		return true
	case errors.As(err, &over):
		rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "上传的文件过大", tooBig)
	default:
		rs.errorPage(w, r, http.StatusBadRequest, "无法读取表单", retry)
	}
	return false
}
