package registry

import "testing"

func TestCommunityInputValidate(t *testing.T) {
	good := CommunityInput{Town: "500112002", Code: "500112002050", Name: "新湖社区", Kind: "社区"}
	if p := good.Validate(true); !p.OK() {
		t.Fatalf("a good community: %v", p)
	}
	for field, in := range map[string]CommunityInput{
		"town": {Town: "5001", Code: "500112002050", Name: "新湖社区", Kind: "社区"},
		"code": {Town: "500112002", Code: "500112004050", Name: "新湖社区", Kind: "社区"},
		"name": {Town: "500112002", Code: "500112002050", Name: "新湖", Kind: "社区"},
		"kind": {Town: "500112002", Code: "500112002050", Name: "新湖社区", Kind: "乡"},
	} {
		if p := in.Validate(true); p[field] == "" {
			t.Errorf("%s: no problem at the field: %v", field, p)
		}
	}
	// Editing does not read the code.
	if p := (CommunityInput{Name: "新湖村", Kind: "村"}).Validate(false); !p.OK() {
		t.Errorf("an edit: %v", p)
	}
}
