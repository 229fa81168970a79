# Guichet — common tasks. `make test` is the one command that runs every
# test: unit, integration on SQLite and PostgreSQL, and browser tests.

GUICHET_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
export GUICHET_TEST_POSTGRES_URL

.PHONY: run test test-short e2e-deps web web-test web-check lint

run:
	go run ./server

# Browser tests need axe-core (npm) and Debian's chromium; PostgreSQL
# tests need the server named by GUICHET_TEST_POSTGRES_URL.
test: e2e-deps web-test
	go vet ./...
	go test -race -count=1 -timeout 45m ./...

# Unit and SQLite tests only (no PostgreSQL, no browser needed).
test-short:
	GUICHET_TEST_POSTGRES_URL= go test -count=1 ./...

e2e-deps:
	npm ci --prefix web/e2e --no-audit --no-fund --loglevel=error

web:
	cd web/admin && npm ci && npm run build

# Frontend unit tests of the admin SPA (Vitest).
web-test:
	cd web/admin && npm ci --no-audit --no-fund --loglevel=error && npx vitest run

# The committed dist must be what its sources build to.
web-check: web
	git diff --exit-code --stat -- web/admin/dist
	test -z "$$(git status --porcelain -- web/admin/dist)"

lint:
	gofmt -l . && go vet ./...
