package web

import "github.com/yubei-cso/portal/internal/registry"

// ApplicationApproveConfirmView is the confirmation of 准予登记 with a checked 统一社会信用代码.
type ApplicationApproveConfirmView struct {
	Page
	Href      string // the application
	Number    string
	Name      string
	LegalForm string
	USCC      string
	Version   int
	Confirm   string
}

// NewApplicationApproveConfirm asks to confirm approving a (shown as d) with the checked code uscc.
func NewApplicationApproveConfirm(d ApplicationDetailView, a registry.Application, uscc string) ApplicationApproveConfirmView {
	return ApplicationApproveConfirmView{Page: d.Page, Href: d.Href, Number: d.Number, Name: d.Name,
		LegalForm: string(a.LegalForm), USCC: uscc, Version: a.Version, Confirm: d.ApproveConfirm()}
}
