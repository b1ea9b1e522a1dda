#!/usr/bin/env bash
# The exhaustive accuracy sweep as a Slurm job array of N shards, then one
# merge job that starts when every shard succeeded.
#
#   examples/shards/slurm.sh [N]        (from the repository root, on the login node)
#
# Needs the build (cmake --preset release && cmake --build --preset release)
# on a file system every node sees, and nodes of one CPU model: set
# GELUBENCH_SLURM_ARGS, e.g. "--partition=cpu --constraint=zen4".
set -euo pipefail
n="${1:-8}"
root="$(pwd)"
bin="$root/build/release/gelubench"
out="$root/results/shards-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
[ -x "$bin" ] || { echo "slurm.sh: build gelubench first ($bin missing)" >&2; exit 2; }

# One array task per shard; Slurm sets SLURM_ARRAY_TASK_ID to 0..n-1.
array_id=$(sbatch --parsable ${GELUBENCH_SLURM_ARGS:-} \
  --job-name=gelubench-shard --array="0-$((n - 1))" --cpus-per-task=2 --time=02:00:00 \
  --output="$out/shard-%a.log" \
  --wrap="\"$bin\" accuracy --exhaustive --threads \$SLURM_CPUS_PER_TASK \
            --shard \$SLURM_ARRAY_TASK_ID/$n --out \"$out/shard-\$SLURM_ARRAY_TASK_ID.json\"")

# The merge runs after every array task ended successfully (afterok).
sbatch ${GELUBENCH_SLURM_ARGS:-} --job-name=gelubench-merge --dependency="afterok:$array_id" \
  --time=00:10:00 --output="$out/merge.log" \
  --wrap="\"$bin\" merge \"$out\"/shard-*.json --out \"$out/accuracy.json\""
echo "slurm.sh: $n shards (job $array_id); result will be $out/accuracy.json"
