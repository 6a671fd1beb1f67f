package postgres

import (
	"context"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"
)

// A statement's text numbered once gives, on every later use, what pgx gives for it with the values of that use:
// names in quotes, comments and casts as pgx reads them, a name used twice one number, a missing value NULL.
func TestNamedArgsRewriteAsPgxDoes(t *testing.T) {
	ctx := context.Background()
	texts := []string{
		`SELECT id FROM organizations WHERE town_code = @town AND (@after = 0 OR id < @after) LIMIT @limit`,
		`SELECT '@quoted', "@ident", @a::text, $$ @dollar $$ -- @comment
		 FROM t WHERE x = @b /* @block */ AND y = @a`,
		`SELECT e'\'@esc', @_under_1, @missing`,
		`SELECT 1`,
	}
	uses := []pgx.NamedArgs{
		{"town": "500112002", "after": int64(7), "limit": 31, "a": "A", "b": 2, "_under_1": true, "extra": 9},
		{"town": "500112003", "after": int64(0), "limit": 5, "a": nil, "b": "B", "_under_1": false},
	}
	for _, text := range texts {
		for i, use := range uses {
			wantSQL, wantArgs, err := use.RewriteQuery(ctx, nil, text, nil)
			if err != nil {
				t.Fatal(err)
			}
			for try := 0; try < 2; try++ { // the first numbers the text, the second reuses it
				gotSQL, gotArgs, err := namedArgs(use).RewriteQuery(ctx, nil, text, nil)
				if err != nil || gotSQL != wantSQL || !reflect.DeepEqual(gotArgs, wantArgs) {
					t.Fatalf("use %d, try %d of %q:\n got %q %v %v\nwant %q %v", i, try, text, gotSQL, gotArgs, err, wantSQL, wantArgs)
				}
			}
		}
		if _, kept := rewrites.Load(text); !kept {
			t.Errorf("%q was not remembered", text)
		}
	}
}

// Past its memory budget the cache keeps no new text, and a text it does not keep is still numbered as pgx does.
func TestNamedArgsKeepNoTextPastTheBudget(t *testing.T) {
	before := rewritesBytes.Load()
	rewritesBytes.Store(rewritesMaxBytes)
	defer rewritesBytes.Store(before)
	text := `SELECT @budget_test_a, @budget_test_b`
	use := pgx.NamedArgs{"budget_test_a": 1, "budget_test_b": "b"}
	wantSQL, wantArgs, _ := use.RewriteQuery(context.Background(), nil, text, nil)
	gotSQL, gotArgs, err := namedArgs(use).RewriteQuery(context.Background(), nil, text, nil)
	if err != nil || gotSQL != wantSQL || !reflect.DeepEqual(gotArgs, wantArgs) {
		t.Fatalf("got %q %v %v, want %q %v", gotSQL, gotArgs, err, wantSQL, wantArgs)
	}
	if _, kept := rewrites.Load(text); kept || rewritesBytes.Load() != rewritesMaxBytes {
		t.Fatalf("a text was kept past the budget (%d bytes counted)", rewritesBytes.Load())
	}
}
