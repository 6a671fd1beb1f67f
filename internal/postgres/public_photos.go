// Photos on the public profile: the committee marks which photos of a report the public may see, and the
// profile shows the marked photos of the group's latest reports. The stored files carry no identifying
// metadata (internal/photos strips it when they are saved).
package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// PublicPhotoReports is how many of a group's latest current reports the profile shows photos of, and
// PublicPhotoMax how many photos at most.
const (
	PublicPhotoReports = 5
	PublicPhotoMax     = 12
)

// PublicPhotoIDs are the ids of revision reportID's photos marked public, inside scope.
func (db *DB) PublicPhotoIDs(ctx context.Context, scope portal.Scope, reportID int64) ([]int64, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT p.id FROM report_photos p JOIN activity_reports r ON r.id = p.report_id
		WHERE p.report_id = @id AND p.public AND `+scopeOn("r")+` ORDER BY p.position`,
		scopeArgs(scope, namedArgs{"id": reportID}))
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return ids, translate(err)
}

// SetPhotosPublic marks exactly the photos public of revision reportID, which must be current and at version
// (else ErrConflict, nothing written); ids not among its photos are ignored. Audited; the report's version
// moves on, so a form built before the change is stale.
func (db *DB) SetPhotosPublic(ctx context.Context, scope portal.Scope, actor portal.Actor, reportID int64, version int, public []int64) error {
	if !portal.Can(scope.Tier, portal.SubmitReports) {
		return portal.ErrNotAllow
	}
	if public == nil {
		public = []int64{}
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE activity_reports r SET version = version + 1
			WHERE r.id = @id AND r.superseded_at IS NULL AND r.version = @version AND `+scopeOn("r"),
			scopeArgs(scope, namedArgs{"id": reportID, "version": version}))
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM activity_reports r WHERE r.id = @id AND `+scopeOn("r"),
				scopeArgs(scope, namedArgs{"id": reportID})).Scan(&n); err != nil {
				return translate(err)
			}
			if n == 0 {
				return portal.ErrNotFound
			}
			return portal.ErrConflict
		}
		tag, err = tx.Exec(ctx, `UPDATE report_photos SET public = (id = ANY(@ids)) WHERE report_id = @id`,
			namedArgs{"id": reportID, "ids": public})
		if err != nil {
			return translate(err)
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "report.photos_public", ObjectType: "activity_report",
			ObjectID: strconv.FormatInt(reportID, 10), Result: portal.ResultOK,
			Detail: strconv.Itoa(len(public)) + " 张照片公开，共 " + strconv.FormatInt(tag.RowsAffected(), 10) + " 张"})
	})
}

// PublicPhotos are the photos marked public of the group's latest current reports inside scope, newest
// activity first: one range of activity_reports_org_cover_idx and a probe of report_photos per report.
func (db *DB) PublicPhotos(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.PublicPhoto, error) {
	if err := checkScope(scope); err != nil {
		return nil, err
	}
	var out []registry.PublicPhoto
	b := &pgx.Batch{}
	queuePublicPhotos(b, scope, orgID, &out)
	return out, db.send(ctx, planKept, b)
}

// queuePublicPhotos queues PublicPhotos's statement on b (planKept), to fill out; scope is checked.
func queuePublicPhotos(b *pgx.Batch, scope portal.Scope, orgID int64, out *[]registry.PublicPhoto) {
	b.Queue(`SELECT p.id, r.title, r.activity_date, p.position
		FROM (SELECT r.id, r.title, r.activity_date FROM activity_reports r
		      WHERE r.org_id = @org AND r.superseded_at IS NULL AND `+scopeOn("r")+`
		      ORDER BY r.activity_date DESC, r.id DESC LIMIT @reports) r
		JOIN report_photos p ON p.report_id = r.id AND p.public
		ORDER BY r.activity_date DESC, r.id DESC, p.position LIMIT @max`,
		scopeArgs(scope, namedArgs{"org": orgID, "reports": PublicPhotoReports, "max": PublicPhotoMax})).Query(func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[registry.PublicPhoto])
		return err
	})
}

// PublicPhoto is photo photoID of group orgID when it is marked public and belongs to a current report of the
// group inside scope; anything else is ErrNotFound.
func (db *DB) PublicPhoto(ctx context.Context, scope portal.Scope, orgID, photoID int64) (registry.ReportPhoto, error) {
	if err := checkScope(scope); err != nil {
		return registry.ReportPhoto{}, err
	}
	rows, _ := db.pool(planKept).Query(ctx, `SELECT `+reportPhotoColumns+`
		FROM report_photos p JOIN activity_reports r ON r.id = p.report_id
		WHERE p.id = @photo AND p.public AND r.org_id = @org AND r.superseded_at IS NULL AND `+scopeOn("r"),
		scopeArgs(scope, namedArgs{"photo": photoID, "org": orgID}))
	p, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[registry.ReportPhoto])
	return p, translate(err)
}
