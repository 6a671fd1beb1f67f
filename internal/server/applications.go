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

type applicationReader interface {
	Application(ctx context.Context, scope portal.Scope, id int64) (registry.Application, error)
	ApplicationEvents(ctx context.Context, scope portal.Scope, id int64) ([]registry.ApplicationEvent, error)
}

// applicationFormStore is what the application form needs to offer its choices.
type applicationFormStore interface {
	CommunityPlace(ctx context.Context, scope portal.Scope, code string) (registry.Place, error)
	DivisionsAtLevel(ctx context.Context, scope portal.Scope, level portal.Level) ([]portal.Division, error)
	ApplicableOrgs(ctx context.Context, scope portal.Scope, limit int) ([]registry.ApplicableOrg, error)
	ApplicableOrgByID(ctx context.Context, scope portal.Scope, id int64) (registry.ApplicableOrg, error)
}

type applicationCreator interface {
	applicationFormStore
	CreateApplication(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.ApplicationInput) (int64, error)
}

type applicationResubmitter interface {
	applicationReader
	applicationFormStore
	ResubmitApplication(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.ApplicationInput) error
}

type applicationDecider interface {
	applicationReader
	AcceptApplication(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int) error
	ReturnApplication(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, correction string) error
	ApproveApplication(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, uscc string) (int64, error)
	RejectApplication(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, reason string) error
}

func applicationHref(base string, id int64) string { return base + "/applications/" + itoa64(id) }

// applicationOrgLimit caps the existing-group select; a town with more candidates types a new application.
const applicationOrgLimit = 1000

// Messages of the application pages.
const (
	appIDHintNew  = "18 位居民身份证号。出于个人信息保护，提交出错时身份证号不会回显在页面上，需要重新填写。"
	appIDHintEdit = "留空则保持原号码不变（当前：%s）。出于个人信息保护，提交出错时身份证号不会回显，需要重新填写。"
	appPhoneHint  = "手机号或带区号的座机号，如 13812345678、023-67891234；页面只显示部分号码"
	appPhoneKeep  = "显示的是部分号码；不修改则保持原号码，修改时请填写完整号码"
)

// applicationFormView is the empty form for the account: a committee's community is its own; a town chooses
// among its communities. org, when not nil, is the existing group the application is for, whose data it starts
// from.
func applicationFormView(ctx context.Context, db applicationFormStore, a *portal.Account, base string, org *registry.ApplicableOrg) (web.ApplicationFormView, error) {
	list := base + "/applications"
	v := web.ApplicationFormView{Page: web.NewPage("提交登记申请", a, list, ""), Heading: "提交登记申请",
		Action: list, CancelHref: list, PickHref: list + "/new", LegalFormOptions: web.ApplicationLegalFormChoices(""),
		FormChoices: web.ApplicationFormChoices(), Fields: web.ApplicationTicks(registry.Fields, nil),
		NatureOptions: web.Choices(registry.Natures, ""), PhoneHint: appPhoneHint, IDHint: appIDHintNew,
		Problems: map[string]string{}}
	scope := a.Scope()
	orgs, err := db.ApplicableOrgs(ctx, scope, applicationOrgLimit)
	if err != nil {
		return v, err
	}
	for _, o := range orgs {
		v.OrgOptions = append(v.OrgOptions, web.Option{Value: itoa64(o.ID), Label: o.Name + "（" + o.Tier.Label() + "）",
			Selected: org != nil && o.ID == org.ID})
	}
	community := ""
	switch {
	case org != nil:
		community = org.CommunityCode
	case a.Tier == portal.TierCommunity:
		community = a.DivisionCode
	default:
		ds, err := db.DivisionsAtLevel(ctx, scope, portal.TierCommunity)
		if err != nil {
			return v, err
		}
		for _, d := range ds {
			v.CommunityOptions = append(v.CommunityOptions, web.Option{Value: d.Code, Label: d.Name})
		}
		if len(ds) > 0 {
			// Every community of the town has the same 行政区划 part; show it before one is chosen.
			p, err := db.CommunityPlace(ctx, scope, ds[0].Code)
			if err != nil {
				return v, err
			}
			v.Prefix = p.DistrictName + p.TownName
		}
	}
	if community != "" {
		if err := setApplicationCommunity(ctx, db, scope, &v, community, true); err != nil {
			return v, err
		}
	}
	if org != nil {
		v.OrgID, v.OrgName = org.ID, org.Name
		v.Zihao.Value, v.NameField.Value = org.NameParts.Zihao, org.NameParts.Field
		v.Fields = web.ApplicationTicks(registry.Fields, org.Fields)
		v.Nature.Value, v.NatureOptions = org.Nature, web.Choices(registry.Natures, org.Nature)
		v.LeaderName.Value, v.Venue.Value = org.LeaderName, org.Venue
		v.Members.Value, v.Supervisor.Value = strconv.Itoa(org.Members), org.GuideUnit
	}
	return v, nil
}

