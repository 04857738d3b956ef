#!/usr/bin/env bash
# Installs what is missing, builds Debrief and starts it at http://127.0.0.1:3000 on an embedded
# SQLite database in ./data (created, with its schema, on first start). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
exec cargo leptos serve
