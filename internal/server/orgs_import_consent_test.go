package server

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/ledger"
)

// The 台账's consent column: a word other than 是 or 否 is a bad cell and nothing is imported; 是 publishes the
// leader's name on the profile, a blank (the default) and 否 do not.
func TestOrgImportConsentToPublishContact(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	bad := ledgerFile(t, ledger.Columns(true), [][]string{
		ledgerRow("公开甲", map[string]string{ledger.ColPublish: "可以"}),
	}, nil)
	_, res := c.checkLedger("/town/orgs/import", bad)
	if jobState(t, res) != "rejected" {
		t.Fatalf("state %q", jobState(t, res))
	}
	var cells []string
	res.doc(t).Find("#row-problems tbody tr").Each(func(_ int, s *goquery.Selection) {
		cells = append(cells, s.Find("td").Eq(1).Text()+"|"+s.Find("td").Eq(2).Text())
	})
	if len(cells) != 1 || cells[0] != ledger.ColPublish+"|可以" {
		t.Fatalf("problems %q", cells)
	}
	good := ledgerFile(t, ledger.Columns(true), [][]string{
		ledgerRow("公开甲", map[string]string{ledger.ColPublish: "是", ledger.ColLeader: "欧阳公开"}),
		ledgerRow("公开乙", map[string]string{ledger.ColLeader: "欧阳不公"}),
		ledgerRow("公开丙", map[string]string{ledger.ColPublish: "否", ledger.ColLeader: "欧阳也不"}),
	}, nil)
	job, res := c.checkLedger("/town/orgs/import", good)
	if jobState(t, res) != "ready" {
		t.Fatalf("state %q", jobState(t, res))
	}
	if res := c.confirmLedger(job); jobState(t, res) != "done" {
		t.Fatalf("import: %q", jobState(t, res))
	}
	for leader, want := range map[string]bool{"欧阳公开": true, "欧阳不公": false, "欧阳也不": false} {
		var id, published int
		_ = a.db.Pool.QueryRow(t.Context(), `SELECT id, publish_contact::int FROM organizations WHERE leader_name = $1`, leader).Scan(&id, &published)
		if id == 0 || (published == 1) != want {
			t.Errorf("%s: id %d, published %d, want %v", leader, id, published, want)
			continue
		}
		shown := strings.Contains(a.client().get("/orgs/"+itoa64(int64(id))).Body, leader)
		if shown != want {
			t.Errorf("%s on the profile: %v, want %v", leader, shown, want)
		}
	}
}
