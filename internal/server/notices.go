package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

type noticeCalendar interface {
	NoticeCalendar(ctx context.Context, scope portal.Scope, from, to time.Time) ([]registry.Notice, error)
	WaitingNotices(ctx context.Context, scope portal.Scope) ([]registry.Notice, error)
}

type noticeReader interface {
	Notice(ctx context.Context, scope portal.Scope, id int64) (registry.Notice, error)
	NoticeEvents(ctx context.Context, scope portal.Scope, id int64) ([]registry.NoticeEvent, error)
}

type noticeCreator interface {
	NoticeOrgs(ctx context.Context, scope portal.Scope) ([]registry.NoticeOrg, error)
	CreateNotice(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.NoticeInput) (int64, error)
}

type noticeResubmitter interface {
	noticeReader
	NoticeOrgs(ctx context.Context, scope portal.Scope) ([]registry.NoticeOrg, error)
	ResubmitNotice(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.NoticeInput) error
}

type noticeWithdrawer interface {
	noticeReader
	WithdrawNotice(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, reason string) error
}

type noticeDecider interface {
	noticeReader
	AcknowledgeNotice(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int) error
	RequestNoticeChanges(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, reason string) error
}

type noticeRevealer interface {
	noticeReader
	RevealNoticeContact(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, reason string) (string, error)
}

func noticeHref(base string, id int64) string { return base + "/notices/" + itoa64(id) }

// Limits and messages of the notice form.
const (
	noticeCalendarDays = 60
	noticeMaxAhead     = 366 * 24 * time.Hour // a notice reports what is planned, not next year's programme
	noticeMaxLength    = 30 * 24 * time.Hour  // one activity, not a season
	noticeDateLayout   = "2006-01-02"
	noticePhoneHint    = "手机号或带区号的座机号，如 13812345678、023-67891234；页面只显示部分号码"
	noticePhoneKeep    = "显示的是部分号码；不修改则保持原号码，修改时请填写完整号码"
	noticeStartedMsg   = "报告须在活动开始前提交：开始时间须晚于当前时间"
	noticeOrgMsg       = "请从列表中选择本社区（村）在册的社会组织，或选择“村(居)委会自行组织”"
)

// noticeTimeLayouts are the forms a time arrives in: a datetime-local input, or typed by hand.
var noticeTimeLayouts = []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"}

func parseNoticeTime(s string) (time.Time, bool) {
	for _, layout := range noticeTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, beijing); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// handleNoticeCalendar is the town's page: a calendar of the next 60 days, day by day, and every notice still
// waiting for acknowledgement, those starting within three days (or started) marked 临近未确认.
func handleNoticeCalendar(db noticeCalendar, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		now := time.Now()
		y, m, d := now.In(beijing).Date()
		from := time.Date(y, m, d, 0, 0, 0, 0, beijing)
		to := from.AddDate(0, 0, noticeCalendarDays)
		upcoming, err := db.NoticeCalendar(r.Context(), a.Scope(), from, to)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		waiting, err := db.WaitingNotices(r.Context(), a.Scope())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := web.NoticeCalendarView{Page: web.NewPage("重大活动报告", a, base+"/notices", takeFlashCtx(r)),
			ListHref: base + "/notices/list",
			Range:    web.Date(from) + " 至 " + web.Date(to.AddDate(0, 0, -1)),
			Days:     web.NewNoticeDays(upcoming, base, now), Capped: len(upcoming) >= registry.NoticeListLimit}
		for _, n := range waiting {
			row := web.NewNoticeRow(n, base, now)
			if row.Urgent {
				v.Urgent++
			}
			v.Waiting = append(v.Waiting, row)
		}
		rs.render(w, r, http.StatusOK, web.NoticeCalendarPage(v))
	}
}

// noticeFormBase is the parts of the form every notice shares: the community and its groups to choose from.
func noticeFormBase(a *portal.Account, orgs []registry.NoticeOrg, heading, current string) web.NoticeFormView {
	now := time.Now()
	v := web.NoticeFormView{Page: web.NewPage(heading, a, current, ""), Heading: heading,
		CommunityName: a.DivisionName, KindOptions: web.Choices(registry.NoticeKinds, ""), PhoneHint: noticePhoneHint,
		MinStart: web.NoticeInputTime(now), Problems: map[string]string{}}
	for _, o := range orgs {
		v.OrgOptions = append(v.OrgOptions, web.Option{Value: itoa64(o.ID), Label: o.Name})
	}
	return v
}

