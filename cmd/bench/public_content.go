// The public side's reading pages in the load test: the 典型案例 list and one case, the 通知公告 list, and the
// 信息公开 open-data download.
package main

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/postgres"
)

// publicContentPages are measured anonymously at 8 connections, as the other public pages; the case page is
// the newest published case, and is left out when the bench data has none.
func publicContentPages(dbURL string) ([]page, error) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, dbURL, nil)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	pages := []page{
		{"公开典型案例列表", "/cases", "", 8},
		{"公开通知公告列表", "/announcements", "", 8},
		{"开放数据 信息公开 CSV", "/open-data/disclosures.csv", "", 8},
	}
	var id int64
	err = db.Pool.QueryRow(ctx, `SELECT id FROM typical_cases WHERE status = 'published'
		ORDER BY published_at DESC, id DESC LIMIT 1`).Scan(&id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return pages, nil
	case err != nil:
		return nil, err
	}
	return append(pages, page{"公开典型案例页面", "/cases/" + strconv.FormatInt(id, 10), "", 8}), nil
}
