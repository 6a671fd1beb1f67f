// Package seed loads reference divisions (渝北区 and its 30 real towns, NBS 2022) and the demo data that
// `make run` starts with; it also parses the CSV a real deployment imports its community list from.
package seed

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/portal"
)

// DistrictCode is 渝北区's code in the NBS 统计用区划代码.
const DistrictCode = "500112"

//go:embed yubei-towns-nbs2022.csv
var townsCSV string

// District is 渝北区 itself.
func District() portal.Division {
	return portal.Division{Code: DistrictCode, Name: "渝北区", Level: portal.TierDistrict, Kind: "区"}
}

// Towns are the 30 towns and streets of 渝北区 (19 街道, 11 镇) from NBS 统计用区划代码 2022.
func Towns() []portal.Division {
	rows, err := csv.NewReader(strings.NewReader(townsCSV)).ReadAll()
	if err != nil {
		panic("embedded towns CSV: " + err.Error()) // the file ships with the binary; a bad one is a build bug
	}
	var out []portal.Division
	for _, r := range rows[1:] {
		out = append(out, portal.Division{Code: r[0], Name: r[1], Kind: r[2], Level: portal.TierTown,
			ParentCode: DistrictCode})
	}
	return out
}

// ReadCommunities parses a real community list: a CSV with a header and the columns
// code, name, parent_code, urban_rural (urban/rural or 城市/农村 or 社区/村), and optionally managed_by.
// Every bad row is reported with its line number; nothing is returned unless every row is good.
func ReadCommunities(r io.Reader, towns map[string]bool) ([]portal.Division, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("读取表头失败: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, need := range []string{"code", "name", "parent_code", "urban_rural"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("表头缺少列 %s（应为 code,name,parent_code,urban_rural[,managed_by]）", need)
		}
	}
	get := func(rec []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var out []portal.Division
	var errs []error
	seen := map[string]int{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("第 %d 行: %w", line, err))
			continue
		}
		d := portal.Division{Code: get(rec, "code"), Name: get(rec, "name"), ParentCode: get(rec, "parent_code"),
			Level: portal.TierCommunity, ManagedBy: get(rec, "managed_by")}
		switch get(rec, "urban_rural") {
		case "urban", "城市", "社区", "居委会":
			d.Kind = "社区"
		case "rural", "农村", "村", "村委会":
			d.Kind, d.Rural = "村", true
		default:
			errs = append(errs, fmt.Errorf("第 %d 行: urban_rural 应为 urban 或 rural", line))
			continue
		}
		switch {
		case len(d.Code) != 12 || strings.Trim(d.Code, "0123456789") != "":
			errs = append(errs, fmt.Errorf("第 %d 行: 区划代码应为 12 位数字", line))
		case !towns[d.ParentCode]:
			errs = append(errs, fmt.Errorf("第 %d 行: 上级代码 %s 不是已知的镇街", line, d.ParentCode))
		case !strings.HasPrefix(d.Code, d.ParentCode):
			errs = append(errs, fmt.Errorf("第 %d 行: 区划代码 %s 不在上级 %s 之下", line, d.Code, d.ParentCode))
		case len([]rune(d.Name)) < 2 || len([]rune(d.Name)) > 40:
			errs = append(errs, fmt.Errorf("第 %d 行: 名称应为 2–40 字", line))
		case seen[d.Code] != 0:
			errs = append(errs, fmt.Errorf("第 %d 行: 区划代码 %s 与第 %d 行重复", line, d.Code, seen[d.Code]))
		default:
			seen[d.Code] = line
			out = append(out, d)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// demoStems are invented place words for demo communities; none is claimed to be a real 社区 or 村.
var demoStems = []string{"锦华", "金港", "龙湖", "新月", "松林", "桂馨", "花溪", "碧波", "紫薇", "翠竹",
	"青枫", "白鹭", "明月", "清泉", "星光", "和顺", "安康", "福寿", "丰收", "兴旺", "石坪", "柏树", "桃源",
	"杏林", "银杏", "凤鸣", "龙泉", "金竹", "黄桷", "双溪", "玉屏", "云峰", "宝华", "长乐", "永兴", "同心",
	"向阳", "红岩", "新桥", "东湖", "西苑", "南岸", "北城", "中和", "万寿", "仁和", "德胜", "太平", "吉祥",
	"瑞丰", "嘉禾", "春晖", "秋实", "晓园", "竹林", "梨树", "茶园", "荷塘", "梅岭", "蓝湾"}

// DemoCommunities invents communities for every town: 街道 get mostly 社区 and one 村, 镇 mostly 村 and a
// 社区 at the town seat. Codes follow the NBS habit (居委会 001–199, 村委会 200–399). They are marked demo.
func DemoCommunities(towns []portal.Division) []portal.Division {
	var out []portal.Division
	k := 0
	for ti, t := range towns {
		urban, rural := 2, 7
		if t.Kind == "街道" {
			urban, rural = 8, 1
		}
		used := map[string]bool{}
		name := func(suffix string) string {
			for {
				stem := demoStems[(k*7+ti*3)%len(demoStems)]
				k++
				if !used[stem] {
					used[stem] = true
					return stem + suffix
				}
			}
		}
		for i := 1; i <= urban; i++ {
			out = append(out, portal.Division{Code: t.Code + pad3(i), Name: name("社区"), Level: portal.TierCommunity,
				ParentCode: t.Code, Kind: "社区", Demo: true})
		}
		for i := 0; i < rural; i++ {
			out = append(out, portal.Division{Code: t.Code + pad3(200+i), Name: name("村"), Level: portal.TierCommunity,
				ParentCode: t.Code, Kind: "村", Rural: true, Demo: true})
		}
	}
	return out
}

func pad3(n int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", 3-len(s)) + s
}

// The demo accounts' divisions (DESIGN.md): demo-community is the first 社区 of 双龙湖街道, demo-community2
// the first 村 of 统景镇.
const (
	TownShuanglonghu   = "500112002"
	TownTongjing       = "500112133"
	CommunityDemo      = "500112002001"
	CommunityDemoRural = "500112133200"
)

// DemoAccount is one demo account to create.
type DemoAccount struct {
	Username    string
	DisplayName string
	Tier        portal.Tier
	Division    string
	Role        portal.Role // RoleAll unless the account shows one 科室's share of the district's work
}

// DemoAccounts are the five accounts of DESIGN.md, each with its tier's whole work, three district accounts
// that show the split by 科室 (issue 17, 行动方案 §四(一)): 审批, 管理 and 查阅, and two 双龙湖街道 accounts that
// show the town's split: 经办 files, 审核 decides. With them 双龙湖 has more than one officer who may decide, so a
// filing demo-town submits is decided by another (demo-town-approve); 统景镇 keeps its single officer, who
// decides its own filings.
func DemoAccounts() []DemoAccount {
	return []DemoAccount{
		{"demo-district", "区民政局演示账号", portal.TierDistrict, DistrictCode, portal.RoleAll},
		{"demo-town", "双龙湖街道演示账号", portal.TierTown, TownShuanglonghu, portal.RoleAll},
		{"demo-town2", "统景镇演示账号", portal.TierTown, TownTongjing, portal.RoleAll},
		{"demo-community", "社区演示账号", portal.TierCommunity, CommunityDemo, portal.RoleAll},
		{"demo-community2", "村演示账号", portal.TierCommunity, CommunityDemoRural, portal.RoleAll},
		// issue 17: the district's roles
		{"demo-review", "行政审批科演示账号", portal.TierDistrict, DistrictCode, portal.RoleReview},
		{"demo-admin", "区民政局管理演示账号", portal.TierDistrict, DistrictCode, portal.RoleAdmin},
		{"demo-read", "区民政局查阅演示账号", portal.TierDistrict, DistrictCode, portal.RoleRead},
		// issue 17: the town's roles
		{"demo-town-file", "双龙湖街道经办演示账号", portal.TierTown, TownShuanglonghu, portal.RoleClerk},
		{"demo-town-approve", "双龙湖街道审核演示账号", portal.TierTown, TownShuanglonghu, portal.RoleApprover},
	}
}

// DemoPassword is the demo accounts' password; the accounts exist only in demo mode (DESIGN.md).
const DemoPassword = "Yubei@2021demo"