// setApplicationCommunity puts the community's place into the form: the name's 行政区划 and 社区（村） parts, and
// the community itself, fixed or selected.
func setApplicationCommunity(ctx context.Context, db applicationFormStore, scope portal.Scope, v *web.ApplicationFormView, code string, fixed bool) error {
	p, err := db.CommunityPlace(ctx, scope, code)
	if err != nil {
		return err
	}
	v.Prefix, v.CommunityPart, v.Community.Value = p.DistrictName+p.TownName, p.CommunityName, code
	if fixed {
		v.CommunityFixed, v.CommunityOptions = p.TownName+" "+p.CommunityName, nil
	}
	for i := range v.CommunityOptions {
		v.CommunityOptions[i].Selected = v.CommunityOptions[i].Value == code
	}
	return nil
}

// applicationOrg is the existing group named by the request's key (org on the GET form, org_id on the POST), or nil.
func applicationOrg(ctx context.Context, db applicationFormStore, scope portal.Scope, value string) (*registry.ApplicableOrg, error) {
	if value == "" {
		return nil, nil
	}
	id, ok := parseID(value)
	if !ok {
		return nil, portal.ErrNotFound
	}
	o, err := db.ApplicableOrgByID(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

func handleApplicationNew(db applicationFormStore, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		org, err := applicationOrg(r.Context(), db, a.Scope(), strings.TrimSpace(r.URL.Query().Get("org")))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v, err := applicationFormView(r.Context(), db, a, base, org)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.ApplicationFormPage(v))
	}
}

func handleApplicationCreate(db applicationCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "提交的内容过多", "提交的内容超过了允许的大小，请精简后重试。")
			return
		}
		a := accountFrom(r.Context())
		scope := a.Scope()
		problems := rules.Problems{}
		org, err := applicationOrg(r.Context(), db, scope, strings.TrimSpace(r.PostForm.Get("org_id")))
		switch {
		case errors.Is(err, portal.ErrNotFound):
			problems.Add("org", "所选组织不在您的辖区内，或已不能申请登记（须为在册的村居指导或镇街备案组织，且没有办理中的申请）")
		case err != nil:
			rs.serverError(w, r, err)
			return
		}
		v, err := applicationFormView(r.Context(), db, a, base, org)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		in := registry.ApplicationInput{CommunityCode: v.Community.Value}
		if org != nil {
			in.OrgID = org.ID
		}
		if in.CommunityCode == "" {
			// a town chooses; only one of its own communities will do (SECURITY.md 8)
			code := strings.TrimSpace(r.PostForm.Get("community"))
			if slices.ContainsFunc(v.CommunityOptions, func(o web.Option) bool { return o.Value == code }) {
				if err := setApplicationCommunity(r.Context(), db, scope, &v, code, false); err != nil {
					rs.serverError(w, r, err)
					return
				}
				in.CommunityCode = code
			} else {
				problems.Add("community", "请选择本镇街的社区（村）")
			}
		}
		readApplicationForm(r, &v, &in, problems, "", time.Now().In(beijing))
		var id int64
		if problems.OK() {
			id, err = db.CreateApplication(r.Context(), scope, portal.ActorOf(*a, clientIPFrom(r.Context())), in)
			switch {
			case errors.Is(err, registry.ErrOpenApplication):
				problems.Add("org", "该组织已有办理中的登记申请，不能重复提交")
			case errors.Is(err, registry.ErrNotApplicable), errors.Is(err, portal.ErrNotFound):
				problems.Add("org", "所选组织不在您的辖区内，或已不能申请登记")
			case err != nil:
				rs.serverError(w, r, err)
				return
			}
		}
		if !problems.OK() {
			v.SetProblems(problems)
			rs.render(w, r, http.StatusUnprocessableEntity, web.ApplicationFormPage(v))
			return
		}
		putFlash(r, "登记申请"+web.ApplicationNumber(id)+"已提交，等待区民政局受理。")
		redirect(w, r, applicationHref(base, id))
	}
}

