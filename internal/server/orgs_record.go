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

// orgReader reads one organization and its timeline inside the caller's scope.
type orgReader interface {
	Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error)
	OrgEvents(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.Event, error)
}

type orgCreator interface {
	CommunityPlace(ctx context.Context, scope portal.Scope, code string) (registry.Place, error)
	CreateOrganization(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.OrgInput) (int64, error)
}

type orgUpdater interface {
	Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error)
	UpdateOrganization(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.OrgInput) ([]string, error)
}

type orgStatusChanger interface {
	orgReader
	ChangeOrgStatus(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, to registry.Status, on time.Time, reason string) error
}

type orgRevealer interface {
	orgReader
	RevealLeader(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, reason string) (string, string, error)
}

// orgFail maps a store error to its page. An action the caller may not take on a record it can see (a
// community editing a filed group) answers 404 like an action that does not exist: the page never offers it,
// and 403 stays the answer for another tier's area.
func orgFail(rs *responder, w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, portal.ErrNotAllow) {
		rs.notFound(w, r)
		return
	}
	rs.fail(w, r, err)
}

func orgHref(base string, id int64) string { return base + "/orgs/" + itoa64(id) }

const dateLayout = "2006-01-02"

// Messages shared by the create and edit forms.
const (
	msgNameTaken = "渝北区已有同名的在册组织，请修改字号或业务领域"
	idHintNew    = "选填。18 位居民身份证号。出于个人信息保护，提交出错时身份证号不会回显在页面上，需要重新填写。"
	idHintEdit   = "留空则保持原号码不变（当前：%s）。出于个人信息保护，提交出错时身份证号不会回显，需要重新填写。"
	phoneHintNew = "手机号或带区号的座机号，如 13812345678、023-67891234；页面只显示部分号码"
)

// guidedFormView is the empty form for a new guided group in the account's own community.
func guidedFormView(a *portal.Account, base string, place registry.Place) web.OrgFormView {
	legal := rules.FormUnregistered
	return web.OrgFormView{
		Page: web.NewPage("新建村居指导组织", a, base+"/orgs", ""), Heading: "新建村居指导组织",
		Action: base + "/orgs", CancelHref: base + "/orgs", TierLabel: registry.TierGuided.Label(),
		LegalForm: string(legal), Prefix: place.DistrictName + place.TownName, Community: place.CommunityName,
		FormChoices: legal.Forms(), FieldSuggestions: rules.Fields(),
		Fields:        web.Checks(registry.Fields, nil),
		NatureOptions: web.Choices(registry.Natures, ""),
		Beneficiaries: web.Checks(registry.Beneficiaries, nil),
		PartyOptions:  web.Choices(registry.PartyStatuses, "未覆盖"),
		PhoneHint:     phoneHintNew, IDHint: idHintNew, Problems: map[string]string{},
	}
}

func handleOrgNew(db orgCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		place, err := db.CommunityPlace(r.Context(), a.Scope(), a.DivisionCode)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.OrgFormPage(guidedFormView(a, base, place)))
	}
}

// handleOrgCreate records a guided group in the account's own community. "预览名称" re-renders the form with the
// composed name and its problems and saves nothing.
func handleOrgCreate(db orgCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "提交的内容过多", "提交的内容超过了允许的大小，请精简后重试。")
			return
		}
		a := accountFrom(r.Context())
		scope := a.Scope()
		place, err := db.CommunityPlace(r.Context(), scope, a.DivisionCode)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := guidedFormView(a, base, place)
		in := registry.OrgInput{CommunityCode: a.DivisionCode, Tier: registry.TierGuided,
			LegalForm: rules.FormUnregistered,
			NameParts: rules.NameParts{Prefix: v.Prefix, Community: v.Community}}
		problems := readOrgForm(r, &v, &in, false, time.Now().In(beijing))
		if r.PostForm.Get("action") == "preview" {
			v.Previewed = true
			v.SetProblems(problems)
			rs.render(w, r, http.StatusOK, web.OrgFormPage(v))
			return
		}
		var id int64
		if problems.OK() {
			id, err = db.CreateOrganization(r.Context(), scope, portal.ActorOf(*a, clientIPFrom(r.Context())), in)
			switch {
			case errors.Is(err, registry.ErrNameTaken):
				problems.Add(rules.KeyName, msgNameTaken)
			case errors.Is(err, registry.ErrRegisteredParticular):
				problems.Add(rules.KeyName, "名称和负责人是已登记组织的登记事项，须由区民政局办理变更登记")
			case err != nil:
				orgFail(rs, w, r, err)
				return
			}
		}
		if !problems.OK() {
			v.SetProblems(problems)
			rs.render(w, r, http.StatusUnprocessableEntity, web.OrgFormPage(v))
			return
		}
		putFlash(r, "已建档："+v.ComposedName+"。")
		redirect(w, r, orgHref(base, id))
	}
}

