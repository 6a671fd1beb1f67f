package main

import "testing"

func TestChoosePagesKeepsOnlyTheMatchingOnes(t *testing.T) {
	pages := []page{{name: "区级统计分析"}, {name: "镇街组织列表"}, {name: "区级目标考核排名"}}
	all, err := choosePages(pages, "")
	if err != nil || len(all) != 3 {
		t.Fatalf("no pattern: got %d pages, %v; want all 3", len(all), err)
	}
	kept, err := choosePages(pages, "统计|考核")
	if err != nil || len(kept) != 2 || kept[0].name != "区级统计分析" || kept[1].name != "区级目标考核排名" {
		t.Fatalf("统计|考核: got %v, %v", kept, err)
	}
	if _, err := choosePages(pages, "没有这一页"); err == nil {
		t.Fatal("a pattern that matches nothing must be an error")
	}
	if _, err := choosePages(pages, "("); err == nil {
		t.Fatal("a bad pattern must be an error")
	}
}
