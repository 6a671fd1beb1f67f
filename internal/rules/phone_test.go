package rules_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/rules"
)

func TestCheckPhone(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string
	}{
		{"13812345678", ""},
		{"19912345678", ""},
		{" 138 1234 5678 ", ""},
		{"１３８１２３４５６７８", ""},
		{"023-67891234", ""},
		{"02367891234", ""},
		{"023-6789123", ""},
		{"010-12345678", ""},
		{"0755-12345678", ""},
		{"075512345678", ""},
		{"023-67891234-801", ""},
		{"02367891234-1", ""},
		{"023－67891234", ""},
		{"", "请填写联系电话"},
		{"   ", "请填写联系电话"},
		{"12812345678", "第2位应为3–9"},
		{"1381234567", "手机号应为11位，现为10位"},
		{"138123456789", "手机号应为11位，现为12位"},
		{"138-1234-5678", "不要加“-”"},
		{"+8613812345678", "不能含有“+”"},
		{"023-6789123a", "不能含有“a”"},
		{"67891234", "请加区号"},
		{"001-12345678", "区号不正确"},
		{"0-12345678", "区号不正确"},
		{"02-367891234", "区号不正确"},
		{"0236-7891234", "应为7–8位，现为1位"},
		{"023-678912", "应为7–8位，现为6位"},
		{"023-678912345", "应为7–8位，现为9位"},
		{"023-67891234-", "分机号应为1–4位数字"},
		{"023-67891234-12345", "分机号应为1–4位数字"},
		{"023-67891234-1-2", "分机号应为1–4位数字"},
		{"023--67891234", "应为7–8位，现为0位"},
		{"5", "应为11位手机号或带区号的座机号"},
	}
	for _, tt := range tests {
		err := rules.CheckPhone(tt.in)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("CheckPhone(%q) = %v, want nil", tt.in, err)
		case tt.wantErr != "" && err == nil:
			t.Errorf("CheckPhone(%q) = nil, want %q", tt.in, tt.wantErr)
		case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
			t.Errorf("CheckPhone(%q) = %q, want it to contain %q", tt.in, err, tt.wantErr)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	tests := map[string]string{
		"13812345678":      "138****5678",
		"138 1234 5678":    "138****5678",
		"023-67891234":     "023-****1234",
		"02367891234":      "023****1234",
		"023-6789123":      "023-***9123",
		"0755-12345678":    "0755-****5678",
		"023-67891234-801": "023-****1234-801",
		"":                 "",
		"123":              "***",
		"+8613812345678":   "**********5678",
	}
	for in, want := range tests {
		if got := rules.MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

// phoneOracle restates the accepted shapes as one regular expression, written
// separately from the parser so the fuzzer can compare the two. The groups
// give the mask the number should get.
var phoneOracle = regexp.MustCompile(`^(?:(1[3-9][0-9])([0-9]{4})([0-9]{4})|(0(?:[12][0-9]|[3-9][0-9]{2})-?)([0-9]{3,4})([0-9]{4}(?:-[0-9]{1,4})?))$`)

// phoneExamples strips the sample numbers messages show, so a fuzzed input
// that happens to be part of one is not mistaken for a leak.
var phoneExamples = strings.NewReplacer("13812345678", "", "023-67891234-801", "", "023-67891234", "")

func FuzzCheckPhone(f *testing.F) {
	for _, s := range []string{"13812345678", "023-67891234", "02367891234", "0755-1234567-1234",
		"023--1234567", "0-", "1", "", " １３８ ", "010-12345678-", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := rules.NormalizePhone(s)
		err := rules.CheckPhone(s)
		g := phoneOracle.FindStringSubmatch(n)
		if (err == nil) != (g != nil) {
			t.Fatalf("CheckPhone(%q) = %v, but the oracle says valid=%v for %q", s, err, g != nil, n)
		}
		if err != nil && len(n) >= 7 && strings.Contains(phoneExamples.Replace(err.Error()), n) {
			t.Fatalf("error repeats the number: %v", err)
		}
		m := rules.MaskPhone(s)
		if utf8.RuneCountInString(m) != utf8.RuneCountInString(n) {
			t.Fatalf("MaskPhone(%q) = %q changes the length of %q", s, m, n)
		}
		if g == nil {
			// Whatever it was, no more than its last 4 characters show.
			r := []rune(m)
			if strings.Trim(string(r[:max(len(r)-4, 0)]), "*") != "" {
				t.Fatalf("MaskPhone(%q) = %q shows more than the last 4 characters", s, m)
			}
		} else {
			want := g[1] + "****" + g[3]
			if g[1] == "" {
				want = g[4] + strings.Repeat("*", len(g[5])) + g[6]
			}
			if m != want {
				t.Fatalf("MaskPhone(%q) = %q, want %q", s, m, want)
			}
		}
	})
}
