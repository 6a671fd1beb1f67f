package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

// usccChecker is what the check before 准予登记 reads.
type usccChecker interface {
	applicationReader
	USCCInUse(ctx context.Context, scope portal.Scope, uscc string) (bool, error)
}

// handleApplicationApproveCheck checks the 统一社会信用代码 typed for 准予登记 — its shape, check digit, legal form and
// district, and that no organization holds it — and only then asks for the confirmation, on a page showing the
// checked code (no JavaScript needed). A bad code re-renders the application with the message at the field
// (422). Nothing is written here; the confirmation posts to /approve, which checks again.
func handleApplicationApproveCheck(db usccChecker, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, app, err := applicationDetail(r.Context(), db, a, base, r, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if newForm(r).version("version") != app.Version || !app.Status.CanBecome(registry.AppApproved) {
			rs.conflict(w, r)
			return
		}
		uscc := strings.TrimSpace(r.PostFormValue("uscc"))
		problem := ""
		if err := rules.CheckUSCC(uscc, app.LegalForm, app.DistrictCode); err != nil {
			problem = "统一社会信用代码：" + err.Error()
		} else if taken, err := db.USCCInUse(r.Context(), a.Scope(), uscc); err != nil {
			rs.fail(w, r, err)
			return
		} else if taken {
			problem = "该统一社会信用代码已被其他组织使用，请核对"
		}
		if problem != "" {
			v.USCC = web.Field{Value: uscc, Problem: problem}
			v.Problems = map[string]string{"uscc": problem}
			rs.render(w, r, http.StatusUnprocessableEntity, web.ApplicationDetailPage(v))
			return
		}
		rs.render(w, r, http.StatusOK, web.ApplicationApproveConfirmPage(web.NewApplicationApproveConfirm(v, app, uscc)))
	}
}