// inputOf is an organization's stored values as the input an edit starts from, so that what the short form does
// not show (资金来源, 指导单位, 孵化 …) is kept. Leader phone and ID start empty: empty keeps the stored ones.
func inputOf(o registry.Organization) registry.OrgInput {
	return registry.OrgInput{CommunityCode: o.CommunityCode, Tier: o.Tier, LegalForm: o.LegalForm,
		NameParts: o.NameParts, USCC: o.USCC, FilingNo: o.FilingNo, Fields: o.Fields, Nature: o.Nature,
		Beneficiaries: o.Beneficiaries, FoundedOn: o.FoundedOn, LeaderName: o.LeaderName, Venue: o.Venue,
		Charter: o.Charter, Members: o.Members, Volunteers: o.Volunteers, Funding: o.Funding,
		GuideUnit: o.GuideUnit, PartyStatus: o.PartyStatus, PartyMembers: o.PartyMembers,
		Incubation: o.Incubation, PublishContact: o.PublishContact, Demo: o.Demo}
}

// editFormView is the form prefilled with o.
func editFormView(a *portal.Account, base string, o registry.Organization) web.OrgFormView {
	href := orgHref(base, o.ID)
	v := web.OrgFormView{
		Page: web.NewPage("编辑 "+o.Name, a, base+"/orgs", ""), Heading: "编辑：" + o.Name,
		Action: href + "/edit", CancelHref: href, Editing: true, Version: o.Version,
		TierLabel: o.Tier.Label(), LegalForm: string(o.LegalForm), Prefix: o.NameParts.Prefix,
		Community: o.NameParts.Community, ComposedName: o.Name,
		FormChoices: o.LegalForm.Forms(), FieldSuggestions: rules.Fields(),
		Zihao: web.Field{Value: o.NameParts.Zihao}, NameField: web.Field{Value: o.NameParts.Field},
		Form:          web.Field{Value: o.NameParts.Form},
		Fields:        web.Checks(registry.Fields, o.Fields),
		Nature:        web.Field{Value: o.Nature},
		NatureOptions: web.Choices(registry.Natures, o.Nature),
		Beneficiaries: web.Checks(registry.Beneficiaries, o.Beneficiaries),
		LeaderName:    web.Field{Value: o.LeaderName}, PublishContact: o.PublishContact,
		PhoneHint: "留空则保持原号码不变（当前：" + dashIfEmpty(o.LeaderPhone) + "）",
		IDHint:    strings.Replace(idHintEdit, "%s", dashIfEmpty(o.LeaderID), 1),
		Venue:     web.Field{Value: o.Venue}, Charter: web.Field{Value: o.Charter},
		Members: web.Field{Value: strconv.Itoa(o.Members)}, Volunteers: web.Field{Value: strconv.Itoa(o.Volunteers)},
		PartyStatus: web.Field{Value: o.PartyStatus}, PartyOptions: web.Choices(registry.PartyStatuses, o.PartyStatus),
		PartyMembers: web.Field{Value: strconv.Itoa(o.PartyMembers)}, Problems: map[string]string{},
		Registered: o.Tier == registry.TierRegistered,
	}
	if o.FoundedOn != nil {
		v.FoundedOn.Value = o.FoundedOn.Format(dateLayout)
	}
	return v
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "未填写"
	}
	return s
}

