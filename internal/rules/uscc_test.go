package rules_test

import (
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/rules"
)

const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// Codes copied from the national credit-disclosure platform; the first three
// are 湖北省民政厅 registrations, the last a 四川 company.
var realUSCCs = []struct {
	code string
	form rules.LegalForm
}{
	{"51420000MJH200395N", rules.FormSocialGroup},
	{"53420000MJH2448303", rules.FormFoundation},
	{"52420000MJH233402K", rules.FormPrivateNonEnterprise},
	{"91512081MA62K0260E", ""},
}

func TestRealUSCCsPassChecksum(t *testing.T) {
	for _, c := range realUSCCs {
		if !rules.ValidUSCCChecksum(c.code) {
			t.Errorf("ValidUSCCChecksum(%s) = false", c.code)
		}
	}
}

func TestCheckUSCC(t *testing.T) {
	made := rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH20039")
	swap := func(s string, i int, c byte) string { return s[:i] + string(c) + s[i+1:] }
	tests := []struct {
		name     string
		code     string
		form     rules.LegalForm
		division string
		wantErr  string // substring; "" means valid
	}{
		{"social group", "51420000MJH200395N", rules.FormSocialGroup, "", ""},
		{"foundation", "53420000MJH2448303", rules.FormFoundation, "420000", ""},
		{"private non-enterprise", "52420000MJH233402K", rules.FormPrivateNonEnterprise, "", ""},
		{"form not yet known", "52420000MJH233402K", "", "", ""},
		{"lower case and spaces", "  52420000mjh233402k ", rules.FormPrivateNonEnterprise, "", ""},
		{"full-width", "５２420000MJH233402K", rules.FormPrivateNonEnterprise, "", ""},
		{"made in 渝北", made, rules.FormSocialGroup, "500112", ""},
		{"company", "91512081MA62K0260E", "", "", "第1位应为5（民政部门登记）"},
		{"empty", "  ", rules.FormSocialGroup, "", "请填写"},
		{"too short", "51420000MJH200395", rules.FormSocialGroup, "", "长度应为18位，现为17位"},
		{"too long", "51420000MJH200395NN", rules.FormSocialGroup, "", "长度应为18位，现为19位"},
		{"letter I", "51420000MJI200395N", rules.FormSocialGroup, "", "第11位含有不允许的字符“I”"},
		{"letter O", "5142O000MJH200395N", rules.FormSocialGroup, "", "不使用I、O、S、V、Z"},
		{"Chinese char", "51420000MJH20039５号", rules.FormSocialGroup, "", "第18位含有不允许的字符“号”"},
		{"space inside", "51420000 JH200395N", rules.FormSocialGroup, "", "第9位含有不允许的字符空格"},
		{"category 4", swap(made, 1, '4'), rules.FormSocialGroup, "", "第2位应为1、2、3或9"},
		{"form mismatch", "52420000MJH233402K", rules.FormSocialGroup, "", "第2位应为1（社会团体），与组织形式不符"},
		{"foundation mismatch", "51420000MJH200395N", rules.FormFoundation, "", "第2位应为3（基金会）"},
		{"other district", "51420000MJH200395N", rules.FormSocialGroup, "500112", "第3–8位应为登记机关行政区划代码500112"},
		{"bad org check", swap(made, 16, '0'+((made[16]-'0'+1)%10)), rules.FormSocialGroup, "", "第17位校验码错误"},
		{"bad final check", swap("51420000MJH200395N", 17, 'M'), rules.FormSocialGroup, "", "第18位校验码错误"},
		{"unregistered", made, rules.FormUnregistered, "", "未登记团体没有统一社会信用代码"},
		{"unknown form", made, rules.LegalForm("公司"), "", "未知的组织类别"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rules.CheckUSCC(tt.code, tt.form, tt.division)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("CheckUSCC(%q) = %v, want nil", tt.code, err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("CheckUSCC(%q) = nil, want %q", tt.code, tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("CheckUSCC(%q) = %q, want it to contain %q", tt.code, err, tt.wantErr)
			}
		})
	}
}

func TestValidUSCCChecksumRejects(t *testing.T) {
	for _, s := range []string{"", "51420000MJH200395", "51420000MJH200395M", "51420000MJI200395N", "51420000MJH200395N0"} {
		if rules.ValidUSCCChecksum(s) {
			t.Errorf("ValidUSCCChecksum(%q) = true", s)
		}
	}
}

