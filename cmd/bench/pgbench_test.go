package main

import (
	"context"
	"slices"
	"testing"

	"github.com/yubei-cso/portal/internal/testdb"
)

// A piece of a server log as PostgreSQL 15 writes it with log_min_duration_statement = 0 and pgcluster's
// log_line_prefix: two backends interleaved, statements spanning lines, bind and execute each with their
// parameters, a simple-protocol statement, and a write.
const sampleLog = `2026-11-27 05:29:18.086 UTC [30034] LOG:  parameter "log_min_duration_statement" changed to "0"
2026-11-27 05:29:18.409 UTC [878] LOG:  duration: 1.164 ms  parse stmtcache_eb09: SELECT s.data, a.id
			FROM sessions s LEFT JOIN accounts a ON a.id = s.account_id
			WHERE s.token = $1 AND current_timestamp < s.expiry
2026-11-27 05:29:18.411 UTC [878] LOG:  duration: 1.802 ms  bind stmtcache_eb09: SELECT s.data, a.id
			FROM sessions s LEFT JOIN accounts a ON a.id = s.account_id
			WHERE s.token = $1 AND current_timestamp < s.expiry
2026-11-27 05:29:18.411 UTC [878] DETAIL:  parameters: $1 = 'T2U8'
2026-11-27 05:29:18.411 UTC [878] LOG:  duration: 0.050 ms  execute stmtcache_eb09: SELECT s.data, a.id
			FROM sessions s LEFT JOIN accounts a ON a.id = s.account_id
			WHERE s.token = $1 AND current_timestamp < s.expiry
2026-11-27 05:29:18.412 UTC [507] LOG:  duration: 0.061 ms  statement: -- ping
2026-11-27 05:29:18.411 UTC [878] DETAIL:  parameters: $1 = 'T2U8'
2026-11-27 05:29:18.417 UTC [507] LOG:  duration: 0.222 ms  execute stmtcache_4810: SELECT o.id FROM organizations o WHERE o.district_code = $1 AND o.name LIKE '%' || $3 || '%' AND o.note <> '$2 isn''t $1' AND o.id < $10 ORDER BY o.id DESC LIMIT 51
2026-11-27 05:29:18.420 UTC [507] DETAIL:  parameters: $1 = '500112', $2 = NULL, $3 = '老''人', $10 = '99'
2026-11-27 05:29:18.421 UTC [878] LOG:  duration: 0.110 ms  execute stmtcache_f625: SELECT code, name FROM divisions WHERE code = ANY($1)
2026-11-27 05:29:18.421 UTC [878] DETAIL:  parameters: $1 = '{500112016008,500112015002}'
2026-11-27 05:29:18.427 UTC [878] LOG:  duration: 0.187 ms  execute stmtcache_16d4: INSERT INTO sessions (token, data) VALUES ($1, $2)
2026-11-27 05:29:18.427 UTC [878] DETAIL:  parameters: $1 = 'T2U8', $2 = '\x7973'
2026-11-27 05:29:18.430 UTC [878] LOG:  duration: 0.020 ms  execute <unnamed>: SELECT 1
`

func TestExecutedStatementsAreReadFromTheLogWithTheirValues(t *testing.T) {
	reads, others := executedStatements(sampleLog)
	want := []string{
		"SELECT s.data, a.id\n\t\t\tFROM sessions s LEFT JOIN accounts a ON a.id = s.account_id\n" +
			"\t\t\tWHERE s.token = 'T2U8' AND current_timestamp < s.expiry",
		"SELECT o.id FROM organizations o WHERE o.district_code = '500112' AND o.name LIKE '%' || '老''人' || '%'" +
			" AND o.note <> '$2 isn''t $1' AND o.id < '99' ORDER BY o.id DESC LIMIT 51",
		"SELECT code, name FROM divisions WHERE code = ANY('{500112016008,500112015002}')",
		"SELECT 1",
	}
	if !slices.Equal(reads, want) {
		t.Errorf("reads:\n%q\nwant\n%q", reads, want)
	}
	if wantOthers := []string{`INSERT INTO sessions (token, data) VALUES ('T2U8', '\x7973')`}; !slices.Equal(others, wantOthers) {
		t.Errorf("others: %q, want %q", others, wantOthers)
	}
}

func TestParamsKeepNullsAndQuotes(t *testing.T) {
	got := parseParams(`$1 = '500112', $2 = NULL, $3 = 'it''s, $4 = x', $12 = ''`)
	want := map[int]string{1: `'500112'`, 2: "NULL", 3: `'it''s, $4 = x'`, 12: `''`}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for n, v := range want {
		if got[n] != v {
			t.Errorf("$%d = %s, want %s", n, got[n], v)
		}
	}
}

// The literals written in for parameters must mean to PostgreSQL what the parameters meant: a number compared
// with a bigint, an array for ANY, text joined to LIKE's wildcards, a function's argument.
func TestBoundStatementsRunAsTheirParametersDid(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	for _, c := range []struct {
		sql    string
		params map[int]string
		want   string
	}{
		{"SELECT ($1 < 100::bigint)::text", map[int]string{1: `'99'`}, "true"},
		{"SELECT (2 = ANY($1::bigint[]))::text", map[int]string{1: `'{1,2}'`}, "true"},
		{"SELECT ('敬老院' LIKE '%' || $1 || '%')::text", map[int]string{1: `'老'`}, "true"},
		{"SELECT array_to_string(cso_bigrams($1), ',')", map[int]string{1: `'养老院'`}, "养老,老院"},
		{"SELECT coalesce($1, 'null')", map[int]string{1: "NULL"}, "null"},
	} {
		sql := bindLiterals(c.sql, c.params)
		var got string
		if err := db.Pool.QueryRow(ctx, sql).Scan(&got); err != nil {
			t.Errorf("%s: %v", sql, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s = %s, want %s", sql, got, c.want)
		}
	}
}
