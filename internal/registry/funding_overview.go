package registry

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// FundingOverview is what the money overview shows for a jurisdiction: the totals of every amount that reached
// a group inside it, the live groups and how many of them are rural (the share of money that reaches 村 is read
// against the share of groups there, §三(一)4), and its contracts, funds and rounds.
type FundingOverview struct {
	Totals              MoneyTotals
	Groups, RuralGroups int64
	Contracts           []ContractLine // one page, the latest signed first
	More                bool           // contracts signed earlier than the page's last
	Funds               []Fund
	Rounds              []Round
}

// ContractLine is a contract as the overview lists it: what was bought from which group, by whom, for how
// much, over which period, and where it stands. Its 服务对象, deliverables, platform and 验收 note are on its own
// page, and the list does not read them.
type ContractLine struct {
	ID                         int64
	DivisionCode, DivisionName string // the purchaser
	OrgName, Project           string
	Amount, Paid               Fen
	StartsOn, EndsOn, SignedOn time.Time
	Status                     string
}

// ContractCursor is where a page of the overview's contracts starts: after the contract signed on On with ID
// (the list runs from the latest signed); the zero cursor is the first page.
type ContractCursor struct {
	On time.Time
	ID int64
}

// String is the cursor as a URL's ?contracts= value: 2024-05-01.123.
func (c ContractCursor) String() string {
	return c.On.Format("2006-01-02") + "." + strconv.FormatInt(c.ID, 10)
}

// ParseContractCursor reads a ?contracts= value; anything else is the first page.
func ParseContractCursor(s string) ContractCursor {
	day, id, ok := strings.Cut(s, ".")
	on, err := time.Parse("2006-01-02", day)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || err2 != nil || n <= 0 {
		return ContractCursor{}
	}
	return ContractCursor{On: on, ID: n}
}

// AddTotal adds amount, summed over rows money rows, to the breakdown by ("source", "town", "series",
// "beneficiary" or "rural"; key "true" or "false") under key, the way TotalMoney adds one row: a source under
// its label, an empty series as 未分系列. The sources make All.
func (t *MoneyTotals) AddTotal(by, key string, amount Fen, rows int) {
	add := func(list *[]MoneyTotal, key string) {
		for i := range *list {
			if (*list)[i].Key == key {
				(*list)[i].Amount += amount
				(*list)[i].Rows += rows
				return
			}
		}
		*list = append(*list, MoneyTotal{Key: key, Amount: amount, Rows: rows})
	}
	switch by {
	case "source":
		t.All += amount
		add(&t.BySource, SourceLabel(key))
	case "town":
		add(&t.ByTown, key)
	case "series":
		if key == "" {
			key = "未分系列"
		}
		add(&t.BySeries, key)
	case "beneficiary":
		add(&t.ByBeneficiary, key)
	case "rural":
		if key == "true" {
			t.Rural += amount
		} else {
			t.Urban += amount
		}
	}
}

// Sort orders each breakdown by amount, the largest first, then by key.
func (t *MoneyTotals) Sort() {
	for _, list := range [][]MoneyTotal{t.BySource, t.ByTown, t.BySeries, t.ByBeneficiary} {
		slices.SortStableFunc(list, func(a, b MoneyTotal) int {
			switch {
			case a.Amount > b.Amount:
				return -1
			case a.Amount < b.Amount:
				return 1
			}
			return strings.Compare(a.Key, b.Key)
		})
	}
}
