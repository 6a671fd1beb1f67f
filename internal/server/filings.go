package server

// 镇街备案: a town officer files (备案) a larger unregistered group with its documents and decides the filing;
// 变更 and 注销 are filings too. The district reads every filing; committees do not file. The 备案证明's QR code
// opens the public verification page.

import (
	"context"
	"errors"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/uploads"
	"github.com/yubei-cso/portal/web"
)

// filingReader is what a filing's page reads; every method takes the caller's scope.
type filingReader interface {
	Filing(ctx context.Context, scope portal.Scope, id int64) (registry.Filing, error)
	FilingDocuments(ctx context.Context, scope portal.Scope, filingID int64) ([]registry.Document, error)
	FilingOrgEvents(ctx context.Context, scope portal.Scope, filingID int64) ([]registry.FilingOrgEvent, error)
}

// filingDetail loads what a filing's page shows.
func filingDetail(ctx context.Context, db filingReader, a *portal.Account, base string, id int64, canFile bool, flash string) (web.FilingDetailView, error) {
	scope := a.Scope()
	f, err := db.Filing(ctx, scope, id)
	if err != nil {
		return web.FilingDetailView{}, err
	}
	docs, err := db.FilingDocuments(ctx, scope, id)
	if err != nil {
		return web.FilingDetailView{}, err
	}
	events, err := db.FilingOrgEvents(ctx, scope, id)
	if err != nil {
		return web.FilingDetailView{}, err
	}
	return web.NewFilingDetail(web.NewPage(web.FilingKindLabel(f.Kind)+" · "+f.Name, a, base, flash), base, f,
		docs, events, canFile && portal.Allowed(*a, portal.DecideFilings),
		canFile && portal.Allowed(*a, portal.SubmitFilings)), nil
}

func handleFilingShow(db filingReader, paths web.Paths, canFile bool, rs *responder) http.HandlerFunc {
	base := paths.Filings()
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		v, err := filingDetail(r.Context(), db, accountFrom(r.Context()), base, id, canFile, takeFlashCtx(r))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.FilingDetailPage(v))
	}
}

type filingDocumentStore interface {
	FilingDocument(ctx context.Context, scope portal.Scope, filingID, docID int64) (registry.Document, error)
}

// handleFilingDocument sends a filing's document as an attachment, only inside the caller's jurisdiction.
func handleFilingDocument(db filingDocumentStore, up *uploads.Store, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok1 := pathID(r, "id")
		docID, ok2 := pathID(r, "docID")
		if !ok1 || !ok2 {
			rs.notFound(w, r)
			return
		}
		d, err := db.FilingDocument(r.Context(), accountFrom(r.Context()).Scope(), id, docID)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if err := up.Serve(w, r, uploads.File{Key: d.StorageKey, Filename: d.Filename,
			ContentType: d.ContentType}); err != nil {
			rs.serverError(w, r, err)
		}
	}
}

// filingCreator is what the 成立备案 form needs.
type filingCreator interface {
	Division(ctx context.Context, scope portal.Scope, code string) (portal.Division, error)
	OpenChildDivisions(ctx context.Context, scope portal.Scope, code string) ([]portal.Division, error)
	NameInUse(ctx context.Context, scope portal.Scope, name string, except int64) (bool, error)
	Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error)
	CreateFiling(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.FilingInput, docs []registry.NewDocument) (int64, error)
}

// filingTown is the officer's town and its communities, which fix the name's 行政区划 and the community choices.
func filingTown(ctx context.Context, db filingCreator, scope portal.Scope) (portal.Division, []portal.Division, error) {
	town, err := db.Division(ctx, scope, scope.Division)
	if err != nil {
		return town, nil, err
	}
	communities, err := db.OpenChildDivisions(ctx, scope, scope.Division)
	return town, communities, err
}

func filingCommunityOptions(communities []portal.Division, selected string) []web.Option {
	opts := make([]web.Option, len(communities))
	for i, c := range communities {
		opts[i] = web.Option{Value: c.Code, Label: c.Name, Selected: c.Code == selected}
	}
	return opts
}

