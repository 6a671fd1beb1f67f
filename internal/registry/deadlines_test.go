package registry

import (
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
)

func TestDeadlineInputBounds(t *testing.T) {
	for _, c := range []struct {
		review, grace string
		bad           []string
	}{
		{"20", "15", nil},
		{"1", "0", nil},
		{"180", "90", nil},
		{"0", "91", []string{"review_days", "report_grace_days"}},
		{"", "-1", []string{"review_days", "report_grace_days"}},
		{"二十", "15", []string{"review_days"}},
		{"181", "", []string{"review_days", "report_grace_days"}},
	} {
		_, p := DeadlineInput{ReviewDays: c.review, ReportGraceDays: c.grace}.Parse()
		if len(p) != len(c.bad) {
			t.Errorf("%q %q: problems %v, want %v", c.review, c.grace, p, c.bad)
		}
		for _, k := range c.bad {
			if p[k] == "" {
				t.Errorf("%q %q: no message at %s", c.review, c.grace, k)
			}
		}
	}
}

func TestDueDays(t *testing.T) {
	s := DeadlineSettings{ReviewDays: 20, ReportGraceDays: 15}
	// The first half of 2026 ends on 1 July; its reports are due 15 days later, 16 July 00:00 北京时间.
	if got, want := s.ReportDue(Period{2026, 1}), time.Date(2026, 7, 16, 0, 0, 0, 0, portal.Beijing); !got.Equal(want) {
		t.Errorf("report due %v, want %v", got, want)
	}
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, portal.Beijing)
	if got := s.ReviewDue(at); !got.Equal(at.AddDate(0, 0, 20)) {
		t.Errorf("review due %v", got)
	}
	if !EvaluationDue(2025).Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, portal.Beijing)) {
		t.Error("evaluation due")
	}
	it := DueItem{Due: at}
	if it.Overdue(at.Add(-time.Second)) || !it.Overdue(at) {
		t.Error("overdue from the due instant on")
	}
}
