package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type dashboardStore interface {
	Dashboard(ctx context.Context, scope portal.Scope, code string, want registry.DueWant, now time.Time) (registry.Dashboard, error)
}

// dashboardData is what every tier's dashboard reads: its own division, the ones below it, and its figures.
type dashboardData struct {
	account  *portal.Account
	division portal.Division
	children []portal.Division
	figures  registry.DivisionFigures
	orgs     registry.OrgTotals
	work     registry.WorkWaiting
	due      []registry.DueItem
	now      time.Time
}

// loadDashboard reads account a's 工作台 in one round trip (postgres.DB.Dashboard): what falls due is what a
// acts on, by its tier and role, inside its jurisdiction.
func loadDashboard(ctx context.Context, db dashboardStore, a *portal.Account) (dashboardData, error) {
	now := time.Now()
	got, err := db.Dashboard(ctx, a.Scope(), a.DivisionCode, registry.DueWantFor(*a), now)
	return dashboardData{account: a, division: got.Division, children: got.Children, figures: got.Figures,
		orgs: got.Orgs, work: got.Work, due: got.Due, now: now}, err
}

func (d dashboardData) view(r *http.Request) web.DashboardView {
	root := "/" + string(d.account.Tier)
	v := web.DashboardView{
		Page:         web.NewPage(d.division.Name+" 工作台", d.account, root, takeFlashCtx(r)),
		Heading:      d.division.Name + " · " + d.account.Tier.Label() + "工作台",
		DivisionLine: d.division.Kind + " · 统计用区划代码 " + d.division.Code,
	}
	if d.division.ManagedBy != "" {
		v.DivisionLine += " · 实际管理：" + d.division.ManagedBy
	}
	if d.division.Level == portal.TierCommunity {
		v.DivisionLine += " · " + urbanRural(d.division)
	}
	for _, c := range d.children {
		v.Children = append(v.Children, web.ChildRow{Code: c.Code, Name: c.Name, Kind: c.Kind,
			UrbanRural: urbanRural(c), ManagedBy: c.ManagedBy, Demo: c.Demo, Orgs: d.orgs.ByChild[c.Code]})
	}
	o := d.orgs
	v.Figures = append(v.Figures,
		web.Figure{Label: "社会组织（存续）", Value: o.Live, Href: root + "/orgs"},
		web.Figure{Label: "登记", Value: o.ByTier["registered"], Href: root + "/orgs?tier=registered"},
		web.Figure{Label: "镇街备案", Value: o.ByTier["filed"], Href: root + "/orgs?tier=filed"},
		web.Figure{Label: "村居指导", Value: o.ByTier["guided"], Href: root + "/orgs?tier=guided"},
		web.Figure{Label: "活动异常", Value: o.Abnormal, Href: root + "/orgs?status=abnormal"},
	)
	f := d.figures
	if n := f.LockedAccounts; n > 0 {
		v.Waiting = append(v.Waiting, web.WaitItem{Text: strconv.Itoa(n) + " 个下级账号因密码错误被锁定", Href: root + "/accounts"})
	}
	if n := f.DivisionsNoAcct; n > 0 && portal.Allowed(*d.account, portal.ManageAccounts) {
		v.Waiting = append(v.Waiting, web.WaitItem{Text: strconv.Itoa(n) + " 个下级区划尚无可用账号", Href: root + "/accounts/new"})
	}
	v.Waiting = append(v.Waiting, d.waiting(root)...)
	v.Due = dueView(d.account, d.due, d.now)
	return v
}

// waiting lists the open work that this tier acts on next, most pressing first.
func (d dashboardData) waiting(root string) []web.WaitItem {
	var items []web.WaitItem
	add := func(n int, text, path string) {
		if n > 0 {
			items = append(items, web.WaitItem{Text: strconv.Itoa(n) + " " + text, Href: root + path})
		}
	}
	w := d.work
	switch d.account.Tier {
	case portal.TierDistrict:
		add(w.ApplicationsSubmitted, "件登记申请待受理", "/applications?status=submitted")
		add(w.ApplicationsAccepted, "件登记申请已受理、待审查决定", "/applications?status=accepted")
	case portal.TierTown:
		add(w.NoticesUrgent, "件重大活动报告临近未确认（三天内开始或已开始）", "/notices")
		add(w.FilingsSubmitted, "件备案待审核", "/filings?status=submitted")
		add(w.NoticesWaiting-w.NoticesUrgent, "件重大活动报告待确认", "/notices")
		add(w.ApplicationsCorrection, "件登记申请待补正", "/applications?status=correction")
	case portal.TierCommunity:
		add(w.ApplicationsCorrection, "件登记申请被退回待补正", "/applications?status=correction")
		add(w.NoticesChanges, "件重大活动报告需修改后重新提交", "/notices")
	}
	return items
}

func urbanRural(d portal.Division) string {
	if d.Level != portal.TierCommunity {
		return "—"
	}
	if d.Rural {
		return "农村"
	}
	return "城市"
}

func handleDistrictDashboard(db dashboardStore, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := loadDashboard(r.Context(), db, accountFrom(r.Context()))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := d.view(r)
		f := d.figures
		v.Figures = append(v.Figures,
			web.Figure{Label: "镇街", Value: f.Towns},
			web.Figure{Label: "城市社区", Value: f.UrbanCommunities},
			web.Figure{Label: "村", Value: f.RuralCommunities},
			web.Figure{Label: "下级账号", Value: f.Accounts, Href: "/district/accounts"},
			web.Figure{Label: "今日登录失败", Value: f.FailedLoginsToday, Href: "/district/audit?action=login.failed"},
		)
		if f.FailedLoginsToday > 0 {
			v.Waiting = append(v.Waiting, web.WaitItem{Text: "今日有 " + strconv.Itoa(f.FailedLoginsToday) + " 次登录失败，请留意审计日志",
				Href: "/district/audit?action=login.failed"})
		}
		v.ChildrenTitle = "下辖镇街"
		rs.render(w, r, http.StatusOK, web.DashboardPage(v))
	}
}

func handleTownDashboard(db dashboardStore, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := loadDashboard(r.Context(), db, accountFrom(r.Context()))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := d.view(r)
		f := d.figures
		v.Figures = append(v.Figures,
			web.Figure{Label: "城市社区", Value: f.UrbanCommunities},
			web.Figure{Label: "村", Value: f.RuralCommunities},
			web.Figure{Label: "村(居)委会账号", Value: f.Accounts, Href: "/town/accounts"},
			web.Figure{Label: "已停用账号", Value: f.DisabledAccounts},
			web.Figure{Label: "重大活动临近未确认", Value: d.work.NoticesUrgent, Href: "/town/notices"},
		)
		v.ChildrenTitle = "下辖社区和村"
		rs.render(w, r, http.StatusOK, web.DashboardPage(v))
	}
}

func handleCommunityDashboard(db dashboardStore, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := loadDashboard(r.Context(), db, accountFrom(r.Context()))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := d.view(r)
		rs.render(w, r, http.StatusOK, web.DashboardPage(v))
	}
}