func handleNoticeNew(db noticeCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		orgs, err := db.NoticeOrgs(r.Context(), a.Scope())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		list := base + "/notices"
		v := noticeFormBase(a, orgs, "报告重大活动", list)
		v.Action, v.CancelHref = list, list
		rs.render(w, r, http.StatusOK, web.NoticeFormPage(v))
	}
}

// readNoticeForm reads the form into v (to show again, as typed) and in (to save), adding what is wrong to p.
// orgs are the groups the community may name as organizer. storedPhoneMask is the stored phone's mask on a
// resubmission (the input starts with it, and sending it back unchanged keeps the stored number), "" on a new
// notice.
func readNoticeForm(r *http.Request, v *web.NoticeFormView, in *registry.NoticeInput, p rules.Problems, orgs []registry.NoticeOrg, storedPhoneMask string, now time.Time) {
	f := r.PostForm
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	text := func(key, label string, max int, required bool, field *web.Field) string {
		s := get(key)
		field.Value = s
		switch n := utf8.RuneCountInString(s); {
		case required && n == 0:
			p.Add(key, "请填写"+label)
		case n > max:
			p.Add(key, label+"不能超过 "+strconv.Itoa(max)+" 字，现为 "+strconv.Itoa(n)+" 字")
		}
		return s
	}

	in.Kind = get("kind")
	v.Kind.Value, v.KindOptions = in.Kind, web.Choices(registry.NoticeKinds, in.Kind)
	if !slices.Contains(registry.NoticeKinds, in.Kind) {
		p.Add("kind", "请选择活动类别（节庆活动、文化演出、体育竞赛或人员集会）")
	}
	in.Title = text("title", "活动名称", 60, true, &v.Title)

	v.StartsAt.Value, v.EndsAt.Value = get("starts_at"), get("ends_at")
	start, startOK := parseNoticeTime(v.StartsAt.Value)
	switch {
	case v.StartsAt.Value == "":
		p.Add("starts_at", "请填写开始时间")
	case !startOK:
		p.Add("starts_at", "开始时间格式应为 2021-07-21 09:30")
	case !start.After(now):
		p.Add("starts_at", noticeStartedMsg)
	case start.Sub(now) > noticeMaxAhead:
		p.Add("starts_at", "开始时间不能晚于一年以后")
	}
	end, endOK := parseNoticeTime(v.EndsAt.Value)
	switch {
	case v.EndsAt.Value == "":
		p.Add("ends_at", "请填写结束时间")
	case !endOK:
		p.Add("ends_at", "结束时间格式应为 2021-07-21 17:00")
	case startOK && !end.After(start):
		p.Add("ends_at", "结束时间须晚于开始时间")
	case startOK && end.Sub(start) > noticeMaxLength:
		p.Add("ends_at", "一次活动不能超过 30 天，请分别报告")
	}
	in.StartsAt, in.EndsAt = start, end

	in.Place = text("place", "活动地点", 100, true, &v.Place)
	v.Attendance.Value = get("attendance")
	if n, err := strconv.Atoi(v.Attendance.Value); err != nil || n < 1 || n > 1000000 {
		p.Add("attendance", "预计参加人数应为 1 至 1000000 之间的整数")
	} else {
		in.Attendance = n
	}

	// The organizing group: one of the community's own live groups, or the committee itself (SECURITY.md 8).
	v.Org.Value = get("org")
	orgName := ""
	in.OrgID = 0
	if v.Org.Value != "" {
		i := slices.IndexFunc(orgs, func(o registry.NoticeOrg) bool { return itoa64(o.ID) == v.Org.Value })
		if i < 0 {
			p.Add("org", noticeOrgMsg)
		} else {
			in.OrgID, orgName = orgs[i].ID, orgs[i].Name
		}
	}
	for i := range v.OrgOptions {
		v.OrgOptions[i].Selected = v.OrgOptions[i].Value == v.Org.Value
	}
	in.Organizer = text("organizer", "主办单位", 80, false, &v.Organizer)
	if in.Organizer == "" {
		if orgName != "" {
			in.Organizer = orgName
		} else if v.Org.Value == "" {
			p.Add("organizer", "村(居)委会自行组织的，请填写主办单位，如“锦华社区居民委员会”")
		}
	}
	in.Safety = text("safety", "安全措施", 2000, true, &v.Safety)
	in.ContactName = text("contact_name", "联系人", 30, true, &v.ContactName)

	v.Phone.Value = get("phone")
	in.ContactPhone = ""
	if storedPhoneMask == "" || v.Phone.Value != storedPhoneMask {
		if err := rules.CheckPhone(v.Phone.Value); err != nil {
			p.Add("phone", "联系电话："+err.Error())
		} else {
			in.ContactPhone = rules.NormalizePhone(v.Phone.Value)
		}
	}
}

