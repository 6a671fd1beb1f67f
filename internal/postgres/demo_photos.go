package postgres

// Demo photos: the demo data's published cases and a few current activity reports get photos (generated and
// stored by the seed through internal/photos), the report photos marked public, in one transaction.

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// DemoPhotoTargets are the published cases without photos, oldest first, and the latest current activity
// report of up to reports groups of the demo committees (the accounts named), one per group, without photos.
func (db *DB) DemoPhotoTargets(ctx context.Context, committees []string, reports int) (cases, reportIDs []int64, err error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT c.id FROM typical_cases c
		WHERE c.status = 'published' AND NOT EXISTS (SELECT FROM typical_case_photos p WHERE p.case_id = c.id)
		ORDER BY c.id`)
	if cases, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return nil, nil, translate(err)
	}
	rows, _ = db.pool(planFresh).Query(ctx, `SELECT id FROM (
			SELECT DISTINCT ON (r.org_id) r.id, r.activity_date FROM activity_reports r
			WHERE r.superseded_at IS NULL AND r.community_code IN (SELECT division_code FROM accounts
				WHERE username = ANY(@committees))
			ORDER BY r.org_id, r.activity_date DESC, r.id DESC) latest
		WHERE NOT EXISTS (SELECT FROM report_photos p WHERE p.report_id = latest.id)
		ORDER BY activity_date DESC, id DESC LIMIT @limit`, namedArgs{"committees": committees, "limit": reports})
	reportIDs, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	return cases, reportIDs, translate(err)
}

// LoadDemoPhotos records stored photos of cases and of reports (marked public), with one audit row.
func (db *DB) LoadDemoPhotos(ctx context.Context, actor portal.Actor, cases, reports map[int64][]registry.ReportPhotoInput) error {
	return translate(db.inTx(ctx, func(tx pgx.Tx) error {
		n := 0
		for id, ps := range cases {
			if err := insertCasePhotos(ctx, tx, actor, id, 1, ps); err != nil {
				return err
			}
			n += len(ps)
		}
		for id, ps := range reports {
			if err := insertPhotos(ctx, tx, actor, id, 1, ps); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE report_photos SET public = true WHERE report_id = @id`,
				namedArgs{"id": id}); err != nil {
				return err
			}
			n += len(ps)
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "photo.demo_load", ObjectType: "photo",
			Result: portal.ResultOK, Detail: strconv.Itoa(n) + " 张演示照片"})
	}))
}