func handleFilingNew(db filingCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Filings()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		town, communities, err := filingTown(r.Context(), db, a.Scope())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		g, ok := guidedToFile(w, r, db, r.URL.Query().Get("org"), rs)
		if !ok {
			return
		}
		v := web.NewFilingForm(web.NewPage("新建成立备案", a, base, ""), base, "渝北区"+town.Name,
			filingCommunityOptions(communities, ""), rules.FormUnregistered.Forms())
		if g != nil {
			prefillGuided(&v, *g, paths, communities)
		}
		rs.render(w, r, http.StatusOK, web.FilingFormPage(v))
	}
}

// Limits of a filing form: two documents of at most uploads.MaxFileSize each, and the text around them.
const (
	filingMaxRequest = 2*uploads.MaxFileSize + 1<<20
	filingMaxText    = 100  // characters of a one-line field
	filingMaxLong    = 2000 // characters of 简易章程, reasons
)

// filingDocs are the documents of a 成立备案, in the order the form shows them.
var filingDocs = []struct{ field, kind string }{{"doc_charter", "章程"}, {"doc_roster", "成员名册"}}

// filingUploadProblem is the message for a document the uploads folder refuses.
func filingUploadProblem(err error) string {
	switch {
	case errors.Is(err, uploads.ErrTooLarge):
		return "文件超过 10 MB，请压缩或拆分后重新选择文件"
	case errors.Is(err, uploads.ErrEmpty):
		return "文件是空的，请重新选择文件"
	default:
		return "只接受 PDF、JPG 或 PNG 文件（按文件内容识别，改扩展名无效），请重新选择文件"
	}
}

// handleFilingCreate receives a 成立备案. Everything is checked before anything is kept: a form with any problem
// stores no file and no row. Files are stored before the row that names them; if the row then fails, they are
// removed again.
func handleFilingCreate(db filingCreator, up *uploads.Store, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Filings()
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseFilingUpload(w, r, rs) {
			return
		}
		defer r.MultipartForm.RemoveAll() //nolint:errcheck
		a := accountFrom(r.Context())
		scope := a.Scope()
		town, communities, err := filingTown(r.Context(), db, scope)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		f := newForm(r)
		v := web.NewFilingForm(web.NewPage("新建成立备案", a, base, ""), base, "渝北区"+town.Name, nil,
			rules.FormUnregistered.Forms())
		g, ok := guidedToFile(w, r, db, f.value("guided_org"), rs)
		if !ok {
			return
		}
		if g != nil {
			// A guided group is filed in its own community, on its own record, at the version the clerk saw.
			communities = guidedCommunity(*g, communities)
			v.Guided = web.GuidedFiling{ID: g.ID, Version: f.version("guided_version"), Name: g.Name,
				Href: paths.Org(g.ID)}
		}
		in := readFilingEstablish(f, &v, town, communities)
		in.GuidedOrgID, in.GuidedVersion = v.Guided.ID, v.Guided.Version
		files := checkFilingDocs(up, r.MultipartForm, f.Problems)
		if f.OK() {
			name := rules.ComposeName(in.NameParts)
			taken, err := db.NameInUse(r.Context(), scope, name, in.GuidedOrgID)
			if err != nil {
				rs.serverError(w, r, err)
				return
			}
			if taken {
				f.Problems.Add("zihao", "名称“"+name+"”已被区内其他组织使用或正在备案，请更换字号或业务领域")
			}
		}
		var id int64
		if f.OK() {
			if id, err = storeFiling(r, db, up, in, files, f.Problems); err != nil {
				rs.fail(w, r, err)
				return
			}
		}
		if !f.OK() {
			v.Problems, v.Resubmit = f.Problems, true
			for k, msg := range f.Problems {
				filingFormProblem(&v, k, msg)
			}
			rs.render(w, r, http.StatusUnprocessableEntity, web.FilingFormPage(v))
			return
		}
		putFlash(r, "成立备案已提交，等待审核。")
		redirect(w, r, base+"/"+itoa64(id))
	}
}

// parseFilingUpload reads a filing's multipart body, answering 413 or 400 itself when it cannot.
func parseFilingUpload(w http.ResponseWriter, r *http.Request, rs *responder) bool {
	return parseUpload(w, r, rs, filingMaxRequest, "每份材料不超过 10 MB。请返回，压缩或拆分文件后重新提交（需重新选择文件）。",
		"请返回备案表单重新提交。")
}

