package postgres_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

// The directory's search drops a candidate inside the postings when it lacks any piece of the term (or the
// 服务领域), before reading its row. Over names made of four characters, so that most candidates of a term hold
// some of its pieces but not the whole term, and after random renames, changes of 服务领域, dissolutions and
// restorations, every term of two to four characters paged to the end still finds exactly what a scan of the
// names finds, with and without a 服务领域 and closed groups, with a walk bound far smaller than the list, and
// with one whose second tier reads more candidates than postings of each other key (walk 60, span 2: those
// below are probed);
// and both posting tables (two- and three-character pieces) hold exactly the keys the names give, and the
// three-character pieces' kept counts exactly the number of names holding each.
func TestPublicSearchPiecesStayInStepWithChanges(t *testing.T) {
	db := newRegistryDB(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(14, 70))
	letters := []rune("甲乙丙丁")
	name := func(i int) string {
		r := make([]rune, 3+rng.IntN(5))
		for j := range r {
			r[j] = letters[rng.IntN(len(letters))]
		}
		return string(r) + "队" + strconv.Itoa(i)
	}
	fields := [][]string{{"文体娱乐"}, {"养老照护"}, {"养老照护", "文体娱乐"}}
	var ids []int64
	for i := range 240 {
		ids = append(ids, insertOrgs(t, db, []string{communityA, communityB}[i%2], name(i))...)
	}
	for i := range 400 {
		id := ids[rng.IntN(len(ids))]
		var err error
		switch i % 4 {
		case 0:
			_, err = db.Pool.Exec(ctx, `UPDATE organizations SET name = $2 WHERE id = $1`, id, name(1000+i))
		case 1:
			_, err = db.Pool.Exec(ctx, `UPDATE organizations SET fields = $2 WHERE id = $1`, id, fields[rng.IntN(len(fields))])
		case 2:
			_, err = db.Pool.Exec(ctx, `UPDATE organizations SET status = 'dissolved', status_on = date '2024-05-01',
				status_reason = '成员解散' WHERE id = $1`, id)
		case 3:
			_, err = db.Pool.Exec(ctx, `UPDATE organizations SET status = 'normal', status_on = NULL, status_reason = ''
				WHERE id = $1 AND status = 'dissolved'`, id)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	// Both posting tables hold exactly the keys the names and 服务领域 give, after every change.
	for _, q := range []string{
		`SELECT k, o.id FROM organizations o, org_posting_keys(o.name_bigrams, o.fields) k`,
		`SELECT k, o.id FROM organizations o, org_trigram_keys(o.name, o.fields) k`,
	} {
		table := map[bool]string{false: "org_postings", true: "org_trigram_postings"}[strings.Contains(q, "trigram")]
		var stray int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM ((`+q+` EXCEPT SELECT key, org_id FROM `+table+`)
			UNION ALL (SELECT key, org_id FROM `+table+` EXCEPT `+q+`)) x`).Scan(&stray); err != nil || stray != 0 {
			t.Fatalf("%s: %d postings out of step with the names (%v)", table, stray, err)
		}
	}
	// The kept counts of the three-character pieces are exactly what the names give: every key of a name with
	// its number of names, and no other key.
	const counted = `SELECT k, count(*) FROM organizations o, org_trigram_keys(o.name, o.fields) k GROUP BY k`
	var stray, kept int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*), (SELECT count(*) FROM org_trigram_counts)
		FROM ((`+counted+` EXCEPT SELECT key, n FROM org_trigram_counts)
		UNION ALL (SELECT key, n FROM org_trigram_counts EXCEPT `+counted+`)) x`).Scan(&stray, &kept); err != nil ||
		stray != 0 || kept == 0 {
		t.Fatalf("org_trigram_counts: %d of %d counts out of step with the names (%v)", stray, kept, err)
	}
	var terms []string
	for _, a := range letters {
		for _, b := range letters {
			terms = append(terms, string([]rune{a, b}))
			for _, c := range letters {
				terms = append(terms, string([]rune{a, b, c}))
			}
		}
	}
	for i := range 12 {
		terms = append(terms, string([]rune{letters[i%4], letters[(i/4)%4], letters[(i+1)%4], letters[(i+3)%4]}))
	}
	for _, bound := range []struct{ walk, span int }{{2000, 1000}, {60, 2}, {7, 3}} {
		walk := bound.walk
		restore := postgres.SetPublicWalk(walk, min(walk/2, 1000), bound.span)
		for _, term := range terms {
			for _, f := range []registry.PublicFilter{{Query: term}, {Query: term, Closed: true},
				{Query: term, Field: "养老照护"}} {
				want := queryIDs(t, db, `SELECT id FROM organizations
					WHERE strpos(name, $1) > 0 AND ($2 OR status IN ('normal', 'abnormal'))
					AND ($3 = '' OR $3 = ANY(fields)) ORDER BY id DESC`, term, f.Closed, f.Field)
				if got, _ := pageThrough(t, db, f, 6); !slices.Equal(got, want) {
					t.Fatalf("walk %d, %q closed %v field %q: got %d rows %v…, want %d %v…", walk, term, f.Closed,
						f.Field, len(got), head(got), len(want), head(want))
				}
			}
		}
		restore()
	}
}
