#!/usr/bin/env bash
# test.sh runs every test of servus, the PostgreSQL ones included.
#
# It starts the local PostgreSQL server when it does not answer on
# 127.0.0.1:5432 (as installed on the project's machines), then runs go vet
# and go test -race over every package but the demo seeding (about 8-13
# minutes on two cores; the race detector is worth it for a server that runs
# goroutines). Extra arguments go to go test, e.g.
#   ./test.sh -run TestServe -v
# With SERVUS_TEST_LOG=FILE the test output is verbose and also written to
# FILE (CI reads it to prove the PostgreSQL suite ran).
set -euo pipefail
cd "$(dirname "$0")"
command -v go >/dev/null 2>&1 || export PATH="/usr/local/go/bin:$PATH"

pg_answers() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
if ! pg_answers; then
	if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
		echo "test.sh: starting the local PostgreSQL server" >&2
		for version in $(ls /etc/postgresql); do
			pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
		done
		for _ in $(seq 60); do pg_answers && break; sleep 0.5; done
	fi
	pg_answers || echo "test.sh: PostgreSQL does not answer on 127.0.0.1:5432: its tests skip (and fail when CI is set)" >&2
fi

go vet ./...
# The demo package seeds the whole demo several times in one goroutine; the
# race detector finds nothing there and makes it ten times slower, so it
# runs without. Every other package runs with -race.
race_pkgs=$(go list ./... | grep -v '/internal/demo$')
if [ -n "${SERVUS_TEST_LOG:-}" ]; then
	{
		go test -count=1 -race -timeout 30m -v "$@" $race_pkgs
		go test -count=1 -timeout 30m -v "$@" ./internal/demo
	} 2>&1 | tee "$SERVUS_TEST_LOG"
else
	go test -count=1 -race -timeout 30m "$@" $race_pkgs
	go test -count=1 -timeout 30m "$@" ./internal/demo
fi