// readFilingEstablish reads a 成立备案's fields into v (as typed) and the input (as checked). The name's 行政区划
// and 社区（村） follow from the officer's town and the chosen community.
func readFilingEstablish(f *form, v *web.FilingFormView, town portal.Division, communities []portal.Division) registry.FilingInput {
	in := registry.FilingInput{Kind: registry.FilingEstablish}
	v.Community.Value = f.value("community")
	var community portal.Division
	for _, c := range communities {
		if c.Code == v.Community.Value {
			community = c
		}
	}
	if community.Code == "" {
		f.Problems.Add("community", "请选择本镇街的社区（村）")
	}
	in.CommunityCode = community.Code
	v.CommunityOptions = filingCommunityOptions(communities, community.Code)
	v.Zihao.Value, v.Field.Value, v.Form.Value = f.value("zihao"), f.value("field"), f.value("form")
	v.FormOptions = web.Choices(rules.FormUnregistered.Forms(), v.Form.Value)
	in.NameParts = rules.NameParts{Prefix: "渝北区" + town.Name, Community: community.Name,
		Zihao: v.Zihao.Value, Field: v.Field.Value, Form: v.Form.Value}
	for k, msg := range rules.CheckName(in.NameParts, rules.FormUnregistered, community.Name) {
		if k == rules.KeyNameCommunity || k == rules.KeyNamePrefix {
			k = "community"
		}
		f.Problems.Add(k, msg)
	}
	v.CommunityPart, v.ComposedName = community.Name, rules.ComposeName(in.NameParts)

	in.Fields = f.picks("service_fields", registry.Fields, true, "请从列表中选择至少一个服务领域")
	v.ServiceFields = web.Checks(registry.Fields, in.Fields)
	in.Nature = f.pick("nature", registry.Natures, "请选择性质")
	v.Nature.Value, v.NatureOptions = in.Nature, web.Choices(registry.Natures, in.Nature)
	in.Beneficiaries = f.picks("beneficiaries", registry.Beneficiaries, false, "请从列表中选择服务对象")
	v.Beneficiaries = web.Checks(registry.Beneficiaries, in.Beneficiaries)
	v.FoundedOn.Value, in.FoundedOn = f.date("founded_on", "成立日期")
	in.Venue = f.text("venue", "活动场所", filingMaxText, true)
	v.Members.Value, in.Members = f.count("members", "成员人数", 1)
	v.Volunteers.Value, in.Volunteers = f.count("volunteers", "志愿者人数", 0)
	in.Funding = f.text("funding", "活动资金来源", filingMaxText, false)
	in.GuideUnit = f.text("guide_unit", "指导单位", filingMaxText, false)
	in.PartyStatus = f.pick("party_status", registry.PartyStatuses, "请选择党组织覆盖情况")
	v.PartyStatus.Value, v.PartyOptions = in.PartyStatus, web.Choices(registry.PartyStatuses, in.PartyStatus)
	v.PartyMembers.Value, in.PartyMembers = f.count("party_members", "党员人数", 0)
	in.Charter = f.text("charter", "简易章程", filingMaxLong, false)
	in.LeaderName = f.text("leader_name", "负责人姓名", 40, true)
	in.LeaderPhone, in.LeaderID = readFilingLeader(f, true)
	v.LeaderPhone.Value = f.value("leader_phone")
	in.PublishContact = f.raw("publish_contact") != ""
	v.Venue.Value, v.Funding.Value, v.GuideUnit.Value, v.Charter.Value = in.Venue, in.Funding, in.GuideUnit, in.Charter
	v.LeaderName.Value, v.PublishContact = in.LeaderName, in.PublishContact
	return in
}

// readFilingLeader reads the leader's phone and 身份证号, normalized; optional ones may be blank ("unchanged").
// The ID number is never echoed back to the page.
func readFilingLeader(f *form, required bool) (phone, idNumber string) {
	phone, idNumber = f.value("leader_phone"), f.raw("leader_id")
	if required || phone != "" {
		if err := rules.CheckPhone(phone); err != nil {
			f.Problems.Add("leader_phone", "负责人电话："+err.Error())
		}
		phone = rules.NormalizePhone(phone)
	}
	if required || strings.TrimSpace(idNumber) != "" {
		if err := rules.CheckIDNumber(idNumber, f.now); err != nil {
			f.Problems.Add("leader_id", "负责人身份证号："+err.Error()+"（请重新填写）")
		}
		idNumber = rules.NormalizeIDNumber(idNumber)
	}
	return phone, idNumber
}

