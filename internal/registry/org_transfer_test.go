package registry

import (
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/rules"
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

// After a transfer renamed a group, its record names the community it left when its own 简易章程 or 活动场所
// still say it; not before a rename, not once the text was edited, and within a town or across towns.
func TestStaleCommunityText(t *testing.T) {
	at := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	o := Organization{Name: "渝北区双龙湖街道碧波社区夕阳红舞蹈队", Tier: TierGuided, Status: StatusNormal,
		NameParts: rules.NameParts{Prefix: "渝北区双龙湖街道", Community: "碧波社区", Zihao: "夕阳红", Field: "舞蹈", Form: "队"},
		Venue:     "锦华社区党群服务中心二楼", Charter: "本队由锦华社区居民自愿组成。"}
	moved := Event{ID: 1, At: at, Kind: "transferred", From: "双龙湖街道锦华社区", To: "双龙湖街道碧波社区"}
	renamed := Event{ID: 2, At: at, Kind: "renamed", From: "渝北区双龙湖街道锦华社区夕阳红舞蹈队", To: o.Name}
	if old, fields := StaleCommunityText(o, []Event{moved, renamed}); old != "锦华社区" || len(fields) != 2 {
		t.Errorf("same town: %q %v", old, fields)
	}
	if old, _ := StaleCommunityText(o, []Event{moved}); old != "" {
		t.Errorf("a transfer without a rename: %q", old)
	}
	edited := o
	edited.Charter, edited.Venue = "本队由碧波社区居民自愿组成。", "碧波社区活动室"
	if old, _ := StaleCommunityText(edited, []Event{moved, renamed}); old != "" {
		t.Errorf("edited text: %q", old)
	}
	venueOnly := o
	venueOnly.Charter = ""
	if _, fields := StaleCommunityText(venueOnly, []Event{moved, renamed}); len(fields) != 1 || fields[0] != "活动场所" {
		t.Errorf("venue only: %v", fields)
	}
	// Across towns: the 行政区划 changed with the town.
	far := o
	far.Name, far.NameParts.Prefix, far.NameParts.Community = "渝北区统景镇印盒村夕阳红舞蹈队", "渝北区统景镇", "印盒村"
	movedFar := Event{ID: 3, At: at.Add(time.Hour), Kind: "transferred", From: "双龙湖街道锦华社区", To: "统景镇印盒村"}
	renamedFar := Event{ID: 4, At: at.Add(time.Hour), Kind: "renamed", From: "渝北区双龙湖街道锦华社区夕阳红舞蹈队", To: far.Name}
	if old, fields := StaleCommunityText(far, []Event{movedFar, renamedFar}); old != "锦华社区" || len(fields) != 2 {
		t.Errorf("another town: %q %v", old, fields)
	}
}
