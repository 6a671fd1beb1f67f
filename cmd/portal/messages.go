package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// runMessages is `portal messages sweep`: tell each committee, once per period, that its groups' 定期工作报告
// are overdue (one set-based statement; a serving portal also runs it by itself every hour, see sweeper.go;
// running it twice writes nothing new).
func runMessages(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "sweep" {
		return errors.New("usage: portal messages sweep")
	}
	db, err := openFromEnv(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.SweepOverdueReports(ctx, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d overdue-report messages written\n", n)
	return nil
}