// checkFilingDocs checks a 成立备案's documents by their content; they are stored only once the whole form is good.
func checkFilingDocs(up *uploads.Store, mf *multipart.Form, problems rules.Problems) map[string]*multipart.FileHeader {
	files := map[string]*multipart.FileHeader{}
	for _, d := range filingDocs {
		fhs := mf.File[d.field]
		if len(fhs) == 0 || fhs[0].Size == 0 && fhs[0].Filename == "" {
			if d.field == "doc_charter" {
				problems.Add(d.field, "请上传章程（PDF、JPG 或 PNG）")
			}
			continue
		}
		if err := filingCheckUpload(up, fhs[0]); err != nil {
			problems.Add(d.field, filingUploadProblem(err))
			continue
		}
		files[d.field] = fhs[0]
	}
	return files
}

// storeFiling stores the documents, then the 成立备案 that names them; a refused document or a community gone
// meanwhile is a problem, anything else an error. Whatever fails, no stored file is left behind.
func storeFiling(r *http.Request, db filingCreator, up *uploads.Store, in registry.FilingInput,
	files map[string]*multipart.FileHeader, problems rules.Problems) (int64, error) {
	var docs []registry.NewDocument
	var stored []string
	for _, d := range filingDocs {
		fh := files[d.field]
		if fh == nil {
			continue
		}
		f, err := filingSaveUpload(up, fh)
		if err != nil {
			filingRemoveUploads(up, stored)
			if errors.Is(err, uploads.ErrTooLarge) || errors.Is(err, uploads.ErrType) || errors.Is(err, uploads.ErrEmpty) {
				problems.Add(d.field, filingUploadProblem(err))
				return 0, nil
			}
			return 0, err
		}
		stored = append(stored, f.Key)
		docs = append(docs, registry.NewDocument{Kind: d.kind, Filename: f.Filename,
			ContentType: f.ContentType, Size: f.Size, StorageKey: f.Key, SHA256: f.SHA256})
	}
	a := accountFrom(r.Context())
	id, err := db.CreateFiling(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), in, docs)
	if err != nil {
		filingRemoveUploads(up, stored)
		switch {
		case errors.Is(err, portal.ErrNotFound):
			problems.Add("community", "请选择本镇街的社区（村）")
			return 0, nil
		case errors.Is(err, registry.ErrOpenFiling):
			problems.Add("community", "该村居指导组织已有待审核的成立备案，请先办结后再提交")
			return 0, nil
		case errors.Is(err, registry.ErrNotGuided):
			return 0, portal.ErrConflict // ended or moved up since the form was opened
		}
	}
	return id, err
}

func filingCheckUpload(up *uploads.Store, fh *multipart.FileHeader) error {
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = up.Check(f, fh.Size)
	return err
}

func filingSaveUpload(up *uploads.Store, fh *multipart.FileHeader) (uploads.File, error) {
	f, err := fh.Open()
	if err != nil {
		return uploads.File{}, err
	}
	defer f.Close()
	return up.Save(f, fh.Filename)
}

func filingRemoveUploads(up *uploads.Store, keys []string) {
	for _, k := range keys {
		_ = up.Remove(k)
	}
}

func filingFormProblem(v *web.FilingFormView, field, msg string) {
	fields := map[string]*web.Field{"community": &v.Community, "zihao": &v.Zihao, "field": &v.Field,
		"form": &v.Form, "nature": &v.Nature, "founded_on": &v.FoundedOn, "venue": &v.Venue,
		"members": &v.Members, "volunteers": &v.Volunteers, "funding": &v.Funding, "guide_unit": &v.GuideUnit,
		"party_status": &v.PartyStatus, "party_members": &v.PartyMembers, "charter": &v.Charter,
		"leader_name": &v.LeaderName, "leader_phone": &v.LeaderPhone, "leader_id": &v.LeaderID,
		"doc_charter": &v.DocCharter, "doc_roster": &v.DocRoster}
	if f, ok := fields[field]; ok {
		f.Problem = msg
	}
	if field == "service_fields" {
		v.ServiceFieldsBad = msg
	}
}

