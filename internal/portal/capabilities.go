package portal

// Action is one thing an account may do in the portal. Which tiers may do it is the capability table below: the
// routes, the navigation and the store guards all read it, so "what may a town do?" has one answer.
type Action string

// The actions of the registry, grouped by the work they belong to.
const (
	ViewDashboard Action = "dashboard.view" // 工作台

	ViewOrgs        Action = "orgs.view"    // the organization list, records and their exports
	CreateOrg       Action = "orgs.create"  // record a new guided group (村居指导)
	EditOrg         Action = "orgs.edit"    // edit a record the tier keeps
	ChangeOrgStatus Action = "orgs.status"  // 正常 / 活动异常 / 已注销 / 已撤销
	RevealPersonal  Action = "orgs.reveal"  // see a leader's full phone and 身份证号, audited
	ImportOrgs      Action = "orgs.import"  // 台账导入
	ManageAccounts  Action = "accounts"     // accounts one tier down and in the own tier
	ViewAudit       Action = "audit.view"   // the audit log
	ViewFilings     Action = "filings.view" // 备案 lists, records, documents and 备案证明
	SubmitFilings   Action = "filings.submit"
	DecideFilings   Action = "filings.decide"

	ViewApplications   Action = "applications.view" // 登记申请
	SubmitApplications Action = "applications.submit"
	ReviewApplications Action = "applications.review" // 受理, 补正, 准予登记, 不予登记

	ViewReports   Action = "reports.view" // 活动报告
	SubmitReports Action = "reports.submit"

	ViewNotices   Action = "notices.view" // 重大活动报告
	SubmitNotices Action = "notices.submit"
	ReviewNotices Action = "notices.review" // 知悉, 退回修改, and the organizer's contact

	ViewWorkReports   Action = "workreports.view" // 定期工作报告: a committee's own status, coverage above it
	SubmitWorkReports Action = "workreports.submit"
	MarkAbnormal      Action = "workreports.mark-abnormal" // 活动异常 for groups that missed their reports
	ViewEvaluations   Action = "evaluations.view"          // 评估评议
	SubmitEvaluations Action = "evaluations.submit"

	ViewStats  Action = "stats.view"    // 统计分析: the caller's jurisdiction, drilling down inside it, and its export
	SetTargets Action = "stats.targets" // 培育目标: the district's default and its per-town and per-community targets

	ViewAssessment Action = "assessment.view"    // 目标责任考核 score sheets inside the jurisdiction
	ManageSchemes  Action = "assessment.schemes" // the yearly 考核 schemes, versioned
	ViewTraining   Action = "training.view"      // 骨干人才培训: plans, sessions, trainees, reach
	ManageTraining Action = "training.manage"    // a town's plan; a town's or the district's sessions and attendance

	ViewMatching       Action = "matching.view"    // 供需对接 board, needs, projects, fairs, brand projects
	PostNeeds          Action = "matching.need"    // post a community need
	OfferProjects      Action = "matching.project" // offer a group's service project
	HoldMatchingEvents Action = "matching.event"   // hold a 洽谈会 and record its matches
	DesignateBrands    Action = "matching.brand"   // designate a 品牌项目
)

// The actions of finishing what a clerk walks through (issue 17).
const (
	EndGuidedOrg Action = "orgs.end" // a committee 注销 a guided group it keeps (to 已注销 only)
	// Cultivation (培育扶持, seed §三(一)2–3): support platforms, their rooms, 安家 and incubation.
	ViewPlatforms   Action = "platforms.view"   // the register of support platforms, their rooms' weeks and cohorts
	ManagePlatforms Action = "platforms.manage" // register and keep the own division's platforms and rooms
	BookRooms       Action = "platforms.book"   // book a room for a group's activity, cancel a booking
	HouseGroups     Action = "platforms.house"  // 安家: give a group a home at a platform
	Incubate        Action = "platforms.incubate"

	// Money (seed §三(一)3): 政府购买服务, 工作基金, 公益创投 and where the money goes.
	ViewFunding   Action = "funding.view"   // contracts, funds, rounds and the totals, with their exports
	ManageFunding Action = "funding.manage" // record contracts, payments, 验收, fund movements, awards
	ReviewVenture Action = "funding.review" // score 公益创投 applications
	ApplyVenture  Action = "funding.apply"  // apply to a 公益创投 round for a group
	// Issue 17: registered particulars (name, legal form, USCC, leader) change only by the district's 变更登记.
	ChangeRegistration Action = "orgs.change_registration"
)

