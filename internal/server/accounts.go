package server

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/auth"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

// accountStore is what account administration needs; every method takes the administrator's scope.
type accountStore interface {
	ManagedAccounts(ctx context.Context, scope portal.Scope, f registry.AccountFilter) ([]portal.Account, error)
	ManagedAccount(ctx context.Context, scope portal.Scope, id int64) (portal.Account, error)
	CreateAccount(ctx context.Context, scope *portal.Scope, actor portal.Actor, n registry.NewAccount) (int64, error)
	ChangeAccount(ctx context.Context, scope portal.Scope, actor portal.Actor, c registry.AccountChange) error
	DivisionsAtLevel(ctx context.Context, scope portal.Scope, level portal.Level) ([]portal.Division, error)
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func handleAccountList(db accountStore, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Accounts()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		q := r.URL.Query()
		f := registry.AccountFilter{Query: strings.TrimSpace(q.Get("q")), Tier: portal.Tier(q.Get("tier"))}
		if !f.Tier.Valid() {
			f.Tier = ""
		}
		accounts, err := db.ManagedAccounts(r.Context(), a.Scope(), f)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := web.AccountsView{Page: web.NewPage("账号管理", a, base, takeFlashCtx(r)), Base: base,
			Query: f.Query, Tier: string(f.Tier)}
		for _, t := range a.Scope().ManagedTiers() {
			v.TierOptions = append(v.TierOptions, web.Option{Value: string(t), Label: t.Label(), Selected: t == f.Tier})
		}
		now := time.Now()
		for _, acc := range accounts {
			v.Rows = append(v.Rows, web.NewAccountRow(acc, base, now))
		}
		rs.render(w, r, http.StatusOK, web.AccountsPage(v))
	}
}

// divisionOptions lists the divisions an administrator may give an account: every level below their own,
// grouped by town so a district clerk can find a community among hundreds.
func divisionOptions(ctx context.Context, db accountStore, scope portal.Scope, selected string) ([]web.Option, error) {
	var opts []web.Option
	townNames := map[string]string{}
	for _, level := range scope.ManagedTiers() {
		ds, err := db.DivisionsAtLevel(ctx, scope, level)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			group := level.Label()
			if level == portal.TierTown {
				townNames[d.Code] = d.Name
			} else if name := townNames[d.ParentCode]; name != "" {
				group = level.Label() + " · " + name
			}
			opts = append(opts, web.Option{Value: d.Code, Label: d.Name + "（" + d.Kind + "）", Group: group,
				Selected: d.Code == selected})
		}
	}
	return opts, nil
}

