package registry

// DivisionFigures are the counts a dashboard shows for one division and what lies inside it.
type DivisionFigures struct {
	Towns             int
	UrbanCommunities  int
	RuralCommunities  int
	Accounts          int // accounts of every tier below the scope's own
	DisabledAccounts  int
	LockedAccounts    int // locked out right now: waiting for time or an administrator
	DivisionsNoAcct   int // divisions one level down that nobody can sign in for yet
	FailedLoginsToday int // failed sign-ins of accounts inside the scope since midnight 北京时间
}

// OrgTotals are the kept counts of organizations inside a scope.
type OrgTotals struct {
	Live       int            // 正常 and 活动异常
	ByTier     map[string]int // live organizations by management tier
	Abnormal   int            // 活动异常
	Ended      int            // 已注销 and 已撤销
	ByChild    map[string]int // live organizations per division one level below the scope
	Registered int
}

// WorkWaiting counts what is waiting on someone inside a scope, for the dashboards' 待办 lists. Each count is
// an indexed range over rows still open, which stay few whatever the registry's size.
type WorkWaiting struct {
	ApplicationsSubmitted  int // 待受理: waiting on the district
	ApplicationsAccepted   int // 已受理: being reviewed by the district
	ApplicationsCorrection int // 待补正: waiting on the applicant
	FilingsSubmitted       int // 待审核: waiting on the town
	NoticesWaiting         int // 重大活动 待确认: waiting on the town
	NoticesUrgent          int // of those, starting within three days or already started
	NoticesChanges         int // 需修改: waiting on the committee
}
