package server

// Per-list spreadsheets of the cultivation pages: the contracts inside the caller's scope, a round's
// applications and awards, a room's bookings, the platforms' register and a fund's ledger (these two with title
// rows). Each export is audited like the others.

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type auditor interface {
	Audit(ctx context.Context, e portal.AuditEntry) error
}

// auditExport records one export of n rows of what, after the rows are written.
func auditExport(r *http.Request, db auditor, a *portal.Account, what, name string, n int) error {
	return auditListExport(r, db, a, "funding.export", what, name, n)
}

// auditListExport records one export (action) of n rows of what.
func auditListExport(r *http.Request, db auditor, a *portal.Account, action, what, name string, n int) error {
	return db.Audit(context.WithoutCancel(r.Context()), portal.AuditEntry{Actor: actorOf(r, a), Action: action,
		ObjectType: what, Result: portal.ResultOK, Detail: name + " xlsx " + strconv.Itoa(n) + " 行"})
}

type contractExporter interface {
	auditor
	Contracts(ctx context.Context, scope portal.Scope) ([]registry.Contract, error)
}

func handleContractsExport(db contractExporter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		cs, err := db.Contracts(r.Context(), a.Scope())
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		title := exportTitle(a.DivisionName+"购买服务合同", a.DivisionName, "签订日期 "+dateSpan(cs, func(c registry.Contract) time.Time { return c.SignedOn }),
			"元（精确到分）", time.Now())
		streamTitledTable(w, r, rs, a, exportXLSX, "购买服务合同", "contracts", "contracts", title, web.ContractExportHeader, func(t export.Table) error {
			for _, c := range cs {
				if err := t.Row(web.ContractExportCells(c)); err != nil {
					return err
				}
			}
			return auditExport(r, db, a, "contract", "contracts", len(cs))
		})
	}
}

type roundExporter interface {
	auditor
	Round(ctx context.Context, scope portal.Scope, id int64) (registry.Round, error)
	VentureApplications(ctx context.Context, scope portal.Scope, roundID int64, reviewing bool) ([]registry.VentureApplication, error)
}

// handleRoundExport is a round's applications and awards, as many as the caller sees on the round's page.
func handleRoundExport(db roundExporter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		round, err := db.Round(r.Context(), a.Scope(), id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		apps, err := db.VentureApplications(r.Context(), a.Scope(), round.ID, portal.Allowed(*a, portal.ReviewVenture))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		title := exportTitle(round.Title+"申报与立项", "设立单位 "+round.DivisionName+"；导出单位 "+a.DivisionName+"可见的申报",
			"申报期 "+web.Date(round.OpensOn)+" 至 "+web.Date(round.ClosesOn), "金额：元（精确到分）；评分：分", time.Now())
		streamTitledTable(w, r, rs, a, exportXLSX, "公益创投申报与立项", "venture-"+strconv.FormatInt(round.ID, 10), "applications",
			title, web.VentureExportHeader, func(t export.Table) error {
				for _, app := range apps {
					if err := t.Row(web.VentureExportCells(app)); err != nil {
						return err
					}
				}
				return auditExport(r, db, a, "round", "venture-"+strconv.FormatInt(round.ID, 10), len(apps))
			})
	}
}

type bookingExporter interface {
	auditor
	Platform(ctx context.Context, scope portal.Scope, id int64) (registry.Platform, error)
	Room(ctx context.Context, scope portal.Scope, platformID, roomID int64) (registry.Room, error)
	RoomBookings(ctx context.Context, scope portal.Scope, platformID, roomID int64, from, to time.Time) ([]registry.Booking, error)
}

// handleRoomBookingsExport is a room's bookings from a year back to a year ahead, cancelled ones included.
func handleRoomBookingsExport(db bookingExporter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		id, ok1 := pathID(r, "id")
		roomID, ok2 := pathID(r, "roomID")
		if !ok1 || !ok2 {
			rs.notFound(w, r)
			return
		}
		p, err := db.Platform(r.Context(), a.Scope(), id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		room, err := db.Room(r.Context(), a.Scope(), p.ID, roomID)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		now := time.Now()
		from, to := now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0)
		bs, err := db.RoomBookings(r.Context(), a.Scope(), p.ID, room.ID, from, to)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		title := exportTitle(p.Name+room.Name+"预约记录", p.DivisionName+" "+p.Name,
			web.Date(from)+" 至 "+web.Date(to)+"（含已取消的预约）", "时间为北京时间；容纳 "+strconv.Itoa(room.Capacity)+" 人", now)
		streamTitledTable(w, r, rs, a, exportXLSX, "活动室预约", "bookings", "bookings", title, web.BookingExportHeader, func(t export.Table) error {
			for _, b := range bs {
				if err := t.Row(web.BookingExportCells(b)); err != nil {
					return err
				}
			}
			return auditExport(r, db, a, "room", "bookings-"+strconv.FormatInt(room.ID, 10), len(bs))
		})
	}
}

