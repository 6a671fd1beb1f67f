package server

import (
	"net/http"
	"strings"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

// handleOrgEnd lets a committee 注销 a live guided group it keeps, with the date and a reason, written to the
// timeline and the audit log like any status change; bringing it back is the town's. Bad input is 422 with the
// messages at the fields and the input kept; a stale version is 409.
func handleOrgEnd(db orgStatusChanger, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, o, err := orgDetail(r.Context(), db, a, base, r)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if !v.CanEnd {
			rs.notFound(w, r)
			return
		}
		if newForm(r).version("version") != o.Version {
			rs.conflict(w, r)
			return
		}
		on := strings.TrimSpace(r.PostFormValue("status_on"))
		reason := strings.TrimSpace(r.PostFormValue("reason"))
		v.StatusOn.Value, v.StatusReason.Value = on, reason
		p := rules.Problems{}
		day := statusDayAndReason(on, reason, registry.StatusDissolved, p)
		if p.OK() {
			err = db.ChangeOrgStatus(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), o.ID,
				o.Version, registry.StatusDissolved, day, reason)
			if err != nil {
				orgFail(rs, w, r, err)
				return
			}
		}
		if !p.OK() {
			v.Problems = p
			v.StatusOn.Problem, v.StatusReason.Problem = p["status_on"], p["reason"]
			rs.render(w, r, http.StatusUnprocessableEntity, web.OrgDetailPage(v))
			return
		}
		putFlash(r, "“"+o.Name+"”已注销，档案保留备查。")
		redirect(w, r, orgHref(base, o.ID))
	}
}
