// Package pgcluster runs a private PostgreSQL cluster in a folder of the project, for `make run` and `make test`.
//
// The cluster listens only on a unix socket inside its own folder, so it never collides with another server on
// the machine. PostgreSQL refuses to run as root, so when we are root (CI, this kind of machine) the cluster is
// owned by and run as the unprivileged `postgres` account through runuser; a normal user on a laptop runs it as
// themselves, with nothing changed.
package pgcluster

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Port only names the socket file; nothing listens on TCP.
const Port = 5432

// Superuser is the role initdb creates; the portal connects as it over the private socket.
const Superuser = "portal"

// maxSocketPath keeps us under the kernel's 108-byte limit for unix socket paths.
const maxSocketPath = 100

// Cluster is a private PostgreSQL cluster in Dir.
type Cluster struct {
	Dir     string // holds data/, run/ (the socket) and server.log
	bin     string // the PostgreSQL server binaries
	runAs   *user.User
	started bool // true when this process started the server and so should stop it
	log     io.Writer
}

// ErrNoBinaries says PostgreSQL's server programs are not installed.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, pg_ctl) not found: install them, " +
	"e.g. `apt-get install postgresql` on Debian/Ubuntu or `brew install postgresql@15` on macOS, " +
	"or set PG_BIN to their folder, or set DATABASE_URL to use a server you already run")

// Open prepares a cluster in dir without starting it. When we run as root and the postgres account cannot reach
// dir, the cluster moves to a folder under the system temp dir named after dir, and says so on log.
func Open(dir string, log io.Writer) (*Cluster, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	bin, err := findBinaries()
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: abs, bin: bin, log: log}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root: PostgreSQL cannot run as root and there is no `postgres` account to run it as (create one with `useradd --system postgres`): %w", err)
		}
		c.runAs = u
		if !c.reachable(filepath.Dir(abs)) {
			c.Dir = fallbackDir(abs)
			fmt.Fprintf(log, "pgcluster: the postgres account cannot reach %s; using %s instead\n", abs, c.Dir)
		}
	}
	if len(c.socketPath()) > maxSocketPath {
		c.Dir = fallbackDir(abs)
		fmt.Fprintf(log, "pgcluster: %s is too long a path for a unix socket; using %s instead\n", abs, c.Dir)
	}
	return c, nil
}

func fallbackDir(abs string) string {
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(os.TempDir(), "yubei-portal-pg-"+hex.EncodeToString(sum[:6]))
}

