package seed

// Demo registration applications (登记申请), one or more in every state, submitted and worked by the demo
// accounts through the store, so that each carries the history a real one would.

import (
	"context"
	"fmt"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// demoApplication is one demo application: who submits it, for which community (or the first group of the
// submitter's that may apply, when forExisting), and how far the district has taken it.
type demoApplication struct {
	submitter   string
	community   string
	forExisting bool
	legal       rules.LegalForm
	zihao       string
	field, form string
	service     string
	nature      string
	leader      string
	venue       string
	members     int
	supervisor  string
	statement   string
	to          registry.ApplicationStatus
	note        string // the correction asked for, or the reason of a rejection
}

// demoApplications use 字号 that the demo organizations do not, so that approving one never meets a name in use.
func demoApplications() []demoApplication {
	second := applicationSecondCommunity(TownShuanglonghu)
	return []demoApplication{
		{submitter: "demo-community", community: CommunityDemo, legal: rules.FormSocialGroup, zihao: "和睦",
			field: "邻里互助", form: "协会", service: "邻里互助", nature: "互助性", leader: "冉建国", venue: "社区党群服务中心三楼",
			members: 56, supervisor: "双龙湖街道办事处", statement: "协会成立两年，活动规范，申请登记为社会团体。",
			to: registry.AppSubmitted},
		{submitter: "demo-town", community: second, legal: rules.FormPrivateNonEnterprise, zihao: "嘉禾",
			field: "养老服务", form: "中心", service: "养老照护", nature: "服务性", leader: "谭淑华", venue: "社区养老服务站一楼",
			members: 12, supervisor: "双龙湖街道办事处", statement: "为辖区高龄、空巢老人提供助餐助洁服务。",
			to: registry.AppAccepted},
		{submitter: "demo-town", community: CommunityDemo, forExisting: true, legal: rules.FormSocialGroup,
			zihao: "锦绣", field: "文化艺术", form: "促进会", service: "文体娱乐", nature: "公益性", leader: "向明亮",
			venue: "社区文化广场", members: 68, supervisor: "双龙湖街道办事处", statement: "已备案多年，成员稳定，申请登记。",
			to: registry.AppCorrection, note: "请写明活动场所的门牌号，并补充说明负责人的产生方式。"},
		{submitter: "demo-community", community: CommunityDemo, legal: rules.FormSocialGroup, zihao: "同舟",
			field: "志愿服务", form: "联合会", service: "志愿服务", nature: "公益性", leader: "邓晓燕",
			venue: "社区新时代文明实践站", members: 120, supervisor: "双龙湖街道办事处",
			statement: "联合辖区志愿服务队伍，申请登记为社会团体。", to: registry.AppApproved},
		{submitter: "demo-town", community: second, legal: rules.FormPrivateNonEnterprise, zihao: "安康",
			field: "康复", form: "中心", service: "助残服务", nature: "服务性", leader: "罗家贵", venue: "社区卫生服务站旁",
			members: 8, supervisor: "双龙湖街道办事处", statement: "拟开展残疾人康复训练服务。", to: registry.AppRejected,
			note: "拟开展的康复训练属医疗服务，未取得卫生健康部门的执业许可，不符合登记条件。"},
		{submitter: "demo-town2", community: CommunityDemoRural, legal: rules.FormSocialGroup, zihao: "长乐",
			field: "农技", form: "协会", service: "农业农村服务", nature: "互助性", leader: "冉成林", venue: "村便民服务中心",
			members: 64, supervisor: "统景镇人民政府", statement: "组织村民交流种植技术，申请登记。", to: registry.AppSubmitted},
	}
}

// applicationSecondCommunity is the second demo community of a town, so the town's applications are not all in one.
func applicationSecondCommunity(town string) string {
	n := 0
	for _, c := range DemoCommunities(Towns()) {
		if c.ParentCode == town {
			if n++; n == 2 {
				return c.Code
			}
		}
	}
	return CommunityDemo
}

// LoadDemoApplications submits the demo applications as the demo accounts and takes each as far as its state,
// as demo-district. LoadDemo calls it once, after the demo organizations, since one application is for an
// existing group.
func LoadDemoApplications(ctx context.Context, db *postgres.DB) error {
	district, err := applicationActor(ctx, db, "demo-district")
	if err != nil {
		return err
	}
	districtScope := portal.Scope{Tier: portal.TierDistrict, Division: DistrictCode}
	for i, d := range demoApplications() {
		submitter, err := applicationActor(ctx, db, d.submitter)
		if err != nil {
			return err
		}
		scope := portal.Scope{Tier: submitter.Tier, Division: submitter.Division}
		in := registry.ApplicationInput{CommunityCode: d.community, LegalForm: d.legal,
			NameParts: rules.NameParts{Zihao: d.zihao, Field: d.field, Form: d.form}, Fields: []string{d.service},
			Nature: d.nature, LeaderName: d.leader, LeaderPhone: fmt.Sprintf("1391702%04d", 3100+i),
			LeaderID: rules.MakeIDNumber(fmt.Sprintf("5001121978%02d%02d%03d", 1+i%12, 10+i, 200+i)),
			Venue:    d.venue, Members: d.members, Supervisor: d.supervisor, Statement: d.statement}
		if d.forExisting {
			orgs, err := db.ApplicableOrgs(ctx, portal.Scope{Tier: portal.TierCommunity, Division: d.community}, 1)
			if err != nil {
				return err
			}
			// Without demo organizations the application is for a new group; it shows the same workflow.
			if len(orgs) > 0 {
				in.OrgID = orgs[0].ID
			}
		}
		place, err := db.CommunityPlace(ctx, scope, d.community)
		if err != nil {
			return err
		}
		in.NameParts.Prefix, in.NameParts.Community = place.DistrictName+place.TownName, place.CommunityName
		if p := rules.CheckName(in.NameParts, in.LegalForm, place.CommunityName); !p.OK() {
			return fmt.Errorf("demo application %d: name %s: %v", i, rules.ComposeName(in.NameParts), p)
		}
		id, err := db.CreateApplication(ctx, scope, submitter, in)
		if err != nil {
			return fmt.Errorf("demo application %d: %w", i, err)
		}
		if d.to == registry.AppSubmitted {
			continue
		}
		if err := db.AcceptApplication(ctx, districtScope, district, id, 1); err != nil {
			return err
		}
		switch d.to {
		case registry.AppCorrection:
			err = db.ReturnApplication(ctx, districtScope, district, id, 2, d.note)
		case registry.AppApproved:
			_, err = db.ApproveApplication(ctx, districtScope, district, id, 2,
				rules.MakeUSCC(d.legal, DistrictCode, fmt.Sprintf("MJT%05d", 10+i)))
		case registry.AppRejected:
			err = db.RejectApplication(ctx, districtScope, district, id, 2, d.note)
		}
		if err != nil {
			return fmt.Errorf("demo application %d: %w", i, err)
		}
	}
	return nil
}

// applicationActor is a demo account acting from the command line.
func applicationActor(ctx context.Context, db *postgres.DB, username string) (portal.Actor, error) {
	a, _, err := db.AccountForLogin(ctx, username)
	if err != nil {
		return portal.Actor{}, fmt.Errorf("demo account %s: %w", username, err)
	}
	return portal.ActorOf(a, "local"), nil
}
