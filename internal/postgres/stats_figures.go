// The statistics pages' figures, read from the kept counts of migration 0016: a district page sums a few rows
// per town, a town page a few per community, whatever the registry's size.
package postgres

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// statArgs are the arguments every statistics query takes: which kept rows to read (the town rows for a
// district, the community rows below it), the codes of the child divisions (each one range of those rows'
// primary key), and the filters.
//
// The 试点 filter reads the pilot communities' own rows (pilots), whatever the level: the town rows do not know
// which of their communities are pilots.
//
// self are the codes whose rows of activity_quarter_counts (migration 0067) make the division's whole: its own
// code, or the pilots.
func statArgs(d portal.Division, q registry.StatQuery, children []registry.StatChild, pilots []string) namedArgs {
	by := "community"
	if d.Level == portal.TierDistrict {
		by = "town"
	}
	codes := make([]string, 0, len(children))
	for _, c := range children {
		if !c.Retired {
			codes = append(codes, c.Code)
		}
	}
	self := []string{d.Code}
	if q.Area == registry.AreaPilot {
		by, codes, self = "community", pilots, pilots
	}
	return namedArgs{"codes": codes, "self": self, "by": by, "from": q.Period.Start(),
		"to": q.Period.End(), "code": d.Code, "code_end": digitsAfter(d.Code)}
}

// areaRows narrows rows with a rural column to the page's area: nothing for all areas and the 试点 (whose rows
// are named by code), else the constant test of one kind. Each area is then its own statement with its own kept
// plan, where one statement tested the area's parameter on every row.
func areaRows(a registry.StatArea) string {
	switch a {
	case registry.AreaRural:
		return ` AND rural`
	case registry.AreaUrban:
		return ` AND NOT rural`
	}
	return ``
}

// childRows narrows the rows of a rollup by child (column code) to the page's children: outside the 试点 they are
// every division of the range of the page's own code (its towns, or its communities live and retired, which the
// page ranks or adds to its history), and a range costs two comparisons a row where a kept plan tests
// code = ANY(@codes) against every child's code in turn (half a page's time in those two statements). The 试点
// are a few of the range's communities: those are named.
func childRows(q registry.StatQuery) string {
	if q.Area == registry.AreaPilot {
		return `code = ANY(@codes)`
	}
	return `code >= @code AND code < @code_end`
}

// childKey is the part of a kept row's code that names its ranking row: its town on a district's page, else its
// community. code is the driver's bytes of the row, and the key shares them.
func childKey(d portal.Division, code []byte) []byte {
	n := 12
	if d.Level == portal.TierDistrict {
		n = 9
	}
	return code[:min(n, len(code))]
}

// The words the kept counts hold in the text columns a page adds up by, in the order of the page's tables. A
// row's bytes are matched against them (labelIndex) and counted by index: a district's page reads some 1,500
// kept rows, and a map entry per word and row cost more than reading the row.
var (
	statTiers   = []string{"guided", "filed", "registered"}
	statForms   = []string{"社会团体", "民办非企业单位", "基金会", "未登记团体"}
	statNatures = append(slices.Clone(registry.Natures), "")
)

// labelIndex is the index of b in labels, or -1 for a word not among them.
func labelIndex(labels []string, b []byte) int {
	for i, l := range labels {
		if l == string(b) { // compared in place: no copy of b
			return i
		}
	}
	return -1
}

