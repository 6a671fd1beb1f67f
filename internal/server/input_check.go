package server

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// checkedBodyLimit is how much of a form body checkInput reads to check it; every form of the portal is far
// smaller, and the handlers' own limits still apply to what follows.
const checkedBodyLimit = 1 << 20

// checkInput refuses, with a 400 page, a request whose path, query or form holds a NUL byte or bytes that are
// not UTF-8 (SECURITY.md 13). PostgreSQL can store neither; refused here, such input never reaches a handler,
// a statement or a log line. Uploads (multipart) are checked by their handlers and, for their text fields, by
// the store, whose refusal of such a value is also a 400 (responder.serverError).
func (s *Server) checkInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok := textOK(r.URL.Path, len(r.URL.Path)) && valuesOK(r.URL.RawQuery)
		if ok && r.Method == http.MethodPost && r.Body != nil &&
			strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			b, err := io.ReadAll(io.LimitReader(r.Body, checkedBodyLimit))
			if err != nil {
				s.resp.badRequest(w, r)
				return
			}
			ok = valuesOK(string(b))
			// The handler reads the same bytes, then whatever lies beyond, under its own limit.
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(b), r.Body), r.Body}
		}
		if !ok {
			s.resp.badRequest(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// valuesOK reports whether every name and value of an URL-encoded string is text the portal can keep. A
// string that does not decode is left to the handler, which sees no values from it.
func valuesOK(encoded string) bool {
	if encoded == "" {
		return true
	}
	vs, _ := url.ParseQuery(encoded)
	for k, list := range vs {
		if !utf8.ValidString(k) || strings.ContainsRune(k, 0) {
			return false
		}
		for _, v := range list {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				return false
			}
		}
	}
	return true
}
