package web

// ConfirmStepName is the form field that says whether the clerk confirmed an irreversible step: "0" as the page
// sends it, "1" once the dialog or the confirmation page was answered with 确定.
const ConfirmStepName = "confirm_step"

// ConfirmStepView is the confirmation page of one irreversible step.
type ConfirmStepView struct {
	Page
	Heading  string
	Message  string // what will happen
	Action   string // the step's own address, posted to again
	Fields   []HiddenField
	Button   string
	BackHref string
}

// HiddenField is one value of the form being confirmed, sent again unchanged.
type HiddenField struct {
	Name  string
	Value string
}
