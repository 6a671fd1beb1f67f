package portal

import "slices"

// Role is an account's share of its tier's work (行动方案 §四(一)). The capability table says what a tier may do;
// a role narrows it: every role reads all its tier reads, and takes only the actions the table below gives it.
// RoleAll, the empty role, is the whole of the tier's work.
type Role string

const (
	RoleAll      Role = ""         // 全部: the tier's whole work
	RoleReview   Role = "review"   // 区 审批: reviews registrations (行政审批科（社会组织科）)
	RoleAdmin    Role = "admin"    // 区 管理: accounts, divisions and the audit log
	RoleRead     Role = "read"     // 区 查阅: reads only
	RoleClerk    Role = "clerk"    // 镇街 经办: files, edits, imports
	RoleApprover Role = "approver" // 镇街 审核: decides filings, reviews notices, changes statuses
)

// TierRoles are the roles an account of each tier may have.
var TierRoles = map[Tier][]Role{
	TierDistrict:  {RoleAll, RoleReview, RoleAdmin, RoleRead},
	TierTown:      {RoleAll, RoleClerk, RoleApprover},
	TierCommunity: {RoleAll},
}

// Label is the role as clerks say it.
func (r Role) Label() string {
	return map[Role]string{RoleAll: "全部", RoleReview: "审批", RoleAdmin: "管理", RoleRead: "查阅",
		RoleClerk: "经办", RoleApprover: "审核"}[r]
}

// readActions are open to every role of a tier that may take them: every page that only shows, and the own inbox.
var readActions = []Action{ViewDashboard, ViewOrgs, ViewFilings, ViewApplications, ViewReports, ViewNotices,
	ViewWorkReports, ViewEvaluations, ViewStats, ViewAssessment, ViewTraining, ViewMatching, ViewPlatforms,
	ViewFunding, ViewCases, ViewAnnouncements, ViewDisclosures,
	ViewMessages} // every role keeps its own inbox

// roleActions is the role layer of the capability table: what each role may do beyond reading.
//   - 区 审批 (行政审批科（社会组织科）) decides about groups: registrations and their changes, statuses, 典型案例,
//     品牌项目, and scores 公益创投.
//   - 区 管理 keeps the system and the district's own programmes: accounts, the audit log, deadlines, targets and
//     考核 schemes, community offices, 通知公告, and the district's platforms, funds, incubation, 洽谈会 and cases.
//   - 镇街 经办 does the town's filing and keeping work; 镇街 审核 decides what 经办 submitted.
//
// TestEveryActionHasARole fails for an action no narrowed role can take, so a new module cannot forget this
// table without saying so in roleAllOnly.
var roleActions = map[Role][]Action{
	RoleReview: {ReviewApplications, ChangeOrgStatus, RevealPersonal, ChangeRegistration, DecideCases,
		DesignateBrands, ReviewVenture, TransferOrgs, RecognizeCharity},
	RoleAdmin: {ManageAccounts, ViewAudit, SetDeadlines, SetTargets, ManageSchemes, SetOffices,
		PublishAnnouncements, ManagePlatforms, ManageFunding, Incubate, HoldMatchingEvents, WriteCases,
		ManageDivisions, // issue 17: 区划 kept in the browser
		ManageTraining}, // issue 16: the district holds sessions (示范培训) for every town
	RoleRead: {},
	RoleClerk: {SubmitFilings, SubmitApplications, EditOrg, ImportOrgs, RevealPersonal, ManageTraining, PostNeeds,
		OfferProjects, HoldMatchingEvents, ManagePlatforms, BookRooms, HouseGroups, Incubate, ManageFunding,
		ApplyVenture, WriteCases, PublishAnnouncements, RecordPartyMeetings, PublishDisclosures, SetOffices,
		TransferOrgs, SetOrgContact},
	RoleApprover: {DecideFilings, ReviewNotices, ChangeOrgStatus, MarkAbnormal, ManageAccounts, RevealPersonal,
		ReviewVenture},
}

// roleAllOnly lists, per tier with narrowed roles, the actions only the whole role (全部) takes. None today.
var roleAllOnly = map[Tier][]Action{}

// ValidFor says whether r is a role of tier t.
func (r Role) ValidFor(t Tier) bool { return slices.Contains(TierRoles[t], r) }

// Allowed says whether account a may perform act: its tier may (Can), and its role takes act.
func Allowed(a Account, act Action) bool {
	if !Can(a.Tier, act) || !a.Role.ValidFor(a.Tier) {
		return false
	}
	return a.Role == RoleAll || slices.Contains(readActions, act) || slices.Contains(roleActions[a.Role], act)
}