// filedOrgStore is what 变更 and 注销 filings need.
type filedOrgStore interface {
	FiledOrganization(ctx context.Context, scope portal.Scope, id int64) (registry.FiledOrg, error)
	CreateFiling(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.FilingInput, docs []registry.NewDocument) (int64, error)
}

// filingOrg loads the live filed organization named by ?org= inside the caller's jurisdiction.
func filingOrg(w http.ResponseWriter, r *http.Request, db filedOrgStore, rs *responder) (registry.FiledOrg, bool) {
	id, ok := parseID(r.URL.Query().Get("org"))
	if !ok {
		rs.notFound(w, r)
		return registry.FiledOrg{}, false
	}
	o, err := db.FiledOrganization(r.Context(), accountFrom(r.Context()).Scope(), id)
	if err != nil {
		rs.fail(w, r, err)
		return o, false
	}
	if o.Tier != registry.TierFiled || !o.Status.Live() {
		rs.errorPage(w, r, http.StatusConflict, "无法办理",
			"该组织不是正常状态的镇街备案组织，不能办理变更或注销备案。")
		return o, false
	}
	return o, true
}

func filingChangeView(a *portal.Account, base string, o registry.FiledOrg) web.FilingChangeView {
	return web.FilingChangeView{Page: web.NewPage("变更备案", a, base, ""), Base: base,
		Action: base + "/new-change?org=" + itoa64(o.ID), Problems: map[string]string{},
		Org: web.FiledOrgSummary{Name: o.Name, FilingNo: o.FilingNo},
		Current: []web.FilingValue{{Label: "负责人", Value: o.LeaderName}, {Label: "负责人电话", Value: o.LeaderPhone},
			{Label: "负责人身份证号", Value: o.LeaderID}, {Label: "活动场所", Value: o.Venue},
			{Label: "成员人数", Value: strconv.Itoa(o.Members)}, {Label: "志愿者人数", Value: strconv.Itoa(o.Volunteers)},
			{Label: "活动资金来源", Value: o.Funding}, {Label: "指导单位", Value: o.GuideUnit}},
		LeaderName: web.Field{Value: o.LeaderName}, Venue: web.Field{Value: o.Venue},
		Members: web.Field{Value: strconv.Itoa(o.Members)}, Volunteers: web.Field{Value: strconv.Itoa(o.Volunteers)},
		Funding: web.Field{Value: o.Funding}, GuideUnit: web.Field{Value: o.GuideUnit}}
}

func filingCancelView(a *portal.Account, base string, o registry.FiledOrg) web.FilingCancelView {
	return web.FilingCancelView{Page: web.NewPage("注销备案", a, base, ""), Base: base,
		Action: base + "/new-cancel?org=" + itoa64(o.ID), Problems: map[string]string{},
		Org: web.FiledOrgSummary{Name: o.Name, FilingNo: o.FilingNo}}
}

func handleFilingOrgForm(db filedOrgStore, paths web.Paths, kind registry.FilingKind, rs *responder) http.HandlerFunc {
	base := paths.Filings()
	return func(w http.ResponseWriter, r *http.Request) {
		o, ok := filingOrg(w, r, db, rs)
		if !ok {
			return
		}
		a := accountFrom(r.Context())
		if kind == registry.FilingChange {
			rs.render(w, r, http.StatusOK, web.FilingChangePage(filingChangeView(a, base, o)))
			return
		}
		rs.render(w, r, http.StatusOK, web.FilingCancelPage(filingCancelView(a, base, o)))
	}
}