func handleAccountNew(db accountStore, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Accounts()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		opts, err := divisionOptions(r.Context(), db, a.Scope(), "")
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := web.AccountFormView{Page: web.NewPage("新建账号", a, base, ""), Base: base, DivisionOptions: opts}
		rs.render(w, r, http.StatusOK, web.AccountFormPage(v))
	}
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,39}$`)

func handleAccountCreate(db accountStore, h *auth.Hasher, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Accounts()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		a := accountFrom(r.Context())
		scope := a.Scope()
		v := web.AccountFormView{Page: web.NewPage("新建账号", a, base, ""), Base: base, Problems: map[string]string{}}
		v.Username.Value = strings.TrimSpace(r.PostFormValue("username"))
		v.DisplayName.Value = strings.TrimSpace(r.PostFormValue("display_name"))
		v.Division.Value = strings.TrimSpace(r.PostFormValue("division"))
		v.Phone.Value = strings.TrimSpace(r.PostFormValue("phone"))
		v.Role.Value = strings.TrimSpace(r.PostFormValue("role"))
		password := r.PostFormValue("password")

		if !usernamePattern.MatchString(v.Username.Value) {
			v.Problems["username"] = "用户名须为 3–40 位小写字母、数字、点、横线或下划线，以小写字母或数字开头"
		}
		if n := utf8.RuneCountInString(v.DisplayName.Value); n < 1 || n > 40 {
			v.Problems["display_name"] = "请填写姓名（不超过 40 字）"
		}
		tier := portal.LevelOfCode(v.Division.Value)
		if !scope.CanManage(tier, v.Division.Value) {
			v.Problems["division"] = "请选择您管辖范围内的区划"
		} else if !portal.Role(v.Role.Value).ValidFor(tier) {
			v.Problems["role"] = "所选岗位角色不适用于" + tier.Label() + "账号，请重新选择"
		}
		if v.Phone.Value != "" {
			if err := rules.CheckPhone(v.Phone.Value); err != nil {
				v.Problems["phone"] = err.Error()
			}
		}
		if p := portal.PasswordProblem(password, v.Username.Value); p != "" {
			v.Problems["password"] = p
		}
		var id int64
		if len(v.Problems) == 0 {
			hash, err := h.Hash(r.Context(), password)
			if err != nil {
				rs.serverError(w, r, err)
				return
			}
			id, err = db.CreateAccount(r.Context(), &scope, portal.ActorOf(*a, clientIPFrom(r.Context())),
				registry.NewAccount{Username: v.Username.Value, DisplayName: v.DisplayName.Value, Tier: tier,
					Role: portal.Role(v.Role.Value), DivisionCode: v.Division.Value, Phone: v.Phone.Value, PasswordHash: hash})
			switch {
			case errors.Is(err, registry.ErrUsernameTaken):
				v.Problems["username"] = "该用户名已被使用，请换一个"
			case errors.Is(err, portal.ErrNotFound):
				v.Problems["division"] = "请选择您管辖范围内的区划"
			case err != nil:
				rs.serverError(w, r, err)
				return
			}
		}
		if len(v.Problems) > 0 {
			for k, msg := range v.Problems {
				setProblem(&v, k, msg)
			}
			opts, err := divisionOptions(r.Context(), db, scope, v.Division.Value)
			if err != nil {
				rs.serverError(w, r, err)
				return
			}
			v.DivisionOptions = opts
			rs.render(w, r, http.StatusUnprocessableEntity, web.AccountFormPage(v))
			return
		}
		putFlash(r, "账号 "+v.Username.Value+" 已创建。")
		redirect(w, r, base+"/"+itoa64(id))
	}
}

func setProblem(v *web.AccountFormView, field, msg string) {
	switch field {
	case "username":
		v.Username.Problem = msg
	case "display_name":
		v.DisplayName.Problem = msg
	case "division":
		v.Division.Problem = msg
	case "phone":
		v.Phone.Problem = msg
	case "password":
		v.Password.Problem = msg
	case "role":
		v.Role.Problem = msg
	}
}

func accountDetail(ctx context.Context, db accountStore, a *portal.Account, target portal.Account, base, flash string) (web.AccountDetailView, error) {
	opts, err := divisionOptions(ctx, db, a.Scope(), target.DivisionCode)
	if err != nil {
		return web.AccountDetailView{}, err
	}
	// Only divisions of the account's own level fit it: a town account moves to another town.
	var same []web.Option
	for _, o := range opts {
		if portal.LevelOfCode(o.Value) == target.Tier {
			same = append(same, o)
		}
	}
	now := time.Now()
	return web.AccountDetailView{Page: web.NewPage("账号 "+target.Username, a, base, flash), Base: base,
		Row: web.NewAccountRow(target, base, now), Version: target.Version, Disabled: target.Disabled,
		Locked: target.Locked(now), DivisionOptions: same, Problems: map[string]string{},
		RoleOptions: web.TierRoleOptions(target.Tier, string(target.Role)), Self: target.ID == a.ID}, nil
}

func handleAccountShow(db accountStore, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Accounts()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		target, err := db.ManagedAccount(r.Context(), a.Scope(), id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v, err := accountDetail(r.Context(), db, a, target, base, takeFlashCtx(r))
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.AccountDetailPage(v))
	}
}

type accountChangeKind int

const (
	changeDisable accountChangeKind = iota
	changeEnable
	changeUnlock
	changeDivision
	changePassword
	changeRole
)

var changeDone = map[accountChangeKind]string{
	changeDisable:  "账号已停用，其所有登录会话已结束。",
	changeEnable:   "账号已启用。",
	changeUnlock:   "账号已解除锁定。",
	changeDivision: "账号所属区划已调整，其所有登录会话已结束。",
	changePassword: "密码已重置，该账号的所有登录会话已结束。",
	changeRole:     "岗位角色已调整，该账号下一次操作起按新角色办理。",
}

// handleAccountChange applies one administrative change. The version in the form makes two administrators
// acting at once safe: the second gets 409 and nothing of theirs is written.
func handleAccountChange(db accountStore, h *auth.Hasher, paths web.Paths, kind accountChangeKind, rs *responder) http.HandlerFunc {
	base := paths.Accounts()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		if id == a.ID { // the district's own accounts include the administrator's: another administrator changes it
			rs.forbidden(w, r)
			return
		}
		target, err := db.ManagedAccount(r.Context(), a.Scope(), id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		version := newForm(r).version("version")
		c := registry.AccountChange{ID: id, Version: version}
		problems := map[string]string{}
		switch kind {
		case changeDisable, changeEnable:
			disable := kind == changeDisable
			c.Disable = &disable
		case changeUnlock:
			c.Unlock = true
		case changeDivision:
			code := strings.TrimSpace(r.PostFormValue("division"))
			if !a.Scope().CanManage(target.Tier, code) {
				problems["division"] = "请选择您管辖范围内与该账号同级的区划"
			} else if code == target.DivisionCode {
				problems["division"] = "新的区划与当前区划相同"
			}
			c.DivisionCode = &code
		case changeRole:
			role := strings.TrimSpace(r.PostFormValue("role"))
			if !portal.Role(role).ValidFor(target.Tier) {
				problems["role"] = "请选择适用于" + target.Tier.Label() + "账号的岗位角色"
			} else if portal.Role(role) == target.Role {
				problems["role"] = "新的岗位角色与当前相同"
			}
			c.Role = &role
		case changePassword:
			pw := r.PostFormValue("password")
			if p := portal.PasswordProblem(pw, target.Username); p != "" {
				problems["password"] = p
			} else {
				hash, err := h.Hash(r.Context(), pw)
				if err != nil {
					rs.serverError(w, r, err)
					return
				}
				c.PasswordHash = &hash
			}
		}
		if len(problems) > 0 {
			v, err := accountDetail(r.Context(), db, a, target, base, "")
			if err != nil {
				rs.serverError(w, r, err)
				return
			}
			v.Problems = problems
			rs.render(w, r, http.StatusUnprocessableEntity, web.AccountDetailPage(v))
			return
		}
		if err := db.ChangeAccount(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), c); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, changeDone[kind])
		redirect(w, r, base+"/"+itoa64(id))
	}
}
