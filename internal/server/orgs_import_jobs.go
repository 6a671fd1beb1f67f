// The 台账 jobs' workers: the background check of an uploaded 台账 and the import of a confirmed one.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

const (
	// importWorkerCount jobs run at once in one process: each keeps a core busy parsing XML or waiting on a long
	// transaction, and the machine has two.
	importWorkerCount = 2
	// importAdmitted is how many jobs a process takes on at once, running or waiting: an uploaded 台账 waits in
	// memory (up to 10 MB, several times that once unzipped), so the queue stays short and the next upload is
	// asked to come back later.
	importAdmitted = 4
	// importJobTimeout bounds a job; a 100,000-row 台账 takes well under a minute to check or to import.
	importJobTimeout = 10 * time.Minute
	// importProgressEvery is how many rows pass between two progress writes of a check.
	importProgressEvery = 2000
)

// importJobBeat is what a worker tells the database about the job it runs.
type importJobBeat interface {
	StartImportJob(ctx context.Context, id string) error
	ImportJobHeartbeat(ctx context.Context, id string) error
	ImportJobProgress(ctx context.Context, id string, done int) error
	FailImportJob(ctx context.Context, id, message string) error
}

// importWorkers runs this process's 台账 jobs, apart from the requests that start them: a job goes on after
// its request has been answered, and stops only when done, past importJobTimeout, or when the process closes
// (its transaction then rolls back, and the job shows as failed or, if the process dies, as interrupted).
type importWorkers struct {
	ctx      context.Context // ends when the server closes
	cancel   context.CancelFunc
	slots    chan struct{} // a token per running job
	admitted chan struct{} // a token per job taken on, running or waiting
	wg       sync.WaitGroup
	log      *slog.Logger
}

func newImportWorkers(log *slog.Logger) *importWorkers {
	ctx, cancel := context.WithCancel(context.Background())
	return &importWorkers{ctx: ctx, cancel: cancel, slots: make(chan struct{}, importWorkerCount),
		admitted: make(chan struct{}, importAdmitted), log: log}
}

// admit takes on a job if the process has room for it; the caller then either runs it or releases it.
func (w *importWorkers) admit() bool {
	select {
	case w.admitted <- struct{}{}:
		return true
	default:
		return false
	}
}

func (w *importWorkers) release() { <-w.admitted }

// run works job id (admitted) in the background: it waits for a free worker, renews the job's heartbeat
// throughout, and records any failure on the job in words for the clerk.
func (w *importWorkers) run(db importJobBeat, id string, work func(ctx context.Context) error) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer w.release()
		ctx, cancel := context.WithTimeout(w.ctx, importJobTimeout)
		defer cancel()
		stop, stopped := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(stopped)
			w.heartbeat(ctx, db, id, stop)
		}()
		defer func() {
			close(stop)
			<-stopped
		}()
		err := w.work(ctx, db, id, work)
		if err == nil {
			return
		}
		if ctx.Err() != nil {
			err = ctx.Err() // whatever the store made of it, the job ran out of time or the process is closing
		}
		msg := importFailure(err)
		if msg == importFailureInternal {
			w.log.Error("台账 job failed", "job", id, "err", err)
		}
		// The job's own context may be over; its failure is still recorded.
		fctx, fcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer fcancel()
		if err := db.FailImportJob(fctx, id, msg); err != nil {
			w.log.Error("recording a 台账 job's failure", "job", id, "err", err)
		}
	}()
}

func (w *importWorkers) work(ctx context.Context, db importJobBeat, id string, work func(ctx context.Context) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	select {
	case w.slots <- struct{}{}:
		defer func() { <-w.slots }()
	case <-ctx.Done():
		// Never started: work still runs, on the finished context, only to release what it holds (a check's
		// open workbook); it stops at its first step.
		return work(ctx)
	}
	if err := db.StartImportJob(ctx, id); err != nil {
		return err
	}
	return work(ctx)
}

// heartbeat renews job id's heartbeat until stop closes, so that a job busy in one long statement still shows
// as alive while one whose process has died shows as interrupted.
func (w *importWorkers) heartbeat(ctx context.Context, db importJobBeat, id string, stop <-chan struct{}) {
	t := time.NewTicker(ledger.HeartbeatEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		case <-t.C:
			if err := db.ImportJobHeartbeat(ctx, id); err != nil && ctx.Err() == nil {
				w.log.Warn("台账 job heartbeat", "job", id, "err", err)
			}
		}
	}
}

// close stops every job (their transactions roll back) and waits for them to record it.
func (w *importWorkers) close() {
	w.cancel()
	w.wg.Wait()
}

