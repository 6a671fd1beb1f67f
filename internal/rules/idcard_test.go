package rules_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/rules"
)

// now is fixed so the birth-date checks do not drift with the calendar.
var now = time.Date(2025, 6, 30, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// withCheckX finds a 渝北 number whose check character is X, so the
// lower-case x path is tested on a number that really has one.
func withCheckX(t *testing.T) string {
	t.Helper()
	for seq := range 1000 {
		id := rules.MakeIDNumber(fmt.Sprintf("50011219850615%03d", seq))
		if id[17] == 'X' {
			return id
		}
	}
	t.Fatal("no number with check X among 1000 sequence numbers")
	return ""
}

func TestCheckIDNumber(t *testing.T) {
	good := rules.MakeIDNumber("50011219900307123")
	x := withCheckX(t)
	swap := func(s string, i int, c byte) string { return s[:i] + string(c) + s[i+1:] }
	wrongCheck := swap(good, 17, "10X98765432"[(strings.IndexByte("10X98765432", good[17])+1)%11])
	tests := []struct {
		name    string
		id      string
		wantErr string
	}{
		{"made", good, ""},
		{"check X", x, ""},
		{"lower-case x", strings.ToLower(x), ""},
		{"spaces", " " + good[:6] + " " + good[6:] + " ", ""},
		{"GB 11643 example", "11010519491231002X", ""},
		{"born today", rules.MakeIDNumber("500112" + "20250630" + "001"), ""},
		{"leap day", rules.MakeIDNumber("500112" + "20000229" + "001"), ""},
		{"empty", "", "请填写身份证号"},
		{"old 15-digit", "500112900307123", "15位的旧号码已停用"},
		{"short", good[:17], "长度应为18位，现为17位"},
		{"letter inside", swap(good, 3, 'A'), "第4位应为数字"},
		{"bad last", swap(good, 17, 'Y'), "第18位应为数字或X"},
		{"Feb 30", rules.MakeIDNumber("500112" + "19900230" + "001"), "不是有效日期"},
		{"not a leap year", rules.MakeIDNumber("500112" + "19000229" + "001"), "不是有效日期"},
		{"month 13", rules.MakeIDNumber("500112" + "19901301" + "001"), "不是有效日期"},
		{"day 0", rules.MakeIDNumber("500112" + "19900100" + "001"), "不是有效日期"},
		{"tomorrow", rules.MakeIDNumber("500112" + "20250701" + "001"), "不能晚于今天"},
		{"GB 11643 example born 1880", "440524188001010014", "不能早于1900年"},
		{"wrong check", wrongCheck, "第18位校验码错误"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rules.CheckIDNumber(tt.id, now)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("CheckIDNumber(%q) = %v, want nil", tt.id, err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("CheckIDNumber(%q) = nil, want %q", tt.id, tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("CheckIDNumber(%q) = %q, want it to contain %q", tt.id, err, tt.wantErr)
			}
		})
	}
}

func TestNormalizeIDNumber(t *testing.T) {
	if got := rules.NormalizeIDNumber(" １１０１０５１９４９１２３１００２ｘ "); got != "11010519491231002X" {
		t.Errorf("NormalizeIDNumber = %q", got)
	}
}

func TestMaskIDNumber(t *testing.T) {
	tests := map[string]string{
		"500112199003071234": "500***********1234",
		"11010519491231002x": "110***********002X",
		"":                   "",
		"1234567":            "*******",
		"12345678":           "123*5678",
		"５００１１２１９９０":         "500***1990",
	}
	for in, want := range tests {
		if got := rules.MaskIDNumber(in); got != want {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMakeIDNumberPanicsOnBadInput(t *testing.T) {
	for _, s := range []string{"5001121990030712", "5001121990030712A", "500112199003071234"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("MakeIDNumber(%q) did not panic", s)
				}
			}()
			rules.MakeIDNumber(s)
		}()
	}
}

func FuzzCheckIDNumber(f *testing.F) {
	f.Add("11010519491231002X", uint32(500112), uint32(33000), uint16(123))
	f.Add("11010519491231002x", uint32(0), uint32(0), uint16(0))
	f.Add("500112900307123", uint32(999999), uint32(1<<31), uint16(999))
	f.Add("５００１１２１９９０", uint32(1), uint32(46000), uint16(7))
	f.Add("\x00\xff", uint32(1), uint32(1), uint16(1))
	first := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	span := uint32(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC).Sub(first).Hours()/24) + 1
	f.Fuzz(func(t *testing.T, s string, region, days uint32, seq uint16) {
		n := rules.NormalizeIDNumber(s)
		err := rules.CheckIDNumber(s, now)
		if err != nil {
			if len(n) >= 6 && strings.Trim(n, "0123456789X") == "" && strings.Contains(err.Error(), n) {
				t.Fatalf("error repeats the number: %v", err)
			}
		} else {
			if len(n) != 18 {
				t.Fatalf("accepted %q of length %d", s, len(n))
			}
			for i := range 17 {
				if n[i] < '0' || n[i] > '9' {
					t.Fatalf("accepted %q with %q at %d", s, n[i], i+1)
				}
			}
			if !strings.ContainsRune("0123456789X", rune(n[17])) {
				t.Fatalf("accepted %q with check %q", s, n[17])
			}
			birth, perr := time.Parse("20060102", n[6:14])
			if perr != nil || birth.Year() < 1900 || birth.After(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)) {
				t.Fatalf("accepted %q with birth date %s", s, n[6:14])
			}
			if m := rules.MaskIDNumber(s); m != n[:3]+strings.Repeat("*", 11)+n[14:] {
				t.Fatalf("MaskIDNumber(%q) = %q", s, m)
			}
			// MOD 11-2 catches every single wrong character.
			for i := range 18 {
				for _, c := range "0123456789X" {
					if byte(c) == n[i] || (c == 'X' && i < 17) {
						continue
					}
					if m := n[:i] + string(c) + n[i+1:]; rules.CheckIDNumber(m, now) == nil {
						t.Fatalf("check missed %s → %s", n, m)
					}
				}
			}
		}

		birth := first.AddDate(0, 0, int(days%span))
		first17 := fmt.Sprintf("%06d%s%03d", region%1000000, birth.Format("20060102"), seq%1000)
		id := rules.MakeIDNumber(first17)
		if err := rules.CheckIDNumber(id, now); err != nil {
			t.Fatalf("MakeIDNumber(%s) = %s fails: %v", first17, id, err)
		}
		if err := rules.CheckIDNumber(strings.ToLower(id), now); err != nil {
			t.Fatalf("lower-case %s fails: %v", id, err)
		}
	})
}
