package server

// Irreversible steps confirm without JavaScript too (issue 17). Their forms carry confirm_step=0 and a dialog
// (data-confirm); app.js sets the field to 1 when the clerk answers 确定. A browser that ran no script sends 0,
// and the step answers with a confirmation page that repeats the form, confirmed, instead of acting. A request
// without the field (a client that is not the portal's page) goes to the step as before, which checks it as it
// always did.

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/yubei-cso/portal/web"
)

// confirmStep is what the confirmation page of one step says.
type confirmStep struct {
	heading, message, button string
}

// confirmSteps are the irreversible steps that ask first, by their route pattern inside a tier's area.
var confirmSteps = map[string]confirmStep{
	"/cases/{id}/publish":            {"发布典型案例", "发布后该案例将在公众网站的典型案例中展示。", "确定发布"},
	"/cases/{id}/withdraw":           {"撤下典型案例", "撤下后公众网站不再展示该案例，撤下不能撤回。", "确定撤下"},
	"/divisions/{code}/retire":       {"撤销社区（村）", "撤销后该社区（村）不再用于新的记录，撤销不可恢复；已有记录仍保留原名称。", "确定撤销"},
	"/orgs/{id}/end":                 {"注销村居指导组织", "注销后该组织不再存续，注销不可恢复；组织档案仍保留可查。", "确定注销"},
	"/orgs/{id}/status":              {"变更组织状态", "状态变更将记入组织档案时间线和审计日志。", "确定变更"},
	"/filings/{id}/approve":          {"准予备案", "准予后将生效并写入组织档案，不能撤回。", "确定准予"},
	"/filings/{id}/return":           {"退回备案", "退回后本次备案办结，需重新提交。", "确定退回"},
	"/applications/{id}/accept":      {"受理登记申请", "受理后可以退回补正、准予登记或不予登记，受理不能撤回。", "确定受理"},
	"/applications/{id}/return":      {"退回补正", "退回后由申请单位补正并重新提交。", "确定退回"},
	"/applications/{id}/reject":      {"不予登记", "不予登记后本申请办结，不能撤回。", "确定不予登记"},
	"/notices/{id}/acknowledge":      {"确认重大活动报告", "确认后村(居)委会将收到确认结果，确认不能撤回。", "确定确认"},
	"/notices/{id}/request-changes":  {"要求修改重大活动报告", "村(居)委会将按要求修改后重新提交。", "确定要求修改"},
	"/notices/{id}/withdraw":         {"撤回重大活动报告", "撤回后该报告不再办理，不能恢复。", "确定撤回"},
	"/orgs/import/jobs/{id}/confirm": {"确认导入台账", "确认后台账中的组织将全部写入组织名录。", "确定导入"},
	"/work-reports/mark-abnormal":    {"标记活动异常", "组织状态将变为“活动异常”，并记入其档案。", "确定标记"},
}

// confirmStepMax is the most of a form body the confirmation step reads to find its field; a larger body goes to
// the step untouched, under the step's own limit.
const confirmStepMax = 64 << 10

// wrap answers a form sent with confirm_step=0 with the confirmation page; any other request goes to next with
// its body as it came.
func (c confirmStep) wrap(rs *responder, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct != "application/x-www-form-urlencoded" {
			next(w, r)
			return
		}
		head, err := io.ReadAll(io.LimitReader(r.Body, confirmStepMax+1))
		if err != nil {
			rs.errorPage(w, r, http.StatusBadRequest, "请求不完整", "请返回重新提交。")
			return
		}
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
		if len(head) > confirmStepMax {
			next(w, r)
			return
		}
		form, err := url.ParseQuery(string(head))
		if err != nil || form.Get(web.ConfirmStepName) != "0" {
			next(w, r)
			return
		}
		back := r.URL.Path[:strings.LastIndex(r.URL.Path, "/")]
		v := web.ConfirmStepView{Page: web.NewPage(c.heading, accountFrom(r.Context()), back, ""),
			Heading: c.heading, Message: c.message, Action: r.URL.Path, Button: c.button, BackHref: back}
		names := make([]string, 0, len(form))
		for k := range form {
			if k != web.ConfirmStepName {
				names = append(names, k)
			}
		}
		sort.Strings(names)
		for _, k := range names {
			for _, x := range form[k] {
				v.Fields = append(v.Fields, web.HiddenField{Name: k, Value: x})
			}
		}
		rs.render(w, r, http.StatusOK, web.ConfirmStepPage(v))
	}
}