// findBinaries looks in PG_BIN, then PATH, then Debian's and Homebrew's usual places, newest version first.
func findBinaries() (string, error) {
	if d := os.Getenv("PG_BIN"); d != "" {
		if isExec(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
		return "", fmt.Errorf("PG_BIN=%s holds no pg_ctl: %w", d, ErrNoBinaries)
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		// A pg_ctl on PATH is often a link into the real folder, which also holds pg_dump, initdb and the rest.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return filepath.Dir(p), nil
	}
	var candidates []string
	for _, pattern := range []string{"/usr/lib/postgresql/*/bin", "/usr/local/opt/postgresql*/bin", "/opt/homebrew/opt/postgresql*/bin", "/usr/pgsql-*/bin"} {
		m, _ := filepath.Glob(pattern)
		candidates = append(candidates, m...)
	}
	sort.Slice(candidates, func(i, j int) bool { return versionOf(candidates[i]) > versionOf(candidates[j]) })
	for _, d := range candidates {
		if isExec(filepath.Join(d, "pg_ctl")) && isExec(filepath.Join(d, "initdb")) {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func versionOf(binDir string) int {
	for _, part := range strings.Split(binDir, string(filepath.Separator)) {
		digits := strings.TrimLeft(part, "postgresql@-pgsql")
		if n, err := strconv.Atoi(digits); err == nil {
			return n
		}
	}
	return 0
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

func (c *Cluster) dataDir() string   { return filepath.Join(c.Dir, "data") }
func (c *Cluster) socketDir() string { return filepath.Join(c.Dir, "run") }
func (c *Cluster) socketPath() string {
	return filepath.Join(c.socketDir(), ".s.PGSQL."+strconv.Itoa(Port))
}

// LogFile is where the server writes its log (pg_ctl -l).
func (c *Cluster) LogFile() string { return filepath.Join(c.Dir, "server.log") }

// URL is the connection string for database db on this cluster's socket.
func (c *Cluster) URL(db string) string {
	q := url.Values{"host": {c.socketDir()}, "port": {strconv.Itoa(Port)}, "user": {Superuser}, "sslmode": {"disable"}}
	return "postgres:///" + url.PathEscape(db) + "?" + q.Encode()
}

// Start initialises the cluster if it is new and starts it unless it is already running. Settings are tuned
// for a developer machine; fast skips fsync, for throwaway test clusters only.
func (c *Cluster) Start(ctx context.Context, fast bool) error {
	if err := os.MkdirAll(c.socketDir(), 0o700); err != nil {
		return err
	}
	if err := os.Chmod(c.Dir, 0o700); err != nil {
		return err
	}
	if err := c.chown(c.Dir); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(c.dataDir(), "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(c.log, "pgcluster: creating a PostgreSQL cluster in %s\n", c.dataDir())
		if err := c.run(ctx, "initdb", "-D", c.dataDir(), "-U", Superuser, "-A", "trust",
			"--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
			return fmt.Errorf("initdb: %w", err)
		}
	}
	if c.Running(ctx) {
		return nil
	}
	opts := []string{
		"-c listen_addresses=''",
		"-c unix_socket_directories='" + c.socketDir() + "'",
		"-c port=" + strconv.Itoa(Port),
		"-c max_connections=200",
		"-c shared_buffers=256MB",
	}
	if fast {
		opts = append(opts, "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off")
	}
	if err := c.run(ctx, "pg_ctl", "-D", c.dataDir(), "-l", c.LogFile(), "-w", "-t", "60",
		"-o", strings.Join(opts, " "), "start"); err != nil {
		tail, _ := os.ReadFile(c.LogFile())
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return fmt.Errorf("pg_ctl start: %w\n%s", err, tail)
	}
	c.started = true
	return nil
}

// Running reports whether a server is up on this cluster's data folder.
func (c *Cluster) Running(ctx context.Context) bool {
	return c.run(ctx, "pg_ctl", "-D", c.dataDir(), "status") == nil
}

// Started reports whether this process started the server (and so owns stopping it).
func (c *Cluster) Started() bool { return c.started }

// Stop stops the server (fast shutdown: open sessions are ended, committed data is kept).
func (c *Cluster) Stop(ctx context.Context) error {
	return c.run(ctx, "pg_ctl", "-D", c.dataDir(), "-m", "fast", "-w", "stop")
}

// Program is the path of a PostgreSQL client or server program (pg_dump, pg_restore …) on this machine.
func Program(name string) (string, error) {
	dir, err := findBinaries()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, name), nil
}

// Bin is the path of one of the PostgreSQL programs (pg_dump, psql …) beside the server.
func (c *Cluster) Bin(name string) string { return filepath.Join(c.bin, name) }

func (c *Cluster) run(ctx context.Context, prog string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	path := filepath.Join(c.bin, prog)
	var cmd *exec.Cmd
	if c.runAs != nil {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", c.runAs.Username, "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// The server must outlive a Ctrl-C sent to the terminal's process group so that we can stop it cleanly.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", prog, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// reachable reports whether the postgres account can enter dir and every folder above it.
func (c *Cluster) reachable(dir string) bool {
	cmd := exec.Command("runuser", "-u", c.runAs.Username, "--", "test", "-x", dir)
	return cmd.Run() == nil
}

func (c *Cluster) chown(dir string) error {
	if c.runAs == nil {
		return nil
	}
	uid, _ := strconv.Atoi(c.runAs.Uid)
	gid, _ := strconv.Atoi(c.runAs.Gid)
	// initdb and the server create everything below as the postgres account; only our own folders need handing over.
	for _, d := range []string{dir, c.socketDir()} {
		if err := os.Lchown(d, uid, gid); err != nil {
			return err
		}
	}
	return nil
}