// noticeStoreProblem turns the store's refusals of a form into field messages; any other error is returned.
func noticeStoreProblem(err error, p rules.Problems) error {
	switch {
	case errors.Is(err, registry.ErrNoticeStarted):
		p.Add("starts_at", noticeStartedMsg)
	case errors.Is(err, registry.ErrNoticeOrg):
		p.Add("org", noticeOrgMsg)
	default:
		return err
	}
	return nil
}

func handleNoticeCreate(db noticeCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "提交的内容过多", "提交的内容超过了允许的大小，请精简后重试。")
			return
		}
		a := accountFrom(r.Context())
		scope := a.Scope()
		orgs, err := db.NoticeOrgs(r.Context(), scope)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		list := base + "/notices"
		v := noticeFormBase(a, orgs, "报告重大活动", list)
		v.Action, v.CancelHref = list, list
		var in registry.NoticeInput
		problems := rules.Problems{}
		readNoticeForm(r, &v, &in, problems, orgs, "", time.Now())
		var id int64
		if problems.OK() {
			id, err = db.CreateNotice(r.Context(), scope, portal.ActorOf(*a, clientIPFrom(r.Context())), in)
			if err != nil {
				if err := noticeStoreProblem(err, problems); err != nil {
					rs.serverError(w, r, err)
					return
				}
			}
		}
		if !problems.OK() {
			v.SetProblems(problems)
			rs.render(w, r, http.StatusUnprocessableEntity, web.NoticeFormPage(v))
			return
		}
		putFlash(r, "重大活动报告"+web.NoticeNumber(id)+"已提交，等待镇街确认。")
		redirect(w, r, noticeHref(base, id))
	}
}

// noticeDetail builds the page of the notice the request names, with the actions the caller may take in its
// current state.
func noticeDetail(ctx context.Context, db noticeReader, a *portal.Account, base string, r *http.Request, flash string) (web.NoticeDetailView, registry.Notice, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return web.NoticeDetailView{}, registry.Notice{}, portal.ErrNotFound
	}
	n, err := db.Notice(ctx, a.Scope(), id)
	if err != nil {
		return web.NoticeDetailView{}, n, err
	}
	events, err := db.NoticeEvents(ctx, a.Scope(), id)
	if err != nil {
		return web.NoticeDetailView{}, n, err
	}
	now := time.Now()
	v := web.NewNoticeDetail(web.NewPage("重大活动报告"+web.NoticeNumber(id), a, base+"/notices", flash), base, n,
		events, now)
	switch a.Tier {
	case portal.TierTown:
		v.CanDecide = n.Status == registry.NoticeSubmitted
		v.CanReveal = n.ContactPhone != ""
	case portal.TierCommunity:
		v.CanEdit = n.Status == registry.NoticeChangesRequested
		v.CanWithdraw = n.Status.CanBecome(registry.NoticeWithdrawn) && !n.Started(now)
	}
	return v, n, nil
}

func handleNoticeShow(db noticeReader, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		v, _, err := noticeDetail(r.Context(), db, accountFrom(r.Context()), base, r, takeFlashCtx(r))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.NoticeDetailPage(v))
	}
}

