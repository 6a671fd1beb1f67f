package server

// Guided → filed on the same record (issue 13): a town starts a 成立备案 from the record of a guided group its
// committee keeps; the form carries the record's id and version, and approval moves that record up a tier.

import (
	"net/http"
	"strconv"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

// msgNotGuided is why a 成立备案 of a guided group can no longer be approved on its record.
const msgNotGuided = "这份成立备案所沿用的村居指导档案已不是正常状态的村居指导组织（已注销、已转为其他层级或已迁出），不能准予备案。请退回并说明情况。"

// guidedToFile reads the guided group named by raw (a ?org= or the form's guided_org) inside the caller's
// jurisdiction: nil when raw is empty; a bad or foreign id answers 404, a group that is not a live guided one
// 409, and false says the answer is written.
func guidedToFile(w http.ResponseWriter, r *http.Request, db filingCreator, raw string, rs *responder) (*registry.Organization, bool) {
	if raw == "" {
		return nil, true
	}
	id, ok := parseID(raw)
	if !ok {
		rs.notFound(w, r)
		return nil, false
	}
	o, err := db.Organization(r.Context(), accountFrom(r.Context()).Scope(), id)
	if err != nil {
		rs.fail(w, r, err)
		return nil, false
	}
	if o.Tier != registry.TierGuided || !o.Status.Live() {
		rs.errorPage(w, r, http.StatusConflict, "无法办理",
			"该组织不是正常状态的村居指导组织，不能按原档案办理成立备案。请返回组织档案查看其当前状态。")
		return nil, false
	}
	return &o, true
}

// guidedCommunity narrows the community choices to the guided group's own: it is filed where it is recorded.
func guidedCommunity(o registry.Organization, communities []portal.Division) []portal.Division {
	for _, c := range communities {
		if c.Code == o.CommunityCode {
			return []portal.Division{c}
		}
	}
	return nil
}

// prefillGuided fills an empty 成立备案 form with what the guided group's record holds. The leader's phone and
// 身份证号 are masked on the record and must be typed again.
func prefillGuided(v *web.FilingFormView, o registry.Organization, paths web.Paths, communities []portal.Division) {
	v.Guided = web.GuidedFiling{ID: o.ID, Version: o.Version, Name: o.Name, Href: paths.Org(o.ID)}
	v.CommunityOptions = filingCommunityOptions(guidedCommunity(o, communities), o.CommunityCode)
	v.Community.Value, v.CommunityPart = o.CommunityCode, o.CommunityName
	v.Zihao.Value, v.Field.Value, v.Form.Value = o.NameParts.Zihao, o.NameParts.Field, o.NameParts.Form
	v.FormOptions = web.Choices(rules.FormUnregistered.Forms(), o.NameParts.Form)
	v.ComposedName = o.Name
	v.ServiceFields = web.Checks(registry.Fields, o.Fields)
	v.Nature.Value, v.NatureOptions = o.Nature, web.Choices(registry.Natures, o.Nature)
	v.Beneficiaries = web.Checks(registry.Beneficiaries, o.Beneficiaries)
	if o.FoundedOn != nil {
		v.FoundedOn.Value = o.FoundedOn.Format(dateLayout)
	}
	v.Venue.Value, v.Funding.Value, v.GuideUnit.Value, v.Charter.Value = o.Venue, o.Funding, o.GuideUnit, o.Charter
	v.Members.Value, v.Volunteers.Value = strconv.Itoa(o.Members), strconv.Itoa(o.Volunteers)
	v.PartyStatus.Value, v.PartyOptions = o.PartyStatus, web.Choices(registry.PartyStatuses, o.PartyStatus)
	v.PartyMembers.Value = strconv.Itoa(o.PartyMembers)
	v.LeaderName.Value, v.PublishContact = o.LeaderName, o.PublishContact
}
