package postgres

// Open data of 信息公开: every revision of every disclosure in scope, streamed as the organizations are.

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// OpenDisclosures calls fn with every revision of the disclosures in scope, oldest first, the superseded ones
// included (marked by SupersededAt). Rows stream through eachRow, without the page's statement_timeout.
func (db *DB) OpenDisclosures(ctx context.Context, scope portal.Scope, fn func(registry.Disclosure) error) error {
	if err := checkScope(scope); err != nil {
		return err
	}
	_, err := eachRow(ctx, db, `
		SELECT d.id, d.disclosure_no, d.revision, d.superseded_at, d.correction_reason, d.org_id, d.kind, d.title,
		       d.disclosed_on, d.body,
		       coalesce((SELECT jsonb_agg(jsonb_build_object('side', l.side, 'category', l.category,
		           'amount_fen', l.amount_fen) ORDER BY l.position) FROM org_disclosure_lines l
		           WHERE l.disclosure_id = d.id), '[]'::jsonb),
		       d.published_at
		FROM org_disclosures d
		WHERE `+scopeOn("d")+` ORDER BY d.id`, []any{scopeArgs(scope, nil)}, scanOpenDisclosure, fn)
	return err
}

func scanOpenDisclosure(row pgx.CollectableRow) (registry.Disclosure, error) {
	var d registry.Disclosure
	err := row.Scan(&d.ID, &d.No, &d.Revision, &d.SupersededAt, &d.CorrectionReason, &d.OrgID, (*string)(&d.Kind),
		&d.Title, &d.DisclosedOn, &d.Body, &d.Lines, &d.PublishedAt)
	return d, err
}
