package main

import (
	"context"

	"github.com/yubei-cso/portal/internal/postgres"
)

// statsCommunity is the community of town with the most organizations: its statistics page, score sheet and
// 述职 summary are the bench's community-level statistics pages.
func statsCommunity(dbURL, town string) (string, error) {
	db, err := postgres.Open(context.Background(), dbURL, nil)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var code string
	err = db.Pool.QueryRow(context.Background(), `SELECT community_code FROM org_stat_counts
		WHERE starts_with(community_code, $1) GROUP BY 1 ORDER BY sum(n) DESC, 1 LIMIT 1`, town).Scan(&code)
	return code, err
}

// statsPages are the statistics pages below the district's and town's own: a community's page, the town's ranking
// of its communities on the 考核 scheme, a community's score sheet and its 述职 summary.
func statsPages(community string) []page {
	return []page{
		{"村(社区)统计分析", "/town/stats?division=" + community, "bench-town", 8},
		{"镇街目标考核 村(社区)排名", "/town/assessment", "bench-town", 8},
		{"村(社区)考核得分", "/town/assessment?division=" + community, "bench-town", 8},
		{"村(社区)述职摘要", "/town/stats/summary?division=" + community, "bench-town", 8},
	}
}
