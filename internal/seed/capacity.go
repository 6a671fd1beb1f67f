package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// demoTrainingTowns are the towns given training demo data: the two demo towns and two more.
var demoTrainingTowns = []string{TownShuanglonghu, TownTongjing, "500112004", "500112007"}

// LoadDemoTraining gives several towns a training plan for this year and last, sessions this year and people
// attending them — some of them several times, a few holding a 社会工作者职业资格 — drawn from the leaders of about
// half of each town's live groups, so the reach pages show both reached groups and groups still to reach.
// Everything goes through the same store methods as the pages.
func LoadDemoTraining(ctx context.Context, db *postgres.DB, now time.Time) error {
	now = now.In(portal.Beijing)
	year := now.Year()
	var toDistrict []registry.AttendeeInput // people of every town at the district's own session
	districtRoom, err := districtTrainingRoom(ctx, db)
	if err != nil {
		return err
	}
	for ti, town := range demoTrainingTowns {
		scope := portal.Scope{Tier: portal.TierTown, Division: town}
		actor := portal.Actor{Username: "demo-seed", Tier: portal.TierTown, Division: town, IP: "local"}
		for _, y := range []int{year - 1, year} {
			plan := registry.TrainingPlanInput{Year: y, Quarters: [4]int{1 + ti%2, 2, 1, 1 + (ti+1)%2},
				Audiences: registry.TraineeRoles[:3+ti%3], Topics: []string{"党的建设", "能力建设", "日常运作", "社会工作知识"},
				Note: "依托镇街社会工作服务站，采取示范培训与网上课堂相结合的方式开展。"}
			if _, err := db.SaveTrainingPlan(ctx, scope, actor, plan); err != nil {
				return fmt.Errorf("demo training plan %s %d: %w", town, y, err)
			}
		}
		groups, err := db.UnreachedOrgs(ctx, scope, year, 0, 500)
		if err != nil {
			return err
		}
		titles := []string{"社区社会组织负责人能力提升培训", "社会工作专业知识网上课堂", "社区社会组织规范运作专题培训"}
		modes := []string{"示范培训", "网上课堂", "示范培训"}
		topics := [][]string{{"能力建设", "党的建设"}, {"社会工作知识"}, {"日常运作"}}
		for si := range titles {
			// sessions spread over the year so far: the first in its first quarter, the last a month ago
			month := 1 + si*max(int(now.Month())-2, 0)/len(titles)
			start := time.Date(year, time.Month(month), 10+ti, 9, 0, 0, 0, portal.Beijing)
			in := registry.SessionInput{Title: titles[si], OrganizerKind: "镇街", Organizer: "镇街社会工作服务站",
				Start: start, End: start.Add(3 * time.Hour), Hours: 2.5 + float64(si%2)*0.5, Mode: modes[si],
				Topics: topics[si], Venue: "镇街党群服务中心会议室", Materials: "课件《社区社会组织规范化建设》"}
			if si == 0 {
				// the 示范培训 is held in a room of the town's support platform, where it has one
				if in.RoomID = firstRoom(ctx, db, scope); in.RoomID != 0 {
					in.Venue = ""
				}
			}
			if si == 2 && ti == 0 {
				// and the first town's 专题培训 in the district's 孵化基地
				in.RoomID, in.Venue = districtRoom, ""
			}
			id, err := db.CreateTrainingSession(ctx, scope, actor, matchingSeen(ctx, db, scope, actor, registry.TokenSession), in)
			if err != nil {
				return fmt.Errorf("demo training session %s: %w", town, err)
			}
			var people []registry.AttendeeInput
			for gi, g := range groups {
				// half of the groups are reached; the first quarter of them attend every session
				if gi%2 == 1 || gi/2 > 2+si*2 {
					continue
				}
				p := registry.AttendeeInput{Name: demoTraineeName(ti, gi), Role: "社区社会组织负责人", OrgID: g.ID,
					IDNumber: rules.MakeIDNumber(fmt.Sprintf("500112%04d%02d%02d%03d", 1975+gi%20, 1+gi%12, 1+gi%27, 100+ti*50+gi)),
					Phone:    fmt.Sprintf("139%04d%04d", 2300+ti, 1000+gi)}
				if gi%6 == 0 {
					p.CertLevel, p.CertYear = "助理社会工作师", 2019+gi%4
				}
				people = append(people, p)
			}
			people = append(people, registry.AttendeeInput{Name: demoTraineeName(ti, 90+si), Role: "城乡社区工作者"},
				registry.AttendeeInput{Name: demoTraineeName(ti, 95+si), Role: "社区志愿者"})
			if _, err := db.RecordAttendance(ctx, scope, actor, id, 0, people, "演示数据"); err != nil {
				return fmt.Errorf("demo attendance %s: %w", town, err)
			}
			if si == 0 {
				toDistrict = append(toDistrict, people[:min(2, len(people))]...)
			}
		}
	}
	return loadDemoDistrictSession(ctx, db, now, toDistrict)
}

