package portal

import "testing"

func TestScopeCoversByCodePrefix(t *testing.T) {
	town := Scope{Tier: TierTown, Division: "500112002"}
	for code, want := range map[string]bool{"500112002": true, "500112002001": true, "500112004001": false,
		"500112": false, "50011200": false} {
		if got := town.Covers(code); got != want {
			t.Errorf("town covers %s = %v", code, got)
		}
	}
	if (Scope{}).Covers("500112") {
		t.Error("an empty scope covers something")
	}
}

func TestCanManageOnlyDownwardAndInside(t *testing.T) {
	district := Scope{Tier: TierDistrict, Division: "500112"}
	town := Scope{Tier: TierTown, Division: "500112133"}
	community := Scope{Tier: TierCommunity, Division: "500112133200"}
	cases := []struct {
		s    Scope
		t    Tier
		code string
		want bool
	}{
		{district, TierTown, "500112002", true},
		{district, TierCommunity, "500112002001", true},
		{district, TierDistrict, "500112", true}, // the district keeps its own 科室's accounts (issue 17)
		{district, TierDistrict, "500113", false},
		{district, TierTown, "500112002001", false}, // tier and division level disagree
		{town, TierCommunity, "500112133200", true},
		{town, TierCommunity, "500112002001", false}, // another town's community
		{town, TierTown, "500112133", false},         // its own level: the district makes town accounts
		{community, TierCommunity, "500112133200", false},
		{district, "admin", "500112002", false},
	}
	for _, c := range cases {
		if got := c.s.CanManage(c.t, c.code); got != c.want {
			t.Errorf("%v manages %s %s = %v, want %v", c.s, c.t, c.code, got, c.want)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	for pw, ok := range map[string]bool{"Yubei@2021demo": true, "short1A": false, "alllowercase1": false,
		"ALLUPPER1234": false, "Abcdefg1": true, "abcdefg!1": true, "12345678!": false, "密码很长但是只有汉字": false} {
		if got := PasswordProblem(pw, "") == ""; got != ok {
			t.Errorf("%q acceptable = %v, want %v", pw, got, ok)
		}
	}
	if PasswordProblem("Demo-town1", "Demo-town1") == "" {
		t.Error("a password equal to the username was accepted")
	}
}