// Stats reads what a statistics page shows for q.Division, which must lie inside scope (else ErrNotFound).
func (db *DB) Stats(ctx context.Context, scope portal.Scope, q registry.StatQuery) (registry.Stats, error) {
	d, kids, err := db.statDivision(ctx, scope, q.Division)
	if err != nil {
		return registry.Stats{}, err
	}
	s := registry.Stats{Division: d, Query: q}
	if s.Trail, err = db.statTrail(ctx, scope, d); err != nil {
		return s, err
	}
	var pilots []string
	if q.Area == registry.AreaPilot {
		if pilots, err = db.statPilots(ctx, d.Code); err != nil {
			return s, err
		}
	}
	if d.Level == portal.TierCommunity {
		s.Children = []registry.StatChild{{Code: d.Code, Name: d.Name}}
	} else {
		for _, k := range kids {
			if d.Level == portal.TierTown && (!areaHas(q.Area, k.Rural) || q.Area == registry.AreaPilot && !slices.Contains(pilots, k.Code)) {
				continue
			}
			s.Children = append(s.Children, registry.StatChild{Code: k.Code, Name: k.Name})
		}
	}
	retired, err := db.statRetired(ctx, scope, d, q.Area)
	if err != nil {
		return s, err
	}
	if len(retired) > 0 {
		s.Children = append(s.Children, registry.StatChild{Name: "已撤并的村(社区)", Retired: true})
	}
	child := map[string]*registry.StatChild{}
	for i := range s.Children {
		if !s.Children[i].Retired {
			child[s.Children[i].Code] = &s.Children[i]
		}
	}
	for _, code := range retired {
		child[code] = &s.Children[len(s.Children)-1]
	}
	args := statArgs(d, q, s.Children, pilots)
	args["codes"] = append(args["codes"].([]string), retired...)
	now := time.Now()
	// The figures' statements go to PostgreSQL as one batch, read in the order queued: each reads a few rows of
	// kept counts, so a round trip per statement cost more than the statement (a page sent 15).
	b := &pgx.Batch{}
	s.Targets = registry.Targets{}
	queueTargets(b, d.Code, s.Targets)
	if s.Communities, err = db.statCommunities(ctx, scope, d, q.Area, pilots); err != nil {
		return s, err
	}
	queueCommunities(b, d, &s)
	// A statement's rows come mostly grouped by code, so a row's child is often the one before's: compared with
	// its code in place, not looked up in the map again (a district's page reads some 2,000 rows for its 30
	// towns). The row of retired communities has no code of its own and is looked up each time.
	var last *registry.StatChild
	at := func(code []byte) *registry.StatChild {
		key := childKey(d, code)
		if last != nil && string(key) == last.Code {
			return last
		}
		c := child[string(key)] // looked up in place: no copy of key
		if c != nil {
			last = c
		}
		return c
	}
	queueOrgs(b, args, at, &s)
	fields := registry.FieldCounts{}
	queueFields(b, q, args, at, fields)
	queueActivities(b, args, at, &s)
	trends := func() {}
	if q.With&registry.NoTrends == 0 {
		queueBeneficiaries(b, args, &s)
		trends = queueTrends(b, &s, args, pilots, now)
	}
	if q.With&registry.NoGrowth == 0 {
		queueGrowth(b, &s, at, pilots, now)
	}
	if q.With&registry.WithScheme != 0 {
		level := portal.TierCommunity
		if d.Level == portal.TierDistrict {
			level = portal.TierTown
		}
		queueSchemeInUse(b, q.Period.Year, level, &s.Scheme)
	}
	if q.With&registry.WithPartyMeetings != 0 {
		queueMeetingStats(b, d.Code, q.Period.Year, q.Area, now, &s.PartyMeetings)
	}
	// Every statement of the batch reads kept rows by equality, ANY or a code range, which a kept plan serves as
	// well as a fresh one: planning them afresh cost a town's page more than running them.
	if err := db.send(ctx, planKept, b); err != nil {
		return s, err
	}
	if q.With&registry.WithPartyMeetings != 0 {
		// The groups with a 党组织 are the ranking's live rows of those two 党建 statuses (queueOrgs), which
		// a statement of their own read again from the same kept counts.
		for _, c := range s.ByParty {
			if registry.HasPartyOrg(c.Label) {
				s.PartyMeetings.WithPartyOrg += int64(c.N)
			}
		}
	}
	s.Summarize(fields)
	trends()
	return s, nil
}