// readApplicationForm reads the form into v (to show again: every typed value but the 身份证号) and in (to save),
// adding what is wrong to p. storedPhoneMask is the stored phone's mask on a resubmission (the phone input
// starts with it, and sending it back unchanged keeps the stored number), "" on a new application; a
// resubmission's empty 身份证号 keeps the stored one.
func readApplicationForm(r *http.Request, v *web.ApplicationFormView, in *registry.ApplicationInput, p rules.Problems, storedPhoneMask string, now time.Time) {
	f := r.PostForm
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	editing := storedPhoneMask != ""
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

	in.LegalForm = rules.LegalForm(get("legal_form"))
	v.LegalForm.Value, v.LegalFormOptions = string(in.LegalForm), web.ApplicationLegalFormChoices(string(in.LegalForm))
	legalOK := slices.Contains(web.ApplicationLegalForms, in.LegalForm)
	if !legalOK {
		p.Add("legal_form", "请选择组织类别（社会团体、民办非企业单位或基金会）")
	}

	// 名称: the 行政区划 and 社区（村） parts follow from the community; the applicant types the other three.
	in.NameParts = rules.NameParts{Prefix: v.Prefix, Community: v.CommunityPart, Zihao: get("zihao"),
		Field: get("field"), Form: get("form")}
	v.Zihao.Value, v.NameField.Value, v.Form.Value = in.NameParts.Zihao, in.NameParts.Field, in.NameParts.Form
	v.ComposedName = rules.ComposeName(in.NameParts)
	for k, msg := range rules.CheckName(in.NameParts, in.LegalForm, v.CommunityPart) {
		// a missing community or legal form has its own message at its own input
		if (k == rules.KeyNameCommunity && v.CommunityPart == "") || (k == rules.KeyForm && !legalOK && in.NameParts.Form != "") {
			continue
		}
		p.Add(k, msg)
	}
	checkNamePartLengths(in.NameParts, p)
	if n := utf8.RuneCountInString(v.ComposedName); n > 80 {
		p.Add(rules.KeyName, "名称不能超过 80 字，现为 "+strconv.Itoa(n)+" 字")
	}

	in.Fields = f["fields"]
	v.Fields = web.ApplicationTicks(registry.Fields, in.Fields)
	switch {
	case len(in.Fields) == 0:
		p.Add("fields", "请至少选择一个服务领域")
	case !allIn(in.Fields, registry.Fields):
		p.Add("fields", "请从列表中选择服务领域")
	}
	in.Nature = get("nature")
	v.Nature.Value, v.NatureOptions = in.Nature, web.Choices(registry.Natures, in.Nature)
	if !slices.Contains(registry.Natures, in.Nature) {
		p.Add("nature", "请选择性质（服务性、公益性或互助性）")
	}

	in.LeaderName = text("leader_name", "负责人姓名", 30, true, &v.LeaderName)
	in.PublishContact = get("publish_contact") != ""
	v.PublishContact = in.PublishContact
	v.Phone.Value = get("phone")
	in.LeaderPhone = ""
	if !editing || (v.Phone.Value != "" && v.Phone.Value != storedPhoneMask) {
		if err := rules.CheckPhone(v.Phone.Value); err != nil {
			p.Add(rules.KeyPhone, "负责人电话："+err.Error())
		} else {
			in.LeaderPhone = rules.NormalizePhone(v.Phone.Value)
		}
	}
	in.LeaderID = ""
	switch id := get("id_number"); {
	case id == "" && !editing:
		p.Add(rules.KeyIDNumber, "请填写负责人身份证号")
	case id != "":
		if err := rules.CheckIDNumber(id, now); err != nil {
			p.Add(rules.KeyIDNumber, "身份证号"+err.Error()+"（为保护个人信息，请重新填写）")
		} else {
			in.LeaderID = rules.NormalizeIDNumber(id)
		}
	}

	in.Venue = text("venue", "活动场所", 100, true, &v.Venue)
	v.Members.Value = get("members")
	if n, err := strconv.Atoi(v.Members.Value); err != nil || n < 1 || n > 1000000 {
		p.Add("members", "成员人数应为 1 至 1000000 之间的整数")
	} else {
		in.Members = n
	}
	in.Supervisor = text("supervisor", "业务主管（指导）单位", 60, true, &v.Supervisor)
	in.Statement = text("statement", "申请说明", 2000, false, &v.Statement)
}

