package seed

// Demo 通知公告 and 政策文件: the district's 2021 action plan is the first policy document (its text is a public
// government document), with a few notices of the district and of 双龙湖街道.

import (
	"context"
	_ "embed"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

//go:embed yubei-cso-action-plan-2021.txt
var actionPlan2021 string

// LoadDemoAnnouncements publishes the action plan, dated the day it was issued, and the demo notices.
func LoadDemoAnnouncements(ctx context.Context, db *postgres.DB, now time.Time) error {
	plan := registry.AnnouncementInput{Kind: registry.KindPolicy,
		Title: "关于印发《培育发展渝北区社区社会组织专项行动实施方案（2021-2023年）》的通知",
		DocNo: "渝北民〔2021〕114号", Body: strings.TrimSpace(actionPlan2021)}
	if err := db.LoadAnnouncement(ctx, DistrictCode, system, plan, time.Date(2021, 7, 21, 9, 0, 0, 0, portal.Beijing)); err != nil {
		return err
	}
	notices := []struct {
		author, title, body string
		daysAgo             int
	}{
		{DistrictCode, "关于开展社区社会组织骨干人才培训的通知",
			"各镇人民政府、街道办事处：\n为提升社区社会组织负责人和骨干的能力，区民政局将分期举办骨干人才培训。请各镇街组织辖区社区社会组织推荐学员，于本月底前报送名单。\n（演示数据）", 20},
		{DistrictCode, "关于征集社区社会组织典型案例的通知",
			"各镇人民政府、街道办事处：\n为加强典型引领，请各镇街围绕邻里守望、共建共治共享、共创平安、文化铸魂等主题，撰写本镇街社区社会组织典型案例，通过本平台提交。\n（演示数据）", 9},
		{TownShuanglonghu, "双龙湖街道社区社会组织公益服务月活动安排",
			"各社区：\n本月为街道社区社会组织公益服务月，请各社区组织辖区社区社会组织开展为老服务、环境整治等公益活动，并及时填报活动报告。\n（演示数据）", 5},
	}
	for _, n := range notices {
		in := registry.AnnouncementInput{Kind: registry.KindNotice, Title: n.title, Body: n.body}
		if err := db.LoadAnnouncement(ctx, n.author, system, in, now.AddDate(0, 0, -n.daysAgo)); err != nil {
			return err
		}
	}
	return nil
}
