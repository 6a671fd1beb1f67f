package portal

import (
	"slices"
	"strings"
	"testing"
)

// The role layer narrows the capability table and never widens it: RoleAll is the tier's whole work, every role
// reads what its tier reads, a role takes only its own actions, and a role of another tier takes nothing.
func TestAllowedNarrowsCan(t *testing.T) {
	for tier, roles := range TierRoles {
		for _, role := range roles {
			a := Account{Tier: tier, Role: role}
			for act := range capabilities {
				if Allowed(a, act) && !Can(tier, act) {
					t.Errorf("%s %s may %s, which the tier may not", tier, role, act)
				}
				if role == RoleAll && Allowed(a, act) != Can(tier, act) {
					t.Errorf("%s 全部: Allowed(%s) differs from Can", tier, act)
				}
			}
			if Can(tier, ViewOrgs) && !Allowed(a, ViewOrgs) {
				t.Errorf("%s %s cannot read the organizations", tier, role)
			}
		}
	}
	read := Account{Tier: TierDistrict, Role: RoleRead}
	for _, act := range []Action{ReviewApplications, ManageAccounts, ChangeOrgStatus, RevealPersonal, ViewAudit} {
		if Allowed(read, act) {
			t.Errorf("查阅 may %s", act)
		}
	}
	if !Allowed(Account{Tier: TierDistrict, Role: RoleReview}, ReviewApplications) ||
		Allowed(Account{Tier: TierDistrict, Role: RoleReview}, ManageAccounts) {
		t.Error("审批 reviews registrations and manages no accounts")
	}
	if !Allowed(Account{Tier: TierTown, Role: RoleApprover}, DecideFilings) ||
		Allowed(Account{Tier: TierTown, Role: RoleClerk}, DecideFilings) ||
		!Allowed(Account{Tier: TierTown, Role: RoleClerk}, SubmitFilings) {
		t.Error("a town's 经办 files and its 审核 decides")
	}
	if Allowed(Account{Tier: TierCommunity, Role: RoleApprover}, ViewOrgs) {
		t.Error("a role of another tier takes something")
	}
}

// Every action a tier with narrowed roles may take is taken by at least one of its narrowed roles (or listed in
// roleAllOnly), and every view action is readable by all roles: a module that adds an action to the capability
// table and forgets the role layer leaves 查阅, 审批, 经办 or 审核 accounts without a page they need.
func TestEveryActionHasARole(t *testing.T) {
	for tier, acts := range Grants() {
		narrowed := 0
		for _, r := range TierRoles[tier] {
			if r != RoleAll {
				narrowed++
			}
		}
		if narrowed == 0 {
			continue
		}
		for _, act := range acts {
			taken := slices.Contains(roleAllOnly[tier], act)
			for _, r := range TierRoles[tier] {
				if r != RoleAll && Allowed(Account{Tier: tier, Role: r}, act) {
					taken = true
				}
			}
			if !taken {
				t.Errorf("%s: no narrowed role takes %s; add it to roleActions or roleAllOnly", tier, act)
			}
			// The audit log is the one view kept from readers: it is 管理's (SECURITY.md).
			if strings.HasSuffix(string(act), ".view") && act != ViewAudit && !slices.Contains(readActions, act) {
				t.Errorf("%s is a view action that 查阅 cannot read; add it to readActions", act)
			}
		}
	}
}
