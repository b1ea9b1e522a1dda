#!/usr/bin/env bash
# The exhaustive accuracy sweep as N shards run by GNU parallel over ssh, one
# per host slot, each shard file copied back here, then merged here.
#
#   examples/shards/gnu-parallel.sh HOSTS_FILE [N]
#
# HOSTS_FILE: one ssh login per line, GNU parallel's --sshloginfile format
# ("1/host-a" = one job at a time on host-a; ":" = this machine). Every host
# needs the same build at the same path as here (same commit, same CPU model:
# merge refuses shards that differ).
set -euo pipefail
hosts="${1:?usage: gnu-parallel.sh HOSTS_FILE [N]}"
n="${2:-8}"
root="$(pwd)"
out="results/shards-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

# --return copies each shard file back (relative to --workdir), --cleanup
# removes it remotely; a failed shard fails the command (--halt now,fail=1).
parallel --sshloginfile "$hosts" --workdir "$root" --halt now,fail=1 \
  --return "$out/shard-{}.json" --cleanup \
  "mkdir -p $out && build/release/gelubench accuracy --exhaustive --shard {}/$n --out $out/shard-{}.json" \
  ::: $(seq 0 $((n - 1)))

build/release/gelubench merge "$out"/shard-*.json --out "$out/accuracy.json"
echo "gnu-parallel.sh: $out/accuracy.json"
