package registry

import (
	"testing"
	"time"
)

func TestMeetingInputParse(t *testing.T) {
	today := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	ok := MeetingInput{Kind: "lecture", HeldOn: "2026-07-01", Topic: "学习党章", Attendance: "12"}
	if m, p := ok.Parse(today); !p.OK() || m.Kind != MeetingLecture || m.Attendance != 12 {
		t.Fatalf("good input: %+v %v", m, p)
	}
	for _, c := range []struct {
		in    MeetingInput
		field string
	}{
		{MeetingInput{Kind: "party", HeldOn: "2026-07-01", Topic: "x", Attendance: "1"}, "kind"},
		{MeetingInput{Kind: "group", HeldOn: "2026-07-02", Topic: "x", Attendance: "1"}, "held_on"},
		{MeetingInput{Kind: "group", HeldOn: "7/1/2026", Topic: "x", Attendance: "1"}, "held_on"},
		{MeetingInput{Kind: "group", HeldOn: "1999-12-31", Topic: "x", Attendance: "1"}, "held_on"},
		{MeetingInput{Kind: "group", HeldOn: "2026-06-01", Topic: "", Attendance: "1"}, "topic"},
		{MeetingInput{Kind: "group", HeldOn: "2026-06-01", Topic: string(make([]rune, 101)), Attendance: "1"}, "topic"},
		{MeetingInput{Kind: "group", HeldOn: "2026-06-01", Topic: "x", Attendance: "0"}, "attendance"},
		{MeetingInput{Kind: "group", HeldOn: "2026-06-01", Topic: "x", Attendance: "10001"}, "attendance"},
		{MeetingInput{Kind: "group", HeldOn: "2026-06-01", Topic: "x", Attendance: ""}, "attendance"},
	} {
		_, p := c.in.Parse(today)
		if len(p) != 1 || p[c.field] == "" {
			t.Errorf("%+v: problems %v, want one at %s", c.in, p, c.field)
		}
	}
}
