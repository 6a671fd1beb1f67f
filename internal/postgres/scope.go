// Jurisdiction (三级管理): the one place that writes the clause bounding a statement's rows by the caller's
// scope. Every statement on rows of a division takes its clause from here, so that no query can say it
// differently, and every form fails closed: a tier that is not one of the three, or an empty division, sees
// nothing.
package postgres

import (
	"fmt"

	"github.com/yubei-cso/portal/internal/portal"
)

// scopeTiers is true only for the three tiers, so that a scope of any other tier matches no row: without it
// each of scopeOn's three tests would stand aside and the clause would match every row.
const scopeTiers = `@scope_tier IN ('district', 'town', 'community') AND @scope_div <> ''`

// scopeOn is the jurisdiction test on the rows of alias, a table whose rows carry their district_code,
// town_code and community_code, with the arguments scopeArgs adds. The main pool plans each execution with its
// own values (plan_cache_mode=force_custom_plan), so the one test that applies becomes an indexed equality and
// the others fold away. alias is a word written in this package, never input.
func scopeOn(alias string) string {
	return `(` + scopeTiers + `
	AND (@scope_tier <> 'district' OR ` + alias + `.district_code = @scope_div)
	AND (@scope_tier <> 'town' OR ` + alias + `.town_code = @scope_div)
	AND (@scope_tier <> 'community' OR ` + alias + `.community_code = @scope_div))`
}

// scopeWithin is the jurisdiction test on a column holding a division code (a division's own, an account's, a
// kept count's), with scopeArgs's arguments: codes nest by prefix (500112 ⊃ 500112002 ⊃ 500112002001).
func scopeWithin(column string) string {
	return `(` + scopeTiers + ` AND starts_with(` + column + `, @scope_div))`
}

// scopeArgs adds the scope's arguments for scopeOn and scopeWithin to args.
func scopeArgs(s portal.Scope, args namedArgs) namedArgs {
	if args == nil {
		args = namedArgs{}
	}
	args["scope_tier"] = string(s.Tier)
	args["scope_div"] = s.Division
	return args
}

// checkScope refuses a jurisdiction no account can have, for the statements numbered as written (stmtArgs),
// which bound their rows with scopeEquality or scopeRange: an empty division would make a range every code there
// is.
func checkScope(s portal.Scope) error {
	if !s.Tier.Valid() || s.Division == "" {
		return fmt.Errorf("no jurisdiction: tier %q, division %q", s.Tier, s.Division)
	}
	return nil
}

// divisionColumn is the column of alias's rows holding the code of a division at level, or "" for no level.
func divisionColumn(alias string, level portal.Level) string {
	switch level {
	case portal.TierDistrict:
		return alias + ".district_code"
	case portal.TierTown:
		return alias + ".town_code"
	case portal.TierCommunity:
		return alias + ".community_code"
	}
	return ""
}

// scopeEquality is scopeOn for a statement whose plan is kept: the one equality that applies, on the column of
// the level of code, written with code as its next argument. It is "false" for a code of no level.
func scopeEquality(alias, code string, level portal.Level, args *stmtArgs) string {
	column := divisionColumn(alias, level)
	if column == "" || code == "" {
		return "false"
	}
	return column + " = " + args.add(code)
}

// scopeRange is scopeWithin for a statement whose plan is kept: the codes inside code are the range
// [code, digitsAfter(code)) of column, an index range where starts_with would test every row. It is "false"
// for an empty code.
func scopeRange(column, code string, args *stmtArgs) string {
	if code == "" {
		return "false"
	}
	return column + " >= " + args.add(code) + " AND " + column + " < " + args.add(digitsAfter(code))
}