var noticeDecisionDone = map[registry.NoticeStatus]string{
	registry.NoticeAcknowledged:     "已确认。",
	registry.NoticeChangesRequested: "已要求修改，等待村(居)委会修改后重新提交。",
}

// handleNoticeDecide is one of the town's steps: 确认 or 要求修改. The version in the form is the one the officer
// saw: when another officer acted first, this one gets 409 and nothing of theirs is written.
func handleNoticeDecide(db noticeDecider, paths web.Paths, to registry.NoticeStatus, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, n, err := noticeDetail(r.Context(), db, a, base, r, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		version := newForm(r).version("version")
		if version != n.Version || !n.Status.CanBecome(to) {
			rs.conflict(w, r)
			return
		}
		actor := portal.ActorOf(*a, clientIPFrom(r.Context()))
		switch to {
		case registry.NoticeAcknowledged:
			err = db.AcknowledgeNotice(r.Context(), a.Scope(), actor, n.ID, version)
		case registry.NoticeChangesRequested:
			reason := strings.TrimSpace(r.PostFormValue("reason"))
			v.Changes.Value = reason
			switch c := utf8.RuneCountInString(reason); {
			case c == 0:
				v.Changes.Problem = "请写明需要修改的内容"
			case c > 1000:
				v.Changes.Problem = "需要修改的内容不能超过 1000 字，现为 " + strconv.Itoa(c) + " 字"
			}
			if v.Changes.Bad() {
				v.Problems = map[string]string{"reason": v.Changes.Problem}
				rs.render(w, r, http.StatusUnprocessableEntity, web.NoticeDetailPage(v))
				return
			}
			err = db.RequestNoticeChanges(r.Context(), a.Scope(), actor, n.ID, version, reason)
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "重大活动报告"+web.NoticeNumber(n.ID)+noticeDecisionDone[to])
		redirect(w, r, noticeHref(base, n.ID))
	}
}

// handleNoticeReveal shows the contact's full phone once, after the officer gives a reason; the store audits it.
func handleNoticeReveal(db noticeRevealer, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, n, err := noticeDetail(r.Context(), db, a, base, r, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if !v.CanReveal {
			rs.notFound(w, r)
			return
		}
		reason := strings.TrimSpace(r.PostFormValue("reason"))
		v.RevealReason.Value = reason
		switch c := utf8.RuneCountInString(reason); {
		case c == 0:
			v.RevealReason.Problem = "请写明查看原因"
		case c > 200:
			v.RevealReason.Problem = "原因不能超过 200 字"
		}
		if v.RevealReason.Bad() {
			v.Problems = map[string]string{"reveal_reason": v.RevealReason.Problem}
			rs.render(w, r, http.StatusUnprocessableEntity, web.NoticeDetailPage(v))
			return
		}
		phone, err := db.RevealNoticeContact(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())),
			n.ID, reason)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v.RevealedPhone, v.RevealReason.Value = phone, ""
		rs.render(w, r, http.StatusOK, web.NoticeDetailPage(v))
	}
}

// correctionNotice loads a notice the committee may edit: outside scope is 404; one the town has not asked to
// change is ErrConflict (someone acted, or the page is stale).
func correctionNotice(ctx context.Context, db noticeResubmitter, a *portal.Account, base string, r *http.Request) (web.NoticeFormView, registry.Notice, []registry.NoticeOrg, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return web.NoticeFormView{}, registry.Notice{}, nil, portal.ErrNotFound
	}
	n, err := db.Notice(ctx, a.Scope(), id)
	if err != nil {
		return web.NoticeFormView{}, n, nil, err
	}
	if n.Status != registry.NoticeChangesRequested {
		return web.NoticeFormView{}, n, nil, portal.ErrConflict
	}
	orgs, err := db.NoticeOrgs(ctx, a.Scope())
	if err != nil {
		return web.NoticeFormView{}, n, nil, err
	}
	href := noticeHref(base, id)
	heading := "修改重大活动报告" + web.NoticeNumber(id)
	v := noticeFormBase(a, orgs, heading, base+"/notices")
	v.Action, v.CancelHref, v.Editing, v.Version, v.Request = href+"/edit", href, true, n.Version, n.Reason
	v.Kind.Value, v.KindOptions = n.Kind, web.Choices(registry.NoticeKinds, n.Kind)
	v.Title.Value, v.Place.Value, v.Attendance.Value = n.Title, n.Place, strconv.Itoa(n.Attendance)
	v.StartsAt.Value, v.EndsAt.Value = web.NoticeInputTime(n.StartsAt), web.NoticeInputTime(n.EndsAt)
	v.Organizer.Value, v.Safety.Value, v.ContactName.Value = n.Organizer, n.Safety, n.ContactName
	v.Phone.Value, v.PhoneHint = n.ContactPhone, noticePhoneKeep
	if n.OrgID != 0 {
		v.Org.Value = itoa64(n.OrgID)
		for i := range v.OrgOptions {
			v.OrgOptions[i].Selected = v.OrgOptions[i].Value == v.Org.Value
		}
	}
	return v, n, orgs, nil
}

