#!/usr/bin/env bash
# Checks that `cargo build --release --workspace` and the binaries' own build
# (`cargo build --release --locked -p attctl -p attctl-worker`: quickstart, Dockerfile,
# README) compile every crate of the binaries with the same features. Cargo unifies
# features per invocation, so a crate that the test crates (testkit, the Hatchet test
# engine) ask more of is built twice, and one build throws away the other's work: ~150 s
# on two cores once serde_json differed. Fix a difference by asking for the same features
# on the binaries' side (worker/Cargo.toml, the workspace dependencies) or fewer on the
# test side.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

features() {
  # One line per crate and version: its features in that invocation (host and target
  # units both listed; a crate built with two feature sets appears twice).
  cargo tree --locked -e normal,build --prefix none -f '{p} {f}' "$@" |
    sed 's/ (\*)$//; s/ (proc-macro)//' | grep -v '^$' | sort -u
}

binaries=$(features -p attctl -p attctl-worker)
workspace=$(features --workspace)
status=0
while read -r name version; do
  ours=$(awk -v n="$name" -v v="$version" '$1 == n && $2 == v {print $3}' <<<"$binaries" | sort -u | tr '\n' ' ')
  theirs=$(awk -v n="$name" -v v="$version" '$1 == n && $2 == v {print $3}' <<<"$workspace" | sort -u | tr '\n' ' ')
  if [[ $ours != "$theirs" ]]; then
    echo "$name $version: binaries' build [${ours% }], workspace build [${theirs% }]" >&2
    status=1
  fi
done < <(awk '{print $1, $2}' <<<"$binaries" | sort -u)
if ((status)); then
  echo "error: the builds above compile these crates twice; align their features" >&2
else
  echo "the binaries' crates have the same features in both builds"
fi
exit "$status"
