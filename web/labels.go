package web

import (
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
)

// auditActions are the audit actions with the words clerks read them by, in the order the filter offers them.
var auditActions = []Option{
	{Value: "login", Label: "登录"},
	{Value: "login.failed", Label: "登录失败"},
	{Value: "login.locked", Label: "锁定期间尝试登录"},
	{Value: "account.lockout", Label: "账号锁定"},
	{Value: "logout", Label: "退出登录"},
	{Value: "account.create", Label: "新建账号"},
	{Value: "account.disable", Label: "停用账号"},
	{Value: "account.enable", Label: "启用账号"},
	{Value: "account.rescope", Label: "调整账号区划"},
	{Value: "account.password", Label: "修改密码"},
	{Value: "account.password_reset", Label: "重置密码"},
	{Value: "account.unlock", Label: "解除锁定"},
	{Value: "division.import", Label: "导入区划"},
	{Value: "org.create", Label: "新建组织档案"},
	{Value: "org.update", Label: "修改组织信息"},
	{Value: "org.status", Label: "变更组织状态"},
	{Value: "org.reveal", Label: "查看完整个人信息"},
	{Value: "org.export", Label: "导出组织名单"},
	{Value: "org.load", Label: "导入演示组织"},
	{Value: "org.import", Label: "台账导入"},
	{Value: "filing.create", Label: "提交备案"},
	{Value: "filing.approve", Label: "准予备案"},
	{Value: "filing.return", Label: "退回备案"},
	{Value: "application.submit", Label: "提交登记申请"},
	{Value: "application.accepted", Label: "受理登记申请"},
	{Value: "application.correction", Label: "退回补正"},
	{Value: "application.approved", Label: "准予登记"},
	{Value: "application.rejected", Label: "不予登记"},
	{Value: "report.create", Label: "填报活动报告"},
	{Value: "report.correct", Label: "更正活动报告"},
	{Value: "report.export", Label: "导出活动报告"},
	{Value: "report.load", Label: "导入演示报告"},
	{Value: "notice.submit", Label: "报告重大活动"},
	{Value: "notice.acknowledge", Label: "确认重大活动"},
	{Value: "notice.request_changes", Label: "要求修改重大活动"},
	{Value: "notice.resubmit", Label: "重新提交重大活动"},
	{Value: "notice.withdraw", Label: "撤回重大活动"},
	{Value: "notice.reveal", Label: "查看联系人电话"},
	{Value: "notice.load", Label: "导入演示重大活动"},
	{Value: "workreport.submit", Label: "报送工作报告"},
	{Value: "workreport.correct", Label: "更正工作报告"},
	{Value: "evaluation.submit", Label: "评估评议"},
	{Value: "access.denied", Label: "越权访问"},
}

// AuditActionLabel is the Chinese label of an audit action.
func AuditActionLabel(action string) string {
	for _, o := range auditActions {
		if o.Value == action {
			return o.Label
		}
	}
	return action
}

// AuditActionOptions is the action filter's choices with selected marked.
func AuditActionOptions(selected string) []Option {
	out := []Option{{Value: "", Label: "全部", Selected: selected == ""}}
	for _, o := range auditActions {
		o.Selected = o.Value == selected
		out = append(out, o)
	}
	return out
}

// auditResultOptions is the result filter's choices (after 全部) with selected marked.
func auditResultOptions(selected string) []Option {
	out := []Option{{Value: portal.ResultOK, Label: "成功"}, {Value: portal.ResultFailed, Label: "失败"},
		{Value: portal.ResultDenied, Label: "拒绝"}}
	for i := range out {
		out[i].Selected = out[i].Value == selected
	}
	return out
}

// ResultLabel is an audit result as a status word and its colour.
func ResultLabel(result string) (string, StatusClass) {
	switch result {
	case portal.ResultOK:
		return "成功", StatusOK
	case portal.ResultFailed:
		return "失败", StatusWarn
	case portal.ResultDenied:
		return "拒绝", StatusBad
	}
	return result, StatusWarn
}

// NewAuditRow formats one audit entry.
func NewAuditRow(e portal.AuditEntry) AuditRow {
	label, class := ResultLabel(e.Result)
	obj := e.ObjectType
	if e.ObjectID != "" {
		obj += " #" + e.ObjectID
	}
	return AuditRow{At: DateTime(e.At), Actor: e.Actor.Username, Tier: e.Actor.Tier.Label(),
		Division: e.Actor.Division, IP: e.Actor.IP, Action: AuditActionLabel(e.Action), Object: obj,
		Result: label, ResultClass: class, Detail: e.Detail}
}

// NewAccountRow formats one account; base is the list's path and now decides whether a lockout is current.
func NewAccountRow(a portal.Account, base string, now time.Time) AccountRow {
	status, class := "正常", StatusOK
	switch {
	case a.Disabled:
		status, class = "已停用", StatusBad
	case a.Locked(now):
		status, class = "已锁定（至 "+DateTimePtr(a.LockedUntil)+"）", StatusWarn
	}
	phone := a.Phone
	if phone == "" {
		phone = "—"
	}
	return AccountRow{ID: a.ID, Username: a.Username, DisplayName: a.DisplayName, TierLabel: a.Tier.Label(), RoleLabel: a.Role.Label(),
		DivisionName: a.DivisionName, DivisionCode: a.DivisionCode, Phone: phone, Status: status,
		StatusClass: class, LastLogin: DateTimePtr(a.LastLoginAt), CreatedAt: DateTime(a.CreatedAt),
		Href: base + "/" + strconv.FormatInt(a.ID, 10)}
}
