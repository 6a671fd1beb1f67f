package ledger

import (
	"slices"
	"time"
)

// JobState is where a 台账 job stands. The upload starts a job that reads and checks the rows; the clerk's
// confirmation starts the same job again to import them.
type JobState string

const (
	JobChecking  JobState = "checking"  // the rows are being read and checked
	JobRejected  JobState = "rejected"  // checked, with problems: nothing kept, nothing imported
	JobReady     JobState = "ready"     // checked, every row good: kept for the clerk's confirmation
	JobImporting JobState = "importing" // confirmed: the rows are being imported in one transaction
	JobDone      JobState = "done"      // imported
	JobFailed    JobState = "failed"    // stopped for a reason the clerk is told; nothing imported
	// JobInterrupted is never stored: it is how a running job shows once its process has stopped renewing the
	// heartbeat (the process ended, so nobody is left to record that it did). Nothing was imported.
	JobInterrupted JobState = "interrupted"
)

// Running says whether a job in state s is still being worked.
func (s JobState) Running() bool { return s == JobChecking || s == JobImporting }

// Heartbeat timing: a running job renews its heartbeat every HeartbeatEvery, and one silent for StaleAfter is
// taken for interrupted. The gap leaves room for a busy database or a long garbage collection.
const (
	HeartbeatEvery = 5 * time.Second
	StaleAfter     = 30 * time.Second
)

// Shown is the state a job in state s with its last heartbeat at beat shows at time now.
func (s JobState) Shown(beat, now time.Time) JobState {
	if s.Running() && now.Sub(beat) > StaleAfter {
		return JobInterrupted
	}
	return s
}

// Limits of what a finished check keeps for its page.
const (
	MaxListedProblems = 1000 // a badly broken 台账's page stays small; the clerk fixes these and uploads again
	PreviewRows       = 20   // good rows shown before the confirmation
)

// Result is what a finished check found, as its page shows it: the problems (sorted by row, the first
// MaxListedProblems of them) when there are any, else the first PreviewRows rows that will be imported.
type Result struct {
	Rows         int // rows checked
	BadRows      int // rows with at least one problem
	ProblemCount int
	Problems     []Problem
	Preview      []Entry
}

// Result sums up the check once every row is added (and any problem found beyond the sheet, such as a name
// already taken in the district, appended to Problems).
func (k *Check) Result() Result {
	problems := slices.Clone(k.Problems)
	slices.SortStableFunc(problems, func(x, y Problem) int { return x.Row - y.Row })
	r := Result{Rows: k.Rows, ProblemCount: len(problems)}
	for i, p := range problems {
		if i == 0 || problems[i-1].Row != p.Row {
			r.BadRows++
		}
	}
	if len(problems) > 0 {
		r.Problems = problems[:min(len(problems), MaxListedProblems)]
		return r
	}
	r.Preview = k.Entries[:min(len(k.Entries), PreviewRows)]
	return r
}

// Job is a 台账 job as its page shows it.
type Job struct {
	ID       string
	Filename string
	// State is as shown: a running job whose process stopped renewing the heartbeat is JobInterrupted.
	State     JobState
	Waiting   bool // running, but not yet picked up by a worker of its process
	RowsDone  int
	RowsTotal int
	Imported  int
	Message   string // why it failed
	Result    Result // what the check found, once it has finished
	Expired   bool   // checked clean, but the kept rows expired before the confirmation
	CreatedAt time.Time
}
