package web

// RegistrationChangeView is the district's 变更登记 form of one registered group.
type RegistrationChangeView struct {
	Page
	OrgName          string
	OrgHref          string
	Action           string
	Version          int
	LegalForm        Field
	LegalFormOptions []Option
	Prefix           string // 行政区划 part of the name: the group's, fixed
	Community        string // 社区（村） part of the name: the group's, fixed
	Zihao            Field
	NameField        Field
	Form             Field
	ComposedName     string
	USCC             Field
	LeaderName       Field
	IDNumber         Field // never echoed back
	IDHint           string
	Reason           Field
	Problems         map[string]string
}

// Problem is the message for key, "" when none.
func (v RegistrationChangeView) Problem(key string) string { return v.Problems[key] }

// SetProblems files each message beside its input.
func (v *RegistrationChangeView) SetProblems(p map[string]string) {
	v.Problems = p
	for key, f := range map[string]*Field{"legal_form": &v.LegalForm, "zihao": &v.Zihao, "field": &v.NameField,
		"form": &v.Form, "uscc": &v.USCC, "leader_name": &v.LeaderName, "id_number": &v.IDNumber,
		"reason": &v.Reason} {
		f.Problem = p[key]
	}
}
