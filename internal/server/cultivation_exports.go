package server

// Per-list spreadsheets of the cultivation pages: the contracts inside the caller's scope, a round's
// applications and awards, and a room's bookings. Each export is audited like the others.

import (
	"context"
	"net/http"
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
	return db.Audit(context.WithoutCancel(r.Context()), portal.AuditEntry{Actor: actorOf(r, a), Action: "funding.export",
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
		streamTable(w, r, rs, a, exportXLSX, "购买服务合同", "contracts", "contracts", web.ContractExportHeader, func(t export.Table) error {
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
		streamTable(w, r, rs, a, exportXLSX, "公益创投申报与立项", "venture-"+strconv.FormatInt(round.ID, 10), "applications",
			web.VentureExportHeader, func(t export.Table) error {
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
		room, err := db.Room(r.Context(), a.Scope(), id, roomID)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		now := time.Now()
		bs, err := db.RoomBookings(r.Context(), a.Scope(), id, room.ID, now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		streamTable(w, r, rs, a, exportXLSX, "活动室预约", "bookings", "bookings", web.BookingExportHeader, func(t export.Table) error {
			for _, b := range bs {
				if err := t.Row(web.BookingExportCells(b)); err != nil {
					return err
				}
			}
			return auditExport(r, db, a, "room", "bookings-"+strconv.FormatInt(room.ID, 10), len(bs))
		})
	}
}
