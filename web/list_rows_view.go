package web

// leaderCell is the 负责人 with the masked phone, "—" when neither is known.
func leaderCell(name, phone string) string {
	switch {
	case name == "" && phone == "":
		return "—"
	case name == "" || phone == "":
		return name + phone
	}
	return name + " " + phone
}