// editableOrg loads an organization the caller may edit: outside scope is ErrNotFound, visible but not
// editable ErrNotAllow.
func editableOrg(ctx context.Context, db orgUpdater, a *portal.Account, r *http.Request) (registry.Organization, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return registry.Organization{}, portal.ErrNotFound
	}
	o, err := db.Organization(ctx, a.Scope(), id)
	if err != nil {
		return o, err
	}
	if !registry.RightsOn(a.Scope(), o).Edit {
		return o, portal.ErrNotAllow
	}
	return o, nil
}

func handleOrgEdit(db orgUpdater, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		o, err := editableOrg(r.Context(), db, a, r)
		if err != nil {
			orgFail(rs, w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.OrgFormPage(editFormView(a, base, o)))
	}
}

// handleOrgUpdate saves an edit. The version in the form is the one the editor saw: when someone else saved in
// between, the editor gets 409 and nothing of theirs is written.
func handleOrgUpdate(db orgUpdater, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "提交的内容过多", "提交的内容超过了允许的大小，请精简后重试。")
			return
		}
		a := accountFrom(r.Context())
		o, err := editableOrg(r.Context(), db, a, r)
		if err != nil {
			orgFail(rs, w, r, err)
			return
		}
		version := newForm(r).version("version")
		if version != o.Version {
			rs.conflict(w, r)
			return
		}
		v := editFormView(a, base, o)
		in := inputOf(o)
		if v.Registered {
			keepRegisteredParticulars(r, o)
		}
		problems := readOrgForm(r, &v, &in, true, time.Now().In(beijing))
		if r.PostForm.Get("action") == "preview" {
			v.Previewed = true
			v.SetProblems(problems)
			rs.render(w, r, http.StatusOK, web.OrgFormPage(v))
			return
		}
		var changed []string
		if problems.OK() {
			changed, err = db.UpdateOrganization(r.Context(), a.Scope(),
				portal.ActorOf(*a, clientIPFrom(r.Context())), o.ID, version, in)
			switch {
			case errors.Is(err, registry.ErrNameTaken):
				problems.Add(rules.KeyName, msgNameTaken)
			case errors.Is(err, registry.ErrRegisteredParticular):
				problems.Add(rules.KeyName, "名称和负责人是已登记组织的登记事项，须由区民政局办理变更登记")
			case err != nil:
				orgFail(rs, w, r, err)
				return
			}
		}
		if !problems.OK() {
			v.SetProblems(problems)
			rs.render(w, r, http.StatusUnprocessableEntity, web.OrgFormPage(v))
			return
		}
		if len(changed) == 0 {
			putFlash(r, "没有修改任何内容。")
		} else {
			putFlash(r, "已保存，变更了："+strings.Join(changed, "、")+"。")
		}
		redirect(w, r, orgHref(base, o.ID))
	}
}