// handleFilingOrgCreate receives a 变更 or 注销 filing for a filed organization.
func handleFilingOrgCreate(db filedOrgStore, paths web.Paths, kind registry.FilingKind, rs *responder) http.HandlerFunc {
	base := paths.Filings()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		o, ok := filingOrg(w, r, db, rs)
		if !ok {
			return
		}
		a := accountFrom(r.Context())
		f := newForm(r)
		in := registry.FilingInput{Kind: kind, OrgID: o.ID}
		change, cancel := filingChangeView(a, base, o), filingCancelView(a, base, o)
		if kind == registry.FilingChange {
			in = readFilingChange(f, &change, o)
		} else {
			cancel.CancelOn.Value, in.CancelOn = f.date("cancel_on", "注销日期")
			in.Reason = f.text("reason", "注销原因", filingMaxLong, true)
			cancel.Reason.Value = in.Reason
		}
		var id int64
		if f.OK() {
			var err error
			id, err = db.CreateFiling(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), in, nil)
			switch {
			case errors.Is(err, registry.ErrOpenFiling):
				f.Problems.Add("changes", "该组织已有待审核的备案，请先办结后再提交")
			case errors.Is(err, registry.ErrNotFiled):
				f.Problems.Add("changes", "该组织不是正常状态的镇街备案组织")
			case err != nil:
				rs.fail(w, r, err)
				return
			}
		}
		if !f.OK() {
			if kind == registry.FilingChange {
				change.Problems = f.Problems
				for k, msg := range f.Problems {
					filingChangeProblem(&change, k, msg)
				}
				rs.render(w, r, http.StatusUnprocessableEntity, web.FilingChangePage(change))
				return
			}
			cancel.Problems = f.Problems
			cancel.CancelOn.Problem, cancel.Reason.Problem = f.Problems["cancel_on"], f.Problems["reason"]
			rs.render(w, r, http.StatusUnprocessableEntity, web.FilingCancelPage(cancel))
			return
		}
		putFlash(r, web.FilingKindLabel(kind)+"已提交，等待审核。")
		redirect(w, r, base+"/"+itoa64(id))
	}
}

// readFilingChange reads a 变更备案 of o into v (as typed) and the input (as checked). Changes lists, in the
// registry's order, the items that differ from o; a blank phone or ID number means "unchanged", but a new
// leader needs both.
func readFilingChange(f *form, v *web.FilingChangeView, o registry.FiledOrg) registry.FilingInput {
	in := registry.FilingInput{Kind: registry.FilingChange, OrgID: o.ID}
	in.LeaderName = f.text("leader_name", "负责人姓名", 40, true)
	in.Venue = f.text("venue", "活动场所", filingMaxText, true)
	v.Members.Value, in.Members = f.count("members", "成员人数", 1)
	v.Volunteers.Value, in.Volunteers = f.count("volunteers", "志愿者人数", 0)
	in.Funding = f.text("funding", "活动资金来源", filingMaxText, false)
	in.GuideUnit = f.text("guide_unit", "指导单位", filingMaxText, false)
	in.Reason = f.text("reason", "变更说明", filingMaxLong, true)
	in.LeaderPhone, in.LeaderID = readFilingLeader(f, false)
	phone, idNumber := f.value("leader_phone"), strings.TrimSpace(f.raw("leader_id"))
	newLeader := in.LeaderName != o.LeaderName
	if newLeader && phone == "" {
		f.Problems.Add("leader_phone", "更换负责人时须填写新负责人的电话")
	}
	if newLeader && idNumber == "" {
		f.Problems.Add("leader_id", "更换负责人时须填写新负责人的身份证号")
	}
	changed := map[string]bool{"leader_name": newLeader, "leader_phone": phone != "", "leader_id": idNumber != "",
		"venue": in.Venue != o.Venue, "members": in.Members != o.Members, "volunteers": in.Volunteers != o.Volunteers,
		"funding": in.Funding != o.Funding, "guide_unit": in.GuideUnit != o.GuideUnit}
	for _, c := range registry.ChangeItems {
		if changed[c.Key] {
			in.Changes = append(in.Changes, c.Key)
		}
	}
	if f.OK() && len(in.Changes) == 0 {
		f.Problems.Add("changes", "没有填写任何变更：请修改需要变更的项目")
	}
	v.LeaderName.Value, v.LeaderPhone.Value, v.Venue.Value = in.LeaderName, phone, in.Venue
	v.Funding.Value, v.GuideUnit.Value, v.Reason.Value = in.Funding, in.GuideUnit, in.Reason
	return in
}

func filingChangeProblem(v *web.FilingChangeView, field, msg string) {
	fields := map[string]*web.Field{"leader_name": &v.LeaderName, "leader_phone": &v.LeaderPhone,
		"leader_id": &v.LeaderID, "venue": &v.Venue, "members": &v.Members, "volunteers": &v.Volunteers,
		"funding": &v.Funding, "guide_unit": &v.GuideUnit, "reason": &v.Reason}
	if f, ok := fields[field]; ok {
		f.Problem = msg
	}
}

// filingDecider decides filings.
type filingDecider interface {
	filingReader
	ApproveFiling(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int) (registry.Decision, error)
	ReturnFiling(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, reason string) error
}