func noticeNotEditable(w http.ResponseWriter, r *http.Request, rs *responder) {
	rs.errorPage(w, r, http.StatusConflict, "该报告不需要修改",
		"只有镇街要求修改的报告可以修改后重新提交。请返回报告页面查看当前状态。")
}

func handleNoticeEdit(db noticeResubmitter, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		v, _, _, err := correctionNotice(r.Context(), db, accountFrom(r.Context()), base, r)
		if errors.Is(err, portal.ErrConflict) {
			noticeNotEditable(w, r, rs)
			return
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.NoticeFormPage(v))
	}
}

// handleNoticeResubmit saves the committee's changes and puts the notice before the town again (待确认).
func handleNoticeResubmit(db noticeResubmitter, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "提交的内容过多", "提交的内容超过了允许的大小，请精简后重试。")
			return
		}
		a := accountFrom(r.Context())
		v, n, orgs, err := correctionNotice(r.Context(), db, a, base, r)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		version := newForm(r).version("version")
		if version != n.Version {
			rs.conflict(w, r)
			return
		}
		var in registry.NoticeInput
		problems := rules.Problems{}
		readNoticeForm(r, &v, &in, problems, orgs, n.ContactPhone, time.Now())
		if problems.OK() {
			err = db.ResubmitNotice(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), n.ID,
				version, in)
			if err != nil {
				if err := noticeStoreProblem(err, problems); err != nil {
					rs.fail(w, r, err)
					return
				}
			}
		}
		if !problems.OK() {
			v.SetProblems(problems)
			rs.render(w, r, http.StatusUnprocessableEntity, web.NoticeFormPage(v))
			return
		}
		putFlash(r, "重大活动报告"+web.NoticeNumber(n.ID)+"已修改并重新提交，等待镇街确认。")
		redirect(w, r, noticeHref(base, n.ID))
	}
}

// handleNoticeWithdraw is the committee's 撤回, until the activity starts.
func handleNoticeWithdraw(db noticeWithdrawer, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, n, err := noticeDetail(r.Context(), db, a, base, r, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		version := newForm(r).version("version")
		if version != n.Version || !n.Status.CanBecome(registry.NoticeWithdrawn) {
			rs.conflict(w, r)
			return
		}
		reason := strings.TrimSpace(r.PostFormValue("reason"))
		if c := utf8.RuneCountInString(reason); c > 200 {
			v.WithdrawReason = web.Field{Value: reason, Problem: "撤回说明不能超过 200 字，现为 " + strconv.Itoa(c) + " 字"}
			v.Problems = map[string]string{"withdraw_reason": v.WithdrawReason.Problem}
			rs.render(w, r, http.StatusUnprocessableEntity, web.NoticeDetailPage(v))
			return
		}
		err = db.WithdrawNotice(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), n.ID, version, reason)
		if errors.Is(err, registry.ErrNoticeStarted) {
			rs.errorPage(w, r, http.StatusConflict, "活动已开始，不能撤回", "活动开始后不能撤回报告。请返回报告页面查看当前状态。")
			return
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "重大活动报告"+web.NoticeNumber(n.ID)+"已撤回。")
		redirect(w, r, noticeHref(base, n.ID))
	}
}
