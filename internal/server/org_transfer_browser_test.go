package server

import (
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/seed"
)

// A town officer previews the whole-community move in a browser: 预览迁入后名称 shows each group's new name
// without the confirmation the move asks (it moves nothing), and the move itself still asks first.
func TestBrowserCommunityMovePreview(t *testing.T) {
	a := newApp(t, nil)
	id, _ := guidedOrgOf(t, a)
	other := otherCommunity(t, a)
	closeOpenCasesIn(t, a, seed.CommunityDemo)
	b := newBrowser(t, a)
	d := flowSignIn(t, b, "demo-town", "town")
	if res := d.open("/town/orgs/move-community?from=" + seed.CommunityDemo); res.Status != 200 {
		t.Fatalf("move page: %d", res.Status)
	}
	d.setValue("#to", other)
	if res := d.click("#move-preview"); res.Status != 200 {
		t.Fatalf("preview: %d", res.Status)
	}
	if n := len(d.dialogMessages()); n != 0 {
		t.Fatalf("the preview asked for confirmation %d times", n)
	}
	if d.value("#to") != other || d.count(".move-new-name") == 0 {
		t.Fatalf("the preview lost the community chosen (%q) or shows no new name", d.value("#to"))
	}
	row := js[string](d, `document.querySelector("#move-org-`+itoa64(id)+`").closest("tr").textContent`)
	if !strings.Contains(row, queryString(t, a, `SELECT name FROM divisions WHERE code = $1`, other)) {
		t.Errorf("the group's row shows no name in the new community: %q", row)
	}
	d.screenshot("community-move-preview")
	d.setValue("#reason", "锦华社区拆分")
	d.click(`form[data-confirm] button[type=submit]:not([data-no-confirm])`)
	if n := len(d.dialogMessages()); n != 1 {
		t.Fatalf("the move asked %d times", n)
	}
	if a.count(`SELECT count(*) FROM organizations WHERE community_code = $1`, seed.CommunityDemo) != 0 {
		t.Error("the confirmed move left groups behind")
	}
}