// statDivision is division code inside scope (else ErrNotFound) and, for a town or the district, its child
// divisions in code order, retired communities left out: a community retired in 区划管理 has no row in the
// per-community tables and rankings (its past rows stay in the trends, read by code prefix). Both come from the
// division lists the pickers cache (DivisionsAtLevel): the district's page asked PostgreSQL for the division and
// its children in two round trips before its batch, for answers that change a few times a year. A retired
// community, absent from the lists, keeps its own page (its history) through one query.
func (db *DB) statDivision(ctx context.Context, scope portal.Scope, code string) (portal.Division, []portal.Division, error) {
	level := portal.LevelOfCode(code)
	if !scope.Covers(code) || !level.Valid() {
		return portal.Division{}, nil, portal.ErrNotFound
	}
	list, err := db.sharedDivisions(ctx, scope, level)
	if err != nil {
		return portal.Division{}, nil, err
	}
	i := slices.IndexFunc(list, func(d portal.Division) bool { return d.Code == code })
	if i < 0 {
		if level != portal.TierCommunity {
			return portal.Division{}, nil, portal.ErrNotFound
		}
		d, err := db.Division(ctx, scope, code)
		return d, nil, err
	}
	d := list[i]
	if level == portal.TierCommunity {
		return d, nil, nil
	}
	childLevel := portal.TierCommunity
	if level == portal.TierDistrict {
		childLevel = portal.TierTown
	}
	all, err := db.sharedDivisions(ctx, scope, childLevel)
	if err != nil {
		return d, nil, err
	}
	var kids []portal.Division
	for _, k := range all {
		if k.ParentCode == d.Code {
			kids = append(kids, k)
		}
	}
	return d, kids, nil
}

// statRetired are the codes of the retired communities of town d in area: their kept rows are the town's
// history, read into one row of its page so that its 合计 is the town's row on the district's page. None for the
// district (its town rows hold them), a community, or the 试点 (retired communities are no pilots).
func (db *DB) statRetired(ctx context.Context, scope portal.Scope, d portal.Division, area registry.StatArea) ([]string, error) {
	if d.Level != portal.TierTown || area == registry.AreaPilot {
		return nil, nil
	}
	all, err := db.retiredCommunities(ctx, scope)
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, c := range all {
		if strings.HasPrefix(c.Code, d.Code) && areaHas(area, c.Rural) {
			codes = append(codes, c.Code)
		}
	}
	return codes, nil
}

func areaHas(a registry.StatArea, rural bool) bool {
	return a == registry.AreaAll || a == registry.AreaPilot || (a == registry.AreaRural) == rural
}

