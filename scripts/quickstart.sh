#!/usr/bin/env bash
# The whole job on the embedded default, with no account anywhere: build attctl and
# attctl-worker, start the worker, create a session that ends in a minute, and watch the
# worker close it at its end. Everything lives in a temporary directory, removed at exit.
#
#   bash scripts/quickstart.sh            # a session ending in 60 s
#   QUICKSTART_SECONDS=20 bash scripts/quickstart.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${QUICKSTART_SECONDS:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 5 || seconds > 3600)); then
  echo "QUICKSTART_SECONDS must be a number of seconds from 5 to 3600" >&2
  exit 2
fi

# hatchet-sdk compiles Hatchet's protobuf definitions, so the build needs protoc.
if ! command -v protoc >/dev/null 2>&1; then
  echo "==> installing protobuf-compiler (needed to build)"
  sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq protobuf-compiler >/dev/null
fi

# The first build compiles a few hundred crates: minutes, not seconds. Cargo's own progress
# is shown so it is clear that something is happening.
echo "==> building attctl and attctl-worker (release; the first build takes several minutes)"
# The binaries' one build command (the Dockerfile's and README's too); its crates have the
# same features as a `cargo build --release --workspace`, so whichever ran first, the other
# reuses its work (scripts/check-build-features.sh keeps it so).
cargo build --release --locked -p attctl -p attctl-worker
bin=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release

demo=$(mktemp -d "${TMPDIR:-/tmp}/attctl-quickstart.XXXXXX")
worker_pid=
cleanup() {
  if [[ -n $worker_pid ]] && kill -0 "$worker_pid" 2>/dev/null; then
    kill -TERM "$worker_pid"
    wait "$worker_pid" 2>/dev/null || true
  fi
  rm -rf "$demo"
}
trap cleanup EXIT

# Only the embedded default: no Supabase, no Hatchet, no profile, whatever the shell has.
unset SUPABASE_URL SUPABASE_SERVICE_ROLE_KEY SUPABASE_SECRET_KEY SUPABASE_SERVICE_KEY \
  HATCHET_CLIENT_TOKEN ATTCTL_PROFILE ATTCTL_BACKEND
export ATTCTL_DATA_FILE=$demo/attctl.db
export ATTCTL_CONFIG=$demo/config.toml
export ATTCTL_TIMEZONE=UTC

echo "==> starting attctl-worker (log: $demo/worker.log)"
"$bin/attctl-worker" >"$demo/worker.log" 2>&1 &
worker_pid=$!

# Session times are wall-clock times on one date: wait out the last moments of a UTC day.
while (( $(date -u +%s) % 86400 > 86400 - seconds - 120 )); do sleep 5; done
start=$(date -u +%H:%M:%S)
end=$(date -u -d "+${seconds} seconds" +%H:%M:%S)

"$bin/attctl" class create --name "Quick start" -o table
echo "==> creating a session from $start to $end UTC"
id=$("$bin/attctl" session create --class "Quick start" --date today \
  --start "$start" --end "$end" -o json | sed -n 's/^  "id": \([0-9]*\),$/\1/p')
"$bin/attctl" session show "$id" -o table

echo "==> waiting for the worker to close session $id at $end"
while :; do
  status=$("$bin/attctl" session show "$id" -o json | sed -n 's/^  "status": "\(.*\)",$/\1/p')
  [[ $status == Closed ]] && break
  if ! kill -0 "$worker_pid" 2>/dev/null; then
    echo "attctl-worker stopped unexpectedly:" >&2
    cat "$demo/worker.log" >&2
    exit 1
  fi
  printf '   %s  status %s\n' "$(date -u +%H:%M:%S)" "$status"
  sleep 5
done
echo "==> closed:"
"$bin/attctl" session show "$id" -o table
