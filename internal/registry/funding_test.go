package registry

import (
	"testing"
	"time"
)

func TestParseYuan(t *testing.T) {
	for _, c := range []struct {
		in   string
		fen  Fen
		good bool
	}{
		{"12", 1200, true}, {"12.5", 1250, true}, {"12.50", 1250, true}, {"1,200.05", 120005, true},
		{"0.1", 10, true}, {"3500.50元", 350050, true}, {" 7 ", 700, true}, {"0", 0, true},
		{"-5", 0, false}, {"12.345", 0, false}, {"1e3", 0, false}, {"12.", 0, false}, {"", 0, false},
		{"abc", 0, false}, {"1000000000000", 0, false}, {"+5", 0, false},
	} {
		got, ok := ParseYuan(c.in)
		if ok != c.good || (ok && got != c.fen) {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d, %v", c.in, got, ok, c.fen, c.good)
		}
	}
	// 0.1 + 0.2 is 0.3 exactly
	a, _ := ParseYuan("0.1")
	b, _ := ParseYuan("0.2")
	if (a + b).String() != "0.30" {
		t.Errorf("0.1 + 0.2 = %s", (a + b).String())
	}
}

func TestFenString(t *testing.T) {
	for f, want := range map[Fen]string{0: "0.00", 5: "0.05", 1250: "12.50", 123456789: "1,234,567.89", -1250: "-12.50"} {
		if got := f.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", f, got, want)
		}
	}
	if Fen(123456789).Plain() != "1234567.89" {
		t.Error("Plain keeps separators")
	}
}

func TestMoneyFormsRefuseBadInput(t *testing.T) {
	d := func(y int, m time.Month, day int) *time.Time {
		t := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
		return &t
	}
	c := ContractInput{OrgID: 1, Project: "关爱服务", Amount: ReadAmount("-100"), StartsOn: d(2026, 6, 1), EndsOn: d(2026, 1, 1), SignedOn: d(2026, 1, 1)}
	p := c.Validate()
	if p["amount"] == "" || p["ends_on"] == "" {
		t.Errorf("contract problems %v", p)
	}
	if p := (PaymentInput{PaidOn: d(2026, 1, 1), Amount: ReadAmount("100.01")}).Validate(10000); p["amount"] == "" {
		t.Error("a payment beyond what is left passes")
	}
	if p := (PaymentInput{PaidOn: d(2026, 1, 1), Amount: ReadAmount("100.00")}).Validate(10000); !p.OK() {
		t.Errorf("the exact remainder is refused: %v", p)
	}
	if p := (MovementInput{Kind: MovementGrant, OrgID: 1, On: d(2026, 1, 1), Amount: ReadAmount("50")}).Validate(4999); p["amount"] == "" {
		t.Error("a grant beyond the balance passes")
	}
	crit := []Criterion{{ID: 1, Name: "需求分析", MaxScore: 20}, {ID: 2, Name: "项目设计", MaxScore: 40}}
	if p := ScoreProblems(crit, map[int64]int{1: 21, 2: 40}, map[int64]bool{1: true, 2: true}); p["score_1"] == "" || p["score_2"] != "" {
		t.Errorf("score problems %v", p)
	}
	if p := ScoreProblems(crit, map[int64]int{1: 20}, map[int64]bool{1: true}); p["score_2"] == "" {
		t.Error("an unscored criterion passes")
	}
}
