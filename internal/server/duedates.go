package server

// 期限: each tier's 工作台 lists what it acts on with the day it is due, and the district sets the two periods
// the due days follow from.

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type deadlineSetter interface {
	DeadlineSettings(ctx context.Context, scope portal.Scope) (registry.DeadlineSettings, error)
	SetDeadlineSettings(ctx context.Context, scope portal.Scope, actor portal.Actor, s registry.DeadlineSettings, version int) error
}

func dueView(a *portal.Account, items []registry.DueItem, now time.Time) web.DueView {
	v := web.NewDueView(items, web.PathsFor(a.Tier), a.Tier, now)
	if portal.Allowed(*a, portal.SetDeadlines) {
		v.SettingsHref = deadlinesPath
	}
	return v
}

const deadlinesPath = "/district/deadlines"

func deadlineSettingsView(r *http.Request, a *portal.Account, s registry.DeadlineSettings) web.DeadlineSettingsView {
	v := web.DeadlineSettingsView{Page: web.NewPage("期限设置", a, "/district", takeFlashCtx(r)), Action: deadlinesPath,
		Version: s.Version, ReviewDays: web.Field{Value: strconv.Itoa(s.ReviewDays)},
		ReportGraceDays: web.Field{Value: strconv.Itoa(s.ReportGraceDays)}, UpdatedAt: "尚未设置，现按默认期限执行。"}
	if s.Version > 0 {
		v.UpdatedAt = "最近修改：" + web.DateTime(s.UpdatedAt)
	}
	return v
}

func handleDeadlineSettings(db deadlineSetter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		s, err := db.DeadlineSettings(r.Context(), a.Scope())
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.DeadlineSettingsPage(deadlineSettingsView(r, a, s)))
	}
}

// handleDeadlineSave saves the two periods: 422 with the message at the field and the input kept, 409 when the
// settings changed since the form was read (or the version is missing), or 303 to the 工作台.
func handleDeadlineSave(db deadlineSetter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseSettingsForm(w, r, rs) {
			return
		}
		a := accountFrom(r.Context())
		f := newForm(r)
		version := f.version("version")
		if version < 0 {
			rs.conflict(w, r)
			return
		}
		in := registry.DeadlineInput{ReviewDays: f.value("review_days"), ReportGraceDays: f.value("report_grace_days")}
		s, problems := in.Parse()
		if !problems.OK() {
			v := deadlineSettingsView(r, a, registry.DeadlineSettings{Version: version})
			v.ReviewDays = web.Field{Value: in.ReviewDays, Problem: problems["review_days"]}
			v.ReportGraceDays = web.Field{Value: in.ReportGraceDays, Problem: problems["report_grace_days"]}
			v.Problems = problems
			rs.render(w, r, http.StatusUnprocessableEntity, web.DeadlineSettingsPage(v))
			return
		}
		if err := db.SetDeadlineSettings(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), s, version); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "期限已保存：审查期限 "+strconv.Itoa(s.ReviewDays)+" 天，报送宽限 "+strconv.Itoa(s.ReportGraceDays)+" 天。")
		redirect(w, r, "/district")
	}
}
