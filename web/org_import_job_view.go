package web

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/ledger"
)

// OrgImportJobView is the page of a 台账 job: its progress while it runs (the page then reloads itself), and
// afterwards what the check found or the import did.
type OrgImportJobView struct {
	Page
	Filename    string
	Status      string // one word for where the job stands: 检查中, 排队中, 待确认, 导入中, 已完成, 未通过, 失败, 中断, 已失效
	StatusClass StatusClass
	State       string // the shown state's code (ledger.JobState, or "expired")
	Running     bool
	Progress    OrgImportProgress // while Running
	Ready       bool              // checked clean: the preview and the confirmation
	Preview     OrgImportPreview
	Confirm     string // where the confirmation is posted
	// ConfirmText is what the browser asks before the confirmation is sent.
	ConfirmText string
	Imported    string // 已导入 N 个组织, once done
	Notice      string // why the job stopped, when it did not finish
	// Form is the upload form again, with the check's problems, when the clerk must upload a file again.
	Form     *OrgImportView
	ListHref string
}

// OrgImportProgress is a running job's progress bar and its words.
type OrgImportProgress struct {
	Value   int
	Max     int    // 0 when the total is not known: the bar then shows activity without an amount
	Text    string // 已检查 12,000 / 100,000 行
	Percent string // 12%
	Note    string // what the job does beyond counting rows
}

// refreshSeconds is how often a running job's page reloads itself.
const refreshSeconds = 2

// NewOrgImportJob builds the page of job j; form is the upload form of the clerk's tier, confirm where the
// confirmation goes.
func NewOrgImportJob(p Page, j ledger.Job, form OrgImportView, confirm string) OrgImportJobView {
	v := OrgImportJobView{Page: p, Filename: j.Filename, State: string(j.State), ListHref: form.ListHref}
	again := func(notice string) {
		form.Filename = j.Filename
		v.Notice, v.Form = notice, &form
	}
	switch j.State {
	case ledger.JobChecking, ledger.JobImporting:
		v.Running, v.Page.Refresh = true, refreshSeconds
		v.Status, v.Progress = runningProgress(j)
	case ledger.JobReady:
		if j.Expired {
			v.Status, v.State = "已失效", "expired"
			again("检查结果保留 1 小时，已过期失效，没有导入任何组织。请重新上传台账。")
			break
		}
		v.Status, v.Ready, v.Preview, v.Confirm = "待确认", true, newOrgImportPreview(j.Result), confirm
		v.ConfirmText = "确定导入这 " + groupDigits(j.Result.Rows) + " 个组织吗？导入后可在组织列表中逐个查看和修改。"
	case ledger.JobRejected:
		v.Status = "未通过"
		form.SetProblems(j.Result)
		again("")
	case ledger.JobFailed:
		v.Status = "失败"
		form.FileProblem = j.Message
		again("")
	case ledger.JobInterrupted:
		v.Status = "中断"
		again("处理过程中服务器停止了运行，本次检查或导入已中断，没有导入任何组织。请重新上传台账。")
	case ledger.JobDone:
		v.Status, v.Imported = "已完成", "已导入 "+groupDigits(j.Imported)+" 个组织。"
	}
	switch {
	case v.Running:
		v.StatusClass = StatusWarn
	case v.Ready || v.Imported != "":
		v.StatusClass = StatusOK
	default:
		v.StatusClass = StatusBad
	}
	return v
}

// runningProgress is the status word and the progress of a job that is checking or importing.
func runningProgress(j ledger.Job) (string, OrgImportProgress) {
	verb, status := "已检查", "检查中"
	if j.State == ledger.JobImporting {
		verb, status = "已导入", "导入中"
	}
	pr := OrgImportProgress{Value: min(j.RowsDone, j.RowsTotal), Max: j.RowsTotal}
	switch {
	case j.Waiting:
		status = "排队中"
		pr.Note = "本服务器正在处理其他台账，轮到后自动开始，请稍候。"
	case j.State == ledger.JobChecking && j.RowsTotal > 0 && j.RowsDone >= j.RowsTotal:
		pr.Note = "各行已检查完毕，正在核对名称是否已被区内其他组织使用，并保存检查结果……"
	case j.State == ledger.JobImporting && j.RowsDone == 0:
		pr.Note = "正在准备数据……"
	}
	if j.State == ledger.JobImporting {
		pr.Note += "全部导入在一个事务中完成：完成之前组织列表中不会出现这些组织，中途出错则一个也不会导入。"
	}
	if j.RowsTotal == 0 {
		pr.Text = verb + " " + groupDigits(j.RowsDone) + " 行"
		return status, pr
	}
	pr.Text = verb + " " + groupDigits(pr.Value) + " / " + groupDigits(j.RowsTotal) + " 行"
	pr.Percent = strconv.Itoa(pr.Value*100/j.RowsTotal) + "%"
	return status, pr
}