// readOrgForm reads the guided group's form into v (to show again: every typed value but the 身份证号) and in
// (to save), and checks it. On an edit an empty phone or ID keeps the stored one.
func readOrgForm(r *http.Request, v *web.OrgFormView, in *registry.OrgInput, editing bool, now time.Time) rules.Problems {
	f := r.PostForm
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	p := rules.Problems{}
	text := func(key, label string, max int, required bool) string {
		s := get(key)
		switch n := utf8.RuneCountInString(s); {
		case required && n == 0:
			p.Add(key, "请填写"+label)
		case n > max:
			p.Add(key, label+"不能超过 "+strconv.Itoa(max)+" 字，现为 "+strconv.Itoa(n)+" 字")
		}
		return s
	}
	count := func(key, label string, field *web.Field) int {
		field.Value = get(key)
		if field.Value == "" {
			return 0
		}
		n, err := strconv.Atoi(field.Value)
		if err != nil || n < 0 || n > 1000000 {
			p.Add(key, label+"应为 0 至 1000000 之间的整数")
			return 0
		}
		return n
	}

	// 名称: the 行政区划 and 社区（村） parts are fixed; the clerk types the other three.
	in.NameParts.Zihao, in.NameParts.Field, in.NameParts.Form = get("zihao"), get("field"), get("form")
	v.Zihao.Value, v.NameField.Value, v.Form.Value = in.NameParts.Zihao, in.NameParts.Field, in.NameParts.Form
	v.ComposedName = rules.ComposeName(in.NameParts)
	for k, msg := range rules.CheckName(in.NameParts, in.LegalForm, v.Community) {
		p.Add(k, msg)
	}
	checkNamePartLengths(in.NameParts, p)
	if n := utf8.RuneCountInString(v.ComposedName); n > 80 {
		p.Add(rules.KeyName, "名称不能超过 80 字，现为 "+strconv.Itoa(n)+" 字")
	}

	in.Fields = f["fields"]
	v.Fields = web.Checks(registry.Fields, in.Fields)
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
	in.Beneficiaries = f["beneficiaries"]
	v.Beneficiaries = web.Checks(registry.Beneficiaries, in.Beneficiaries)
	if !allIn(in.Beneficiaries, registry.Beneficiaries) {
		p.Add("beneficiaries", "请从列表中选择服务对象")
	}
	v.FoundedOn.Value = get("founded_on")
	in.FoundedOn = nil
	if v.FoundedOn.Value != "" {
		d, err := time.ParseInLocation(dateLayout, v.FoundedOn.Value, beijing)
		switch {
		case err != nil:
			p.Add("founded_on", "成立日期格式应为 2021-07-21")
		case d.After(now):
			p.Add("founded_on", "成立日期不能晚于今天")
		case d.Year() < 1949:
			p.Add("founded_on", "成立日期不能早于 1949 年")
		default:
			in.FoundedOn = &d
		}
	}

	in.LeaderName = text("leader_name", "负责人姓名", 30, true)
	v.LeaderName.Value = in.LeaderName
	in.PublishContact = get("publish_contact") != ""
	v.PublishContact = in.PublishContact
	v.Phone.Value = get("phone")
	in.LeaderPhone = ""
	if v.Phone.Value != "" || !editing {
		if err := rules.CheckPhone(v.Phone.Value); err != nil {
			p.Add(rules.KeyPhone, "负责人电话："+err.Error())
		} else {
			in.LeaderPhone = rules.NormalizePhone(v.Phone.Value)
		}
	}
	in.LeaderID = ""
	if id := get("id_number"); id != "" {
		if err := rules.CheckIDNumber(id, now); err != nil {
			p.Add(rules.KeyIDNumber, "身份证号"+err.Error()+"（为保护个人信息，请重新填写）")
		} else {
			in.LeaderID = rules.NormalizeIDNumber(id)
		}
	}

	in.Venue = text("venue", "活动场所", 100, false)
	v.Venue.Value = in.Venue
	in.Members = count("members", "成员人数", &v.Members)
	in.Volunteers = count("volunteers", "志愿者人数", &v.Volunteers)
	in.Charter = text("charter", "简易章程", 5000, false)
	v.Charter.Value = in.Charter

	in.PartyStatus = get("party_status")
	v.PartyStatus.Value, v.PartyOptions = in.PartyStatus, web.Choices(registry.PartyStatuses, in.PartyStatus)
	if !slices.Contains(registry.PartyStatuses, in.PartyStatus) {
		p.Add("party_status", "请选择党组织覆盖情况")
	}
	in.PartyMembers = count("party_members", "党员人数", &v.PartyMembers)
	if _, bad := p["party_members"]; !bad && in.Members > 0 && in.PartyMembers > in.Members {
		p.Add("party_members", "党员人数不能多于成员人数")
	}
	return p
}

func allIn(chosen, offered []string) bool {
	for _, c := range chosen {
		if !slices.Contains(offered, c) {
			return false
		}
	}
	return true
}