// statPilots are the 试点 communities inside code that are not retired.
func (db *DB) statPilots(ctx context.Context, code string) ([]string, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT p.community_code FROM stat_pilots p JOIN divisions v ON v.code = p.community_code
		WHERE starts_with(p.community_code, $1) AND v.retired_at IS NULL ORDER BY 1`, code)
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return codes, translate(err)
}

// statTrail is the divisions from the caller's own down to d, for the breadcrumb.
func (db *DB) statTrail(ctx context.Context, scope portal.Scope, d portal.Division) ([]portal.Division, error) {
	var codes []string
	for _, n := range []int{6, 9, 12} {
		if n >= len(scope.Division) && n <= len(d.Code) {
			codes = append(codes, d.Code[:n])
		}
	}
	names, err := db.divisionNames(ctx, codes)
	if err != nil {
		return nil, err
	}
	trail := make([]portal.Division, len(codes))
	for i, c := range codes {
		trail[i] = portal.Division{Code: c, Name: names[c], Level: portal.LevelOfCode(c)}
	}
	return trail, nil
}

// statCommunities are the communities inside d (d itself on a community's page) after the area filter, in code
// order, with their towns' names: from the division lists the pickers cache, retired communities left out. PostgreSQL joined and sorted the 270
// divisions of the district for every district page, for answers that change a few times a year.
func (db *DB) statCommunities(ctx context.Context, scope portal.Scope, d portal.Division, area registry.StatArea, pilots []string) ([]registry.StatCommunity, error) {
	all, err := db.sharedDivisions(ctx, scope, portal.TierCommunity)
	if err != nil {
		return nil, err
	}
	// all is in code order, so d's communities are one run of it, their towns in order too.
	lo, _ := slices.BinarySearchFunc(all, d.Code, func(x portal.Division, code string) int { return strings.Compare(x.Code, code) })
	hi := lo
	for hi < len(all) && strings.HasPrefix(all[hi].Code, d.Code) {
		hi++
	}
	list := all[lo:hi]
	var towns []string
	for _, c := range list {
		if len(towns) == 0 || towns[len(towns)-1] != c.ParentCode {
			towns = append(towns, c.ParentCode)
		}
	}
	names, err := db.divisionNames(ctx, towns)
	if err != nil {
		return nil, err
	}
	out := make([]registry.StatCommunity, 0, len(list))
	for _, c := range list {
		if !areaHas(area, c.Rural) || area == registry.AreaPilot && !slices.Contains(pilots, c.Code) {
			continue
		}
		out = append(out, registry.StatCommunity{Code: c.Code, Name: c.Name, TownCode: c.ParentCode,
			TownName: names[c.ParentCode], Rural: c.Rural})
	}
	return out, nil
}

// queueCommunities reads into s.Communities (the communities inside d, from statCommunities, in code order)
// their live organizations, from the kept org_counts, and their targets from s.Targets (queued before it). The
// rows come in code order as they are (a few per community) and are added to the communities as both lists are
// walked: grouping them in PostgreSQL, then finding each in a map, cost more than the rows.
func queueCommunities(b *pgx.Batch, d portal.Division, s *registry.Stats) {
	b.Queue(`
		SELECT community_code, n FROM org_counts
		WHERE community_code >= @code AND community_code < @code_end AND status IN ('normal', 'abnormal') AND n <> 0
		ORDER BY community_code`, namedArgs{"code": d.Code, "code_end": digitsAfter(d.Code)}).Query(func(rows pgx.Rows) error {
		cs := s.Communities
		i := 0
		err := keptRows(rows, 2, func(raw [][]byte) error {
			n, err := rawBigint(raw[1])
			if err != nil {
				return err
			}
			for i < len(cs) && cs[i].Code < string(raw[0]) {
				i++
			}
			if i < len(cs) && cs[i].Code == string(raw[0]) {
				cs[i].Live += int(n)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i := range cs {
			cs[i].Target, cs[i].TargetBy = s.Targets.For(cs[i].Code, cs[i].Rural)
		}
		return nil
	})
}

// queueOrgs reads the organization counts per child and the live ones by tier, legal form, 性质 and 党建. The
// kept rows come as they are, and statOrgRows adds them up: grouping them in PostgreSQL (the urban and rural
// rows of a town) cost more than the rows it saved (0.43 against 0.17 ms for the district's 660 rows).
func queueOrgs(b *pgx.Batch, args namedArgs, at func([]byte) *registry.StatChild, s *registry.Stats) {
	b.Queue(`
		SELECT code AS child, tier, legal_form, nature, party_status, status, n
		FROM org_stat_rollup
		WHERE by = @by AND `+childRows(s.Query)+areaRows(s.Query.Area)+` AND n <> 0`, args).Query(func(rows pgx.Rows) error { return statOrgRows(rows, at, s) })
}

func statOrgRows(rows pgx.Rows, at func([]byte) *registry.StatChild, s *registry.Stats) error {
	tier, form := make([]int, len(statTiers)), make([]int, len(statForms))
	nature, party := make([]int, len(statNatures)), make([]int, len(registry.PartyStatuses))
	count := func(into []int, labels []string, b []byte, n int) {
		if i := labelIndex(labels, b); i >= 0 {
			into[i] += n
		}
	}
	// child, tier, legal_form, nature, party_status, status, n
	err := keptRows(rows, 7, func(raw [][]byte) error {
		n64, err := rawBigint(raw[6])
		if err != nil {
			return err
		}
		n := int(n64)
		c := at(raw[0])
		if c == nil {
			return nil
		}
		status := string(raw[5]) // compared only: no copy
		if status != "normal" && status != "abnormal" {
			c.Ended += n
			return nil
		}
		c.Live += n
		if status == "abnormal" {
			c.Abnormal += n
		}
		if string(raw[4]) != "未覆盖" {
			c.PartyCovered += n
		}
		count(tier, statTiers, raw[1], n)
		count(form, statForms, raw[2], n)
		count(nature, statNatures, raw[3], n)
		count(party, registry.PartyStatuses, raw[4], n)
		return nil
	})
	if err != nil {
		return err
	}
	s.ByTier = statCounts(statTiers, tier)
	for i := range s.ByTier {
		s.ByTier[i].Label = registry.Tier(s.ByTier[i].Label).Label()
	}
	s.ByLegalForm = statCounts(statForms, form)
	s.ByNature = statCounts(statNatures, nature)
	if n := s.ByNature[len(s.ByNature)-1]; n.Label == "" {
		s.ByNature[len(s.ByNature)-1].Label = "未填"
	}
	s.ByParty = statCounts(registry.PartyStatuses, party)
	return nil
}

func statCounts(labels []string, n []int) []registry.StatCount {
	out := make([]registry.StatCount, len(labels))
	for i, l := range labels {
		out[i] = registry.StatCount{Label: l, N: n[i]}
	}
	return out
}

// queueFields reads into out the live organizations per child and 服务领域: the kept rows per field and status
// (0125) as they are, added up here (as queueOrgs).
func queueFields(b *pgx.Batch, q registry.StatQuery, args namedArgs, at func([]byte) *registry.StatChild, out registry.FieldCounts) {
	b.Queue(`
		SELECT code AS child, field, n
		FROM org_field_status_rollup
		WHERE by = @by AND `+childRows(q)+areaRows(q.Area)+`
		  AND status IN ('normal', 'abnormal') AND n <> 0`, args).Query(func(rows pgx.Rows) error {
		var last *registry.StatChild
		var counts []int // last's
		return keptRows(rows, 3, func(raw [][]byte) error {
			n, err := rawBigint(raw[2])
			if err != nil {
				return err
			}
			ch := at(raw[0])
			if ch == nil {
				return nil
			}
			if ch != last {
				last, counts = ch, out.For(ch.Code)
			}
			if i := labelIndex(registry.Fields, raw[1]); i >= 0 {
				counts[i] += int(n)
			}
			return nil
		})
	})
}

// queueActivities reads activity figures in the period per child and 主题系列: a quarter's from the quarter rows
// (0067), a year's from the year rows (0120), a quarter as many as the quarters of the year would be. The rows
// come as they are (a child's urban and rural rows apart) and statActivityRows adds them up: grouping them in
// PostgreSQL cost more than the rows it saved.
func queueActivities(b *pgx.Batch, args namedArgs, at func([]byte) *registry.StatChild, s *registry.Stats) {
	rows := `activity_quarter_counts WHERE code = ANY(@codes) AND quarter = @from::date`
	if s.Query.Period.Quarter == 0 {
		rows = `activity_year_counts WHERE code = ANY(@codes) AND year = @from::date`
	}
	b.Queue(`
		SELECT code AS child, series, reports, participants, volunteers, (volunteer_hours * 10)::bigint AS tenths,
		       beneficiaries
		FROM `+rows+areaRows(s.Query.Area), args).Query(func(rows pgx.Rows) error {
		return statActivityRows(rows, at, s)
	})
}

// keptActivity is a kept row's activity figures with its volunteer hours in tenths (the reports' hours have
// one decimal): added up exactly, whatever the order of the rows, and divided once.
type keptActivity struct {
	reports, participants, volunteers, tenths, beneficiaries int64
}

func (k *keptActivity) read(raw [][]byte) (err error) {
	var v [5]int64
	for i := range v {
		if v[i], err = rawBigint(raw[i]); err != nil {
			return err
		}
	}
	*k = keptActivity{reports: v[0], participants: v[1], volunteers: v[2], tenths: v[3], beneficiaries: v[4]}
	return nil
}

func (k *keptActivity) add(b keptActivity) {
	k.reports += b.reports
	k.participants += b.participants
	k.volunteers += b.volunteers
	k.tenths += b.tenths
	k.beneficiaries += b.beneficiaries
}

func (k keptActivity) figures() registry.StatActivity {
	return registry.StatActivity{Reports: k.reports, Participants: k.participants, Volunteers: k.volunteers,
		VolunteerHours: float64(k.tenths) / 10, Beneficiaries: k.beneficiaries}
}

func statActivityRows(rows pgx.Rows, at func([]byte) *registry.StatChild, s *registry.Stats) error {
	series := make([]keptActivity, len(registry.ReportSeries))
	children := map[*registry.StatChild]*keptActivity{}
	var order []*registry.StatChild
	var a keptActivity
	err := keptRows(rows, 7, func(raw [][]byte) error {
		if err := a.read(raw[2:]); err != nil {
			return err
		}
		c := at(raw[0])
		if c == nil {
			return nil
		}
		k := children[c]
		if k == nil {
			k = &keptActivity{}
			children[c] = k
			order = append(order, c)
		}
		k.add(a)
		if i := labelIndex(registry.ReportSeries, raw[1]); i >= 0 {
			series[i].add(a)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range order {
		c.Activity.Add(children[c].figures())
	}
	for i, name := range registry.ReportSeries {
		s.Series = append(s.Series, registry.StatSeries{Series: name, StatActivity: series[i].figures()})
	}
	return nil
}

// queueBeneficiaries reads, per 服务对象, the reports in the period that served the group and the people served:
// the division's own quarter rows (0067), a few dozen whatever its size.
func queueBeneficiaries(b *pgx.Batch, args namedArgs, s *registry.Stats) {
	b.Queue(`
		SELECT target, sum(reports)::bigint AS reports, sum(people)::bigint AS people
		FROM beneficiary_quarter_counts
		WHERE code = ANY(@self) AND quarter >= @from::date AND quarter < @to::date
		  `+areaRows(s.Query.Area)+`
		GROUP BY 1`, args).Query(func(rows pgx.Rows) error {
		got := map[string]registry.StatBeneficiary{}
		var x registry.StatBeneficiary
		if _, err := pgx.ForEachRow(rows, []any{&x.Target, &x.Reports, &x.People}, func() error {
			got[x.Target] = x
			return nil
		}); err != nil {
			return err
		}
		for _, t := range registry.Beneficiaries {
			x := got[t]
			x.Target = t
			s.Beneficiaries = append(s.Beneficiaries, x)
		}
		return nil
	})
}

// statTargets reads the target settings that bear on code: its own, its ancestors' and its descendants'.
func (db *DB) statTargets(ctx context.Context, code string) (registry.Targets, error) {
	b := &pgx.Batch{}
	ts := registry.Targets{}
	queueTargets(b, code, ts)
	return ts, translate(db.pool(planFresh).SendBatch(ctx, b).Close())
}

// queueTargets reads into ts the target settings that bear on code.
func queueTargets(b *pgx.Batch, code string, ts registry.Targets) {
	b.Queue(`
		SELECT t.division_code, v.name, v.level, t.urban::float8, t.rural::float8, t.updated_at,
		       coalesce(a.username, '') AS updated_by, t.version
		FROM stat_targets t JOIN divisions v ON v.code = t.division_code
		LEFT JOIN accounts a ON a.id = t.updated_by
		WHERE starts_with(t.division_code, @code) OR starts_with(@code, t.division_code)
		ORDER BY t.division_code`, namedArgs{"code": code}).Query(func(rows pgx.Rows) error {
		var x registry.TargetSetting
		var level string
		_, err := pgx.ForEachRow(rows, []any{&x.DivisionCode, &x.DivisionName, &level, &x.Urban, &x.Rural, &x.UpdatedAt,
			&x.UpdatedByName, &x.Version}, func() error {
			x.Level = portal.Tier(level)
			ts[x.DivisionCode] = x
			x = registry.TargetSetting{}
			return nil
		})
		return err
	})
}

// TargetSettings are the target rows inside scope and above it, for the settings page.
func (db *DB) TargetSettings(ctx context.Context, scope portal.Scope) (registry.Targets, error) {
	return db.statTargets(ctx, scope.Division)
}

// SetTarget writes the targets of division d (inside scope: the district itself, a town or a community),
// audited in the same transaction.
func (db *DB) SetTarget(ctx context.Context, scope portal.Scope, actor portal.Actor, d portal.Division, urban, rural *float64) error {
	if !scope.Covers(d.Code) {
		return registry.ErrTargetDivision
	}
	return pgx.BeginFunc(ctx, db.pool(planFresh), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO stat_targets (division_code, urban, rural, updated_by)
			VALUES (@code, @urban, @rural, @by)
			ON CONFLICT (division_code) DO UPDATE SET urban = excluded.urban, rural = excluded.rural,
				updated_at = now(), updated_by = excluded.updated_by, version = stat_targets.version + 1`,
			namedArgs{"code": d.Code, "urban": urban, "rural": rural, "by": nullID(actor.AccountID)}); err != nil {
			return translate(err)
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "stats.target_set", ObjectType: "division",
			ObjectID: d.Code, Result: portal.ResultOK, Detail: "城市社区=" + targetText(urban) + " 农村社区=" + targetText(rural)})
	})
}

