#!/usr/bin/env bash
# Makes a local PostgreSQL server available for the Postgres test leg, installing Debian's
# package and starting its cluster if needed, and prints the server URL the tests use
# (each test then creates its own database on it). Old test databases are dropped.
set -euo pipefail

PASSWORD=debrief-tests
if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  echo "==> Installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q online; then
  pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')
su postgres -c "psql -qtA -p $port -c \"ALTER USER postgres PASSWORD '$PASSWORD'\"" >/dev/null
for db in $(su postgres -c "psql -qtA -p $port -c \"SELECT datname FROM pg_database WHERE datname LIKE 'debrief_test_%'\""); do
  su postgres -c "psql -qtA -p $port -c 'DROP DATABASE $db'" >/dev/null
done
echo "postgres://postgres:$PASSWORD@127.0.0.1:$port"
