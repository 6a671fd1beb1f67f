package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type auditSearcher interface {
	SearchAudit(ctx context.Context, scope portal.Scope, f registry.AuditFilter) ([]portal.AuditEntry, error)
}

var beijing = portal.Beijing // 北京时间

// handleAuditSearch is the district's audit log: filters by user, action, result and dates, keyset pages.
func handleAuditSearch(db auditSearcher, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		q := r.URL.Query()
		v := web.AuditView{Page: web.NewPage("审计日志", a, "/district/audit", ""),
			Actor: strings.TrimSpace(q.Get("actor")), Action: q.Get("action"), Result: q.Get("result"),
			From: q.Get("from"), To: q.Get("to"), Problems: map[string]string{}}
		f := registry.AuditFilter{Actor: v.Actor, Action: v.Action, Result: v.Result, Limit: 50}
		if v.From != "" {
			t, err := time.ParseInLocation("2006-01-02", v.From, beijing)
			if err != nil {
				v.Problems["from"] = "起始日期格式应为 2021-07-21"
			} else {
				f.From = &t
			}
		}
		if v.To != "" {
			t, err := time.ParseInLocation("2006-01-02", v.To, beijing)
			if err != nil {
				v.Problems["to"] = "截止日期格式应为 2021-07-21"
			} else {
				t = t.AddDate(0, 0, 1) // the whole of the last day
				f.To = &t
			}
		}
		if b, ok := parseID(q.Get("before")); ok {
			f.Before = b
		}
		status := http.StatusOK
		if len(v.Problems) > 0 {
			status = http.StatusUnprocessableEntity
		} else {
			entries, err := db.SearchAudit(r.Context(), a.Scope(), f)
			if err != nil {
				rs.serverError(w, r, err)
				return
			}
			for _, e := range entries {
				v.Rows = append(v.Rows, web.NewAuditRow(e))
			}
			if len(entries) == f.Limit {
				next := url.Values{}
				for k, vals := range q {
					if k != "before" {
						next[k] = vals
					}
				}
				next.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
				v.NextHref = "/district/audit?" + next.Encode()
			}
		}
		rs.render(w, r, status, web.AuditPage(v))
	}
}