// applicationDetail builds the page of the application the request names, with the actions the caller may take
// in its current state.
func applicationDetail(ctx context.Context, db applicationReader, a *portal.Account, base string, r *http.Request, flash string) (web.ApplicationDetailView, registry.Application, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return web.ApplicationDetailView{}, registry.Application{}, portal.ErrNotFound
	}
	app, err := db.Application(ctx, a.Scope(), id)
	if err != nil {
		return web.ApplicationDetailView{}, app, err
	}
	events, err := db.ApplicationEvents(ctx, a.Scope(), id)
	if err != nil {
		return web.ApplicationDetailView{}, app, err
	}
	v := web.NewApplicationDetail(web.NewPage("登记申请"+web.ApplicationNumber(id), a, base+"/applications", flash),
		base, app, events)
	district := portal.Allowed(*a, portal.ReviewApplications)
	v.CanAccept = district && app.Status == registry.AppSubmitted
	v.CanDecide = district && app.Status == registry.AppAccepted
	v.CanResubmit = portal.Allowed(*a, portal.SubmitApplications) && app.Status == registry.AppCorrection
	return v, app, nil
}

func handleApplicationShow(db applicationReader, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		v, _, err := applicationDetail(r.Context(), db, accountFrom(r.Context()), base, r, takeFlashCtx(r))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.ApplicationDetailPage(v))
	}
}

var applicationDecisionDone = map[registry.ApplicationStatus]string{
	registry.AppAccepted:   "已受理。",
	registry.AppCorrection: "已退回补正，等待申请单位修改后重新提交。",
	registry.AppApproved:   "已准予登记，该组织已成为登记的社会组织。",
	registry.AppRejected:   "已作出不予登记决定。",
}

// handleApplicationDecide is one of the district's steps: 受理, 退回补正, 准予登记 or 不予登记. The version in the
// form is the one the reviewer saw: when another reviewer acted first, this one gets 409 and nothing of theirs is
// written.
func handleApplicationDecide(db applicationDecider, paths web.Paths, to registry.ApplicationStatus, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, app, err := applicationDetail(r.Context(), db, a, base, r, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		version := newForm(r).version("version")
		if version != app.Version || !app.Status.CanBecome(to) {
			rs.conflict(w, r)
			return
		}
		problems := rules.Problems{}
		uscc := strings.TrimSpace(r.PostFormValue("uscc"))
		correction := strings.TrimSpace(r.PostFormValue("correction"))
		reason := strings.TrimSpace(r.PostFormValue("reason"))
		switch to {
		case registry.AppApproved:
			v.USCC.Value = uscc
			if err := rules.CheckUSCC(uscc, app.LegalForm, app.DistrictCode); err != nil {
				problems.Add("uscc", "统一社会信用代码："+err.Error())
			}
		case registry.AppCorrection:
			v.CorrectionNote.Value = correction
			switch n := utf8.RuneCountInString(correction); {
			case n == 0:
				problems.Add("correction", "请写明需要补正的内容")
			case n > 1000:
				problems.Add("correction", "补正内容不能超过 1000 字")
			}
		case registry.AppRejected:
			v.Reason.Value = reason
			switch n := utf8.RuneCountInString(reason); {
			case n == 0:
				problems.Add("reason", "请写明不予登记的理由")
			case n > 1000:
				problems.Add("reason", "不予登记理由不能超过 1000 字")
			}
		}
		actor := portal.ActorOf(*a, clientIPFrom(r.Context()))
		if problems.OK() {
			switch to {
			case registry.AppAccepted:
				err = db.AcceptApplication(r.Context(), a.Scope(), actor, app.ID, version)
			case registry.AppCorrection:
				err = db.ReturnApplication(r.Context(), a.Scope(), actor, app.ID, version, correction)
			case registry.AppApproved:
				_, err = db.ApproveApplication(r.Context(), a.Scope(), actor, app.ID, version, uscc)
			case registry.AppRejected:
				err = db.RejectApplication(r.Context(), a.Scope(), actor, app.ID, version, reason)
			}
			switch {
			case errors.Is(err, registry.ErrUSCCTaken):
				problems.Add("uscc", "该统一社会信用代码已被其他组织使用，请核对")
			case errors.Is(err, registry.ErrNameTaken):
				problems.Add("uscc", "拟登记名称已被渝北区在册组织使用，不能准予登记；请退回补正，要求申请单位修改名称")
			case errors.Is(err, registry.ErrNotApplicable):
				problems.Add("uscc", "申请登记的组织已注销、撤销或已登记，不能准予登记；请作出不予登记决定")
			case err != nil:
				rs.fail(w, r, err)
				return
			}
		}
		if !problems.OK() {
			v.Problems = problems
			v.USCC.Problem, v.CorrectionNote.Problem, v.Reason.Problem = problems["uscc"], problems["correction"],
				problems["reason"]
			rs.render(w, r, http.StatusUnprocessableEntity, web.ApplicationDetailPage(v))
			return
		}
		putFlash(r, "登记申请"+web.ApplicationNumber(app.ID)+applicationDecisionDone[to])
		redirect(w, r, applicationHref(base, app.ID))
	}
}