// orgDetail builds the detail page of the organization the request names, with what the caller may do.
func orgDetail(ctx context.Context, db orgReader, a *portal.Account, base string, r *http.Request) (web.OrgDetailView, registry.Organization, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return web.OrgDetailView{}, registry.Organization{}, portal.ErrNotFound
	}
	scope := a.Scope()
	o, err := db.Organization(ctx, scope, id)
	if err != nil {
		return web.OrgDetailView{}, o, err
	}
	events, err := db.OrgEvents(ctx, scope, id)
	if err != nil {
		return web.OrgDetailView{}, o, err
	}
	v := web.NewOrgDetailView(web.NewPage(o.Name, a, base+"/orgs", takeFlashCtx(r)), o, events, base)
	rights := registry.RightsOn(scope, o)
	// The record offers what the account's role takes, of what its tier may do to o.
	v.CanEdit, v.CanStatus = rights.Edit && portal.Allowed(*a, portal.EditOrg),
		rights.ChangeStatus && portal.Allowed(*a, portal.ChangeOrgStatus)
	v.CanReveal, v.CanEnd = rights.Reveal && portal.Allowed(*a, portal.RevealPersonal),
		rights.End && portal.Allowed(*a, portal.EndGuidedOrg)
	if registry.MayChangeRegistration(o) && portal.Allowed(*a, portal.ChangeRegistration) {
		v.RegistrationChangeHref = orgHref(base, o.ID) + "/registration"
	}
	v.StatusOn.Value = time.Now().In(beijing).Format(dateLayout)
	return v, o, nil
}

// orgShower reads a record and what it links: its filings and its latest 评估评议.
type orgShower interface {
	orgReader
	OrgFilings(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.OrgFiling, error)
	LatestEvaluation(ctx context.Context, scope portal.Scope, orgID int64) (registry.OrgEvaluation, bool, error)
	partyMeetingReader
	orgProjectReader
	orgContactReader // 联系人 (org_contacts.go)
	charityReader    // 慈善组织认定 (charity.go)
}

func handleOrgShow(store interface {
	orgShower
	orgRecordReader
}, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		db, err := prefetchRecord(r, store, a) // what the helpers below read, in one round trip
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v, o, err := orgDetail(r.Context(), db, a, base, r)
		if err == nil {
			err = orgLinks(r.Context(), db, a, paths, &v, o)
		}
		if err == nil {
			err = partyMeetingsOn(r.Context(), db, a, paths, &v, o)
		}
		if err == nil {
			err = orgContactsOn(r.Context(), db, a, paths, &v, o)
		}
		if err == nil {
			err = charityOn(r.Context(), db, a, paths, &v, o)
		}
		if err == nil {
			err = orgFlowOn(r.Context(), db, a, paths, &v, o) // 成立备案 on this record, transfers (org_transfer.go)
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.OrgDetailPage(v))
	}
}

// orgLinks adds to the record of o its filings (for a tier that sees filings) and its latest 评估评议.
func orgLinks(ctx context.Context, db orgShower, a *portal.Account, paths web.Paths, v *web.OrgDetailView, o registry.Organization) error {
	in := web.OrgLinksInput{EvaluationsHref: paths.Org(o.ID) + "/evaluations",
		MayFile: portal.Allowed(*a, portal.SubmitFilings)}
	if portal.Allowed(*a, portal.ViewFilings) {
		in.FilingsBase = paths.Filings()
		fs, err := db.OrgFilings(ctx, a.Scope(), o.ID)
		if err != nil {
			return err
		}
		in.Filings = fs
	}
	e, ok, err := db.LatestEvaluation(ctx, a.Scope(), o.ID)
	if err != nil {
		return err
	}
	if ok {
		in.Evaluation = &e
	}
	v.SetLinks(o, in)
	v.Projects, err = orgProjects(ctx, db, a.Scope(), paths, o.ID, false) // 服务项目 and 品牌项目 (matching.go)
	return err
}