func TestMakeUSCCAlwaysPasses(t *testing.T) {
	bodies := []string{"00000000", "MJH20039", "YYYYYYYY", "12345678", "A1B2C3D4", "XWUTRQPN", "MA62K026"}
	forms := []rules.LegalForm{rules.FormSocialGroup, rules.FormPrivateNonEnterprise, rules.FormFoundation}
	for _, body := range bodies {
		for _, form := range forms {
			code := rules.MakeUSCC(form, "500112", body)
			if err := rules.CheckUSCC(code, form, "500112"); err != nil {
				t.Errorf("MakeUSCC(%s, %s) = %s fails: %v", form, body, code, err)
			}
		}
		if code := rules.MakeUSCC(rules.FormUnregistered, "500112", body); code[1] != '9' || !rules.ValidUSCCChecksum(code) {
			t.Errorf("MakeUSCC(unregistered, %s) = %s, want category 9 and a valid checksum", body, code)
		}
	}
	// The real codes' heads must come back with their own check characters.
	for _, c := range realUSCCs[:3] {
		if got := rules.MakeUSCC(c.form, c.code[2:8], c.code[8:16]); got != c.code {
			t.Errorf("MakeUSCC rebuilt %s as %s", c.code, got)
		}
	}
}

func TestMakeUSCCPanicsOnBadInput(t *testing.T) {
	for _, body := range []string{"1234567", "1234567I"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("MakeUSCC with body %q did not panic", body)
				}
			}()
			rules.MakeUSCC(rules.FormSocialGroup, "500112", body)
		}()
	}
}

// usccBody turns arbitrary fuzz bytes into an 8-character body so MakeUSCC
// is exercised on every corner of the alphabet.
func usccBody(seed string) string {
	var b [8]byte
	for i := range b {
		v := byte(i * 7)
		if i < len(seed) {
			v = seed[i]
		}
		b[i] = usccAlphabet[int(v)%len(usccAlphabet)]
	}
	return string(b[:])
}

func FuzzCheckUSCC(f *testing.F) {
	for _, c := range realUSCCs {
		f.Add(c.code)
	}
	f.Add(rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH20039"))
	f.Add("５１５００１１２ｍｊｈ２００３９")
	f.Add("")
	f.Add("\xff\xfe51420000MJH200395N")
	forms := []rules.LegalForm{"", rules.FormSocialGroup, rules.FormPrivateNonEnterprise, rules.FormFoundation, rules.FormUnregistered}
	f.Fuzz(func(t *testing.T, s string) {
		n := rules.NormalizeUSCC(s)
		if rules.NormalizeUSCC(n) != n {
			t.Fatalf("NormalizeUSCC not idempotent on %q", s)
		}
		for _, form := range forms {
			for _, div := range []string{"", "500112"} {
				err := rules.CheckUSCC(s, form, div)
				if err != nil {
					if err.Error() == "" {
						t.Fatalf("empty error message for %q", s)
					}
					continue
				}
				if len(n) != 18 || n[0] != '5' || !strings.ContainsRune("1239", rune(n[1])) {
					t.Fatalf("CheckUSCC accepted %q of the wrong shape", s)
				}
				for i := range 18 {
					if !strings.ContainsRune(usccAlphabet, rune(n[i])) {
						t.Fatalf("CheckUSCC accepted %q with %q at %d", s, n[i], i+1)
					}
				}
				if div != "" && n[2:8] != div {
					t.Fatalf("CheckUSCC accepted %q outside %s", s, div)
				}
				if !rules.ValidUSCCChecksum(s) {
					t.Fatalf("CheckUSCC accepted %q but the checksum does not", s)
				}
			}
		}
		if rules.ValidUSCCChecksum(s) {
			// One wrong character anywhere must be caught: 31 is prime and
			// no weight is 0 mod 31.
			for i := range 18 {
				for j := range len(usccAlphabet) {
					c := usccAlphabet[j]
					if c == n[i] {
						continue
					}
					m := n[:i] + string(c) + n[i+1:]
					if rules.ValidUSCCChecksum(m) {
						t.Fatalf("checksum missed %q → %q", n, m)
					}
				}
			}
		}
		body := usccBody(s)
		for _, form := range forms[1:4] {
			code := rules.MakeUSCC(form, "500112", body)
			if err := rules.CheckUSCC(code, form, "500112"); err != nil {
				t.Fatalf("MakeUSCC(%s, %s) = %s fails: %v", form, body, code, err)
			}
		}
	})
}

func BenchmarkCheckUSCC(b *testing.B) {
	code := rules.MakeUSCC(rules.FormPrivateNonEnterprise, "500112", "MJH23340")
	for b.Loop() {
		if err := rules.CheckUSCC(code, rules.FormPrivateNonEnterprise, "500112"); err != nil {
			b.Fatal(err)
		}
	}
}
