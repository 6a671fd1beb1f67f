// The second anchor of PERFORMANCE.md: PostgreSQL running a page's own statements under pgbench, with no portal.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/pgcluster"
	"github.com/yubei-cso/portal/internal/postgres"
)

// pageStatements fetches a page once with every statement logged and returns the reads the portal sent for it,
// its parameters written in as literals. The page is fetched once before, unlogged, so that what is captured is
// a steady request: the division names are cached by then and the session was just touched.
func pageStatements(ctx context.Context, c *pgcluster.Cluster, db *postgres.DB, u, cookie string) ([]string, error) {
	if _, _, err := fetch(u, cookie); err != nil {
		return nil, err
	}
	fi, err := os.Stat(c.LogFile())
	if err != nil {
		return nil, err
	}
	if err := db.LogEveryStatement(ctx, true); err != nil {
		return nil, err
	}
	// The postmaster passes the reload on to the portal's connections a moment after it is asked.
	time.Sleep(300 * time.Millisecond)
	_, status, fetchErr := fetch(u, cookie)
	if err := db.LogEveryStatement(ctx, false); err != nil {
		return nil, err
	}
	time.Sleep(300 * time.Millisecond) // and the end of it, before anything is measured
	if fetchErr != nil {
		return nil, fetchErr
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("%s answered %d", u, status)
	}
	log, err := os.ReadFile(c.LogFile())
	if err != nil {
		return nil, err
	}
	if int64(len(log)) < fi.Size() {
		return nil, errors.New("the server log was rotated while a page's statements were read")
	}
	reads, others := executedStatements(string(log[fi.Size():]))
	if len(others) > 0 {
		// A write would be repeated by pgbench thousands of times; a page under load writes nothing.
		return nil, fmt.Errorf("%s sent statements that are not reads: %q", u, others)
	}
	if len(reads) == 0 {
		return nil, fmt.Errorf("no statement of %s was found in %s", u, c.LogFile())
	}
	return reads, nil
}

var (
	// logEntry starts a line of the server log in pgcluster's format, log_line_prefix '%m [%p] '.
	logEntry = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] ([A-Z]+):  `)
	// logExecute is the entry for the execution of a prepared statement, the way pgx sends every one.
	logExecute = regexp.MustCompile(`^duration: [0-9.]+ ms  execute [^:]*: `)
	// logParam is one parameter of a DETAIL entry: $n = 'text with '' doubled' or NULL.
	logParam = regexp.MustCompile(`^\$(\d+) = (NULL|'(?:[^']|'')*')(?:, |$)`)
	// sqlParam is a parameter in a statement's text.
	sqlParam = regexp.MustCompile(`\$(\d+)`)
)

// executedStatements reads a piece of the server log and returns, in the order they ran, the statements that
// were executed with their parameters written in as literals, split into reads (SELECT, WITH) and the rest.
func executedStatements(log string) (reads, others []string) {
	type entry struct{ pid, level, text string }
	var entries []entry
	for _, line := range strings.Split(log, "\n") {
		if m := logEntry.FindStringSubmatchIndex(line); m != nil {
			entries = append(entries, entry{line[m[2]:m[3]], line[m[4]:m[5]], line[m[1]:]})
		} else if strings.HasPrefix(line, "\t") && len(entries) > 0 {
			entries[len(entries)-1].text += "\n" + line
		}
	}
	type execution struct {
		sql    string
		params map[int]string
	}
	var runs []*execution
	open := map[string]*execution{} // the latest execution of each backend, waiting for its DETAIL
	for _, e := range entries {
		switch {
		case e.level == "LOG" && logExecute.MatchString(e.text):
			x := &execution{sql: logExecute.ReplaceAllString(e.text, "")}
			runs = append(runs, x)
			open[e.pid] = x
		case e.level == "DETAIL" && strings.HasPrefix(e.text, "parameters: ") && open[e.pid] != nil:
			open[e.pid].params = parseParams(strings.TrimPrefix(e.text, "parameters: "))
			delete(open, e.pid)
		default:
			delete(open, e.pid)
		}
	}
	for _, x := range runs {
		sql := strings.TrimSpace(bindLiterals(x.sql, x.params))
		head := strings.ToUpper(sql[:min(len(sql), 6)])
		if strings.HasPrefix(head, "SELECT") || strings.HasPrefix(head, "WITH") {
			reads = append(reads, sql)
		} else {
			others = append(others, sql)
		}
	}
	return reads, others
}

// parseParams reads "$1 = 'a', $2 = NULL" into its literals by number.
func parseParams(s string) map[int]string {
	params := map[int]string{}
	for s != "" {
		m := logParam.FindStringSubmatch(s)
		if m == nil {
			break
		}
		n, _ := strconv.Atoi(m[1])
		params[n] = m[2]
		s = s[len(m[0]):]
	}
	return params
}

// bindLiterals writes each $n of sql as its literal, leaving quoted text alone. PostgreSQL gives a quoted literal
// the type its place needs, as it does a parameter's.
func bindLiterals(sql string, params map[int]string) string {
	var b strings.Builder
	for sql != "" {
		i := strings.IndexAny(sql, "'$")
		if i < 0 {
			b.WriteString(sql)
			break
		}
		b.WriteString(sql[:i])
		sql = sql[i:]
		if sql[0] == '\'' {
			end := 1
			for end < len(sql) {
				if sql[end] == '\'' {
					if end+1 < len(sql) && sql[end+1] == '\'' {
						end += 2
						continue
					}
					break
				}
				end++
			}
			end = min(end+1, len(sql))
			b.WriteString(sql[:end])
			sql = sql[end:]
			continue
		}
		m := sqlParam.FindStringSubmatch(sql)
		if m == nil {
			b.WriteByte('$')
			sql = sql[1:]
			continue
		}
		n, _ := strconv.Atoi(m[1])
		if lit, ok := params[n]; ok {
			b.WriteString(lit)
		} else {
			b.WriteString(m[0])
		}
		sql = sql[len(m[0]):]
	}
	return b.String()
}

var rePgbenchTPS = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// pgbench runs the statements as one script on clients connections for d and returns the scripts run per second.
// Each statement is prepared once per connection, with its values in its text: PostgreSQL plans it once for those
// values, which is at most what the portal's kept plans cost and less than what its searches pay, planned afresh
// each time. JIT is off and times are Beijing's, as on the portal's connections (db.go).
func pgbench(ctx context.Context, c *pgcluster.Cluster, dbURL, script string, clients int, d time.Duration) (float64, error) {
	f, err := os.CreateTemp("", "page-*.sql")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(script); err != nil {
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, d+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Bin("pgbench"), "-n", "-M", "prepared", "-c", strconv.Itoa(clients), "-j", "2",
		"-T", strconv.Itoa(int(d.Seconds())), "-f", f.Name(), dbURL)
	cmd.Env = append(os.Environ(), "PGOPTIONS=-c jit=off -c timezone=Asia/Shanghai")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %v\n%s", err, out)
	}
	m := rePgbenchTPS.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("pgbench: no result in\n%s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}
