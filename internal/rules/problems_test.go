package rules_test

import (
	"testing"

	"github.com/yubei-cso/portal/internal/rules"
)

func TestProblemsKeepsFirstMessage(t *testing.T) {
	p := rules.Problems{}
	if !p.OK() {
		t.Fatal("empty Problems should be OK")
	}
	p.Add(rules.KeyZihao, "first")
	p.Add(rules.KeyZihao, "second")
	p.Add(rules.KeyField, "other")
	if p.OK() {
		t.Fatal("Problems with messages should not be OK")
	}
	if got := p[rules.KeyZihao]; got != "first" {
		t.Errorf("zihao message = %q, want the first one", got)
	}
	if len(p) != 2 {
		t.Errorf("len = %d, want 2", len(p))
	}
	var none rules.Problems
	if !none.OK() {
		t.Error("nil Problems should be OK")
	}
}
