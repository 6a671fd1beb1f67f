package postgres

import (
	"regexp"
	"testing"

	"github.com/yubei-cso/portal/internal/registry"
)

// TestFilingChangeStatementCoversEveryItem: the items a 变更备案 may name (registry.ChangeItems, which the form
// offers) and the items its approval copies are the same list, so no change a clerk files is silently dropped.
func TestFilingChangeStatementCoversEveryItem(t *testing.T) {
	copied := map[string]bool{}
	for _, m := range regexp.MustCompile(`'([a-z_]+)' = ANY\(f\.changes\)`).FindAllStringSubmatch(applyFilingChanges, -1) {
		copied[m[1]] = true
	}
	for _, c := range registry.ChangeItems {
		if !copied[c.Key] {
			t.Errorf("change item %s (%s) is offered but never copied on approval", c.Key, c.Label)
		}
		delete(copied, c.Key)
	}
	for k := range copied {
		t.Errorf("the approval copies %q, which registry.ChangeItems does not offer", k)
	}
}
