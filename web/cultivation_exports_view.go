package web

// Columns of the per-list spreadsheets of the cultivation pages: contracts, a round's applications and awards,
// and a room's bookings.

import (
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/registry"
)

// ContractExportHeader are the columns of the contracts' spreadsheet.
var ContractExportHeader = []string{"项目", "承接的社会组织", "代为承接的平台", "购买方", "主题系列", "服务对象",
	"合同金额（元）", "已支付（元）", "服务期限自", "至", "签订日期", "状态", "验收日期"}

// ContractExportCells is one contract's row; amounts are exact yuan with fen, as text the spreadsheet keeps.
func ContractExportCells(c registry.Contract) []any {
	accepted := ""
	if c.AcceptedOn != nil {
		accepted = Date(*c.AcceptedOn)
	}
	return []any{c.Project, c.OrgName, c.PlatformName, c.DivisionName, c.Series, strings.Join(c.Beneficiaries, "、"),
		c.Amount.Plain(), c.Paid.Plain(), Date(c.StartsOn), Date(c.EndsOn), Date(c.SignedOn),
		registry.ContractStatusLabel(c.Status), accepted}
}

// VentureExportHeader are the columns of a round's applications and awards.
var VentureExportHeader = []string{"社会组织", "主题系列", "项目", "服务对象", "申请金额（元）", "评审人数", "平均分", "状态",
	"立项金额（元）", "立项日期", "进展", "结项报告", "评价"}

// VentureExportCells is one application's row.
func VentureExportCells(a registry.VentureApplication) []any {
	average, awarded, on := "", "", ""
	if a.Reviewers > 0 {
		average = strconv.FormatFloat(a.Average, 'f', 1, 64)
	}
	if a.AwardedAmount > 0 {
		awarded = a.AwardedAmount.Plain()
	}
	if a.AwardedOn != nil {
		on = Date(*a.AwardedOn)
	}
	return []any{a.OrgName, a.Theme, a.Project, strings.Join(a.Beneficiaries, "、"), a.Requested.Plain(), a.Reviewers,
		average, VentureStatusLabel(a.Status), awarded, on, a.Progress, a.FinalReport, a.Evaluation}
}

// BookingExportHeader are the columns of a room's bookings.
var BookingExportHeader = []string{"活动室", "社会组织", "活动", "开始", "结束", "预约人", "预约单位", "预约时间", "状态", "取消原因"}

// BookingExportCells is one booking's row, times in 北京时间.
func BookingExportCells(b registry.Booking) []any {
	status := "已预约"
	if b.Status != registry.BookingBooked {
		status = "已取消"
	}
	return []any{b.RoomName, b.OrgName, b.Title, DateTime(b.Starts), DateTime(b.Ends), b.BookedName, b.BookedDivision,
		DateTime(b.BookedAt), status, b.CancelReason}
}

// ContractsExport, RoundExport and RoomBookingsExport are the spreadsheets' addresses.
func (p Paths) ContractsExport() string { return p.Funding() + "/contracts.xlsx" }
func (p Paths) RoundExport(id int64) string {
	return p.RoundPage(id) + "/applications.xlsx"
}
func (p Paths) RoomBookingsExport(platformID, roomID int64) string {
	return p.Room(platformID, roomID) + "/bookings.xlsx"
}

// PlatformExportHeader are the columns of the platforms' register.
var PlatformExportHeader = []string{"名称", "类型", "所属", "地址", "开放时间", "服务内容", "工作人员数（人）", "联系人",
	"运营方式", "运营机构", "运营机构类型", "委托期限自", "至", "委托协议编号", "活动室（间）"}

// PlatformExportCells is one platform's row; counts stay numbers.
func PlatformExportCells(p registry.Platform) []any {
	from, to := "", ""
	if p.ContractFrom != nil {
		from = Date(*p.ContractFrom)
	}
	if p.ContractTo != nil {
		to = Date(*p.ContractTo)
	}
	return []any{p.Name, p.Kind, p.DivisionName, p.Address, p.Hours, strings.Join(p.Services, "、"), p.StaffCount,
		p.ContactName, registry.RunByLabel(p.RunBy), p.OperatorName, p.OperatorKind, from, to, p.ContractNo, p.Rooms}
}

// LedgerExportHeader are the columns of a fund's ledger.
var LedgerExportHeader = []string{"日期", "类型", "收入（元）", "支出（元）", "余额（元）", "捐赠方", "受助社会组织", "主题系列", "用途"}

// LedgerExport is a fund's ledger as spreadsheet rows, oldest first, each with the balance after it, and a last
// row of the totals: income, spending and the balance.
func LedgerExport(ms []registry.Movement) [][]any {
	var in, out, balance registry.Fen
	rows := make([][]any, 0, len(ms)+1)
	for _, m := range ms {
		income, spent := m.Amount.Plain(), ""
		if m.Kind == registry.MovementGrant {
			income, spent = "", m.Amount.Plain()
			out += m.Amount
			balance -= m.Amount
		} else {
			in += m.Amount
			balance += m.Amount
		}
		rows = append(rows, []any{Date(m.On), registry.MovementLabel(m.Kind), income, spent, balance.Plain(), m.Donor,
			m.OrgName, m.Series, m.Purpose})
	}
	return append(rows, []any{"合计", "", in.Plain(), out.Plain(), balance.Plain(), "", "", "", ""})
}

// PlatformsExport and FundLedgerExport are the spreadsheets' addresses.
func (p Paths) PlatformsExport() string          { return p.Platforms() + ".xlsx" }
func (p Paths) FundLedgerExport(id int64) string { return p.FundPage(id) + "/ledger.xlsx" }

// FundsExportHeader are the columns of the 工作基金 list on the money overview.
var FundsExportHeader = []string{"基金", "设立单位", "余额（元）"}

// FundExportCells is one fund's row, its balance exact yuan with fen.
func FundExportCells(f registry.Fund) []any {
	return []any{f.Name, f.DivisionName, f.Balance.Plain()}
}

// RoundsExportHeader are the columns of the 公益创投 list on the money overview.
var RoundsExportHeader = []string{"名称", "发布单位", "主题系列", "资助总额（元）", "已立项（元）", "申报期自", "至", "状态"}

// RoundExportCells is one round's row.
func RoundExportCells(r registry.Round) []any {
	return []any{r.Title, r.DivisionName, strings.Join(r.Themes, "、"), r.Budget.Plain(), r.Awarded.Plain(),
		Date(r.OpensOn), Date(r.ClosesOn), RoundStatusLabel(r.Status)}
}
