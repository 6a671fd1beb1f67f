// Package portal holds the domain of the registry with no I/O: the three tiers of government, divisions,
// jurisdiction (Scope), accounts and the errors every layer shares.
package portal

import (
	"errors"
	"strings"
	"time"
)

// Errors the store translates database failures into; handlers map them to pages.
var (
	ErrNotFound    = errors.New("not found")                                // no such row, or outside the caller's scope
	ErrConflict    = errors.New("changed by someone else")                  // a concurrent change won
	ErrLocked      = errors.New("account locked")                           // too many failed sign-ins
	ErrBadLogin    = errors.New("wrong username or password")               // deliberately vague
	ErrDisabled    = errors.New("account disabled")                         // an administrator disabled it
	ErrNotAllow    = errors.New("not allowed for this account in its tier") // a tier may not do this
	ErrUnavailable = errors.New("database unavailable")                     // answer 503, try again later
)

// Tier is one level of the 三级管理模式: 区民政局, 镇街, 村(居)委会.
type Tier string

const (
	TierDistrict  Tier = "district"  // 区民政局
	TierTown      Tier = "town"      // 镇街
	TierCommunity Tier = "community" // 村(居)委会
)

// Tiers lists the tiers from the top down.
var Tiers = []Tier{TierDistrict, TierTown, TierCommunity}

// Valid reports whether t is one of the three tiers.
func (t Tier) Valid() bool { return t == TierDistrict || t == TierTown || t == TierCommunity }

// Label is the tier's name as clerks say it.
func (t Tier) Label() string {
	switch t {
	case TierDistrict:
		return "区民政局"
	case TierTown:
		return "镇街"
	case TierCommunity:
		return "村(居)委会"
	}
	return string(t)
}

// Below is the tier one level down, or "" for the lowest.
func (t Tier) Below() Tier {
	switch t {
	case TierDistrict:
		return TierTown
	case TierTown:
		return TierCommunity
	}
	return ""
}

// rank orders tiers so that a smaller rank is higher up.
func (t Tier) rank() int {
	switch t {
	case TierDistrict:
		return 0
	case TierTown:
		return 1
	case TierCommunity:
		return 2
	}
	return 99
}

// Level is where a division stands in the 区划 tree; it matches the tier that governs it.
type Level = Tier

// Division is an administrative division: 渝北区, a 街道/镇, or a 社区/村.
type Division struct {
	Code       string // 统计用区划代码: 6 digits for the district, 9 for a town, 12 for a community
	Name       string
	Level      Level
	ParentCode string
	Kind       string // 区, 街道, 镇, 社区, 村
	Rural      bool   // community level only: 村 (rural) rather than 社区 (urban)
	ManagedBy  string // the body that actually administers it, e.g. 两江新区, when not the parent
	Demo       bool   // invented for the demo, not an official division
}

// Scope is a caller's jurisdiction: their tier and the division they belong to. Every store method that reads
// or writes jurisdictional data takes one, so that no query can forget it.
type Scope struct {
	Tier     Tier
	Division string // division code; a prefix of every division code inside it
}

// Covers reports whether a division code lies inside the scope. NBS codes nest by prefix (500112 ⊃ 500112002 ⊃
// 500112002001), so jurisdiction is a prefix test here and a prefix or equality test in SQL.
func (s Scope) Covers(code string) bool {
	return s.Division != "" && strings.HasPrefix(code, s.Division)
}

// CanManage reports whether an account with this scope may create, disable or re-scope an account of tier t in
// division code: 三级管理 delegates administration one way, downward and inside the caller's own jurisdiction.
// The district, the top, also keeps its own 科室's accounts (issue 17: 审批, 管理, 查阅); a town's own accounts
// are the district's to make.
func (s Scope) CanManage(t Tier, code string) bool {
	if !t.Valid() || !s.Covers(code) || LevelOfCode(code) != t {
		return false
	}
	return t.rank() > s.Tier.rank() || s.managesOwnTier() && t == s.Tier && code == s.Division
}

// managesOwnTier says whether the scope administers accounts of its own tier (in its own division).
func (s Scope) managesOwnTier() bool { return s.Tier == TierDistrict }

// LevelOfCode tells the level of a division from the length of its code.
func LevelOfCode(code string) Level {
	switch len(code) {
	case 6:
		return TierDistrict
	case 9:
		return TierTown
	case 12:
		return TierCommunity
	}
	return ""
}

// Account is a person who signs in. Tier and Division together are their jurisdiction.
type Account struct {
	ID             int64
	Username       string
	DisplayName    string
	Tier           Tier
	Role           Role // the account's share of its tier's work; RoleAll for the whole
	DivisionCode   string
	DivisionName   string
	Phone          string // office phone, for colleagues; not personal data of a group's leader
	Disabled       bool
	LockedUntil    *time.Time
	FailedLogins   int
	SessionVersion int // bumped to end every session of the account at once
	CreatedAt      time.Time
	LastLoginAt    *time.Time
	Version        int // optimistic lock for administrative changes
	Unread         int // unread 站内消息, read for each signed-in request (the page header shows it)
}

// Scope is the account's jurisdiction.
func (a Account) Scope() Scope { return Scope{Tier: a.Tier, Division: a.DivisionCode} }

// Locked reports whether the account is locked out at time now.
func (a Account) Locked(now time.Time) bool { return a.LockedUntil != nil && a.LockedUntil.After(now) }

// Actor is who does something, as the audit log records it.
type Actor struct {
	AccountID int64 // 0 for anonymous
	Username  string
	Tier      Tier
	Division  string
	IP        string
}

// ActorOf describes an account acting from ip.
func ActorOf(a Account, ip string) Actor {
	return Actor{AccountID: a.ID, Username: a.Username, Tier: a.Tier, Division: a.DivisionCode, IP: ip}
}

// AuditEntry is one row of the audit log (SECURITY.md 19).
type AuditEntry struct {
	ID         int64
	At         time.Time
	Actor      Actor
	Action     string // e.g. login, login.failed, account.create
	ObjectType string
	ObjectID   string
	Result     string // ok, failed, denied
	Detail     string // never personal data or secrets
}

// Audit results.
const (
	ResultOK     = "ok"
	ResultFailed = "failed"
	ResultDenied = "denied"
)

// ManagedTiers are the tiers of the accounts this scope administers: every tier below its own, and the
// district's own (CanManage).
func (s Scope) ManagedTiers() []Tier {
	var ts []Tier
	for _, t := range Tiers {
		if t.rank() > s.Tier.rank() || t == s.Tier && s.managesOwnTier() {
			ts = append(ts, t)
		}
	}
	return ts
}

// Beijing is 北京时间, in which every date is shown and every "today" is reckoned. China has kept UTC+8 without
// daylight saving since 1991, so a fixed zone is exact for every date the registry holds and needs no tz
// database on the server.
var Beijing = time.FixedZone("CST", 8*3600)