// 典型案例 (seed §四(三) 典型引领, issue 14): towns and the district write cases, the district publishes them.
const (
	ViewCases   Action = "cases.view"   // the cases inside the jurisdiction, in every state
	WriteCases  Action = "cases.write"  // write a case about a group of the jurisdiction, resubmit a returned one
	DecideCases Action = "cases.decide" // 发布, 退回 with a reason, 撤下 a published case

	ViewAnnouncements    Action = "announcements.view"    // 通知公告 and 政策文件 the account's division reads
	PublishAnnouncements Action = "announcements.publish" // publish for the own division, withdraw one's own
)

// Deadlines, messages and 三会一课 (issue 17).
const (
	SetDeadlines Action = "deadlines.set" // the district's 审查期限 and 报送宽限
	ViewMessages Action = "messages"      // the own 站内消息 inbox, and marking a message read
	// 三会一课 of a group with a 党组织, kept by the tier that keeps the group's record
	RecordPartyMeetings Action = "orgs.party-meetings"
)

// Transfer between communities (issue 13): a town moves its groups between its own communities, the district any
// group anywhere; one group from its record, or a whole community's groups at once (a community split or merged).
const TransferOrgs Action = "orgs.transfer"

// 区划 kept in the browser (issue 17): add, rename, set 社区/村 and 试点, retire a 社区/村.
const ManageDivisions Action = "divisions.manage"

// The actions of the public side's 信息公开 (issue 14).
const (
	ViewDisclosures    Action = "disclosures.view"    // a group's 信息公开 and its history, from its record
	PublishDisclosures Action = "disclosures.publish" // publish and correct 年度工作报告, 收支情况, 重大事项
	SetOffices         Action = "offices.set"         // each community's public office phone and address
)

// 联系人 and 慈善组织认定 on a group's record (issue 15).
const (
	SetOrgContact    Action = "orgs.contact" // set or change a group's 联系人 (§三(二)3), by the tier that keeps it
	RecognizeCharity Action = "orgs.charity" // record a registered group's 慈善组织认定 and its revocation
)

