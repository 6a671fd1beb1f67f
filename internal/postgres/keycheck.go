package postgres

import (
	"context"
	"encoding/base64"
	"errors"

	"github.com/jackc/pgx/v5"
)

// ErrWrongDataKey says the data key cannot open what this database holds sealed: every 负责人 phone number and
// 身份证号 would fail to reveal. A restore with the wrong key file, or a key typed wrong, is caught here, at
// start-up, instead of on the first reveal.
var ErrWrongDataKey = errors.New("PORTAL_DATA_KEY does not open this database's sealed values (the key canary, or a " +
	"sealed phone number): it is not the key this database was sealed with. Restore the key that belongs to this " +
	"database's backup; the portal will not start with another")

const (
	canaryFact    = "data_key_canary" // portal_facts key of the sealed canary
	canaryText    = "渝北区社区社会组织服务管理平台"
	canaryContext = "data_key_canary"
)

// CheckDataKey proves the data key opens this database's sealed values, before the portal serves: the sealed
// canary in portal_facts must open to its known text. A database without a canary (made before it existed) is
// checked on one sealed phone number of a group instead, then given its canary. Run it as the owner, once, at
// start-up; without a key (a command that never seals) there is nothing to check.
func (db *DB) CheckDataKey(ctx context.Context) error {
	if db.box == nil {
		return nil
	}
	stored, err := db.Fact(ctx, canaryFact)
	if err != nil {
		return err
	}
	if stored != "" {
		sealed, err := base64.StdEncoding.DecodeString(stored)
		if err != nil {
			return ErrWrongDataKey
		}
		if plain, err := db.box.Open(sealed, canaryContext); err != nil || plain != canaryText {
			return ErrWrongDataKey
		}
		return nil
	}
	var phone []byte
	err = db.Pool.QueryRow(ctx, `SELECT leader_phone_enc FROM organizations WHERE leader_phone_enc IS NOT NULL
		ORDER BY id LIMIT 1`).Scan(&phone)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return translate(err)
	default:
		if _, err := db.box.Open(phone, "leader_phone"); err != nil {
			return ErrWrongDataKey
		}
	}
	return db.SetFact(ctx, canaryFact, base64.StdEncoding.EncodeToString(db.box.Seal(canaryText, canaryContext)))
}
