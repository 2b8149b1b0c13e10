#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server:
#
#   bash .ci/pg.sh COMMAND [ARGS...]
#
# It finds PostgreSQL's programs (installing the postgresql package when
# they are missing), makes a cluster in a temporary folder, starts it on a
# free port on 127.0.0.1 with fsync off, creates the database
# servicehall_test, prints the DSN and runs COMMAND with it in
# SERVICEHALL_TEST_PG. The server is stopped and its folder removed when the
# script ends, however it ends. The script exits with COMMAND's status.
#
# initdb refuses to run as root, so root runs the server as the postgres
# user (runuser); anyone else runs it as themselves. When SERVICEHALL_TEST_PG
# is already set, that server is used and nothing is started. When a server
# cannot be started outside CI, COMMAND still runs, without the variable:
# the PostgreSQL tests then skip (under CI=true they fail, by design).
set -uo pipefail

if [ $# -eq 0 ]; then
	echo "usage: bash .ci/pg.sh COMMAND [ARGS...]" >&2
	exit 2
fi

say() { echo "pg.sh: $*" >&2; }

run_without() {
	say "$1"
	if [ "${CI:-}" = true ]; then
		say "CI=true: a PostgreSQL test that cannot run fails; stopping here"
		exit 1
	fi
	say "running without PostgreSQL; its tests will skip"
	"${CMD[@]}"
	exit $?
}

CMD=("$@")

if [ -n "${SERVICEHALL_TEST_PG:-}" ]; then
	say "using the server in SERVICEHALL_TEST_PG"
	"${CMD[@]}"
	exit $?
fi

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

find_bin() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

PGBIN=$(find_bin)
if [ -z "$PGBIN" ]; then
	say "PostgreSQL is not installed; installing the postgresql package"
	if ! { $SUDO apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql; } >&2; then
		run_without "could not install PostgreSQL"
	fi
	PGBIN=$(find_bin)
	[ -n "$PGBIN" ] || run_without "PostgreSQL's programs are not in /usr/lib/postgresql/*/bin"
fi

# as runs a PostgreSQL program as the server's owner.
if [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 || run_without "there is no postgres user to run the server as"
	as() { runuser -u postgres -- "$@"; }
	OWNER=postgres
else
	as() { "$@"; }
	OWNER=$(id -un)
fi

# The folder's parents must be searchable by the owner: /tmp always is.
PGT=$(mktemp -d /tmp/servicehall-pg.XXXXXX) || run_without "cannot make a temporary folder"
PORT=
started=

cleanup() {
	if [ -n "$started" ]; then
		as "$PGBIN/pg_ctl" -D "$PGT/data" -m immediate -w stop >/dev/null 2>&1 ||
			say "could not stop the server in $PGT"
	fi
	rm -rf "$PGT"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

chown "$OWNER" "$PGT" 2>/dev/null
chmod 700 "$PGT"

if ! as "$PGBIN/initdb" -D "$PGT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PGT/initdb.log" 2>&1; then
	cat "$PGT/initdb.log" >&2
	run_without "initdb failed"
fi

# port_free reports whether nothing listens on 127.0.0.1:$1.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free port: try a few random high ones; pg_ctl fails on a taken one
# (another program may take it between the check and the start).
for _ in 1 2 3 4 5 6 7 8; do
	p=$((20000 + RANDOM % 40000))
	port_free "$p" || continue
	if as "$PGBIN/pg_ctl" -D "$PGT/data" -l "$PGT/server.log" -w -t 60 \
		-o "-p $p -k $PGT -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null 2>&1; then
		PORT=$p
		started=1
		break
	fi
done
if [ -z "$PORT" ]; then
	tail -n 20 "$PGT/server.log" >&2 2>/dev/null
	run_without "the server did not start"
fi

if ! "$PGBIN/psql" -q -X -v ON_ERROR_STOP=1 "postgresql://postgres@127.0.0.1:$PORT/postgres" \
	-c 'CREATE DATABASE servicehall_test' >&2; then
	run_without "could not create the test database"
fi

export SERVICEHALL_TEST_PG="postgres://postgres@127.0.0.1:$PORT/servicehall_test?sslmode=disable"
say "PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}') started in $PGT"
echo "SERVICEHALL_TEST_PG=$SERVICEHALL_TEST_PG"

"${CMD[@]}"
rc=$?
exit $rc
