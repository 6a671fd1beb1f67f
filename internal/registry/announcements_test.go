package registry

import (
	"strings"
	"testing"
)

func TestAnnouncementInputValidate(t *testing.T) {
	good := AnnouncementInput{Kind: KindPolicy, Title: "实施方案", DocNo: "渝北民〔2021〕114号", Body: "正文"}
	if p := good.Validate(); !p.OK() {
		t.Fatalf("good input refused: %v", p)
	}
	p := AnnouncementInput{Kind: "x", DocNo: strings.Repeat("号", 61)}.Validate()
	for _, k := range []string{"kind", "title", "doc_no", "body"} {
		if p[k] == "" {
			t.Errorf("no message at %s", k)
		}
	}
	if KindNotice.Label() != "通知公告" || KindPolicy.Label() != "政策文件" || AnnouncementKind("x").Valid() {
		t.Error("kinds")
	}
}