// loadDemoDistrictSession has the district hold a 示范培训 a fortnight ago (or in the year's first days) attended
// by people the towns trained too — the same 身份证号, so one record each, counted once — and one volunteer of no
// group, so the district's digest shows training across towns.
func loadDemoDistrictSession(ctx context.Context, db *postgres.DB, now time.Time, people []registry.AttendeeInput) error {
	district := portal.Scope{Tier: portal.TierDistrict, Division: DistrictCode}
	actor := portal.Actor{Username: "demo-seed", Tier: portal.TierDistrict, Division: DistrictCode, IP: "local"}
	start := time.Date(now.Year(), now.Month(), now.Day(), 14, 0, 0, 0, portal.Beijing).AddDate(0, 0, -14)
	if start.Year() != now.Year() {
		start = time.Date(now.Year(), 1, 2, 14, 0, 0, 0, portal.Beijing)
	}
	in := registry.SessionInput{Title: "全区社区社会组织骨干示范培训",
		OrganizerKind: "区民政局", Organizer: "渝北区民政局", Start: start, End: start.Add(3 * time.Hour), Hours: 3,
		Mode: "示范培训", Topics: []string{"社会工作知识", "能力建设"}, Venue: "区社会组织孵化基地",
		Materials: "讲义《社会工作方法在社区服务中的运用》", RoomID: firstRoom(ctx, db, district)}
	if room, err := districtTrainingRoom(ctx, db); err == nil && room != 0 {
		in.RoomID = room
	}
	if in.RoomID != 0 {
		in.Venue = ""
	}
	id, err := db.CreateTrainingSession(ctx, district, actor, matchingSeen(ctx, db, district, actor, registry.TokenSession), in)
	if err != nil {
		return fmt.Errorf("demo district session: %w", err)
	}
	people = append(people, registry.AttendeeInput{Name: demoTraineeName(9, 1), Role: "社区志愿者"})
	if _, err := db.RecordAttendance(ctx, district, actor, id, 0, people, "演示数据"); err != nil {
		return fmt.Errorf("demo district attendance: %w", err)
	}
	return nil
}

func demoTraineeName(town, i int) string {
	family := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
	given := []string{"芳", "伟", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"}
	return string(family[(town*7+i)%len(family)]) + given[(town*3+i*5)%len(given)]
}

// districtTrainingRoom is the 培训教室 of the district's own 孵化基地, added the first time it is asked for: the
// district trains there, and so may a town.
func districtTrainingRoom(ctx context.Context, db *postgres.DB) (int64, error) {
	district := portal.Scope{Tier: portal.TierDistrict, Division: DistrictCode}
	ps, err := db.Platforms(ctx, district, registry.PlatformFilter{Kind: registry.PlatformIncubator, Division: DistrictCode})
	if err != nil {
		return 0, err
	}
	for _, p := range ps {
		if p.DivisionCode != DistrictCode {
			continue
		}
		rooms, err := db.Rooms(ctx, district, p.ID)
		if err != nil {
			return 0, err
		}
		for _, r := range rooms {
			if r.Name == "培训教室" {
				return r.ID, nil
			}
		}
		actor := portal.Actor{Username: "demo-seed", Tier: portal.TierDistrict, Division: DistrictCode, IP: "local"}
		return db.AddRoom(ctx, district, actor, p.ID, seen(ctx, db, registry.TokenRoom, fmt.Sprint(p.ID)),
			registry.RoomInput{Name: "培训教室", Capacity: 80, Equipment: "投影仪、音响、课桌椅 80 套"})
	}
	return 0, nil
}