// capabilities is the table: each action and the tiers that may perform it (三级管理模式). The district reviews
// and sees everything read-only; towns file, decide filings and review notices; committees keep their guided
// groups and submit what the tiers above read.
var capabilities = map[Action][]Tier{
	ViewDashboard: {TierDistrict, TierTown, TierCommunity},

	ViewOrgs:        {TierDistrict, TierTown, TierCommunity},
	CreateOrg:       {TierCommunity},
	EditOrg:         {TierTown, TierCommunity},
	ChangeOrgStatus: {TierDistrict, TierTown},
	RevealPersonal:  {TierDistrict, TierTown},
	ImportOrgs:      {TierTown, TierCommunity},
	ManageAccounts:  {TierDistrict, TierTown},
	ViewAudit:       {TierDistrict},
	ViewFilings:     {TierDistrict, TierTown},
	SubmitFilings:   {TierTown},
	DecideFilings:   {TierTown},

	ViewApplications:   {TierDistrict, TierTown, TierCommunity},
	SubmitApplications: {TierTown, TierCommunity},
	ReviewApplications: {TierDistrict},

	ViewReports:   {TierDistrict, TierTown, TierCommunity},
	SubmitReports: {TierCommunity},

	ViewNotices:   {TierDistrict, TierTown, TierCommunity},
	SubmitNotices: {TierCommunity},
	ReviewNotices: {TierTown},

	ViewWorkReports:   {TierDistrict, TierTown, TierCommunity},
	SubmitWorkReports: {TierCommunity},
	MarkAbnormal:      {TierTown},
	ViewEvaluations:   {TierDistrict, TierTown, TierCommunity},
	SubmitEvaluations: {TierCommunity},

	ViewStats:  {TierDistrict, TierTown, TierCommunity},
	SetTargets: {TierDistrict},

	ViewAssessment: {TierDistrict, TierTown, TierCommunity},
	ManageSchemes:  {TierDistrict},
	// A committee reads the training of its own groups' people; the district holds sessions of its own.
	ViewTraining:   {TierDistrict, TierTown, TierCommunity},
	ManageTraining: {TierDistrict, TierTown},

	ViewMatching:       {TierDistrict, TierTown, TierCommunity},
	PostNeeds:          {TierTown, TierCommunity},
	OfferProjects:      {TierTown, TierCommunity},
	HoldMatchingEvents: {TierDistrict, TierTown},
	DesignateBrands:    {TierDistrict},
	EndGuidedOrg:       {TierCommunity},
	// The district keeps the district's platforms and sees all; a town its own; a committee its 社会工作室.
	// Committees and towns book rooms and house their groups; the district and towns run 孵化基地.
	ViewPlatforms:   {TierDistrict, TierTown, TierCommunity},
	ManagePlatforms: {TierDistrict, TierTown, TierCommunity},
	BookRooms:       {TierTown, TierCommunity},
	HouseGroups:     {TierTown, TierCommunity},
	Incubate:        {TierDistrict, TierTown},

	// The district and the towns buy services, keep funds and open rounds; each reviews rounds it may see.
	// Groups apply through their committee or town.
	ViewFunding:   {TierDistrict, TierTown, TierCommunity},
	ManageFunding: {TierDistrict, TierTown},
	ReviewVenture: {TierDistrict, TierTown},
	ApplyVenture:  {TierTown, TierCommunity},

	// 典型案例: a town writes about its groups, the district about any, and only the district publishes.
	ViewCases:   {TierDistrict, TierTown},
	WriteCases:  {TierDistrict, TierTown},
	DecideCases: {TierDistrict},

	// 通知公告 and 政策文件: the district publishes for the district, a town for its own town.
	ViewAnnouncements:    {TierDistrict, TierTown},
	PublishAnnouncements: {TierDistrict, TierTown},
	// Deadlines, messages and 三会一课 (issue 17).
	SetDeadlines:        {TierDistrict},
	ViewMessages:        {TierDistrict, TierTown, TierCommunity},
	RecordPartyMeetings: {TierTown, TierCommunity},
	// Issue 17: the district's 变更登记 of a registered group.
	ChangeRegistration: {TierDistrict},
	// A committee publishes for its guided groups, a town for its filed and registered ones (registry.MayDisclose).
	ViewDisclosures:    {TierDistrict, TierTown, TierCommunity},
	PublishDisclosures: {TierTown, TierCommunity},
	// The town, or the district, records how residents reach each community's groups (its public office).
	SetOffices: {TierDistrict, TierTown},
	// Issue 13: transfer between communities.
	TransferOrgs: {TierDistrict, TierTown},
	// Issue 15: the committee or town that keeps a group sets its 联系人; the district, which registers, decides
	// 慈善组织认定 (慈善法 §10).
	SetOrgContact:    {TierTown, TierCommunity},
	RecognizeCharity: {TierDistrict},
	// Issue 17: the district keeps the 社区/村 list; `portal divisions import` stays for the first load.
	ManageDivisions: {TierDistrict},
}

// Can reports whether an account of tier t may perform a. An unknown tier or action may do nothing.
func Can(t Tier, a Action) bool {
	for _, allowed := range capabilities[a] {
		if allowed == t {
			return true
		}
	}
	return false
}

// Grants lists every (tier, action) pair the table allows, for the tests that hold the routes against it.
func Grants() map[Tier][]Action {
	g := map[Tier][]Action{}
	for a, tiers := range capabilities {
		for _, t := range tiers {
			g[t] = append(g[t], a)
		}
	}
	return g
}
