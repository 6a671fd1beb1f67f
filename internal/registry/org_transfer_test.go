package registry

import (
	"strings"
	"testing"
)

func TestTransferValidate(t *testing.T) {
	for _, c := range []struct {
		in   Transfer
		want []string
	}{
		{Transfer{To: "500112002002", Reason: "社区调整"}, nil},
		{Transfer{}, []string{"to", "reason"}},
		{Transfer{To: "500112002002", Reason: "  "}, []string{"reason"}},
		{Transfer{To: "500112002002", Reason: strings.Repeat("因", 501)}, []string{"reason"}},
	} {
		p := c.in.Validate()
		if len(p) != len(c.want) {
			t.Errorf("%+v: %v, want %v", c.in, p, c.want)
		}
		for _, k := range c.want {
			if p[k] == "" {
				t.Errorf("%+v: no message at %s", c.in, k)
			}
		}
	}
}

func TestCommunityMoveValidate(t *testing.T) {
	ok := CommunityMove{From: "500112002001", To: "500112002002", All: true, Reason: "合并"}
	if p := ok.Validate(); !p.OK() {
		t.Fatal(p)
	}
	same := ok
	same.To = same.From
	if p := same.Validate(); p["to"] == "" {
		t.Fatal("same community accepted")
	}
	none := ok
	none.All = false
	if p := none.Validate(); p["orgs"] == "" {
		t.Fatal("no group chosen accepted")
	}
	none.IDs = []int64{3}
	if p := none.Validate(); !p.OK() {
		t.Fatal(p)
	}
}