// exportTitle is the title rows of a list's spreadsheet: what it is, whose (the jurisdiction), the period, the
// units, and when it was exported.
func exportTitle(what, jurisdiction, period, units string, now time.Time) []string {
	return []string{what, "范围：" + jurisdiction, "期间：" + period, "单位：" + units,
		"导出时间：" + web.DateTime(now) + "（北京时间）"}
}

// dateSpan is the earliest to the latest day of items (by day), or that there are none.
func dateSpan[T any](items []T, day func(T) time.Time) string {
	if len(items) == 0 {
		return "尚无记录"
	}
	first, last := day(items[0]), day(items[0])
	for _, it := range items[1:] {
		if d := day(it); d.Before(first) {
			first = d
		} else if d.After(last) {
			last = d
		}
	}
	return web.Date(first) + " 至 " + web.Date(last)
}

// platformsReach says which platforms a tier's register holds.
var platformsReach = map[portal.Tier]string{
	portal.TierDistrict:  "全区各级支持平台",
	portal.TierTown:      "本镇街及所辖社区（村）的支持平台",
	portal.TierCommunity: "本社区（村）及所属镇街的支持平台",
}

type platformExporter interface {
	auditor
	platformLister
}

// handlePlatformsExport is the register of platforms the caller's page lists (its 平台类型 filter too).
func handlePlatformsExport(db platformExporter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		kind := r.URL.Query().Get("kind")
		if !slices.Contains(registry.PlatformKinds, kind) {
			kind = ""
		}
		list, err := db.Platforms(r.Context(), a.Scope(), registry.PlatformFilter{Kind: kind})
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		now := time.Now()
		what := a.DivisionName + "支持平台名册"
		if kind != "" {
			what += "（" + kind + "）"
		}
		title := exportTitle(what, a.DivisionName+"，"+platformsReach[a.Tier], "截至 "+web.Date(now)+" 在册", "工作人员：人；活动室：间", now)
		streamTitledTable(w, r, rs, a, exportXLSX, "支持平台", "platforms", "支持平台", title, web.PlatformExportHeader, func(t export.Table) error {
			for _, p := range list {
				if err := t.Row(web.PlatformExportCells(p)); err != nil {
					return err
				}
			}
			return auditListExport(r, db, a, "platform.export", "platform", "platforms", len(list))
		})
	}
}

type ledgerExporter interface {
	auditor
	Fund(ctx context.Context, scope portal.Scope, id int64) (registry.Fund, error)
	Movements(ctx context.Context, fundID int64) ([]registry.Movement, error)
}

// handleFundLedgerExport is a fund's ledger, every movement with the balance after it and a row of totals, for a
// fund inside the caller's scope (another is 404).
func handleFundLedgerExport(db ledgerExporter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		f, err := db.Fund(r.Context(), a.Scope(), id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		ms, err := db.Movements(r.Context(), f.ID)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		now := time.Now()
		period := "尚无收支"
		if len(ms) > 0 {
			period = web.Date(ms[0].On) + " 至 " + web.Date(ms[len(ms)-1].On) + "（设立以来全部收支）"
		}
		name := "ledger-" + strconv.FormatInt(f.ID, 10)
		title := exportTitle(f.Name+"收支明细", "设立单位 "+f.DivisionName, period, "元（精确到分）", now)
		streamTitledTable(w, r, rs, a, exportXLSX, "工作基金收支明细", name, "收支明细", title, web.LedgerExportHeader, func(t export.Table) error {
			for _, row := range web.LedgerExport(ms) {
				if err := t.Row(row); err != nil {
					return err
				}
			}
			return auditExport(r, db, a, "fund", name, len(ms))
		})
	}
}

// handleOverviewListExport streams one list of the money overview (funds, rounds) as the caller sees it, with
// the title rows of the other exports; object names the audit row's object type.
func handleOverviewListExport[T any](db auditor, read func(context.Context, portal.Scope) ([]T, error), title, name,
	period, object string, header []string, cells func(T) []any, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		items, err := read(r.Context(), a.Scope())
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		titled := exportTitle(title, a.DivisionName, period, "元（精确到分）", time.Now())
		streamTitledTable(w, r, rs, a, exportXLSX, title, name, title, titled, header, func(t export.Table) error {
			for _, item := range items {
				if err := t.Row(cells(item)); err != nil {
					return err
				}
			}
			return auditExport(r, db, a, object, name, len(items))
		})
	}
}

// handleFundsExport is the 工作基金 list, with balances as they stand at the export.
func handleFundsExport(db interface {
	auditor
	Funds(ctx context.Context, scope portal.Scope) ([]registry.Fund, error)
}, rs *responder) http.HandlerFunc {
	return handleOverviewListExport(db, db.Funds, "工作基金", "funds", "余额截至导出时", "fund", web.FundsExportHeader, web.FundExportCells, rs)
}

// handleRoundsExport is the 公益创投 list, with what each round has awarded so far.
func handleRoundsExport(db interface {
	auditor
	Rounds(ctx context.Context, scope portal.Scope) ([]registry.Round, error)
}, rs *responder) http.HandlerFunc {
	return handleOverviewListExport(db, db.Rounds, "公益创投", "rounds", "已立项金额截至导出时", "round", web.RoundsExportHeader, web.RoundExportCells, rs)
}
