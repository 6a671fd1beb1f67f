package postgres

// Documents of the cultivation records: a platform's 委托协议, a home's 安家协议, a contract's 验收报告. The file
// is stored by internal/uploads; the row names its record, and only those who see the record may read it.

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// cultivationDocTargets are, by kind: the record's row locked inside the caller's right to attach, its
// timeline's object, and the document column naming it. A platform's 委托协议 is its keeper's; a home's 安家协议
// is the platform's visitor's who housed a group of their own; a contract's 验收报告 is the purchaser's.
var cultivationDocTargets = map[string]struct{ lock, object, column string }{
	registry.DocEntrustment: {`SELECT p.division_code, p.id FROM platforms p WHERE p.id = @id AND p.id = @parent AND ` +
		platformKeeps + ` FOR UPDATE`, "platform", "platform_id"},
	registry.DocHomeAgreement: {`SELECT p.division_code, p.id FROM housings h JOIN platforms p ON p.id = h.platform_id
		JOIN organizations o ON o.id = h.org_id
		WHERE h.id = @id AND h.platform_id = @parent AND ` + platformSees + ` AND ` + scopeOn("o") + ` FOR UPDATE OF h`,
		"platform", "housing_id"},
	registry.DocAcceptance: {`SELECT m.division_code, m.id FROM contracts m WHERE m.id = @id AND m.id = @parent AND ` +
		moneyKeeps + ` FOR UPDATE`, "contract", "contract_id"},
}

// AddCultivationDocument records doc (already stored) as a document of kind of record id, whose page is that of
// parent (the platform of a home; the platform or contract itself otherwise). seen is how many documents that
// page listed when the form was shown: another count is ErrConflict (a form posted twice, or a stale page). A
// record outside the caller's right is ErrNotFound.
func (db *DB) AddCultivationDocument(ctx context.Context, scope portal.Scope, actor portal.Actor, kind string, parent, id int64, seen int, doc registry.NewDocument) (int64, error) {
	target, ok := cultivationDocTargets[kind]
	if !ok {
		return 0, portal.ErrNotAllow
	}
	var docID int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var division string
		var objectID int64
		if err := tx.QueryRow(ctx, target.lock, scopeArgs(scope, namedArgs{"id": id, "parent": parent})).
			Scan(&division, &objectID); err != nil {
			return err
		}
		count := `SELECT count(*) FROM cultivation_documents WHERE contract_id = $1`
		if target.object == "platform" {
			count = `SELECT count(*) FROM cultivation_documents d LEFT JOIN housings h ON h.id = d.housing_id
				WHERE d.platform_id = $1 OR h.platform_id = $1`
		}
		if err := countToken(ctx, tx, "document "+target.object+" "+strconv.FormatInt(objectID, 10), count, seen, objectID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO cultivation_documents (`+target.column+`, kind, filename, content_type,
				size_bytes, storage_key, sha256, uploaded_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, id, kind, doc.Filename, doc.ContentType, doc.Size,
			doc.StorageKey, doc.SHA256, actorID(actor)).Scan(&docID); err != nil {
			return err
		}
		return cultivationChange(ctx, tx, actor, target.object, objectID, division, "上传"+kind, "document.upload",
			doc.Filename+"（"+strconv.FormatInt(doc.Size, 10)+" 字节）")
	})
	return docID, cultivationErr(err)
}

const cultivationDocColumns = `d.id, d.kind, coalesce(d.housing_id, 0), coalesce(o.name, ''), d.filename, d.content_type,
	d.size_bytes, d.storage_key, d.uploaded_at`

const cultivationDocFrom = `FROM cultivation_documents d LEFT JOIN housings h ON h.id = d.housing_id
	LEFT JOIN organizations o ON o.id = h.org_id`

// PlatformDocuments lists the documents of a platform and of its homes, oldest first. The caller has read the
// platform inside its scope.
func (db *DB) PlatformDocuments(ctx context.Context, platformID int64) ([]registry.CultivationDocument, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+cultivationDocColumns+` `+cultivationDocFrom+`
		WHERE d.platform_id = $1 OR h.platform_id = $1 ORDER BY d.id`, platformID)
	docs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[registry.CultivationDocument])
	return docs, translate(err)
}

// ContractDocuments lists a contract's documents, oldest first. The caller has read the contract inside its scope.
func (db *DB) ContractDocuments(ctx context.Context, contractID int64) ([]registry.CultivationDocument, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+cultivationDocColumns+` `+cultivationDocFrom+`
		WHERE d.contract_id = $1 ORDER BY d.id`, contractID)
	docs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[registry.CultivationDocument])
	return docs, translate(err)
}

// CultivationDocument is document docID of the platform (object "platform", with its homes) or contract
// (object "contract") parent, if the caller sees that record; any other is ErrNotFound.
func (db *DB) CultivationDocument(ctx context.Context, scope portal.Scope, object string, parent, docID int64) (registry.CultivationDocument, error) {
	where := `d.contract_id = @parent AND EXISTS (SELECT 1 FROM contracts m WHERE m.id = @parent AND ` + moneySees + `)`
	if object == "platform" {
		where = `(d.platform_id = @parent OR h.platform_id = @parent)
			AND EXISTS (SELECT 1 FROM platforms p WHERE p.id = @parent AND ` + platformSees + `)`
	}
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+cultivationDocColumns+` `+cultivationDocFrom+`
		WHERE d.id = @doc AND `+where, scopeArgs(scope, namedArgs{"doc": docID, "parent": parent}))
	d, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[registry.CultivationDocument])
	return d, translate(err)
}
