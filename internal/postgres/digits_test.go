package postgres_test

import (
	"context"
	"testing"

	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/testdb"
)

// The upper bound of a division's codes is the next digit string, so that the range holds exactly the codes
// that start with the prefix in any collation.
func TestDigitsAfter(t *testing.T) {
	for prefix, want := range map[string]string{
		"500112":       "500113",
		"500119":       "50012",
		"500112002":    "500112003",
		"500112199":    "5001122",
		"500112002001": "500112002002",
		"999":          "999999999999999999999999",
	} {
		got := postgres.DigitsAfter(prefix)
		if got != want {
			t.Errorf("DigitsAfter(%q) = %q, want %q", prefix, got, want)
		}
		for _, code := range []string{prefix, prefix + "0", prefix + "999999"} {
			if !(code >= prefix && code < got) {
				t.Errorf("%s falls outside [%s, %s)", code, prefix, got)
			}
		}
	}
}

// Under collations that order punctuation apart from digits (ICU's Chinese and English ones here), the digit
// bound still holds every code of the division and no other; a bound of prefix + ":" held none.
func TestDigitsAfterUnderOtherCollations(t *testing.T) {
	db := testdb.New(t)
	div := "500112"
	for _, coll := range []string{"zh-x-icu", "en-US-x-icu", "C"} {
		for code, inside := range map[string]bool{"500112002001": true, "500112": true, "500113001001": false,
			"500111999999": false, "5001120": true} {
			var got, colon bool
			err := db.Pool.QueryRow(context.Background(), `SELECT
				$1::text COLLATE "`+coll+`" >= $2::text AND $1::text COLLATE "`+coll+`" < $3::text,
				$1::text COLLATE "`+coll+`" >= $2::text AND $1::text COLLATE "`+coll+`" < $2::text || ':'`,
				code, div, postgres.DigitsAfter(div)).Scan(&got, &colon)
			if err != nil {
				t.Fatalf("%s: %v", coll, err)
			}
			if got != inside {
				t.Errorf("%s: %s inside [%s, %s) = %v, want %v", coll, code, div, postgres.DigitsAfter(div), got, inside)
			}
			if coll == "zh-x-icu" && code == "500112002001" && colon {
				t.Errorf("the punctuation bound unexpectedly works under %s; the comment on digitsAfter is wrong", coll)
			}
		}
	}
}