// statusDayAndReason checks the date and reason of a change to status to, adding their problems to p, and
// returns the day.
func statusDayAndReason(on, reason string, to registry.Status, p rules.Problems) time.Time {
	now := time.Now().In(beijing)
	day, err := time.ParseInLocation(dateLayout, on, beijing)
	switch {
	case on == "":
		p.Add("status_on", "请填写日期")
	case err != nil:
		p.Add("status_on", "日期格式应为 2021-07-21")
	case day.After(now):
		p.Add("status_on", "日期不能晚于今天")
	}
	switch n := utf8.RuneCountInString(reason); {
	case n == 0 && to.Valid() && to != registry.StatusNormal:
		p.Add("reason", "变更为“"+to.Label()+"”须写明原因")
	case n > 200:
		p.Add("reason", "原因不能超过 200 字")
	}
	return day
}

// handleOrgStatus changes an organization's status (正常, 活动异常, 已注销, 已撤销) with a date and a reason.
// Two clerks acting on the same version: the first wins, the second gets 409.
func handleOrgStatus(db orgStatusChanger, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, o, err := orgDetail(r.Context(), db, a, base, r)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if !v.CanStatus {
			rs.notFound(w, r)
			return
		}
		version := newForm(r).version("version")
		if version != o.Version {
			rs.conflict(w, r)
			return
		}
		to := registry.Status(r.PostFormValue("status"))
		on := strings.TrimSpace(r.PostFormValue("status_on"))
		reason := strings.TrimSpace(r.PostFormValue("reason"))
		v.StatusTo.Value, v.StatusOn.Value, v.StatusReason.Value = string(to), on, reason
		v.SelectStatus(string(to))
		p := rules.Problems{}
		switch {
		case !to.Valid():
			p.Add("status", "请选择新状态")
		case to == o.Status:
			p.Add("status", "新状态与当前状态相同")
		}
		day := statusDayAndReason(on, reason, to, p)
		if p.OK() {
			err = db.ChangeOrgStatus(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), o.ID,
				version, to, day, reason)
			switch {
			case errors.Is(err, registry.ErrNameTaken):
				p.Add("status", "已有同名的在册组织，不能恢复该组织；请先通过编辑修改名称")
			case err != nil:
				orgFail(rs, w, r, err)
				return
			}
		}
		if !p.OK() {
			v.Problems = p
			v.StatusTo.Problem, v.StatusOn.Problem, v.StatusReason.Problem = p["status"], p["status_on"], p["reason"]
			rs.render(w, r, http.StatusUnprocessableEntity, web.OrgDetailPage(v))
			return
		}
		putFlash(r, "状态已变更为“"+to.Label()+"”。")
		redirect(w, r, orgHref(base, o.ID))
	}
}

// handleOrgReveal shows the leader's full phone and 身份证号 once, after the clerk gives a reason; the store
// audits it in the same transaction. The page is not cached (the tier groups send no-store).
func handleOrgReveal(db orgRevealer, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, o, err := orgDetail(r.Context(), db, a, base, r)
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
		switch n := utf8.RuneCountInString(reason); {
		case n == 0:
			v.RevealReason.Problem = "请写明查看原因"
		case n > 200:
			v.RevealReason.Problem = "原因不能超过 200 字"
		}
		if v.RevealReason.Bad() {
			v.Problems = map[string]string{"reveal_reason": v.RevealReason.Problem}
			rs.render(w, r, http.StatusUnprocessableEntity, web.OrgDetailPage(v))
			return
		}
		phone, idNumber, err := db.RevealLeader(r.Context(), a.Scope(),
			portal.ActorOf(*a, clientIPFrom(r.Context())), o.ID, reason)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v.Revealed = &web.RevealedLeader{Phone: phone, IDNumber: idNumber, Reason: reason}
		v.RevealReason.Value = ""
		rs.render(w, r, http.StatusOK, web.OrgDetailPage(v))
	}
}

// keepRegisteredParticulars fills in a registered group's name parts and leader where the edit form (which shows
// them read-only) sent none; a value sent that differs is refused by the store (ErrRegisteredParticular).
func keepRegisteredParticulars(r *http.Request, o registry.Organization) {
	for key, stored := range map[string]string{"zihao": o.NameParts.Zihao, "field": o.NameParts.Field,
		"form": o.NameParts.Form, "leader_name": o.LeaderName} {
		if _, sent := r.PostForm[key]; !sent {
			r.PostForm.Set(key, stored)
		}
	}
}
