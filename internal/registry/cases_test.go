package registry

import (
	"strings"
	"testing"
)

func TestCaseWorkflow(t *testing.T) {
	allowed := map[[2]CaseStatus]bool{
		{CaseSubmitted, CasePublished}: true, {CaseSubmitted, CaseReturned}: true,
		{CaseReturned, CaseSubmitted}: true, {CasePublished, CaseWithdrawn}: true,
	}
	for _, from := range CaseStatuses {
		for _, to := range CaseStatuses {
			if got := from.CanBecome(to); got != allowed[[2]CaseStatus{from, to}] {
				t.Errorf("%s → %s: %v", from, to, got)
			}
		}
		if from.Label() == "" {
			t.Errorf("%s has no label", from)
		}
	}
}

func TestCaseInputValidate(t *testing.T) {
	good := CaseInput{OrgID: 1, Title: "邻里守望的一年", Series: "邻里守望", Story: strings.Repeat("好", 30)}
	if p := good.Validate(); !p.OK() {
		t.Fatalf("good input refused: %v", p)
	}
	bad := CaseInput{Title: strings.Repeat("长", 61), Series: "无", Story: "太短"}
	p := bad.Validate()
	for _, k := range []string{"org", "title", "series", "story"} {
		if p[k] == "" {
			t.Errorf("no message at %s: %v", k, p)
		}
	}
}
