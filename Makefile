# 渝北区社区社会组织服务管理平台 — the two commands a new user needs are `make run` and `make test`.
GO ?= go
export PATH := $(PATH):/usr/local/go/bin

.PHONY: run test build static generate check bench clean

## run: start the portal with demo data on http://127.0.0.1:8080 (a private PostgreSQL in .pgdata/ unless DATABASE_URL is set)
run:
	$(GO) build -o bin/portal ./cmd/portal
	exec ./bin/portal dev

## test: every test against a real PostgreSQL (.pgdata-test/, or TEST_DATABASE_URL) and headless chromium
test:
	$(GO) vet ./...
	@[ -d tools/axe/node_modules/axe-core ] || npm ci --prefix tools/axe --no-audit --no-fund
	$(GO) test -count=1 -timeout 25m ./... ; status=$$?; \
	  if [ -z "$$TEST_DATABASE_URL" ]; then $(GO) run ./cmd/portal pg stop -dir .pgdata-test; fi; \
	  exit $$status

## build: the portal binary in bin/
build:
	$(GO) build -o bin/portal ./cmd/portal

## static: the binary the Dockerfile ships: no cgo, so it runs on a distroless base (the Dockerfile runs this target)
static:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w" -o bin/portal-static ./cmd/portal

## generate: regenerate templ's Go code after editing .templ files (the output is committed)
generate:
	$(GO) tool templ generate

## check: go.mod is tidy, generated code is current, gofmt has nothing to say, and the static binary of the
##        Dockerfile builds (CI runs this; there is no Docker engine on the build machines)
check: static
	$(GO) mod tidy -diff
	$(GO) tool templ generate
	git diff --exit-code -- '*_templ.go'
	@test -z "$$(gofmt -l cmd internal web migrations)" || { gofmt -l cmd internal web migrations; exit 1; }

## bench: Go micro-benchmarks, then the load test at 2 million organizations against nginx (PERFORMANCE.md);
##        the scale data is generated once into .pgdata-bench/ and reused. BENCH_ARGS="-orgs 200000" for a quick run.
bench:
	@if ! command -v wrk >/dev/null || ! { command -v nginx >/dev/null || test -x /usr/sbin/nginx; }; then \
	  echo "bench needs wrk and nginx: apt-get install wrk nginx-light"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk nginx-light >/dev/null; else exit 1; fi; fi
	$(GO) test -run '^$$' -bench . -benchmem ./internal/rules/ ./web/... ./internal/server/
	$(GO) run ./cmd/bench $(BENCH_ARGS)
	-$(GO) run ./cmd/portal pg stop -dir .pgdata-bench

## clean: stop the private clusters and remove them and the build output
clean:
	-$(GO) run ./cmd/portal pg stop -dir .pgdata
	-$(GO) run ./cmd/portal pg stop -dir .pgdata-test
	-$(GO) run ./cmd/portal pg stop -dir .pgdata-bench
	rm -rf .pgdata .pgdata-test .pgdata-test.lock .pgdata-bench .bench bin
