package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

// registrationChanger is what the district's 变更登记 needs.
type registrationChanger interface {
	Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error)
	ChangeRegistration(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, c registry.RegistrationChange) ([]string, error)
}

const registrationIDHint = "留空则保持原号码不变（当前：%s）。出于个人信息保护，提交出错时身份证号不会回显，需要重新填写。"

// changeableRegistration loads the live registered group the request names; any other group is 404.
func changeableRegistration(r *http.Request, db registrationChanger, scope portal.Scope) (registry.Organization, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return registry.Organization{}, portal.ErrNotFound
	}
	o, err := db.Organization(r.Context(), scope, id)
	if err == nil && !registry.MayChangeRegistration(o) {
		err = portal.ErrNotFound
	}
	return o, err
}

// registrationChangeView is the 变更登记 form prefilled with o's particulars.
func registrationChangeView(a *portal.Account, base string, o registry.Organization) web.RegistrationChangeView {
	href := orgHref(base, o.ID)
	return web.RegistrationChangeView{Page: web.NewPage("变更登记 "+o.Name, a, base+"/orgs", ""),
		OrgName: o.Name, OrgHref: href, Action: href + "/registration", Version: o.Version,
		LegalForm: web.Field{Value: string(o.LegalForm)}, LegalFormOptions: web.ApplicationLegalFormChoices(string(o.LegalForm)),
		Prefix: o.NameParts.Prefix, Community: o.NameParts.Community, ComposedName: o.Name,
		Zihao: web.Field{Value: o.NameParts.Zihao}, NameField: web.Field{Value: o.NameParts.Field},
		Form: web.Field{Value: o.NameParts.Form}, USCC: web.Field{Value: o.USCC},
		LeaderName: web.Field{Value: o.LeaderName},
		IDHint:     strings.Replace(registrationIDHint, "%s", dashIfEmpty(o.LeaderID), 1),
		Problems:   map[string]string{}}
}

func handleRegistrationChangeForm(db registrationChanger, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		o, err := changeableRegistration(r, db, a.Scope())
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.RegistrationChangePage(registrationChangeView(a, base, o)))
	}
}

// handleRegistrationChange records a 变更登记: the particulars are checked by the same rules as a 登记申请 and its
// 准予登记 (name, code, 身份证号); the version is the one the clerk saw, and a stale or missing one is 409.
func handleRegistrationChange(db registrationChanger, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "提交的内容过多", "提交的内容超过了允许的大小，请精简后重试。")
			return
		}
		a := accountFrom(r.Context())
		scope := a.Scope()
		o, err := changeableRegistration(r, db, scope)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		f := newForm(r)
		version := f.version("version")
		if version != o.Version {
			rs.conflict(w, r)
			return
		}
		v := registrationChangeView(a, base, o)
		c := readRegistrationChange(f, &v, o)
		var changed []string
		if f.OK() {
			changed, err = db.ChangeRegistration(r.Context(), scope, portal.ActorOf(*a, clientIPFrom(r.Context())), o.ID, version, c)
			switch {
			case errors.Is(err, registry.ErrNameTaken):
				f.Problems.Add(rules.KeyName, msgNameTaken)
			case errors.Is(err, registry.ErrUSCCTaken):
				f.Problems.Add("uscc", "该统一社会信用代码已由区内其他组织使用，请核对")
			case err != nil:
				rs.fail(w, r, err)
				return
			}
		}
		if !f.OK() {
			v.SetProblems(f.Problems)
			rs.render(w, r, http.StatusUnprocessableEntity, web.RegistrationChangePage(v))
			return
		}
		if len(changed) == 0 {
			putFlash(r, "登记事项与原来相同，没有办理变更。")
		} else {
			putFlash(r, "已办理变更登记，变更了："+strings.Join(changed, "、")+"。")
		}
		redirect(w, r, orgHref(base, o.ID))
	}
}

// readRegistrationChange reads the form into v (as typed, the 身份证号 aside) and the change (as checked).
func readRegistrationChange(f *form, v *web.RegistrationChangeView, o registry.Organization) registry.RegistrationChange {
	c := registry.RegistrationChange{LegalForm: rules.LegalForm(f.value("legal_form"))}
	v.LegalForm.Value, v.LegalFormOptions = string(c.LegalForm), web.ApplicationLegalFormChoices(string(c.LegalForm))
	legalOK := slices.Contains(web.ApplicationLegalForms, c.LegalForm)
	if !legalOK {
		f.Problems.Add("legal_form", "请选择组织类别（社会团体、民办非企业单位或基金会）")
	}
	c.NameParts = rules.NameParts{Prefix: o.NameParts.Prefix, Community: o.NameParts.Community,
		Zihao: f.value("zihao"), Field: f.value("field"), Form: f.value("form")}
	v.Zihao.Value, v.NameField.Value, v.Form.Value = c.NameParts.Zihao, c.NameParts.Field, c.NameParts.Form
	v.ComposedName = rules.ComposeName(c.NameParts)
	for k, msg := range rules.CheckName(c.NameParts, c.LegalForm, o.NameParts.Community) {
		if k == rules.KeyForm && !legalOK {
			continue // the legal form has its own message
		}
		f.Problems.Add(k, msg)
	}
	checkNamePartLengths(c.NameParts, f.Problems)
	c.USCC = rules.NormalizeUSCC(f.value("uscc"))
	v.USCC.Value = f.value("uscc")
	if legalOK {
		if err := rules.CheckUSCC(c.USCC, c.LegalForm, o.CommunityCode[:6]); err != nil {
			f.Problems.Add("uscc", err.Error())
		}
	}
	c.LeaderName = f.text("leader_name", "负责人姓名", 40, true)
	v.LeaderName.Value = c.LeaderName
	if id := f.raw("id_number"); strings.TrimSpace(id) != "" {
		if err := rules.CheckIDNumber(id, f.now); err != nil {
			f.Problems.Add("id_number", "负责人身份证号："+err.Error()+"（请重新填写）")
		}
		c.LeaderID = rules.NormalizeIDNumber(id)
	}
	c.Reason = f.text("reason", "变更事项及依据", 500, true)
	v.Reason.Value = c.Reason
	return c
}

// checkNamePartLengths adds to p a message at each typed part of a name (字号, 业务领域, 组织形式) longer than 20
// characters: every form that takes name parts bounds them alike.
func checkNamePartLengths(parts rules.NameParts, p rules.Problems) {
	for key, part := range map[string]string{rules.KeyZihao: parts.Zihao, rules.KeyField: parts.Field,
		rules.KeyForm: parts.Form} {
		if utf8.RuneCountInString(part) > 20 {
			p.Add(key, "每一部分不能超过 20 字")
		}
	}
}
