#!/usr/bin/env bash
# The production configuration on this machine: `amparo serve` (gunicorn) and the task worker
# against the local PostgreSQL, with secrets generated once into var/prod-local (0600). For the
# drills, the load test and an operator's rehearsal; not a deployment (plain HTTP, loopback).
#
#   deploy/prod-local.sh [--cases N] [--port 8000]
#
# Stop it with Ctrl-C (both processes stop).
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=0
PORT=8000
while [ $# -gt 0 ]; do
    case "$1" in
        --cases) CASES="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        *) echo "usage: deploy/prod-local.sh [--cases N] [--port 8000]" >&2; exit 2 ;;
    esac
done
VAR="$PWD/var/prod-local"
BIN="$PWD/.venv/bin"
mkdir -p "$VAR"
chmod 700 "$VAR"
umask 077
[ -s "$VAR/secret-key" ] || "$BIN/python" -c "import secrets; print(secrets.token_urlsafe(50))" > "$VAR/secret-key"
[ -s "$VAR/keyring" ] || "$BIN/amparo" keys generate local1 > "$VAR/keyring"
DB="${AMPARO_PROD_LOCAL_DB:-amparo_prod_local}"
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
    || createdb -h 127.0.0.1 -U postgres "$DB"
export AMPARO_DEMO=0 AMPARO_DEBUG=0 AMPARO_HTTPS=0 AMPARO_VAR_DIR="$VAR"
export SECRET_KEY="$(cat "$VAR/secret-key")" AMPARO_KEYRING="$(cat "$VAR/keyring")"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" ALLOWED_HOSTS="127.0.0.1,localhost"
export AMPARO_BASE_URL="http://127.0.0.1:$PORT" AMPARO_LOG_LEVEL="${AMPARO_LOG_LEVEL:-WARNING}"
"$BIN/amparo" migrate --no-input -v0
"$BIN/amparo" collectstatic --no-input -v0
if [ "$CASES" -gt 0 ]; then
    "$BIN/python" - "$CASES" <<'PY'
import os, sys
sys.path.insert(0, "bench")
from production import seed, shell
env = dict(os.environ)
have = int(shell(env, "from amparo.cases.models import Case; print(Case.objects.count())"))
wanted = int(sys.argv[1])
if have < wanted:
    seed(env, wanted - have, have + 1)
    print(f"seeded {wanted - have} synthetic cases")
PY
fi
echo "Amparo (production configuration) on http://127.0.0.1:$PORT/ — database $DB, secrets in $VAR"
echo "First user: AMPARO_DEMO=0 ... amparo createuser NAME (same environment: source $VAR/env)"
env | grep -E '^(AMPARO_|SECRET_KEY|DATABASE_URL|ALLOWED_HOSTS)' | sed 's/^/export /' > "$VAR/env"
"$BIN/amparo" db_worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT
"$BIN/amparo" serve --bind "127.0.0.1:$PORT" --access-log "$VAR/access.log"
