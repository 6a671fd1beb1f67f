// The 台账 import: the communities a clerk may import into, the names already taken, and the checked rows kept
// between the check and the clerk's confirmation (the jobs that check and import them are in
// org_import_jobs.go).
package postgres

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/sealbox"
)

// ImportCommunities lists the communities inside scope, in code order: a committee's own, a town's all but the
// retired ones (a ledger row naming one is refused as outside the jurisdiction).
func (db *DB) ImportCommunities(ctx context.Context, scope portal.Scope) ([]registry.ImportCommunity, error) {
	if !registry.MayImport(scope) {
		return nil, portal.ErrNotAllow
	}
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT c.code, c.name, t.name AS town_name, d.name AS district_name
		FROM divisions c JOIN divisions t ON t.code = c.parent_code JOIN divisions d ON d.code = t.parent_code
		WHERE c.level = 'community' AND c.retired_at IS NULL AND `+scopeWithin("c.code")+`
		ORDER BY c.code`, scopeArgs(scope, nil))
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[registry.ImportCommunity])
	if err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// TakenNames gives which of names a live organization of scope's district already has (names are unique
// district-wide, so this is the one question an import asks beyond the caller's own area; it reveals nothing
// but the names it was given).
func (db *DB) TakenNames(ctx context.Context, scope portal.Scope, names []string) ([]string, error) {
	if len(names) == 0 || len(scope.Division) < 6 {
		return nil, nil
	}
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT o.name FROM organizations o
		WHERE o.district_code = @district AND o.name = ANY(@names) AND o.status IN ('normal', 'abnormal')`,
		namedArgs{"district": scope.Division[:6], "names": names})
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// importTTL is how long checked rows wait for the confirmation.
const importTTL = "1 hour"

// importSealContext binds a kept payload to its token, so that it opens under no other.
func importSealContext(token string) string { return "org_import:" + token }

// keepImport keeps checked rows for actor until the confirmation, inside tx, and returns the token that names
// them. Every row must lie inside scope; tier and legal form are those of a guided group whatever the input
// says. Expired rows of anyone are cleared on the way.
func keepImport(ctx context.Context, tx pgx.Tx, box *sealbox.Box, scope portal.Scope, actor portal.Actor, orgs []registry.OrgInput) (string, error) {
	if !registry.MayImport(scope) || actor.AccountID == 0 {
		return "", portal.ErrNotAllow
	}
	if len(orgs) == 0 {
		return "", portal.ErrNotFound
	}
	for i := range orgs {
		if !scope.Covers(orgs[i].CommunityCode) || portal.LevelOfCode(orgs[i].CommunityCode) != portal.TierCommunity {
			return "", portal.ErrNotFound
		}
		orgs[i].Tier, orgs[i].LegalForm = registry.TierGuided, rules.FormUnregistered
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(orgs); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	token := randomHex(32)
	sealed := box.Seal(buf.String(), importSealContext(token))
	// Expired rows that an import still holds (confirmed just before they expired) are left for next time
	// rather than waited for.
	if _, err := tx.Exec(ctx, `DELETE FROM org_imports WHERE token IN (
		SELECT token FROM org_imports WHERE expires_at < now() FOR UPDATE SKIP LOCKED)`); err != nil {
		return "", err
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO org_imports (token, account_id, tier, division_code, row_count, payload, expires_at)
		VALUES (@token, @account_id, @tier, @division, @row_count, @payload, now() + @ttl::interval)`,
		namedArgs{"token": token, "account_id": actor.AccountID, "tier": string(scope.Tier),
			"division": scope.Division, "row_count": len(orgs), "payload": sealed, "ttl": importTTL})
	return token, err
}

// randomHex is n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// importKept creates every organization kept under token, inside tx, with one "org.import" audit row, and
// forgets the kept rows; progress is told after each chunk. A token that is unknown, expired, or another
// account's or division's is ErrNotFound.
func importKept(ctx context.Context, tx pgx.Tx, box *sealbox.Box, scope portal.Scope, actor portal.Actor, token string, progress func(int)) (int, error) {
	var sealed []byte
	err := tx.QueryRow(ctx, `
		SELECT payload FROM org_imports
		WHERE token = @token AND account_id = @account_id AND tier = @tier AND division_code = @division
			AND expires_at > now()
		FOR UPDATE`,
		namedArgs{"token": token, "account_id": actor.AccountID, "tier": string(scope.Tier),
			"division": scope.Division}).Scan(&sealed)
	if err != nil {
		return 0, err
	}
	orgs, err := openKept(box, token, sealed)
	if err != nil {
		return 0, err
	}
	for i := range orgs {
		orgs[i].Tier, orgs[i].LegalForm = registry.TierGuided, rules.FormUnregistered
	}
	n, err := insertOrganizations(ctx, tx, box, scope, actor, orgs, progress)
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM org_imports WHERE token = @token`, namedArgs{"token": token}); err != nil {
		return 0, err
	}
	return n, audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "org.import", ObjectType: "organization",
		Result: portal.ResultOK, Detail: "台账导入 " + strconv.Itoa(n) + " 个组织"})
}

func openKept(box *sealbox.Box, token string, sealed []byte) ([]registry.OrgInput, error) {
	plain, err := box.Open(sealed, importSealContext(token))
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader([]byte(plain)))
	if err != nil {
		return nil, err
	}
	var orgs []registry.OrgInput
	if err := json.NewDecoder(io.LimitReader(zr, 512<<20)).Decode(&orgs); err != nil {
		return nil, err
	}
	return orgs, nil
}