// applicationCorrectionForm loads an application the caller may correct: outside scope is 404; one that is not waiting
// for correction gets the plain conflict page (someone acted, or the page is stale).
func applicationCorrectionForm(ctx context.Context, db applicationResubmitter, a *portal.Account, base string, r *http.Request) (web.ApplicationFormView, registry.Application, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return web.ApplicationFormView{}, registry.Application{}, portal.ErrNotFound
	}
	app, err := db.Application(ctx, a.Scope(), id)
	if err != nil {
		return web.ApplicationFormView{}, app, err
	}
	if app.Status != registry.AppCorrection {
		return web.ApplicationFormView{}, app, portal.ErrConflict
	}
	href := applicationHref(base, id)
	v := web.ApplicationFormView{Page: web.NewPage("补正登记申请"+web.ApplicationNumber(id), a, base+"/applications", ""),
		Heading: "补正登记申请" + web.ApplicationNumber(id), Action: href + "/edit", CancelHref: href,
		Editing: true, Version: app.Version, Correction: app.Correction, OrgName: app.OrgName,
		Prefix: app.NameParts.Prefix, CommunityPart: app.NameParts.Community,
		CommunityFixed:   app.TownName + " " + app.CommunityName,
		Community:        web.Field{Value: app.CommunityCode},
		LegalForm:        web.Field{Value: string(app.LegalForm)},
		LegalFormOptions: web.ApplicationLegalFormChoices(string(app.LegalForm)),
		Zihao:            web.Field{Value: app.NameParts.Zihao}, NameField: web.Field{Value: app.NameParts.Field},
		Form: web.Field{Value: app.NameParts.Form}, FormChoices: web.ApplicationFormChoices(), ComposedName: app.Name,
		Fields: web.ApplicationTicks(registry.Fields, app.Fields), Nature: web.Field{Value: app.Nature},
		NatureOptions: web.Choices(registry.Natures, app.Nature), LeaderName: web.Field{Value: app.LeaderName},
		PublishContact: app.PublishContact,
		Phone:          web.Field{Value: app.LeaderPhone}, PhoneHint: appPhoneKeep,
		IDHint: strings.Replace(appIDHintEdit, "%s", dashIfEmpty(app.LeaderID), 1),
		Venue:  web.Field{Value: app.Venue}, Members: web.Field{Value: strconv.Itoa(app.Members)},
		Supervisor: web.Field{Value: app.Supervisor}, Statement: web.Field{Value: app.Statement},
		Problems: map[string]string{}}
	return v, app, nil
}

func handleApplicationEdit(db applicationResubmitter, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		v, _, err := applicationCorrectionForm(r.Context(), db, accountFrom(r.Context()), base, r)
		if errors.Is(err, portal.ErrConflict) {
			rs.errorPage(w, r, http.StatusConflict, "该申请不需要补正", "只有区民政局退回补正的申请可以修改后重新提交。请返回申请页面查看当前状态。")
			return
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.ApplicationFormPage(v))
	}
}

// handleApplicationResubmit saves the corrections and puts the application back before the reviewer (已受理).
func handleApplicationResubmit(db applicationResubmitter, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "提交的内容过多", "提交的内容超过了允许的大小，请精简后重试。")
			return
		}
		a := accountFrom(r.Context())
		v, app, err := applicationCorrectionForm(r.Context(), db, a, base, r)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		version := newForm(r).version("version")
		if version != app.Version {
			rs.conflict(w, r)
			return
		}
		in := registry.ApplicationInput{OrgID: app.OrgID, CommunityCode: app.CommunityCode}
		problems := rules.Problems{}
		readApplicationForm(r, &v, &in, problems, app.LeaderPhone, time.Now().In(beijing))
		if problems.OK() {
			err = db.ResubmitApplication(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())),
				app.ID, version, in)
			if err != nil {
				rs.fail(w, r, err)
				return
			}
		}
		if !problems.OK() {
			v.SetProblems(problems)
			rs.render(w, r, http.StatusUnprocessableEntity, web.ApplicationFormPage(v))
			return
		}
		putFlash(r, "登记申请"+web.ApplicationNumber(app.ID)+"已补正并重新提交，等待区民政局审查。")
		redirect(w, r, applicationHref(base, app.ID))
	}
}