// ClearTarget removes division code's own targets (it falls back to the level above), audited. version is the
// setting's version as the clerk saw it: a setting changed since is ErrConflict, and nothing is removed.
func (db *DB) ClearTarget(ctx context.Context, scope portal.Scope, actor portal.Actor, code string, version int) error {
	if !scope.Covers(code) {
		return portal.ErrNotFound
	}
	return pgx.BeginFunc(ctx, db.pool(planFresh), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM stat_targets WHERE division_code = $1 AND version = $2`, code, version)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM stat_targets WHERE division_code = $1)`,
				code).Scan(&exists); err != nil {
				return translate(err)
			}
			if exists {
				return portal.ErrConflict
			}
			return portal.ErrNotFound
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "stats.target_clear", ObjectType: "division",
			ObjectID: code, Result: portal.ResultOK})
	})
}

func targetText(v *float64) string {
	if v == nil {
		return "沿用上级"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// AuditStatsExport records an export of a statistics page's tables.
func (db *DB) AuditStatsExport(ctx context.Context, actor portal.Actor, q registry.StatQuery, at time.Time) error {
	return translate(db.Audit(context.WithoutCancel(ctx), portal.AuditEntry{Actor: actor, Action: "stats.export",
		ObjectType: "division", ObjectID: q.Division, Result: portal.ResultOK,
		Detail: "xlsx " + q.Period.Label() + " " + q.Area.Label()}))
}

// Pilots are the 试点 communities inside scope, for the settings page.
func (db *DB) Pilots(ctx context.Context, scope portal.Scope) ([]string, error) {
	return db.statPilots(ctx, scope.Division)
}

// SetPilot marks community d (inside scope) a 试点 or takes the mark off, audited.
func (db *DB) SetPilot(ctx context.Context, scope portal.Scope, actor portal.Actor, d portal.Division, pilot bool) error {
	if !scope.Covers(d.Code) || d.Level != portal.TierCommunity {
		return registry.ErrTargetDivision
	}
	return pgx.BeginFunc(ctx, db.pool(planFresh), func(tx pgx.Tx) error {
		var err error
		action := "stats.pilot_mark"
		if pilot {
			_, err = tx.Exec(ctx, `INSERT INTO stat_pilots (community_code, marked_by) VALUES ($1, $2)
				ON CONFLICT (community_code) DO NOTHING`, d.Code, nullID(actor.AccountID))
		} else {
			action = "stats.pilot_unmark"
			_, err = tx.Exec(ctx, `DELETE FROM stat_pilots WHERE community_code = $1`, d.Code)
		}
		if err != nil {
			return translate(err)
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: action, ObjectType: "division", ObjectID: d.Code,
			Result: portal.ResultOK})
	})
}