// msgOwnFiling is why an officer may not decide a filing it submitted (四眼原则).
const msgOwnFiling = "这份备案是您本人提交的。本镇街还有其他在岗工作人员，须由其他工作人员审核（准予备案或退回）。"

// handleFilingApprove decides 准予备案. The version in the form makes two officers acting at once safe: exactly
// one wins, the other gets 409 and nothing of theirs is written (no second organization, no second number).
func handleFilingApprove(db filingDecider, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Filings()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		d, err := db.ApproveFiling(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), id,
			newForm(r).version("version"))
		if errors.Is(err, registry.ErrNameTaken) || errors.Is(err, registry.ErrOwnFiling) || errors.Is(err, registry.ErrNotGuided) {
			v, derr := filingDetail(r.Context(), db, a, base, id, true, "")
			if derr != nil {
				rs.fail(w, r, derr)
				return
			}
			if errors.Is(err, registry.ErrOwnFiling) {
				v.Problems["decision"] = msgOwnFiling
			} else if errors.Is(err, registry.ErrNotGuided) {
				v.Problems["decision"] = msgNotGuided
			} else {
				v.Problems["name"] = "区内已有同名的组织，不能准予备案。请退回并说明需更换名称。"
			}
			rs.render(w, r, http.StatusUnprocessableEntity, web.FilingDetailPage(v))
			return
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		msg := "已准予备案。"
		if d.FilingNo != "" {
			msg = "已准予备案，备案编号：" + d.FilingNo + "。"
		}
		putFlash(r, msg)
		redirect(w, r, base+"/"+itoa64(id))
	}
}

// handleFilingReturn decides 退回 with a required reason.
func handleFilingReturn(db filingDecider, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Filings()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		f := newForm(r)
		reason := f.text("reason", "退回理由", filingMaxLong, true)
		if !f.OK() {
			v, err := filingDetail(r.Context(), db, a, base, id, true, "")
			if err != nil {
				rs.fail(w, r, err)
				return
			}
			v.Problems = f.Problems
			v.ReturnReason = web.Field{Value: reason, Problem: f.Problems["reason"]}
			rs.render(w, r, http.StatusUnprocessableEntity, web.FilingDetailPage(v))
			return
		}
		err := db.ReturnFiling(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), id,
			f.version("version"), reason)
		if errors.Is(err, registry.ErrOwnFiling) {
			v, derr := filingDetail(r.Context(), db, a, base, id, true, "")
			if derr != nil {
				rs.fail(w, r, derr)
				return
			}
			v.Problems["decision"] = msgOwnFiling
			v.ReturnReason = web.Field{Value: reason}
			rs.render(w, r, http.StatusUnprocessableEntity, web.FilingDetailPage(v))
			return
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "备案已退回。")
		redirect(w, r, base+"/"+itoa64(id))
	}
}

type certificateStore interface {
	Certificate(ctx context.Context, scope portal.Scope, filingID int64) (registry.Certificate, error)
}

// handleFilingCertificate shows the printable 备案证明 of an approved filing's organization.
func handleFilingCertificate(db certificateStore, baseURL string, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Filings()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		c, err := db.Certificate(r.Context(), a.Scope(), id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v, err := web.NewCertificate(web.NewPage("备案证明 · "+c.Name, a, base, ""), base+"/"+itoa64(id), c,
			baseURL+"/verify/"+c.VerifyToken)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.CertificatePage(v))
	}
}

type filingVerifier interface {
	Verify(ctx context.Context, token string) (registry.Verification, error)
}

// verifyTokenPattern: 32 hex characters for a filing approved on the portal, 64 for one recorded from paper
// (RecordEstablishFilings); both are printed on certificates, so both must open.
var verifyTokenPattern = regexp.MustCompile(`^[0-9a-f]{32}(?:[0-9a-f]{32})?$`)

// handleFilingVerify is the public check of a 备案证明 that its QR code opens.
func handleFilingVerify(db filingVerifier, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := chi.URLParam(r, "token")
		if !verifyTokenPattern.MatchString(token) {
			rs.notFound(w, r)
			return
		}
		v, err := db.Verify(r.Context(), token)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.VerifyPage(web.NewVerify(web.NewPage("备案核验", accountFrom(r.Context()), "", ""), v)))
	}
}