// finish waits for the jobs running or waiting in this process until ctx ends, then stops what is left as close
// does. A process asked to stop for a deployment thus completes a clerk's confirmed import instead of rolling
// it back; the HTTP server has stopped taking uploads before this is called.
func (w *importWorkers) finish(ctx context.Context) {
	done := make(chan struct{})
	go func() {
		w.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
	w.close()
}

const importFailureInternal = "处理时发生系统错误，没有导入任何组织。请稍后重新上传台账；如果再次出现，请联系区民政局。"

// importFailure says in the clerk's words why a job stopped.
func importFailure(err error) string {
	var refusal *ledger.Refusal
	switch {
	case errors.As(err, &refusal):
		return refusal.Reason
	case errors.Is(err, registry.ErrNameTaken):
		return "检查之后，台账中有组织名称已被区内其他组织使用，因此本次没有导入任何组织。请重新上传台账，系统会列出重名的行。"
	case errors.Is(err, portal.ErrNotFound):
		return "检查结果已过期或已导入，本次没有导入任何组织。请重新上传台账。"
	case errors.Is(err, context.DeadlineExceeded):
		return "处理超过 10 分钟仍未完成，已停止，没有导入任何组织。请把台账拆分成几个文件后分别上传。"
	case errors.Is(err, context.Canceled):
		return "服务器重新启动，处理已中断，没有导入任何组织。请重新上传台账。"
	}
	return importFailureInternal
}

// ledgerCheckStore is what the check of a 台账 reads and writes.
type ledgerCheckStore interface {
	importJobBeat
	TakenNames(ctx context.Context, scope portal.Scope, names []string) ([]string, error)
	RejectImportJob(ctx context.Context, id string, result ledger.Result) error
	ReadyImportJob(ctx context.Context, scope portal.Scope, actor portal.Actor, id string, result ledger.Result, orgs []registry.OrgInput) error
}

// checkLedger is the check job: it reads and checks every row of book, writing how far it has come, asks once
// for the names the district already has, and ends the job with every problem found or, when there is none,
// with the rows kept for the clerk's confirmation. It closes book.
func checkLedger(ctx context.Context, db ledgerCheckStore, scope portal.Scope, actor portal.Actor, id string, book *ledger.Book, check *ledger.Check) error {
	defer book.Close()
	if err := ctx.Err(); err != nil {
		return err
	}
	told := 0
	for {
		row, ok, err := book.Next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		check.Add(row)
		if n := book.RowsRead(); n-told >= importProgressEvery {
			if err := db.ImportJobProgress(ctx, id, n); err != nil {
				return err
			}
			told = n
		}
	}
	if err := db.ImportJobProgress(ctx, id, book.RowsRead()); err != nil {
		return err
	}
	// Names already used by a live organization of the district: one query for the whole file.
	names := make([]string, len(check.Entries))
	for i, e := range check.Entries {
		names[i] = e.Name()
	}
	taken, err := db.TakenNames(ctx, scope, names)
	if err != nil {
		return err
	}
	if len(taken) > 0 {
		isTaken := make(map[string]bool, len(taken))
		for _, n := range taken {
			isTaken[n] = true
		}
		for _, e := range check.Entries {
			if isTaken[e.Name()] {
				check.Problems = append(check.Problems, ledger.Problem{Row: e.Row, Column: ledger.ColName,
					Value: e.Name(), Reason: msgNameTaken})
			}
		}
	}
	result := check.Result()
	if result.ProblemCount > 0 {
		return db.RejectImportJob(ctx, id, result)
	}
	orgs := make([]registry.OrgInput, len(check.Entries))
	for i, e := range check.Entries {
		orgs[i] = registry.OrgInput{CommunityCode: e.Community.Code, Tier: registry.TierGuided,
			LegalForm: rules.FormUnregistered, NameParts: e.Parts, Fields: e.Fields, Nature: e.Nature,
			FoundedOn: e.FoundedOn, LeaderName: e.LeaderName, LeaderPhone: e.LeaderPhone, LeaderID: e.LeaderID,
			Venue: e.Venue, Members: e.Members, Volunteers: e.Volunteers, PublishContact: e.PublishContact}
	}
	return db.ReadyImportJob(ctx, scope, actor, id, result, orgs)
}

// ledgerImportStore is what the import of a confirmed 台账 writes.
type ledgerImportStore interface {
	importJobBeat
	RunImportJob(ctx context.Context, scope portal.Scope, actor portal.Actor, id string, progress func(done int)) (int, error)
}

// importLedger is the import job: every kept row in one transaction, its progress written after each chunk.
func importLedger(ctx context.Context, db ledgerImportStore, scope portal.Scope, actor portal.Actor, id string) error {
	_, err := db.RunImportJob(ctx, scope, actor, id, func(done int) {
		// Progress is for the clerk's eyes; failing to write it does not fail the import.
		_ = db.ImportJobProgress(ctx, id, done)
	})
	return err
}
