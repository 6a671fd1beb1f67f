# 渝北区社区社会组织服务管理平台 — the two commands a new user needs are `make run` and `make test`.
GO ?= go
export PATH := $(PATH):/usr/local/go/bin

.PHONY: run test build generate check bench clean

## run: start the portal with demo data on http://127.0.0.1:8080 (a private PostgreSQL in .pgdata/ unless DATABASE_URL is set)
run:
	$(GO) run ./cmd/portal dev

## test: every test against a real PostgreSQL (.pgdata-test/, or TEST_DATABASE_URL) and headless chromium
test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 25m ./... ; status=$$?; \
	  if [ -z "$$TEST_DATABASE_URL" ]; then $(GO) run ./cmd/portal pg stop -dir .pgdata-test; fi; \
	  exit $$status

## build: the portal binary in bin/
build:
	$(GO) build -o bin/portal ./cmd/portal

## generate: regenerate templ's Go code after editing .templ files (the output is committed)
generate:
	$(GO) tool templ generate

## check: generated code is current and gofmt has nothing to say (CI runs this)
check:
	$(GO) tool templ generate
	git diff --exit-code -- '*_templ.go'
	@test -z "$$(gofmt -l cmd internal web migrations)" || { gofmt -l cmd internal web migrations; exit 1; }

## bench: Go micro-benchmarks of rendering and the rules (the scale load test is not written yet)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/rules/ ./web/ ./internal/server/

## clean: stop the private clusters and remove them and the build output
clean:
	-$(GO) run ./cmd/portal pg stop -dir .pgdata
	-$(GO) run ./cmd/portal pg stop -dir .pgdata-test
	rm -rf .pgdata .pgdata-test .pgdata-test.lock bin
