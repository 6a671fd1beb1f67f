// The third anchor: the floor of the stack. For each page, a chi handler sends the page's own statements
// through pgx and writes the page's saved bytes — no session handling, no decoding, no rendering, no logging,
// no security headers. Whatever it serves of a page is the most any portal built of chi, pgx and PostgreSQL can
// serve of that page on this machine; the portal's req/s as a share of it is what the portal's own work costs.
package main

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// floorPage is one page for the floor: the statements the portal sent for it, with their values written in,
// and the bytes it answered.
type floorPage struct {
	stmts []string
	body  []byte
}

// floorHandler answers /p/{n} with page n. The statements go in one pipelined batch, a single round trip
// where the portal makes two (it must read the session before it knows what to ask), and their rows are
// read off the connection without being decoded: both make the floor generous. Each statement is prepared
// once per connection with its values in its text, as under pgbench. A statement that fails fails the
// request, so the floor never counts an answer the database did not give.
func floorHandler(pool *pgxpool.Pool, pages []floorPage) http.Handler {
	r := chi.NewRouter()
	r.Get("/p/{n}", func(w http.ResponseWriter, req *http.Request) {
		n, err := strconv.Atoi(chi.URLParam(req, "n"))
		if err != nil || n < 0 || n >= len(pages) {
			http.NotFound(w, req)
			return
		}
		b := &pgx.Batch{}
		for _, s := range pages[n].stmts {
			b.Queue(s)
		}
		if err := pool.SendBatch(req.Context(), b).Close(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(pages[n].body)))
		_, _ = w.Write(pages[n].body)
	})
	return r
}

// openFloorPool connects as the portal's connections do (db.go): JIT off, Beijing time, and as many
// connections as pgbench is given.
func openFloorPool(ctx context.Context, dbURL string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = pgbenchClients
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	cfg.ConnConfig.RuntimeParams["timezone"] = "Asia/Shanghai"
	return pgxpool.NewWithConfig(ctx, cfg)
}

// startFloor serves the floor on floorAddr until the returned stop is called.
func startFloor(ctx context.Context, dbURL string, pages []floorPage) (stop func(), err error) {
	pool, err := openFloorPool(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", floorAddr)
	if err != nil {
		pool.Close()
		return nil, err
	}
	srv := &http.Server{Handler: floorHandler(pool, pages), ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	stop = func() {
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
		<-served // http.ErrServerClosed: Serve returns it once Shutdown has begun
		pool.Close()
	}
	if err := waitReady(ctx, "http://"+floorAddr+"/p/0"); err != nil {
		stop()
		return nil, err
	}
	return stop, nil
}
