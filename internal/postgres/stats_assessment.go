// 目标责任考核 schemes: versions of a year's scheme per level, the one in use unsuperseded.
package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// SchemeVersions are every version of the year's scheme for level, newest first; the first is the one in use.
// With none saved, the list is the default scheme alone (version 0).
func (db *DB) SchemeVersions(ctx context.Context, year int, level portal.Tier) ([]registry.Scheme, error) {
	rows, _ := db.pool(planKept).Query(ctx, schemeVersions, year, string(level))
	out, err := schemeRows(rows, year, level)
	return out, translate(err)
}

const schemeVersions = `
	SELECT id, year, level, version, indicators, superseded_at IS NOT NULL AS superseded, created_at, created_name
	FROM assessment_schemes WHERE year = $1 AND level = $2 ORDER BY version DESC`

// schemeRows reads the versions of a year's scheme for level, newest first, or the default alone.
func schemeRows(rows pgx.Rows, year int, level portal.Tier) ([]registry.Scheme, error) {
	var out []registry.Scheme
	var s registry.Scheme
	var lv string
	var ind []byte
	_, err := pgx.ForEachRow(rows, []any{&s.ID, &s.Year, &lv, &s.Version, &ind, &s.Superseded, &s.CreatedAt, &s.CreatedName},
		func() error {
			s.Level = portal.Tier(lv)
			s.Indicators = nil
			if err := json.Unmarshal(ind, &s.Indicators); err != nil {
				return err
			}
			out = append(out, s)
			return nil
		})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		out = append(out, registry.DefaultScheme(year, level))
	}
	return out, nil
}

// queueSchemeInUse queues the read of the year's scheme in use for level into *s (a statistics batch).
func queueSchemeInUse(b *pgx.Batch, year int, level portal.Tier, s *registry.Scheme) {
	b.Queue(schemeVersions+` LIMIT 1`, year, string(level)).Query(func(rows pgx.Rows) error {
		vs, err := schemeRows(rows, year, level)
		if err == nil {
			*s = vs[0]
		}
		return err
	})
}

// SaveScheme puts s in use as the next version, superseding the version seen (0 when none was saved); a scheme
// saved meanwhile by someone else is ErrSchemeConflict. Only the district sets schemes. Audited.
func (db *DB) SaveScheme(ctx context.Context, scope portal.Scope, actor portal.Actor, s registry.Scheme, seen int) (int, error) {
	if scope.Tier != portal.TierDistrict {
		return 0, portal.ErrNotFound
	}
	ind, err := json.Marshal(s.Indicators)
	if err != nil {
		return 0, err
	}
	var version int
	err = pgx.BeginFunc(ctx, db.pool(planFresh), func(tx pgx.Tx) error {
		var cur int
		err := tx.QueryRow(ctx, `
			SELECT coalesce(max(version), 0) FROM assessment_schemes WHERE year = $1 AND level = $2`,
			s.Year, string(s.Level)).Scan(&cur)
		if err != nil {
			return err
		}
		if cur != seen {
			return registry.ErrSchemeConflict
		}
		if _, err := tx.Exec(ctx, `UPDATE assessment_schemes SET superseded_at = now()
			WHERE year = $1 AND level = $2 AND superseded_at IS NULL`, s.Year, string(s.Level)); err != nil {
			return err
		}
		version = cur + 1
		if _, err := tx.Exec(ctx, `
			INSERT INTO assessment_schemes (year, level, version, indicators, created_by, created_name)
			VALUES (@year, @level, @version, @indicators, @by, @name)`,
			namedArgs{"year": s.Year, "level": string(s.Level), "version": version, "indicators": ind,
				"by": nullID(actor.AccountID), "name": actor.Username}); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "stats.scheme_save", ObjectType: "assessment_scheme",
			ObjectID: strconv.Itoa(s.Year) + "/" + string(s.Level) + "/v" + strconv.Itoa(version), Result: portal.ResultOK,
			Detail: string(ind)})
	})
	if err == nil {
		return version, nil
	}
	if errors.Is(err, registry.ErrSchemeConflict) {
		return 0, err
	}
	var ue *uniqueError
	if err = translate(err); errors.Is(err, portal.ErrConflict) || errors.As(err, &ue) && strings.HasPrefix(ue.constraint, "assessment_schemes_") {
		return 0, registry.ErrSchemeConflict
	}
	return 0, err
}
